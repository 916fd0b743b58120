#include <errno.h>
/* stats.c against reference values computed by scipy/numpy
 * (tests/fixtures/stats, made by tools/gen-stats-fixtures.py). */
#include <stdlib.h>

#include "fileio.h"
#include "stats.h"
#include "tap.h"
#include "xalloc.h"

#define MAXV 64

static int parse_list(char *s, double *v)
{
	int n = 0;

	for (char *t = strtok(s, ","); t && n < MAXV; t = strtok(NULL, ","))
		v[n++] = strtod(t, NULL);
	return n;
}

/* Split a fixture line into tab fields; returns the count. */
static int fields(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static char **lines(const char *name, int *count)
{
	const char *src = getenv("MMTESTS_SRC");
	char *path = xasprintf("%s/tests/fixtures/stats/%s", src ? src : ".", name);
	struct strbuf b = STRBUF_INIT;
	char **v = NULL;
	int n = 0;

	if (read_file(path, &b) == 0) {
		for (char *l = strtok(b.buf, "\n"); l; l = strtok(NULL, "\n")) {
			if (l[0] == '#')
				continue;
			v = xrealloc(v, (n + 1) * sizeof(char *));
			v[n++] = xstrdup(l);
		}
	}
	sb_release(&b);
	free(path);
	*count = n;
	return v;
}

static int close_rel(double got, double want, double rel)
{
	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want);
	return fabs(got - want) <= rel * fabs(want) + 1e-300;
}

