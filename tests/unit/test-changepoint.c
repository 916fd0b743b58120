/* changepoint.c against MongoDB's E-Divisive (signal-processing-algorithms):
 * the change points it found in synthetic series with known shifts
 * (tests/fixtures/changepoint/cases.tsv, made by
 * tools/gen-changepoint-fixtures.py with the reference), and the
 * magnitudes, intervals and options of ours. */
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

int main(void)
{
	const char *src = getenv("MMTESTS_SRC");
	char *path = xasprintf("%s/tests/fixtures/changepoint/cases.tsv", src ? src : ".");
	struct strbuf b = STRBUF_INIT;
	struct cp_options o;
	double x[1000];
	int cases = 0;

	cp_defaults(&o);
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
		int n = parse(series, x, 1000);
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
	return done_testing();
}
