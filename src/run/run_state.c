#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "json_file.h"
#include "log.h"
#include "run.h"
#include "xalloc.h"

static json_t *host_info(struct run *r)
{
	struct utsname u;
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	return json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?}", "hostname", host,
			 "kernel", u.release, "kernel_version", u.version,
			 "arch", u.machine, "cpus", env_get(&r->env, "NUMCPUS"),
			 "memtotal_bytes", env_get(&r->env, "MEMTOTAL_BYTES"));
}

static json_t *new_iteration(struct run *r, int iter)
{
	json_t *tests = json_array();

	for (int t = 0; t < r->ntests; t++)
		json_array_append_new(tests, json_pack("{s:s,s:s,s:s,s:s}", "name", r->tests[t].name,
						       "shellpack", r->tests[t].pack.name,
						       "shellpack_version", r->tests[t].pack.version,
						       "status", "pending"));
	return json_pack("{s:i,s:s,s:o}", "iteration", iter, "status", "pending", "tests", tests);
}

int run_state_create(struct run *r)
{
	json_t *configs = json_array(), *vars = json_object(), *tests = json_array();
	json_t *iters = json_array();

	for (int i = 0; i < r->opts.nconfigs; i++) {
		char *abs = path_real(r->opts.configs[i]);
		json_array_append_new(configs, json_string(abs ? abs : r->opts.configs[i]));
		free(abs);
	}
	for (size_t i = 0; i < r->config_vars.n; i++) {
		const char *kv = r->config_vars.vars[i];
		const char *eq = strchr(kv, '=');
		char *k = xstrndup(kv, eq - kv);
		json_object_set_new(vars, k, json_string(eq + 1));
		free(k);
	}
	for (int t = 0; t < r->ntests; t++)
		json_array_append_new(tests, json_string(r->tests[t].name));
	for (int i = 0; i < r->iterations; i++)
		json_array_append_new(iters, new_iteration(r, i));

	r->state = json_pack("{s:i,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:i,s:o,s:o,s:b,s:o}",
			     "format", 1, "tool", PACKAGE_NAME, "version", PACKAGE_VERSION,
			     "runname", r->opts.runname, "status", "running",
			     "configs", configs, "config", vars, "mmtests", tests,
			     "iterations", r->iterations, "host", host_info(r),
			     "start", json_stamp_now(), "performance", r->opts.performance,
			     "results", iters);
	return r->state ? run_state_save(r) : -ENOMEM;
}

int run_state_load(struct run *r)
{
	char *path = path_join(r->rundir, "run.json");
	json_error_t jerr;
	json_t *results, *mm;
	int ret = 0;

	r->state = json_load_file(path, 0, &jerr);
	if (!r->state) {
		err_msg("%s:%d: cannot resume: %s", path, jerr.line, jerr.text);
		ret = -EINVAL;
		goto out;
	}
	mm = json_object_get(r->state, "mmtests");
	results = json_object_get(r->state, "results");
	if (!json_is_array(mm) || !json_is_array(results)) {
		err_msg("%s: cannot resume: not a run.json written by run-mmtests", path);
		ret = -EINVAL;
		goto out;
	}
	if (json_array_size(mm) != (size_t)r->ntests)
		ret = -EINVAL;
	for (int t = 0; !ret && t < r->ntests; t++)
		if (strcmp(json_string_value(json_array_get(mm, t)) ?: "", r->tests[t].name))
			ret = -EINVAL;
	if (ret) {
		err_msg("%s: cannot resume: the config's MMTESTS differs from the run's", path);
		goto out;
	}
	/* More iterations may be asked for than the run first had. */
	for (int i = json_array_size(results); i < r->iterations; i++)
		json_array_append_new(results, new_iteration(r, i));
	if ((int)json_array_size(results) > r->iterations)
		r->iterations = json_array_size(results);
	json_object_set_new(r->state, "iterations", json_integer(r->iterations));
	json_object_set_new(r->state, "status", json_string("running"));
	json_object_set_new(r->state, "resumed", json_stamp_now());
	json_object_del(r->state, "end");
	ret = run_state_save(r);
out:
	free(path);
	return ret;
}

int run_state_save(struct run *r)
{
	char *path = path_join(r->rundir, "run.json");
	int ret = json_save_atomic(path, r->state);

	free(path);
	return ret;
}

json_t *run_state_test(struct run *r, int iter, int test)
{
	json_t *it = json_array_get(json_object_get(r->state, "results"), iter);

	return json_array_get(json_object_get(it, "tests"), test);
}

const char *run_state_test_status(struct run *r, int iter, int test)
{
	return json_string_value(json_object_get(run_state_test(r, iter, test), "status"));
}

void run_state_set_status(struct run *r, const char *status)
{
	json_object_set_new(r->state, "status", json_string(status));
	if (strcmp(status, "running"))
		json_object_set_new(r->state, "end", json_stamp_now());
}
