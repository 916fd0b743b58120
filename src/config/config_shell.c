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
 * that only `env -0` reaches fd 3. As in MMTests (which sources configs
 * into its own shell), a command that fails inside a config does not stop
 * it: the ERR trap warns with file, line and command, and loading goes on.
 * A syntax error (found first by `bash -n`, which prints bash's own
 * "file: line N: ..." message), an unreadable config and a config that
 * exits (`die`, `exit`: MMTests stops there too) are fatal. A config in a
 * directory named configs is sourced from that directory's parent, as
 * MMTests runs from its top directory: `source configs/config-other`.
 */
static const char loader[] =
	"exec 3>&1 1>&2\n"
	"__mmt_pwd=$PWD\n"
	"__mmt_fail() {\n"
	"  printf 'config error: %s could not be loaded (%s)\\n' \"$__mmt_cfg\" \"$1\"\n"
	"  trap - EXIT\n"
	"  exit 2\n"
	"}\n"
	"__mmt_warn() {\n"
	/* empty BASH_SOURCE: the `.` of a config whose last command failed,
	 * already warned about from inside it */
	"  [ -n \"$1\" ] || return 0\n"
	"  printf 'config warning: %s: line %s: command `%s` failed with exit status %s (loading goes on, as in MMTests)\\n' \"$1\" \"$2\" \"$4\" \"$3\"\n"
	"}\n"
	"if [ -n \"$__MMT_HELPER\" ]; then . \"$__MMT_HELPER\" || { echo \"config error: helper library $__MMT_HELPER failed\"; exit 2; }; fi\n"
	"unset __MMT_HELPER\n"
	"trap '__mmt_rc=$?; echo \"config error: $__mmt_cfg called exit before it finished (exit status $__mmt_rc; its own message, if any, is above -- MMTests stops there too)\"' EXIT\n"
	"for __mmt_cfg in \"$@\"; do\n"
	"  if [ ! -r \"$__mmt_cfg\" ]; then __mmt_fail 'cannot read it'; fi\n"
	"  bash -n \"$__mmt_cfg\" || __mmt_fail 'see bash message above'\n"
	"  __mmt_src=$__mmt_cfg\n"
	"  case $__mmt_cfg in /*) ;; *) __mmt_src=$PWD/$__mmt_cfg ;; esac\n"
	"  case ${__mmt_src%/*} in */configs) cd \"${__mmt_src%/*}/..\" ;; esac\n"
	"  trap '__mmt_warn \"${BASH_SOURCE[0]}\" \"$LINENO\" \"$?\" \"$BASH_COMMAND\"' ERR\n"
	"  . \"$__mmt_src\"\n"
	"  trap - ERR\n"
	"  cd \"$__mmt_pwd\"\n"
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

/* The last level cache: the highest cache index of cpu0, and how many
 * distinct CPU sets share one (MMTests's LLC_INDEX and NUM_LLCS). */
static int llc_facts(int *index)
{
	glob_t g;
	int best = -1, n = 0;
	char **seen = NULL;

	if (glob("/sys/devices/system/cpu/cpu0/cache/index[0-9]*", GLOB_ONLYDIR, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			int k = atoi(strrchr(g.gl_pathv[i], 'x') + 1);
			best = k > best ? k : best;
		}
		globfree(&g);
	}
	*index = best < 0 ? 0 : best;
	if (best < 0)
		return 1;
	char pat[96];
	snprintf(pat, sizeof(pat), "/sys/devices/system/cpu/cpu[0-9]*/cache/index%d/shared_cpu_map", best);
	if (glob(pat, GLOB_NOSORT, NULL, &g) == 0) {
		seen = xcalloc(g.gl_pathc, sizeof(char *));
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct strbuf b = STRBUF_INIT;
			int dup = 0;
			if (read_file(g.gl_pathv[i], &b)) {
				sb_release(&b);
				continue;
			}
			for (int j = 0; j < n && !dup; j++)
				dup = !strcmp(seen[j], b.buf);
			if (dup)
				sb_release(&b);
			else
				seen[n++] = sb_detach(&b);
		}
		for (int j = 0; j < n; j++)
			free(seen[j]);
		free(seen);
		globfree(&g);
	}
	return n ? n : 1;
}

/* CPUs per core: cpu0's thread siblings (lscpu's "Thread(s) per core"). */
static int smt_weight(void)
{
	struct strbuf b = STRBUF_INIT;
	int n = 0;

	if (read_file("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", &b) == 0) {
		/* "0,4" or "0-1" or "0" */
		for (char *p = b.buf; *p;) {
			long a = strtol(p, &p, 10), z = a;
			if (*p == '-')
				z = strtol(p + 1, &p, 10);
			n += z >= a ? z - a + 1 : 1;
			while (*p && *p != ',')
				p++;
			if (*p == ',')
				p++;
		}
	}
	sb_release(&b);
	return n > 0 ? n : 1;
}

static void set_num(struct env *e, const char *name, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	env_set(e, name, num);
}

void config_add_host_facts(struct env *e)
{
	struct strbuf mi = STRBUF_INIT;
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

	set_num(e, "NUMCPUS", ncpu);
	set_num(e, "NUM_CPUS", ncpu);
	set_num(e, "NUMNODES", nodes);
	set_num(e, "MEMTOTAL_BYTES", memtotal);
	set_num(e, "MEMTOTAL_PAGES", memtotal / page);
	set_num(e, "PAGESIZE", page);
	set_num(e, "HUGE_PAGESIZE", huge);
	set_num(e, "MEMTOTAL_HUGEPAGES", memtotal / huge);

	/* MMTests's names for the same and more (shellpacks/common.sh there):
	 * NUM_LOGICAL_CPUS counts offline CPUs too, as its ls does. */
	int logical = 0, llc_index, llcs = llc_facts(&llc_index), smt = smt_weight();
	if (glob("/sys/devices/system/cpu/cpu[0-9]*", GLOB_ONLYDIR | GLOB_NOSORT, NULL, &g) == 0) {
		logical = g.gl_pathc;
		globfree(&g);
	}
	if (logical <= 0)
		logical = ncpu;
	set_num(e, "NUM_LOGICAL_CPUS", logical);
	set_num(e, "NUM_NODES", nodes);
	set_num(e, "LLC_INDEX", llc_index);
	set_num(e, "NUM_LLCS", llcs);
	set_num(e, "SMT_WEIGHT", smt);
	set_num(e, "NUM_CORES", logical / smt);	/* MMTests's own is always 0 (a typo there) */
	set_num(e, "LLC_WEIGHT", logical / llcs);
	set_num(e, "NODE_WEIGHT", logical / nodes);
	env_set(e, "MMTESTS_LIBDIR", sizeof(long) == 8 ? "lib64" : "lib");
	env_set(e, "SHELLPACK_SUCCESS", "0");
	env_set(e, "SHELLPACK_ERROR", "-1");
	env_set(e, "SHELLPACK_FAILURE", "-1");
}
