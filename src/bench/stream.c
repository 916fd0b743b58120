/* STREAM-style memory bandwidth: Copy, Scale, Add, Triad over three arrays,
 * run by N threads (each owns a slice, first-touch placed), best of
 * NTIMES. Prints the classic STREAM report that MMTests's parsers read. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

enum { COPY, SCALE, ADD, TRIAD, NKERNELS };
static const char *const names[NKERNELS] = { "Copy:", "Scale:", "Add:", "Triad:" };
static const int arrays_touched[NKERNELS] = { 2, 2, 3, 3 };

static double *a, *b, *c;
static size_t n;
static int nthreads = 1;
static pthread_barrier_t start_bar, end_bar;
static volatile int current_kernel = -1;	/* -1: exit */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void slice(int id, size_t *lo, size_t *hi)
{
	size_t per = n / nthreads, extra = n % nthreads;

	*lo = id * per + ((size_t)id < extra ? (size_t)id : extra);
	*hi = *lo + per + ((size_t)id < extra);
}

static void run_kernel(int k, size_t lo, size_t hi)
{
	const double scalar = 3.0;
	size_t j;

	switch (k) {
	case COPY:
		for (j = lo; j < hi; j++)
			c[j] = a[j];
		break;
	case SCALE:
		for (j = lo; j < hi; j++)
			b[j] = scalar * c[j];
		break;
	case ADD:
		for (j = lo; j < hi; j++)
			c[j] = a[j] + b[j];
		break;
	case TRIAD:
		for (j = lo; j < hi; j++)
			a[j] = b[j] + scalar * c[j];
		break;
	}
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	size_t lo, hi;

	slice(id, &lo, &hi);
	for (size_t j = lo; j < hi; j++) {	/* first touch by the owner */
		a[j] = 1.0;
		b[j] = 2.0;
		c[j] = 0.0;
	}
	for (;;) {
		pthread_barrier_wait(&start_bar);
		if (current_kernel < 0)
			break;
		run_kernel(current_kernel, lo, hi);
		pthread_barrier_wait(&end_bar);
	}
	return NULL;
}

/* The main thread is worker 0 for timing: barrier, kernel, barrier. */
static double timed(int k)
{
	size_t lo, hi;
	double t0;

	current_kernel = k;
	t0 = now();
	pthread_barrier_wait(&start_bar);
	slice(0, &lo, &hi);
	run_kernel(k, lo, hi);
	pthread_barrier_wait(&end_bar);
	return now() - t0;
}

/* Expected final values, as STREAM's checkSTREAMresults does. */
static int check(int ntimes)
{
	double aj = 1.0, bj = 2.0, cj = 0.0, err = 0;

	for (int k = 0; k < ntimes; k++) {
		cj = aj;
		bj = 3.0 * cj;
		cj = aj + bj;
		aj = bj + 3.0 * cj;
	}
	for (size_t j = 0; j < n; j += 1 + n / 1024)
		err += fabs(a[j] - aj) / aj + fabs(b[j] - bj) / bj + fabs(c[j] - cj) / cj;
	return err < 1e-6 ? 0 : -1;
}

static const struct opt_usage usage = {
	.program = "stream",
	.synopsis = "[-s|--size BYTES] [-t|--threads N] [-n|--ntimes N]",
	.description = "STREAM's four kernels (Copy, Scale, Add, Triad) over three arrays.\n"
		       "BYTES is the total of the three arrays (MMTests's STREAM_SIZE).\n",
};

int main(int argc, char **argv)
{
	unsigned long long size = 3ULL * 8 * 10000000;
	int ntimes = 10;
	const char *size_arg = NULL;
	double best[NKERNELS], sum[NKERNELS] = { 0 }, worst[NKERNELS] = { 0 };
	pthread_t *tids;
	const struct opt opts[] = {
		OPT_STRING('s', "size", &size_arg, "BYTES", "total of the three arrays, >= 24000 (k, m, g)"),
		OPT_INT('t', "threads", &nthreads, "N", 1, 4096, "threads (default 1)"),
		OPT_INT('n', "ntimes", &ntimes, "N", 2, 1000000, "passes; the first is not timed (default 10)"),
		OPT_END()
	};

	bench_set_program("stream");
	int status;
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	if (size_arg) {
		uint64_t bytes;
		if (parse_bytes(size_arg, 1, &bytes) || bytes < 3 * 8 * 1000)
			return bench_usage_error("--size", size_arg, "at least 24000 bytes (k, m, g suffixes)");
		size = bytes;
	}
	n = size / 3 / sizeof(double);
	if (posix_memalign((void **)&a, 4096, n * sizeof(double)) ||
	    posix_memalign((void **)&b, 4096, n * sizeof(double)) ||
	    posix_memalign((void **)&c, 4096, n * sizeof(double))) {
		fprintf(stderr, "stream: cannot allocate 3 x %zu bytes\n", n * sizeof(double));
		return 1;
	}
	pthread_barrier_init(&start_bar, NULL, nthreads);
	pthread_barrier_init(&end_bar, NULL, nthreads);
	tids = calloc(nthreads, sizeof(*tids));
	for (int i = 1; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, (void *)(long)i)) {
			fprintf(stderr, "stream: cannot create thread %d\n", i);
			return 1;
		}
	{
		size_t l, h;
		slice(0, &l, &h);
		for (size_t j = l; j < h; j++) {
			a[j] = 1.0;
			b[j] = 2.0;
			c[j] = 0.0;
		}
	}
	for (int k = 0; k < NKERNELS; k++)
		best[k] = DBL_MAX;
	for (int it = 0; it < ntimes; it++) {
		for (int k = 0; k < NKERNELS; k++) {
			double t = timed(k);
			if (it == 0)
				continue;	/* first pass warms up, as STREAM does */
			sum[k] += t;
			best[k] = t < best[k] ? t : best[k];
			worst[k] = t > worst[k] ? t : worst[k];
		}
	}
	current_kernel = -1;
	pthread_barrier_wait(&start_bar);
	for (int i = 1; i < nthreads; i++)
		pthread_join(tids[i], NULL);

	printf("-------------------------------------------------------------\n");
	printf("STREAM-style benchmark (mmtests-c)\n");
	printf("Array size = %zu (elements), Offset = 0 (elements)\n", n);
	printf("Memory per array = %.1f MiB (= %.1f GiB).\n",
	       n * sizeof(double) / 1048576.0, n * sizeof(double) / 1073741824.0);
	printf("Total memory required = %.1f MiB.\n", 3.0 * n * sizeof(double) / 1048576.0);
	printf("Each kernel will be executed %d times; the best time of the last %d counts.\n",
	       ntimes, ntimes - 1);
	printf("Number of Threads counted = %d\n", nthreads);
	printf("-------------------------------------------------------------\n");
	printf("Function    Best Rate MB/s  Avg time     Min time     Max time\n");
	for (int k = 0; k < NKERNELS; k++) {
		double bytes = (double)arrays_touched[k] * sizeof(double) * n;
		printf("%-12s%12.1f  %11.6f  %11.6f  %11.6f\n", names[k],
		       1.0e-6 * bytes / best[k], sum[k] / (ntimes - 1), best[k], worst[k]);
	}
	printf("-------------------------------------------------------------\n");
	if (check(ntimes)) {
		printf("Failed Validation on array results\n");
		return 1;
	}
	printf("Solution Validates\n");
	printf("-------------------------------------------------------------\n");
	free(tids);
	free(a);
	free(b);
	free(c);
	return 0;
}
