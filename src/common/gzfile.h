/* gzip output for results-tree files (system info, caches). */
#ifndef MMT_GZFILE_H
#define MMT_GZFILE_H

#include <stddef.h>

/* Write data as a complete gzip file, atomically (tmp + rename). */
int gz_write_file(const char *path, const void *data, size_t len);
/* Append data (under 4 GiB) as one more gzip member: what was there stays
 * readable whatever happens to this write. */
int gz_append_file(const char *path, const void *data, size_t len);

#endif
