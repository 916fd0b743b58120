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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <linux/vm_sockets.h>
#include <unistd.h>

#include "log.h"
#include "peer_owner.h"
#include "spawn.h"
#include "xalloc.h"

/* Connections at once: members plus whatever else connects. When full,
 * or out of descriptors, the oldest connection that has not said HELLO
 * makes room: idle connections cannot lock members out. */
#define MAXCONN 4096
/* Seconds a connection may stay without a valid HELLO. */
#define HELLO_TIMEOUT 10.0

struct member {
	char name[64];
	int alive;
	int waiting;		/* arrived, connection index in conn */
	int conn;
	char token[32];
	char secret[128];	/* what its HELLO must carry */
	pid_t qemu;		/* its QEMU (guestfwd connections), 0: unknown */
	double gone_since;	/* left while waiting (lose_after): when; 0: not gone */
};

struct conn {
	int fd;
	char buf[1024];
	size_t len;
	int member;		/* -1 until HELLO authenticates it */
	int persistent;		/* a member's channel (serial, or its QEMU's guestfwd):
				 * never closed by us, speaks for that member only */
	int pinned;		/* persistent: the member it speaks for, else -1 */
	int checked;		/* its peer process was looked for */
	int swallow;		/* persistent: a HELLO was refused, its exchange's
				 * next line goes unanswered (one reply per exchange) */
	double since;		/* accepted, monotonic: HELLO is due by HELLO_TIMEOUT */
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
	int recheck;		/* a hold dropped or a member lost: the thread releases */
	double lose_after;	/* > 0: a member whose connection closes while waiting is
				 * lost unless it is back within this many seconds */
	double straggle;	/* > 0: members not arrived this long after the first
				 * arrival at a sync point are lost */
	double first_wait;	/* when the first member began to wait, 0: nobody waits */
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
	struct rlimit rl;

	/* room for MAXCONN connections if the hard limit allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MAXCONN + 64) {
		rl.rlim_cur = rl.rlim_max < MAXCONN + 64 ? rl.rlim_max : MAXCONN + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

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

int barrier_add_member(struct barrier *b, const char *name, const char *secret)
{
	b->m = xrealloc(b->m, (b->nm + 1) * sizeof(*b->m));
	memset(&b->m[b->nm], 0, sizeof(*b->m));
	snprintf(b->m[b->nm].name, sizeof(b->m[0].name), "%s", name);
	snprintf(b->m[b->nm].secret, sizeof(b->m[0].secret), "%s", secret ? secret : b->secret);
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

static int idle(const struct conn *c)
{
	return c->member < 0 && !c->persistent && c->fd >= 0;
}

/* A silent connection may be a member's QEMU (guestfwd): it connects when
 * the VM starts and says HELLO only once the guest runs. Such a connection
 * becomes that member's channel, like a serial one. Each connection is
 * looked at once, all together (one pass over /proc). */
static void identify(struct barrier *b)
{
	pid_t pid[b->nm ? b->nm : 1];
	int any = 0, n = 0;

	for (int k = 0; k < b->nm; k++)
		any |= (pid[k] = b->m[k].qemu) > 0;
	if (!any)
		return;
	int *fd = xmalloc((b->nc ? b->nc : 1) * sizeof(int)), *at = xmalloc((b->nc ? b->nc : 1) * sizeof(int));
	int *owner = xmalloc((b->nc ? b->nc : 1) * sizeof(int));
	for (int i = 0; i < b->nc; i++)
		if (idle(&b->c[i]) && !b->c[i].checked) {
			b->c[i].checked = 1;
			at[n] = i;
			fd[n++] = b->c[i].fd;
		}
	if (n)
		peer_owner(fd, n, pid, b->nm, owner);
	for (int j = 0; j < n; j++) {
		if (owner[j] < 0)
			continue;
		b->c[at[j]].persistent = 1;
		b->c[at[j]].pinned = owner[j];
		logf_(b, "channel %s: the connection of its QEMU (guestfwd)", b->m[owner[j]].name);
	}
	free(fd);
	free(at);
	free(owner);
}

/* Close the connection that has waited longest without a HELLO: 1 when
 * one was found. */
static int evict_idle(struct barrier *b)
{
	int oldest = -1;

	identify(b);
	for (int i = 0; i < b->nc; i++)
		if (idle(&b->c[i]) && (oldest < 0 || b->c[i].since < b->c[oldest].since))
			oldest = i;
	if (oldest < 0)
		return 0;
	b->c[oldest].fd = -b->c[oldest].fd - 1;	/* closed at the end of this round */
	return 1;
}

static void drop_closed(struct barrier *b);

/* pinned >= 0: a member's channel (it stays open, speaks for that member). */
static int add_conn(struct barrier *b, int fd, int pinned)
{
	if (b->nc >= MAXCONN) {
		if (evict_idle(b))
			drop_closed(b);
		if (b->nc >= MAXCONN) {
			close(fd);
			logf_(b, "refused: %d connections, none idle", b->nc);
			return -EMFILE;
		}
	}
	b->c[b->nc] = (struct conn){ .fd = fd, .member = -1, .persistent = pinned >= 0,
				     .pinned = pinned, .since = monotonic_now() };
	b->nc++;
	return 0;
}

int barrier_attach(struct barrier *b, const char *name, int fd)
{
	for (int i = 0; i < b->nm; i++)
		if (!strcmp(b->m[i].name, name))
			return add_conn(b, fd, i);
	return -ENOENT;
}

int barrier_member_qemu(struct barrier *b, const char *name, pid_t pid)
{
	pthread_mutex_lock(&b->lock);
	for (int i = 0; i < b->nm; i++)
		if (!strcmp(b->m[i].name, name)) {
			b->m[i].qemu = pid;
			for (int j = 0; j < b->nc; j++)
				b->c[j].checked = 0;	/* look again */
			pthread_mutex_unlock(&b->lock);
			return 0;
		}
	pthread_mutex_unlock(&b->lock);
	return -ENOENT;
}

void barrier_lose_on_close(struct barrier *b, double seconds)
{
	b->lose_after = seconds;
}

void barrier_lose_stragglers(struct barrier *b, double seconds)
{
	b->straggle = seconds;
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
			if (b->lose_after > 0)
				b->m[k].gone_since = monotonic_now();
		}
		if (b->m[k].conn == b->nc - 1)
			b->m[k].conn = i;	/* the last connection moves to slot i */
	}
	close(b->c[i].fd);
	b->c[i] = b->c[--b->nc];
}

