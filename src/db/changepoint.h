/* Change points in a metric's history: E-Divisive means (Matteson and
 * James, 2014) -- the split that maximises the energy distance between the
 * two sides, kept when a significance test finds it, then the same within
 * each side -- in the two forms CI systems run over performance histories:
 *  - CP_PERMUTATION, as MongoDB's signal-processing-algorithms computes it
 *    (Daly et al., ICPE 2020): the whole series, a permutation test;
 *  - CP_TTEST, as Apache Otava (DataStax's Hunter; Fleming et al., ICPE
 *    2023) computes it: sliding windows, Student's t-test, then weak change
 *    points merged away: linear in the length of the history.
 * tests/unit/test-changepoint.c checks our change points against each
 * reference's answers. Each change point gets the means on either side,
 * the change in percent with a 95% interval (Welch), and its p-value.
 * Deterministic: the permutations come from a seeded generator. */
#ifndef MMT_CHANGEPOINT_H
#define MMT_CHANGEPOINT_H

enum cp_method {
	CP_TTEST,		/* Otava's (Hunter's): windows, Student's t-test, merge */
	CP_PERMUTATION,		/* MongoDB's: the whole series, permutation test */
};

struct cp_options {
	enum cp_method method;
	int min_size;		/* shortest segment, points (default 1, as both references) */
	double alpha;		/* the p-value a change point needs (t-test 0.001, permutation 0.05) */
	int permutations;	/* permutation: per test (default 199) */
	unsigned long long seed;	/* permutation: of its generator */
	int window;		/* t-test: points per sliding window (default 50) */
	double min_change;	/* t-test: merge away changes up to this fraction (default 0) */
};

struct change_point {
	int index;		/* the first point of the new segment */
	double before, after;	/* means of the segments either side */
	double pct;		/* (after - before) / before, % */
	double pct_lo, pct_hi;	/* its 95% interval */
	double p;		/* the permutation test's p-value */
};

#define CP_MAX_WINDOW 1000

/* The defaults of method (each reference's). */
void cp_defaults(struct cp_options *o, enum cp_method method);
/* The change points of x[0..n), in order of index; *cps malloc'd. */
int cp_detect(const double *x, int n, const struct cp_options *o, struct change_point **cps, int *ncp);

#endif
