/* run-mmtests: run a configuration's benchmarks on this host and store
 * the results in an MMTests-compatible tree. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config_shell.h"
#include "fileio.h"
#include "interrupt.h"
#include "keeper.h"
#include "log.h"
#include "options.h"
#include "runname.h"
#include "units.h"
#include "run.h"
#include "progress.h"
#include "shellpack_run.h"
#include "shellpack_vars.h"
#include "governor.h"
#include "tree.h"
#include "xalloc.h"

enum { EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

static const struct opt_usage usage = {
	.program = "run-mmtests",
	.synopsis = "[options] RUNNAME\n       run-mmtests --list",
	.description =
"Run the benchmarks a config lists (MMTESTS) for MMTEST_ITERATIONS iterations\n"
"and store the results in DIR/RUNNAME (default work/log/RUNNAME).\n",
	.epilog =
"Environment: MMTESTS_HOME (shellpacks/configs location), MMTESTS_WORK\n"
"(work directory), MMTESTS_MIRROR (source tarball mirror, DIR or URL).\n"
"Exit status: 0 all done, 1 a benchmark, install or parse failed (the others\n"
"still ran), 2 bad usage or config, 130 interrupted.\n",
};

static int parse_args(int argc, char **argv, struct run_opts *o)
{
	struct opt_list configs = { 0 };
	const struct opt opts[] = {
		OPT_LIST('c', "config", &configs, "FILE",
			 "MMTests-style config; may be given more than once\n(default: ./config)"),
		OPT_FLAG('m', "run-monitor", &o->run_monitor, 1, "force monitors on"),
		OPT_FLAG('n', "no-monitor", &o->run_monitor, 0, "force monitors off"),
		OPT_BOOL('b', "build-only", &o->build_only, "install the benchmarks, run nothing"),
		OPT_BOOL('p', "performance", &o->performance,
			 "cpufreq governor performance, turbo off, for the run"),
		OPT_STRING(0, "directory", &o->directory, "DIR", "where RUNNAME's results go (default work/log)"),
		OPT_BOOL(0, "resume", &o->resume, "continue RUNNAME from the first unfinished test"),
		OPT_BOOL(0, "force", &o->force, "RUNNAME exists: keep it as RUNNAME.replaced-<time>\n"
			 "and start afresh (nothing is deleted)"),
		OPT_BOOL('l', "list", &o->list, "every benchmark and config, and whether it can run here"),
		OPT_BOOL(0, "check", &o->check, "load the configs and check every benchmark, value and\n"
			 "monitor they name; run and create nothing (RUNNAME optional)"),
		OPT_BOOL('v', "verbose", &o->verbose, "show each benchmark's own output as it runs"),
		OPT_END()
	};
	int first;

	memset(o, 0, sizeof(*o));
	o->run_monitor = -1;
	first = opt_parse(argc, argv, opts, &usage, 0);
	o->configs = configs.v;
	o->nconfigs = configs.n;
	if (first == OPT_HELP)
		exit(0);
	if (first < 0)
		return -EINVAL;
	if (o->list)
		return 0;
	if (o->check && first == argc) {
		o->runname = "check";
		if (!o->nconfigs)
			o->configs[o->nconfigs++] = "config";
		return 0;
	}
	if (first != argc - 1) {
		err_msg(first == argc ? "RUNNAME is missing (run-mmtests --help lists the options)"
				      : "only one RUNNAME may be given");
		return -EINVAL;
	}
	if (o->directory && !*o->directory) {
		err_msg("--directory '': give the directory the run goes in");
		return -EINVAL;
	}
	if (o->resume && o->force) {
		err_msg("--resume and --force contradict each other");
		return -EINVAL;
	}
	o->runname = argv[first];
	if (!o->nconfigs)
		o->configs[o->nconfigs++] = "config";
	return runname_check(o->runname);
}

/* The environment configs and shellpacks see, before the configs run. */
static void base_env(struct run *r, struct env *e)
{
	const char *mirror = getenv("MMTESTS_MIRROR");
	char *s;

	env_from_environ(e);
	env_set(e, "SCRIPTDIR", r->paths.top);
	env_set(e, "SHELLPACK_TOPLEVEL", r->paths.top);
	env_set(e, "SHELLPACK_INCLUDE", r->paths.shellpacks);
	env_set(e, "MMTESTS_LIBEXEC", r->paths.libexec);
	env_set(e, "MMTESTS_WORK", r->paths.work);
	s = path_join(r->paths.work, "sources");
	env_set(e, "SHELLPACK_SOURCES", s);
	free(s);
	s = path_join(r->paths.work, "testdisk");
	env_set(e, "SHELLPACK_TEST_MOUNT", s);
	free(s);
	s = path_join(r->paths.work, "testdisk/data");
	env_set(e, "SHELLPACK_DATA", s);
	free(s);
	env_set(e, "SHELLPACK_TEMP", r->tmpdir);
	if (mirror && *mirror) {
		env_set(e, "SHELLPACK_MIRROR", mirror);
	} else {
		s = path_join(r->paths.work, "mirror");
		env_set(e, "SHELLPACK_MIRROR", s);
		free(s);
	}
	env_set(e, "RUNNAME", r->opts.runname);
	env_set(e, "MMTESTS_RUNDIR", r->rundir);
	s = paths_shellpack_path(&r->paths);
	env_set(e, "PATH", s);
	free(s);
	config_add_host_facts(e);
}

