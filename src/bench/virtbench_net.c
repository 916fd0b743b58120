/* virtbench's network tests and the peer they talk to. The peer ("sink",
 * virtbench -S) is one this program forks on 127.0.0.1 (local), the host
 * (-H to it from a guest), or another guest over a private link (the
 * inter-guest tests: the host carries the link on loopback). One TCP port
 * and the same UDP port: a TCP connection's first byte picks the service
 * -- 'E' echoes (ping-pong), 'C' answers how many UDP bytes arrived since
 * the last 'C' (u64), anything else is discarded (bandwidth, sendfile).
 * Clients come one at a time, as virtbench runs its tests in turn. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "virtbench.h"

#define TCP_CHUNK (64UL << 10)
#define SENDFILE_BYTES (1UL << 20)
#define UDP_BYTES 1024

static struct sockaddr_storage sink_addr;
static socklen_t sink_len;
static pid_t sink_pid;
static uint64_t udp_sent, udp_received;	/* bytes, for the loss line */
/* the sink's own account, printed when it is stopped (-S) */
static volatile sig_atomic_t sink_stop;
static uint64_t sink_conns, sink_tcp_bytes, sink_udp_bytes;

static int net_errno(const char *what)
{
	fprintf(stderr, "virtbench: %s: %s\n", what, strerror(errno));
	return -1;
}

