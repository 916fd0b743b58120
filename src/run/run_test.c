/* One test of a run: install its shellpack, run its bench with monitors
 * around it, cache its parse-results, record it all in run.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "progress.h"
#include "run.h"
#include "spawn.h"
#include "tree.h"
#include "timestamps.h"
#include "sysstate.h"
#include "shellpack_run.h"
#include "xalloc.h"

/* Show the end of a log so the user sees why without opening it. */
static void show_tail(const char *path, int lines)
{
	struct strbuf b = STRBUF_INIT;

	if (read_file_if_exists(path, &b) == 0 && b.len) {
		const char *p = b.buf + b.len;
		int n = 0;
		if (p > b.buf && p[-1] == '\n')
			p--;
		while (p > b.buf && n <= lines)
			if (*--p == '\n')
				n++;
		if (*p == '\n')
			p++;
		fprintf(stderr, "---- last lines of %s ----\n%s%s", path, p,
			b.buf[b.len - 1] == '\n' ? "" : "\n");
	}
	sb_release(&b);
}

int run_install(struct run *r, struct run_test *t)
{
	char *log = tree_install_log(r->rundir, t->pack.name);
	char *dir = path_dirname(log);
	struct env env = ENV_INIT;
	struct spawn_result res;
	int ret;

	if ((ret = mkdir_p(dir, 0755)) || (ret = shellpack_env(&t->pack, &r->env, &env)))
		goto out;
	env_set(&env, "MMTESTS_BENCH", t->name);
	ret = shellpack_run_install(&t->pack, &env, log, &res, r->install_timeout);
	if (res.stopped_by) {
		ret = -EINTR;
	} else if (res.timed_out) {
		err_msg("installing %s ran past MMTESTS_INSTALL_TIMEOUT (%g s) and was stopped; read %s",
			t->pack.name, r->install_timeout, log);
		show_tail(log, 10);
		ret = -ETIMEDOUT;
	} else if (ret > 0) {
		err_msg("installing %s failed (exit status %d); read %s", t->pack.name, ret, log);
		show_tail(log, 10);
		ret = -EIO;
	}
out:
	env_free(&env);
	free(log);
	free(dir);
	return ret;
}

/* Validated parse-results output into tsv; errors reported. */
static int parse(const struct shellpack_meta *pack, const char *logdir,
		 char *const *envp, struct strbuf *tsv, double timeout)
{
	int ret = shellpack_parse_results(pack, logdir, envp, tsv, timeout);

	if (ret == -ENODATA)
		err_msg("%s/parse-results printed no samples for %s", pack->dir, logdir);
	return ret;
}

static void record_result(struct test_record *tr, const struct spawn_result *res, int code,
			  enum run_status status, const char *log)
{
	tr->status = status;
	tr->ran = 1;
	tr->exit_code = code;
	tr->elapsed = res->elapsed;
	tr->user = res->ru.ru_utime.tv_sec + res->ru.ru_utime.tv_usec / 1e6;
	tr->system = res->ru.ru_stime.tv_sec + res->ru.ru_stime.tv_usec / 1e6;
	run_record_set(&tr->log, log);
}

/* Monitor problems never fail the test: they are reported and kept. */
static void record_monitor_problems(struct test_record *tr, struct strbuf *report)
{
	for (char *p = report->buf; *p; ) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		warn_msg("%.*s", (int)len, p);
		tr->monitor_problems = xrealloc(tr->monitor_problems,
						(tr->nproblems + 1) * sizeof(char *));
		tr->monitor_problems[tr->nproblems++] = xstrndup(p, len);
		if (!nl)
			break;
		p = nl + 1;
	}
}

