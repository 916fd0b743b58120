/* Every shellpack's scripts and shellpack.conf agree (docs/shellpacks.md):
 *  - shellpack.conf loads; bench and parse-results are executable;
 *  - every declared default expands (on this host's facts) and passes its
 *    own variable's checks;
 *  - no script restates a declared default (${VAR:-value} of a declared
 *    VAR) or defaults an undeclared variable of the shellpack's own
 *    prefix (it would escape the checks and --list);
 *  - no install script names a declared package (install_declared and
 *    the shared installer install them);
 *  - a timeout, at least 10 minutes with the defaults.
 * Plus expand_default on its own. */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "config_shell.h"
#include "expand.h"
#include "fileio.h"
#include "shellpack_run.h"
#include "shellpack_vars.h"
#include "tap.h"
#include "xalloc.h"

static const struct shellpack_var *declared(const struct shellpack_meta *m, const char *name)
{
	for (int i = 0; i < m->nvars; i++)
		if (!strcmp(m->vars[i].name, name))
			return &m->vars[i];
	return NULL;
}

/* The variable's prefix (up to its first '_') is one the shellpack uses. */
static int own_prefix(const struct shellpack_meta *m, const char *name)
{
	size_t n = strcspn(name, "_");

	for (int i = 0; i < m->nvars; i++)
		if (!strncmp(m->vars[i].name, name, n) && m->vars[i].name[n] == '_')
			return 1;
	return 0;
}

static void check_script(const struct shellpack_meta *m, const char *script, int *bad)
{
	char *path = path_join(m->dir, script);
	struct strbuf b = STRBUF_INIT;
	regex_t re;
	regmatch_t g[3];

	if (read_file_if_exists(path, &b)) {
		free(path);
		return;
	}
	regcomp(&re, "\\$\\{([A-Z][A-Z0-9_]*):-([^}]*)\\}", REG_EXTENDED);
	for (const char *p = b.buf; !regexec(&re, p, 3, g, 0); p += g[0].rm_eo) {
		char *name = xstrndup(p + g[1].rm_so, g[1].rm_eo - g[1].rm_so);
		int has_value = g[2].rm_eo > g[2].rm_so;
		const struct shellpack_var *v = declared(m, name);
		if (has_value && v && v->def) {
			printf("# %s restates %s's default: %.*s\n", path, name,
			       (int)(g[0].rm_eo - g[0].rm_so), p + g[0].rm_so);
			(*bad)++;
		} else if (has_value && !v && own_prefix(m, name)) {
			printf("# %s defaults %s, which shellpack.conf does not declare\n", path, name);
			(*bad)++;
		}
		free(name);
	}
	regfree(&re);
	/* A package named on a line that installs packages (a program such as
	 * make, also a package name, may well be run) */
	if (!strcmp(script, "install"))
		for (char *line = strtok(b.buf, "\n"); line; line = strtok(NULL, "\n")) {
			if (!strstr(line, "install-deps") && !strstr(line, "apt-get") && !strstr(line, "dnf ") &&
			    !strstr(line, "zypper"))
				continue;
			for (int i = 0; i < m->npackages; i++)
				if (strstr(line, m->packages[i])) {
					printf("# %s names package %s: shellpack.conf's packages are installed by "
					       "install_declared or install-deps --packages $SHELLPACK_PACKAGES\n",
					       path, m->packages[i]);
					(*bad)++;
				}
		}
	sb_release(&b);
	free(path);
}

static void check_shellpack(const char *root, const char *name, const struct env *host)
{
	char *dir = path_join(root, name);
	struct shellpack_meta m;
	struct env env = ENV_INIT;
	int bad = 0;

	if (shellpack_meta_load(dir, name, &m)) {
		ok(0, "%s: shellpack.conf loads", name);
		free(dir);
		return;
	}
	for (const char *const *s = (const char *const[]){ "bench", "parse-results", NULL }; *s; s++) {
		char *p = path_join(dir, *s);
		if (!is_executable(p)) {
			printf("# %s is missing or not executable\n", p);
			bad++;
		}
		free(p);
	}
	ok(!bad, "%s: bench and parse-results are there", name);
	ok(shellpack_env(&m, host, &env) == 0 && shellpack_vars_check(&m, &env, "defaults") == 0,
	   "%s: every declared default expands and passes its own checks", name);
	double limit = 0;
	ok(m.timeout && shellpack_bench_timeout(&m, &env, &limit) == 0 && limit >= 600,
	   "%s: a timeout (at least 10 minutes with the defaults: %g s)", name, limit);
	bad = 0;
	check_script(&m, "bench", &bad);
	check_script(&m, "parse-results", &bad);
	check_script(&m, "install", &bad);
	ok(!bad, "%s: the scripts restate no default and no package", name);
	env_free(&env);
	shellpack_meta_free(&m);
	free(dir);
}

static void expansion(void)
{
	struct env e = ENV_INIT;
	struct strbuf out = STRBUF_INIT;
	const char *why;

	env_set(&e, "NUMCPUS", "6");
	env_set(&e, "DATA", "/d");
	env_set(&e, "WORD", "x");
	ok(expand_default("$DATA/fio ${DATA}x", &e, &out, &why) == 0 && !strcmp(out.buf, "/d/fio /dx"),
	   "$NAME and ${NAME} (%s)", out.buf);
	sb_reset(&out);
	ok(expand_default("$((NUMCPUS * 4)) $(( (1 + $NUMCPUS) / 2 - -1 )) $((7 % 4))", &e, &out, &why) == 0 &&
	   !strcmp(out.buf, "24 4 3"), "$((...)) arithmetic (%s)", out.buf);
	sb_reset(&out);
	ok(expand_default("1 $NUMCPUS", &e, &out, &why) == 0 && !strcmp(out.buf, "1 6"), "in a list");
	ok(expand_default("$NOPE", &e, &out, &why) == -EINVAL && !strcmp(why, "an unset name"),
	   "an unset name is an error");
	ok(expand_default("$((WORD * 2))", &e, &out, &why) == -EINVAL, "a word in $((...)) is an error");
	ok(expand_default("$((4 / 0))", &e, &out, &why) == -EINVAL, "division by zero is an error");
	ok(expand_default("$((4 + 2)", &e, &out, &why) == -EINVAL, "an unclosed $((...)) is an error");
	ok(expand_default("$(date)", &e, &out, &why) == -EINVAL, "a command substitution is refused");
	ok(expand_default("${DATA", &e, &out, &why) == -EINVAL, "an unclosed ${ is refused");
	sb_release(&out);
	env_free(&e);
}

int main(void)
{
	const char *src = getenv("MMTESTS_SRC");
	char *root = path_join(src ? src : ".", "shellpacks");
	struct env host = ENV_INIT;
	struct dirent **ents;
	int n = scandir(root, &ents, NULL, alphasort), packs = 0;

	expansion();
	env_from_environ(&host);
	config_add_host_facts(&host);
	env_set(&host, "SHELLPACK_DATA", "/work/testdisk/data");
	env_set(&host, "MMTESTS_WORK", "/work");
	for (int i = 0; i < n; i++) {
		char *conf = xasprintf("%s/%s/shellpack.conf", root, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && is_file(conf)) {
			check_shellpack(root, ents[i]->d_name, &host);
			packs++;
		}
		free(conf);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	ok(packs >= 20, "every shellpack was checked (%d)", packs);
	env_free(&host);
	free(root);
	return done_testing();
}
