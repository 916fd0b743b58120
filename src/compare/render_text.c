/* The tables exactly as MMTests's compare-mmtests.pl prints them, as text
 * or as its HTML table (tests/cli/compare-mmtests.t diffs both against
 * its output): stat name, label, then per run %18.Nf (Extract.pm's field
 * length) and " (%7.2f%%)". A sheet prints cells the way MMTests's
 * PrintGeneric and PrintHtml do: text concatenates them, a significant
 * change has stars for brackets; HTML puts each in a <td >, a significant
 * one coloured by its sign, the headers in <th colspan="2" >. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "render.h"

#define FIELD_LEN 18
#define COMPARE_LEN 7

struct sheet {
	FILE *f;
	int html;
	int header;		/* the two header rows: <th> cells */
};

static void sheet_begin(struct sheet *s)
{
	if (s->html)
		fputs("<table class=\"resultsTable\">\n", s->f);
}

static void sheet_end(struct sheet *s)
{
	if (s->html)
		fputs("</table>\n", s->f);
}

static void row_begin(struct sheet *s)
{
	if (s->html)
		fputs("<tr>", s->f);
}

static void row_end(struct sheet *s)
{
	fputs(s->html ? "</tr>\n" : "\n", s->f);
}

/* One cell from a printf format. sig: a significant change (value > 0 is
 * better), marked as MMTests marks it. */
static void cell(struct sheet *s, int sig, double value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void cell(struct sheet *s, int sig, double value, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!s->html) {
		for (char *p = text; sig && *p; p++)
			if (*p == '(' || *p == ')')
				*p = '*';
		fputs(text, s->f);
	} else if (s->header) {
		fprintf(s->f, "<th colspan=\"2\" >%s</th>", text);
	} else {
		fprintf(s->f, "<td %s>%s</td>",
			!sig ? "" : value > 0 ? "bgcolor=\"#A0FFA0\"" : "bgcolor=\"#FFA0A0\"", text);
	}
}

/* An undefined value (Perl's undef): blanks as wide as the format would
 * print in text; the format of 0 in HTML, as PrintHtml prints it. */
static void cell_undef(struct sheet *s, const char *text_of_zero)
{
	if (s->html)
		fprintf(s->f, "<td >%s</td>", text_of_zero);
	else
		fprintf(s->f, "%*s", (int)strlen(text_of_zero), "");
}

void run_name_split(const char *name, char *first, char *second, size_t size)
{
	const char *dash = strchr(name, '-');
	size_t len = strlen(name);
	long idx = dash ? dash - name : -1;

	/* MMTests keeps "-rcN" in the first part: it looks for /-rc[0-9]/
	 * anywhere in the idx + 3 characters from the dash. */
	if (idx >= 0) {
		size_t end = idx + idx + 3 < (long)len ? (size_t)(idx + idx + 3) : len;
		for (size_t i = idx; i + 4 <= end; i++) {
			if (!strncmp(name + i, "-rc", 3) && name[i + 3] >= '0' && name[i + 3] <= '9') {
				idx += 4;
				break;
			}
		}
	}
	if (idx < 0) {
		/* Perl's substr($name, 0, -1) drops the last character. */
		snprintf(first, size, "%.*s", len ? (int)len - 1 : 0, name);
		snprintf(second, size, "%s", name);
		return;
	}
	snprintf(first, size, "%.*s", (int)((size_t)idx < len ? (size_t)idx : len), name);
	snprintf(second, size, "%s", (size_t)idx + 1 <= len ? name + idx + 1 : "");
}

static void headers(struct sheet *s, const char *const *runs, int nruns, int oplen, int width)
{
	char a[256], b[256];

	s->header = 1;
	for (int line = 0; line < 2; line++) {
		row_begin(s);
		cell(s, 0, 0, "%*s", oplen, "");
		for (int r = 0; r < nruns; r++) {
			run_name_split(runs[r], a, b, sizeof(a));
			cell(s, 0, 0, "%*s", width, line ? b : a);
		}
		row_end(s);
	}
	s->header = 0;
}

