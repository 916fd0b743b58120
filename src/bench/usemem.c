/* usemem-style memory pressure, after vm-scalability's usemem as MMTests's
 * usemem benchmark drives it: N threads each map BYTES of anonymous memory
 * (or of a file, read-only) and touch one byte every STEP bytes, REPEAT
 * passes. The work is the faulting, reclaim and swap it causes; the
 * shellpack times the whole run. Prints what it did and the rate. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

static uint64_t bytes, step = 4096;
static int nthreads = 1, repeat = 1, readonly;
static int fd = -1;
static const char *file;

struct task {
	int id;
	uint64_t sum;		/* what the reads saw, so they are not optimised away */
	int err;
};

static void *run(void *arg)
{
	struct task *t = arg;
	off_t off = (off_t)t->id * (off_t)bytes;
	int prot = readonly ? PROT_READ : PROT_READ | PROT_WRITE;
	int flags = fd >= 0 ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned char *p = mmap(NULL, bytes, prot, flags, fd, fd >= 0 ? off : 0);

	if (p == MAP_FAILED) {
		t->err = errno;
		return NULL;
	}
	for (int r = 0; r < repeat; r++)
		for (uint64_t i = 0; i < bytes; i += step) {
			if (readonly)
				t->sum += ((volatile unsigned char *)p)[i];
			else
				p[i] = (unsigned char)(r + 1);
		}
	munmap(p, bytes);
	return NULL;
}

static const struct opt_usage usage = {
	.program = "usemem",
	.synopsis = "[-t N] [-j STEP] [-r REPEAT] [-f FILE [--readonly]] BYTES",
	.description = "Each of N threads maps BYTES (anonymous, or its own BYTES-long part of FILE)\n"
		       "and touches a byte every STEP bytes, REPEAT times (vm-scalability's usemem,\n"
		       "as MMTests's usemem benchmark runs it). BYTES and STEP take k, m, g.\n",
	.epilog = "Exit status: 0 done, 1 a mapping failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	const char *step_arg = NULL;
	const struct opt opts[] = {
		OPT_INT('t', "threads", &nthreads, "N", 1, 65536, "threads, each with its own BYTES (default 1)"),
		OPT_STRING('j', "step", &step_arg, "STEP", "touch a byte every STEP bytes (default 4096)"),
		OPT_INT('r', "repeat", &repeat, "REPEAT", 1, 1000000, "passes over the memory (default 1)"),
		OPT_STRING('f', "file", &file, "FILE", "map FILE instead of anonymous memory"),
		OPT_BOOL(0, "readonly", &readonly, "read instead of write (needs --file)"),
		OPT_END()
	};

	bench_set_program("usemem");
	int status, first = bench_options(argc, argv, opts, &usage, 0, &status);
	if (first < 0)
		return status;
	if (first != argc - 1)
		return bench_usage_error("argument", first < argc ? argv[first + 1] : "(none)",
					 "one BYTES argument (per thread)");
	if (parse_bytes(argv[first], 1, &bytes))
		return bench_usage_error("BYTES", argv[first], "a size of at least 1 byte (k, m, g)");
	if (step_arg && (parse_bytes(step_arg, 1, &step)))
		return bench_usage_error("--step", step_arg, "a size of at least 1 byte (k, m, g)");
	if (readonly && !file)
		return bench_usage_error("--readonly", "", "needs --file (anonymous memory is written)");
	if (file) {
		struct stat st;
		fd = open(file, readonly ? O_RDONLY : O_RDWR);
		if (fd < 0 || fstat(fd, &st)) {
			fprintf(stderr, "usemem: %s: %s\n", file, strerror(errno));
			return 1;
		}
		if ((uint64_t)st.st_size < bytes * nthreads) {
			fprintf(stderr, "usemem: %s holds %lld bytes, %d threads x %llu need more\n", file,
				(long long)st.st_size, nthreads, (unsigned long long)bytes);
			return 1;
		}
	}

	struct task *tasks = calloc(nthreads, sizeof(*tasks));
	pthread_t *tids = calloc(nthreads, sizeof(*tids));
	struct timespec t0, t1;
	if (!tasks || !tids) {
		fprintf(stderr, "usemem: out of memory\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < nthreads; i++) {
		tasks[i].id = i;
		if (pthread_create(&tids[i], NULL, run, &tasks[i])) {
			fprintf(stderr, "usemem: cannot create thread %d\n", i);
			return 1;
		}
	}
	int failed = 0;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(tids[i], NULL);
		if (tasks[i].err) {
			fprintf(stderr, "usemem: thread %d: cannot map %llu bytes: %s\n", i,
				(unsigned long long)bytes, strerror(tasks[i].err));
			failed = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	double mb = (double)bytes * nthreads * repeat / 1048576.0;
	printf("usemem: %d threads x %llu bytes, %s, step %llu, %d passes: %.0f MB in %.3f s, %.1f MB/s\n",
	       nthreads, (unsigned long long)bytes, file ? (readonly ? "file, read" : "file, written") : "anonymous",
	       (unsigned long long)step, repeat, mb, secs, secs > 0 ? mb / secs : 0);
	free(tasks);
	free(tids);
	if (fd >= 0)
		close(fd);
	return failed;
}