/* Variables the configs set or changed, recorded in run.json. */
static void config_diff(const struct env *before, const struct env *after, struct env *out)
{
	for (size_t i = 0; i < after->n; i++) {
		const char *kv = after->vars[i], *eq = strchr(kv, '=');
		char *k = xstrndup(kv, eq - kv);
		const char *old = env_get(before, k);

		if (!old || strcmp(old, eq + 1))
			env_set(out, k, eq + 1);
		free(k);
	}
}

static int load_tests(struct run *r)
{
	const char *list = env_get(&r->env, "MMTESTS");
	char *copy, *save = NULL;
	struct strbuf missing = STRBUF_INIT;
	int ret = 0, nmissing = 0;

	if (!list || !*list) {
		err_msg("the config sets no benchmarks: MMTESTS is empty (%s)", r->opts.configs[0]);
		return -EINVAL;
	}
	copy = xstrdup(list);
	r->tests = xcalloc(strlen(list) / 2 + 2, sizeof(*r->tests));
	for (char *tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		struct run_test *t = &r->tests[r->ntests];
		int found;

		for (int u = 0; u < r->ntests; u++) {
			if (!strcmp(r->tests[u].name, tok)) {
				err_msg("'%s' is listed twice in MMTESTS; its results would "
					"overwrite each other", tok);
				ret = -EINVAL;
				goto out;
			}
		}
		found = shellpack_lookup(r->paths.shellpacks, tok, &t->pack);
		if (found == -ENOENT) {	/* every missing one is named, not just the first */
			sb_addf(&missing, "%s'%s'", missing.len ? ", " : "", tok);
			nmissing++;
			continue;
		}
		if (found) {
			ret = -EINVAL;
			break;
		}
		t->name = xstrdup(tok);
		r->ntests++;
	}
	if (nmissing && !ret) {
		struct strbuf known = STRBUF_INIT;
		shellpack_list_known(r->paths.shellpacks, &known);
		err_msg("no shellpack for benchmark%s %s in MMTESTS (looked in %s); known: %s",
			nmissing > 1 ? "s" : "", missing.buf, r->paths.shellpacks, known.buf);
		sb_release(&known);
		ret = -EINVAL;
	}
out:
	sb_release(&missing);
	free(copy);
	return ret;
}

/* Every value the configs give a benchmark's declared variables is
 * checked now: a bad one stops the run before anything starts. */