/* Connections marked for closing (fd < 0) go. */
static void drop_closed(struct barrier *b)
{
	for (int i = b->nc - 1; i >= 0; i--) {
		if (b->c[i].fd < 0) {
			b->c[i].fd = -b->c[i].fd - 1;
			drop_conn(b, i);
		}
	}
}

/* Printable, short: what goes into the log and into RELEASE. */
static int token_ok(const char *t)
{
	size_t n = strlen(t);

	if (!n || n >= 32)
		return 0;
	for (; *t; t++)
		if (!(*t == '_' || *t == '-' || *t == '.' || *t == ':' ||
		      (*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9')))
			return 0;
	return 1;
}

static void deny(struct barrier *b, struct conn *c, const char *why)
{
	char msg[256];
	int len = snprintf(msg, sizeof(msg), "DENIED %s\n", why);

	if (write(c->fd, msg, len) < 0) { /* closing anyway */ }
	if (!c->persistent)
		c->fd = -c->fd - 1;	/* mark for closing */
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
	b->first_wait = 0;
	if (b->release_fn) {
		int h = b->release_fn(b->release_ctx, token);
		if (h > 0 && !b->holds)
			b->held_since = monotonic_now();
		b->holds += h;
	}
}

/* Compared in a time that does not tell how much of it was right. */
static int same_secret(const char *want, const char *got)
{
	size_t n = strlen(want), m = strlen(got);
	unsigned diff = n != m;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)got[i < m ? i : 0];
	return !diff;
}

/* HELLO NAME SECRET: binds the connection to one member, once. (A member
 * may have several connections at once -- a STATUS line is sent on its
 * own -- so nothing else is closed here; see arrive().) */
static void hello(struct barrier *b, int ci, const char *args)
{
	struct conn *c = &b->c[ci];
	char name[128] = "", secret[160] = "";
	const char *why = NULL;
	int k = -1;

	if (sscanf(args, "%127s %159s", name, secret) >= 1)
		for (int i = 0; i < b->nm; i++)
			if (!strcmp(b->m[i].name, name) && b->m[i].alive)
				k = i;
	if (k < 0)
		why = "unknown or lost VM";
	else if (!same_secret(b->m[k].secret, secret))
		why = "wrong secret";
	else if ((c->member >= 0 && c->member != k) || (c->persistent && c->pinned != k))
		why = "a connection speaks for one member";
	if (why) {
		logf_(b, "refused %s: %s", token_ok(name) ? name : "(unprintable name)", why);
		deny(b, c, why);
		c->member = -1;
		c->swallow = c->persistent;
		return;
	}
	c->member = k;
	b->m[k].gone_since = 0;
}

static void arrive(struct barrier *b, int ci, const char *token)
{
	struct conn *c = &b->c[ci];
	struct member *m = &b->m[c->member];

	if (!token_ok(token)) {
		logf_(b, "refused %s: a token that is not a sync point name", m->name);
		deny(b, c, "bad token");
		return;
	}
	/* Members at different sync points are out of step: not released together. */
	for (int k = 0; k < b->nm; k++)
		if (k != c->member && b->m[k].waiting && b->m[k].alive && strcmp(b->m[k].token, token)) {
			logf_(b, "refused %s at %s: %s waits at %s", m->name, token, b->m[k].name, b->m[k].token);
			deny(b, c, "out of step with the other members");
			return;
		}
	/* Already waiting on another connection: that one would never be
	 * released; the newer arrival replaces it. */
	if (m->waiting && m->conn != ci && !b->c[m->conn].persistent && b->c[m->conn].fd >= 0) {
		logf_(b, "replaced %s's older waiting connection", m->name);
		deny(b, &b->c[m->conn], "replaced by a newer connection");
	}
	snprintf(m->token, sizeof(m->token), "%s", token);
	if (!b->first_wait)
		b->first_wait = monotonic_now();
	m->waiting = 1;
	m->conn = ci;
	logf_(b, "arrive %s %s", m->name, m->token);
	try_release(b);
}

static void handle_line(struct barrier *b, int ci, char *line)
{
	struct conn *c = &b->c[ci];

	if (!strncmp(line, "HELLO ", 6)) {
		c->swallow = 0;
		hello(b, ci, line + 6);
		return;
	}
	if (c->swallow) {
		c->swallow = 0;
		return;
	}
	if (c->member < 0) {
		logf_(b, "refused: a line before HELLO");
		deny(b, c, "HELLO first");
		return;
	}
	if (!strncmp(line, "ARRIVE ", 7))
		arrive(b, ci, line + 7);
	else if (!strncmp(line, "STATUS ", 7) && b->status_fn)
		b->status_fn(b->status_ctx, b->m[c->member].name, line + 7);
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

/* Connections without a HELLO past HELLO_TIMEOUT are closed; members
 * gone longer than lose_after are lost. */
static void expire(struct barrier *b)
{
	double now = monotonic_now();
	int due = 0;

	for (int i = 0; i < b->nc; i++)
		due |= idle(&b->c[i]) && now - b->c[i].since >= HELLO_TIMEOUT;
	if (due)
		identify(b);
	for (int i = 0; i < b->nc; i++)
		if (idle(&b->c[i]) && now - b->c[i].since >= HELLO_TIMEOUT) {
			logf_(b, "closed a connection that said no HELLO in %.0f s", HELLO_TIMEOUT);
			b->c[i].fd = -b->c[i].fd - 1;
		}
	for (int k = 0; k < b->nm; k++)
		if (b->m[k].alive && b->m[k].gone_since > 0 && now - b->m[k].gone_since >= b->lose_after) {
			b->m[k].alive = 0;
			b->m[k].gone_since = 0;
			logf_(b, "lost %s: its connection closed while waiting and it did not come back "
			      "in %.1f s", b->m[k].name, b->lose_after);
			b->recheck = 1;
		}
	int waiting = 0;
	for (int k = 0; k < b->nm; k++)
		waiting += b->m[k].alive && b->m[k].waiting;
	if (!waiting)
		b->first_wait = 0;	/* those who waited left: the clock starts again */
	if (b->straggle > 0 && b->first_wait > 0 && now - b->first_wait >= b->straggle) {
		for (int k = 0; k < b->nm; k++)
			if (b->m[k].alive && !b->m[k].waiting) {
				b->m[k].alive = 0;
				logf_(b, "lost %s: not arrived %.1f s after the first member did", b->m[k].name,
				      b->straggle);
			}
		b->recheck = 1;
	}
}

/* Milliseconds until expire() has something to do, or -1. */
static int next_deadline_ms(struct barrier *b)
{
	double now = monotonic_now(), next = 0;
	int any = 0;

	if (b->recheck)
		return 0;
	for (int i = 0; i < b->nc; i++)
		if (idle(&b->c[i])) {
			double d = b->c[i].since + HELLO_TIMEOUT - now;
			next = !any || d < next ? d : next;
			any = 1;
		}
	for (int k = 0; k < b->nm; k++)
		if (b->m[k].alive && b->m[k].gone_since > 0) {
			double d = b->m[k].gone_since + b->lose_after - now;
			next = !any || d < next ? d : next;
			any = 1;
		}
	if (b->straggle > 0 && b->first_wait > 0) {
		double d = b->first_wait + b->straggle - now;
		next = !any || d < next ? d : next;
		any = 1;
	}
	/* overdue (it passed while this round ran): at once, not never */
	return !any ? -1 : next <= 0 ? 0 : (int)(next * 1000) + 1;
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
		int timeout = next_deadline_ms(b);
		pthread_mutex_unlock(&b->lock);

		if (poll(pfd, k, timeout) < 0 && errno != EINTR)
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
				if (fd < 0 && (errno == EMFILE || errno == ENFILE) && evict_idle(b)) {
					drop_closed(b);	/* out of descriptors: an idle one makes room */
					continue;
				}
				if (fd < 0)
					break;
				int one = 1;
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				add_conn(b, fd, -1);
			}
		}
		for (int j = first_conn; j < k; j++) {
			if (!pfd[j].revents)
				continue;
			for (int i = 0; i < b->nc; i++)
				if (b->c[i].fd == pfd[j].fd)
					read_conn(b, i);
		}
		expire(b);
		drop_closed(b);
		/* Every release is made here, in this (real-time) thread: also
		 * those a dropped hold or a lost member allow. */
		if (b->recheck) {
			b->recheck = 0;
			try_release(b);
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
			b->recheck = 1;
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
		b->recheck = 1;
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