static void run_headers(struct sheet *s, const struct comparison *c, int oplen, int width)
{
	const char *names[c->nruns ? c->nruns : 1];

	for (int r = 0; r < c->nruns; r++)
		names[r] = c->runs[r].name;
	headers(s, names, c->nruns, oplen, width);
}

static int label_width(const struct comparison *c)
{
	int w = 0;

	for (int i = 0; i < c->nlabels; i++)
		if ((int)strlen(c->labels[i].label) > w)
			w = strlen(c->labels[i].label);
	return w;
}

/* A row's name; a singleop summary's one row is named as the shellpack
 * says (MMTests's _Opname: "Ops", postmark's "Time") */
static const char *row_name(const struct comparison *c, enum stat_row row, int higher, int mm)
{
	if (row == ROW_VALUE && c->meta.opname)
		return c->meta.opname;
	return stat_row_name(row, higher, mm);
}

static void render_summary(struct sheet *s, const struct comparison *c)
{
	int w1 = 0, w2 = label_width(c), dp = c->meta.decimal_places;
	int mm = c->method == SIG_MMTESTS;

	for (int k = 0; k < c->nrows; k++)
		for (int i = 0; i < c->nlabels; i++) {
			int len = strlen(row_name(c, c->rows[k], c->labels[i].higher, mm));
			w1 = len > w1 ? len : w1;
		}
	run_headers(s, c, w1 + 1 + w2, FIELD_LEN + COMPARE_LEN + 4);
	for (int k = 0; k < c->nrows; k++) {
		enum stat_row row = c->rows[k];
		for (int i = 0; i < c->nlabels; i++) {
			const struct label_cmp *l = &c->labels[i];
			row_begin(s);
			cell(s, 0, 0, "%-*s", w1, row_name(c, row, l->higher, mm));
			cell(s, 0, 0, " %-*s", w2, l->label);
			for (int r = 0; r < c->nruns; r++) {
				const struct run_stats *rs = &l->runs[r];
				cell(s, 0, 0, "%*.*f", FIELD_LEN, dp, rs->cell[row].value);
				cell(s, row == ROW_MEAN && rs->significant, rs->cell[row].pct,
				     " (%*.2f%%)", COMPARE_LEN, rs->cell[row].pct);
			}
			row_end(s);
		}
	}
}

/* MMTests's ratio table (Compare.pm _generateRenderRatioTable): the row
 * name is "Ratio <label>" padded to the longest label + 6; per run the
 * ratio, then the percentage and the cidiff seconds, never marked;
 * Dmean/Dmin/Dmax of the cidiffs and Gmean of the ratios, their other two
 * cells undefined. MMTests prints the percentage and seconds unpadded (the
 * compare length is not set yet when that format is built), so its
 * columns drift apart from the second run on: --significance mmtests
 * copies that, our default pads them (%7.2f) so the columns line up. */
