#include "sync_client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "log.h"
#include "spawn.h"
#include "units.h"

static const char *const tokens[] = {
	"mmtests_start", "test_do", "iteration_begin", "iteration_end",
	"test_done", "mmtests_end", NULL
};

int sync_token_valid(const char *token)
{
	for (int i = 0; tokens[i]; i++)
		if (!strcmp(token, tokens[i]))
			return 1;
	return 0;
}

static int write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		s += n;
		len -= n;
	}
	return 0;
}

/* Seconds a wait at a barrier may last: MMTESTS_SYNC_TIMEOUT, default 6 h
 * (a sync point a run never reaches must not hold the others forever). */
static double wait_limit(void)
{
	const char *v = getenv("MMTESTS_SYNC_TIMEOUT");
	double t;

	if (v && *v && parse_positive(v, &t) == 0)
		return t;
	return 6 * 3600;
}

/* One line, byte by byte: a serial port is a stream shared by all sync
 * points, so nothing past the newline may be consumed. The wait polls the
 * interrupt pipe (when the program has one): Ctrl-C is not held up by a
 * barrier; -EINTR then, -ETIMEDOUT past wait_limit(). */
static int read_line(int fd, char *buf, size_t size)
{
	double deadline = monotonic_now() + wait_limit();
	size_t n = 0;

	while (n + 1 < size) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { interrupt_fd(), POLLIN, 0 } };
		double left = deadline - monotonic_now();
		if (interrupt_pending())
			return -EINTR;
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(p, 2, left > 60 ? 60000 : (int)(left * 1000) + 1) <= 0 || !p[0].revents)
			continue;
		ssize_t r = read(fd, buf + n, 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return -EPIPE;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return 0;
}

static int exchange(const struct sync_endpoint *ep, const char *name, const char *secret,
		    const char *verb, const char *arg, char *reply, size_t size)
{
	char msg[1024];
	int fd = sync_endpoint_connect(ep), ret;

	if (fd < 0)
		return fd;
	snprintf(msg, sizeof(msg), "HELLO %s %s\n%s %s\n", name, secret, verb, arg);
	ret = write_all(fd, msg);
	if (!ret && reply)
		ret = read_line(fd, reply, size);
	close(fd);
	return ret;
}

int sync_wait(const struct sync_endpoint *ep, const char *name, const char *secret,
	      const char *token)
{
	char reply[512];
	int ret = exchange(ep, name, secret, "ARRIVE", token, reply, sizeof(reply));

	if (ret == -EINTR) {
		err_msg("barrier %s: interrupted while waiting", token);
		return ret;
	}
	if (ret == -ETIMEDOUT) {
		err_msg("barrier %s: not released in %g s (MMTESTS_SYNC_TIMEOUT)", token, wait_limit());
		return ret;
	}
	if (ret) {
		err_msg("barrier %s: the host went away before releasing (%s)", token, strerror(-ret));
		return ret;
	}
	if (!strncmp(reply, "RELEASE ", 8))
		return 0;
	err_msg("barrier %s: %s", token, reply);
	return !strncmp(reply, "DENIED", 6) ? -EACCES : -ECANCELED;
}

int sync_status(const struct sync_endpoint *ep, const char *name, const char *secret,
		const char *text)
{
	return exchange(ep, name, secret, "STATUS", text, NULL, 0);
}

static int from_env(struct sync_endpoint *ep, const char **name, const char **secret)
{
	const char *spec = getenv("MMTESTS_SYNC");

	if (!spec || !*spec)
		return 1;
	*name = getenv("MMTESTS_SYNC_NAME");
	*secret = getenv("MMTESTS_SYNC_SECRET");
	if (!*name || !**name || !*secret || !**secret) {
		err_msg("MMTESTS_SYNC is set but MMTESTS_SYNC_NAME or MMTESTS_SYNC_SECRET is not");
		return -EINVAL;
	}
	return sync_endpoint_parse(spec, ep);
}

int sync_point(const char *token)
{
	struct sync_endpoint ep;
	const char *name, *secret;
	int ret;

	if (!sync_token_valid(token)) {
		err_msg("unknown sync token '%s'", token);
		return -EINVAL;
	}
	ret = from_env(&ep, &name, &secret);
	if (ret)
		return ret > 0 ? 0 : ret;
	return sync_wait(&ep, name, secret, token);
}

void sync_report_status(const char *text)
{
	struct sync_endpoint ep;
	const char *name, *secret;

	if (from_env(&ep, &name, &secret) == 0)
		sync_status(&ep, name, secret, text);
}
