/* Statistics for compare: pure functions, no I/O, no allocation visible to
 * callers. MMTests's formulas where MMTests has them (see the issue/README
 * for the exact definitions), textbook tests where it does not. */
#ifndef MMT_STATS_H
#define MMT_STATS_H

#include <stdint.h>

double st_min(const double *x, int n);
double st_max(const double *x, int n);
double st_amean(const double *x, int n);
/* n / sum(1/x); -EDOM (and *out untouched) when any x <= 0 or n == 0. */
int st_hmean(const double *x, int n, double *out);
/* Sample standard deviation (n - 1); NAN when n < 2. */
double st_stddev(const double *x, int n);
/* sqrt(sum((1/x - 1/H)^2) * H^4 / n); NAN when Hmean is undefined. */
double st_hstddev(const double *x, int n);
/* 100 * sd / mean; 0 when mean is 0 or sd is NAN (as MMTests). */
double st_coeffvar(double sd, double mean);
/* Mean (harmonic when harmonic != 0) of the best max(1, n*pct/100)
 * samples; best = highest when higher_is_better. NAN if undefined. */
/* A copy of x sorted best first (the caller frees it): MMTests's order. */
double *st_sorted_best(const double *x, int n, int higher_is_better);
double st_bmean(const double *x, int n, int pct, int higher_is_better, int harmonic);
/* MMTests's percentile-P: with the samples sorted best first, the
 * int(n * P / 100)-th (at least the first). */
double st_pctile_best(const double *x, int n, int pct, int higher_is_better);
double st_median(const double *x, int n);

/* MMTests's comparison operators. */
double st_pdiff(double new_v, double base);	/* higher is better */
double st_pndiff(double new_v, double base);	/* lower is better */
double st_rdiff(double new_v, double base);	/* ratio */
double st_cidiff(double a, double hw_a, double b, double hw_b);
/* Geometric mean as exp(mean(ln r)); ratios of 0 count as 0.00001. */
double st_gmean(const double *r, int n);

/* Modified z-score outliers (|0.6745 (x - median) / MAD| > limit). */
int st_outliers(const double *x, int n, double limit);

double st_normal_sf(double z);
/* Upper tail of Student's t with df degrees of freedom. */
double st_t_sf(double t, double df);
/* Regularized incomplete beta I_x(a, b). */
double st_betai(double a, double b, double x);

struct st_test {
	double statistic;	/* U (max of U1, U2) or t */
	double p;		/* two-sided */
	double df;		/* Welch only */
	int exact;		/* Mann-Whitney: exact distribution used */
};

/* Two-sided Mann-Whitney U: exact when min(m, n) <= 8 and no ties,
 * otherwise the normal approximation with tie and continuity correction
 * (the rule and numbers of scipy.stats.mannwhitneyu, method "auto"). */
int st_mannwhitney(const double *x, int m, const double *y, int n, struct st_test *r);
/* Welch's unequal-variance t-test, two-sided. */
int st_welch(const double *x, int m, const double *y, int n, struct st_test *r);
/* Benjamini-Hochberg adjusted p-values (q may alias p). */
void st_bh_adjust(const double *p, double *q, int n);
/* Percentile bootstrap CI of mean(y) - mean(x); reproducible for a seed. */
void st_bootstrap_ci(const double *x, int m, const double *y, int n, int rounds,
		     uint64_t seed, double level, double *lo, double *hi);

#endif
