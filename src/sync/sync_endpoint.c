#include "sync_endpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "log.h"

int sync_endpoint_parse(const char *spec, struct sync_endpoint *ep)
{
	char rest[sizeof(ep->host)];
	char *colon, *end;

	memset(ep, 0, sizeof(*ep));
	if (!strncmp(spec, "unix:", 5) || !strncmp(spec, "serial:", 7)) {
		ep->transport = spec[0] == 'u' ? SYNC_UNIX : SYNC_SERIAL;
		snprintf(ep->host, sizeof(ep->host), "%s", strchr(spec, ':') + 1);
		if (!ep->host[0])
			goto bad;
		return 0;
	}
	if (!strncmp(spec, "tcp:", 4) || !strncmp(spec, "vsock:", 6)) {
		ep->transport = spec[0] == 't' ? SYNC_TCP : SYNC_VSOCK;
		snprintf(rest, sizeof(rest), "%s", strchr(spec, ':') + 1);
		colon = strrchr(rest, ':');
		if (!colon)
			goto bad;
		*colon = '\0';
		unsigned long port = strtoul(colon + 1, &end, 10);
		if (*end || end == colon + 1 || port == 0 || port > 65535)
			goto bad;
		ep->port = port;
		if (ep->transport == SYNC_VSOCK) {
			unsigned long cid = strtoul(rest, &end, 10);
			if (*end || end == rest)
				goto bad;
			ep->cid = cid;
		} else {
			/* [::1] style for IPv6 */
			size_t l = strlen(rest);
			if (l > 2 && rest[0] == '[' && rest[l - 1] == ']') {
				rest[l - 1] = '\0';
				memmove(rest, rest + 1, l - 1);
			}
			snprintf(ep->host, sizeof(ep->host), "%s", rest);
		}
		return 0;
	}
bad:
	err_msg("sync endpoint '%s': use tcp:HOST:PORT, unix:PATH, serial:DEVICE or vsock:CID:PORT", spec);
	return -EINVAL;
}

int sync_endpoint_connect(const struct sync_endpoint *ep)
{
	int fd = sync_endpoint_try(ep);

	if (fd >= 0 || ep->transport == SYNC_TCP)
		return fd;	/* TCP reports its own (resolver) errors */
	if (fd == -ENAMETOOLONG)
		err_msg("path too long: %s", ep->host);
	else if (ep->transport == SYNC_SERIAL)
		err_errno(-fd, "cannot open %s", ep->host);
	else
		err_errno(-fd, "cannot reach the barrier");
	return fd;
}

int sync_endpoint_try(const struct sync_endpoint *ep)
{
	int fd = -1, one = 1;

	switch (ep->transport) {
	case SYNC_SERIAL:
		fd = open(ep->host, O_RDWR | O_CLOEXEC | O_NOCTTY);
		return fd < 0 ? -errno : fd;
	case SYNC_UNIX: {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		if (strlen(ep->host) >= sizeof(sa.sun_path))
			return -ENAMETOOLONG;
		memcpy(sa.sun_path, ep->host, strlen(ep->host) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			goto fail;
		return fd;
	}
	case SYNC_VSOCK: {
		struct sockaddr_vm sa = { .svm_family = AF_VSOCK, .svm_cid = ep->cid,
					  .svm_port = ep->port };
		fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			goto fail;
		return fd;
	}
	case SYNC_TCP: {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *p;
		char port[16];
		snprintf(port, sizeof(port), "%u", ep->port);
		int rc = getaddrinfo(ep->host, port, &hints, &ai);
		if (rc) {
			err_msg("sync endpoint %s: %s", ep->host, gai_strerror(rc));
			return -EHOSTUNREACH;
		}
		for (p = ai; p; p = p->ai_next) {
			fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
			if (fd >= 0 && connect(fd, p->ai_addr, p->ai_addrlen) == 0)
				break;
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
		freeaddrinfo(ai);
		if (fd < 0)
			return err_errno(errno ? errno : ECONNREFUSED, "cannot reach the barrier at %s:%u",
					 ep->host, ep->port);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		return fd;
	}
	}
fail:
	{
		int e = errno;
		if (fd >= 0)
			close(fd);
		return -e;
	}
}
