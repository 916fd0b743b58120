#include "gate.h"

#include "render.h"

#include <string.h>

static double gate_of(const struct comparison *c, const struct label_cmp *l)
{
	return l->threshold > 0 ? l->threshold : c->gate_pct;
}

void gate_report(FILE *f, const struct comparison *c)
{
	for (int i = 0; i < c->nlabels; i++) {
		const struct label_cmp *l = &c->labels[i];
		for (int r = 1; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			/* worse beyond the limit with too little evidence: said, so
			 * that a pass is not mistaken for "no change" */
			if (!rs->regression && c->gate_pct >= 0 && rs->present && l->runs[0].present &&
			    rs->ratio_pct < -gate_of(c, l)) {
				fprintf(f, "NOT SIGNIFICANT %s %s: %s %.*f -> %s %.*f (%.2f%%, limit %.2f%%), "
					"q %.3g/%.3g with %d and %d samples: more iterations would tell\n",
					c->bench, l->label, c->runs[0].name, c->meta.decimal_places,
					l->runs[0].cell[ROW_MEAN].value, c->runs[r].name, c->meta.decimal_places,
					rs->cell[ROW_MEAN].value, rs->ratio_pct, gate_of(c, l), rs->q_mwu, rs->q_welch,
					l->runs[0].n, rs->n);
				continue;
			}
			if (!rs->regression)
				continue;
			fprintf(f, "REGRESSION %s %s: %s %.*f -> %s %.*f (%.2f%%, limit %.2f%%, "
				"q %.3g/%.3g, 95%% CI of the difference [%.4g, %.4g])\n",
				c->bench, l->label, c->runs[0].name, c->meta.decimal_places,
				l->runs[0].cell[ROW_MEAN].value, c->runs[r].name, c->meta.decimal_places,
				rs->cell[ROW_MEAN].value, rs->ratio_pct, gate_of(c, l),
				rs->q_mwu, rs->q_welch, rs->ci_lo, rs->ci_hi);
		}
	}
}

void junit_begin(FILE *f)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mmtests-compare\">\n", f);
}

void junit_add(FILE *f, const struct comparison *c)
{
	int tests = 0, failures = 0;

	for (int i = 0; i < c->nlabels; i++)
		for (int r = 1; r < c->nruns; r++) {
			tests++;
			failures += c->labels[i].runs[r].regression;
		}
	fputs("  <testsuite name=\"", f);
	markup_escape(f, c->bench);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\">\n", tests, failures);
	for (int i = 0; i < c->nlabels; i++) {
		const struct label_cmp *l = &c->labels[i];
		for (int r = 1; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			/* named benchmark/label, the same night after night; with
			 * more than one run against the baseline, the run too */
			fputs("    <testcase classname=\"", f);
			markup_escape(f, c->bench);
			fputs("\" name=\"", f);
			markup_escape(f, l->label);
			if (c->nruns > 2) {
				fputs(" [", f);
				markup_escape(f, c->runs[r].name);
				fputs("]", f);
			}
			fputs("\">", f);
			if (rs->regression) {
				fprintf(f, "\n      <failure message=\"%.2f%% worse (limit %.2f%%)\">",
					-rs->ratio_pct, gate_of(c, l));
				fprintf(f, "%.6g -&gt; %.6g, q(Mann-Whitney) %.3g, q(Welch) %.3g",
					l->runs[0].cell[ROW_MEAN].value, rs->cell[ROW_MEAN].value,
					rs->q_mwu, rs->q_welch);
				fputs("</failure>", f);
			}
			fputs("\n      <system-out>", f);
			markup_escape(f, c->runs[r].name);
			fputs(" against ", f);
			markup_escape(f, c->runs[0].name);
			fprintf(f, ": %.6g -&gt; %.6g (%+.2f%%)</system-out>\n    </testcase>\n",
				l->runs[0].cell[ROW_MEAN].value, rs->cell[ROW_MEAN].value, rs->ratio_pct);
		}
	}
	fputs("  </testsuite>\n", f);
}

void junit_end(FILE *f)
{
	fputs("</testsuites>\n", f);
}
