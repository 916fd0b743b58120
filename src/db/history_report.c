/* mmtests-db detect --report DIR: one self-contained HTML page per
 * benchmark -- each metric's history (mean per run) drawn by gnuplot,
 * inline as SVG, with the segments' means and its change points marked
 * (red a regression, green an improvement), their table, and what detect
 * said of it. */
#include "detect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "html_page.h"
#include "log.h"
#include "markup.h"
#include "plot.h"
#include "xalloc.h"

#define RED "#c0392b"
#define GREEN "#1e8449"

static void plot_metric(struct strbuf *o, const struct metric_result *r)
{
	const struct history_point *p = r->pts;
	int n = r->runs;

	sb_adds(o, "set terminal svg dynamic size 900,360 noenhanced font \",10\"\nset output \"@OUT@\"\nset title ");
	struct strbuf t = STRBUF_INIT;
	sb_addf(&t, "%s %s (%s%s%s is better)", r->m->bench, r->m->label, *r->units ? r->units : "",
		*r->units ? ", " : "", r->higher ? "higher" : "lower");
	plot_quoted(o, t.buf);
	sb_release(&t);
	sb_adds(o, "\nset xlabel \"run (oldest first)\"\nset ylabel ");
	plot_quoted(o, *r->units ? r->units : "mean per run");
	sb_addf(o, "\nset grid ytics lc rgb \"#dfe3ea\"\nset key outside bottom center horizontal\n"
		   "set xrange [0.5:%g]\nset offsets 0, 0, graph 0.08, graph 0.08\n", n + 0.5);
	/* each change point: a dashed line at its first run, its change */
	for (int c = 0; c < r->nfound; c++) {
		const struct found *f = &r->found[c];
		const char *colour = f->regression ? RED : GREEN;
		double x = f->cp.index + 0.5;
		sb_addf(o, "set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lw 1.5 lc rgb \"%s\"\n", x, x, colour);
		sb_addf(o, "set label \"%+.1f%%\" at %g, graph 0.96 offset 0.4,0 tc rgb \"%s\"\n", f->cp.pct, x, colour);
	}
	sb_adds(o, "$runs << EOD\n");
	for (int i = 0; i < n; i++)
		sb_addf(o, "%d %.17g\n", i + 1, p[i].mean);
	sb_adds(o, "EOD\n$segments << EOD\n");
	for (int c = 0; c <= r->nfound; c++) {	/* a flat line per segment at its mean */
		int a = c ? r->found[c - 1].cp.index : 0, b = c < r->nfound ? r->found[c].cp.index : n;
		double mean = 0;
		for (int i = a; i < b; i++)
			mean += p[i].mean / (b - a);
		sb_addf(o, "%g %.17g\n%g %.17g\n\n", a + 0.5, mean, b + 0.5, mean);
	}
	sb_adds(o, "EOD\nplot $runs using 1:2 with linespoints pt 7 ps 0.6 lw 1 lc rgb \"#4a6fa5\" title \"mean of each run\", "
		   "$segments using 1:2 with lines lw 2.5 lc rgb \"#e67e22\" title \"mean between change points\"\n");
}

static void change_table(FILE *f, const struct metric_result *r)
{
	if (!r->nfound) {
		fputs("<p class=\"meta\">No change point.</p>\n", f);
		return;
	}
	fputs("<table><tr><th class=\"l\">from run</th><th class=\"l\">code under test</th><th>before</th>"
	      "<th>after</th><th>change</th><th>95% interval</th><th>p</th><th class=\"l\">verdict</th></tr>\n", f);
	for (int c = 0; c < r->nfound; c++) {
		const struct found *x = &r->found[c];
		const struct history_point *p = &r->pts[x->cp.index];
		fprintf(f, "<tr><td class=\"l\">#%d ", x->cp.index + 1);
		markup_escape(f, p->run);
		fputs("</td><td class=\"l\">", f);
		markup_escape(f, p->describe ? p->describe : "-");
		fprintf(f, "</td><td>%.6g</td><td>%.6g</td><td class=\"%s\">%+.2f%%</td><td>[%+.2f%%, %+.2f%%]</td>"
			"<td>%.3g</td><td class=\"l\">%s, %s</td></tr>\n", x->cp.before, x->cp.after,
			x->regression ? "worse" : "better", x->cp.pct, x->cp.pct_lo, x->cp.pct_hi, x->cp.p,
			x->regression ? "regression" : "improvement", cp_status_word(x->status));
	}
	fputs("</table>\n", f);
}

