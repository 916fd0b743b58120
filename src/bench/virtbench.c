/* virtbench: virtualization micro-benchmarks, measured as virtbench did:
 * the harness's own cost (a zero-operation run) is subtracted, the number
 * of operations per sample doubles until a sample lasts long enough, at
 * least 10 samples are taken, and each test reports median (min-max) and
 * the peaks of its distribution. Every sample is printed, so the results
 * can be compared like any benchmark's:
 *   sample <test> <n> <ns per operation>
 *   <test>: median <ns> (<min>-<max>) ns, peaks: <ns>[,<ns>...]  */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "virtbench.h"

#define MEMBURN_BYTES (64UL << 20)
#define READ_FILE_BYTES (64UL << 20)
#define READ_SMALL 4096
#define READ_BIG (1UL << 20)

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int die_errno(const char *what)
{
	fprintf(stderr, "virtbench: %s: %s\n", what, strerror(errno));
	return -1;
}

/* context-switch: a byte ping-ponged through two pipes between two
 * processes; one operation is one round trip (two switches). */
static int t_context_switch(long n)
{
	int a[2], b[2];
	char c = 0;

	if (pipe(a) || pipe(b))
		return die_errno("pipe");
	pid_t pid = fork();
	if (pid < 0)
		return die_errno("fork");
	if (pid == 0) {
		for (long i = 0; i < n; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	int ret = 0;
	for (long i = 0; i < n && !ret; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			ret = die_errno("pipe ping-pong");
	waitpid(pid, NULL, 0);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]);
	return ret;
}

static int t_fork(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return die_errno("fork");
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return 0;
}

static int t_exec(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return die_errno("fork");
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return die_errno("exec /bin/true");
	}
	return 0;
}

static int t_syscall(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

/* copy-on-write: a child writes one byte in each of n shared pages. */
static int t_cow(long n)
{
	size_t len = (size_t)(n ? n : 1) * 4096;	/* the zero run maps and forks too */
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return die_errno("mmap");
	memset(p, 1, len);
	pid_t pid = fork();
	if (pid < 0)
		return die_errno("fork");
	if (pid == 0) {
		for (long i = 0; i < n; i++)
			p[i * 4096] = 2;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	munmap(p, len);
	return 0;
}

static char *burn;

/* memburn: n cache lines touched, in order or at random, over 64 MiB. */
static int t_memburn_linear(long n)
{
	size_t lines = MEMBURN_BYTES / 64;

	for (long i = 0; i < n; i++)
		burn[(i % lines) * 64]++;
	return 0;
}

static int t_memburn_random(long n)
{
	size_t lines = MEMBURN_BYTES / 64;
	uint64_t s = 88172645463325252ULL;

	for (long i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		burn[(s % lines) * 64]++;
	}
	return 0;
}

/* pte-update: move a populated page back and forth with mremap. */
static int t_pte_update(long n)
{
	char *a = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a == MAP_FAILED)
		return die_errno("mmap");
	char *b = a + 4096, *cur = a;
	munmap(b, 4096);
	*cur = 1;
	for (long i = 0; i < n; i++) {
		char *to = cur == a ? b : a;
		if (mremap(cur, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, to) == MAP_FAILED)
			return die_errno("mremap");
		cur = to;
	}
	munmap(cur, 4096);
	return 0;
}

/* read-latency / read-bandwidth: O_DIRECT reads of a 64 MiB file (the
 * page cache bypassed: what the virtual disk costs) -- 4 KiB at random
 * offsets, or 1 MiB in order. */
static const char *read_path = "virtbench.data";
static char *read_buf;

static int t_read(long n, size_t len, int random)
{
	int fd = open(read_path, O_RDONLY | O_DIRECT);
	uint64_t s = 88172645463325252ULL, blocks = READ_FILE_BYTES / len;

	if (fd < 0)
		return die_errno(read_path);
	for (long i = 0; i < n; i++) {
		uint64_t b = i % blocks;
		if (random) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			b = s % blocks;
		}
		if (pread(fd, read_buf, len, (off_t)(b * len)) != (ssize_t)len) {
			close(fd);
			return die_errno("pread");
		}
	}
	close(fd);
	return 0;
}

static int t_read_latency(long n)
{
	return t_read(n, READ_SMALL, 1);
}

static int t_read_bandwidth(long n)
{
	return t_read(n, READ_BIG, 0);
}

/* The file the read tests use, written once; 0, or -1 when this file
 * system cannot do O_DIRECT (tmpfs: a RAM guest) with *why set. */
