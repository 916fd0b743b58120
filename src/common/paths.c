#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "xalloc.h"

static char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return path_dirname(buf);
}

static int has_shellpacks(const char *top)
{
	char *s = path_join(top, "shellpacks");
	int ok = is_dir(s);

	free(s);
	return ok;
}

/* An installed tree moved from its prefix (a DESTDIR staging, a relocated
 * package): the configured directory DIR, taken relative to the prefix and
 * re-rooted at up (bindir's parent), when it is there; else DIR itself. */
static char *relocated(const char *up, const char *dir)
{
	const char *prefix = MMTESTS_PREFIX;
	size_t n = strlen(prefix);

	if (!strncmp(dir, prefix, n) && dir[n] == '/') {
		char *moved = path_join(up, dir + n + 1);
		if (is_dir(moved))
			return moved;
		free(moved);
	}
	return xstrdup(dir);
}

int paths_discover(struct paths *p)
{
	const char *env;
	char *up = NULL;
	int checkout = 0;

	memset(p, 0, sizeof(*p));
	p->bindir = self_dir();
	if (!p->bindir)
		return err_errno(errno, "cannot find my own executable");
	up = path_join(p->bindir, "..");

	if ((env = getenv("MMTESTS_HOME")) && *env) {
		p->top = path_real(env);
		if (!p->top || !has_shellpacks(p->top)) {
			err_msg("MMTESTS_HOME=%s has no shellpacks/ directory", env);
			free(up);
			paths_free(p);	/* (a failed discovery leaves nothing to free) */
			return -ENOENT;
		}
	} else if (has_shellpacks(up)) {
		p->top = path_real(up);
		checkout = 1;
	} else {
		char *status = path_join(up, "config.status");
		/* An out-of-tree build directory: data lives in the source tree. */
		if (is_file(status) && has_shellpacks(MMTESTS_SRCDIR)) {
			p->top = xstrdup(MMTESTS_SRCDIR);
			checkout = 1;
		} else {
			p->top = relocated(up, MMTESTS_PKGDATADIR);
		}
		free(status);
	}
	p->shellpacks = path_join(p->top, "shellpacks");
	if (!is_dir(p->shellpacks)) {
		err_msg("shellpacks not found at %s (set MMTESTS_HOME)", p->shellpacks);
		free(up);
		paths_free(p);
		return -ENOENT;
	}

	if ((env = getenv("MMTESTS_LIBEXEC")) && *env) {
		p->libexec = xstrdup(env);
	} else {
		char *b = path_join(up, "src/bench");
		p->libexec = is_dir(b) ? path_real(b) : relocated(up, MMTESTS_PKGLIBEXECDIR);
		free(b);
	}

	/* Our helper scripts come with the programs, whatever MMTESTS_HOME
	 * says: the checkout's (or, from a build directory, the source
	 * tree's) tools/, else the installed ones. */
	char *tools = path_join(up, "tools"), *status = path_join(up, "config.status");
	char *probe = path_join(tools, "install-deps");
	if (is_file(probe))
		p->tools = tools;
	else {
		free(tools);
		if (is_file(status)) {
			p->tools = xstrdup(MMTESTS_SRCDIR "/tools");
		} else {
			char *data = relocated(up, MMTESTS_PKGDATADIR);
			p->tools = path_join(data, "tools");
			free(data);
		}
	}
	free(probe);
	free(status);

	if ((env = getenv("MMTESTS_WORK")) && *env) {
		p->work = xstrdup(env);
	} else if (checkout && access(p->top, W_OK) == 0) {
		p->work = path_join(p->top, "work");
	} else {
		char cwd[PATH_MAX];
		p->work = path_join(getcwd(cwd, sizeof(cwd)) ? cwd : ".", "work");
	}
	free(up);
	return 0;
}

void paths_free(struct paths *p)
{
	free(p->bindir);
	free(p->top);
	free(p->shellpacks);
	free(p->libexec);
	free(p->tools);
	free(p->work);
	memset(p, 0, sizeof(*p));
}

char *paths_shellpack_path(const struct paths *p)
{
	const char *path = getenv("PATH");
	/* /usr/games: where Debian puts stockfish, and root's PATH lacks it */
	/* an out-of-tree build: the source tree's scripts (make-guest) too */
	char *srcbin = path_join(p->top, "bin");
	char *ours = is_dir(srcbin) && strcmp(srcbin, p->bindir) ? xasprintf("%s:%s", p->bindir, srcbin)
								 : xstrdup(p->bindir);
	char *s = xasprintf("%s:%s:%s:/usr/games", ours, path && *path ? path : "/usr/bin:/bin", p->libexec);
	free(ours);
	free(srcbin);
	struct dirent **ents;
	int n = scandir(p->shellpacks, &ents, NULL, alphasort);

	/* What a shellpack's install built from source, after the system's
	 * (an installed program wins over our build of an older release). */
	for (int i = 0; i < n; i++) {
		char *inst = xasprintf("%s/%s/install", p->shellpacks, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && access(inst, X_OK) == 0) {
			char *t = xasprintf("%s:%s/sources/%s-installed/bin", s, p->work, ents[i]->d_name);
			free(s);
			s = t;
		}
		free(inst);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return s;
}
