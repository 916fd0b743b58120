#include "barrier.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <linux/vm_sockets.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"
#include "xalloc.h"

#define MAXCONN 1024

struct member {
	char name[64];
	int alive;
	int waiting;		/* arrived, connection index in conn */
	int conn;
	char token[32];
};

struct conn {
	int fd;
	char buf[1024];
	size_t len;
	int member;		/* -1 until HELLO authenticates it */
	int persistent;		/* attached serial channel: never closed by us */
};

struct barrier {
	char secret[128];
	struct member *m;
	int nm;
	int listen_fd[4];
	int nlisten;
	struct conn *c;
	int nc;
	FILE *log;
	pthread_t thread;
	int running;
	int wake[2];
	pthread_mutex_t lock;
	barrier_status_fn status_fn;
	void *status_ctx;
	barrier_release_fn release_fn;
	void *release_ctx;
	int holds;		/* the next release waits for these */
	double held_since;
	double *skews;
	int nskews;
	int stop;
};

static double wall(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static void logf_(struct barrier *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(struct barrier *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->log)
		return;
	fprintf(b->log, "%.6f ", wall());
	va_start(ap, fmt);
	vfprintf(b->log, fmt, ap);
	va_end(ap);
	fputc('\n', b->log);
	fflush(b->log);
}

struct barrier *barrier_new(const char *secret, FILE *log)
{
	struct barrier *b = xcalloc(1, sizeof(*b));

	snprintf(b->secret, sizeof(b->secret), "%s", secret);
	b->log = log;
	b->c = xcalloc(MAXCONN, sizeof(*b->c));
	if (pipe2(b->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(b->c);
		free(b);
		return NULL;
	}
	pthread_mutex_init(&b->lock, NULL);
	return b;
}

int barrier_add_member(struct barrier *b, const char *name)
{
	b->m = xrealloc(b->m, (b->nm + 1) * sizeof(*b->m));
	memset(&b->m[b->nm], 0, sizeof(*b->m));
	snprintf(b->m[b->nm].name, sizeof(b->m[0].name), "%s", name);
	b->m[b->nm].alive = 1;
	b->m[b->nm].conn = -1;
	b->nm++;
	return 0;
}

int barrier_listen_tcp(struct barrier *b, const char *addr, unsigned port, unsigned *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t len = sizeof(sa);
	int fd, one = 1;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		err_msg("barrier: '%s' is not an IPv4 address", addr);
		return -EINVAL;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return err_errno(errno, "barrier: socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1024) < 0) {
		int e = errno;
		close(fd);
		if (e == EADDRINUSE) {
			err_msg("barrier: %s:%u is in use by another program (ss -ltnp 'sport = :%u' "
				"shows which): choose another port", addr, port, port);
			return -e;
		}
		return err_errno(e, "barrier: cannot listen on %s:%u", addr, port);
	}
	getsockname(fd, (struct sockaddr *)&sa, &len);
	if (bound)
		*bound = ntohs(sa.sin_port);
	b->listen_fd[b->nlisten++] = fd;
	return 0;
}

int barrier_listen_unix(struct barrier *b, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return err_errno(errno, "barrier: socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1024) < 0) {
		int e = errno;
		close(fd);
		return err_errno(e, "barrier: cannot listen on %s", path);
	}
	b->listen_fd[b->nlisten++] = fd;
	return 0;
}

int barrier_listen_vsock(struct barrier *b, unsigned port)
{
	struct sockaddr_vm sa = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port };
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return err_errno(errno, "barrier: no AF_VSOCK on this host (load vhost_vsock)");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1024) < 0) {
		int e = errno;
		close(fd);
		return err_errno(e, "barrier: cannot listen on vsock port %u", port);
	}
	b->listen_fd[b->nlisten++] = fd;
	return 0;
}

static int add_conn(struct barrier *b, int fd, int member, int persistent)
{
	if (b->nc >= MAXCONN) {
		close(fd);
		logf_(b, "refused: too many connections");
		return -EMFILE;
	}
	b->c[b->nc] = (struct conn){ .fd = fd, .member = member, .persistent = persistent };
	b->nc++;
	return 0;
}

int barrier_attach(struct barrier *b, const char *name, int fd)
{
	for (int i = 0; i < b->nm; i++)
		if (!strcmp(b->m[i].name, name))
			return add_conn(b, fd, -1, 1);
	return -ENOENT;
}

void barrier_on_status(struct barrier *b, barrier_status_fn fn, void *ctx)
{
	b->status_fn = fn;
	b->status_ctx = ctx;
}

void barrier_on_release(struct barrier *b, barrier_release_fn fn, void *ctx)
{
	b->release_fn = fn;
	b->release_ctx = ctx;
}

