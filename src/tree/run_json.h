/* run.json: what a run did, where, with what, and how it ended -- one
 * schema for run-mmtests's RUN/run.json and run-kvm's RUN-host/run.json,
 * one writer (run_json_write) and one reader (run_json_read). The state
 * lives in C structs; JSON is only how it is stored. Field by field
 * (docs/run-json.md has the same with examples):
 *
 *   format      RUN_JSON_FORMAT; readers refuse a newer one. Files without
 *               it are format 1 (before this schema had a number).
 *   kind        "run-mmtests" (a run on this host or inside a VM) or
 *               "run-kvm" (the host side of run-kvm).
 *   tool, version   the package that wrote it.
 *   runname     RUNNAME as given on the command line.
 *   status      the run: running, finished, failed, interrupted, built (-b).
 *   start, resumed, end   {"epoch": N, "time": "…Z"}; end once not running.
 *   error       why the run stopped (a write error names the file), when
 *               it stopped on one; absent otherwise.
 *   host        hostname, kernel, kernel_version, arch, cpus, memtotal_bytes.
 *
 * kind run-mmtests:
 *   configs     absolute paths of the configs, in order.
 *   config      every variable the configs set or changed: name -> value.
 *   mmtests     the tests (MMTESTS), in order; the order compare shows.
 *   iterations  how many iterations the run asks for.
 *   performance whether -p set the cpufreq governor.
 *   results     one object per iteration: iteration (N of iter-N), status
 *               (pending, running, done, failed, interrupted) and tests,
 *               one per MMTESTS entry: name, shellpack, shellpack_version,
 *               status (pending, running, done, failed, parse-failed,
 *               timed-out, interrupted) and, once it ran: exit_code, elapsed, user,
 *               system (seconds), log (the shellpack's output),
 *               error (why it did not end done, when we know) and
 *               monitor_problems (strings; only when there were some).
 *
 * kind run-kvm:
 *   vms         VM name -> uri, sync, status (starting, running, finished,
 *               failed, interrupted), stage (where it is or failed:
 *               start, booting, ssh, push, build, run, pull, done), reason (why it
 *               failed), results (its RUN-VM tree) and results_are (none,
 *               complete, checkpoint after the last finished test).
 *   barrier     releases, skew_p50_us, skew_max_us (release skew).
 */
#ifndef MMT_RUN_JSON_H
#define MMT_RUN_JSON_H

#include <time.h>

#define RUN_JSON_FORMAT 2

enum run_kind { RUN_KIND_MMTESTS, RUN_KIND_KVM_HOST };

/* The states of a run, an iteration, a test and a VM. */
enum run_status {
	ST_PENDING,		/* iteration/test: not started */
	ST_STARTING,		/* VM: being started */
	ST_RUNNING,
	ST_DONE,		/* iteration/test: ran and parsed */
	ST_PARSE_FAILED,	/* test: ran, but parse-results failed */
	ST_TIMED_OUT,		/* test: stopped at MMTESTS_TEST_TIMEOUT */
	ST_FAILED,
	ST_INTERRUPTED,
	ST_FINISHED,		/* run/VM: ran to the end */
	ST_BUILT,		/* run: -b installed the benchmarks only */
	ST_COUNT
};

enum results_are { RESULTS_NONE, RESULTS_COMPLETE, RESULTS_CHECKPOINT };

const char *run_status_name(enum run_status s);
const char *results_are_name(enum results_are r);

struct run_stamp {
	time_t epoch;		/* 0: not set */
};

struct test_record {
	char *name, *shellpack, *shellpack_version;
	enum run_status status;
	int ran;		/* exit_code .. log are set */
	int exit_code;
	double elapsed, user, system;
	char *log;
	char *error;		/* why it failed, when we know; NULL otherwise */
	char **monitor_problems;
	int nproblems;
};

struct iter_record {
	enum run_status status;
	struct test_record *tests;	/* ntests of struct run_record */
};

struct vm_record {
	char *name, *uri, *sync;
	enum run_status status;
	char *stage, *reason, *results;
	enum results_are results_are;
};

struct host_record {
	char *hostname, *kernel, *kernel_version, *arch, *cpus, *memtotal_bytes;
};

struct run_record {
	int format;
	enum run_kind kind;
	char *tool, *version, *runname;
	enum run_status status;
	struct run_stamp start, resumed, end;
	char *error;		/* why the run stopped on an error; NULL otherwise */
	struct host_record host;
	/* RUN_KIND_MMTESTS */
	char **configs;
	int nconfigs;
	char **config_names, **config_values;
	int nconfig;
	char **mmtests;
	int ntests;
	int iterations;
	int performance;
	struct iter_record *iters;	/* iterations of them */
	/* RUN_KIND_KVM_HOST */
	struct vm_record *vms;
	int nvms;
	int has_barrier, barrier_releases;
	double skew_p50_us, skew_max_us;
};

/* This machine's hostname, kernel and architecture into h (cpus and
 * memory are the caller's: they come from the config's host facts). */
void host_record_fill(struct host_record *h);
void run_stamp_now(struct run_stamp *s);
/* Grow rec to n iterations of rec->ntests pending tests named after
 * rec->mmtests; shellpack names and versions are the caller's to set. */
void run_record_add_iterations(struct run_record *rec, int n);
struct vm_record *run_record_add_vm(struct run_record *rec, const char *name);
struct vm_record *run_record_vm(struct run_record *rec, const char *name);
/* Replace a string field: *field = strdup(value) (NULL stays NULL). */
void run_record_set(char **field, const char *value);

/* Atomically (a reader never sees half a file). 0 or -errno, reported. */
int run_json_write(const char *path, const struct run_record *rec);
/* 0, or -errno / -EINVAL reported naming path (and the line for bad
 * JSON) unless quiet. Only what the schema knows is read; a format newer
 * than this program's is refused. */
int run_json_read(const char *path, struct run_record *rec, int quiet);
void run_record_free(struct run_record *rec);

#endif
