#include "gzfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "log.h"
#include "xalloc.h"

int gz_read_file(const char *path, struct strbuf *out, size_t max, int *truncated)
{
	gzFile gz = gzopen(path, "rb");
	char buf[65536];
	int n, err = Z_OK;

	if (!gz)
		return -(errno ? errno : ENOMEM);
	while ((n = gzread(gz, buf, sizeof(buf))) > 0) {
		sb_add(out, buf, n);
		if (out->len > max) {
			warn_msg("%s: more than %zu MiB; the rest is not read", path, max >> 20);
			break;
		}
	}
	gzerror(gz, &err);
	if (truncated && (n < 0 || err == Z_BUF_ERROR || (err != Z_OK && err != Z_STREAM_END)))
		(*truncated)++;
	gzclose(gz);
	return 0;
}

int gz_append_file(const char *path, const void *data, size_t len)
{
	gzFile gz = gzopen(path, "ab6");	/* a new gzip member at the end */
	int ret = 0;

	if (!gz)
		return err_errno(errno ? errno : ENOMEM, "cannot append to %s", path);
	if (len && gzwrite(gz, data, (unsigned)len) <= 0)
		ret = -EIO;
	if (gzclose(gz) != Z_OK && !ret)
		ret = -EIO;
	if (ret)
		err_errno(-ret, "cannot append to %s", path);
	return ret;
}

int gz_write_file(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int ret = 0;
	gzFile gz;

	gz = gzopen(tmp, "wb6");
	if (!gz) {
		ret = err_errno(errno ? errno : ENOMEM, "cannot write %s", path);
		goto out;
	}
	while (len && !ret) {
		unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned)len;
		int n = gzwrite(gz, p, chunk);
		if (n <= 0)
			ret = -EIO;
		p += chunk;
		len -= chunk;
	}
	if (gzclose(gz) != Z_OK && !ret)
		ret = -EIO;
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
