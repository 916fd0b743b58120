#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xalloc.h"

void cp_defaults(struct cp_options *o, enum cp_method method)
{
	o->method = method;
	o->min_size = 1;
	o->alpha = method == CP_TTEST ? 0.001 : 0.05;
	o->permutations = 199;
	o->seed = 0x6d6d74657374735fULL;	/* "mmtests_" */
	o->window = 50;
	o->min_change = 0;
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


/* ---- Otava's method (its otava/analysis.py and change_point_divisive/) ---- */

/* Student's t-test as Otava's TTestSignificanceTester.compare: the sides'
 * population standard deviations (ddof 0) given to a pooled-variance
 * two-sided test (scipy's ttest_ind_from_stats). NAN when a side is
 * empty or nothing can be told (no spread, equal means): never significant. */
static double student_p(const double *l, int nl, const double *r, int nr, double *ml, double *mr)
{
	double m1, m2, v1 = 0, v2 = 0;

	if (!nl || !nr)
		return NAN;
	m1 = st_amean(l, nl);
	m2 = st_amean(r, nr);
	if (ml)
		*ml = m1;
	if (mr)
		*mr = m2;
	if (nl + nr <= 2)
		return 1;
	for (int i = 0; i < nl; i++)
		v1 += (l[i] - m1) * (l[i] - m1);
	for (int i = 0; i < nr; i++)
		v2 += (r[i] - m2) * (r[i] - m2);
	v1 /= nl;
	v2 /= nr;
	double df = nl + nr - 2, denom = sqrt(((nl - 1) * v1 + (nr - 1) * v2) / df * (1.0 / nl + 1.0 / nr));
	if (denom == 0)
		return m1 == m2 ? NAN : 0;
	return 2 * st_t_sf(fabs((m1 - m2) / denom), df);
}

/* The candidate in y[0..m): Otava's, over both ends of the right side --
 * the tau, kappa (0 < tau < kappa <= m) maximising
 *   Q = 2 / (n + k) * cross - 2 k / ((n + k)(n - 1)) WX - 2 n / ((n + k)(k - 1)) WY
 * (n = tau, k = kappa - tau points; WX, WY within each side, pairs once;
 * a term with a side of one point is 0), the first maximum in tau, then
 * kappa order. col[] is scratch of m * (m + 1) / 2: col[k][i] the sum of
 * |y[j] - y[k]| over j < i <= k. Returns tau (0: none). O(m^2). */
static int otava_candidate(const double *y, int m, int min, double *col, double *qbest)
{
	int best = 0;
	double wx = 0;

	*qbest = -INFINITY;
	for (int k = 0, off = 0; k < m; off += ++k) {
		col[off] = 0;
		for (int i = 1; i <= k; i++)
			col[off + i] = col[off + i - 1] + fabs(y[i - 1] - y[k]);
	}
	for (int tau = 1; tau < m; tau++) {
		int n = tau;
		/* y[tau - 1] joined the left side */
		wx += col[(tau - 1) * tau / 2 + tau - 1];
		double cross = 0, wy = 0;
		for (int kappa = tau + 1; kappa <= m; kappa++) {
			const double *c = col + (kappa - 1) * kappa / 2;	/* column kappa - 1 */
			int k = kappa - tau;
			cross += c[tau];
			wy += c[kappa - 1] - c[tau];
			if (n < min || k < min)
				continue;
			double q = 2.0 / (n + k) * cross;
			if (n > 1)
				q -= 2.0 * k / ((double)(n + k) * (n - 1)) * wx;
			if (k > 1)
				q -= 2.0 * n / ((double)(n + k) * (k - 1)) * wy;
			if (q > *qbest) {
				*qbest = q;
				best = tau;
			}
		}
	}
	return best;
}

/* Otava's ChangePointDetector over y[0..m): the best candidate over the
 * segments between the change points so far, kept while the t-test
 * between its sides gives p <= alpha. Change points (sorted) into cut[];
 * returns how many. */
static int otava_window(const double *y, int m, const struct cp_options *o, double alpha, double *col, int *cut)
{
	int ncut = 0;

	for (;;) {
		int best = 0, a_best = 0, b_best = 0;
		double qbest = -INFINITY, q;
		for (int s = 0; s <= ncut; s++) {
			int a = s ? cut[s - 1] : 0, b = s < ncut ? cut[s] : m;
			if (b - a < 2)
				continue;
			int tau = otava_candidate(y + a, b - a, o->min_size, col, &q);
			if (tau && q > qbest) {
				qbest = q;
				best = a + tau;
				a_best = a;
				b_best = b;
			}
		}
		if (!best)
			break;
		double p = student_p(y + a_best, best - a_best, y + best, b_best - best, NULL, NULL);
		if (!(p <= alpha))
			break;
		cut[ncut++] = best;
		qsort(cut, ncut, sizeof(int), cmp_int);
	}
	return ncut;
}

/* A weak change point and its t-test against its neighbours. */
struct weak {
	int index;
	double p, magnitude;
};

static void weak_stats(const double *x, int n, struct weak *w, int nw, int i)
{
	int a = i ? w[i - 1].index : 0, b = i + 1 < nw ? w[i + 1].index : n;
	double m1 = 0, m2 = 0;

	w[i].p = student_p(x + a, w[i].index - a, x + w[i].index, b - w[i].index, &m1, &m2);
	/* the larger of the relative changes either way (0 against a 0 mean) */
	double fwd = m1 ? m2 / m1 - 1 : 0, bwd = m2 ? m1 / m2 - 1 : 0;
	w[i].magnitude = fmax(fabs(fwd), fabs(bwd));
}

/* Otava's compute_change_points: split -- E-Divisive in windows of
 * o->window points stepping by half a window (or to the last change point
 * found), at a first-pass p ten times laxer -- then merge: drop the
 * weakest (largest p, or when all pass, the smallest change up to
 * min_change) until every one passes, recomputing its neighbours as the
 * reference does (the one after it and the next). */
static int detect_ttest(const double *x, int n, const struct cp_options *o, int *cut)
{
	int window = o->window < 2 ? 2 : o->window > CP_MAX_WINDOW ? CP_MAX_WINDOW : o->window;
	int step = window / 2, nw = 0;
	double first_pass = o->alpha < 0.05 ? o->alpha * 10 : o->alpha < 0.5 ? o->alpha * 2 : o->alpha;
	double *col = xmalloc((size_t)window * (window + 1) / 2 * sizeof(double));
	int *local = xmalloc((window + 1) * sizeof(int));
	struct weak *w = xmalloc((n + 1) * sizeof(*w));

	for (int start = 0; start < n;) {
		int end = start + window < n ? start + window : n;
		int k = otava_window(x + start, end - start, o, first_pass, col, local);
		for (int i = 0; i < k; i++) {
			int idx = start + local[i], seen = 0;
			for (int j = 0; j < nw && !seen; j++)
				seen = w[j].index == idx;
			if (!seen)
				w[nw++].index = idx;
		}
		int last = k ? start + local[k - 1] : 0;
		start = last > start + step ? last : start + step;
	}
	free(col);
	free(local);
	/* (windows move forward: indexes come in order) */
	for (int i = 0; i < nw; i++)
		weak_stats(x, n, w, nw, i);
	while (nw) {
		int weakest = 0;
		for (int i = 1; i < nw; i++)
			if (w[i].p > w[weakest].p)
				weakest = i;
		if (w[weakest].p < o->alpha) {
			weakest = 0;
			for (int i = 1; i < nw; i++)
				if (w[i].magnitude < w[weakest].magnitude)
					weakest = i;
			if (w[weakest].magnitude > o->min_change)
				break;
		}
		memmove(w + weakest, w + weakest + 1, (nw - weakest - 1) * sizeof(*w));
		nw--;
		for (int i = weakest; i <= weakest + 1 && i < nw; i++)
			weak_stats(x, n, w, nw, i);
	}
	for (int i = 0; i < nw; i++)
		cut[i] = w[i].index;
	free(w);
	return nw;
}

/* MongoDB's: the best split over every segment between the cuts so far,
 * kept while its permutation test says so. Fills cut[] (sorted), pval[]. */
static int detect_permutation(const double *x, int n, const struct cp_options *o, int *cut, double *pval)
{
	unsigned long long rng = o->seed ? o->seed : 1;
	int ncut = 0;

	for (;;) {
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
	return ncut;
}

int cp_detect(const double *x, int n, const struct cp_options *o, struct change_point **cps, int *ncp)
{
	int *cut = xmalloc((n + 2) * sizeof(int)), ncut;	/* split points, sorted */
	double *pval = xcalloc(n + 2, sizeof(double));

	*cps = NULL;
	*ncp = 0;
	if (o->method == CP_TTEST) {
		ncut = detect_ttest(x, n, o, cut);
		for (int c = 0; c < ncut; c++) {	/* between the final segments */
			int a = c ? cut[c - 1] : 0, b = c + 1 < ncut ? cut[c + 1] : n;
			pval[cut[c]] = student_p(x + a, cut[c] - a, x + cut[c], b - cut[c], NULL, NULL);
		}
	} else {
		ncut = detect_permutation(x, n, o, cut, pval);
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
