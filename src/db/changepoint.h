/* Change points in a metric's history: E-Divisive means (Matteson and
 * James, 2014), the method MongoDB's CI runs over its performance history
 * (Daly et al., ICPE 2020): the split that maximises the energy distance
 * between the two sides, kept when a permutation test finds it
 * significant, then the same within each side, until no significant split
 * is left or the segments are too short -- computed as MongoDB's
 * signal-processing-algorithms computes it (tests/unit/test-changepoint.c
 * checks the change points against its answers). Each change point gets the
 * means on either side, the change in percent with a 95% interval
 * (Welch), and its p-value. Deterministic: the permutations come from a
 * seeded generator. */
#ifndef MMT_CHANGEPOINT_H
#define MMT_CHANGEPOINT_H

struct cp_options {
	int min_size;		/* shortest segment, points (default 1, as MongoDB's) */
	double alpha;		/* significance of the permutation test (default 0.05) */
	int permutations;	/* (default 199) */
	unsigned long long seed;
};

struct change_point {
	int index;		/* the first point of the new segment */
	double before, after;	/* means of the segments either side */
	double pct;		/* (after - before) / before, % */
	double pct_lo, pct_hi;	/* its 95% interval */
	double p;		/* the permutation test's p-value */
};

void cp_defaults(struct cp_options *o);
/* The change points of x[0..n), in order of index; *cps malloc'd. */
int cp_detect(const double *x, int n, const struct cp_options *o, struct change_point **cps, int *ncp);

#endif
