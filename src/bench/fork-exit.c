/* fork-exit: ITERATIONS times, fork a child that exits at once and wait
 * for it; each line gives the CPU the parent was on, the CPU the child ran
 * on (its exit status) and the fork-to-reaped time in usecs (MMTests's
 * saladfork: whether the scheduler keeps a new child on the parent's node). */
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

struct datum {
	long long usecs;
	int parent, child;
};

static const struct opt_usage usage = {
	.program = "fork-exit",
	.synopsis = "ITERATIONS",
	.description = "Fork a child that exits at once, ITERATIONS times; print each one's parent CPU,\n"
		       "child CPU and latency (usecs), after all of them ran.\n",
	.epilog = "Exit status: 0 done, 1 fork failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	const struct opt opts[] = { OPT_END() };
	long iters;
	char *end;

	bench_set_program("fork-exit");
	int ret, first = bench_options(argc, argv, opts, &usage, 0, &ret);
	if (first < 0)
		return ret;
	if (first != argc - 1 || (iters = strtol(argv[first], &end, 10)) < 1 || *end)
		return bench_usage_error("ITERATIONS", first < argc ? argv[first] : "(none)", "a count of at least 1");
	struct datum *d = calloc(iters, sizeof(*d));
	if (!d)
		return 1;
	for (long i = 0; i < iters; i++) {
		struct timespec t0, t1;
		int status = 0;

		d[i].parent = sched_getcpu();
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork-exit: fork");
			return 1;
		}
		if (pid == 0)
			_exit(sched_getcpu() & 0xff);	/* an exit status holds 8 bits */
		waitpid(pid, &status, 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		d[i].usecs = (t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
		d[i].child = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	printf("PARENT  CHILD   LATENCY\n");
	for (long i = 0; i < iters; i++)
		printf("%03d     %03d     %lld\n", d[i].parent, d[i].child, d[i].usecs);
	free(d);
	return 0;
}
