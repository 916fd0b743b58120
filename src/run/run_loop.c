/* Iterations x tests, resumable: run.json records every test's state and
 * the loop skips what already finished. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "progress.h"
#include "run.h"
#include "sysinfo.h"
#include "sysstate.h"
#include "timestamps.h"
#include "tree.h"
#include "sync_client.h"
#include "xalloc.h"

static int iteration_started(struct run *r, int iter)
{
	for (int t = 0; t < r->ntests; t++)
		if (run_state_test(r, iter, t)->status != ST_PENDING)
			return 1;
	return 0;
}

static int iteration_done(struct run *r, int iter)
{
	for (int t = 0; t < r->ntests; t++)
		if (run_state_test(r, iter, t)->status != ST_DONE)
			return 0;
	return 1;
}

/* The test's monitor files in iterdir that exist: output and stamps. */
static int monitor_files(struct run *r, const char *iterdir, const char *test, char ***out)
{
	int n = 0;

	*out = xcalloc(3 * r->monitors.n + 1, sizeof(char *));
	for (int i = 0; i < r->monitors.n; i++) {
		const char *name = r->monitors.specs[i].name;
		char *cand[] = { tree_monitor_file(iterdir, name, test, 0),
				 tree_monitor_file(iterdir, name, test, 1),
				 tree_monitor_stamp(iterdir, name, test) };
		for (int k = 0; k < 3; k++) {
			if (access(cand[k], F_OK) == 0)
				(*out)[n++] = cand[k];
			else
				free(cand[k]);
		}
	}
	return n;
}

/* A test that did not finish leaves partial logs and monitor files: keep
 * them all, out of the way of readers, in iter-N/.incomplete/<test>.<k>
 * (the test's directory becomes it; its monitor files go inside), so the
 * attempt that follows truncates nothing. */
static int set_aside(struct run *r, const char *iterdir, const char *test)
{
	char *src = tree_test_dir(iterdir, test), *aside = tree_incomplete_dir(iterdir);
	char *dst = NULL, **mons;
	int nmons = monitor_files(r, iterdir, test, &mons), has_dir = is_dir(src), ret = 0;

	if (!has_dir && !nmons)
		goto out;
	ret = mkdir_p(aside, 0755);
	for (int k = 1; !ret; k++) {
		free(dst);
		dst = tree_incomplete_test(iterdir, test, k);
		if (access(dst, F_OK) == 0)
			continue;
		if (has_dir ? rename(src, dst) < 0 : mkdir(dst, 0755) < 0)
			ret = err_errno(errno, "cannot move %s aside", src);
		break;
	}
	for (int i = 0; !ret && i < nmons; i++) {
		char *to = path_join(dst, strrchr(mons[i], '/') + 1);
		if (rename(mons[i], to) < 0)
			ret = err_errno(errno, "cannot move %s aside", mons[i]);
		free(to);
	}
	if (!ret)
		info_msg("kept the unfinished %s in %s", test, dst);
out:
	for (int i = 0; i < nmons; i++)
		free(mons[i]);
	free(mons);
	free(dst);
	free(src);
	free(aside);
	return ret;
}

static int run_iteration(struct run *r, int iter)
{
	char *iterdir = tree_iter_dir(r->rundir, iter);
	int failures = r->failures;
	int ret = mkdir_p(iterdir, 0755);

	if (ret)
		goto out;
	r->state.iters[iter].status = ST_RUNNING;
	if (!iteration_started(r, iter)) {
		if ((ret = sysinfo_capture(iterdir)) || (ret = ts_start(iterdir)) ||
		    (ret = sysstate_iteration_start(iterdir)))
			goto out;
	}
	for (int t = 0; t < r->ntests; t++) {
		if (run_state_test(r, iter, t)->status == ST_DONE)
			continue;
		if (interrupt_pending()) {	/* between two tests: the next does not start */
			ret = -EINTR;
			goto out;
		}
		if ((ret = set_aside(r, iterdir, r->tests[t].name)))
			goto out;
		char *bench_log = tree_test_output(iterdir, r->tests[t].name);
		progress_test_begin(r, iter, t, bench_log);
		free(bench_log);
		char status[256];
		snprintf(status, sizeof(status), "%s iteration %d/%d running", r->tests[t].name,
			 iter + 1, r->iterations);
		sync_report_status(status);
		if ((ret = sync_point("test_do")))
			goto out;
		ret = run_bench(r, iter, t);
		progress_test_end(r, iter, t);
		if (ret == -EINTR)
			goto out;
		if (ret)
			r->failures++;
		if ((ret = sync_point("test_done")))
			goto out;
	}
	ret = ts_finish(iterdir);
out:
	r->state.iters[iter].status = ret == -EINTR ? ST_INTERRUPTED :
				      ret || r->failures > failures ? ST_FAILED : ST_DONE;
	free(iterdir);
	return ret;
}

int run_execute(struct run *r)
{
	int ret = sync_point("mmtests_start");

	for (int i = 0; i < r->iterations && !ret; i++) {
		if (iteration_done(r, i))
			continue;
		if (interrupt_pending()) {
			ret = -EINTR;
			break;
		}
		ret = run_iteration(r, i);
	}
	if (!ret)
		ret = sync_point("mmtests_end");
	if (ret == -EINTR)
		run_state_set_status(r, ST_INTERRUPTED);
	else
		run_state_set_status(r, ret || r->failures ? ST_FAILED : ST_FINISHED);
	if (ret && ret != -EINTR)
		run_state_note_error(r, &r->state.error);
	if (run_state_save(r) && !ret)
		ret = -EIO;
	return ret;
}
