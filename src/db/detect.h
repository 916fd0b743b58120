/* mmtests-db detect: change points over the metrics of the history, each
 * told apart from what an earlier --record saw (new, known, moved, gone),
 * a regression or an improvement by the metric's direction, and the gate
 * a nightly CI needs: a new regression change point in the newest runs. */
#ifndef MMT_DETECT_H
#define MMT_DETECT_H

#include <stdio.h>

#include "changepoint.h"
#include "history.h"
#include "strbuf.h"

struct detect_opts {
	struct cp_options cp;
	int recent;		/* the gate looks at change points in the newest runs */
	int record;		/* save what was found, for the next detect */
	int gate;		/* exit 3 on a new regression in the newest runs */
	int all;		/* print metrics without change points too */
	const char *junit;	/* a testcase per metric (benchmark/label), or NULL */
	struct history_filter filter;	/* the runs looked at */
	const char *baseline;	/* also compare the newest run with this one, or NULL */
	double threshold;	/* its regression limit, % (shellpack thresholds win) */
	const char *report;	/* a directory for the history report, or NULL */
};

enum { DETECT_REGRESSION = 3 };

/* How a change point found now stands against the recorded ones. */
enum cp_status { CP_NEW, CP_KNOWN, CP_MOVED };
const char *cp_status_word(enum cp_status s);

struct found {
	struct change_point cp;
	long run_id, found;
	enum cp_status status;
	int moved_from;		/* CP_MOVED: the index it was recorded at */
	int regression;		/* worse, by the metric's direction */
};

struct metric_result {
	const struct history_metric *m;
	struct strbuf text;	/* what was said of it */
	int failed;		/* new regressions in the newest runs */
	int pairwise_failed;	/* the newest run against the baseline */
	int noteworthy;		/* change points, gone ones, a pairwise finding */
	int runs;		/* 0: none under the filter */
	long newest;		/* its newest run */
	char *newest_name;
	int higher;		/* higher is better */
	char *units;		/* its shellpack's, or "" */
	struct history_point *pts;	/* its history (runs of them) */
	struct found *found;	/* its change points */
	int nfound;
};

/* DIR/BENCH.html for each benchmark of res[0..n) (sorted by benchmark):
 * each metric's history drawn with its change points, their table, and
 * what detect said. 0 or -errno (reported). */
int history_report(const char *dir, const struct metric_result *res, int n, const struct detect_opts *o);

/* Detect over the metrics of benches (a comma-separated list; all when
 * NULL), label (all when NULL); shellpacks: where the metrics' directions
 * are. With a baseline, the newest run of each benchmark is compared with
 * it as compare-mmtests --fail-on-regression does. 0, DETECT_REGRESSION
 * (gate on and a regression found), or 1 (reported). */
int detect_metrics(struct history *h, const char *shellpacks, const char *benches, const char *label,
		   const struct detect_opts *o, FILE *out);

#endif
