/* Whole-file reads, atomic writes, directories. All return 0 or -errno
 * and report the error themselves, naming the path. */
#ifndef MMT_FILEIO_H
#define MMT_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "strbuf.h"

int read_file(const char *path, struct strbuf *out);
/* read_file() for files a tree may hold, which could be anything: only a
 * regular file of at most max bytes is read (-EINVAL, -EFBIG otherwise;
 * reported naming the file). */
int read_file_bounded(const char *path, struct strbuf *out, size_t max);
/* The rest of an open descriptor, appended to out; -errno, not reported. */
int read_fd(int fd, struct strbuf *out);
/* Like read_file() but silent when the file is missing (-ENOENT). */
int read_file_if_exists(const char *path, struct strbuf *out);
/* Write via a temporary file and rename(): readers never see a torn file. */
int write_file_atomic(const char *path, const void *data, size_t len);
int append_file(const char *path, const char *text);
int mkdir_p(const char *path, mode_t mode);
int is_dir(const char *path);
int is_file(const char *path);
int is_executable(const char *path);
/* dirname of path into a new string. */
char *path_dirname(const char *path);
char *path_join(const char *a, const char *b);
/* Absolute, symlink-free path; NULL when it does not exist. */
char *path_real(const char *path);

#endif
