/* Recall and false alarms of the nightly gates on synthetic histories
 * (built and run by tools/bench-detection). Each history is N nights of a
 * metric (higher is better) with S samples a night around a level with
 * noise CoV c; a regression of d% starts at a random night (a step), or
 * creeps in over 20 nights. Every night each gate judges the history so
 * far, as mmtests-nightly would:
 *  - pairwise: the night against the last good night (compare-mmtests
 *    --fail-on-regression 5: comparison.c itself); a failing night keeps
 *    the baseline, a passing one becomes it;
 *  - changepoint: mmtests-db detect --record --fail-on-regression (the
 *    t-test method, defaults): a new regression change point in the newest
 *    3 nights, or anywhere once the metric was looked at before.
 * An alarm from the shift's night to 10 nights after it (after a creep's
 * end) is a detection, its latency counted from the first night of the shift;
 * any other alarm is false (after a false alarm the operator accepts the
 * night: the pairwise baseline moves to it). Deterministic (seeded). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"
#include "comparison.h"
#include "xalloc.h"

#define SAMPLES 5
#define WINDOW 10	/* nights after the shift an alarm counts as its detection */
#define CREEP 20	/* nights a creep takes (its window is as much longer) */

static unsigned long long rng = 88172645463325252ULL;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng >> 11) * (1.0 / 9007199254740992.0);
}

