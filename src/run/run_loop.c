/* Iterations x tests, resumable: run.json records every test's state and
 * the loop skips what already finished. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "run.h"
#include "sysinfo.h"
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

/* A test that did not finish leaves partial logs: keep them, out of the
 * way of readers, in iter-N/.incomplete/<test>.<k>. */
static int set_aside(const char *iterdir, const char *test)
{
	char *src = tree_test_dir(iterdir, test), *aside = tree_incomplete_dir(iterdir);
	char *dst = NULL;
	int ret = 0;

	if (!is_dir(src))
		goto out;
	ret = mkdir_p(aside, 0755);
	for (int k = 1; !ret; k++) {
		free(dst);
		dst = tree_incomplete_test(iterdir, test, k);
		if (access(dst, F_OK) == 0)
			continue;
		if (rename(src, dst) < 0)
			ret = err_errno(errno, "cannot move %s aside", src);
		else
			info_msg("kept the unfinished %s in %s", test, dst);
		break;
	}
out:
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
		if ((ret = sysinfo_capture(iterdir)) || (ret = ts_start(iterdir)))
			goto out;
	}
	for (int t = 0; t < r->ntests; t++) {
		if (run_state_test(r, iter, t)->status == ST_DONE)
			continue;
		if ((ret = set_aside(iterdir, r->tests[t].name)))
			goto out;
		info_msg("iteration %d/%d: %s", iter + 1, r->iterations, r->tests[t].name);
		char status[256];
		snprintf(status, sizeof(status), "%s iteration %d/%d running", r->tests[t].name,
			 iter + 1, r->iterations);
		sync_report_status(status);
		if ((ret = sync_point("test_do")))
			goto out;
		ret = run_bench(r, iter, t);
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
		ret = run_iteration(r, i);
	}
	if (!ret)
		ret = sync_point("mmtests_end");
	if (ret == -EINTR)
		run_state_set_status(r, ST_INTERRUPTED);
	else
		run_state_set_status(r, ret || r->failures ? ST_FAILED : ST_FINISHED);
	if (run_state_save(r) && !ret)
		ret = -EIO;
	return ret;
}
