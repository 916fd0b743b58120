#include "comparison.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xalloc.h"

const char *stat_row_name(enum stat_row row, int higher, int mmtests)
{
	static const char *const hi[NROWS] = { "Min", "Hmean", "HStddev", "HCoeffVar", "Max", "BHmean-95", "Pctile-95", "Ops" };
	static const char *const lo[NROWS] = { "Min", "Amean", "Stddev", "CoeffVar", "Max", "BAmean-95", "Pctile-95", "Ops" };

	/* MMTests spells them BHmean.95, Pctile.95 (a dot reads as a decimal
	 * point in a spreadsheet, so ours have a dash) */
	if (mmtests && row == ROW_BMEAN)
		return higher ? "BHmean.95" : "BAmean.95";
	if (mmtests && row == ROW_PCTL95)
		return "Pctile.95";
	return higher ? hi[row] : lo[row];
}

const char *stat_row_key(enum stat_row row)
{
	static const char *const keys[NROWS] = { "min", "mean", "stddev", "coeffvar", "max", "bmean95", "pctile95", "value" };

	return keys[row];
}

/* MMTests's rows and their order for the shellpack's summary (its
 * Summarise.pm): multiops; normalisedops, with the 95th percentile, in
 * another order; singleop, the best sample alone. */
static void summary_rows(struct comparison *c)
{
	static const enum stat_row multi[] = { ROW_MIN, ROW_MEAN, ROW_STDDEV, ROW_COEFFVAR, ROW_MAX, ROW_BMEAN };
	static const enum stat_row norm[] = { ROW_MIN, ROW_MEAN, ROW_BMEAN, ROW_PCTL95, ROW_STDDEV,
					      ROW_COEFFVAR, ROW_MAX };
	static const enum stat_row single[] = { ROW_VALUE };
	const char *kind = c->meta.summary ? c->meta.summary : "multiops";
	const enum stat_row *rows = multi;

	c->nrows = sizeof(multi) / sizeof(multi[0]);
	if (!strcmp(kind, "normalisedops")) {
		rows = norm;
		c->nrows = sizeof(norm) / sizeof(norm[0]);
	} else if (!strcmp(kind, "singleop")) {
		rows = single;
		c->nrows = 1;
	}
	memcpy(c->rows, rows, c->nrows * sizeof(c->rows[0]));
}

int stat_row_lower_better(enum stat_row row, int higher)
{
	return row == ROW_STDDEV || row == ROW_COEFFVAR || !higher;
}

static void warn(struct comparison *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct comparison *c, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_addf(&c->warnings, "%s: %s\n", c->bench, buf);
}

static void set_cell(struct stat_cell *cell, double v)
{
	cell->defined = !isnan(v);
	cell->value = cell->defined ? v : 0;	/* MMTests prints undefined as 0 */
}

static void summarise(struct comparison *c, struct label_cmp *l, int r)
{
	struct run_stats *rs = &l->runs[r];
	int n = rs->n;
	double mean, sd;
	/* MMTests sums the samples sorted best first: the same order here
	 * gives the same last digit */
	double *v = st_sorted_best(rs->v, n, l->higher);

	set_cell(&rs->cell[ROW_MIN], st_min(v, n));
	set_cell(&rs->cell[ROW_MAX], st_max(v, n));
	if (l->higher) {
		if (st_hmean(v, n, &mean)) {
			mean = NAN;
			warn(c, "%s: run %s has values <= 0: Hmean is undefined and printed as 0",
			     l->label, c->runs[r].name);
		}
		sd = st_hstddev(v, n);
	} else {
		mean = st_amean(v, n);
		sd = st_stddev(v, n);
	}
	set_cell(&rs->cell[ROW_MEAN], mean);
	set_cell(&rs->cell[ROW_STDDEV], sd);
	rs->sd = isnan(sd) ? 0 : sd;
	rs->cov = st_coeffvar(sd, mean);
	set_cell(&rs->cell[ROW_COEFFVAR], isnan(mean) ? NAN : rs->cov);
	set_cell(&rs->cell[ROW_BMEAN], st_bmean(v, n, 95, l->higher, l->higher));
	set_cell(&rs->cell[ROW_PCTL95], st_pctile_best(v, n, 95, l->higher));
	set_cell(&rs->cell[ROW_VALUE], n ? v[0] : NAN);
	rs->outliers = st_outliers(v, n, 3.5);
	free(v);
	if (c->method == SIG_NONE)
		return;
	if (n < 2)
		warn(c, "%s: run %s has %d sample: no spread, stddev printed as 0", l->label,
		     c->runs[r].name, n);
	if (rs->cov >= NOISY_COV)
		warn(c, "%s: run %s is noisy (CoeffVar %.2f%% >= %.1f%%)", l->label,
		     c->runs[r].name, rs->cov, NOISY_COV);
	if (rs->outliers)
		warn(c, "%s: run %s has %d outlier%s (modified z-score > 3.5), kept in the statistics",
		     l->label, c->runs[r].name, rs->outliers, rs->outliers == 1 ? "" : "s");
}

