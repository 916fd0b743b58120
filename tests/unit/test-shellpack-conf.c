#include <errno.h>
#include <unistd.h>
#include <stdlib.h>

#include "fileio.h"
#include "shellpack_conf.h"
#include "tap.h"
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
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file_atomic(conf, bad[i], strlen(bad[i]));
		ok(shellpack_meta_load(dir, "bad", &m) != 0, "rejected: %.*s", (int)strcspn(bad[i], "\n"), bad[i]);
	}
	unlink(conf);
	rmdir(dir);
	free(conf);
	free(root);
	return done_testing();
}
