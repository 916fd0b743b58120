#include "monitor_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"
#include "xalloc.h"

static double wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static int write_fd(struct mon_output *o, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(o->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			if (!o->failed)
				err_errno(e, "monitor output %s: stopped writing", o->path);
			o->failed = 1;
			return -e;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int deflate_out(struct mon_output *o, const void *data, size_t len, int flush)
{
	unsigned char out[16384];
	int ret = 0;

	o->zs.next_in = (unsigned char *)data;
	o->zs.avail_in = len;
	do {
		o->zs.next_out = out;
		o->zs.avail_out = sizeof(out);
		if (deflate(&o->zs, flush) == Z_STREAM_ERROR)
			return -EIO;
		size_t have = sizeof(out) - o->zs.avail_out;
		if (have && (ret = write_fd(o, out, have)))
			return ret;
	} while (o->zs.avail_out == 0);
	return 0;
}

int mon_output_open(struct mon_output *o, const char *path, int gzip, int latency)
{
	memset(o, 0, sizeof(*o));
	sb_init(&o->partial);
	sb_init(&o->obuf);
	o->path = xstrdup(path);
	o->gzip = gzip;
	o->latency = latency;
	o->start = o->last = wall_now();
	o->last_flush = monotonic_now();
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (o->fd < 0)
		return err_errno(errno, "cannot write %s", path);
	if (gzip) {
		/* windowBits 15 + 16: a gzip header, so zcat reads it. Level 1:
		 * monitor text compresses well and the CPU is the budget. */
		if (deflateInit2(&o->zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			close(o->fd);
			return err_errno(ENOMEM, "gzip for %s", path);
		}
		o->zs_ready = 1;
	}
	return 0;
}

static int emit(struct mon_output *o, const char *data, size_t len)
{
	if (o->failed)
		return -EIO;
	if (o->gzip)
		return deflate_out(o, data, len, Z_NO_FLUSH);
	/* plain: buffer, written at flush */
	sb_add(&o->obuf, data, len);
	return o->obuf.len > 65536 ? mon_output_flush(o) : 0;
}

int mon_output_write(struct mon_output *o, const char *data, size_t len)
{
	int ret = 0;

	if (!o->latency)
		return emit(o, data, len);
	/* Prefix each complete line; \r ends a line as in latency-output. */
	for (size_t i = 0; i < len && !ret; i++) {
		char c = data[i] == '\r' ? '\n' : data[i];
		sb_addc(&o->partial, c);
		if (c != '\n')
			continue;
		double now = wall_now();
		char prefix[96];
		int n = snprintf(prefix, sizeof(prefix), "%16.4f %8.4f %10.4f -- ", now,
				 now - o->start, now - o->last);
		o->last = now;
		ret = emit(o, prefix, n);
		if (!ret)
			ret = emit(o, o->partial.buf, o->partial.len);
		sb_reset(&o->partial);
	}
	return ret;
}

int mon_output_flush(struct mon_output *o)
{
	int ret = 0;

	if (o->failed)
		return -EIO;
	if (o->gzip) {
		ret = deflate_out(o, "", 0, Z_SYNC_FLUSH);
	} else if (o->obuf.len) {
		ret = write_fd(o, o->obuf.buf, o->obuf.len);
		sb_reset(&o->obuf);
	}
	o->last_flush = monotonic_now();
	return ret;
}

int mon_output_close(struct mon_output *o)
{
	int ret = 0;

	if (o->latency && o->partial.len && !o->failed)
		mon_output_write(o, "\n", 1);	/* a last line without newline */
	if (o->fd >= 0) {
		if (!o->failed)
			ret = o->gzip ? deflate_out(o, "", 0, Z_FINISH) : mon_output_flush(o);
		if (close(o->fd) < 0 && !ret && !o->failed)
			ret = err_errno(errno, "cannot write %s", o->path);
	}
	if (o->zs_ready)
		deflateEnd(&o->zs);
	sb_release(&o->partial);
	sb_release(&o->obuf);
	free(o->path);
	o->fd = -1;
	return o->failed ? -EIO : ret;
}
