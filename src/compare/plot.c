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

void plot_quoted(struct strbuf *o, const char *s)
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
	plot_quoted(o, output);
	if (c->method == SIG_NONE)	/* a monitor over time */
		snprintf(title, sizeof(title), "%s: %s", c->bench, units);
	else
		snprintf(title, sizeof(title), "%s (%s, %s is better)", c->bench, units,
			 c->meta.higher_is_better ? "higher" : "lower");
	sb_adds(o, "\nset title ");
	plot_quoted(o, title);
	sb_adds(o, "\nset ylabel ");
	plot_quoted(o, units);
	sb_adds(o, "\nset key outside top center horizontal\nset grid ytics\n"
		   "set style fill solid 0.35 border\n");
}

static void xtics(struct strbuf *o, const struct comparison *c)
{
	sb_adds(o, "set xtics (");
	for (int i = 0; i < c->nlabels; i++) {
		if (i)
			sb_adds(o, ", ");
		plot_quoted(o, c->labels[i].label);
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
		plot_quoted(o, c->runs[r].name);
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
			plot_quoted(o, t);
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
		plot_quoted(o, c->runs[r].name);
	}
	sb_addc(o, '\n');
}

/* A monitor's label: the panel it is drawn in and the panel's units --
 * values of one kind share an axis (vmstat's memory in KiB beside its
 * context switches per second would flatten both). */
struct family {
	char name[64];
	const char *units;
};

static struct family label_family(const char *monitor, const char *label, double max)
{
	static const struct { const char *labels, *name, *units; } vmstat[] = {
		{ " r b ", "processes", "processes" },
		{ " swpd free buff cache ", "memory", "KiB" },
		{ " si so ", "swap", "KiB/s" },
		{ " bi bo ", "block IO", "blocks/s" },
		{ " in cs ", "interrupts and context switches", "per second" },
		{ " us sy id wa st ussy totalcpu ", "CPU", "%" },
	};
	struct family f = { "", "per interval" };
	char word[64];

	if (!strcmp(monitor, "vmstat")) {
		snprintf(word, sizeof(word), " %s ", label);
		for (size_t i = 0; i < sizeof(vmstat) / sizeof(vmstat[0]); i++)
			if (strstr(vmstat[i].labels, word)) {
				snprintf(f.name, sizeof(f.name), "%s", vmstat[i].name);
				f.units = vmstat[i].units;
				return f;
			}
	}
	if (!strcmp(monitor, "mpstat")) {	/* <cpu>-<column>: a panel per CPU */
		const char *dash = strchr(label, '-');
		snprintf(f.name, sizeof(f.name), "CPU %.*s", dash ? (int)(dash - label) : 0, label);
		f.units = "%";
		return f;
	}
	if (!strcmp(monitor, "dirty-rate")) {
		snprintf(f.name, sizeof(f.name), "dirty rate");
		f.units = "MB/s";
		return f;
	}
	/* counters (proc-vmstat, perf stat): panels by magnitude */
	snprintf(f.name, sizeof(f.name), "%s", max < 1e2 ? "counts up to 100" : max < 1e4 ? "counts up to 10^4" :
		 max < 1e6 ? "counts up to 10^6" : "counts above 10^6");
	return f;
}

/* The first iteration's samples of a run's label: [*first, *end). */
static void first_iteration(const struct run_stats *rs, int *first, int *end)
{
	*first = *end = 0;
	while (*end < rs->n && rs->iter[*end] == rs->iter[0])
		(*end)++;
}

/* A monitor over time: a panel per family of labels, each with its units
 * on the y axis and seconds on the x axis; a colour per label, a dash
 * pattern per run, so every line's legend entry is unambiguous. A label
 * that is 0 throughout in every run is not drawn (its panel's title says
 * which); each panel is as tall as its plot and its legend below need. */
static void monitor_panels(struct strbuf *o, const struct comparison *c, const char *output,
			   enum plot_format fmt, int width, int height)
{
	const char *monitor = c->meta.units && *c->meta.units ? c->meta.units : "monitor";
	int nl = c->nlabels ? c->nlabels : 1, npanels = 0;
	struct family *fam = xcalloc(nl, sizeof(*fam));
	const char **names = xcalloc(nl, sizeof(char *));
	int *zero = xcalloc(nl, sizeof(int)), *shown = xcalloc(nl, sizeof(int)), *px = xcalloc(nl, sizeof(int));

