/* pft: the page fault test MMTests's pft ran (Lee Schermerhorn's pft,
 * dropped from MMTests for will-it-scale's page_fault): BYTES of private
 * anonymous memory split between THREADS threads of one process (one
 * mapping: they fault the same address space) or PROCS processes (a
 * mapping each), started together; each writes CACHELINES cache lines of
 * every page of its share, so every page is one minor fault. Prints pft's
 * result line: GiB, tasks, cache lines, user, system and wall seconds
 * (from the first task's start to the last one's end), faults per CPU
 * second and faults per wall second; -T adds its header. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

#define CACHELINE 64

/* One task's interval, in memory the processes share with the parent. */
struct task {
	struct timespec start, end;
	struct timeval utime, stime;	/* CPU of its fault loop */
	int failed;
};

struct shared {
	volatile int ready, go;		/* go: 1 start, -1 give up */
	struct task task[];
};

static struct shared *sh;
static size_t share_bytes;
static long ncachelines;
static char *thread_region;	/* threads: the one mapping they split */

static double secs_tv(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

static double secs_ts(const struct timespec *ts)
{
	return ts->tv_sec + ts->tv_nsec / 1e9;
}

static void tv_sub(struct timeval *d, const struct timeval *a, const struct timeval *b)
{
	timersub(a, b, d);
}

/* Fault CACHELINES lines of every page of [p, p + bytes): one task's
 * measured loop, with its CPU time from rusage of WHO (thread or self). */
static void fault_loop(struct task *t, char *p, int who)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct rusage r0, r1;

	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		;	/* spin: a sleep would blur the common start */
	if (sh->go < 0)	/* another task could not start: nothing to measure */
		return;
	clock_gettime(CLOCK_MONOTONIC, &t->start);
	getrusage(who, &r0);
	for (size_t off = 0; off < share_bytes; off += page)
		for (long c = 0; c < ncachelines && c * CACHELINE < (long)page; c++)
			p[off + c * CACHELINE] = 1;
	getrusage(who, &r1);
	clock_gettime(CLOCK_MONOTONIC, &t->end);
	tv_sub(&t->utime, &r1.ru_utime, &r0.ru_utime);
	tv_sub(&t->stime, &r1.ru_stime, &r0.ru_stime);
}

static void *thread_main(void *arg)
{
	long i = (long)arg;

	fault_loop(&sh->task[i], thread_region + (size_t)i * share_bytes, RUSAGE_THREAD);
	return NULL;
}

static void process_main(long i)
{
	char *p = mmap(NULL, share_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		bench_warn("mmap of %zu bytes: %m", share_bytes);
		sh->task[i].failed = 1;
		__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
		_exit(1);
	}
	fault_loop(&sh->task[i], p, RUSAGE_SELF);
	_exit(0);
}

static const struct opt_usage usage = {
	.program = "pft",
	.synopsis = "-m BYTES {-t THREADS | -n PROCS} [-c CACHELINES] [-T]",
	.description = "THREADS threads (one mapping) or PROCS processes (a mapping each) fault their\n"
		       "share of BYTES of anonymous memory together; print pft's result line.\n",
	.epilog = "Exit status: 0 done, 1 mapping or tasks failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	const char *size_arg = NULL;
	int nthreads = 0, nprocs = 0, title = 0, status, ntasks;
	int cl = 1;
	uint64_t bytes;
	const struct opt opts[] = {
		OPT_STRING('m', "memory", &size_arg, "BYTES", "the memory of all tasks (k, m, g)"),
		OPT_INT('t', "threads", &nthreads, "THREADS", 1, 4096, "threads sharing one mapping"),
		OPT_INT('n', "processes", &nprocs, "PROCS", 1, 4096, "processes, a mapping each"),
		OPT_INT('c', "cachelines", &cl, "CACHELINES", 1, 64, "cache lines written per page (default 1)"),
		OPT_BOOL('T', "title", &title, "print pft's header line first"),
		OPT_END()
	};

	bench_set_program("pft");
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	if (!!nthreads == !!nprocs)
		return bench_usage_error("-t/-n", nthreads ? "both" : "(none)", "one of -t THREADS or -n PROCS");
	ntasks = nthreads ? nthreads : nprocs;
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (!size_arg || parse_bytes(size_arg, 1, &bytes) || bytes / ntasks < page)
		return bench_usage_error("--memory", size_arg ? size_arg : "(none)",
					 "a size of at least one page per task (k, m, g)");
	ncachelines = cl;
	share_bytes = bytes / ntasks / page * page;
	sh = mmap(NULL, sizeof(*sh) + ntasks * sizeof(struct task), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		bench_warn("mmap: %m");
		return 1;
	}
	pthread_t *th = calloc(ntasks, sizeof(*th));
	pid_t *pid = calloc(ntasks, sizeof(*pid));
	int started = 0, failed = !th || !pid;
	if (nthreads && !failed) {
		thread_region = mmap(NULL, share_bytes * ntasks, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (thread_region == MAP_FAILED) {
			bench_warn("mmap of %zu bytes: %m", share_bytes * ntasks);
			thread_region = NULL;
			failed = 1;
		}
	}
	for (long i = 0; i < ntasks && !failed; i++, started++) {
		if (nthreads) {
			if (pthread_create(&th[i], NULL, thread_main, (void *)i)) {
				bench_warn("cannot start thread %ld", i);
				failed = 1;
				break;
			}
		} else if ((pid[i] = fork()) == 0) {
			process_main(i);
		} else if (pid[i] < 0) {
			bench_warn("fork: %m");
			failed = 1;
			break;
		}
	}
	/* all started: go together; else those that did give up */
	while (!failed && __atomic_load_n(&sh->ready, __ATOMIC_SEQ_CST) < ntasks)
		sched_yield();
	__atomic_store_n(&sh->go, failed ? -1 : 1, __ATOMIC_RELEASE);
	for (int i = 0; i < started; i++) {
		if (nthreads) {
			pthread_join(th[i], NULL);
		} else {
			int st;
			if (waitpid(pid[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
				failed = 1;
		}
	}
	free(th);
	free(pid);
	if (thread_region)
		munmap(thread_region, share_bytes * ntasks);
	if (failed) {
		munmap(sh, sizeof(*sh) + ntasks * sizeof(struct task));
		return 1;
	}
	/* wall: first start to last end; CPU: every task's fault loop */
	double first = 0, last = 0, user = 0, sys = 0;
	for (int i = 0; i < ntasks; i++) {
		const struct task *t = &sh->task[i];
		if (i == 0 || secs_ts(&t->start) < first)
			first = secs_ts(&t->start);
		if (secs_ts(&t->end) > last)
			last = secs_ts(&t->end);
		user += secs_tv(&t->utime);
		sys += secs_tv(&t->stime);
	}
	double wall = last - first, faults = (double)(share_bytes / page) * ntasks;
	if (title)
		printf("  Gb  Thr CLine   User     System     Wall    flt/cpu/s fault/wsec\n");
	printf(" %3llu %4d %3d %8.2fs %8.2fs %8.2fs  %10.3f %10.3f\n", (unsigned long long)(bytes >> 30), ntasks,
	       cl, user, sys, wall, user + sys > 0 ? faults / (user + sys) : 0.0, wall > 0 ? faults / wall : 0.0);
	munmap(sh, sizeof(*sh) + ntasks * sizeof(struct task));
	return 0;
}
