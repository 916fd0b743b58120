#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xalloc.h"

void cp_defaults(struct cp_options *o)
{
	o->min_size = 1;
	o->alpha = 0.05;
	o->permutations = 199;
	o->seed = 0x6d6d74657374735fULL;	/* "mmtests_" */
}

/* xorshift64*: the permutations are the same run after run. */
static unsigned long long next_rand(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* The best split of x[0..m) with both sides at least min points, by the
 * energy statistic as MongoDB's implementation computes it (V-statistics:
 * within-side sums over L^2 and R^2): Q(tau) = L R / m (2 B / (L R) -
 * 2 WL / L^2 - 2 WR / R^2), B the distances across, WL and WR within each
 * side (pairs counted once). O(m^2) time with running sums, O(1) space.
 * Returns tau (0: none). */
static int best_split(const double *x, int m, int min, double *qbest)
{
	double total = 0, wl = 0, wr;
	int best = 0;

	if (min < 1)
		min = 1;
	*qbest = -INFINITY;
	if (m < 2 * min)
		return 0;
	for (int i = 0; i < m; i++)
		for (int k = i + 1; k < m; k++)
			total += fabs(x[i] - x[k]);
	wr = total;
	for (int tau = 1; tau < m; tau++) {
		/* x[tau-1] moves from the right side to the left */
		double to_left = 0, to_right = 0;
		for (int i = 0; i < tau - 1; i++)
			to_left += fabs(x[i] - x[tau - 1]);
		for (int k = tau; k < m; k++)
			to_right += fabs(x[tau - 1] - x[k]);
		wl += to_left;
		wr -= to_right;
		if (tau < min || m - tau < min)
			continue;
		double l = tau, r = m - tau, across = total - wl - wr;
		double q = l * r / m * (2 * across / (l * r) - 2 * wl / (l * l) - 2 * wr / (r * r));
		if (q > *qbest) {
			*qbest = q;
			best = tau;
		}
	}
	return best;
}

static void shuffle(double *y, int m, unsigned long long *rng)
{
	for (int i = m - 1; i > 0; i--) {	/* Fisher-Yates */
		int j = (int)(next_rand(rng) % (unsigned long long)(i + 1));
		double t = y[i];
		y[i] = y[j];
		y[j] = t;
	}
}

/* The permutation test of the best candidate (statistic q), as MongoDB's:
 * each permutation shuffles every window between the cuts so far and
 * takes the largest best-split statistic over them; p is the share of
 * permutations reaching q, over permutations + 1. */
static double permutation_p(const double *x, int n, const int *cut, int ncut, double q,
			    const struct cp_options *o, unsigned long long *rng)
{
	double *y = xmalloc(n * sizeof(double));
	int ge = 0;

	for (int r = 0; r < o->permutations; r++) {
		double best = -INFINITY, qp;
		memcpy(y, x, n * sizeof(double));
		for (int s = 0; s <= ncut; s++) {
			int a = s ? cut[s - 1] : 0, b = s < ncut ? cut[s] : n;
			shuffle(y + a, b - a, rng);
			if (best_split(y + a, b - a, o->min_size, &qp))
				best = fmax(best, qp);
		}
		ge += best >= q;
	}
	free(y);
	return ge / (o->permutations + 1.0);
}

/* Student's t quantile (upper tail p), by bisection on its survival. */
static double t_quantile(double p, double df)
{
	double lo = 0, hi = 1000;

	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (st_t_sf(mid, df) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int cp_detect(const double *x, int n, const struct cp_options *o, struct change_point **cps, int *ncp)
{
	unsigned long long rng = o->seed ? o->seed : 1;
	int *cut = xmalloc((n + 2) * sizeof(int)), ncut = 0;	/* split points, sorted */
	double *pval = xcalloc(n + 2, sizeof(double));

	*cps = NULL;
	*ncp = 0;
	for (;;) {
		/* the best split over every segment between the cuts so far */
		int best_tau = 0;
		double best_q = -INFINITY;
		for (int s = 0; s <= ncut; s++) {
			int a = s ? cut[s - 1] : 0, b = s < ncut ? cut[s] : n;
			double q;
			int tau = best_split(x + a, b - a, o->min_size, &q);
			if (tau && q > best_q) {
				best_q = q;
				best_tau = a + tau;
			}
		}
		if (!best_tau)
			break;
		double p = permutation_p(x, n, cut, ncut, best_q, o, &rng);
		if (p > o->alpha)
			break;
		pval[best_tau] = p;
		cut[ncut++] = best_tau;
		qsort(cut, ncut, sizeof(int), cmp_int);
	}
	*cps = xcalloc(ncut ? ncut : 1, sizeof(**cps));
	for (int c = 0; c < ncut; c++) {
		int a = c ? cut[c - 1] : 0, t = cut[c], b = c + 1 < ncut ? cut[c + 1] : n;
		int n1 = t - a, n2 = b - t;
		double m1 = st_amean(x + a, n1), m2 = st_amean(x + t, n2);
		double v1 = n1 > 1 ? pow(st_stddev(x + a, n1), 2) : 0, v2 = n2 > 1 ? pow(st_stddev(x + t, n2), 2) : 0;
		double se = sqrt(v1 / n1 + v2 / n2), half = 0;
		if (se > 0 && n1 > 1 && n2 > 1) {
			double df = pow(v1 / n1 + v2 / n2, 2) /
				    (pow(v1 / n1, 2) / (n1 - 1) + pow(v2 / n2, 2) / (n2 - 1));
			half = t_quantile(0.025, df) * se;
		}
		struct change_point *cp = &(*cps)[c];
		cp->index = t;
		cp->before = m1;
		cp->after = m2;
		cp->pct = m1 ? (m2 - m1) / fabs(m1) * 100 : NAN;
		cp->pct_lo = m1 ? (m2 - m1 - half) / fabs(m1) * 100 : NAN;
		cp->pct_hi = m1 ? (m2 - m1 + half) / fabs(m1) * 100 : NAN;
		cp->p = pval[t];
	}
	*ncp = ncut;
	free(cut);
	free(pval);
	return 0;
}