/* % column, ratio, cidiff and the tests, against the baseline run 0. */
static void against_base(struct comparison *c, struct label_cmp *l, int r)
{
	struct run_stats *b = &l->runs[0], *rs = &l->runs[r];

	for (int row = 0; row < NROWS; row++) {
		double nv = rs->cell[row].value, bv = b->cell[row].value;
		rs->cell[row].pct = stat_row_lower_better(row, l->higher) ? st_pndiff(nv, bv)
									   : st_pdiff(nv, bv);
	}
	double nm = rs->cell[ROW_MEAN].value, bm = b->cell[ROW_MEAN].value;
	rs->ratio = st_rdiff(nm, bm);
	rs->ratio_pct = rs->cell[ROW_MEAN].pct;
	rs->cidiff = st_cidiff(nm, CI_Z * rs->sd, bm, CI_Z * b->sd);
	if (r == 0 || c->method == SIG_NONE) {
		rs->p_mwu = rs->p_welch = NAN;
		rs->ci_lo = rs->ci_hi = 0;
		return;
	}
	struct st_test t;
	st_mannwhitney(b->v, b->n, rs->v, rs->n, &t);
	rs->p_mwu = t.p;
	rs->mwu_exact = t.exact;
	st_welch(b->v, b->n, rs->v, rs->n, &t);
	rs->p_welch = t.p;
	/* Seeded by label and run so output is reproducible. */
	uint64_t seed = 1469598103934665603ULL;
	for (const char *p = l->label; *p; p++)
		seed = (seed ^ (unsigned char)*p) * 1099511628211ULL;
	st_bootstrap_ci(b->v, b->n, rs->v, rs->n, 2000, seed + r, 0.95, &rs->ci_lo, &rs->ci_hi);
	if (b->n < MIN_SAMPLES_SIG || rs->n < MIN_SAMPLES_SIG)
		warn(c, "%s: %s has %d and %s %d samples: fewer than %d per side can never be "
		     "significant at alpha %.2f", l->label, c->runs[0].name, b->n, c->runs[r].name,
		     rs->n, MIN_SAMPLES_SIG, ALPHA);
}

/* Benjamini-Hochberg across every label and run of this comparison, then
 * the chosen rule; and the regression gate. */
static void decide(struct comparison *c)
{
	int m = c->nlabels * (c->nruns - 1), k = 0;
	double *pm = xcalloc(m + 1, sizeof(double)), *pw = xcalloc(m + 1, sizeof(double));

	for (int i = 0; i < c->nlabels; i++)
		for (int r = 1; r < c->nruns; r++, k++) {
			struct run_stats *rs = &c->labels[i].runs[r];
			pm[k] = rs->present && c->labels[i].runs[0].present ? rs->p_mwu : NAN;
			pw[k] = rs->present && c->labels[i].runs[0].present ? rs->p_welch : NAN;
		}
	st_bh_adjust(pm, pm, m);
	st_bh_adjust(pw, pw, m);
	k = 0;
	for (int i = 0; i < c->nlabels; i++) {
		struct label_cmp *l = &c->labels[i];
		for (int r = 1; r < c->nruns; r++, k++) {
			struct run_stats *rs = &l->runs[r], *b = &l->runs[0];
			if (!rs->present || !b->present)
				continue;
			rs->q_mwu = pm[k];
			rs->q_welch = pw[k];
			if (c->method == SIG_MMTESTS) {
				rs->significant = fabs(rs->cidiff) > 1;
			} else {
				/* Both tests agree, and the change exceeds the noise. */
				double noise = rs->cov > b->cov ? rs->cov : b->cov;
				rs->significant = rs->q_mwu < ALPHA && rs->q_welch < ALPHA &&
						  fabs(rs->ratio_pct) > noise;
			}
			if (rs->significant)
				warn(c, "%s: %s vs %s: %+.2f%% is significant (95%% CI of the difference "
				     "[%.6g, %.6g], q Mann-Whitney %.3g, q Welch %.3g)", l->label,
				     c->runs[r].name, c->runs[0].name, rs->ratio_pct, rs->ci_lo, rs->ci_hi,
				     rs->q_mwu, rs->q_welch);
			double gate = l->threshold > 0 ? l->threshold : c->gate_pct;
			if (c->gate_pct >= 0 && rs->significant && rs->ratio_pct < -gate) {
				rs->regression = 1;
				c->regressions++;
			}
		}
	}
	free(pm);
	free(pw);
}

