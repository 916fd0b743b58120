/* mmtests-db detect: change points over the metrics of the history, each
 * told apart from what an earlier --record saw (new, known, moved, gone),
 * a regression or an improvement by the metric's direction, and the gate
 * a nightly CI needs: a new regression change point in the newest runs. */
#ifndef MMT_DETECT_H
#define MMT_DETECT_H

#include <stdio.h>

#include "changepoint.h"
#include "history.h"

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
};

enum { DETECT_REGRESSION = 3 };

/* Detect over the metrics of benches (a comma-separated list; all when
 * NULL), label (all when NULL); shellpacks: where the metrics' directions
 * are. With a baseline, the newest run of each benchmark is compared with
 * it as compare-mmtests --fail-on-regression does. 0, DETECT_REGRESSION
 * (gate on and a regression found), or 1 (reported). */
int detect_metrics(struct history *h, const char *shellpacks, const char *benches, const char *label,
		   const struct detect_opts *o, FILE *out);

#endif