int run_bench(struct run *r, int iter, int test)
{
	struct run_test *t = &r->tests[test];
	char *iterdir = tree_iter_dir(r->rundir, iter);
	char *logdir = tree_test_logs(iterdir, t->name);
	char *log = tree_test_output(iterdir, t->name);
	char *cache = tree_test_cache(iterdir, t->name);
	struct test_record *tr = run_state_test(r, iter, test);
	struct spawn_result res;
	struct env env = ENV_INIT;
	struct strbuf tsv = STRBUF_INIT;
	char num[32];
	double timeout = r->test_timeout;
	int ret, code;

	if ((ret = mkdir_p(logdir, 0755)) || (ret = shellpack_env(&t->pack, &r->env, &env)) ||
	    (timeout < 0 && (ret = shellpack_bench_timeout(&t->pack, &env, &timeout)))) {
		tr->status = ST_FAILED;
		run_state_note_error(r, &tr->error);
		env_free(&env);
		run_state_save(r);
		goto out;
	}
	snprintf(num, sizeof(num), "%d", iter);
	env_set(&env, "MMTEST_ITERATION", num);
	env_set(&env, "SHELLPACK_LOG", iterdir);
	env_set(&env, "LOGDIR_RESULTS", logdir);
	env_set(&env, "MMTESTS_BENCH", t->name);

	tr->status = ST_RUNNING;
	run_record_set(&tr->error, NULL);
	for (int i = 0; i < tr->nproblems; i++)	/* from an attempt before --resume */
		free(tr->monitor_problems[i]);
	tr->nproblems = 0;
	run_state_save(r);
	struct monitor_session *mon = NULL;
	struct strbuf mon_report = STRBUF_INIT;
	if (r->monitors.n && monitor_start(&r->monitors, iterdir, t->name, &env, &mon))
		sb_adds(&mon_report, "monitors could not all be started\n");
	ts_test_begin(iterdir, t->name);
	sysstate_test_begin(iterdir, t->name);
	code = shellpack_run_bench(&t->pack, &env, log, &res, timeout, progress_tick, r);
	if (mon)
		monitor_stop(mon, &mon_report);
	record_monitor_problems(tr, &mon_report);
	sb_release(&mon_report);
	if (code < 0) {
		ret = code;
		tr->status = ST_FAILED;
		run_state_note_error(r, &tr->error);
		env_free(&env);
		run_state_save(r);
		goto out;
	}
	ts_test_end(iterdir, t->name,
		    res.ru.ru_utime.tv_sec + res.ru.ru_utime.tv_usec / 1e6,
		    res.ru.ru_stime.tv_sec + res.ru.ru_stime.tv_usec / 1e6, res.elapsed);
	sysstate_test_end(iterdir, t->name, code);
	if (res.stopped_by) {
		record_result(tr, &res, code, ST_INTERRUPTED, log);
		ret = -EINTR;
	} else if (res.timed_out) {
		record_result(tr, &res, code, ST_TIMED_OUT, log);
		err_msg("%s (iter-%d) ran past its timeout (%g s, %s) and was stopped; read %s",
			t->name, iter, timeout, r->test_timeout < 0 ? "its shellpack.conf's timeout" :
			"MMTESTS_TEST_TIMEOUT", log);
		run_state_note_error(r, &tr->error);
		show_tail(log, 10);
		ret = -ETIMEDOUT;
	} else if (code) {
		record_result(tr, &res, code, ST_FAILED, log);
		err_msg("%s (iter-%d) failed with exit status %d; read %s",
			t->name, iter, code, log);
		run_state_note_error(r, &tr->error);
		show_tail(log, 10);
		ret = -EIO;
	} else if ((ret = parse(&t->pack, logdir, env_vector(&env), &tsv, r->parse_timeout))) {
		/* stopped by an interrupt, parse-results is not to blame */
		enum run_status st = interrupt_pending() ? ST_INTERRUPTED :
				     ret == -ETIMEDOUT ? ST_TIMED_OUT : ST_PARSE_FAILED;
		record_result(tr, &res, code, st, log);
		if (st != ST_INTERRUPTED)
			run_state_note_error(r, &tr->error);
		ret = interrupt_pending() ? -EINTR : -EINVAL;
	} else if ((ret = write_file_atomic(cache, tsv.buf, tsv.len))) {
		/* the cache is what compare reads: without it the test is not done */
		record_result(tr, &res, code, ST_FAILED, log);
		run_state_note_error(r, &tr->error);
	} else {
		record_result(tr, &res, code, ST_DONE, log);
		ret = 0;
	}
	env_free(&env);
	run_state_save(r);
out:
	sb_release(&tsv);
	free(cache);
	free(log);
	free(logdir);
	free(iterdir);
	return ret;
}