static double gauss(void)
{
	double u = uniform(), v = uniform();
	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/* Does night t fail compare's gate against night base? */
static int pairwise_fails(double (*s)[SAMPLES], int base, int t, const struct shellpack_meta *meta)
{
	struct run_results *runs = xcalloc(2, sizeof(*runs));
	int nights[2] = { base, t };
	struct comparison c;

	for (int r = 0; r < 2; r++) {
		runs[r].name = xstrdup(r ? "night" : "base");
		runs[r].iterations = SAMPLES;
		for (int k = 0; k < SAMPLES; k++)
			results_add(&runs[r], "m", "m", k, s[nights[r]][k]);
	}
	comparison_build(&c, "bench", NULL, meta, runs, 2, SIG_SOUND, 5);
	int fails = c.regressions > 0;
	comparison_free(&c);
	return fails;
}

struct tally {
	int histories, shifts, detected, false_alarms;
	long nights;		/* judged */
	double latency;		/* sum over detections, nights */
};

/* The change-point gate's state for one history: what was recorded. */
struct recorded {
	int *at, n;
	int looked;
};

static int cp_gate_fails(const double *x, int t, struct recorded *rec, const struct cp_options *o)
{
	struct change_point *cps;
	int n = t + 1, k, fails = 0;

	cp_detect(x, n, o, &cps, &k);
	int *now = xmalloc((k ? k : 1) * sizeof(int));
	for (int i = 0; i < k; i++) {
		int known = 0;
		for (int r = 0; r < rec->n && !known; r++)
			known = abs(rec->at[r] - cps[i].index) <= 5;	/* known, or moved */
		if (!known && cps[i].after < cps[i].before && (cps[i].index >= n - 3 || rec->looked))
			fails = 1;
		now[i] = cps[i].index;
	}
	free(rec->at);
	rec->at = now;
	rec->n = k;
	rec->looked = 1;
	free(cps);
	return fails;
}

static void judge(struct tally *tp, struct tally *tc, double (*s)[SAMPLES], const double *x, int nights, int shift,
		  int span, const struct shellpack_meta *meta, const struct cp_options *o)
{
	int base = 0, pdone = 0, cdone = 0;
	struct recorded rec = { 0 };

	tp->histories++;
	tc->histories++;
	if (shift >= 0) {
		tp->shifts++;
		tc->shifts++;
	}
	for (int t = 1; t < nights; t++) {
		int in_window = shift >= 0 && t >= shift && t <= shift + span + WINDOW;
		int pf = pairwise_fails(s, base, t, meta);
		int cf = cp_gate_fails(x, t, &rec, o);
		tp->nights++;
		tc->nights++;
		if (pf) {
			if (in_window && !pdone) {
				tp->detected++;
				tp->latency += t - shift;
				pdone = 1;
			} else if (!in_window && !(shift >= 0 && t > shift)) {
				tp->false_alarms++;
				base = t;	/* accepted by the operator */
			}
		} else {
			base = t;
		}
		if (cf) {
			if (in_window && !cdone) {
				tc->detected++;
				tc->latency += t - shift;
				cdone = 1;
			} else if (!in_window && !(shift >= 0 && t > shift)) {
				tc->false_alarms++;
			}
		}
	}
	free(rec.at);
}

static void row(const char *what, double d, double cov, const struct tally *tp, const struct tally *tc)
{
	const struct tally *t[2] = { tp, tc };

	printf("%-6s %5.0f%% %5.0f%%", what, d, cov);
	for (int i = 0; i < 2; i++) {
		if (t[i]->shifts)
			printf("  %5.0f%% %5.1f", 100.0 * t[i]->detected / t[i]->shifts,
			       t[i]->detected ? t[i]->latency / t[i]->detected : NAN);
		else
			printf("  %6s %5s", "-", "-");
		printf(" %7.1f", 1000.0 * t[i]->false_alarms / t[i]->nights);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	int nights = argc > 1 ? atoi(argv[1]) : 200, per = argc > 2 ? atoi(argv[2]) : 20;
	static const double sizes[] = { 0, 5, 10, 20, 50 }, covs[] = { 1, 2, 5, 10 };
	struct shellpack_meta meta = { .higher_is_better = 1, .decimal_places = 2, .summary = "multiops" };
	struct cp_options o;
	double (*s)[SAMPLES] = xmalloc(nights * sizeof(*s));
	double *x = xmalloc(nights * sizeof(double));

	cp_defaults(&o, CP_TTEST);
	printf("%d histories per row, %d nights each, %d samples a night; detection: an alarm within %d nights of the shift\n"
	       "(a creep: of its end, %d nights later); lat: mean nights from the shift's start to the alarm\n",
	       per, nights, SAMPLES, WINDOW, CREEP);
	printf("%-6s %6s %6s  %-21s  %-21s\n", "", "", "", "pairwise (last good)", "change points");
	printf("%-6s %6s %6s  %6s %5s %7s  %6s %5s %7s\n", "shape", "drop", "CoV", "recall", "lat", "FP/1k", "recall",
	       "lat", "FP/1k");
	for (int shape = 0; shape < 2; shape++) {
		for (size_t di = shape; di < sizeof(sizes) / sizeof(*sizes); di++) {
			for (size_t ci = 0; ci < sizeof(covs) / sizeof(*covs); ci++) {
				struct tally tp = { 0 }, tc = { 0 };
				for (int h = 0; h < per; h++) {
					int shift = sizes[di] > 0 ? nights / 4 + (int)(uniform() * nights / 2) : -1;
					for (int t = 0; t < nights; t++) {
						double level = 1000;
						if (shift >= 0 && t >= shift) {
							/* a step, or a creep over 20 nights */
							double f = shape ? fmin(1.0, (t - shift + 1.0) / CREEP) : 1;
							level *= 1 - sizes[di] / 100 * f;
						}
						x[t] = 0;
						for (int k = 0; k < SAMPLES; k++) {
							s[t][k] = level * (1 + covs[ci] / 100 * gauss());
							x[t] += s[t][k] / SAMPLES;
						}
					}
					judge(&tp, &tc, s, x, nights, shift, shape ? CREEP : 0, &meta, &o);
				}
				row(shape ? "creep" : sizes[di] > 0 ? "step" : "none", sizes[di], covs[ci], &tp, &tc);
				fflush(stdout);
			}
		}
	}
	free(s);
	free(x);
	return 0;
}
