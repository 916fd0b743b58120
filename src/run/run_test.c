/* Running a shellpack's install, bench and parse-results per the
 * DESIGN.md contract. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "run.h"
#include "spawn.h"
#include "tree.h"
#include "timestamps.h"
#include "tsv.h"
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

static void copy_env(struct env *dst, const struct env *src)
{
	*dst = (struct env)ENV_INIT;
	for (size_t i = 0; i < src->n; i++) {
		const char *kv = src->vars[i];
		const char *eq = strchr(kv, '=');
		char *k = xstrndup(kv, eq - kv);
		env_set(dst, k, eq + 1);
		free(k);
	}
}

static int open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		err_errno(errno, "cannot write %s", path);
	return fd;
}

/* Run a shellpack script with its output in log; returns the exit code,
 * or negative errno. */
static int run_script(const char *script, struct env *env, const char *log,
		      struct spawn_result *res, const char *arg)
{
	char *argv[] = { (char *)script, (char *)arg, NULL };
	struct spawn sp;
	int fd, ret;

	memset(res, 0, sizeof(*res));
	fd = open_log(log);
	if (fd < 0)
		return fd;
	spawn_init(&sp, argv);
	sp.envp = env_vector(env);
	sp.stdout_fd = fd;
	sp.stderr_fd = fd;
	sp.new_pgrp = 1;
	ret = spawn_run(&sp, res);
	close(fd);
	return ret ? ret : spawn_exit_code(res->status);
}

int shellpack_install(struct run *r, struct run_test *t)
{
	char *script = path_join(t->pack.dir, "install");
	char *log = tree_install_log(r->rundir, t->pack.name);
	char *dir = path_dirname(log);
	struct env env;
	struct spawn_result res;
	int ret = 0;

	if (!is_executable(script))
		goto out;
	ret = mkdir_p(dir, 0755);
	if (ret)
		goto out;
	copy_env(&env, &r->env);
	env_set(&env, "SHELLPACK_ROOT", t->pack.dir);
	env_set(&env, "MMTESTS_BENCH", t->name);
	/* What shellpack.conf says about the source, for fetch_source. */
	if (t->pack.source_file) {
		env_set(&env, "SHELLPACK_SOURCE_FILE", t->pack.source_file);
		env_set(&env, "SHELLPACK_SOURCE_SHA256", t->pack.source_sha256);
		env_set(&env, "SHELLPACK_SOURCE_URL", t->pack.source_url ? t->pack.source_url : "");
	}
	ret = run_script(script, &env, log, &res, NULL);
	env_free(&env);
	if (res.stopped_by) {
		ret = -EINTR;
	} else if (ret > 0) {
		err_msg("installing %s failed (exit status %d); read %s", t->pack.name, ret, log);
		show_tail(log, 10);
		ret = -EIO;
	}
out:
	free(log);
	free(dir);
	free(script);
	return ret;
}

int shellpack_parse_results(const struct shellpack_meta *pack, const char *logdir,
			    char *const *envp, const char *cache_path)
{
	char *script = path_join(pack->dir, "parse-results");
	char *argv[] = { script, (char *)logdir, NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int status, ret, lineno = 0, rows = 0;

	ret = spawn_capture(argv, envp, &out, &err, &status);
	if (ret)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err_msg("%s %s failed (exit status %d)%s%s", script, logdir,
			spawn_exit_code(status), err.len ? ":\n" : "", err.buf);
		ret = -EIO;
		goto out;
	}
	/* Validate every line before caching: the cache must be trustworthy. */
	for (char *p = out.buf; *p; ) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		char *copy = xstrdup(line);
		struct tsv_row row;
		const char *why;

		lineno++;
		if (len && tsv_parse_line(line, &row, &why)) {
			err_msg("%s printed a malformed line %d: \"%s\" (%s)", script, lineno, copy, why);
			ret = -EINVAL;
		}
		rows += len != 0;
		free(line);
		free(copy);
		if (ret)
			goto out;
		p = nl ? nl + 1 : p + len;
	}
	if (!rows) {
		err_msg("%s printed no samples for %s", script, logdir);
		ret = -ENODATA;
		goto out;
	}
	ret = write_file_atomic(cache_path, out.buf, out.len);
out:
	sb_release(&out);
	sb_release(&err);
	free(script);
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

int shellpack_bench(struct run *r, int iter, int test)
{
	struct run_test *t = &r->tests[test];
	char *iterdir = tree_iter_dir(r->rundir, iter);
	char *logdir = tree_test_logs(iterdir, t->name);
	char *log = tree_test_output(iterdir, t->name);
	char *cache = tree_test_cache(iterdir, t->name);
	char *script = path_join(t->pack.dir, "bench");
	struct test_record *tr = run_state_test(r, iter, test);
	struct spawn_result res;
	struct env env;
	char num[32];
	int ret, code;

	ret = mkdir_p(logdir, 0755);
	if (ret)
		goto out;
	copy_env(&env, &r->env);
	snprintf(num, sizeof(num), "%d", iter);
	env_set(&env, "MMTEST_ITERATION", num);
	env_set(&env, "SHELLPACK_LOG", iterdir);
	env_set(&env, "LOGDIR_RESULTS", logdir);
	env_set(&env, "SHELLPACK_ROOT", t->pack.dir);
	env_set(&env, "MMTESTS_BENCH", t->name);

	tr->status = ST_RUNNING;
	for (int i = 0; i < tr->nproblems; i++)	/* from an attempt before --resume */
		free(tr->monitor_problems[i]);
	tr->nproblems = 0;
	run_state_save(r);
	struct monitor_session *mon = NULL;
	struct strbuf mon_report = STRBUF_INIT;
	if (r->monitors.n && monitor_start(&r->monitors, iterdir, t->name, &env, &mon))
		sb_adds(&mon_report, "monitors could not all be started\n");
	ts_test_begin(iterdir, t->name);
	code = run_script(script, &env, log, &res, NULL);
	if (mon)
		monitor_stop(mon, &mon_report);
	record_monitor_problems(tr, &mon_report);
	sb_release(&mon_report);
	if (code < 0) {
		ret = code;
		env_free(&env);
		goto out;
	}
	ts_test_end(iterdir, t->name,
		    res.ru.ru_utime.tv_sec + res.ru.ru_utime.tv_usec / 1e6,
		    res.ru.ru_stime.tv_sec + res.ru.ru_stime.tv_usec / 1e6, res.elapsed);
	if (res.stopped_by) {
		record_result(tr, &res, code, ST_INTERRUPTED, log);
		ret = -EINTR;
	} else if (code) {
		record_result(tr, &res, code, ST_FAILED, log);
		err_msg("%s (iter-%d) failed with exit status %d; read %s",
			t->name, iter, code, log);
		show_tail(log, 10);
		ret = -EIO;
	} else if (shellpack_parse_results(&t->pack, logdir, env_vector(&env), cache)) {
		record_result(tr, &res, code, ST_PARSE_FAILED, log);
		ret = -EINVAL;
	} else {
		record_result(tr, &res, code, ST_DONE, log);
		ret = 0;
	}
	env_free(&env);
	run_state_save(r);
out:
	free(script);
	free(cache);
	free(log);
	free(logdir);
	free(iterdir);
	return ret;
}
