/* mmtests-db judge: a bisection's statistical decisions over the history
 * (judge.c says how). */
#ifndef MMT_JUDGE_H
#define MMT_JUDGE_H

#include <stdio.h>

#include "history.h"

struct judge_opts {
	const char *bench, *label;	/* label NULL: the ends choose it */
	const char *good, *bad;		/* the code under test (--describe) at each end */
	const char *test;		/* a commit to judge, or NULL: the ends */
	struct history_filter filter;
};

/* Prints the verdict's word first -- "regression BENCH LABEL" or
 * "cannot-tell: ..." for the ends; "good", "bad" or "cannot-tell: ..." for
 * a commit -- then the numbers. 0, or -errno (reported). */
int judge(struct history *h, const char *shellpacks, const struct judge_opts *o, FILE *out);

#endif