static int read_prepare(const char **why)
{
	struct stat st;
	int fd;

	if (posix_memalign((void **)&read_buf, 4096, READ_BIG)) {
		*why = "out of memory";
		return -1;
	}
	memset(read_buf, 0x5a, READ_BIG);
	if (stat(read_path, &st) || st.st_size < (off_t)READ_FILE_BYTES) {
		fd = open(read_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			*why = strerror(errno);
			return -1;
		}
		for (unsigned long off = 0; off < READ_FILE_BYTES; off += READ_BIG)
			if (write(fd, read_buf, READ_BIG) != (ssize_t)READ_BIG) {
				*why = strerror(errno);
				close(fd);
				return -1;
			}
		fsync(fd);
		close(fd);
	}
	fd = open(read_path, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		*why = errno == EINVAL ? "its file system cannot do O_DIRECT: give a file on a disk with -f" :
					 strerror(errno);
		return -1;
	}
	/* newer kernels take O_DIRECT on tmpfs, and read memory */
	struct statfs sf;
	int ram = !fstatfs(fd, &sf) && (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC);
	close(fd);
	if (ram) {
		*why = "it is in memory (tmpfs): give a file on a disk with -f";
		return -1;
	}
	return 0;
}

static const struct test tests[] = {
	{ "context-switch", "pipe ping-pong round trip between two processes", t_context_switch, 0, 0 },
	{ "fork", "fork and reap a child that exits", t_fork, 0, 0 },
	{ "exec", "fork, exec /bin/true, reap", t_exec, 0, 0 },
	{ "libc-syscall", "getppid system call", t_syscall, 0, 0 },
	{ "cow", "copy-on-write fault of one page", t_cow, 0, 0 },
	{ "memburn-linear", "one cache line, sequentially over 64 MiB", t_memburn_linear, 0, 0 },
	{ "memburn-random", "one cache line, at random over 64 MiB", t_memburn_random, 0, 0 },
	{ "pte-update", "mremap of a populated page", t_pte_update, 0, 0 },
	{ "read-latency", "O_DIRECT read of 4 KiB at a random offset (-f FILE)", t_read_latency, 0, 0 },
	{ "read-bandwidth", "O_DIRECT read of 1 MiB, in order (-f FILE)", t_read_bandwidth, READ_BIG, 0 },
	{ "tcp-bandwidth", "64 KiB sent over TCP to the sink (local, or -H HOST:PORT)", t_tcp_bandwidth, 64 << 10, 1 },
	{ "ping-pong", "one byte over TCP to the sink and back", t_ping_pong, 0, 1 },
	{ "sendfile", "sendfile of 1 MiB (from memory) to the sink", t_sendfile, 1 << 20, 1 },
	{ "udp-bandwidth", "a 1 KiB UDP datagram to the sink (loss reported)", t_udp_bandwidth, 1 << 10, 1 },
};

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Peaks: the local maxima of a histogram with sqrt(n) bins that hold a
 * tenth of the samples (two at least): a lone outlier is not a peak. */
static void print_peaks(const double *v, int n)
{
	int bins = 1;

	while (bins * bins < n)
		bins++;
	int hist[64] = { 0 };
	double lo = v[0], hi = v[n - 1], w = (hi - lo) / bins;
	if (w <= 0) {
		printf("%.1f", lo);
		return;
	}
	for (int i = 0; i < n; i++) {
		int b = (int)((v[i] - lo) / w);
		hist[b >= bins ? bins - 1 : b]++;
	}
	int first = 1, enough = n / 10 > 2 ? n / 10 : 2;
	for (int b = 0; b < bins; b++) {
		int left = b ? hist[b - 1] : -1, right = b + 1 < bins ? hist[b + 1] : -1;
		if (hist[b] >= enough && hist[b] >= left && hist[b] > right) {
			printf("%s%.1f", first ? "" : ",", lo + (b + 0.5) * w);
			first = 0;
		}
	}
}

