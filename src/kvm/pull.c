#include "pull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "spawn.h"
#include "xalloc.h"

/* Clean-up: bringing a tree home is what run-kvm does after a Ctrl-C,
 * so an interrupt from before does not stop it. */
static int run_quiet(char *const *argv, const char *what)
{
	struct strbuf o = STRBUF_INIT, e = STRBUF_INIT;
	int status, ret = spawn_capture_cleanup(argv, NULL, &o, &e, &status);

	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status)))
		ret = err_errno(EIO, "%s: %s", what, e.buf);
	sb_release(&o);
	sb_release(&e);
	return ret;
}

int remove_tree(const char *path)
{
	char *argv[] = { "rm", "-rf", "--", (char *)path, NULL };

	return run_quiet(argv, path);
}

int pull_tree(struct ssh *s, const char *vm, const char *guest_logdir,
	      const char *runname, const char *dst)
{
	struct strbuf data = STRBUF_INIT;
	char *cmd = xasprintf("cd %s 2>/dev/null && tar -czf - %s", guest_logdir, runname);
	char *tmp = xasprintf("%s.pulling", dst);
	char *file = xasprintf("%s.tar.gz", tmp);
	char *src = path_join(tmp, runname);
	int st, ret = ssh_capture(s, cmd, &data, &st);

	if (!ret && st != 0)
		ret = err_errno(ENOENT, "%s: no results tree %s/%s in the guest", vm, guest_logdir, runname);
	if (!ret)
		ret = remove_tree(tmp);
	if (!ret)
		ret = mkdir_p(tmp, 0755);
	if (!ret)
		ret = write_file_atomic(file, data.buf, data.len);
	if (!ret) {
		char *argv[] = { "tar", "-xzf", file, "-C", tmp, NULL };
		char *what = xasprintf("%s: unpacking its results", vm);
		ret = run_quiet(argv, what);
		free(what);
	}
	if (!ret && rename(src, dst) < 0)
		ret = err_errno(errno, "%s: cannot move the results to %s", vm, dst);
	unlink(file);
	remove_tree(tmp);
	free(cmd);
	free(tmp);
	free(file);
	free(src);
	sb_release(&data);
	return ret;
}
