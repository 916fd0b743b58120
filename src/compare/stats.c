#include "stats.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

double st_min(const double *x, int n)
{
	double m = n ? x[0] : NAN;

	for (int i = 1; i < n; i++)
		m = x[i] < m ? x[i] : m;
	return m;
}

double st_max(const double *x, int n)
{
	double m = n ? x[0] : NAN;

	for (int i = 1; i < n; i++)
		m = x[i] > m ? x[i] : m;
	return m;
}

double st_amean(const double *x, int n)
{
	double s = 0;

	if (!n)
		return NAN;
	for (int i = 0; i < n; i++)
		s += x[i];
	return s / n;
}

int st_hmean(const double *x, int n, double *out)
{
	double s = 0;

	if (!n)
		return -EDOM;
	for (int i = 0; i < n; i++) {
		if (!(x[i] > 0))
			return -EDOM;
		s += 1 / x[i];
	}
	*out = n / s;
	return 0;
}

double st_stddev(const double *x, int n)
{
	double mean = st_amean(x, n), s = 0;

	if (n < 2)
		return NAN;
	for (int i = 0; i < n; i++)
		s += (x[i] - mean) * (x[i] - mean);
	return sqrt(s / (n - 1));
}

double st_hstddev(const double *x, int n)
{
	double h, s = 0;

	if (st_hmean(x, n, &h))
		return NAN;
	for (int i = 0; i < n; i++)
		s += (1 / x[i] - 1 / h) * (1 / x[i] - 1 / h);
	return sqrt(s * h * h * h * h / n);
}

double st_coeffvar(double sd, double mean)
{
	if (isnan(sd))
		sd = 0;
	if (isnan(mean) || mean == 0)
		return 0;
	return sd * 100 / mean;
}

static int cmp_asc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_desc(const void *a, const void *b)
{
	return -cmp_asc(a, b);
}

double *st_sorted_best(const double *x, int n, int higher_is_better)
{
	double *s = xmalloc((n ? n : 1) * sizeof(double));

	memcpy(s, x, n * sizeof(double));
	qsort(s, n, sizeof(double), higher_is_better ? cmp_desc : cmp_asc);
	return s;
}

double st_bmean(const double *x, int n, int pct, int higher_is_better, int harmonic)
{
	double *s, r = NAN;
	int count = (int)((long long)n * pct / 100);

	if (!n)
		return NAN;
	if (count < 1)
		count = 1;
	s = st_sorted_best(x, n, higher_is_better);
	if (harmonic) {
		if (st_hmean(s, count, &r))
			r = NAN;
	} else {
		r = st_amean(s, count);
	}
	free(s);
	return r;
}

double st_pctile_best(const double *x, int n, int pct, int higher_is_better)
{
	int count = (int)((long long)n * pct / 100);
	double *s, r;

	if (!n)
		return NAN;
	if (count < 1)
		count = 1;
	s = st_sorted_best(x, n, higher_is_better);
	r = s[count - 1];
	free(s);
	return r;
}

