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
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MEMBURN_BYTES (64UL << 20)

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Each test: prepare once, run n operations, clean up. */
struct test {
	const char *name;
	const char *what;
	int (*run)(long n);
};

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

static const struct test tests[] = {
	{ "context-switch", "pipe ping-pong round trip between two processes", t_context_switch },
	{ "fork", "fork and reap a child that exits", t_fork },
	{ "exec", "fork, exec /bin/true, reap", t_exec },
	{ "libc-syscall", "getppid system call", t_syscall },
	{ "cow", "copy-on-write fault of one page", t_cow },
	{ "memburn-linear", "one cache line, sequentially over 64 MiB", t_memburn_linear },
	{ "memburn-random", "one cache line, at random over 64 MiB", t_memburn_random },
	{ "pte-update", "mremap of a populated page", t_pte_update },
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
	printf("\n");
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	int samples = 10, c;
	double min_ms = 20;

	while ((c = getopt(argc, argv, "n:m:lh")) != -1) {
		switch (c) {
		case 'n':
			samples = atoi(optarg);
			if (samples < 10 || samples > 1000) {
				fprintf(stderr, "virtbench: -n %s: 10 to 1000 samples\n", optarg);
				return 2;
			}
			break;
		case 'm':
			min_ms = atof(optarg);
			if (!(min_ms > 0)) {
				fprintf(stderr, "virtbench: -m %s: a positive sample length in ms\n", optarg);
				return 2;
			}
			break;
		case 'l':
			for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
				printf("%-16s %s\n", tests[i].name, tests[i].what);
			return 0;
		default:
			fprintf(stderr, "usage: virtbench [-n SAMPLES(>=10)] [-m MIN_SAMPLE_MS] [-l] [TEST...]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	burn = mmap(NULL, MEMBURN_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (burn == MAP_FAILED) {
		die_errno("mmap");
		return 1;
	}
	memset(burn, 0, MEMBURN_BYTES);
	int ret = 0;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int want = optind == argc;
		for (int a = optind; a < argc; a++)
			want |= !strcmp(argv[a], tests[i].name);
		if (want && measure(&tests[i], samples, min_ms * 1e6))
			ret = 1;
	}
	for (int a = optind; a < argc; a++) {
		int known = 0;
		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			known |= !strcmp(argv[a], tests[i].name);
		if (!known) {
			fprintf(stderr, "virtbench: no test '%s' (virtbench -l lists them)\n", argv[a]);
			ret = 2;
		}
	}
	return ret;
}
