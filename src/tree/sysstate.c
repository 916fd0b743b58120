#include "sysstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>

#include "fileio.h"
#include "gzfile.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *const proc_files[] = {
	"/proc/vmstat", "/proc/zoneinfo", "/proc/meminfo", "/proc/schedstat", "/proc/diskstats",
};

static int append(const char *iterdir, const struct strbuf *b)
{
	char *path = path_join(iterdir, "tests-sysstate.gz");
	int ret = gz_append_file(path, b->buf, b->len);

	free(path);
	return ret;
}

/* A file's content as "`cat FILE`" puts it in a shell echo: without its
 * last newline, then echo's. */
static void add_file(struct strbuf *b, const char *path)
{
	struct strbuf v = STRBUF_INIT;

	read_file_if_exists(path, &v);
	while (v.len && v.buf[v.len - 1] == '\n')
		v.buf[--v.len] = '\0';
	sb_addf(b, "%s\n", v.buf);
	sb_release(&v);
}

static void add_proc_files(struct strbuf *b, const char *when)
{
	for (size_t i = 0; i < sizeof(proc_files) / sizeof(proc_files[0]); i++) {
		sb_addf(b, "file %s :: %s\n", when, proc_files[i]);
		add_file(b, proc_files[i]);
	}
}

int sysstate_iteration_start(const char *iterdir)
{
	struct strbuf b = STRBUF_INIT;
	struct utsname u;
	int ret;

	sb_addf(&b, "start :: %ld\n", (long)time(NULL));
	sb_addf(&b, "version :: %s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	sb_addf(&b, "arch :: %s\n", uname(&u) == 0 ? u.machine : "unknown");
	sb_adds(&b, "/proc/mounts :: start\n");
	add_file(&b, "/proc/mounts");
	ret = append(iterdir, &b);
	sb_release(&b);
	return ret;
}

int sysstate_test_begin(const char *iterdir, const char *test)
{
	struct strbuf b = STRBUF_INIT;
	int ret;

	sb_addf(&b, "test begin :: %s %ld\n", test, (long)time(NULL));
	add_proc_files(&b, "start");
	ret = append(iterdir, &b);
	sb_release(&b);
	return ret;
}

int sysstate_test_end(const char *iterdir, const char *test, int exit_code)
{
	struct strbuf b = STRBUF_INIT;
	int ret;

	add_proc_files(&b, "end");
	sb_addf(&b, "test end :: %s %ld %d\n", test, (long)time(NULL), exit_code);
	ret = append(iterdir, &b);
	sb_release(&b);
	return ret;
}
