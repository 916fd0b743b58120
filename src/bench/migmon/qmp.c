/* A small QMP client: QEMU's machine protocol on a unix socket, one JSON
 * object per line. Events ("event": ...) arriving between a command and
 * its reply are skipped. Values are read from a reply by key, which is
 * enough for query-migrate and query-status (keys are unique within the
 * object they are looked up in). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qmp.h"

#define QMP_TIMEOUT_MS 10000

/* One line from the socket (without the newline), or NULL with *err set. */
static char *qmp_line(struct qmp *q, const char **err)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		if (nl) {
			size_t n = nl - q->buf;
			char *line = malloc(n + 1);
			if (!line) {
				*err = "out of memory";
				return NULL;
			}
			memcpy(line, q->buf, n);
			line[n] = 0;
			memmove(q->buf, nl + 1, q->len - n - 1);
			q->len -= n + 1;
			return line;
		}
		if (q->len == sizeof(q->buf)) {
			*err = "a reply longer than the QMP client reads";
			return NULL;
		}
		struct pollfd p = { q->fd, POLLIN, 0 };
		int r = poll(&p, 1, QMP_TIMEOUT_MS);
		if (r == 0) {
			*err = "no reply within 10 s";
			return NULL;
		}
		ssize_t got = r < 0 ? -1 : read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			*err = got == 0 ? "QEMU closed the QMP socket" : strerror(errno);
			return NULL;
		}
		q->len += got;
	}
}

int qmp_open(struct qmp *q, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *why = NULL;
	char *line;

	memset(q, 0, sizeof(*q));
	q->path = path;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: path too long for a unix socket", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (q->fd < 0 || connect(q->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "%s: cannot connect: %s (is QEMU running with -qmp unix:%s,server=on?)",
			 path, strerror(errno), path);
		goto fail;
	}
	line = qmp_line(q, &why);
	if (!line || !strstr(line, "\"QMP\"")) {
		snprintf(err, errlen, "%s: not a QMP greeting: %s", path, line ? line : why);
		free(line);
		goto fail;
	}
	free(line);
	line = qmp_cmd(q, "{\"execute\": \"qmp_capabilities\"}", err, errlen);
	if (!line)
		goto fail;
	free(line);
	return 0;
fail:
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	return -1;
}

char *qmp_cmd(struct qmp *q, const char *cmd, char *err, size_t errlen)
{
	size_t n = strlen(cmd), off = 0;
	const char *why = NULL;

	while (off < n) {
		ssize_t w = write(q->fd, cmd + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "%s: write: %s", q->path, strerror(errno));
			return NULL;
		}
		off += w;
	}
	if (write(q->fd, "\n", 1) != 1) {
		snprintf(err, errlen, "%s: write: %s", q->path, strerror(errno));
		return NULL;
	}
	for (;;) {
		char *line = qmp_line(q, &why);
		if (!line) {
			snprintf(err, errlen, "%s: %s (after %s)", q->path, why, cmd);
			return NULL;
		}
		if (strstr(line, "\"return\"") && !strstr(line, "\"event\""))
			return line;
		if (strstr(line, "\"error\"")) {
			char desc[256] = "";
			json_str(line, "desc", desc, sizeof(desc));
			snprintf(err, errlen, "%s: QEMU refused %s: %s", q->path, cmd, *desc ? desc : line);
			free(line);
			return NULL;
		}
		free(line);	/* an event */
	}
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}

static const char *json_value(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	if (!json)
		return NULL;
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	return p;
}

int json_num(const char *json, const char *key, double *out)
{
	const char *p = json_value(json, key);
	char *end;

	if (!p)
		return -1;
	*out = strtod(p, &end);
	return end == p ? -1 : 0;
}

int json_str(const char *json, const char *key, char *out, size_t n)
{
	const char *p = json_value(json, key);
	size_t i = 0;

	if (!p || *p != '"' || !n)
		return -1;
	for (p++; *p && *p != '"' && i + 1 < n; p++)
		out[i++] = *p;
	out[i] = 0;
	return 0;
}