static int measure(const struct test *t, int samples, double min_sample_ns)
{
	/* the harness alone: the median of 5 zero-operation runs */
	double z[5];
	int64_t t0;
	for (int i = 0; i < 5; i++) {
		t0 = now_ns();
		if (t->run(0))
			return -1;
		z[i] = now_ns() - t0;
	}
	qsort(z, 5, sizeof(double), cmp);
	double zero = z[2];
	long n = 1;
	for (;;) {
		t0 = now_ns();
		if (t->run(n))
			return -1;
		/* long enough in operations, not in harness set-up */
		if (now_ns() - t0 - zero >= min_sample_ns || n > (1L << 40))
			break;
		n *= 2;
	}
	double *v = calloc(samples, sizeof(double));
	for (int s = 0; s < samples; s++) {
		t0 = now_ns();
		if (t->run(n)) {
			free(v);
			return -1;
		}
		double per = (now_ns() - t0 - zero) / n;
		v[s] = per > 0 ? per : 0;
		printf("sample %s %d %.2f\n", t->name, s + 1, v[s]);
	}
	qsort(v, samples, sizeof(double), cmp);
	double med = samples % 2 ? v[samples / 2] : (v[samples / 2 - 1] + v[samples / 2]) / 2;
	printf("%s: median %.2f (%.2f-%.2f) ns, %ld ops per sample, peaks: ", t->name, med, v[0],
	       v[samples - 1], n);
	print_peaks(v, samples);
	if (t->bytes && med > 0)
		printf(", %.1f MB/s at the median", t->bytes / (med / 1e9) / (1 << 20));
	printf("\n");
	free(v);
	return 0;
}

static int first_test;	/* argv index of the first TEST named */

static int named(int argc, char **argv, const char *name)
{
	for (int a = first_test; a < argc; a++)
		if (!strcmp(argv[a], name))
			return 1;
	return 0;
}

static const struct opt_usage usage = {
	.program = "virtbench",
	.synopsis = "[options] [TEST...]\n       virtbench -S [ADDR:]PORT",
	.description =
"Virtualization micro-benchmarks with virtbench's statistics: the zero-run\n"
"overhead subtracted, operations doubled until a sample is long enough,\n"
"median (min-max) of the samples. Without TEST, every test; -l lists them.\n"
"-S runs a sink for the network tests (TCP sink/echo, UDP count) until\n"
"interrupted.\n",
	.epilog = "Exit status: 0 done, 1 a test could not run (it says why), 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	int samples = 10, list = 0;
	double min_ms = 20;
	const char *target = NULL, *sink = NULL;
	const struct opt opts[] = {
		OPT_INT('n', NULL, &samples, "SAMPLES", 10, 1000, "samples per test (default 10)"),
		OPT_POSITIVE('m', NULL, &min_ms, "MS", "shortest sample, ms (default 20)"),
		OPT_STRING('f', NULL, &read_path, "FILE", "the file read-latency/read-bandwidth read (O_DIRECT)"),
		OPT_STRING('H', NULL, &target, "HOST:PORT", "the sink of the network tests (default: one here)"),
		OPT_STRING('S', NULL, &sink, "[ADDR:]PORT", "be a sink"),
		OPT_BOOL('l', NULL, &list, "list the tests"),
		OPT_END()
	};

	bench_set_program("virtbench");
	first_test = opt_parse(argc, argv, opts, &usage, 0);
	if (first_test == OPT_HELP)
		return 0;
	if (first_test < 0)
		return 2;
	if (sink)
		return run_sink(sink);
	if (list) {
		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			printf("%-16s %s\n", tests[i].name, tests[i].what);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int a = first_test; a < argc; a++) {
		int known = 0;
		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			known |= !strcmp(argv[a], tests[i].name);
		if (!known) {
			fprintf(stderr, "virtbench: no test '%s' (virtbench -l lists them)\n", argv[a]);
			return 2;
		}
	}
	int all = first_test == argc, ret = 0, reads = 1;
	if (all || named(argc, argv, "read-latency") || named(argc, argv, "read-bandwidth")) {
		const char *why = NULL;
		if (read_prepare(&why)) {
			reads = 0;
			if (!all) {
				fprintf(stderr, "virtbench: %s: %s\n", read_path, why);
				return 1;
			}
			printf("read-latency, read-bandwidth: skipped: %s: %s\n", read_path, why);
		}
	}
	int net = all;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		net |= tests[i].net && named(argc, argv, tests[i].name);
	if (net && net_prepare(target))
		return 1;
	burn = mmap(NULL, MEMBURN_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (burn == MAP_FAILED) {
		die_errno("mmap");
		return 1;
	}
	memset(burn, 0, MEMBURN_BYTES);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!all && !named(argc, argv, tests[i].name))
			continue;
		if (!reads && (tests[i].run == t_read_latency || tests[i].run == t_read_bandwidth))
			continue;
		if (measure(&tests[i], samples, min_ms * 1e6))
			ret = 1;
		if (tests[i].run == t_udp_bandwidth)
			udp_report();
	}
	net_cleanup();
	return ret;
}
