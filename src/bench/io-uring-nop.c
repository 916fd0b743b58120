/* io-uring-nop: the io_uring submission/completion path with no I/O, as
 * fio's t/io_uring -N 1 that MMTests's io_uring benchmark runs: N threads,
 * each with its own ring, submit NOP requests in batches and reap them;
 * every second the total rate is printed as "IOPS=<n>K" (or M). */
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

static atomic_ulong done;
static atomic_int stop;
static int depth = 128, batch = 32;

static void *run(void *arg)
{
	struct io_uring ring;
	int *err = arg;

	if ((*err = -io_uring_queue_init(depth, &ring, 0)))
		return NULL;
	unsigned inflight = 0;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		int n = 0;
		while (inflight + n < (unsigned)depth && n < batch) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			if (!sqe)
				break;
			io_uring_prep_nop(sqe);
			n++;
		}
		int s = io_uring_submit_and_wait(&ring, inflight + n >= (unsigned)batch ? batch : 1);
		if (s < 0) {
			*err = -s;
			break;
		}
		inflight += n;
		struct io_uring_cqe *cqe;
		unsigned head, reaped = 0;
		io_uring_for_each_cqe(&ring, head, cqe)
			reaped++;
		io_uring_cq_advance(&ring, reaped);
		inflight -= reaped;
		atomic_fetch_add_explicit(&done, reaped, memory_order_relaxed);
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

static const struct opt_usage usage = {
	.program = "io-uring-nop",
	.synopsis = "[-n THREADS] [-r SECONDS] [-d DEPTH] [-b BATCH]",
	.description = "NOP requests through io_uring (fio's t/io_uring -N 1): THREADS rings, each\n"
		       "keeping up to DEPTH in flight, submitted and reaped BATCH at a time.\n",
	.epilog = "Prints IOPS=<rate> each second, then the mean after the first. Exit status: 0 done,\n"
		  "1 io_uring failed (not supported, or disabled by sysctl), 2 bad usage.\n",
};

/* "IOPS=1.23M" as t/io_uring prints it each second; the closing mean is
 * spelled differently so that readers of the per-second lines skip it. */
static void print_rate(int mean, double iops)
{
	char v[32];

	if (iops >= 1e6)
		snprintf(v, sizeof(v), "%.2fM", iops / 1e6);
	else
		snprintf(v, sizeof(v), "%.2fK", iops / 1e3);
	if (mean)
		printf("mean after the first second: %s IOPS\n", v);
	else
		printf("IOPS=%s\n", v);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int nthreads = 1, runtime = 10;
	const struct opt opts[] = {
		OPT_INT('n', "threads", &nthreads, "THREADS", 1, 4096, "threads, one ring each (default 1)"),
		OPT_INT('r', "runtime", &runtime, "SECONDS", 1, 86400, "seconds (default 10)"),
		OPT_INT('d', "depth", &depth, "DEPTH", 1, 4096, "requests in flight per ring (default 128)"),
		OPT_INT('b', "batch", &batch, "BATCH", 1, 4096, "submitted and reaped at a time (default 32)"),
		OPT_END()
	};

	bench_set_program("io-uring-nop");
	int status;
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	if (batch > depth)
		batch = depth;
	pthread_t tids[nthreads];
	int errs[nthreads];
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, run, &errs[i])) {
			fprintf(stderr, "io-uring-nop: cannot create thread %d\n", i);
			return 1;
		}
	unsigned long last = 0, first_count = 0;
	for (int s = 1; s <= runtime; s++) {
		sleep(1);
		unsigned long now = atomic_load(&done);
		if (s == 1)
			first_count = now;
		print_rate(0, (double)(now - last));
		last = now;
	}
	atomic_store(&stop, 1);
	int failed = 0;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(tids[i], NULL);
		if (errs[i]) {
			fprintf(stderr, "io-uring-nop: thread %d: io_uring: %s\n", i, strerror(errs[i]));
			failed = 1;
		}
	}
	if (runtime > 1)
		print_rate(1, (double)(last - first_count) / (runtime - 1));
	return failed;
}