static void label_meta(struct comparison *c, struct label_cmp *l)
{
	l->higher = c->meta.higher_is_better;
	l->units = c->meta.units ? c->meta.units : "";
	const struct shellpack_metric *m = shellpack_metric_of(&c->meta, l->metric);
	if (m) {
		l->higher = m->higher_is_better;
		l->threshold = m->threshold;
		if (m->units && *m->units)
			l->units = m->units;
	}
}

void comparison_build(struct comparison *c, const char *bench, const char *shellpacks,
		      const struct shellpack_meta *meta, struct run_results *runs, int nruns,
		      enum sig_method method, double gate_pct)
{
	memset(c, 0, sizeof(*c));
	sb_init(&c->warnings);
	c->bench = bench;
	c->runs = runs;
	c->nruns = nruns;
	c->method = method;
	c->gate_pct = gate_pct;
	if (meta) {
		c->meta = *meta;	/* borrowed: has_meta stays 0 */
	} else if (shellpack_lookup(shellpacks, bench, &c->meta) == 0) {
		c->has_meta = 1;
	} else {
		memset(&c->meta, 0, sizeof(c->meta));
		c->meta.higher_is_better = 1;
		c->meta.decimal_places = 2;
		warn(c, "no shellpack metadata: assuming higher is better, 2 decimal places");
	}
	summary_rows(c);

	/* Labels in the baseline's order, then any the other runs add. */
	int cap = 0;
	for (int r = 0; r < nruns; r++) {
		for (int s = 0; s < runs[r].ns; s++) {
			int found = 0;
			for (int i = 0; i < c->nlabels && !found; i++)
				found = !strcmp(c->labels[i].label, runs[r].s[s].label);
			if (found)
				continue;
			if (c->nlabels == cap) {
				cap = cap ? cap * 2 : 16;
				c->labels = xrealloc(c->labels, cap * sizeof(*c->labels));
			}
			struct label_cmp *l = &c->labels[c->nlabels++];
			memset(l, 0, sizeof(*l));
			l->label = runs[r].s[s].label;
			l->metric = runs[r].s[s].metric;
			l->runs = xcalloc(nruns, sizeof(*l->runs));
			label_meta(c, l);
		}
	}
	for (int i = 0; i < c->nlabels; i++) {
		struct label_cmp *l = &c->labels[i];
		for (int r = 0; r < nruns; r++) {
			struct series *s = results_find(&runs[r], l->label);
			if (!s) {
				warn(c, "%s: missing in run %s (printed as 0)", l->label, runs[r].name);
				continue;
			}
			l->runs[r].present = 1;
			l->runs[r].n = s->n;
			l->runs[r].v = s->v;
			l->runs[r].iter = s->iter;
			summarise(c, l, r);
		}
		for (int r = 0; r < nruns; r++)
			if (l->runs[r].present && l->runs[0].present)
				against_base(c, l, r);
	}
	if (method != SIG_NONE)
		decide(c);
}

void comparison_free(struct comparison *c)
{
	for (int i = 0; i < c->nlabels; i++)
		free(c->labels[i].runs);
	free(c->labels);
	for (int r = 0; r < c->nruns; r++)
		results_free(&c->runs[r]);
	free(c->runs);
	if (c->has_meta)
		shellpack_meta_free(&c->meta);
	sb_release(&c->warnings);
}
