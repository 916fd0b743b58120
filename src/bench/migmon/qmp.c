/* A small QMP client: QEMU's machine protocol on a unix socket, one JSON
 * object per line, parsed with jansson. Events ("event": ...) arriving
 * between a command and its reply are skipped. */
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
	json_t *greeting = line ? json_loads(line, 0, NULL) : NULL;
	int is_qmp = json_object_get(greeting, "QMP") != NULL;
	json_decref(greeting);
	if (!is_qmp) {
		snprintf(err, errlen, "%s: not a QMP greeting: %s", path, line ? line : why);
		free(line);
		goto fail;
	}
	free(line);
	json_t *r = qmp_cmd(q, "qmp_capabilities", NULL, err, errlen);
	if (!r)
		goto fail;
	json_decref(r);
	return 0;
fail:
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	return -1;
}

json_t *qmp_cmd(struct qmp *q, const char *name, json_t *arguments, char *err, size_t errlen)
{
	json_t *req = json_pack("{s:s}", "execute", name);
	const char *why = NULL;
	char *cmd;
	size_t n, off = 0;

	if (arguments)
		json_object_set_new(req, "arguments", arguments);
	cmd = json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(req);
	if (!cmd) {
		snprintf(err, errlen, "%s: out of memory", q->path);
		return NULL;
	}
	n = strlen(cmd);
	cmd = realloc(cmd, n + 2);
	memcpy(cmd + n++, "\n", 2);
	while (off < n) {
		ssize_t w = write(q->fd, cmd + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "%s: write: %s", q->path, strerror(errno));
			free(cmd);
			return NULL;
		}
		off += w;
	}
	free(cmd);
	for (;;) {
		char *line = qmp_line(q, &why);
		if (!line) {
			snprintf(err, errlen, "%s: %s (after %s)", q->path, why, name);
			return NULL;
		}
		json_error_t jerr;
		json_t *reply = json_loads(line, 0, &jerr);
		json_t *ret = json_object_get(reply, "return"), *error = json_object_get(reply, "error");
		if (!reply) {
			snprintf(err, errlen, "%s: not JSON (%s): %s", q->path, jerr.text, line);
			free(line);
			return NULL;
		}
		free(line);
		if (ret) {
			json_incref(ret);
			json_decref(reply);
			return ret;
		}
		if (error) {
			const char *desc = json_string_value(json_object_get(error, "desc"));
			snprintf(err, errlen, "%s: QEMU refused %s: %s", q->path, name, desc ? desc : "no reason given");
			json_decref(reply);
			return NULL;
		}
		json_decref(reply);	/* an event */
	}
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}
