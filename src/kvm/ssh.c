#include "ssh.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "xalloc.h"

struct ssh {
	int fd;
	LIBSSH2_SESSION *sess;
	char *vm;
};

int ssh_global_init(void)
{
	return libssh2_init(0) ? -EIO : 0;
}

static int tcp_connect(const char *address, unsigned port, double timeout)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char p[16];
	int fd;

	snprintf(p, sizeof(p), "%u", port);
	if (getaddrinfo(address, p, &hints, &ai))
		return -EHOSTUNREACH;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -e;
	}
	freeaddrinfo(ai);
	struct pollfd pfd = { fd, POLLOUT, 0 };
	int err = 0;
	socklen_t len = sizeof(err);
	if (poll(&pfd, 1, (int)(timeout * 1000)) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		close(fd);
		return -(err ? err : ETIMEDOUT);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int ssh_banner_ready(const char *address, unsigned port, double timeout)
{
	int fd = tcp_connect(address, port, timeout);
	char buf[8] = "";

	if (fd < 0)
		return 0;
	struct pollfd pfd = { fd, POLLIN, 0 };
	int ok = poll(&pfd, 1, (int)(timeout * 1000)) == 1 && read(fd, buf, 4) == 4 &&
		 !memcmp(buf, "SSH-", 4);
	close(fd);
	return ok;
}

static int hostkey_check(struct ssh *s, const char *address, unsigned port, const char *known)
{
	size_t len;
	int type;
	const char *key = libssh2_session_hostkey(s->sess, &len, &type);
	LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(s->sess);
	struct libssh2_knownhost *store;
	int kt, ret = 0;

	if (!key || !kh)
		return -EIO;
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA: kt = LIBSSH2_KNOWNHOST_KEY_SSHRSA; break;
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
	case LIBSSH2_HOSTKEY_TYPE_ED25519: kt = LIBSSH2_KNOWNHOST_KEY_ED25519; break;
#endif
#ifdef LIBSSH2_HOSTKEY_TYPE_ECDSA_256
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: kt = LIBSSH2_KNOWNHOST_KEY_ECDSA_256; break;
#endif
	default: kt = LIBSSH2_KNOWNHOST_KEY_UNKNOWN; break;
	}
	if (is_file(known))
		libssh2_knownhost_readfile(kh, known, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	switch (libssh2_knownhost_checkp(kh, address, port, key, len,
					 LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW, &store)) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		break;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		err_msg("%s: the SSH host key of %s:%u does not match %s: refusing (a different "
			"guest, or someone in the middle)", s->vm, address, port, known);
		ret = -EACCES;
		break;
	default: {
		/* First contact: record the key, as ssh's accept-new does. */
		char host[300];
		snprintf(host, sizeof(host), port == 22 ? "%s" : "[%s]:%u", address, port);
		if (libssh2_knownhost_addc(kh, host, NULL, key, len, NULL, 0,
					   LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | kt,
					   NULL) ||
		    libssh2_knownhost_writefile(kh, known, LIBSSH2_KNOWNHOST_FILE_OPENSSH))
			warn_msg("%s: could not record the host key in %s", s->vm, known);
		else
			info_msg("%s: first contact, host key recorded in %s", s->vm, known);
	}
	}
	libssh2_knownhost_free(kh);
	return ret;
}

int ssh_open(struct ssh **out, const char *vm, const char *address, unsigned port,
	     const char *user, const char *key, const char *known_hosts)
{
	struct ssh *s = xcalloc(1, sizeof(*s));
	int ret;

	*out = NULL;
	s->vm = xstrdup(vm);
	if (access(key, R_OK) < 0) {
		ret = err_errno(errno, "%s: SSH key %s", vm, key);
		goto fail;
	}
	s->fd = tcp_connect(address, port, 10);
	if (s->fd < 0) {
		ret = err_errno(-s->fd, "%s: cannot connect to %s:%u", vm, address, port);
		goto fail;
	}
	s->sess = libssh2_session_init();
	libssh2_session_set_blocking(s->sess, 1);
	libssh2_session_set_timeout(s->sess, 30000);
	if (libssh2_session_handshake(s->sess, s->fd)) {
		char *msg;
		libssh2_session_last_error(s->sess, &msg, NULL, 0);
		err_msg("%s: SSH handshake with %s:%u failed: %s", vm, address, port, msg);
		ret = -EPROTO;
		goto fail;
	}
	if ((ret = hostkey_check(s, address, port, known_hosts)))
		goto fail;
	if (libssh2_userauth_publickey_fromfile(s->sess, user, NULL, key, NULL)) {
		char *msg;
		libssh2_session_last_error(s->sess, &msg, NULL, 0);
		err_msg("%s: SSH key authentication as %s with %s failed: %s", vm, user, key, msg);
		ret = -EACCES;
		goto fail;
	}
	/* blocking calls (channel open, close) give up on a frozen guest */
	libssh2_session_set_timeout(s->sess, 60000);
	*out = s;
	return 0;
fail:
	ssh_close(s);
	return ret;
}