static int check_vars(struct run *r)
{
	struct strbuf where = STRBUF_INIT;
	int bad = 0;

	for (int i = 0; i < r->opts.nconfigs; i++)
		sb_addf(&where, "%s%s", i ? "+" : "", r->opts.configs[i]);
	struct shellpack_meta *packs = xcalloc(r->ntests + 1, sizeof(*packs));
	int npacks = 0;
	for (int t = 0; t < r->ntests; t++) {
		int seen = 0;
		for (int u = 0; u < t; u++)
			seen |= !strcmp(r->tests[u].pack.name, r->tests[t].pack.name);
		if (!seen) {
			bad += shellpack_vars_check(&r->tests[t].pack, &r->env, where.buf);
			packs[npacks++] = r->tests[t].pack;	/* a shallow copy, read only */
		}
	}
	/* no parameter is ignored silently */
	shellpack_vars_unread(packs, npacks, &r->config_vars, where.buf);
	free(packs);
	sb_release(&where);
	return bad ? -EINVAL : 0;
}

/* A limit in seconds from the config: unset or empty gives def, 0 none. */
static int load_timeout(struct run *r, const char *name, double def, double *out)
{
	const char *v = env_get(&r->env, name);

	*out = def;
	if (!v || !*v)
		return 0;
	if (strcmp(v, "0") && parse_positive(v, out)) {
		err_msg("%s='%s' is not a number of seconds (0: no limit)", name, v);
		return -EINVAL;
	}
	if (!strcmp(v, "0"))
		*out = 0;
	return 0;
}

/* How long a test's bench (default: its shellpack's timeout), an install
 * and a parse-results may take before they are stopped. */
static int load_timeouts(struct run *r)
{
	if (load_timeout(r, "MMTESTS_TEST_TIMEOUT", -1, &r->test_timeout) ||
	    load_timeout(r, "MMTESTS_INSTALL_TIMEOUT", 3600, &r->install_timeout) ||
	    load_timeout(r, "MMTESTS_PARSE_TIMEOUT", SHELLPACK_PARSE_TIMEOUT, &r->parse_timeout))
		return -EINVAL;
	return 0;
}

static int load_iterations(struct run *r)
{
	const char *v = env_get(&r->env, "MMTEST_ITERATIONS");
	long n;

	if (!v || !*v) {
		r->iterations = 1;
		return 0;
	}
	if (env_get_long(&r->env, "MMTEST_ITERATIONS", &n) || n < 1 || n > 100000) {
		err_msg("MMTEST_ITERATIONS='%s' is not a whole number from 1 to 100000", v);
		return -EINVAL;
	}
	r->iterations = n;
	return 0;
}

/* An existing run is never deleted. */
/* The run directory, locked for this run: a new one made atomically (two
 * runs of one name cannot both start), an existing one taken over by
 * --resume, or kept under another name by --force -- never while another
 * process holds its lock. */
/* A run that stopped before any benchmark started (its install failed, -b
 * only built, an interrupt during installs) recorded nothing to lose:
 * running the same command again starts it afresh. */
static int ran_nothing(const char *rundir)
{
	struct run_record rec;
	char *path = tree_run_json(rundir);
	int nothing = 0;

	memset(&rec, 0, sizeof(rec));
	if (run_json_read(path, &rec, 1) == 0 &&
	    (rec.status == ST_FAILED || rec.status == ST_BUILT || rec.status == ST_INTERRUPTED)) {
		nothing = 1;
		for (int i = 0; i < rec.iterations; i++)
			nothing &= rec.iters[i].status == ST_PENDING;
	}
	run_record_free(&rec);
	free(path);
	return nothing;
}

