/* src/tree: results-tree paths, iteration listing, run.json round trips. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "run_json.h"
#include "tap.h"
#include "tree.h"
#include "xalloc.h"

static void paths(void)
{
	char *s;

	s = tree_iter_dir("/l/r", 3);
	is_str(s, "/l/r/iter-3", "iteration directory");
	free(s);
	s = tree_test_cache("/l/r/iter-0", "stream");
	is_str(s, "/l/r/iter-0/stream/parse-results.tsv", "parse-results cache");
	free(s);
	s = tree_monitor_file("/d", "vmstat", "stream", 1);
	is_str(s, "/d/vmstat-stream.gz", "gzipped monitor file");
	free(s);
	s = tree_host_dir("/l", "base");
	is_str(s, "/l/base-host", "run-kvm host directory");
	free(s);
	s = tree_vm_dir("/l", "base", "vm1");
	is_str(s, "/l/base-vm1", "a VM's tree");
	free(s);
}

static void iterations(const char *tmp)
{
	const char *names[] = { "iter-10", "iter-2", "iter-0", "iter-01", "iter-", "iter-1x",
				"iter--1", "other" };
	int *it, n;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *d = path_join(tmp, names[i]);
		mkdir(d, 0755);
		free(d);
	}
	n = tree_iterations(tmp, &it);
	ok(n == 3, "iter-0, iter-2, iter-10 are iterations; iter-01, iter-1x, iter--1 are not (n=%d)", n);
	ok(n == 3 && it[0] == 0 && it[1] == 2 && it[2] == 10, "in numeric order");
	free(it);
	char *missing = path_join(tmp, "nothere");
	ok(tree_iterations(missing, &it) < 0 && !it, "a missing run directory is an error");
	free(missing);
}

static void mmtests_round_trip(const char *tmp)
{
	struct run_record w, r;
	char *path = path_join(tmp, "run.json");
	char *names[] = { "stream", "hackbench" };

	memset(&w, 0, sizeof(w));
	w.kind = RUN_KIND_MMTESTS;
	w.runname = xstrdup("base");
	w.status = ST_FAILED;
	run_stamp_now(&w.start);
	host_record_fill(&w.host);
	w.mmtests = xcalloc(2, sizeof(char *));
	for (int i = 0; i < 2; i++)
		w.mmtests[w.ntests++] = xstrdup(names[i]);
	run_record_add_iterations(&w, 2);
	w.iters[0].status = ST_DONE;
	w.iters[1].status = ST_FAILED;
	struct test_record *t = &w.iters[1].tests[1];
	t->status = ST_PARSE_FAILED;
	t->ran = 1;
	t->exit_code = 0;
	t->elapsed = 1.5;
	run_record_set(&t->log, "/x/bench.log");
	t->monitor_problems = xcalloc(1, sizeof(char *));
	t->monitor_problems[t->nproblems++] = xstrdup("perf \"died\"\n");
	ok(run_json_write(path, &w) == 0, "run.json written");
	ok(run_json_read(path, &r, 0) == 0, "and read back");
	ok(r.format == RUN_JSON_FORMAT && r.kind == RUN_KIND_MMTESTS, "format and kind");
	is_str(r.runname, "base", "runname");
	ok(r.status == ST_FAILED, "run status");
	ok(r.start.epoch == w.start.epoch, "start stamp");
	ok(r.ntests == 2 && r.iterations == 2, "tests and iterations");
	is_str(r.iters[1].tests[1].name, "hackbench", "test name");
	ok(r.iters[0].status == ST_DONE && r.iters[1].tests[1].status == ST_PARSE_FAILED &&
	   r.iters[1].tests[0].status == ST_PENDING, "iteration and test states");
	ok(r.iters[1].tests[1].ran && r.iters[1].tests[1].elapsed == 1.5, "a test's result");
	ok(!r.iters[0].tests[0].ran, "a pending test has no result");
	ok(r.iters[1].tests[1].nproblems == 1 &&
	   !strcmp(r.iters[1].tests[1].monitor_problems[0], "perf \"died\"\n"),
	   "monitor problems, escaped and back");
	run_record_free(&r);
	run_record_free(&w);
	free(path);
}

static void kvm_round_trip(const char *tmp)
{
	struct run_record w, r;
	char *path = path_join(tmp, "kvm.json");

	memset(&w, 0, sizeof(w));
	w.kind = RUN_KIND_KVM_HOST;
	w.status = ST_RUNNING;
	struct vm_record *v = run_record_add_vm(&w, "vm1");
	v->status = ST_FAILED;
	run_record_set(&v->reason, "the guest crashed");
	v->results_are = RESULTS_CHECKPOINT;
	run_record_add_vm(&w, "vm2");
	ok(run_json_write(path, &w) == 0, "run-kvm's run.json written");
	ok(run_json_read(path, &r, 0) == 0 && r.kind == RUN_KIND_KVM_HOST && r.nvms == 2, "read back: two VMs");
	struct vm_record *g = run_record_vm(&r, "vm1");
	ok(g && g->status == ST_FAILED && g->results_are == RESULTS_CHECKPOINT &&
	   !strcmp(g->reason, "the guest crashed"), "a VM's state");
	ok(run_record_vm(&r, "vm2")->status == ST_STARTING, "a new VM is starting");
	run_record_free(&r);
	ok(tree_is_host_dir(tmp) == 0, "a directory without run.json is not a host directory");
	char *rj = tree_run_json(tmp);
	rename(path, rj);
	ok(tree_is_host_dir(tmp) == 1, "run-kvm's run.json marks a host directory");
	unlink(rj);
	free(rj);
	run_record_free(&w);
	free(path);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void bad_files(const char *tmp)
{
	char *path = path_join(tmp, "bad.json");
	struct run_record r;

	write_text(path, "{\"format\": 99}");
	ok(run_json_read(path, &r, 1) == -EINVAL, "a newer format is refused");
	write_text(path, "{\"status\": \"finsihed\"}");
	ok(run_json_read(path, &r, 1) == -EINVAL, "an unknown status is refused");
	write_text(path, "{\"mmtests\": [\"a\"], \"results\": [{\"tests\": []}]}");
	ok(run_json_read(path, &r, 1) == -EINVAL, "an iteration missing a test is refused");
	write_text(path, "{\"mmtests\": \"a\"}");
	ok(run_json_read(path, &r, 1) == -EINVAL, "a string where a list belongs is refused");
	write_text(path, "[1");
	ok(run_json_read(path, &r, 1) == -EINVAL, "broken JSON is refused");
	write_text(path, "{\"tool\": \"run-kvm\", \"vms\": {}}");
	ok(run_json_read(path, &r, 1) == 0 && r.kind == RUN_KIND_KVM_HOST && r.format == 1,
	   "format 1 of run-kvm (no kind) is read as run-kvm");
	run_record_free(&r);
	free(path);
}

int main(void)
{
	char tmp[] = "/tmp/test-tree.XXXXXX";

	if (!mkdtemp(tmp))
		return 1;
	paths();
	iterations(tmp);
	mmtests_round_trip(tmp);
	kvm_round_trip(tmp);
	bad_files(tmp);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	(void)!system(cmd);
	return done_testing();
}
