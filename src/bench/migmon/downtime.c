/* Network downtime probes. server_rr echoes UDP probes; client_rr sends
 * one every INTERVAL ms, waits up to INTERVAL for its echo, and records the
 * gap between consecutive replies: the first gap is the baseline, a gap of
 * twice that or more is a spike (logged as "epoch,delay_ms", as mig_mon
 * does), unanswered probes are lost. server/client do the same one way.
 * Probes are "echo" followed by a sequence number, so a late echo is not
 * mistaken for the current one; mig_mon's server echoes them unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "migmon.h"
#include "options.h"

struct gaps {
	int64_t last_us;	/* last reply (or arrival) */
	int64_t baseline_ms, max_ms;
	int64_t floor_ms;	/* the baseline is at least this: the probe interval when known */
	uint64_t replies, spikes;
	FILE *spike_log;
};

static void gap_event(struct gaps *g)
{
	int64_t now = now_us();

	if (g->last_us) {
		int64_t gap = (now - g->last_us) / 1000;
		if (!g->baseline_ms) {
			/* mig_mon takes the first gap as it comes; two replies
			 * that arrive together made it ~0 and every later gap a
			 * "spike". The gap cannot be shorter than the interval. */
			g->baseline_ms = gap > g->floor_ms ? gap : g->floor_ms > 0 ? g->floor_ms : 1;
			printf("1st and 2nd packet latency: %lld (ms); spikes are %lld (ms) or more\n",
			       (long long)g->baseline_ms, (long long)g->baseline_ms * 2);
			if (g->spike_log)
				fprintf(g->spike_log, "%lld,-1\n", (long long)time(NULL));
		} else {
			if (gap > g->max_ms)
				g->max_ms = gap;
			if (gap >= 2 * g->baseline_ms) {
				g->spikes++;
				printf("spike: %lld (ms) at %lld\n", (long long)gap, (long long)time(NULL));
				if (g->spike_log) {
					fprintf(g->spike_log, "%lld,%lld\n", (long long)time(NULL), (long long)gap);
					fflush(g->spike_log);
				}
			}
		}
	}
	g->last_us = now;
	g->replies++;
}

static FILE *open_log(const char *path)
{
	FILE *f;

	if (!path)
		return NULL;
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "mig-mon: cannot write the spike log %s: %s\n", path, strerror(errno));
	return f;
}

static int udp_bound(unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_ANY) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "mig-mon: cannot listen on UDP port %u: %s%s\n", port, strerror(errno),
			errno == EADDRINUSE ? " (another program has it; choose another with -p)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The one-way server counts probes that never arrived from the gaps in
 * the client's sequence numbers (mig_mon's client sends no numbers: then
 * nothing is counted lost). */
struct probe_seq {
	uint64_t first, last, numbered;
};

static void seq_event(struct probe_seq *q, const char *buf, ssize_t n)
{
	uint64_t s;

	if (n != 12 || memcmp(buf, "echo", 4))
		return;
	memcpy(&s, buf + 4, sizeof(s));
	if (!q->numbered++)
		q->first = s;
	if (s > q->last)
		q->last = s;
}

static void server_summary(const struct gaps *g, const struct probe_seq *q, const char *json)
{
	uint64_t lost = q->numbered && q->last - q->first + 1 > q->numbered ?
			q->last - q->first + 1 - q->numbered : 0;

	printf("Summary: %llu probes, %llu lost, baseline %lld (ms), max gap %lld (ms), %llu spikes\n",
	       (unsigned long long)g->replies, (unsigned long long)lost, (long long)g->baseline_ms,
	       (long long)g->max_ms, (unsigned long long)g->spikes);
	if (!json)
		return;
	json_write_file(json, json_pack("{s:I,s:I,s:I,s:I,s:I}", "probes", (json_int_t)g->replies,
					 "lost", (json_int_t)lost, "baseline_ms", (json_int_t)g->baseline_ms,
					 "max_gap_ms", (json_int_t)g->max_ms, "spikes", (json_int_t)g->spikes));
}

int cmd_server(int argc, char **argv, int rr)
{
	int port = MIGMON_PORT;
	struct gaps g = { 0 };
	struct probe_seq q = { 0 };
	const char *json = NULL;
	char buf[1024];
	static const struct opt_usage u = {
		"mig-mon server", "[-p PORT] [-j JSON] [SPIKE_LOG]",
		"Receive one-way UDP probes (from mig-mon client); report gaps and lost probes.\n", NULL };
	static const struct opt_usage u_rr = {
		"mig-mon server_rr", "[-p PORT]", "Echo UDP probes back (to mig-mon client_rr).\n", NULL };
	const struct opt opts[] = {
		OPT_INT('p', NULL, &port, "PORT", 1, 65535, "UDP port (default 12323)"),
		OPT_STRING('j', NULL, &json, "JSON", "the summary as JSON into this file"),
		OPT_END()
	};
	const struct opt opts_rr[] = { opts[0], OPT_END() };
	int first = opt_parse(argc, argv, rr ? opts_rr : opts, rr ? &u_rr : &u, 0);

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	int fd = udp_bound(port);
	if (fd < 0)
		return 1;
	if (!rr)
		g.spike_log = open_log(first < argc ? argv[first] : NULL);
	printf("listening on UDP port %d (%s)\n", port, rr ? "echo" : "one-way probes");
	while (!migmon_stop) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
		if (n < 0)
			continue;	/* EINTR: the loop checks migmon_stop */
		if (rr) {
			sendto(fd, buf, n, 0, (struct sockaddr *)&peer, plen);
		} else {
			gap_event(&g);
			seq_event(&q, buf, n);
		}
	}
	if (!rr)
		server_summary(&g, &q, json);
	if (g.spike_log)
		fclose(g.spike_log);
	close(fd);
	return 0;
}

