/* run-mmtests's run.json: the run's struct run_record, created or loaded
 * for --resume, saved through src/tree after every change. */
#include <errno.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "run.h"
#include "tree.h"
#include "xalloc.h"

/* Shellpack names and versions of tests added by run_record_add_iterations. */
static void name_shellpacks(struct run *r, int from)
{
	for (int i = from; i < r->state.iterations; i++)
		for (int t = 0; t < r->ntests; t++) {
			struct test_record *tr = &r->state.iters[i].tests[t];
			run_record_set(&tr->shellpack, r->tests[t].pack.name);
			run_record_set(&tr->shellpack_version, r->tests[t].pack.version);
		}
}

int run_state_create(struct run *r)
{
	struct run_record *rec = &r->state;

	memset(rec, 0, sizeof(*rec));
	rec->kind = RUN_KIND_MMTESTS;
	rec->runname = xstrdup(r->opts.runname);
	rec->status = ST_RUNNING;
	run_stamp_now(&rec->start);
	host_record_fill(&rec->host);
	run_record_set(&rec->host.cpus, env_get(&r->env, "NUMCPUS"));
	run_record_set(&rec->host.memtotal_bytes, env_get(&r->env, "MEMTOTAL_BYTES"));
	rec->configs = xcalloc(r->opts.nconfigs + 1, sizeof(char *));
	for (int i = 0; i < r->opts.nconfigs; i++) {
		char *abs = path_real(r->opts.configs[i]);
		rec->configs[rec->nconfigs++] = abs ? abs : xstrdup(r->opts.configs[i]);
	}
	rec->config_names = xcalloc(r->config_vars.n + 1, sizeof(char *));
	rec->config_values = xcalloc(r->config_vars.n + 1, sizeof(char *));
	for (size_t i = 0; i < r->config_vars.n; i++) {
		const char *kv = r->config_vars.vars[i], *eq = strchr(kv, '=');
		rec->config_names[rec->nconfig] = xstrndup(kv, eq - kv);
		rec->config_values[rec->nconfig++] = xstrdup(eq + 1);
	}
	rec->mmtests = xcalloc(r->ntests + 1, sizeof(char *));
	for (int t = 0; t < r->ntests; t++)
		rec->mmtests[rec->ntests++] = xstrdup(r->tests[t].name);
	rec->performance = r->opts.performance;
	run_record_add_iterations(rec, r->iterations);
	name_shellpacks(r, 0);
	return run_state_save(r);
}

int run_state_load(struct run *r)
{
	char *path = tree_run_json(r->rundir);
	struct run_record *rec = &r->state;
	int *iters, ret;

	/* Stopped between creating the directory and recording the run:
	 * nothing to lose, so it starts afresh. */
	if (access(path, F_OK) < 0 && errno == ENOENT && tree_iterations(r->rundir, &iters) == 0) {
		free(iters);
		free(path);
		info_msg("%s has no run.json (stopped before it recorded anything): starting afresh",
			 r->rundir);
		return run_state_create(r);
	}
	ret = run_json_read(path, rec, 0);

	if (ret) {
		err_msg("%s: cannot resume", path);
		goto out;
	}
	if (rec->kind != RUN_KIND_MMTESTS) {
		err_msg("%s: cannot resume: not a run.json written by run-mmtests", path);
		ret = -EINVAL;
		goto out;
	}
	if (rec->ntests != r->ntests)
		ret = -EINVAL;
	for (int t = 0; !ret && t < r->ntests; t++)
		if (strcmp(rec->mmtests[t], r->tests[t].name))
			ret = -EINVAL;
	if (ret) {
		err_msg("%s: cannot resume: the config's MMTESTS differs from the run's", path);
		goto out;
	}
	/* More iterations may be asked for than the run first had. */
	int had = rec->iterations;
	run_record_add_iterations(rec, r->iterations);
	name_shellpacks(r, had);
	r->iterations = rec->iterations;
	rec->status = ST_RUNNING;
	run_stamp_now(&rec->resumed);
	rec->end.epoch = 0;
	ret = run_state_save(r);
out:
	free(path);
	return ret;
}

#define RUN_JSON_RESERVE (1 << 20)

static char *reserve_path(const struct run *r)
{
	return path_join(r->rundir, ".run.json.reserve");
}

void run_state_reserve(struct run *r)
{
	char *path = reserve_path(r);

	r->reserve_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (r->reserve_fd < 0 || posix_fallocate(r->reserve_fd, 0, RUN_JSON_RESERVE))
		warn_msg("cannot reserve space for run.json in %s: a full disk may leave it behind",
			 r->rundir);
	free(path);
}

void run_state_unreserve(struct run *r)
{
	char *path = reserve_path(r);

	if (r->reserve_fd >= 0) {
		close(r->reserve_fd);
		unlink(path);
		r->reserve_fd = -1;
	}
	free(path);
}

int run_state_save(struct run *r)
{
	char *path = tree_run_json(r->rundir);
	int ret = run_json_write(path, &r->state);

	/* The file system is full: give run.json the space kept for it, and
	 * take back what is left over (a later save may need it). */
	if ((ret == -ENOSPC || ret == -EDQUOT) && r->reserve_fd >= 0 &&
	    ftruncate(r->reserve_fd, 0) == 0) {
		ret = run_json_write(path, &r->state);
		if (!ret)
			warn_msg("the file system of %s is full; run.json went into the space kept for it",
				 r->rundir);
		if (posix_fallocate(r->reserve_fd, 0, RUN_JSON_RESERVE))
			(void)ftruncate(r->reserve_fd, 0);
	}
	if (ret)
		r->save_failed = 1;
	free(path);
	return ret;
}

void run_state_note_error(struct run *r, char **field)
{
	struct statvfs fs;
	const char *last = log_last_error();
	char *text;

	if (statvfs(r->rundir, &fs) == 0 && (unsigned long long)fs.f_bavail * fs.f_frsize < RUN_JSON_RESERVE)
		text = xasprintf("%s%sthe file system of %s is full (%llu bytes free)", last,
				 *last ? "; " : "", r->rundir,
				 (unsigned long long)fs.f_bavail * fs.f_frsize);
	else
		text = xstrdup(*last ? last : "unknown (see the log)");
	free(*field);
	*field = text;
}

struct test_record *run_state_test(struct run *r, int iter, int test)
{
	return &r->state.iters[iter].tests[test];
}

void run_state_set_status(struct run *r, enum run_status status)
{
	r->state.status = status;
	if (status != ST_RUNNING)
		run_stamp_now(&r->state.end);
}