int main(void)
{
	double x[MAXV], y[MAXV];
	char *f[8];
	int n;
	char **L;

	L = lines("mannwhitney.tsv", &n);
	ok(n >= 10, "mannwhitney fixtures present (%d)", n);
	for (int i = 0; i < n; i++) {
		struct st_test r;
		fields(L[i], f, 8);
		int m = parse_list(f[1], x), k = parse_list(f[2], y);
		st_mannwhitney(x, m, y, k, &r);
		is_num(r.statistic, strtod(f[3], NULL), 1e-9, "MWU U %s", f[0]);
		ok(close_rel(r.p, strtod(f[4], NULL), 1e-9), "MWU p %s: %.12g vs scipy %s (%s)", f[0], r.p, f[4],
		   r.exact ? "exact" : "normal");
		free(L[i]);
	}
	free(L);

	L = lines("welch.tsv", &n);
	ok(n >= 9, "welch fixtures present (%d)", n);
	for (int i = 0; i < n; i++) {
		struct st_test r;
		fields(L[i], f, 8);
		int m = parse_list(f[1], x), k = parse_list(f[2], y);
		st_welch(x, m, y, k, &r);
		ok(close_rel(r.statistic, strtod(f[3], NULL), 1e-9), "Welch t %s", f[0]);
		ok(close_rel(r.df, strtod(f[4], NULL), 1e-9), "Welch df %s", f[0]);
		ok(close_rel(r.p, strtod(f[5], NULL), 1e-7), "Welch p %s: %.12g vs scipy %s", f[0], r.p, f[5]);
		free(L[i]);
	}
	free(L);

	L = lines("summary.tsv", &n);
	ok(n >= 20, "summary fixtures present (%d)", n);
	for (int i = 0; i < n; i++) {
		double h = NAN;
		fields(L[i], f, 8);
		int m = parse_list(f[1], x);
		ok(close_rel(st_amean(x, m), strtod(f[2], NULL), 1e-12), "amean %s", f[0]);
		st_hmean(x, m, &h);
		ok(close_rel(h, strtod(f[3], NULL), 1e-12), "hmean %s", f[0]);
		ok(close_rel(st_stddev(x, m), strtod(f[4], NULL), 1e-9), "stddev %s", f[0]);
		ok(close_rel(st_hstddev(x, m), strtod(f[5], NULL), 1e-9), "hstddev %s", f[0]);
		ok(close_rel(st_gmean(x, m), strtod(f[6], NULL), 1e-12), "gmean %s", f[0]);
		ok(close_rel(st_median(x, m), strtod(f[7], NULL), 1e-12), "median %s", f[0]);
		free(L[i]);
	}
	free(L);

	L = lines("tdist.tsv", &n);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		fields(L[i], f, 8);
		double got = st_t_sf(strtod(f[0], NULL), strtod(f[1], NULL));
		if (!close_rel(got, strtod(f[2], NULL), 1e-9)) {
			bad++;
			printf("# t_sf(%s, %s) = %.15g, scipy %s\n", f[0], f[1], got, f[2]);
		}
		free(L[i]);
	}
	free(L);
	ok(n > 40 && !bad, "Student t tail matches scipy at %d points", n);

	L = lines("betainc.tsv", &n);
	bad = 0;
	for (int i = 0; i < n; i++) {
		fields(L[i], f, 8);
		double got = st_betai(strtod(f[0], NULL), strtod(f[1], NULL), strtod(f[2], NULL));
		if (!close_rel(got, strtod(f[3], NULL), 1e-9)) {
			bad++;
			printf("# betai(%s, %s, %s) = %.15g, scipy %s\n", f[0], f[1], f[2], got, f[3]);
		}
		free(L[i]);
	}
	free(L);
	ok(n > 40 && !bad, "incomplete beta matches scipy at %d points", n);

	L = lines("bh.tsv", &n);
	for (int i = 0; i < n; i++) {
		double q[MAXV], want[MAXV];
		fields(L[i], f, 8);
		int m = parse_list(f[0], x);
		parse_list(f[1], want);
		st_bh_adjust(x, q, m);
		int same = 1;
		for (int j = 0; j < m; j++)
			same &= close_rel(q[j], want[j], 1e-12);
		ok(same, "Benjamini-Hochberg set %d (%d p-values)", i + 1, m);
		free(L[i]);
	}
	free(L);

	/* MMTests's comparison operators, case by case. */
	is_num(st_pdiff(110, 100), 10, 1e-12, "pdiff: 10%% better");
	is_num(st_pdiff(100, 100), 0, 0, "pdiff: equal is 0");
	is_num(st_pdiff(5, 0), 100, 0, "pdiff: base 0 is 100");
	is_num(st_pdiff(0, 5), 0, 0, "pdiff: new 0 is 0 (as MMTests)");
	is_num(st_pndiff(90, 100), 10, 1e-12, "pndiff: 10%% less time is +10");
	is_num(st_pndiff(110, 100), -10, 1e-12, "pndiff: more time is negative");
	is_num(st_pndiff(0, 100), 100, 0, "pndiff: new 0 is 100");
	is_num(st_pndiff(5, 0), -99, 0, "pndiff: base 0 is -99");
	is_num(st_pndiff(7, 7), 0, 0, "pndiff: equal is 0");
	is_num(st_rdiff(3, 2), 1.5, 1e-15, "rdiff ratio");
	is_num(st_rdiff(3, 0), 0, 0, "rdiff: base 0 is 0");
	is_num(st_rdiff(0, 2), 1, 0, "rdiff: new 0 is 1");
	is_num(st_cidiff(12, 1, 10, 1), 1, 1e-15, "cidiff normalises by both half-widths");
	is_num(st_cidiff(12, 0, 10, 0), 2, 0, "cidiff: raw difference when both are 0");
	double r[] = { 2, 0.5, 1, 4 };
	is_num(st_gmean(r, 4), pow(4, 0.25), 1e-12, "gmean of ratios");
	double many[2000];
	for (int i = 0; i < 2000; i++)
		many[i] = i % 2 ? 1e-300 : 1e300;
	ok(fabs(st_gmean(many, 2000) - 1) < 1e-9, "gmean computed in logs: no overflow or underflow");
	double zr[] = { 0, 1 };
	is_num(st_gmean(zr, 2), sqrt(0.00001), 1e-15, "a 0 ratio counts as 0.00001");

	double s[] = { 5, 1, 4, 2, 3, 10, 9, 8, 7, 6 };
	is_num(st_bmean(s, 10, 95, 1, 0), (10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2) / 9.0, 1e-12, "BAmean-95 of the 9 highest");
	is_num(st_bmean(s, 10, 95, 0, 0), (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9) / 9.0, 1e-12, "BAmean-95 of the 9 lowest");
	double h9;
	st_hmean((double[]){ 10, 9, 8, 7, 6, 5, 4, 3, 2 }, 9, &h9);
	is_num(st_bmean(s, 10, 95, 1, 1), h9, 1e-12, "BHmean-95 is the hmean of the best 9");
	is_num(st_bmean(s, 3, 95, 1, 0), 4.5, 0, "best max(1, floor(n*P/100)): n=3 keeps the best 2 (5, 4)");
	is_num(st_bmean(s, 1, 95, 1, 0), 5, 0, "n=1 keeps the one sample");
	double neg[] = { 1, -2, 3 }, h = 0;
	ok(st_hmean(neg, 3, &h) == -EDOM, "hmean undefined with a negative value");
	ok(st_hmean((double[]){ 1, 0 }, 2, &h) == -EDOM, "hmean undefined with a zero");
	ok(isnan(st_stddev(s, 1)), "stddev of one sample is NAN");
	is_num(st_coeffvar(NAN, 5), 0, 0, "coeffvar with undefined sd is 0 (as MMTests)");
	is_num(st_coeffvar(1, 0), 0, 0, "coeffvar with mean 0 is 0");
	double out[] = { 10, 10.1, 9.9, 10.05, 9.95, 10.02, 25 };
	is_num(st_outliers(out, 7, 3.5), 1, 0, "one outlier by modified z-score");
	is_num(st_outliers(out, 6, 3.5), 0, 0, "no outlier without it");

	double lo1, hi1, lo2, hi2;
	double a[] = { 10, 11, 9, 10.5, 9.5, 10.2, 9.8, 10.1 };
	double b[] = { 12, 13, 11, 12.5, 11.5, 12.2, 11.8, 12.1 };
	st_bootstrap_ci(a, 8, b, 8, 2000, 42, 0.95, &lo1, &hi1);
	st_bootstrap_ci(a, 8, b, 8, 2000, 42, 0.95, &lo2, &hi2);
	ok(lo1 == lo2 && hi1 == hi2, "bootstrap is reproducible for a seed");
	ok(lo1 < 2 && hi1 > 2 && lo1 > 1 && hi1 < 3, "bootstrap CI [%.3f, %.3f] covers the true difference 2", lo1, hi1);
	return done_testing();
}