static void wait_socket(struct ssh *s)
{
	struct pollfd pfd = { s->fd, 0, 0 };
	int dir = libssh2_session_block_directions(s->sess);

	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		pfd.events |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		pfd.events |= POLLOUT;
	poll(&pfd, 1, 1000);
}

/* Pass on what the command wrote (non-blocking): 1 when something came,
 * 0 when nothing yet, -EPIPE when the connection died. */
static int drain(LIBSSH2_CHANNEL *ch, ssh_output_fn fn, void *ctx, char *buf, size_t len)
{
	ssize_t o = libssh2_channel_read(ch, buf, len);
	if (o > 0 && fn)
		fn(ctx, 0, buf, o);
	ssize_t e = libssh2_channel_read_stderr(ch, buf, len);
	if (e > 0 && fn)
		fn(ctx, 1, buf, e);
	if ((o < 0 && o != LIBSSH2_ERROR_EAGAIN) || (e < 0 && e != LIBSSH2_ERROR_EAGAIN))
		return -EPIPE;
	return o > 0 || e > 0;
}

int ssh_exec(struct ssh *s, const char *cmd, const void *stdin_data, size_t stdin_len,
	     ssh_output_fn fn, void *ctx, int *exit_status)
{
	return ssh_exec_until(s, cmd, stdin_data, stdin_len, fn, ctx, exit_status, NULL);
}

int ssh_exec_until(struct ssh *s, const char *cmd, const void *stdin_data, size_t stdin_len,
		   ssh_output_fn fn, void *ctx, int *exit_status, int (*eof_when)(void))
{
	LIBSSH2_CHANNEL *ch;
	char buf[32768];
	int ret = 0;

	*exit_status = -1;
	libssh2_session_set_blocking(s->sess, 1);
	ch = libssh2_channel_open_session(s->sess);
	if (!ch || libssh2_channel_exec(ch, cmd)) {
		char *msg;
		libssh2_session_last_error(s->sess, &msg, NULL, 0);
		err_msg("%s: cannot run '%.60s': %s", s->vm, cmd, msg);
		if (ch)
			libssh2_channel_free(ch);
		return -EIO;
	}
	/* Non-blocking from here: a command that exits without reading all
	 * of its stdin must not leave us waiting for window space forever. */
	libssh2_session_set_blocking(s->sess, 0);
	const char *p = stdin_data;
	while (stdin_len) {
		ssize_t n = libssh2_channel_write(ch, p, stdin_len > 32768 ? 32768 : stdin_len);
		if (n == LIBSSH2_ERROR_EAGAIN) {
			/* drain its output meanwhile: it may be waiting on us */
			int got = drain(ch, fn, ctx, buf, sizeof(buf));
			if (got < 0) {
				ret = got;
				break;
			}
			if (libssh2_channel_eof(ch))
				break;	/* it is gone; its exit status says how */
			if (!got)
				wait_socket(s);
			continue;
		}
		if (n < 0) {
			ret = -EIO;
			break;
		}
		p += n;
		stdin_len -= n;
	}
	int eof_sent = !eof_when;
	if (eof_sent)
		while (libssh2_channel_send_eof(ch) == LIBSSH2_ERROR_EAGAIN)
			wait_socket(s);
	while (!ret) {
		if (!eof_sent && eof_when()) {
			while (libssh2_channel_send_eof(ch) == LIBSSH2_ERROR_EAGAIN)
				wait_socket(s);
			eof_sent = 1;
		}
		int got = drain(ch, fn, ctx, buf, sizeof(buf));
		if (got < 0) {
			ret = got;
			break;
		}
		if (got)
			continue;
		if (libssh2_channel_eof(ch))
			break;
		wait_socket(s);
	}
	libssh2_session_set_blocking(s->sess, 1);
	if (!ret) {
		libssh2_channel_close(ch);
		libssh2_channel_wait_closed(ch);
		*exit_status = libssh2_channel_get_exit_status(ch);
	}
	libssh2_channel_free(ch);
	return ret;
}

static void collect(void *ctx, int is_stderr, const char *data, size_t len)
{
	if (!is_stderr)
		sb_add(ctx, data, len);
	else
		fwrite(data, 1, len, stderr);
}

int ssh_capture(struct ssh *s, const char *cmd, struct strbuf *out, int *exit_status)
{
	return ssh_exec(s, cmd, NULL, 0, collect, out, exit_status);
}

void ssh_close(struct ssh *s)
{
	if (!s)
		return;
	if (s->sess) {
		libssh2_session_disconnect(s->sess, "done");
		libssh2_session_free(s->sess);
	}
	if (s->fd > 0)
		close(s->fd);
	free(s->vm);
	free(s);
}
