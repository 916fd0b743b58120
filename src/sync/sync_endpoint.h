/* Where the barrier is: "tcp:HOST:PORT", "unix:PATH" (a virtio-serial
 * channel's host side, or tests), "serial:/dev/virtio-ports/NAME" (the
 * guest side of that channel), "vsock:CID:PORT". */
#ifndef MMT_SYNC_ENDPOINT_H
#define MMT_SYNC_ENDPOINT_H

enum sync_transport { SYNC_TCP, SYNC_UNIX, SYNC_SERIAL, SYNC_VSOCK };

struct sync_endpoint {
	enum sync_transport transport;
	char host[256];		/* tcp host, unix/serial path */
	unsigned port;		/* tcp/vsock port */
	unsigned cid;		/* vsock */
};

/* 0, or -EINVAL with a message naming the value. */
int sync_endpoint_parse(const char *spec, struct sync_endpoint *ep);
/* A connected (or opened) descriptor, or -errno (reported). */
int sync_endpoint_connect(const struct sync_endpoint *ep);
/* The same without a message (for retries). */
int sync_endpoint_try(const struct sync_endpoint *ep);

#endif