static void drop_conn(struct barrier *b, int i)
{
	for (int k = 0; k < b->nm; k++) {
		if (b->m[k].waiting && b->m[k].conn == i) {
			/* the guest gave up waiting (or died): not an arrival */
			b->m[k].waiting = 0;
			logf_(b, "leave %s %s (connection closed while waiting)", b->m[k].name, b->m[k].token);
		}
		if (b->m[k].conn == b->nc - 1)
			b->m[k].conn = i;	/* the last connection moves to slot i */
	}
	close(b->c[i].fd);
	b->c[i] = b->c[--b->nc];
}

/* Release everyone when every live member is waiting. */
static void try_release(struct barrier *b)
{
	int alive = 0, waiting = 0;

	for (int k = 0; k < b->nm; k++) {
		alive += b->m[k].alive;
		waiting += b->m[k].alive && b->m[k].waiting;
	}
	if (!waiting || waiting < alive || b->holds)
		return;
	const char *token = NULL;
	for (int k = 0; k < b->nm; k++) {
		if (!b->m[k].waiting)
			continue;
		if (token && strcmp(token, b->m[k].token))
			logf_(b, "mismatch %s is at %s, others at %s", b->m[k].name, b->m[k].token, token);
		if (!token)
			token = b->m[k].token;
	}
	char msg[64];
	snprintf(msg, sizeof(msg), "RELEASE %s\n", token);
	size_t len = strlen(msg);
	double t0 = monotonic_now(), t1;
	for (int k = 0; k < b->nm; k++)
		if (b->m[k].waiting && write(b->c[b->m[k].conn].fd, msg, len) != (ssize_t)len)
			logf_(b, "release %s: write to %s failed", token, b->m[k].name);
	t1 = monotonic_now();
	b->skews = xrealloc(b->skews, (b->nskews + 1) * sizeof(double));
	b->skews[b->nskews++] = t1 - t0;
	logf_(b, "release %s %d members skew_us %.1f", token, waiting, (t1 - t0) * 1e6);
	for (int k = 0; k < b->nm; k++)
		b->m[k].waiting = 0;
	if (b->release_fn) {
		int h = b->release_fn(b->release_ctx, token);
		if (h > 0 && !b->holds)
			b->held_since = monotonic_now();
		b->holds += h;
	}
}

static void handle_line(struct barrier *b, int ci, char *line)
{
	struct conn *c = &b->c[ci];
	char a[128], s[160];

	if (!strncmp(line, "HELLO ", 6)) {
		c->member = -1;
		if (sscanf(line + 6, "%127s %159s", a, s) == 2 && !strcmp(s, b->secret)) {
			for (int k = 0; k < b->nm; k++)
				if (!strcmp(b->m[k].name, a) && b->m[k].alive)
					c->member = k;
		}
		if (c->member < 0) {
			logf_(b, "refused %s: %s", a, strcmp(s, b->secret) ? "wrong secret" : "unknown or lost VM");
			if (write(c->fd, "DENIED wrong secret or unknown VM\n", 34) < 0) { /* closing anyway */ }
			if (!c->persistent)
				c->fd = -c->fd - 1;	/* mark for closing */
		}
		return;
	}
	if (c->member < 0)
		return;
	struct member *m = &b->m[c->member];
	if (!strncmp(line, "ARRIVE ", 7)) {
		snprintf(m->token, sizeof(m->token), "%s", line + 7);
		m->waiting = 1;
		m->conn = ci;
		logf_(b, "arrive %s %s", m->name, m->token);
		try_release(b);
	} else if (!strncmp(line, "STATUS ", 7) && b->status_fn) {
		b->status_fn(b->status_ctx, m->name, line + 7);
	}
}

static void read_conn(struct barrier *b, int ci)
{
	struct conn *c = &b->c[ci];
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);

	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		c->fd = -c->fd - 1;
		return;
	}
	c->len += n;
	c->buf[c->len] = '\0';
	char *p = c->buf, *nl;
	while ((nl = strchr(p, '\n'))) {
		*nl = '\0';
		handle_line(b, ci, p);
		p = nl + 1;
		if (c->fd < 0) {	/* refused: the rest is not read */
			c->len = 0;
			return;
		}
	}
	c->len -= p - c->buf;
	memmove(c->buf, p, c->len);
	if (c->len == sizeof(c->buf) - 1)
		c->len = 0;	/* a line too long: drop it */
}

