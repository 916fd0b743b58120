/* vm: emulate a live-migration stream between two hosts (or VMs).
 * Precopy: the source streams pages -- a 16-byte header (two host-order
 * u64: magic SEND_PAGE and the page index) and the page's bytes -- buffered
 * as QEMU does (64 iovecs of 32 KiB per flush). Postcopy: the destination
 * requests random pages (header magic REQ_PAGE, no payload) one at a time
 * and times each until the page arrives; a HANDSHAKE header from the
 * source turns it on. Both share one socket. Wire-compatible with mig_mon. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "migmon.h"
#include "options.h"

#define MAGIC_SEND_PAGE	0x123
#define MAGIC_REQ_PAGE	0x124
#define MAGIC_HANDSHAKE	0x125
#define IO_BUF		32768
#define MAX_IOV		64

struct page_header {
	uint64_t magic;
	uint64_t index;
};

struct vm {
	int sock;
	int precopy, postcopy;
	uint64_t npages;
	size_t page;
	double duration;
	int64_t t0;
	/* source: the iovec send buffer */
	struct iovec iov[MAX_IOV];
	int cur;
	size_t cur_len;
	int req_pipe[2];	/* src: requested pages; dst: request answered */
	volatile int quit;
	uint64_t sent_bytes;
	/* destination: the page asked for, or UINT64_MAX */
	volatile uint64_t want;
};

static int timed_out(struct vm *vm)
{
	return migmon_stop || vm->quit ||
	       (vm->duration > 0 && now_us() - vm->t0 >= vm->duration * 1e6);
}

