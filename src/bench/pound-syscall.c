/* pound-syscall: N threads each make CALLS getppid() system calls (MMTests's
 * poundsyscall: the cost of a cheap syscall under thread contention for
 * the task's shared state). The shellpack times the whole run. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

static int calls = 20000000;

static void *pound(void *arg)
{
	long sum = 0;

	(void)arg;
	for (int i = 0; i < calls; i++)
		sum += getppid();
	return (void *)sum;
}

static const struct opt_usage usage = {
	.program = "pound-syscall",
	.synopsis = "[-t N] [-n CALLS]",
	.description = "N threads each call getppid() CALLS times (MMTests's pound_getppid).\n",
	.epilog = "Exit status: 0 done, 1 a thread could not start, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	int nthreads = 1;
	const struct opt opts[] = {
		OPT_INT('t', "threads", &nthreads, "N", 1, 65536, "threads (default 1)"),
		OPT_INT('n', "calls", &calls, "CALLS", 1, 2000000000, "getppid() calls per thread (default 20000000)"),
		OPT_END()
	};

	bench_set_program("pound-syscall");
	int status;
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	pthread_t tids[nthreads];
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, pound, NULL)) {
			fprintf(stderr, "pound-syscall: cannot create thread %d\n", i);
			return 1;
		}
	for (int i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	printf("pound-syscall: %d threads x %d getppid() calls\n", nthreads, calls);
	return 0;
}
