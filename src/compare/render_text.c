/* The text table exactly as MMTests's compare-mmtests.pl prints it
 * (tests/cli/compare-mmtests.t diffs against its output): stat name,
 * label, then per run %18.Nf (Extract.pm's field length) and
 * " (%7.2f%%)", stars in place of the brackets for a significant change. */
#include <math.h>
#include <string.h>

#include "render.h"

#define FIELD_LEN 18
#define COMPARE_LEN 7

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

static void print_headers(FILE *f, const struct comparison *c, int oplen, int width)
{
	char a[256], b[256];

	for (int line = 0; line < 2; line++) {
		fprintf(f, "%*s", oplen, "");
		for (int r = 0; r < c->nruns; r++) {
			run_name_split(c->runs[r].name, a, b, sizeof(a));
			fprintf(f, "%*s", width, line ? b : a);
		}
		fputc('\n', f);
	}
}

static int label_width(const struct comparison *c)
{
	int w = 0;

	for (int i = 0; i < c->nlabels; i++)
		if ((int)strlen(c->labels[i].label) > w)
			w = strlen(c->labels[i].label);
	return w;
}

static void print_pct(FILE *f, double pct, int sig)
{
	if (sig)
		fprintf(f, " *%*.2f%%*", COMPARE_LEN, pct);
	else
		fprintf(f, " (%*.2f%%)", COMPARE_LEN, pct);
}

static void render_summary(FILE *f, const struct comparison *c)
{
	int w1 = 0, w2 = label_width(c), dp = c->meta.decimal_places;

	for (int row = 0; row < NROWS; row++)
		for (int i = 0; i < c->nlabels; i++) {
			int len = strlen(stat_row_name(row, c->labels[i].higher, c->method == SIG_MMTESTS));
			w1 = len > w1 ? len : w1;
		}
	print_headers(f, c, w1 + 1 + w2, FIELD_LEN + COMPARE_LEN + 4);
	for (int row = 0; row < NROWS; row++) {
		for (int i = 0; i < c->nlabels; i++) {
			const struct label_cmp *l = &c->labels[i];
			fprintf(f, "%-*s %-*s", w1, stat_row_name(row, l->higher, c->method == SIG_MMTESTS), w2, l->label);
			for (int r = 0; r < c->nruns; r++) {
				const struct run_stats *rs = &l->runs[r];
				fprintf(f, "%*.*f", FIELD_LEN, dp, rs->cell[row].value);
				print_pct(f, rs->cell[row].pct, row == ROW_MEAN && rs->significant);
			}
			fputc('\n', f);
		}
	}
}

/* MMTests's ratio table (Compare.pm _generateRenderRatioTable): the row
 * name is "Ratio <label>" padded to the longest label + 6; per run the
 * ratio, then the percentage and the cidiff seconds unpadded (the compare
 * length is not set yet when that format is built) and never starred;
 * Dmean/Dmin/Dmax of the cidiffs and Gmean of the ratios with blanks as
 * wide as those two fields would be. */
static void render_ratio(FILE *f, const struct comparison *c)
{
	int opw = label_width(c) + 6, dp = c->meta.decimal_places;
	int n = c->nlabels;
	const char *pref = c->meta.higher_is_better ? "Higher" : "Lower";
	char name[600];

	print_headers(f, c, opw, FIELD_LEN + COMPARE_LEN + 4);
	for (int i = 0; i < n; i++) {
		const struct label_cmp *l = &c->labels[i];
		snprintf(name, sizeof(name), "Ratio %s", l->label);
		fprintf(f, "%-*s", opw, name);
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &l->runs[r];
			fprintf(f, "%*.*f (%.2f%%) (%+.2fs)", FIELD_LEN, dp, rs->ratio, rs->ratio_pct,
				rs->cidiff);
		}
		fputc('\n', f);
	}
	const char *names[] = { "Dmean", "Dmin ", "Dmax ", "Gmean" };
	for (int k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "%s %s", names[k], pref);
		fprintf(f, "%-*s", opw, name);
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
			/* undef prints as blanks as wide as " (0.00%)" and " (+0.00s)" */
			fprintf(f, "%*.*f%*s", FIELD_LEN, dp, v, 17, "");
		}
		fputc('\n', f);
	}
}

void render_text(FILE *f, const struct comparison *c, int ratio)
{
	if (ratio)
		render_ratio(f, c);
	else
		render_summary(f, c);
}

void render_duration_text(FILE *f, const struct duration_row *d, int nruns)
{
	char a[256], b[256];
	const char *labels[] = { "User", "System", "Elapsed" };

	for (int line = 0; line < 2; line++) {
		fprintf(f, "%*s", 16, "");
		for (int r = 0; r < nruns; r++) {
			run_name_split(d[r].run, a, b, sizeof(a));
			fprintf(f, "%*s", FIELD_LEN, line ? b : a);
		}
		fputc('\n', f);
	}
	for (int k = 0; k < 3; k++) {
		fprintf(f, "%-8s %-7s", "Duration", labels[k]);
		for (int r = 0; r < nruns; r++)
			fprintf(f, "%*.2f", FIELD_LEN, k == 0 ? d[r].user : k == 1 ? d[r].sys : d[r].elapsed);
		fputc('\n', f);
	}
}