static int prepare_rundir(struct run *r)
{
	int exists = access(r->rundir, F_OK) == 0, ret;

	if (r->opts.resume) {
		if (!exists) {
			err_msg("--resume: there is no run at %s", r->rundir);
			return -ENOENT;
		}
		r->lock_fd = tree_lock(r->rundir);
		return r->lock_fd < 0 ? r->lock_fd : 0;
	}
	int afresh = exists && !r->opts.force && ran_nothing(r->rundir);
	if (exists && !r->opts.force && !afresh) {
		err_msg("%s already exists; use --resume to continue it, or --force to keep "
			"it under another name and start afresh", r->rundir);
		return -EEXIST;
	}
	if (exists) {
		int old = tree_lock(r->rundir);
		if (old < 0)
			return old;
		char stamp[32];
		time_t t = time(NULL);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		char *dst = xasprintf("%s.replaced-%s", r->rundir, stamp);
		if (rename(r->rundir, dst) < 0)
			ret = err_errno(errno, "cannot move %s to %s", r->rundir, dst);
		else if (afresh)
			ret = 0, info_msg("%s: its last attempt ran no benchmark; starting afresh (that "
					  "attempt is kept as %s)", r->opts.runname, dst);
		else
			ret = 0, info_msg("--force: the previous %s is now %s", r->opts.runname, dst);
		close(old);
		free(dst);
		if (ret)
			return ret;
	}
	if ((ret = mkdir_p(r->logbase, 0755)))
		return ret;
	if (mkdir(r->rundir, 0755) < 0) {
		if (errno == EEXIST)
			err_msg("%s was just created by another run; choose another RUNNAME", r->rundir);
		else
			err_errno(errno, "cannot create %s", r->rundir);
		return -errno;
	}
	r->lock_fd = tree_lock(r->rundir);
	return r->lock_fd < 0 ? r->lock_fd : 0;
}

static int install_all(struct run *r)
{
	for (int t = 0; t < r->ntests; t++) {
		int seen = 0;
		for (int u = 0; u < t; u++)
			seen |= !strcmp(r->tests[u].pack.name, r->tests[t].pack.name);
		if (seen)
			continue;
		int ret = run_install(r, &r->tests[t]);
		if (ret)
			return ret;
	}
	return 0;
}

static void run_free(struct run *r)
{
	for (int t = 0; t < r->ntests; t++) {
		free(r->tests[t].name);
		shellpack_meta_free(&r->tests[t].pack);
	}
	free(r->tests);
	env_free(&r->env);
	env_free(&r->config_vars);
	monitor_config_free(&r->monitors);
	run_record_free(&r->state);
	if (r->rundir)
		run_state_unreserve(r);
	if (r->lock_fd >= 0)
		close(r->lock_fd);	/* the lock ends with the run */
	if (r->tmpdir)
		rmdir(r->tmpdir);	/* only when the benchmarks left it empty */
	free(r->tmpdir);
	free(r->rundir);
	free(r->logbase);
	free(r->opts.configs);
	paths_free(&r->paths);
}

static int setup(struct run *r)
{
	struct env base = ENV_INIT;
	int ret;

	if ((ret = paths_discover(&r->paths)))
		return ret;
	r->logbase = r->opts.directory ? xstrdup(r->opts.directory)
				       : tree_logdir(r->paths.work);
	r->rundir = tree_run_dir(r->logbase, r->opts.runname);
	r->tmpdir = xasprintf("%s/tmp/%ld", r->paths.work, (long)getpid());
	for (int i = 0; i < r->opts.nconfigs; i++) {
		if (access(r->opts.configs[i], R_OK) < 0)
			return err_errno(errno, "config %s", r->opts.configs[i]);
	}
	base_env(r, &base);
	char *helper = path_join(r->paths.shellpacks, "config-helpers.sh");
	ret = config_load(&base, helper, r->opts.configs, r->opts.nconfigs, &r->env);
	free(helper);
	if (!ret)
		config_diff(&base, &r->env, &r->config_vars);
	env_free(&base);
	if (ret || (ret = load_tests(r)) || (ret = load_iterations(r)) || (ret = load_timeouts(r)) ||
	    (ret = check_vars(r)))
		return ret;
	char *mdir = path_join(r->paths.top, "monitors");
	ret = monitor_config_load(&r->monitors, &r->env, r->opts.run_monitor, mdir);
	free(mdir);
	if (ret || r->opts.check)
		return ret;
	if ((ret = prepare_rundir(r)) || (ret = mkdir_p(r->tmpdir, 0755)))
		return ret;
	keeper_hold_fd(r->lock_fd);	/* held until the last process of a test is gone */
	run_state_reserve(r);
	return r->opts.resume ? run_state_load(r) : run_state_create(r);
}