static void *run(void *arg)
{
	struct barrier *b = arg;
	struct pollfd *pfd = xcalloc(MAXCONN + 8, sizeof(*pfd));

	for (;;) {
		int k = 0;
		pthread_mutex_lock(&b->lock);
		if (b->stop) {
			pthread_mutex_unlock(&b->lock);
			break;
		}
		pfd[k++] = (struct pollfd){ b->wake[0], POLLIN, 0 };
		for (int i = 0; i < b->nlisten; i++)
			pfd[k++] = (struct pollfd){ b->listen_fd[i], POLLIN, 0 };
		int first_conn = k;
		for (int i = 0; i < b->nc; i++)
			pfd[k++] = (struct pollfd){ b->c[i].fd, POLLIN, 0 };
		pthread_mutex_unlock(&b->lock);

		if (poll(pfd, k, -1) < 0 && errno != EINTR)
			break;
		pthread_mutex_lock(&b->lock);
		if (pfd[0].revents) {
			char x[64];
			while (read(b->wake[0], x, sizeof(x)) > 0)
				;
		}
		for (int i = 0; i < b->nlisten; i++) {
			if (!pfd[1 + i].revents)
				continue;
			/* accept everyone who is there: many arrive at once */
			for (;;) {
				int fd = accept4(b->listen_fd[i], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
				if (fd < 0)
					break;
				int one = 1;
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				add_conn(b, fd, -1, 0);
			}
		}
		for (int j = first_conn; j < k; j++) {
			if (!pfd[j].revents)
				continue;
			for (int i = 0; i < b->nc; i++)
				if (b->c[i].fd == pfd[j].fd)
					read_conn(b, i);
		}
		for (int i = b->nc - 1; i >= 0; i--) {
			if (b->c[i].fd < 0) {
				b->c[i].fd = -b->c[i].fd - 1;
				drop_conn(b, i);
			}
		}
		pthread_mutex_unlock(&b->lock);
	}
	free(pfd);
	return NULL;
}

int barrier_start(struct barrier *b)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (pthread_create(&b->thread, NULL, run, b))
		return err_errno(EAGAIN, "barrier: cannot start its thread");
	/* Released guests (vCPU threads, or simulated guests) wake up and take
	 * the CPUs while the release loop is still writing: a real-time
	 * priority keeps the loop, hence the skew, short. Without the
	 * privilege the barrier works the same, with more skew. */
	pthread_setschedparam(b->thread, SCHED_FIFO, &sp);
	b->running = 1;
	return 0;
}

static void wake(struct barrier *b)
{
	if (write(b->wake[1], "x", 1) < 0) { /* the pipe is full: it is awake */ }
}

void barrier_member_lost(struct barrier *b, const char *name, const char *why)
{
	pthread_mutex_lock(&b->lock);
	for (int k = 0; k < b->nm; k++) {
		if (!strcmp(b->m[k].name, name) && b->m[k].alive) {
			b->m[k].alive = 0;
			b->m[k].waiting = 0;
			logf_(b, "lost %s: %s", name, why);
			try_release(b);
		}
	}
	pthread_mutex_unlock(&b->lock);
	wake(b);
}

void barrier_unhold(struct barrier *b)
{
	pthread_mutex_lock(&b->lock);
	if (b->holds > 0 && --b->holds == 0) {
		logf_(b, "held %.1f ms for the host", (monotonic_now() - b->held_since) * 1e3);
		try_release(b);
	}
	pthread_mutex_unlock(&b->lock);
	wake(b);
}

int barrier_skews(struct barrier *b, double **skews)
{
	pthread_mutex_lock(&b->lock);
	int n = b->nskews;
	*skews = xmalloc((n ? n : 1) * sizeof(double));
	if (n)
		memcpy(*skews, b->skews, n * sizeof(double));
	pthread_mutex_unlock(&b->lock);
	return n;
}

int barrier_releases(struct barrier *b)
{
	pthread_mutex_lock(&b->lock);
	int n = b->nskews;
	pthread_mutex_unlock(&b->lock);
	return n;
}

void barrier_stop(struct barrier *b)
{
	if (!b->running)
		return;
	pthread_mutex_lock(&b->lock);
	b->stop = 1;
	/* Whoever still waits is told, not left hanging. */
	for (int k = 0; k < b->nm; k++)
		if (b->m[k].waiting && write(b->c[b->m[k].conn].fd, "ABORT the run is over\n", 22) < 0) { /* gone */ }
	pthread_mutex_unlock(&b->lock);
	wake(b);
	pthread_join(b->thread, NULL);
	b->running = 0;
}

void barrier_free(struct barrier *b)
{
	if (!b)
		return;
	barrier_stop(b);
	for (int i = 0; i < b->nc; i++)
		close(b->c[i].fd);
	for (int i = 0; i < b->nlisten; i++)
		close(b->listen_fd[i]);
	close(b->wake[0]);
	close(b->wake[1]);
	pthread_mutex_destroy(&b->lock);
	free(b->c);
	free(b->m);
	free(b->skews);
	free(b);
}
