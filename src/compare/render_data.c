/* Machine-readable outputs: every sample and every statistic. */
#include <math.h>
#include <string.h>

#include "render.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *render_json(const struct comparison *c)
{
	json_t *labels = json_array(), *warnings = json_array();

	for (int i = 0; i < c->nlabels; i++) {
		const struct label_cmp *l = &c->labels[i];
		json_t *runs = json_array();
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			json_t *samples = json_array(), *stats = json_object(), *pct = json_object();
			for (int k = 0; k < rs->n; k++)
				json_array_append_new(samples, json_real(rs->v[k]));
			for (int k = 0; k < c->nrows; k++) {
				enum stat_row row = c->rows[k];
				json_object_set_new(stats, stat_row_key(row), rs->cell[row].defined ? num(rs->cell[row].value) : json_null());
				json_object_set_new(pct, stat_row_key(row), num(rs->cell[row].pct));
			}
			json_t *o = json_pack("{s:s,s:b,s:i,s:o,s:o,s:o,s:i}", "run", c->runs[r].name,
					      "present", rs->present, "n", rs->n, "samples", samples,
					      "stats", stats, "pct", pct, "outliers", rs->outliers);
			if (r > 0)
				json_object_update_new(o, json_pack(
					"{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:b,s:b}",
					"ratio", num(rs->ratio), "cidiff", num(rs->cidiff),
					"p_mannwhitney", num(rs->p_mwu), "p_welch", num(rs->p_welch),
					"q_mannwhitney", num(rs->q_mwu), "q_welch", num(rs->q_welch),
					"ci95_diff", json_pack("[o,o]", num(rs->ci_lo), num(rs->ci_hi)),
					"mannwhitney_exact", rs->mwu_exact,
					"coeffvar", num(rs->cov), "significant", rs->significant,
					"regression", rs->regression));
			json_array_append_new(runs, o);
		}
		json_array_append_new(labels, json_pack("{s:s,s:s,s:s,s:o,s:o}", "label", l->label,
			"metric", l->metric, "better", l->higher ? "higher" : "lower",
			"threshold", l->threshold > 0 ? json_real(l->threshold) : json_null(), "runs", runs));
	}
	for (char *p = c->warnings.buf; *p; ) {
		char *nl = strchr(p, '\n');
		json_array_append_new(warnings, json_stringn(p, nl ? (size_t)(nl - p) : strlen(p)));
		if (!nl)
			break;
		p = nl + 1;
	}
	return json_pack("{s:s,s:s,s:i,s:s,s:o,s:o}", "benchmark", c->bench,
			 "units", c->meta.units ? c->meta.units : "",
			 "decimal_places", c->meta.decimal_places,
			 "significance", c->method == SIG_MMTESTS ? "mmtests" : "sound",
			 "labels", labels, "warnings", warnings);
}

/* Long format: one value per line, easy for spreadsheets and pandas. */
void render_csv(FILE *f, const struct comparison *c, int header)
{
	if (header)
		fputs("benchmark,label,run,kind,name,value\n", f);
	for (int i = 0; i < c->nlabels; i++) {
		const struct label_cmp *l = &c->labels[i];
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			const char *run = c->runs[r].name;
#define ROW(kind, name, fmt, v) fprintf(f, "%s,%s,%s,%s,%s," fmt "\n", c->bench, l->label, run, kind, name, v)
			for (int k = 0; k < rs->n; k++)
				fprintf(f, "%s,%s,%s,sample,%d,%.17g\n", c->bench, l->label, run, k + 1, rs->v[k]);
			for (int k = 0; k < c->nrows; k++) {
				enum stat_row row = c->rows[k];
				if (rs->cell[row].defined)
					ROW("stat", stat_row_key(row), "%.17g", rs->cell[row].value);
				ROW("pct", stat_row_key(row), "%.17g", rs->cell[row].pct);
			}
			if (r == 0 || !rs->present)
				continue;
			ROW("compare", "ratio", "%.17g", rs->ratio);
			ROW("compare", "cidiff", "%.17g", rs->cidiff);
			ROW("compare", "p_mannwhitney", "%.17g", rs->p_mwu);
			ROW("compare", "p_welch", "%.17g", rs->p_welch);
			ROW("compare", "q_mannwhitney", "%.17g", rs->q_mwu);
			ROW("compare", "q_welch", "%.17g", rs->q_welch);
			ROW("compare", "ci95_low", "%.17g", rs->ci_lo);
			ROW("compare", "ci95_high", "%.17g", rs->ci_hi);
			ROW("compare", "significant", "%d", rs->significant);
			ROW("compare", "regression", "%d", rs->regression);
#undef ROW
		}
	}
}

void markup_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

