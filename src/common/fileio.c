#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* At most max bytes more into out: -EFBIG past it. */
static int read_fd_max(int fd, struct strbuf *out, size_t max)
{
	size_t start = out->len;

	for (;;) {
		if (out->len - start > max)
			return -EFBIG;
		sb_grow(out, 8192);
		ssize_t n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		out->len += n;
		out->buf[out->len] = '\0';
	}
	return 0;
}

int read_fd(int fd, struct strbuf *out)
{
	return read_fd_max(fd, out, (size_t)-1 / 2);
}

static int read_file_common(const char *path, struct strbuf *out, int quiet_enoent)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		if (errno == ENOENT && quiet_enoent)
			return -ENOENT;
		return err_errno(errno, "cannot read %s", path);
	}
	ret = read_fd(fd, out);
	close(fd);
	if (ret)
		return err_errno(-ret, "cannot read %s", path);
	return 0;
}

int read_file_bounded(const char *path, struct strbuf *out, size_t max)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	int ret = 0;

	if (fd < 0)
		return err_errno(errno, "cannot read %s", path);
	if (fstat(fd, &st) < 0) {
		ret = err_errno(errno, "cannot read %s", path);
	} else if (!S_ISREG(st.st_mode)) {
		err_msg("%s is not a regular file; not read", path);
		ret = -EINVAL;
	} else if ((unsigned long long)st.st_size > max) {
		err_msg("%s is %llu bytes, more than the %zu a file of its kind may have; not read",
			path, (unsigned long long)st.st_size, max);
		ret = -EFBIG;
	} else {
		fcntl(fd, F_SETFL, 0);
		ret = read_fd_max(fd, out, max);
		if (ret == -EFBIG)
			err_msg("%s grew past %zu bytes while read; not read", path, max);
		else if (ret)
			err_errno(-ret, "cannot read %s", path);
	}
	close(fd);
	return ret;
}

int read_file(const char *path, struct strbuf *out)
{
	return read_file_common(path, out, 0);
}

int read_file_if_exists(const char *path, struct strbuf *out)
{
	return read_file_common(path, out, 1);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd, ret;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = err_errno(errno, "cannot write %s", path);
		goto out;
	}
	ret = write_all(fd, data, len);
	if (!ret && fsync(fd) < 0 && errno != EINVAL)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		err_errno(-ret, "cannot write %s", path);
	}
out:
	free(tmp);
	return ret;
}

int append_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int ret;

	if (fd < 0)
		return err_errno(errno, "cannot append to %s", path);
	ret = write_all(fd, text, strlen(text));
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (ret)
		return err_errno(-ret, "cannot append to %s", path);
	return 0;
}

int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	int ret = 0;

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			ret = err_errno(errno, "cannot create directory %s", p);
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!ret && !is_dir(path))
		ret = err_errno(ENOTDIR, "cannot create directory %s", path);
	free(p);
	return ret;
}

int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int is_executable(const char *path)
{
	return is_file(path) && access(path, X_OK) == 0;
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, slash - path);
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la && a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

char *path_real(const char *path)
{
	char *r = realpath(path, NULL);

	return r;
}
