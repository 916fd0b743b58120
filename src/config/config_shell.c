#include "config_shell.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "spawn.h"
#include "xalloc.h"

/*
 * Run by `bash -c`, configs as $1... Configs' stdout goes to stderr so
 * that only `env -0` reaches fd 3. A failing command inside a config trips
 * the ERR trap, which names the file and line. A syntax error makes bash
 * print its own "file: line N: syntax error" and `.` fail; the trap then
 * fires in this script, where BASH_SOURCE is empty.
 */
static const char loader[] =
	"exec 3>&1 1>&2\n"
	"__mmt_fail() {\n"
	"  if [ -z \"$1\" ]; then\n"
	"    printf 'config error: %s could not be loaded (see bash message above)\\n' \"$__mmt_cfg\"\n"
	"  else\n"
	"    printf 'config error: %s: line %s: command `%s` failed with exit status %s\\n' \"$1\" \"$2\" \"$4\" \"$3\"\n"
	"  fi\n"
	"  trap - EXIT\n"
	"  exit 2\n"
	"}\n"
	"if [ -n \"$__MMT_HELPER\" ]; then . \"$__MMT_HELPER\" || { echo \"config error: helper library $__MMT_HELPER failed\"; exit 2; }; fi\n"
	"unset __MMT_HELPER\n"
	"trap 'echo \"config error: $__mmt_cfg called exit before it finished\"' EXIT\n"
	"for __mmt_cfg in \"$@\"; do\n"
	"  if [ ! -r \"$__mmt_cfg\" ]; then __mmt_fail \"\" 0 1 read; fi\n"
	"  trap '__mmt_fail \"${BASH_SOURCE[0]}\" \"$LINENO\" \"$?\" \"$BASH_COMMAND\"' ERR\n"
	"  . \"$__mmt_cfg\"\n"
	"  trap - ERR\n"
	"done\n"
	"trap - EXIT\n"
	/* MONITOR_HOOKS functions reach shellpacks (pre/post) and the
	 * runner (init/end) as exported functions, as in MMTests. */
	"for __mmt_h in $MONITOR_HOOKS; do for __mmt_s in init pre post end; do\n"
	"  if declare -F \"${__mmt_h}_monitor-$__mmt_s\" >/dev/null; then export -f \"${__mmt_h}_monitor-$__mmt_s\"; fi\n"
	"done; done\n"
	"printf '__MMT_ENV_BEGIN__\\0' >&3\n"
	"exec env -0 >&3\n";

int config_run_hook(struct env *env, const char *function, int keep_env, int cleanup)
{
	static const char script[] =
		"exec 3>&1 1>&2\n"
		"\"$1\"\n"
		"__mmt_rc=$?\n"
		"printf '__MMT_ENV_BEGIN__\\0' >&3\n"
		"env -0 >&3\n"
		"exit $__mmt_rc\n";
	char *argv[] = { "bash", "--noprofile", "--norc", "-c", (char *)script, "bash",
			 (char *)function, NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *mark = "__MMT_ENV_BEGIN__";
	size_t mlen = strlen(mark) + 1;
	int status = 0, ret;

	ret = (cleanup ? spawn_capture_cleanup : spawn_capture)(argv, env_vector(env), &out, &err, &status);
	if (err.len)
		fputs(err.buf, stderr);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("hook %s failed (exit status %d)", function, spawn_exit_code(status));
		ret = -EIO;
	}
	if (!ret && keep_env && out.len >= mlen && !memcmp(out.buf, mark, mlen))
		env_from_nul_list(env, out.buf + mlen, out.len - mlen);
	sb_release(&out);
	sb_release(&err);
	return ret;
}

int config_load(struct env *base, const char *helper, const char *const *files,
		int nfiles, struct env *out)
{
	struct strbuf sout = STRBUF_INIT, serr = STRBUF_INIT;
	char **argv = xcalloc(nfiles + 7, sizeof(char *));
	const char *mark = "__MMT_ENV_BEGIN__";
	size_t mlen = strlen(mark) + 1;
	int status = 0, ret = 0, i = 0;

	for (int f = 0; f < nfiles; f++) {
		if (access(files[f], R_OK) < 0) {
			ret = err_errno(errno, "config %s", files[f]);
			goto out;
		}
	}
	if (helper)
		env_set(base, "__MMT_HELPER", helper);
	argv[i++] = "bash";
	argv[i++] = "--noprofile";
	argv[i++] = "--norc";
	argv[i++] = "-c";
	argv[i++] = (char *)loader;
	argv[i++] = "bash";
	for (int f = 0; f < nfiles; f++)
		argv[i++] = (char *)files[f];
	argv[i] = NULL;

	ret = spawn_capture_kept(argv, env_vector(base), &sout, &serr, &status, 0);
	env_unset(base, "__MMT_HELPER");
	if (ret)
		goto out;
	if (serr.len)
		fputs(serr.buf, stderr);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || sout.len < mlen ||
	    memcmp(sout.buf, mark, mlen)) {
		err_msg("loading config failed (bash exit status %d)", spawn_exit_code(status));
		ret = -EINVAL;
		goto out;
	}
	env_from_nul_list(out, sout.buf + mlen, sout.len - mlen);
out:
	sb_release(&sout);
	sb_release(&serr);
	free(argv);
	return ret;
}

static long meminfo_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

void config_add_host_facts(struct env *e)
{
	struct strbuf mi = STRBUF_INIT;
	char num[64];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long page = sysconf(_SC_PAGESIZE);
	long long memtotal = 0, huge = 0;
	glob_t g;

	if (read_file("/proc/meminfo", &mi) == 0) {
		memtotal = (long long)meminfo_kb(mi.buf, "MemTotal:") * 1024;
		huge = (long long)meminfo_kb(mi.buf, "Hugepagesize:") * 1024;
	}
	sb_release(&mi);
	if (huge <= 0)
		huge = 2 * 1024 * 1024;

	int nodes = 1;
	if (glob("/sys/devices/system/node/node[0-9]*", GLOB_ONLYDIR | GLOB_NOSORT, NULL, &g) == 0) {
		nodes = g.gl_pathc;
		globfree(&g);
	}

	snprintf(num, sizeof(num), "%ld", ncpu);
	env_set(e, "NUMCPUS", num);
	env_set(e, "NUM_CPUS", num);
	snprintf(num, sizeof(num), "%d", nodes);
	env_set(e, "NUMNODES", num);
	snprintf(num, sizeof(num), "%lld", memtotal);
	env_set(e, "MEMTOTAL_BYTES", num);
	snprintf(num, sizeof(num), "%lld", memtotal / page);
	env_set(e, "MEMTOTAL_PAGES", num);
	snprintf(num, sizeof(num), "%ld", page);
	env_set(e, "PAGESIZE", num);
	snprintf(num, sizeof(num), "%lld", huge);
	env_set(e, "HUGE_PAGESIZE", num);
	snprintf(num, sizeof(num), "%lld", memtotal / huge);
	env_set(e, "MEMTOTAL_HUGEPAGES", num);
}