static void render_ratio(struct sheet *s, const struct comparison *c)
{
	int opw = label_width(c) + 6, dp = c->meta.decimal_places;
	int n = c->nlabels, pad = c->method == SIG_MMTESTS ? 0 : COMPARE_LEN;
	/* MMTests's Singleops has no cidiff ("NaNs") and so no D rows */
	int single = c->meta.summary && !strcmp(c->meta.summary, "singleop");
	const char *pref = c->meta.higher_is_better ? "Higher" : "Lower";
	char name[600];

	/* MMTests's header is as wide as a value and a padded percentage */
	run_headers(s, c, opw, FIELD_LEN + COMPARE_LEN + 4 + (pad ? 11 : 0));
	for (int i = 0; i < n; i++) {
		const struct label_cmp *l = &c->labels[i];
		snprintf(name, sizeof(name), "Ratio %s", l->label);
		row_begin(s);
		cell(s, 0, 0, "%-*s", opw, name);
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			cell(s, 0, 0, "%*.*f", FIELD_LEN, dp, rs->ratio);
			cell(s, 0, 0, " (%*.2f%%)", pad, rs->ratio_pct);
			if (single)
				cell(s, 0, 0, " (%*s)", pad, "NaNs");
			else
				cell(s, 0, 0, " (%+*.2fs)", pad, rs->cidiff);
		}
		row_end(s);
	}
	const char *names[] = { "Dmean", "Dmin ", "Dmax ", "Gmean" };
	for (int k = single ? 3 : 0; k < 4; k++) {
		snprintf(name, sizeof(name), "%s %s", names[k], pref);
		row_begin(s);
		cell(s, 0, 0, "%-*s", opw, name);
		for (int r = 0; r < c->nruns; r++) {
			double acc = k == 1 ? 1e300 : k == 2 ? -1e300 : 0, v;
			double logs = 0;
			for (int i = 0; i < n; i++) {
				double d = c->labels[i].runs[r].cidiff;
				double ratio = c->labels[i].runs[r].ratio;
				if (k == 0)
					acc += d;
				else if (k == 1)
					acc = d < acc ? d : acc;
				else if (k == 2)
					acc = d > acc ? d : acc;
				else
					logs += log(ratio > 0 ? ratio : 0.00001);
			}
			v = k == 0 ? (n ? acc / n : 0) : k == 3 ? (n ? exp(logs / n) : 0) : (n ? acc : 0);
			cell(s, 0, 0, "%*.*f", FIELD_LEN, dp, v);
			cell_undef(s, pad ? " (   0.00%)" : " (0.00%)");
			cell_undef(s, pad ? " (  +0.00s)" : " (+0.00s)");
		}
		row_end(s);
	}
}

void render_text(FILE *f, const struct comparison *c, int ratio, int html)
{
	struct sheet s = { f, html, 0 };

	sheet_begin(&s);
	if (ratio)
		render_ratio(&s, c);
	else
		render_summary(&s, c);
	sheet_end(&s);
}

/* SummariseMonitor: the mean and max of every sample, no comparison
 * (MMTests hides it for monitors: an empty cell after each value). */
void render_monitor_mmtests(FILE *f, const struct comparison *c, int html)
{
	struct sheet s = { f, html, 0 };
	int w2 = label_width(c);

	sheet_begin(&s);
	run_headers(&s, c, 5 + 1 + w2, FIELD_LEN);
	for (int row = 0; row < 2; row++)
		for (int i = 0; i < c->nlabels; i++) {
			const struct label_cmp *l = &c->labels[i];
			row_begin(&s);
			cell(&s, 0, 0, "%-5s", row ? "Max" : "Amean");
			cell(&s, 0, 0, " %-*s", w2, l->label);
			for (int r = 0; r < c->nruns; r++) {
				cell(&s, 0, 0, "%*.2f", FIELD_LEN, l->runs[r].cell[row ? ROW_MAX : ROW_MEAN].value);
				cell(&s, 0, 0, "%s", "");
			}
			row_end(&s);
		}
	sheet_end(&s);
}

void render_duration_text(FILE *f, const struct duration_row *d, int nruns, int html)
{
	struct sheet s = { f, html, 0 };
	const char *labels[] = { "User", "System", "Elapsed" };
	const char *names[nruns ? nruns : 1];

	for (int r = 0; r < nruns; r++)
		names[r] = d[r].run;
	sheet_begin(&s);
	headers(&s, names, nruns, 16, FIELD_LEN);
	for (int k = 0; k < 3; k++) {
		row_begin(&s);
		cell(&s, 0, 0, "%-8s", "Duration");
		cell(&s, 0, 0, " %-7s", labels[k]);
		for (int r = 0; r < nruns; r++) {
			cell(&s, 0, 0, "%*.2f", FIELD_LEN,
			     k == 0 ? d[r].user : k == 1 ? d[r].sys : d[r].elapsed);
			cell(&s, 0, 0, "%s", "");	/* monitors hide the comparison: an empty cell */
		}
		row_end(&s);
	}
	sheet_end(&s);
}
