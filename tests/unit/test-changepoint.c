/* changepoint.c against the references, on synthetic series with known
 * shifts: MongoDB's E-Divisive (signal-processing-algorithms) for the
 * permutation method (tests/fixtures/changepoint/cases.tsv, made by
 * tools/gen-changepoint-fixtures.py), Apache Otava for the t-test method
 * (ttest-cases.tsv, by tools/gen-changepoint-ttest-fixtures.py); and the
 * magnitudes, intervals and options of ours. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"
#include "fileio.h"
#include "tap.h"
#include "xalloc.h"

static int parse(char *s, double *v, int max)
{
	int n = 0;
	char *save;

	for (char *t = strtok_r(s, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		v[n++] = strtod(t, NULL);
	return n;
}

/* Otava's cases: name, window, max p, min magnitude, series, index:p... */
static int ttest_cases(const char *src, double *x)
{
	char *path = xasprintf("%s/tests/fixtures/changepoint/ttest-cases.tsv", src);
	struct strbuf b = STRBUF_INIT;
	int cases = 0;
	char *lsave;

	ok(read_file(path, &b) == 0, "reads %s", path);
	for (char *line = strtok_r(b.buf, "\n", &lsave); line; line = strtok_r(NULL, "\n", &lsave)) {
		char *f[6], *fsave;
		int nf = 0;
		if (line[0] == '#')
			continue;
		for (char *t = strtok_r(line, "\t", &fsave); t && nf < 6; t = strtok_r(NULL, "\t", &fsave))
			f[nf++] = t;
		if (nf != 6)
			continue;
		struct cp_options o;
		cp_defaults(&o, CP_TTEST);
		o.window = atoi(f[1]);
		o.alpha = strtod(f[2], NULL);
		o.min_change = strtod(f[3], NULL);
		int n = parse(f[4], x, 5000), ncp;
		struct change_point *cps;
		cp_detect(x, n, &o, &cps, &ncp);
		struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
		char *psave;
		int k = 0, pclose = 1;
		for (char *t = strtok_r(f[5], ",", &psave); t && strcmp(t, "-"); t = strtok_r(NULL, ",", &psave), k++) {
			char *colon = strchr(t, ':');
			sb_addf(&want, "%s%.*s", k ? "," : "", (int)(colon - t), t);
			double p = strtod(colon + 1, NULL);
			/* scipy's p to 6 digits; ours from our own t distribution */
			/* (scipy's p underflows to 0 below 1e-308) */
			if (k < ncp && !(p == 0 ? cps[k].p < 1e-300 : fabs(cps[k].p - p) <= 1e-5 * p))
			{
				printf("#   %s: change point %d: p %.6g, Otava's %.6g\n", f[0], k, cps[k].p, p);
				pclose = 0;
			}
		}
		for (int c = 0; c < ncp; c++)
			sb_addf(&got, "%s%d", c ? "," : "", cps[c].index);
		is_str(ncp ? got.buf : "-", k ? want.buf : "-", "%s: the change points Apache Otava finds (window %d, p %g, min change %g)",
		       f[0], o.window, o.alpha, o.min_change);
		ok(pclose, "%s: each one's t-test p-value is Otava's", f[0]);
		sb_release(&want);
		sb_release(&got);
		free(cps);
		cases++;
	}
	sb_release(&b);
	free(path);
	return cases;
}

int main(void)
{
	const char *src = getenv("MMTESTS_SRC");
	char *path = xasprintf("%s/tests/fixtures/changepoint/cases.tsv", src ? src : ".");
	struct strbuf b = STRBUF_INIT;
	struct cp_options o;
	static double x[5000];
	int cases = 0;

	cp_defaults(&o, CP_PERMUTATION);
	ok(read_file(path, &b) == 0, "reads %s", path);
	char *lsave;
	for (char *line = strtok_r(b.buf, "\n", &lsave); line; line = strtok_r(NULL, "\n", &lsave)) {
		if (line[0] == '#')
			continue;
		char *name = line, *ser = strchr(name, '\t'), *want;
		if (!ser || !(want = strchr(ser + 1, '\t')))
			continue;
		*ser++ = '\0';
		*want++ = '\0';
		char *series = xstrdup(ser);
		int n = parse(series, x, 5000);
		struct change_point *cps;
		int ncp;
		cp_detect(x, n, &o, &cps, &ncp);
		struct strbuf got = STRBUF_INIT;
		for (int c = 0; c < ncp; c++)
			sb_addf(&got, "%s%d", c ? "," : "", cps[c].index);
		is_str(ncp ? got.buf : "-", want, "%s: the change points MongoDB's E-Divisive finds", name);
		for (int c = 0; c < ncp; c++)
			ok(cps[c].p <= o.alpha && cps[c].pct_lo <= cps[c].pct && cps[c].pct <= cps[c].pct_hi,
			   "%s: change point at %d: p %.3g <= alpha, %+.1f%% within [%+.1f%%, %+.1f%%]", name,
			   cps[c].index, cps[c].p, cps[c].pct, cps[c].pct_lo, cps[c].pct_hi);
		if (!strcmp(name, "step-20pct") && ncp == 1)
			ok(cps[0].pct > 17 && cps[0].pct < 23 && cps[0].pct_lo > 15 && cps[0].pct_hi < 25,
			   "step-20pct: the magnitude +20%% is found: %+.1f%% [%+.1f%%, %+.1f%%]",
			   cps[0].pct, cps[0].pct_lo, cps[0].pct_hi);
		if (!strcmp(name, "early-step")) {	/* the shift at 6 is inside a 10-run minimum */
			struct cp_options big = o;
			struct change_point *c2;
			int n2;
			big.min_size = 10;
			cp_detect(x, n, &big, &c2, &n2);
			ok(n2 == 0 || c2[0].index >= 10, "early-step: --min-size 10 keeps segments of 10 (%d found)", n2);
			free(c2);
		}
		sb_release(&got);
		free(cps);
		free(series);
		cases++;
	}
	ok(cases >= 6, "%d reference cases", cases);
	/* the same series, the same answer: the permutations are seeded */
	double step[60];
	for (int i = 0; i < 60; i++)
		step[i] = (i < 30 ? 100 : 110) + (i * 7919 % 13) * 0.3;
	struct change_point *a, *c;
	int na, nc;
	cp_detect(step, 60, &o, &a, &na);
	cp_detect(step, 60, &o, &c, &nc);
	ok(na == nc && na >= 1 && a[0].index == c[0].index && a[0].p == c[0].p, "deterministic: two runs agree");
	free(a);
	free(c);
	sb_release(&b);
	free(path);
	ok(ttest_cases(src ? src : ".", x) >= 15, "Otava's cases read");
	/* a history longer than any window: linear, not quadratic */
	static double big[10000];
	for (int i = 0; i < 10000; i++)
		big[i] = (i < 7000 ? 100 : 90) + (i * 7919 % 101) * 0.05;
	struct cp_options t;
	cp_defaults(&t, CP_TTEST);
	cp_detect(big, 10000, &t, &a, &na);
	ok(na == 1 && a[0].index == 7000 && a[0].pct < -9 && a[0].pct > -11,
	   "t-test over 10000 points: the -10%% step at 7000 (%d found, first at %d)", na, na ? a[0].index : -1);
	free(a);
	return done_testing();
}