double st_median(const double *x, int n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = xmalloc(n * sizeof(double));
	memcpy(s, x, n * sizeof(double));
	qsort(s, n, sizeof(double), cmp_asc);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

double st_pdiff(double new_v, double base)
{
	if (new_v == base || new_v == 0)
		return 0;
	if (base == 0)
		return 100;
	return new_v * 100 / base - 100;
}

double st_pndiff(double new_v, double base)
{
	if (new_v == base)
		return 0;
	if (new_v == 0)
		return 100;
	if (base == 0)
		return -99;
	return 100 - new_v * 100 / base;
}

double st_rdiff(double new_v, double base)
{
	if (base == 0 || isnan(base))
		return 0;
	if (new_v == 0 || isnan(new_v))
		return 1;
	return new_v / base;
}

double st_cidiff(double a, double hw_a, double b, double hw_b)
{
	double sum = hw_a + hw_b;

	return sum == 0 ? a - b : (a - b) / sum;
}

double st_gmean(const double *r, int n)
{
	double s = 0;

	if (!n)
		return NAN;
	for (int i = 0; i < n; i++)
		s += log(r[i] > 0 ? r[i] : 0.00001);
	return exp(s / n);
}

int st_outliers(const double *x, int n, double limit)
{
	double med = st_median(x, n), mad, *dev;
	int count = 0;

	if (n < 3)
		return 0;
	dev = xmalloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
		dev[i] = fabs(x[i] - med);
	mad = st_median(dev, n);
	free(dev);
	if (mad == 0)
		return 0;
	for (int i = 0; i < n; i++)
		count += fabs(0.6745 * (x[i] - med) / mad) > limit;
	return count;
}

double st_normal_sf(double z)
{
	return 0.5 * erfc(z / M_SQRT2);
}

/* Continued fraction for the incomplete beta (modified Lentz). */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap, h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 1000; m++) {
		int m2 = 2 * m;
		double aa = m * (b - m) * x / ((qam + m2) * (a + m2));

		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

double st_betai(double a, double b, double x)
{
	double bt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return bt * betacf(a, b, x) / a;
	return 1 - bt * betacf(b, a, 1 - x) / b;
}

double st_t_sf(double t, double df)
{
	double tail;

	if (isnan(t))
		return NAN;
	if (isinf(t))
		return t > 0 ? 0 : 1;
	tail = 0.5 * st_betai(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? tail : 1 - tail;
}

struct ranked {
	double v;
	int group;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_asc(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

/* Number of arrangements with U <= k for sizes m, n, by the recurrence
 * f(k; m, n) = f(k - n; m - 1, n) + f(k; m, n - 1), as a table. */
static double mwu_cdf(int k, int m, int n)
{
	int umax = m * n;
	double total = 0, below = 0;
	/* counts[i][j][u] flattened: rolling over i (m) keeps memory small. */
	double *prev = xcalloc((size_t)(n + 1) * (umax + 1), sizeof(double));
	double *cur = xcalloc((size_t)(n + 1) * (umax + 1), sizeof(double));

#define AT(arr, j, u) (arr)[(size_t)(j) * (umax + 1) + (u)]
	for (int j = 0; j <= n; j++)
		AT(prev, j, 0) = 1;	/* m = 0: U is 0 */
	for (int i = 1; i <= m; i++) {
		memset(cur, 0, (size_t)(n + 1) * (umax + 1) * sizeof(double));
		AT(cur, 0, 0) = 1;
		for (int j = 1; j <= n; j++)
			for (int u = 0; u <= i * j; u++)
				AT(cur, j, u) = (u >= j ? AT(prev, j, u - j) : 0) + AT(cur, j - 1, u);
		double *t = prev;
		prev = cur;
		cur = t;
	}
	for (int u = 0; u <= umax; u++) {
		total += AT(prev, n, u);
		if (u <= k)
			below += AT(prev, n, u);
	}
#undef AT
	free(prev);
	free(cur);
	return below / total;
}

int st_mannwhitney(const double *x, int m, const double *y, int n, struct st_test *r)
{
	int N = m + n, ties = 0;
	struct ranked *all;
	double r1 = 0, tie_term = 0, u1, u2, u;

	memset(r, 0, sizeof(*r));
	if (m < 1 || n < 1) {
		r->p = NAN;
		return -EINVAL;
	}
	all = xmalloc(N * sizeof(*all));
	for (int i = 0; i < m; i++)
		all[i] = (struct ranked){ x[i], 0 };
	for (int i = 0; i < n; i++)
		all[m + i] = (struct ranked){ y[i], 1 };
	qsort(all, N, sizeof(*all), cmp_ranked);
	for (int i = 0; i < N; ) {
		int j = i;
		while (j + 1 < N && all[j + 1].v == all[i].v)
			j++;
		double rank = (i + j) / 2.0 + 1, t = j - i + 1;
		if (t > 1) {
			ties = 1;
			tie_term += t * t * t - t;
		}
		for (int k = i; k <= j; k++)
			if (all[k].group == 0)
				r1 += rank;
		i = j + 1;
	}
	free(all);
	u1 = r1 - m * (m + 1) / 2.0;
	u2 = (double)m * n - u1;
	u = u1 > u2 ? u1 : u2;
	r->statistic = u;
	if ((m <= 8 || n <= 8) && !ties) {
		/* P(U >= u) = P(U <= mn - u) by symmetry */
		r->exact = 1;
		r->p = 2 * mwu_cdf((int)lround((double)m * n - u), m, n);
	} else {
		double mu = m * n / 2.0;
		double s = sqrt(m * n / 12.0 * ((N + 1) - tie_term / ((double)N * (N - 1))));
		double z = s > 0 ? (u - mu - 0.5) / s : 0;
		r->p = s > 0 ? 2 * st_normal_sf(z) : 1;
	}
	if (r->p > 1)
		r->p = 1;
	return 0;
}

int st_welch(const double *x, int m, const double *y, int n, struct st_test *r)
{
	double mx, my, vx, vy, se2;

	memset(r, 0, sizeof(*r));
	if (m < 2 || n < 2) {
		r->p = NAN;
		return -EINVAL;
	}
	mx = st_amean(x, m);
	my = st_amean(y, n);
	vx = st_stddev(x, m);
	vy = st_stddev(y, n);
	vx *= vx;
	vy *= vy;
	se2 = vx / m + vy / n;
	if (se2 == 0) {
		r->statistic = mx == my ? 0 : (mx > my ? INFINITY : -INFINITY);
		r->p = mx == my ? 1 : 0;
		r->df = m + n - 2;
		return 0;
	}
	r->statistic = (mx - my) / sqrt(se2);
	r->df = se2 * se2 / ((vx / m) * (vx / m) / (m - 1) + (vy / n) * (vy / n) / (n - 1));
	r->p = 2 * st_t_sf(fabs(r->statistic), r->df);
	if (r->p > 1)
		r->p = 1;
	return 0;
}

struct pidx {
	double p;
	int i;
};

static int cmp_pidx(const void *a, const void *b)
{
	return cmp_asc(&((const struct pidx *)a)->p, &((const struct pidx *)b)->p);
}

void st_bh_adjust(const double *p, double *q, int n)
{
	struct pidx *s = xmalloc((n ? n : 1) * sizeof(*s));
	int k = 0;

	for (int i = 0; i < n; i++)
		if (!isnan(p[i]))
			s[k++] = (struct pidx){ p[i], i };
	qsort(s, k, sizeof(*s), cmp_pidx);
	double running = 1;
	for (int j = k - 1; j >= 0; j--) {
		double v = s[j].p * k / (j + 1);
		running = v < running ? v : running;
		s[j].p = running;
	}
	for (int i = 0; i < n; i++)
		if (isnan(p[i]))
			q[i] = NAN;
	for (int j = 0; j < k; j++)
		q[s[j].i] = s[j].p;
	free(s);
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void st_bootstrap_ci(const double *x, int m, const double *y, int n, int rounds,
		     uint64_t seed, double level, double *lo, double *hi)
{
	double *d;
	uint64_t st = seed;

	if (m < 1 || n < 1 || rounds < 1) {
		*lo = *hi = NAN;
		return;
	}
	d = xmalloc(rounds * sizeof(double));
	for (int b = 0; b < rounds; b++) {
		double sx = 0, sy = 0;
		for (int i = 0; i < m; i++)
			sx += x[splitmix64(&st) % m];
		for (int i = 0; i < n; i++)
			sy += y[splitmix64(&st) % n];
		d[b] = sy / n - sx / m;
	}
	qsort(d, rounds, sizeof(double), cmp_asc);
	double tail = (1 - level) / 2;
	int ilo = (int)floor(tail * (rounds - 1));
	int ihi = (int)ceil((1 - tail) * (rounds - 1));
	*lo = d[ilo];
	*hi = d[ihi];
	free(d);
}
