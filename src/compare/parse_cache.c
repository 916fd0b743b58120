#include "parse_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "shellpack_run.h"
#include "xalloc.h"

#define CACHE_FORMAT "mmtests-c parse-results cache 1\n"
#define CACHE_MAX (256u << 20)

static char *cache_dir(void)
{
	const char *e = getenv("MMTESTS_CACHE");

	if (e && !strcmp(e, "off"))
		return NULL;
	if (e && *e)
		return xstrdup(e);
	if ((e = getenv("XDG_CACHE_HOME")) && *e)
		return path_join(e, "mmtests-c");
	if ((e = getenv("HOME")) && *e)
		return path_join(e, ".cache/mmtests-c");
	return NULL;
}

static void add_stat(struct strbuf *key, const char *what, const char *name, const struct stat *st)
{
	sb_addf(key, "%s %s %lld %lld.%09ld\n", what, name, (long long)st->st_size,
		(long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

/* What the samples depend on: the script, and every file of the logs by
 * name, size and mtime. -errno when the logs cannot be read. */
static int make_key(const struct shellpack_meta *m, const char *logs, struct strbuf *key)
{
	char *script = path_join(m->dir, "parse-results"), *real = path_real(logs);
	struct dirent **ents;
	struct stat st;
	int n;

	sb_adds(key, CACHE_FORMAT);
	if (stat(script, &st) == 0)
		add_stat(key, "script", script, &st);
	sb_addf(key, "logs %s\n", real ? real : logs);
	n = scandir(logs, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char *p = path_join(logs, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && lstat(p, &st) == 0)
			add_stat(key, "file", ents[i]->d_name, &st);
		free(p);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	sb_adds(key, "samples\n");
	free(script);
	free(real);
	return n < 0 ? -errno : 0;
}

/* FNV-1a: the file name; the key inside the file is what is checked. */
static char *cache_path(const char *dir, const struct strbuf *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < key->len; i++)
		h = (h ^ (unsigned char)key->buf[i]) * 0x100000001b3ULL;
	return xasprintf("%s/%016llx.tsv", dir, (unsigned long long)h);
}

static int lookup(const char *path, const struct strbuf *key, struct strbuf *tsv)
{
	struct strbuf b = STRBUF_INIT;
	int hit = 0;

	if (path && is_file(path) && read_file_bounded(path, &b, CACHE_MAX) == 0 &&
	    b.len >= key->len && !memcmp(b.buf, key->buf, key->len)) {
		sb_add(tsv, b.buf + key->len, b.len - key->len);
		hit = 1;
	}
	sb_release(&b);
	return hit;
}

/* Quietly: a cache that cannot be written is only slower next time. */
static void store(const char *path, const struct strbuf *key, const struct strbuf *tsv)
{
	char *tmp = xasprintf("%s.%ld", path, (long)getpid());
	int fd;

	for (char *p = strchr(tmp + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';	/* each parent of the file, quietly */
		mkdir(tmp, 0755);
		*p = '/';
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		int ok = write(fd, key->buf, key->len) == (ssize_t)key->len &&
			 write(fd, tsv->buf, tsv->len) == (ssize_t)tsv->len;
		if (close(fd) == 0 && ok && rename(tmp, path) == 0) {
			free(tmp);
			return;
		}
		unlink(tmp);
	}
	free(tmp);
}

int parse_cache_get(const struct shellpack_meta *m, const char *logs, struct strbuf *tsv)
{
	struct strbuf key = STRBUF_INIT;
	char *dir = cache_dir(), *path = NULL;
	int ret;

	if (dir && make_key(m, logs, &key) == 0)
		path = cache_path(dir, &key);
	if (lookup(path, &key, tsv)) {
		ret = 0;
	} else {
		ret = shellpack_parse_results(m, logs, NULL, tsv, SHELLPACK_PARSE_TIMEOUT);
		if (ret == -ENODATA)
			ret = 0;	/* an iteration without samples, as MMTests reads it */
		if (!ret && path)
			store(path, &key, tsv);
	}
	sb_release(&key);
	free(path);
	free(dir);
	return ret;
}

static int missing(const struct shellpack_meta *m, const char *logs)
{
	struct strbuf key = STRBUF_INIT, tsv = STRBUF_INIT;
	char *dir = cache_dir(), *path = NULL;
	int miss = 0;

	if (dir && make_key(m, logs, &key) == 0) {
		path = cache_path(dir, &key);
		miss = !lookup(path, &key, &tsv);
	}
	sb_release(&key);
	sb_release(&tsv);
	free(path);
	free(dir);
	return miss;
}

void parse_cache_fill(const struct shellpack_meta *m, char **logs, int n, int jobs)
{
	int running = 0;

	for (int i = 0; i <= n; i++) {
		/* at most jobs at a time; at the end, wait for all */
		while (running && (running >= jobs || i == n)) {
			if (wait(NULL) > 0 || errno != EINTR)
				running--;
		}
		if (i == n || !missing(m, logs[i]))
			continue;
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			/* errors are reported when the parent reads it */
			int null = open("/dev/null", O_WRONLY);
			struct strbuf tsv = STRBUF_INIT;
			if (null >= 0)
				dup2(null, 2);
			_exit(parse_cache_get(m, logs[i], &tsv) ? 1 : 0);
		}
		if (pid > 0)
			running++;
	}
}