/* Send every iovec in full: sendmsg may take only part of them. */
static int flush(struct vm *vm)
{
	struct iovec v[MAX_IOV];
	int n = vm->cur + (vm->cur_len > 0), first = 0;

	memcpy(v, vm->iov, sizeof(v));
	if (vm->cur_len)
		v[vm->cur].iov_len = vm->cur_len;
	while (first < n) {
		struct msghdr msg = { .msg_iov = v + first, .msg_iovlen = n - first };
		ssize_t r = sendmsg(vm->sock, &msg, MSG_NOSIGNAL);
		if (r < 0) {
			/* EAGAIN: SO_SNDTIMEO passed with a full socket (a
			 * destination that stopped reading): go on until -D */
			if ((errno == EINTR || errno == EAGAIN) && !timed_out(vm))
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		vm->sent_bytes += r;
		while (r > 0 && first < n) {
			if ((size_t)r >= v[first].iov_len) {
				r -= v[first].iov_len;
				first++;
			} else {
				v[first].iov_base = (char *)v[first].iov_base + r;
				v[first].iov_len -= r;
				r = 0;
			}
		}
	}
	vm->cur = 0;
	vm->cur_len = 0;
	return 0;
}

/* Append len bytes (zeros when data is NULL); a full set of iovecs goes. */
static int append(struct vm *vm, const void *data, size_t len)
{
	while (len) {
		size_t room = IO_BUF - vm->cur_len, n = len < room ? len : room;
		char *p = (char *)vm->iov[vm->cur].iov_base + vm->cur_len;
		if (data) {
			memcpy(p, data, n);
			data = (const char *)data + n;
		} else {
			memset(p, 0, n);
		}
		vm->cur_len += n;
		len -= n;
		if (vm->cur_len == IO_BUF) {
			vm->cur++;
			vm->cur_len = 0;
			if (vm->cur == MAX_IOV) {
				int ret = flush(vm);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

static int send_page(struct vm *vm, uint64_t index)
{
	struct page_header h = { MAGIC_SEND_PAGE, index };
	int ret = append(vm, &h, sizeof(h));

	return ret ? ret : append(vm, NULL, vm->page);
}

/* Read exactly len bytes (into NULL: discard); 0, or -1 at EOF/error. */
static int read_full(int fd, void *buf, size_t len)
{
	static char sink[65536];

	while (len) {
		size_t want = len;
		char *dst = buf;
		if (!buf) {
			dst = sink;
			if (want > sizeof(sink))
				want = sizeof(sink);
		}
		ssize_t r = read(fd, dst, want);
		if (r < 0 && errno == EINTR && !migmon_stop)
			continue;
		if (r <= 0)
			return -1;
		if (buf)
			buf = (char *)buf + r;
		len -= r;
	}
	return 0;
}

/* The destination's reads, buffered: a page and its header come from one
 * large read instead of two small ones each (the receive cost per MB was
 * 5.5x the original mig_mon's, and requested pages queued behind it). */
struct rbuf {
	int fd;
	struct vm *vm;		/* its -D deadline ends a read that waits */
	size_t pos, len;
	char buf[1 << 20];
};

static int rbuf_read(struct rbuf *rb, void *dst, size_t n)
{
	while (n) {
		if (rb->pos == rb->len) {
			ssize_t r = read(rb->fd, rb->buf, sizeof(rb->buf));
			/* the socket times out every 200 ms: a stalled peer
			 * does not outlast -D or Ctrl-C */
			if (r < 0 && (errno == EINTR || errno == EAGAIN) && !timed_out(rb->vm))
				continue;
			if (r <= 0)
				return -1;
			rb->pos = 0;
			rb->len = r;
		}
		size_t k = rb->len - rb->pos < n ? rb->len - rb->pos : n;
		if (dst) {
			memcpy(dst, rb->buf + rb->pos, k);
			dst = (char *)dst + k;
		}
		rb->pos += k;
		n -= k;
	}
	return 0;
}

static void *src_receiver(void *arg)
{
	struct vm *vm = arg;
	struct page_header h;

	while (!vm->quit && read_full(vm->sock, &h, sizeof(h)) == 0) {
		if (h.magic != MAGIC_REQ_PAGE) {
			fprintf(stderr, "mig-mon: page request magic incorrect: 0x%llx (not a mig-mon peer?)\n",
				(unsigned long long)h.magic);
			break;
		}
		if (write(vm->req_pipe[1], &h.index, sizeof(h.index)) != sizeof(h.index))
			break;
	}
	vm->quit = 1;
	return NULL;
}

static int run_src(struct vm *vm)
{
	pthread_t rx;
	uint64_t index = 0, last_bytes = 0, req;
	int64_t last = now_us();
	int ret = 0;

	for (int i = 0; i < MAX_IOV; i++) {
		vm->iov[i].iov_base = malloc(IO_BUF);
		vm->iov[i].iov_len = IO_BUF;
		if (!vm->iov[i].iov_base)
			return -ENOMEM;
	}
	if (vm->postcopy) {
		struct page_header h = { MAGIC_HANDSHAKE, 0 };
		if ((ret = append(vm, &h, sizeof(h))) || (ret = flush(vm)))
			return ret;
	}
	if (vm->precopy)
		printf("Starting PRECOPY streaming test...\n");
	pthread_create(&rx, NULL, src_receiver, vm);
	while (!timed_out(vm)) {
		if (vm->precopy) {
			if ((ret = send_page(vm, index)))
				break;
			if (++index >= vm->npages)
				index = 0;
		} else {
			struct pollfd p = { vm->req_pipe[0], POLLIN, 0 };
			poll(&p, 1, 100);	/* postcopy only: wait for requests */
		}
		/* requested pages go out at once, ahead of the stream */
		while (read(vm->req_pipe[0], &req, sizeof(req)) == sizeof(req)) {
			if ((ret = send_page(vm, req)) || (ret = flush(vm)))
				goto out;
		}
		int64_t now = now_us();
		if (now - last >= 1000000) {
			uint64_t bytes = vm->sent_bytes - last_bytes;
			printf("Speed: %llu (MB/s)\n", (unsigned long long)(bytes * 1000000 / (now - last) >> 20));
			last = now;
			last_bytes = vm->sent_bytes;
		}
	}
out:
	if (!ret)
		flush(vm);
	vm->quit = 1;
	shutdown(vm->sock, SHUT_RDWR);
	pthread_join(rx, NULL);
	double secs = (now_us() - vm->t0) / 1e6;
	printf("Total: %llu MB in %.1f s, average %.1f MB/s\n",
	       (unsigned long long)(vm->sent_bytes >> 20), secs, vm->sent_bytes / 1048576.0 / secs);
	if (ret && ret != -EPIPE && ret != -ECONNRESET && !migmon_stop)
		fprintf(stderr, "mig-mon: sending failed: %s\n", strerror(-ret));
	for (int i = 0; i < MAX_IOV; i++)
		free(vm->iov[i].iov_base);
	return ret && !migmon_stop && !(vm->duration > 0) ? 1 : 0;
}

/* Destination: time random page requests until the page comes back. */
static void *dst_requester(void *arg)
{
	struct vm *vm = arg;
	uint64_t count = 0, total = 0, max = 0, got;
	int64_t last = now_us();
	unsigned seed = (unsigned)now_us();

	printf("Starting POSTCOPY request-response test...\n");
	while (!vm->quit && !migmon_stop) {
		struct page_header h = { MAGIC_REQ_PAGE, (uint64_t)rand_r(&seed) % vm->npages };
		int64_t t = now_us();
		vm->want = h.index;
		if (write(vm->sock, &h, sizeof(h)) != sizeof(h))
			break;
		struct pollfd p = { vm->req_pipe[0], POLLIN, 0 };
		while (!vm->quit && !migmon_stop && poll(&p, 1, 200) == 0)
			;
		if (vm->quit || migmon_stop || read(vm->req_pipe[0], &got, sizeof(got)) != sizeof(got))
			break;
		int64_t now = now_us(), lat = now - t;
		if ((uint64_t)lat > max)
			max = lat;
		total += lat;
		count++;
		if (now - last >= 1000000) {
			printf("Latency: average %llu (us), max: %llu (us)\n",
			       (unsigned long long)(total / count), (unsigned long long)max);
			total = count = max = 0;
			last = now;
		}
	}
	return NULL;
}

static void serve_dst(struct vm *vm, const char *peer)
{
	struct page_header h;
	pthread_t req;
	int requesting = 0;
	uint64_t bytes = 0;

	struct rbuf *rb = calloc(1, sizeof(*rb));

	if (!rb) {
		fprintf(stderr, "mig-mon: out of memory\n");
		close(vm->sock);
		return;
	}
	rb->fd = vm->sock;
	rb->vm = vm;
	struct timeval tv = { 0, 200 * 1000 };
	setsockopt(vm->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("Connected from src VM %s.\n", peer);
	vm->quit = 0;
	vm->want = UINT64_MAX;
	while (!migmon_stop && rbuf_read(rb, &h, sizeof(h)) == 0) {
		if (h.magic == MAGIC_HANDSHAKE) {
			if (!requesting && pthread_create(&req, NULL, dst_requester, vm) == 0)
				requesting = 1;
			continue;
		}
		if (h.magic != MAGIC_SEND_PAGE) {
			fprintf(stderr, "mig-mon: magic error: 0x%llx from %s (not a mig-mon source?): dropping it\n",
				(unsigned long long)h.magic, peer);
			break;
		}
		if (h.index >= vm->npages) {
			fprintf(stderr, "mig-mon: page index overflow: 0x%llx from %s (its -S is larger than ours)\n",
				(unsigned long long)h.index, peer);
			break;
		}
		if (rbuf_read(rb, NULL, vm->page))
			break;
		bytes += sizeof(h) + vm->page;
		if (h.index == vm->want) {
			vm->want = UINT64_MAX;
			if (write(vm->req_pipe[1], &h.index, sizeof(h.index)) < 0)
				break;
		}
	}
	vm->quit = 1;
	free(rb);
	if (requesting)
		pthread_join(req, NULL);
	uint64_t drain;
	while (read(vm->req_pipe[0], &drain, sizeof(drain)) > 0)
		;
	close(vm->sock);
	printf("Dropped connection from src VM %s (received %llu MB).\n", peer,
	       (unsigned long long)(bytes >> 20));
}

struct dst_conn {
	struct vm vm;		/* a copy per connection: its socket, pipe, state */
	char peer[INET_ADDRSTRLEN];
};

static void *dst_thread(void *arg)
{
	struct dst_conn *c = arg;

	serve_dst(&c->vm, c->peer);
	close(c->vm.req_pipe[0]);
	close(c->vm.req_pipe[1]);
	free(c);
	return NULL;
}

static int run_dst(struct vm *vm, const char *bind_addr, unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "mig-mon: -b %s is not an IPv4 address\n", bind_addr);
		return 2;
	}
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 5) < 0) {
		fprintf(stderr, "mig-mon: cannot listen on %s:%u: %s%s\n", bind_addr, port, strerror(errno),
			errno == EADDRINUSE ? " (another program has it; choose another with -p)" : "");
		return 1;
	}
	puts("Start emulation of dst VM.");
	/* vm->quit ends one connection; the listener runs until -D or a signal */
	while (!migmon_stop && !(vm->duration > 0 && now_us() - vm->t0 >= vm->duration * 1e6)) {
		struct pollfd p = { ls, POLLIN, 0 };
		if (poll(&p, 1, 200) <= 0)
			continue;
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		int fd = accept4(ls, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		/* each source in its own thread: one that stalls holds no other */
		struct dst_conn *c = calloc(1, sizeof(*c));
		pthread_t t;
		if (!c || (memcpy(&c->vm, vm, sizeof(*vm)), pipe2(c->vm.req_pipe, O_NONBLOCK | O_CLOEXEC)) < 0) {
			free(c);
			close(fd);
			continue;
		}
		c->vm.sock = fd;
		inet_ntop(AF_INET, &peer.sin_addr, c->peer, sizeof(c->peer));
		if (pthread_create(&t, NULL, dst_thread, c)) {
			close(fd);
			close(c->vm.req_pipe[0]);
			close(c->vm.req_pipe[1]);
			free(c);
			continue;
		}
		pthread_detach(t);
	}
	close(ls);
	return 0;
}

/* connect(), given up at the -D deadline or Ctrl-C (an address that drops
 * SYNs would hold it for minutes). */
static int connect_until(struct vm *vm, int fd, const struct sockaddr *sa, socklen_t len)
{
	int fl = fcntl(fd, F_GETFL), err = 0;
	socklen_t el = sizeof(err);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, sa, len) < 0) {
		if (errno != EINPROGRESS)
			return -1;
		struct pollfd p = { fd, POLLOUT, 0 };
		for (;;) {
			int r = poll(&p, 1, 200);
			if (r > 0)
				break;
			if (r < 0 && errno != EINTR)
				return -1;
			if (timed_out(vm)) {
				errno = ETIMEDOUT;
				return -1;
			}
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
			errno = err ? err : errno;
			return -1;
		}
	}
	fcntl(fd, F_SETFL, fl);
	return 0;
}

static int connect_to(struct vm *vm, const char *host, unsigned port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *a;
	char ps[8];
	int fd = -1, err;

	snprintf(ps, sizeof(ps), "%u", port);
	if ((err = getaddrinfo(host, ps, &hints, &ai))) {
		fprintf(stderr, "mig-mon: -H %s: %s\n", host, gai_strerror(err));
		return -1;
	}
	for (a = ai; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect_until(vm, fd, a->ai_addr, a->ai_addrlen) < 0) {
			err = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0)
		fprintf(stderr, "mig-mon: cannot connect to the dst VM at %s:%u: %s\n", host, port, strerror(err));
	return fd;
}

int cmd_vm(int argc, char **argv)
{
	struct vm vm = { .page = sysconf(_SC_PAGESIZE) };
	const char *host = NULL, *bind_addr = "0.0.0.0";
	int port = MIGMON_PORT;
	double gb = 1024;	/* mig_mon's default: 1 TB */
	int src = 0, dst = 0;
	struct opt_list types = { 0 };
	static const struct opt_usage u = {
		"mig-mon vm", "-d [-p PORT] [-S GB] [-D SECS]\n"
		"       mig-mon vm -s -H HOST [-t precopy] [-t postcopy] [-p PORT] [-S GB] [-D SECS]",
		"Emulate a live-migration stream: precopy pages source -> destination (bandwidth\n"
		"printed every second on the source), postcopy page requests destination -> source\n"
		"(latency printed every second on the destination). Wire-compatible with mig_mon.\n", NULL };
	const struct opt opts[] = {
		OPT_BOOL('d', NULL, &dst, "the destination (listens)"),
		OPT_BOOL('s', NULL, &src, "the source (connects to -H)"),
		OPT_STRING('H', NULL, &host, "HOST", "the destination's address"),
		OPT_STRING('b', NULL, &bind_addr, "ADDR", "the destination listens there (default 0.0.0.0)"),
		OPT_LIST('t', NULL, &types, "TYPE", "precopy and/or postcopy (default precopy)"),
		OPT_INT('p', NULL, &port, "PORT", 1, 65535, "TCP port (default 12323)"),
		OPT_POSITIVE('S', NULL, &gb, "GB", "the VM's memory (default 1024)"),
		OPT_POSITIVE('D', NULL, &vm.duration, "SECS", "stop after SECS (default: at Ctrl-C)"),
		OPT_END()
	};
	int first = opt_parse(argc, argv, opts, &u, 0);

	if (first == OPT_HELP || first < 0) {
		free(types.v);
		return first == OPT_HELP ? 0 : 2;
	}
	for (int i = 0; i < types.n; i++) {
		if (!strcmp(types.v[i], "precopy"))
			vm.precopy = 1;
		else if (!strcmp(types.v[i], "postcopy"))
			vm.postcopy = 1;
		else {
			int ret = bench_usage_error("-t", types.v[i], "use precopy or postcopy");
			free(types.v);
			return ret;
		}
	}
	free(types.v);
	if (first != argc)
		return bench_usage_error("argument", argv[first], "vm takes no arguments");
	if (src == dst) {
		fprintf(stderr, "mig-mon vm: emulate either the source (-s) or the destination (-d)\n");
		return 2;
	}
	vm.npages = (uint64_t)(gb * (1 << 30)) / vm.page;
	if (!vm.npages) {
		fprintf(stderr, "mig-mon vm: -S %g GB is less than a page\n", gb);
		return 2;
	}
	/* both ends poll the pipe before reading it: never block on it */
	if (pipe2(vm.req_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return 1;
	vm.t0 = now_us();
	if (dst) {
		if (vm.precopy || vm.postcopy) {
			fprintf(stderr, "mig-mon vm: -t is given on the source (-s)\n");
			return 2;
		}
		return run_dst(&vm, bind_addr, port);
	}
	if (!host) {
		fprintf(stderr, "mig-mon vm: -s needs the destination: -H HOST\n");
		return 2;
	}
	if (!vm.precopy && !vm.postcopy)
		vm.precopy = 1;
	puts("Start emulation of src VM.");
	vm.sock = connect_to(&vm, host, port);
	if (vm.sock < 0)
		return migmon_stop ? 0 : 1;
	/* sends wait at most this long at a time: -D and Ctrl-C are noticed
	 * even when the destination stops reading */
	struct timeval tv = { 0, 200 * 1000 };
	setsockopt(vm.sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	printf("Connected to dst VM %s.\n", host);
	return run_src(&vm);
}