/* Count the UDP datagrams queued now: since the last 'C', and in all. */
static void count_udp(int udp, uint64_t *udp_bytes)
{
	static char buf[2048];
	ssize_t n;

	while ((n = recv(udp, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		*udp_bytes += n;
		sink_udp_bytes += n;
	}
}

/* Serve a TCP connection until the peer closes it; UDP datagrams that
 * arrive meanwhile are still counted. */
static void serve_conn(int c, int udp, uint64_t *udp_bytes)
{
	static char buf[1 << 16];
	char mode = 0;

	while (!sink_stop) {
		struct pollfd p[2] = { { c, POLLIN, 0 }, { udp, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents & POLLIN)
			count_udp(udp, udp_bytes);
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t n = read(c, buf, sizeof(buf));
		if (n <= 0)
			return;
		sink_tcp_bytes += n;
		if (!mode) {
			mode = buf[0];
			if (mode == 'C') {
				count_udp(udp, udp_bytes);	/* what already arrived counts */
				if (write(c, udp_bytes, sizeof(*udp_bytes)) < 0)
					return;
				*udp_bytes = 0;
			}
		}
		if (mode == 'E' && write(c, buf, n) != n)
			return;
	}
}

static void sink_serve(int lfd, int udp)
{
	uint64_t udp_bytes = 0;

	while (!sink_stop) {
		struct pollfd p[2] = { { lfd, POLLIN, 0 }, { udp, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents & POLLIN)
			count_udp(udp, &udp_bytes);
		if (p[0].revents & POLLIN) {
			int c = accept(lfd, NULL, NULL);
			if (c >= 0) {
				int one = 1;	/* echoes go at once */
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				sink_conns++;
				serve_conn(c, udp, &udp_bytes);
				close(c);
			}
		}
	}
}

/* TCP and UDP bound on addr:port (port 0: any free TCP port, the UDP
 * socket then takes the same number). */
static int sink_bind(const char *addr, unsigned port, struct sockaddr_in *sa, int *udp)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len = sizeof(*sa);

	*sa = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port) };
	if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1) {
		fprintf(stderr, "virtbench: %s: not an IPv4 address\n", addr);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, sizeof(*sa)) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)sa, &len)) {
		fprintf(stderr, "virtbench: cannot listen on %s:%u: %s\n", addr, port, strerror(errno));
		return -1;
	}
	*udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rcvbuf = 4 << 20;
	setsockopt(*udp, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (*udp < 0 || bind(*udp, (struct sockaddr *)sa, sizeof(*sa))) {
		fprintf(stderr, "virtbench: cannot bind UDP %s:%u: %s\n", addr, ntohs(sa->sin_port), strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int net_prepare(const char *target)
{
	if (!target) {
		struct sockaddr_in sa;
		int udp, lfd = sink_bind("127.0.0.1", 0, &sa, &udp);
		if (lfd < 0)
			return -1;
		sink_pid = fork();
		if (sink_pid == 0) {
			sink_serve(lfd, udp);
			_exit(0);
		}
		close(lfd);
		close(udp);
		memcpy(&sink_addr, &sa, sizeof(sa));
		sink_len = sizeof(sa);
		return sink_pid < 0 ? net_errno("fork") : 0;
	}
	char host[256];
	const char *colon = strrchr(target, ':');
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	if (!colon || colon == target || (size_t)(colon - target) >= sizeof(host)) {
		fprintf(stderr, "virtbench: -H %s: HOST:PORT\n", target);
		return -1;
	}
	memcpy(host, target, colon - target);
	host[colon - target] = 0;
	int err = getaddrinfo(host, colon + 1, &hints, &ai);
	if (err) {
		fprintf(stderr, "virtbench: -H %s: %s\n", target, gai_strerror(err));
		return -1;
	}
	memcpy(&sink_addr, ai->ai_addr, ai->ai_addrlen);
	sink_len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

void net_cleanup(void)
{
	if (sink_pid > 0) {
		kill(sink_pid, SIGKILL);
		waitpid(sink_pid, NULL, 0);
	}
}

/* A connection to the sink, its first byte sent (the service). */
static int sink_connect(char service)
{
	int one = 1, fd = socket(sink_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sink_addr, sink_len)) {
		net_errno("connect to the sink (virtbench -S)");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (write(fd, &service, 1) != 1) {
		close(fd);
		return net_errno("send to the sink");
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w <= 0)
			return net_errno("send to the sink");
		p += w;
		len -= w;
	}
	return 0;
}

/* tcp-bandwidth: 64 KiB sends. */
int t_tcp_bandwidth(long n)
{
	static char chunk[TCP_CHUNK];
	int fd = sink_connect('S');

	if (fd < 0)
		return -1;
	for (long i = 0; i < n; i++)
		if (write_all(fd, chunk, TCP_CHUNK)) {
			close(fd);
			return -1;
		}
	close(fd);
	return 0;
}

/* ping-pong: one byte there and back over TCP (no Nagle). */
int t_ping_pong(long n)
{
	int fd = sink_connect('E');
	char b = 'p';

	if (fd < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		if (write(fd, &b, 1) != 1 || read(fd, &b, 1) != 1) {
			close(fd);
			return net_errno("ping-pong with the sink");
		}
	}
	close(fd);
	return 0;
}

/* sendfile: 1 MiB from a file (in memory: memfd) to the socket. */
int t_sendfile(long n)
{
	static int mfd = -1;
	int fd;

	if (mfd < 0) {
		mfd = memfd_create("virtbench-sendfile", MFD_CLOEXEC);
		if (mfd < 0 || ftruncate(mfd, SENDFILE_BYTES))
			return net_errno("memfd");
	}
	if ((fd = sink_connect('S')) < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		off_t off = 0;
		while (off < (off_t)SENDFILE_BYTES) {
			if (sendfile(fd, mfd, &off, SENDFILE_BYTES - off) <= 0) {
				close(fd);
				return net_errno("sendfile");
			}
		}
	}
	close(fd);
	return 0;
}

/* udp-bandwidth: 1 KiB datagrams, as fast as they go; what arrived is
 * asked afterwards ('C'), so the loss can be reported beside the rate. */
int t_udp_bandwidth(long n)
{
	static char dgram[UDP_BYTES];
	int fd = socket(sink_addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint64_t got = 0;

	if (fd < 0 || connect(fd, (struct sockaddr *)&sink_addr, sink_len)) {
		if (fd >= 0)
			close(fd);
		return net_errno("udp socket");
	}
	for (long i = 0; i < n; i++)
		if (send(fd, dgram, sizeof(dgram), 0) == (ssize_t)sizeof(dgram))
			udp_sent += sizeof(dgram);
	close(fd);
	/* the count travels behind the datagrams on the same path */
	int c = sink_connect('C');
	if (c < 0)
		return -1;
	ssize_t r = read(c, &got, sizeof(got));
	close(c);
	if (r != sizeof(got))
		return net_errno("the sink's UDP count");
	udp_received += got;
	return 0;
}

void udp_report(void)
{
	if (udp_sent)
		printf("udp-bandwidth: %.2f%% of %llu datagrams lost\n",
		       100.0 * (udp_sent - (udp_received < udp_sent ? udp_received : udp_sent)) / udp_sent,
		       (unsigned long long)(udp_sent / UDP_BYTES));
}

static void on_stop(int sig)
{
	sink_stop = 1;
}

/* -S [ADDR:]PORT: be the sink (on the host, or the serving guest) until
 * SIGINT/SIGTERM, then account for what arrived. */
int run_sink(const char *spec)
{
	char addr[64] = "127.0.0.1";
	const char *colon = strrchr(spec, ':');
	struct sockaddr_in sa;
	int udp;

	if (colon && (size_t)(colon - spec) < sizeof(addr)) {
		memcpy(addr, spec, colon - spec);
		addr[colon - spec] = 0;
	}
	unsigned port;
	if (parse_port(colon ? colon + 1 : spec, &port))
		return bench_usage_error("-S", spec, "[ADDR:]PORT");
	int lfd = sink_bind(addr, port, &sa, &udp);
	if (lfd < 0)
		return 1;
	struct sigaction sa_stop = { .sa_handler = on_stop };	/* no SA_RESTART: poll returns */
	sigaction(SIGINT, &sa_stop, NULL);
	sigaction(SIGTERM, &sa_stop, NULL);
	printf("sink on %s:%d (TCP and UDP)\n", addr, port);
	fflush(stdout);
	sink_serve(lfd, udp);
	printf("sink: %llu connections, %.2f MB over TCP, %.2f MB over UDP\n", (unsigned long long)sink_conns,
	       sink_tcp_bytes / 1048576.0, sink_udp_bytes / 1048576.0);
	return 0;
}
