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
		json_array_append_new(labels, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "label", l->label,
			"metric", l->metric, "units", l->units ? l->units : "",
			"better", l->higher ? "higher" : "lower",
			/* what stats.mean is: MMTests's Hmean for higher-is-better */
			"mean", l->higher ? "harmonic" : "arithmetic",
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

/* The shortest decimal that reads back as the same double (53019.1, not
 * 53019.099999999999), into buf. */
static const char *shortest(double v, char *buf, size_t len)
{
	if (v == floor(v) && fabs(v) < 1e15) {	/* 5000, not 5e+03 */
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

/* JSON as jansson writes it (one space of indent per level, keys in
 * order), but every real as its shortest round-trip decimal. */
static void dump(FILE *f, json_t *j, int depth)
{
	char buf[32];
	size_t i;
	const char *key;
	json_t *v;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if (!json_object_size(j)) {
			fputs("{}", f);
			break;
		}
		fputs("{", f);
		i = 0;
		json_object_foreach(j, key, v) {
			json_t *k = json_string(key);
			fprintf(f, "%s\n%*s", i++ ? "," : "", depth + 1, "");
			json_dumpf(k, f, JSON_ENCODE_ANY);
			fputs(": ", f);
			json_decref(k);
			dump(f, v, depth + 1);
		}
		fprintf(f, "\n%*s}", depth, "");
		break;
	case JSON_ARRAY:
		if (!json_array_size(j)) {
			fputs("[]", f);
			break;
		}
		fputs("[", f);
		json_array_foreach(j, i, v) {
			fprintf(f, "%s\n%*s", i ? "," : "", depth + 1, "");
			dump(f, v, depth + 1);
		}
		fprintf(f, "\n%*s]", depth, "");
		break;
	case JSON_REAL:
		fputs(shortest(json_real_value(j), buf, sizeof(buf)), f);
		if (!strpbrk(buf, ".eE"))
			fputs(".0", f);	/* still a real to a reader that types them */
		break;
	default:
		json_dumpf(j, f, JSON_ENCODE_ANY);
	}
}

void render_json_dump(FILE *f, json_t *doc)
{
	dump(f, doc, 0);
	fputc('\n', f);
}

/* An RFC 4180 field: quoted when it holds a comma, a quote, a line break
 * or edge spaces, quotes doubled. */
static void csv_field(FILE *f, const char *s)
{
	size_t n = strlen(s);

	if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The shortest decimal that reads back as the same double (53019.1, not
 * 53019.099999999999); empty for NaN and infinities (no value). */
static void csv_number(FILE *f, double v)
{
	char buf[32];

	if (isfinite(v))
		fputs(shortest(v, buf, sizeof(buf)), f);
}

static void csv_row(FILE *f, const struct comparison *c, const char *label, const char *run,
		    const char *kind, const char *name, double v)
{
	csv_field(f, c->bench);
	fputc(',', f);
	csv_field(f, label);
	fputc(',', f);
	csv_field(f, run);
	fputc(',', f);
	fputs(kind, f);
	fputc(',', f);
	csv_field(f, name);
	fputc(',', f);
	csv_number(f, v);
	fputs("\r\n", f);
}

/* Long format: one value per line, easy for spreadsheets and pandas;
 * RFC 4180 (CRLF line ends, quoted fields). */
void render_csv(FILE *f, const struct comparison *c, int header)
{
	char num[16];

	if (header)
		fputs("benchmark,label,run,kind,name,value\r\n", f);
	for (int i = 0; i < c->nlabels; i++) {
		const struct label_cmp *l = &c->labels[i];
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			const char *run = c->runs[r].name;
			for (int k = 0; k < rs->n; k++) {
				snprintf(num, sizeof(num), "%d", k + 1);
				csv_row(f, c, l->label, run, "sample", num, rs->v[k]);
			}
			for (int k = 0; k < c->nrows; k++) {
				enum stat_row row = c->rows[k];
				if (rs->cell[row].defined)
					csv_row(f, c, l->label, run, "stat", stat_row_key(row), rs->cell[row].value);
				csv_row(f, c, l->label, run, "pct", stat_row_key(row), rs->cell[row].pct);
			}
			if (r == 0 || !rs->present)
				continue;
			const struct { const char *name; double v; } cmp[] = {
				{ "ratio", rs->ratio }, { "cidiff", rs->cidiff },
				{ "p_mannwhitney", rs->p_mwu }, { "p_welch", rs->p_welch },
				{ "q_mannwhitney", rs->q_mwu }, { "q_welch", rs->q_welch },
				{ "ci95_low", rs->ci_lo }, { "ci95_high", rs->ci_hi },
				{ "significant", rs->significant }, { "regression", rs->regression },
			};
			for (size_t k = 0; k < sizeof(cmp) / sizeof(cmp[0]); k++)
				csv_row(f, c, l->label, run, "compare", cmp[k].name, cmp[k].v);
		}
	}
}

