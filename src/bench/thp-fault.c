/* thp-fault: the latency of faulting memory in 2 MiB steps, and whether
 * each step got a transparent huge page -- MMTests's thpchallenge measures
 * this while a background load fragments memory. THREADS threads each map
 * their share of BYTES (2 MiB aligned; MADV_HUGEPAGE with -m), wait for
 * each other, then fault half of it: per 2 MiB step the first write, a
 * residency check 64 pages in (resident only if the fault mapped a huge
 * page), and a write of the whole step, timed together. Prints, as
 * MMTests's program does, "anoninit THREAD US" per thread and "fault
 * THREAD huge|base US SEC.USEC LOCAL" per step (LOCAL: 1 the memory is on
 * the node the thread ran on, 0 it is not, -1 unknown). */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

#define HPAGE (2u << 20)
#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)

struct fault {
	int huge, local;
	uint64_t us;
	struct timeval end;
};

struct worker {
	pthread_t th;
	uint64_t init_us;
	struct fault *faults;
};

static size_t thread_bytes;
static int nsteps, madv_huge;
static pthread_barrier_t ready;

static uint64_t us_of(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000u + tv->tv_usec;
}

/* 1 local, 0 remote, -1 unknown (no NUMA policy calls) */
static int locality(void *addr)
{
	unsigned cpu, node;
	int mem = -1;

	if (syscall(SYS_getcpu, &cpu, &node, NULL) ||
	    syscall(SYS_get_mempolicy, &mem, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR))
		return -1;
	return mem == (int)node;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct timeval t0, t1;
	long page = sysconf(_SC_PAGESIZE);

	gettimeofday(&t0, NULL);
	char *map = mmap(NULL, thread_bytes + HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		bench_warn("mmap of %zu bytes: %m", thread_bytes + HPAGE);
		exit(1);
	}
	if (madv_huge)
		madvise(map, thread_bytes + HPAGE, MADV_HUGEPAGE);
	char *base = (char *)(((uintptr_t)map + HPAGE - 1) & ~(uintptr_t)(HPAGE - 1));
	gettimeofday(&t1, NULL);
	w->init_us = us_of(&t1) - us_of(&t0);
	pthread_barrier_wait(&ready);
	for (int i = 0; i < nsteps; i++) {
		char *step = base + (size_t)i * HPAGE;
		unsigned char resident = 0;

		gettimeofday(&t0, NULL);
		step[0] = 1;
		mincore(step + 64 * page, page, &resident);
		memset(step, 2, HPAGE);
		gettimeofday(&w->faults[i].end, NULL);
		w->faults[i].us = us_of(&w->faults[i].end) - us_of(&t0);
		w->faults[i].huge = resident & 1;
		w->faults[i].local = locality(step);
	}
	munmap(map, thread_bytes + HPAGE);
	return NULL;
}

static const struct opt_usage usage = {
	.program = "thp-fault",
	.synopsis = "-n THREADS -s BYTES [-m]",
	.description = "THREADS threads fault half of their share of BYTES in 2 MiB steps; print each\n"
		       "step's latency (us) and whether it got a huge page (-m: MADV_HUGEPAGE).\n",
	.epilog = "Exit status: 0 done, 1 mapping or threads failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	int nthreads = 1, status;
	const char *size_arg = NULL;
	uint64_t total;
	const struct opt opts[] = {
		OPT_INT('n', "threads", &nthreads, "THREADS", 1, 4096, "threads (default 1)"),
		OPT_STRING('s', "size", &size_arg, "BYTES", "the memory of all threads (k, m, g)"),
		OPT_BOOL('m', "madv-hugepage", &madv_huge, "madvise(MADV_HUGEPAGE) the mappings"),
		OPT_END()
	};

	bench_set_program("thp-fault");
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	if (!size_arg || parse_bytes(size_arg, 1, &total) || total / nthreads < 2 * HPAGE)
		return bench_usage_error("--size", size_arg ? size_arg : "(none)",
					 "a size of at least 4 MiB per thread (k, m, g)");
	nsteps = (int)(total / nthreads / HPAGE / 2);
	thread_bytes = ((total / nthreads) + 4 * HPAGE - 1) & ~(size_t)(4 * HPAGE - 1);
	struct worker *w = calloc(nthreads, sizeof(*w));
	if (!w)
		return 1;
	pthread_barrier_init(&ready, NULL, nthreads);
	for (int t = 0; t < nthreads; t++) {
		w[t].faults = calloc(nsteps, sizeof(*w[t].faults));
		if (!w[t].faults || pthread_create(&w[t].th, NULL, run, &w[t])) {
			bench_warn("cannot start thread %d", t);
			return 1;
		}
	}
	for (int t = 0; t < nthreads; t++)
		pthread_join(w[t].th, NULL);
	pthread_barrier_destroy(&ready);
	printf("Running with %d thread%s\n\n", nthreads, nthreads > 1 ? "s" : "");
	for (int t = 0; t < nthreads; t++)
		printf("anoninit %d %12llu\n", t, (unsigned long long)w[t].init_us);
	for (int t = 0; t < nthreads; t++)
		for (int i = 0; i < nsteps; i++) {
			const struct fault *f = &w[t].faults[i];
			printf("fault %d %s %12llu %ld.%ld %d\n", t, f->huge ? "huge" : "base",
			       (unsigned long long)f->us, (long)f->end.tv_sec, (long)f->end.tv_usec, f->local);
		}
	for (int t = 0; t < nthreads; t++)
		free(w[t].faults);
	free(w);
	return 0;
}
