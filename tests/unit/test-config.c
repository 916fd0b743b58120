/* config_load() against real bash, with configs written the MMTests way. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_shell.h"
#include "fileio.h"
#include "tap.h"
#include "xalloc.h"

static char *dir;

static char *write_cfg(const char *name, const char *text)
{
	char *p = path_join(dir, name);

	write_file_atomic(p, text, strlen(text));
	return p;
}

static int load(const char *helper, const char *file, struct env *out)
{
	struct env base = ENV_INIT;
	const char *files[] = { file };
	int ret;

	env_from_environ(&base);
	env_set(&base, "SHELLPACK_INCLUDE", getenv("SHELLPACK_INCLUDE") ?: ".");
	config_add_host_facts(&base);
	ret = config_load(&base, helper, files, 1, out);
	env_free(&base);
	return ret;
}

int main(void)
{
	char tmpl[] = "/tmp/mmt-test-config-XXXXXX";
	const char *src = getenv("MMTESTS_SRC");
	char *helper, *inc, *f;
	struct env out = ENV_INIT;
	long n;

	dir = mkdtemp(tmpl);
	inc = path_join(src ? src : ".", "shellpacks");
	setenv("SHELLPACK_INCLUDE", inc, 1);
	helper = path_join(inc, "config-helpers.sh");

	free(write_cfg("sourced", "export FROM_SOURCED=yes\n"));
	f = xasprintf(
		"### an MMTests-style config\n"
		"export MMTESTS=\"stream hackbench-process-pipes\"\n"
		"export SIZE=$((1048576*3*2))\n"
		"export KERNEL=`uname -s`\n"
		"export CPUS_X2=$((NUMCPUS*2))\n"
		"if [ $NUMCPUS -gt 0 ]; then export POSITIVE=yes; fi\n"
		"case `uname -m` in *) export ARCHCASE=seen ;; esac\n"
		"helper() { echo \"from-$1\"; }\n"
		"export VIA_FUNC=$(helper func)\n"
		". %s/sourced\n"
		"get_numa_details\n"
		"export NODE0=${MMTESTS_NODE_SIZE[0]}\n"
		"echo this goes to stderr, not into the environment\n"
		"NOT_EXPORTED=1\n", dir);
	char *good = write_cfg("config-good", f);
	free(f);
	ok(load(helper, good, &out) == 0, "MMTests-style config loads");
	is_str(env_get(&out, "MMTESTS"), "stream hackbench-process-pipes", "MMTESTS");
	is_str(env_get(&out, "SIZE"), "6291456", "arithmetic");
	is_str(env_get(&out, "KERNEL"), "Linux", "backtick command substitution");
	ok(env_get_long(&out, "CPUS_X2", &n) == 0 && n == 2 * sysconf(_SC_NPROCESSORS_ONLN),
	   "NUMCPUS fact usable in arithmetic");
	is_str(env_get(&out, "POSITIVE"), "yes", "if");
	is_str(env_get(&out, "ARCHCASE"), "seen", "case");
	is_str(env_get(&out, "VIA_FUNC"), "from-func", "function and $()");
	is_str(env_get(&out, "FROM_SOURCED"), "yes", "sourcing another file");
	ok(env_get_long(&out, "NODE0", &n) == 0 && n > 0, "get_numa_details fills MMTESTS_NODE_SIZE");
	ok(env_get_long(&out, "MEMTOTAL_BYTES", &n) == 0 && n > 0, "MEMTOTAL_BYTES fact");
	ok(env_get(&out, "NOT_EXPORTED") == NULL, "unexported variables stay out");
	ok(env_get(&out, "__MMT_HELPER") == NULL, "loader internals stay out");
	env_free(&out);

	char *bad = write_cfg("config-bad", "export A=1\nfalse_command_xyz\nexport B=2\n");
	/* as in MMTests, which sources configs into its shell: a warning */
	ok(load(helper, bad, &out) == 0 && env_get(&out, "B") && !strcmp(env_get(&out, "B"), "2"),
	   "a failing command is a warning: the load goes on to the end");
	env_free(&out);
	char *syn = write_cfg("config-syntax", "export A=1\nif then\n");
	ok(load(helper, syn, &out) != 0, "a syntax error fails the load");
	char *ex = write_cfg("config-exit", "export A=1\nexit 0\n");
	ok(load(helper, ex, &out) != 0, "a config that exits early fails the load");
	char *missing = path_join(dir, "no-such-config");
	ok(load(helper, missing, &out) != 0, "a missing config fails the load");
	char *cond = write_cfg("config-cond", "if false; then :; fi\ngrep -q nothing /dev/null || true\nexport OK=1\n");
	ok(load(helper, cond, &out) == 0 && env_get(&out, "OK"), "failures inside conditions are fine");
	env_free(&out);

	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd)) {}
	free(cmd);
	free(good); free(bad); free(syn); free(ex); free(missing); free(cond);
	free(helper);
	free(inc);
	return done_testing();
}
