/* The results history: every sample of every ingested run, with what the
 * run was (name, time, host, kernel, config hash, benchmark versions, the
 * code under test), in SQLite (a file beside work/log). The schema is
 * versioned: opening an older file migrates it, a newer one is refused.
 * docs/history.md describes the tables. */
#ifndef MMT_HISTORY_H
#define MMT_HISTORY_H

#include "results.h"
#include "strbuf.h"

#define HISTORY_SCHEMA 2

struct history;

/* Open (creating and migrating) the store at path. NULL, reported, on
 * failure: a file that is not a history, a newer schema. */
struct history *history_open(const char *path);
void history_close(struct history *h);

/* Ingest logdir/run: 1 ingested, 0 already there (nothing changed: a run
 * is known by its name, host and start time), -errno on error (reported;
 * nothing of the run is kept). describe: the code under test (git
 * describe), or NULL. *samples: how many were added. */
int history_ingest(struct history *h, const char *logdir, const char *run, const char *shellpacks,
		   const char *describe, long *samples);

/* One line per run, oldest first: id, name, start time, host, kernel,
 * describe, samples. */
int history_runs(struct history *h, struct strbuf *out);

/* A metric's history, oldest run first: run, start epoch, describe, n and
 * the mean of its samples -- what change-point detection reads. */
struct history_point {
	long run_id;
	char *run;
	long long start;
	char *describe;
	int n;
	double mean;
};
/* Which runs a series holds: of one host, with names matching a glob
 * (SQLite's GLOB: *, ?, [...]); NULL: any. */
struct history_filter {
	const char *host;
	const char *runs;
};
int history_series(struct history *h, const char *bench, const char *label, const struct history_filter *f,
		   struct history_point **points, int *n);
void history_points_free(struct history_point *p, int n);

/* The metrics in the history (of bench, or of one label, when given). */
struct history_metric {
	char *bench, *label;
	char *metric;		/* the label's metric: its direction is the shellpack's */
};
int history_metrics(struct history *h, const char *bench, const char *label, struct history_metric **m, int *n);
void history_metrics_free(struct history_metric *m, int n);

/* The change points recorded for a metric (detect --record): the run each
 * starts at, the newest run when it was first found, its change and p;
 * *newest: the newest run of the last record (0: never recorded). */
struct history_cp {
	long run_id, found;
	double pct, p;
};
int history_cp_recorded(struct history *h, const char *bench, const char *label, struct history_cp **cps, int *n,
			long *newest);
/* Replace a metric's recorded change points with cps[0..n), found with
 * the history up to run newest. */
int history_cp_record(struct history *h, const char *bench, const char *label, const struct history_cp *cps, int n,
		      long newest);
/* The newest run named name (of the filter's host, when given): its id,
 * or -ENOENT (reported). */
int history_run_id(struct history *h, const char *name, const struct history_filter *f, long *id);
/* The samples of bench in run id, as compare reads a run (out named
 * name); -ENOENT when it has none. */
int history_run_results(struct history *h, long id, const char *name, const char *bench, struct run_results *out);

/* The samples of bench in every run of the code under test describe
 * (runs matching the filter), pooled as one run named name: each run's
 * iterations after the previous run's. -ENOENT when there are none. */
int history_describe_results(struct history *h, const char *describe, const struct history_filter *f,
			     const char *name, const char *bench, struct run_results *out);

/* One transaction around several records: history_end(h, 1) commits,
 * history_end(h, 0) rolls back. */
int history_begin(struct history *h);
int history_end(struct history *h, int commit);

#endif
