#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "spawn.h"
#include "stats.h"
#include "xalloc.h"

/* A gnuplot double-quoted string. */
static void quoted(struct strbuf *o, const char *s)
{
	sb_addc(o, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(o, '\\');
		sb_addc(o, *s);
	}
	sb_addc(o, '"');
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Linear-interpolated quantile of sorted v. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[n - 1];
}

static void header(struct strbuf *o, const struct comparison *c, const char *output,
		   enum plot_format fmt, int width, int height)
{
	const char *units = c->meta.units && *c->meta.units ? c->meta.units : "value";
	char title[512];

	sb_addf(o, "set terminal %s size %d,%d noenhanced font \",10\"\n",
		fmt == PLOT_SVG ? "svg dynamic" : "pngcairo", width, height);
	sb_adds(o, "set output ");
	quoted(o, output);
	if (c->method == SIG_NONE)	/* a monitor over time */
		snprintf(title, sizeof(title), "%s: %s", c->bench, units);
	else
		snprintf(title, sizeof(title), "%s (%s, %s is better)", c->bench, units,
			 c->meta.higher_is_better ? "higher" : "lower");
	sb_adds(o, "\nset title ");
	quoted(o, title);
	sb_adds(o, "\nset ylabel ");
	quoted(o, units);
	sb_adds(o, "\nset key outside top center horizontal\nset grid ytics\n"
		   "set style fill solid 0.35 border\n");
}

static void xtics(struct strbuf *o, const struct comparison *c)
{
	sb_adds(o, "set xtics (");
	for (int i = 0; i < c->nlabels; i++) {
		if (i)
			sb_adds(o, ", ");
		quoted(o, c->labels[i].label);
		sb_addf(o, " %d", i);
	}
	sb_addf(o, ") rotate by -30\nset xrange [-0.6:%d.4]\n", c->nlabels - 1);
}

static void candlesticks(struct strbuf *o, const struct comparison *c)
{
	double slot = 0.8 / c->nruns;

	xtics(o, c);
	sb_addf(o, "set boxwidth %g absolute\n", slot * 0.9);
	for (int r = 0; r < c->nruns; r++) {
		sb_addf(o, "$run%d << EOD\n", r);
		for (int i = 0; i < c->nlabels; i++) {
			const struct run_stats *rs = &c->labels[i].runs[r];
			if (!rs->n)
				continue;
			double *s = xmalloc(rs->n * sizeof(double));
			memcpy(s, rs->v, rs->n * sizeof(double));
			qsort(s, rs->n, sizeof(double), cmp_d);
			double x = i - 0.4 + slot * (r + 0.5);
			sb_addf(o, "%g %.10g %.10g %.10g %.10g %.10g\n", x, quantile(s, rs->n, 0.25),
				s[0], s[rs->n - 1], quantile(s, rs->n, 0.75), quantile(s, rs->n, 0.5));
			free(s);
		}
		sb_adds(o, "EOD\n");
	}
	sb_adds(o, "plot ");
	for (int r = 0; r < c->nruns; r++) {
		sb_addf(o, "%s$run%d using 1:2:3:4:5 with candlesticks whiskerbars 0.5 lt %d title ",
			r ? ", " : "", r, r + 1);
		quoted(o, c->runs[r].name);
		sb_addf(o, ", $run%d using 1:6:6:6:6 with candlesticks lt -1 notitle", r);
	}
	sb_addc(o, '\n');
}

static void lines(struct strbuf *o, const struct comparison *c)
{
	sb_adds(o, "set xlabel \"sample\"\n");
	int k = 0;
	for (int i = 0; i < c->nlabels; i++)
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &c->labels[i].runs[r];
			sb_addf(o, "$d%d << EOD\n", k++);
			for (int s = 0; s < rs->n; s++)
				sb_addf(o, "%d %.10g\n", s + 1, rs->v[s]);
			sb_adds(o, "EOD\n");
		}
	sb_adds(o, "plot ");
	k = 0;
	for (int i = 0; i < c->nlabels; i++)
		for (int r = 0; r < c->nruns; r++, k++) {
			char t[512];
			snprintf(t, sizeof(t), "%s %s", c->labels[i].label, c->runs[r].name);
			sb_addf(o, "%s$d%d using 1:2 with linespoints title ", k ? ", " : "", k);
			quoted(o, t);
		}
	sb_addc(o, '\n');
}

static void histogram(struct strbuf *o, const struct comparison *c)
{
	sb_adds(o, "set yrange [0:*]\nset style data histograms\nset style histogram clustered gap 1 errorbars\n"
		   "set xtics rotate by -30\n$h << EOD\n");
	for (int i = 0; i < c->nlabels; i++) {
		sb_addf(o, "\"%s\"", c->labels[i].label);
		for (int r = 0; r < c->nruns; r++) {
			const struct run_stats *rs = &c->labels[i].runs[r];
			sb_addf(o, " %.10g %.10g", rs->cell[ROW_MEAN].value, rs->sd);
		}
		sb_addc(o, '\n');
	}
	sb_adds(o, "EOD\nplot ");
	for (int r = 0; r < c->nruns; r++) {
		sb_addf(o, "%s$h using %d:%d%s title ", r ? ", " : "", 2 + 2 * r, 3 + 2 * r,
			r ? "" : ":xtic(1)");
		quoted(o, c->runs[r].name);
	}
	sb_addc(o, '\n');
}

void plot_script(struct strbuf *o, const struct comparison *c, const char *output,
		 enum plot_format fmt, int width, int height)
{
	const char *type = c->meta.plot_type ? c->meta.plot_type : "candlesticks";

	header(o, c, output, fmt, width, height);
	if (!strcmp(type, "lines"))
		lines(o, c);
	else if (strstr(type, "histogram"))
		histogram(o, c);
	else
		candlesticks(o, c);
}

int plot_available(void)
{
	char *argv[] = { "gnuplot", "--version", NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int status = 0, ok;

	ok = spawn_capture(argv, NULL, &out, &err, &status) == 0 && WIFEXITED(status) &&
	     WEXITSTATUS(status) == 0;
	sb_release(&out);
	sb_release(&err);
	return ok;
}

int plot_draw(const char *script_text, const char *script_path)
{
	char *argv[] = { "gnuplot", (char *)script_path, NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int status, ret;

	ret = write_file_atomic(script_path, script_text, strlen(script_text));
	if (!ret)
		ret = spawn_capture(argv, NULL, &out, &err, &status);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("gnuplot failed on %s:\n%s", script_path, err.buf);
		ret = -EIO;
	} else if (!ret) {
		unlink(script_path);
	}
	sb_release(&out);
	sb_release(&err);
	return ret;
}