static int write_bench(const char *path, const struct metric_result *res, int n, const struct detect_opts *o)
{
	FILE *f = fopen(path, "w");
	int drew = 0, undrawn = 0;

	if (!f)
		return err_errno(errno, "cannot write %s", path);
	char *title = xasprintf("mmtests-c history: %s", res[0].m->bench);
	html_page_begin(f, title);
	free(title);
	fputs("<h1>", f);
	markup_escape(f, res[0].m->bench);
	fputs(" <span class=\"meta\">history</span></h1>\n<p class=\"meta\">", f);
	if (o->cp.method == CP_TTEST)
		fprintf(f, "Change points: E-Divisive means in windows of %d runs with Student's t-test, p &le; %g "
			   "(Apache Otava's method)", o->cp.window, o->cp.alpha);
	else
		fprintf(f, "Change points: E-Divisive means with a permutation test (%d permutations), p &le; %g "
			   "(MongoDB's method)", o->cp.permutations, o->cp.alpha);
	if (o->filter.host || o->filter.runs) {
		fputs("; runs", f);
		if (o->filter.runs) {
			fputs(" named ", f);
			markup_escape(f, o->filter.runs);
		}
		if (o->filter.host) {
			fputs(" of host ", f);
			markup_escape(f, o->filter.host);
		}
	}
	fputs(". Red: a regression, green: an improvement, by the metric's direction.</p>\n", f);
	for (int i = 0; i < n; i++) {
		const struct metric_result *r = &res[i];
		if (!r->runs)
			continue;
		fputs("<h2 id=\"", f);
		markup_escape(f, r->m->label);
		fputs("\">", f);
		markup_escape(f, r->m->label);
		fprintf(f, " <span class=\"meta\">%d run%s: ", r->runs, r->runs == 1 ? "" : "s");
		markup_escape(f, r->pts[0].run);
		fputs(" &hellip; ", f);
		markup_escape(f, r->pts[r->runs - 1].run);
		fputs("</span></h2>\n", f);
		struct strbuf script = STRBUF_INIT;
		plot_metric(&script, r);
		char *svg = plot_available() ? html_svg(script.buf) : NULL;
		sb_release(&script);
		if (svg) {
			fprintf(f, "<figure>%s</figure>\n", svg);
			free(svg);
			drew++;
		} else {
			fputs("<p class=\"meta\">(no picture: gnuplot could not draw it)</p>\n", f);
			undrawn++;
		}
		change_table(f, r);
		fputs("<pre class=\"meta\">", f);
		markup_escape(f, r->text.buf);
		fputs("</pre>\n", f);
	}
	fprintf(f, "<footer>mmtests-db detect. %s</footer>\n</body></html>\n",
		undrawn && !drew ? "Pictures need gnuplot, which is not installed here." : "");
	if (fclose(f))
		return err_errno(errno, "cannot write %s", path);
	return 0;
}

int history_report(const char *dir, const struct metric_result *res, int n, const struct detect_opts *o)
{
	int ret = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return err_errno(errno, "cannot make %s", dir);
	for (int i = 0, j; i < n && !ret; i = j) {
		int any = 0;
		for (j = i; j < n && !strcmp(res[j].m->bench, res[i].m->bench); j++)
			any |= res[j].runs > 0;
		if (!any)
			continue;
		char *path = xasprintf("%s/%s.html", dir, res[i].m->bench);
		ret = write_bench(path, &res[i], j - i, o);
		if (!ret)
			printf("report: %s\n", path);
		free(path);
	}
	return ret;
}
