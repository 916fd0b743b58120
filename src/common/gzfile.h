/* gzip output for results-tree files (system info, caches). */
#ifndef MMT_GZFILE_H
#define MMT_GZFILE_H

#include <stddef.h>

#include "strbuf.h"

/* Write data as a complete gzip file, atomically (tmp + rename). */
int gz_write_file(const char *path, const void *data, size_t len);
/* Append data (under 4 GiB) as one more gzip member: what was there stays
 * readable whatever happens to this write. */
int gz_append_file(const char *path, const void *data, size_t len);

/* Append a plain or gzip file to out, up to about max bytes (said, when
 * cut there). A gzip stream cut short keeps what came and counts in
 * *truncated (unless NULL). 0, or -errno when it cannot be opened. */
int gz_read_file(const char *path, struct strbuf *out, size_t max, int *truncated);

#endif
