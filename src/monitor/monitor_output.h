/* Where a monitor's text goes: a plain file, or gzip flushed with
 * Z_SYNC_FLUSH at least every flush_interval seconds so that a killed run
 * still leaves a readable file; optionally every line prefixed with
 * epoch, offset from start and gap since the previous line (MMTests's
 * latency-output format: "%16.4f %8.4f %10.4f -- line"). */
#ifndef MMT_MONITOR_OUTPUT_H
#define MMT_MONITOR_OUTPUT_H

#include <stddef.h>
#include <zlib.h>

#include "strbuf.h"

struct mon_output {
	char *path;
	int fd;
	int gzip;
	int latency;
	z_stream zs;
	int zs_ready;
	double start, last;	/* wall clock, for the latency prefix */
	double last_flush;	/* monotonic */
	struct strbuf partial;	/* an incomplete line (latency mode) */
	struct strbuf obuf;
	int failed;		/* a write error happened: stop writing */
};

int mon_output_open(struct mon_output *o, const char *path, int gzip, int latency);
/* Write text; in latency mode complete lines get their prefix. Returns
 * -errno on the first write error (reported once, naming the file). */
int mon_output_write(struct mon_output *o, const char *data, size_t len);
/* Push everything written so far to the file (sync flush for gzip). */
int mon_output_flush(struct mon_output *o);
int mon_output_close(struct mon_output *o);

#endif
