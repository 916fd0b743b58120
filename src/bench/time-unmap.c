/* time-unmap: N threads, each pinned to one of the CPUs this task may use
 * (in turn), fault in their own part of one anonymous mapping; then the
 * whole mapping is unmapped and the munmap() timed -- the cost of tearing
 * down memory many CPUs touched (TLB shootdowns, page freeing). MMTests's
 * time_unmap measures the same; prints the munmap() time in usecs. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "benchlib.h"
#include "options.h"

struct part {
	int cpu;
	char *buf;
	size_t len;
};

static void *fault(void *arg)
{
	struct part *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort, as MMTests's */
	memset(p->buf, 1, p->len);
	return NULL;
}

static const struct opt_usage usage = {
	.program = "time-unmap",
	.synopsis = "[-n THREADS] -s BYTES",
	.description = "THREADS threads fault in their parts of a BYTES mapping (rounded to 2 MiB),\n"
		       "one per allowed CPU in turn; then munmap() of it all is timed (usecs).\n",
	.epilog = "Exit status: 0 done, 1 mapping or threads failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	int nthreads = 1;
	const char *size_arg = NULL;
	uint64_t size;
	const struct opt opts[] = {
		OPT_INT('n', "threads", &nthreads, "THREADS", 1, 65536, "threads (default 1)"),
		OPT_STRING('s', "size", &size_arg, "BYTES", "the mapping (k, m, g)"),
		OPT_END()
	};

	bench_set_program("time-unmap");
	int status;
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	if (!size_arg || parse_bytes(size_arg, 1, &size) || size == 0)
		return bench_usage_error("--size", size_arg ? size_arg : "(none)", "a size of at least 1 byte (k, m, g)");
	size = (size + (1 << 20)) & ~(uint64_t)((2 << 20) - 1);	/* to 2 MiB, as MMTests's */
	if (size == 0)
		size = 2 << 20;
	cpu_set_t allowed;
	int cpus[CPU_SETSIZE], ncpus = 0;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &allowed))
				cpus[ncpus++] = c;
	if (!ncpus)
		cpus[ncpus++] = 0;
	char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("time-unmap: mmap");
		return 1;
	}
	struct part *parts = calloc(nthreads, sizeof(*parts));
	pthread_t *tids = calloc(nthreads, sizeof(*tids));
	if (!parts || !tids)
		return 1;
	for (int i = 0; i < nthreads; i++) {
		parts[i] = (struct part){ cpus[i % ncpus], buf + size / nthreads * i, size / nthreads };
		if (pthread_create(&tids[i], NULL, fault, &parts[i])) {
			fprintf(stderr, "time-unmap: cannot create thread %d\n", i);
			return 1;
		}
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	munmap(buf, size);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld\n", (long long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
	free(parts);
	free(tids);
	return 0;
}
