/* run-mmtests: one run = iterations x tests of one configuration. */
#ifndef MMT_RUN_H
#define MMT_RUN_H

#include "env.h"
#include "monitor.h"
#include "paths.h"
#include "run_json.h"
#include "shellpack_conf.h"

struct run_opts {
	const char **configs;
	int nconfigs;
	int run_monitor;	/* -1: config decides, 0: -n, 1: -m */
	int build_only;
	int performance;
	int resume;
	int force;
	int list;
	int check;		/* --check: load and check the configs, run nothing */
	int verbose;		/* -v: the benchmarks' own output as it comes */
	const char *directory;	/* --directory: parent of RUNNAME */
	const char *runname;
};

struct run_test {
	char *name;			/* as listed in MMTESTS (may be an alias) */
	struct shellpack_meta pack;
};

struct run {
	struct run_opts opts;
	struct paths paths;
	char *logbase;		/* DIR holding RUNNAME */
	char *rundir;		/* DIR/RUNNAME */
	char *tmpdir;		/* SHELLPACK_TEMP for this run */
	struct env env;		/* config environment for shellpacks */
	struct env config_vars;	/* what the configs set (for run.json) */
	struct run_test *tests;
	int ntests;
	int iterations;
	struct monitor_config monitors;
	struct run_record state;	/* run.json */
	int failures;
	int lock_fd;		/* tree_lock() of rundir, held for the run */
	int reserve_fd;		/* space kept for run.json on a full disk, or -1 */
	int save_failed;	/* a run.json write failed: the exit code says so */
	double test_timeout;	/* MMTESTS_TEST_TIMEOUT, seconds; -1: the shellpack's; 0: none */
	double install_timeout;	/* MMTESTS_INSTALL_TIMEOUT */
	double parse_timeout;	/* MMTESTS_PARSE_TIMEOUT */
};

/* run_state.c: run.json, written atomically after every change. */
int run_state_create(struct run *r);
int run_state_load(struct run *r);	/* for --resume */
int run_state_save(struct run *r);
/* Keep RUN_JSON_RESERVE bytes in RUN for run.json: when the file system
 * fills up, run.json can still record what happened. Best effort. */
void run_state_reserve(struct run *r);
void run_state_unreserve(struct run *r);
/* Set *field to the last error reported, noting a full file system. */
void run_state_note_error(struct run *r, char **field);
struct test_record *run_state_test(struct run *r, int iter, int test);
void run_state_set_status(struct run *r, enum run_status status);

/* run_test.c: one shellpack's install, and one test of one iteration. */
int run_install(struct run *r, struct run_test *t);
int run_bench(struct run *r, int iter, int test);

/* hooks.c: MONITOR_HOOKS init/end, run from the runner's context. */
void hooks_run(struct run *r, const char *stage);

/* list.c: --list */
int list_catalogue(const struct paths *p);

/* run_loop.c */
int run_execute(struct run *r);

#endif