	for (int i = 0; i < c->nlabels; i++) {
		double max = 0;
		for (int r = 0; r < c->nruns; r++)
			for (int k = 0; k < c->labels[i].runs[r].n; k++)
				max = fmax(max, fabs(c->labels[i].runs[r].v[k]));
		fam[i] = label_family(monitor, c->labels[i].label, max);
		zero[i] = max == 0;
		int p = 0;
		while (p < npanels && strcmp(names[p], fam[i].name))
			p++;
		if (p == npanels)
			names[npanels++] = fam[i].name;
		shown[p] += !zero[i];
	}
	int per_row = width > 300 ? (width - 100) / 190 : 1, total = 40;
	for (int p = 0; p < npanels; p++) {
		int entries = shown[p] * c->nruns;
		px[p] = 240 + (entries + per_row - 1) / per_row * 16;
		total += px[p];
	}
	if (height < total)
		height = total;
	sb_addf(o, "set terminal %s size %d,%d noenhanced font \",10\"\n",
		fmt == PLOT_SVG ? "svg dynamic" : "pngcairo", width, height);
	sb_adds(o, "set output ");
	plot_quoted(o, output);
	char title[512];
	snprintf(title, sizeof(title), "%s: %s, the first iteration", c->bench, monitor);
	sb_adds(o, "\nset multiplot title ");
	plot_quoted(o, title);
	/* fixed side margins: the panels' time axes line up */
	sb_addf(o, "\nset grid ytics\nset key outside below horizontal\nset lmargin 12\nset rmargin 4\n"
		   "set xlabel \"%s\"\n", c->sample_seconds > 0 ? "seconds" : "sample");
	for (int i = 0, k = 0; i < c->nlabels; i++)
		for (int r = 0; r < c->nruns; r++, k++) {
			const struct run_stats *rs = &c->labels[i].runs[r];
			int first, end;
			first_iteration(rs, &first, &end);
			sb_addf(o, "$d%d << EOD\n", k);
			for (int s2 = first; s2 < end; s2++)
				sb_addf(o, "%g %.10g\n", c->sample_seconds > 0 ? (s2 - first + 1) * c->sample_seconds
									: (double)(s2 - first + 1), rs->v[s2]);
			sb_adds(o, "EOD\n");
		}
	int top = height - 30;
	for (int p = 0; p < npanels; p++) {
		struct strbuf t = STRBUF_INIT;
		sb_adds(&t, names[p]);
		int nz = 0;
		for (int i = 0; i < c->nlabels; i++)
			if (zero[i] && !strcmp(fam[i].name, names[p]))
				sb_addf(&t, "%s%s", nz++ ? ", " : " (always 0, not drawn: ", c->labels[i].label);
		if (nz)
			sb_adds(&t, ")");
		top -= px[p];
		sb_addf(o, "set origin 0,%g\nset size 1,%g\nset title ", (double)top / height, (double)px[p] / height);
		plot_quoted(o, t.buf);
		sb_release(&t);
		sb_adds(o, "\nset ylabel ");
		for (int i = 0; i < c->nlabels; i++)
			if (!strcmp(fam[i].name, names[p])) {
				plot_quoted(o, fam[i].units);
				break;
			}
		sb_adds(o, "\nplot ");
		int colour = 0, any = 0;
		for (int i = 0; i < c->nlabels; i++) {
			if (strcmp(fam[i].name, names[p]) || zero[i])
				continue;
			colour++;
			for (int r = 0; r < c->nruns; r++) {
				char lt[512];
				snprintf(lt, sizeof(lt), c->nruns > 1 ? "%s (%s)" : "%s", c->labels[i].label, c->runs[r].name);
				sb_addf(o, "%s$d%d using 1:2 with linespoints lw 1.5 pt 7 ps 0.4 lc %d dt %d title ",
					any++ ? ", " : "", i * c->nruns + r, colour, r + 1);
				plot_quoted(o, lt);
			}
		}
		if (!any)	/* everything in it was 0 */
			sb_adds(o, "0 notitle lc rgb \"#cccccc\"");
		sb_addc(o, '\n');
	}
	sb_adds(o, "unset multiplot\n");
	free(fam);
	free(names);
	free(zero);
	free(shown);
	free(px);
}

void plot_script(struct strbuf *o, const struct comparison *c, const char *output,
		 enum plot_format fmt, int width, int height)
{
	const char *type = c->meta.plot_type ? c->meta.plot_type : "candlesticks";

	if (c->method == SIG_NONE) {	/* a monitor over time */
		monitor_panels(o, c, output, fmt, width, height);
		return;
	}
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