static int udp_connected(const char *host, unsigned port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM }, *ai;
	char ps[8];
	int fd, err;

	snprintf(ps, sizeof(ps), "%u", port);
	if ((err = getaddrinfo(host, ps, &hints, &ai))) {
		fprintf(stderr, "mig-mon client: %s: %s\n", host, gai_strerror(err));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		fprintf(stderr, "mig-mon client: %s: %s\n", host, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int cmd_client(int argc, char **argv, int rr)
{
	int port = MIGMON_PORT;
	double duration = 0, interval = 1000;
	const char *json = NULL;
	struct gaps g = { 0 };
	uint64_t seq = 0, lost = 0;
	static const struct opt_usage u = {
		"mig-mon client", "[-p PORT] [-D SECS] [-j JSON] HOST [INTERVAL_MS]",
		"Send sequence-numbered UDP probes to a mig-mon server every INTERVAL_MS (default 1000).\n",
		NULL };
	static const struct opt_usage u_rr = {
		"mig-mon client_rr", "[-p PORT] [-D SECS] [-j JSON] HOST [INTERVAL_MS [SPIKE_LOG]]",
		"Probe a mig-mon server_rr and measure the reply gaps (downtime).\n", NULL };
	const struct opt opts[] = {
		OPT_INT('p', NULL, &port, "PORT", 1, 65535, "UDP port (default 12323)"),
		OPT_POSITIVE('D', NULL, &duration, "SECS", "stop after SECS (default: at Ctrl-C)"),
		OPT_STRING('j', NULL, &json, "JSON", "the summary as JSON into this file"),
		OPT_END()
	};
	int first = opt_parse(argc, argv, opts, rr ? &u_rr : &u, 0);

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (first >= argc) {
		fprintf(stderr, "mig-mon client%s: the server's HOST is missing\n", rr ? "_rr" : "");
		return 2;
	}
	const char *host = argv[first];
	if (first + 1 < argc && parse_positive(argv[first + 1], &interval)) {
		fprintf(stderr, "mig-mon client: interval '%s': a positive number of ms\n", argv[first + 1]);
		return 2;
	}
	if (rr)
		g.spike_log = open_log(first + 2 < argc ? argv[first + 2] : NULL);
	int fd = udp_connected(host, port);
	if (fd < 0)
		return 1;
	g.floor_ms = (int64_t)interval;
	printf("probing %s:%d every %g ms (%s)\n", host, port, interval, rr ? "round trip" : "one way");
	int64_t start = now_us(), next = start;
	while (!migmon_stop && !(duration > 0 && now_us() - start >= duration * 1e6)) {
		char msg[12] = "echo", got[1024];
		memcpy(msg + 4, &seq, sizeof(seq));
		/* ECONNREFUSED while the server is away (migrating): keep going */
		if (send(fd, msg, sizeof(msg), 0) < 0 && errno != ECONNREFUSED && errno != EINTR) {
			fprintf(stderr, "mig-mon client: send: %s\n", strerror(errno));
			break;
		}
		next += (int64_t)(interval * 1000);
		int answered = !rr;
		while (rr && !migmon_stop) {
			int64_t wait = next - now_us();
			struct pollfd p = { fd, POLLIN, 0 };
			if (wait <= 0 || poll(&p, 1, (int)((wait + 999) / 1000)) <= 0)
				break;
			ssize_t n = recv(fd, got, sizeof(got), 0);
			uint64_t s;
			if (n == (ssize_t)sizeof(msg) && !memcmp(got, "echo", 4) &&
			    (memcpy(&s, got + 4, sizeof(s)), s == seq)) {
				gap_event(&g);
				answered = 1;
			} else if (n > 0 && memcmp(got, "echo", 4)) {
				fprintf(stderr, "mig-mon client: a reply that is not an echo of ours (%zd bytes): "
					"is %s:%u a mig-mon server_rr?\n", n, host, port);
			}
			/* a late echo of an earlier probe: read on */
		}
		if (!answered)
			lost++;
		seq++;
		int64_t rest = next - now_us();	/* signed: never sleep for an overrun */
		if (rest > 0 && !migmon_stop)
			usleep(rest);
	}
	double secs = (now_us() - start) / 1e6;
	printf("Summary: %llu probes in %.1f s, %llu answered, %llu lost, baseline %lld (ms), max gap %lld (ms), "
	       "%llu spikes\n", (unsigned long long)seq, secs, (unsigned long long)(rr ? g.replies : seq),
	       (unsigned long long)lost, (long long)g.baseline_ms, (long long)g.max_ms,
	       (unsigned long long)g.spikes);
	if (json)
		json_write_file(json, json_pack("{s:I,s:I,s:I,s:o,s:I,s:I,s:I,s:o}", "probes", (json_int_t)seq,
						 "answered", (json_int_t)g.replies, "lost", (json_int_t)lost,
						 "interval_ms", json_fixed(interval, 3),
						 "baseline_ms", (json_int_t)g.baseline_ms,
						 "max_gap_ms", (json_int_t)g.max_ms, "spikes", (json_int_t)g.spikes,
						 "seconds", json_fixed(secs, 2)));
	if (g.spike_log)
		fclose(g.spike_log);
	close(fd);
	return 0;
}