int main(int argc, char **argv)
{
	struct run r;
	int ret, code;

	memset(&r, 0, sizeof(r));
	r.lock_fd = -1;
	r.reserve_fd = -1;
	log_set_program("run-mmtests");
	interrupt_install();
	if (parse_args(argc, argv, &r.opts)) {
		free(r.opts.configs);
		return interrupt_exit_code(EXIT_USAGE);
	}
	if (r.opts.list) {
		free(r.opts.configs);
		if (paths_discover(&r.paths))
			return EXIT_USAGE;
		ret = list_catalogue(&r.paths);
		paths_free(&r.paths);
		return ret ? EXIT_FAILED : 0;
	}
	ret = setup(&r);
	if (ret) {
		int interrupted = interrupt_pending() || ret == -EINTR;
		if (interrupted && r.state.runname) {	/* run.json exists: say so */
			run_state_set_status(&r, ST_INTERRUPTED);
			run_state_save(&r);
		}
		run_free(&r);
		return interrupt_exit_code(interrupted ? EXIT_INTERRUPTED : EXIT_USAGE);
	}
	if (r.opts.check) {
		printf("config ok: %d benchmark%s x %d iteration%s:", r.ntests, r.ntests == 1 ? "" : "s",
		       r.iterations, r.iterations == 1 ? "" : "s");
		for (int i = 0; i < r.ntests; i++)
			printf(" %s", r.tests[i].name);
		printf("\n");
		run_free(&r);
		return interrupt_exit_code(0);
	}
	info_msg("run %s: %d benchmark%s x %d iteration%s into %s", r.opts.runname, r.ntests,
		 r.ntests == 1 ? "" : "s", r.iterations, r.iterations == 1 ? "" : "s", r.rundir);
	ret = install_all(&r);
	if (ret || r.opts.build_only) {
		run_state_set_status(&r, ret == -EINTR ? ST_INTERRUPTED : ret ? ST_FAILED : ST_BUILT);
		if (ret && ret != -EINTR)
			run_state_note_error(&r, &r.state.error);
		run_state_save(&r);
		code = ret == -EINTR ? EXIT_INTERRUPTED : ret || r.save_failed ? EXIT_FAILED : 0;
		run_free(&r);
		return interrupt_exit_code(code);
	}
	if (r.opts.performance)
		governor_set_performance();
	const char *thp = env_get(&r.env, "VM_TRANSPARENT_HUGEPAGES_DEFAULT");
	if (thp && *thp && strcmp(thp, "default"))
		thp_set_for_run(thp);
	const char *sysctls = env_get(&r.env, "TUNING_SYSCTL");
	if (sysctls && *sysctls)
		sysctl_set_for_run(sysctls);
	hooks_run(&r, "init");
	progress_start(&r, r.opts.verbose);
	ret = run_execute(&r);
	progress_summary(&r);
	hooks_run(&r, "end");
	governor_restore();
	if (ret == -EINTR) {
		info_msg("interrupted: %s is consistent; continue with --resume", r.rundir);
		code = EXIT_INTERRUPTED;
	} else {
		code = ret || r.failures || r.save_failed ? EXIT_FAILED : 0;
		info_msg("%s: %s", code ? "finished with failures" : "finished", r.rundir);
		info_msg("compare it: compare-mmtests -d %s --names %s[,OTHER-RUN]", r.logbase, r.opts.runname);
	}
	run_free(&r);
	return interrupt_exit_code(code);
}
