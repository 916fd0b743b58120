/* Barrier release skew on loopback: N simulated guests (threads, each
 * connecting like mmtests-sync does) pass M barriers; skew = last minus
 * first RELEASE arrival at the guests' sockets (kernel receive timestamps,
 * SO_TIMESTAMPNS, so 64 threads sharing 2 CPUs do not blur it), and the
 * first-to-last time the guest threads saw it. --idle K first opens K
 * connections that never speak (a flood must not lock members out; the
 * barrier closes them after its HELLO timeout). tools/bench-barrier. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "barrier.h"
#include "options.h"
#include "spawn.h"
#include "sync_client.h"
#include "units.h"
#include "xalloc.h"

static int N = 64, M = 200;
static double *seen;	/* [barrier][guest], when the thread saw it */
static double *arrived;	/* [barrier][guest], kernel receive timestamp */
static struct sync_endpoint ep;

/* sync_wait's exchange, with the receive timestamp of the RELEASE. */
static int wait_stamped(const char *name, double *kernel_ts)
{
	char msg[128], buf[128], ctl[256];
	int fd = sync_endpoint_connect(&ep), one = 1;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			     .msg_controllen = sizeof(ctl) };

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	snprintf(msg, sizeof(msg), "HELLO %s bench\nARRIVE test_do\n", name);
	if (write(fd, msg, strlen(msg)) < 0 || recvmsg(fd, &mh, 0) <= 0) {
		close(fd);
		return -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			*kernel_ts = ts.tv_sec + ts.tv_nsec / 1e9;
		}
	}
	close(fd);
	return strncmp(buf, "RELEASE", 7) ? -1 : 0;
}

static void *guest(void *arg)
{
	long g = (long)arg;
	char name[16];

	snprintf(name, sizeof(name), "g%ld", g);
	for (int i = 0; i < M; i++) {
		if (wait_stamped(name, &arrived[(size_t)i * N + g]))
			exit(1);
		seen[(size_t)i * N + g] = monotonic_now();
	}
	return NULL;
}

/* Per-barrier spread (ms) of v[barrier][guest], sorted. */
static double *spread(const double *v)
{
	double *s = xcalloc(M, sizeof(double));

	for (int i = 0; i < M; i++) {
		double lo = 1e300, hi = -1e300;
		for (int g = 0; g < N; g++) {
			double x = v[(size_t)i * N + g];
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
		}
		s[i] = (hi - lo) * 1000;
	}
	return s;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned port;
	char spec[64];

	static const struct opt_usage u = { "barrier-bench", "[MEMBERS [SYNC_POINTS]]",
		"Release skew and latency of the barrier with MEMBERS clients (default 64)\n"
		"over SYNC_POINTS sync points (default 200), on loopback.\n", NULL };
	const char *idle_arg = NULL;
	const struct opt opts[] = {
		OPT_STRING(0, "idle", &idle_arg, "K", "open K idle connections first"),
		OPT_END()
	};
	int first = opt_parse(argc, argv, opts, &u, 0);
	long idle = 0;
	long v;
	char *end;

	if (first < 0)
		return first == OPT_HELP ? 0 : 2;
	for (int i = first; i < argc && i < first + 2; i++) {
		v = strtol(argv[i], &end, 10);
		if (end == argv[i] || *end || v < 1 || v > 100000) {
			fprintf(stderr, "barrier-bench: '%s': a whole number from 1 to 100000\n", argv[i]);
			return 2;
		}
		*(i == first ? &N : &M) = v;
	}
	if (idle_arg && (parse_long(idle_arg, 0, 100000, &idle))) {
		fprintf(stderr, "barrier-bench: --idle '%s': a whole number from 0 to 100000\n", idle_arg);
		return 2;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;	/* the idle ones and the barrier's side of them */
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	seen = xcalloc((size_t)N * M, sizeof(double));
	arrived = xcalloc((size_t)N * M, sizeof(double));
	struct barrier *b = barrier_new("bench", NULL);
	for (int i = 0; i < N; i++) {
		char n[16];
		snprintf(n, sizeof(n), "g%d", i);
		barrier_add_member(b, n, NULL);
	}
	if (barrier_listen_tcp(b, "127.0.0.1", 0, &port) || barrier_start(b))
		return 1;
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	sync_endpoint_parse(spec, &ep);
	int *idle_fd = xcalloc(idle + 1, sizeof(int)), nidle = 0;
	for (long i = 0; i < idle; i++)
		if ((idle_fd[nidle] = sync_endpoint_connect(&ep)) >= 0)
			nidle++;
	pthread_t *t = xcalloc(N, sizeof(*t));
	double t0 = monotonic_now();
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, guest, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	double total = monotonic_now() - t0;
	double *skew = spread(seen), *kskew = spread(arrived);
	qsort(kskew, M, sizeof(double), cmp);
	qsort(skew, M, sizeof(double), cmp);
	double *w;
	int nw = barrier_skews(b, &w);
	qsort(w, nw, sizeof(double), cmp);
	printf("%d guests x %d barriers on loopback TCP, %d idle connections opened first: "
	       "%.1f barriers/s, none lost\n", N, M, nidle, M / total);
	printf("  release skew at the guests' sockets (ms): p50 %.3f  p99 %.3f  max %.3f\n",
	       kskew[M / 2], kskew[(int)(M * 0.99)], kskew[M - 1]);
	printf("  seen by the guest threads (ms):           p50 %.3f  p99 %.3f  max %.3f\n", skew[M / 2],
	       skew[(int)(M * 0.99)], skew[M - 1]);
	printf("  host release loop (ms):                   p50 %.3f  p99 %.3f  max %.3f\n", w[nw / 2] * 1000,
	       w[(int)(nw * 0.99)] * 1000, w[nw - 1] * 1000);
	barrier_free(b);
	for (int i = 0; i < nidle; i++)
		close(idle_fd[i]);
	free(idle_fd);
	free(w);
	free(skew);
	free(kskew);
	free(arrived);
	free(t);
	free(seen);
	return 0;
}
