#include <errno.h>
#include <unistd.h>
#include <stdlib.h>

#include "fileio.h"
#include "env.h"
#include "shellpack_conf.h"
#include "shellpack_vars.h"
#include "tap.h"
#include "units.h"
#include "xalloc.h"

int main(void)
{
	const char *src = getenv("MMTESTS_SRC");
	char *root = path_join(src ? src : ".", "shellpacks");
	struct shellpack_meta m;
	struct strbuf known = STRBUF_INIT;

	ok(shellpack_lookup(root, "stream", &m) == 0, "stream found by name");
	is_str(m.name, "stream", "name");
	ok(m.higher_is_better == 1, "stream: higher is better");
	ok(m.nmetrics == 4, "four metrics");
	is_str(m.summary, "multiops", "summary");
	shellpack_meta_free(&m);

	ok(shellpack_lookup(root, "hackbench-thread-sockets", &m) == 0, "alias resolves");
	is_str(m.name, "hackbench", "alias maps to hackbench");
	ok(m.higher_is_better == 0 && m.decimal_places == 4, "lower is better, 4 decimals");
	ok(m.npackages == 1 && !strcmp(m.packages[0], "rt-tests"), "package rt-tests");
	shellpack_meta_free(&m);

	ok(shellpack_lookup(root, "no-such-bench", &m) == -ENOENT, "unknown benchmark is -ENOENT");
	ok(shellpack_lookup(root, "../etc", &m) == -ENOENT, "path-like names are not looked up");
	shellpack_list_known(root, &known);
	ok(strstr(known.buf, "stream") && strstr(known.buf, "hackbench-process-pipes"),
	   "known list has names and aliases: %s", known.buf);
	sb_release(&known);

	/* Bad metadata: error, not a crash, and no half-filled struct. */
	char tmpl[] = "/tmp/mmt-test-spc-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *conf = path_join(dir, "shellpack.conf");
	const char *bad[] = {
		"prefer = \"sideways\"\n",
		"decimal_places = 12\n",
		"summary = \"weird\"\n",
		"units = \n",
		"source { file = \"x.tar.gz\" sha256 = \"abc\" }\n",
		"unknown_option = 1\n",
		"variable \"X\" { type = \"float\" }\n",
		"variable \"X\" { type = \"enum\" }\n",
		"variable \"X\" { type = \"list\" items = \"color\" }\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file_atomic(conf, bad[i], strlen(bad[i]));
		ok(shellpack_meta_load(dir, "bad", &m) != 0, "rejected: %.*s", (int)strcspn(bad[i], "\n"), bad[i]);
	}

	/* Declared variables, checked against a config's values. */
	const char *vars =
		"commands = { \"fio\" }\n"
		"variable \"N\" { type = \"int\" min = 1 max = 64 }\n"
		"variable \"SZ\" { type = \"size\" }\n"
		"variable \"RW\" { type = \"enum\" values = { \"read\", \"randrw\" } }\n"
		"variable \"CLIENTS\" { type = \"list\" items = \"int\" min = 1 }\n"
		"variable \"OPT\" { type = \"list\" min_items = 0 values = { \"a\", \"b\" } }\n";
	write_file_atomic(conf, vars, strlen(vars));
	ok(shellpack_meta_load(dir, "v", &m) == 0 && m.nvars == 5 && m.ncommands == 1, "variables and commands load");
	ok(m.vars[0].has_min && m.vars[0].min == 1 && m.vars[0].has_max && m.vars[0].max == 64, "int bounds");
	ok(!m.vars[1].has_min, "no bound when none is given");
	static const struct { const char *var, *val; int bad; } cases[] = {
		{ "N", "8", 0 }, { "N", "0", 1 }, { "N", "65", 1 }, { "N", "8x", 1 }, { "N", "", 0 },
		{ "SZ", "4096", 0 }, { "SZ", "512M", 0 }, { "SZ", "1.5g", 0 }, { "SZ", "2GiB", 0 },
		{ "SZ", "-5", 1 }, { "SZ", "0", 1 }, { "SZ", "12q", 1 },
		{ "RW", "randrw", 0 }, { "RW", "readwrite", 1 },
		{ "CLIENTS", "1 2 4", 0 }, { "CLIENTS", "1,2,4", 0 }, { "CLIENTS", "", 1 },
		{ "CLIENTS", "1 0", 1 }, { "CLIENTS", "1 two", 1 },
		{ "OPT", "", 0 }, { "OPT", "a b", 0 }, { "OPT", "a c", 1 },
		/* strict numbers (issue 13): nothing strtod would take but a size would not */
		{ "SZ", "nan", 1 }, { "SZ", "inf", 1 }, { "SZ", "0x1p30", 1 }, { "SZ", "1e3", 1 },
		{ "SZ", " 5", 1 }, { "SZ", "99999999999t", 1 },
		{ "N", "nan", 1 }, { "N", "0x10", 1 }, { "N", " 8", 1 },
		{ "N", "99999999999999999999", 1 },
		{ "OPT", ",", 1 }, { "OPT", " , ", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct env e = ENV_INIT;
		env_set(&e, cases[i].var, cases[i].val);
		int nbad = shellpack_vars_check(&m, &e, "config-t");
		ok(nbad == cases[i].bad, "%s='%s' %s", cases[i].var, cases[i].val,
		   cases[i].bad ? "rejected" : "accepted");
		env_free(&e);
	}
	shellpack_meta_free(&m);
	uint64_t b;
	ok(parse_bytes("64k", 1, &b) == 0 && b == 65536, "64k is 65536 bytes");
	unlink(conf);
	rmdir(dir);
	free(conf);
	free(root);
	return done_testing();
}
