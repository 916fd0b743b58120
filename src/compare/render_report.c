/* compare-mmtests --format report: one self-contained HTML page to share
 * (no external file, script or font): the runs and the systems they ran
 * on, then per benchmark its table with units and significance, its
 * gnuplot picture inline as SVG, and its notes. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "gzfile.h"
#include "html_page.h"
#include "log.h"
#include "plot.h"
#include "render.h"
#include "report.h"
#include "run_json.h"
#include "xalloc.h"

static void esc(FILE *f, const char *s)
{
	markup_escape(f, s ? s : "");
}

static const char *stamp(const struct run_stamp *s, char *buf, size_t len)
{
	struct tm tm;

	if (!s->epoch || !gmtime_r(&s->epoch, &tm))
		return "-";
	strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

/* The first line of iter-0/NAME(.gz) of a run that starts with prefix
 * (the rest of it), or the whole first line; "" when there is none. */
static char *sysinfo_line(const char *rundir, const char *name, const char *prefix)
{
	struct strbuf b = STRBUF_INIT;
	char *path = xasprintf("%s/iter-0/%s.gz", rundir, name), *line = NULL;

	if (gz_read_file(path, &b, 1 << 20, NULL)) {
		free(path);
		path = xasprintf("%s/iter-0/%s", rundir, name);
		gz_read_file(path, &b, 1 << 20, NULL);
	}
	for (char *p = b.buf; p && *p && !line; ) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (!prefix || !strncmp(p, prefix, strlen(prefix))) {
			const char *v = prefix ? p + strlen(prefix) : p;
			while (prefix && (*v == ' ' || *v == '\t' || *v == ':' || *v == '=' || *v == '"'))
				v++;
			line = xstrndup(v, len - (size_t)(v - p));
			size_t n = strlen(line);
			while (n && (line[n - 1] == '"' || line[n - 1] == ' '))
				line[--n] = '\0';
		}
		p = nl ? nl + 1 : NULL;
	}
	sb_release(&b);
	free(path);
	return line ? line : xstrdup("");
}

void report_begin(FILE *f, const char *logdir, char *const *names, int n)
{
	char a[40], b[40];
	time_t now = time(NULL);
	struct tm tm;

	struct strbuf title = STRBUF_INIT;
	for (int i = 0; i < n; i++)
		sb_addf(&title, "%s%s", i ? " vs " : "mmtests-c: ", names[i]);
	html_page_begin(f, title.buf);
	sb_release(&title);
	fputs("<h1>", f);
	for (int i = 0; i < n; i++) {
		fputs(i ? " <span class=\"meta\">vs</span> " : "", f);
		esc(f, names[i]);
	}
	gmtime_r(&now, &tm);
	strftime(a, sizeof(a), "%Y-%m-%d %H:%M UTC", &tm);
	fprintf(f, "</h1>\n<p class=\"meta\">Compared by compare-mmtests %s on %s; the first run is the "
		"baseline.</p>\n<h2>Runs and systems</h2>\n<table>\n<tr><th class=\"l\"></th>", PACKAGE_VERSION, a);
	struct run_record *rec = xcalloc(n, sizeof(*rec));
	char **dirs = xcalloc(n, sizeof(char *));
	for (int i = 0; i < n; i++) {
		dirs[i] = path_join(logdir, names[i]);
		char *json = path_join(dirs[i], "run.json");
		if (is_file(json))
			run_json_read(json, &rec[i], 1);
		free(json);
		fputs("<th class=\"l\">", f);
		esc(f, names[i]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	static const char *const rows[] = { "status", "started", "ended", "host", "kernel", "arch", "CPUs",
					    "memory", "CPU model", "OS", "command line", "configs", "tests", "iterations" };
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		fprintf(f, "<tr><th class=\"l\">%s</th>", rows[k]);
		for (int i = 0; i < n; i++) {
			const struct run_record *r = &rec[i];
			char *own = NULL;
			const char *v = NULL;
			switch (k) {
			case 0: v = r->runname ? run_status_name(r->status) : "no run.json (an MMTests tree?)"; break;
			case 1: v = stamp(&r->start, a, sizeof(a)); break;
			case 2: v = stamp(&r->end, b, sizeof(b)); break;
			case 3: v = r->host.hostname; break;
			case 4: v = r->host.kernel; if (!v) v = own = sysinfo_line(dirs[i], "kernel-version", NULL); break;
			case 5: v = r->host.arch; break;
			case 6: v = r->host.cpus; break;
			case 7:
				if (r->host.memtotal_bytes)
					v = own = xasprintf("%.1f GiB", atof(r->host.memtotal_bytes) / 1073741824.0);
				break;
			case 8: v = own = sysinfo_line(dirs[i], "cpuinfo", "model name"); break;
			case 9: v = own = sysinfo_line(dirs[i], "os-release", "PRETTY_NAME"); break;
			case 10: v = own = sysinfo_line(dirs[i], "cmdline", NULL); break;
			case 11: {
				struct strbuf s = STRBUF_INIT;
				for (int c = 0; c < r->nconfigs; c++) {
					const char *slash = strrchr(r->configs[c], '/');
					sb_addf(&s, "%s%s", c ? ", " : "", slash ? slash + 1 : r->configs[c]);
				}
				v = own = sb_detach(&s);
				break;
			}
			case 12: {
				struct strbuf s = STRBUF_INIT;
				for (int t = 0; t < r->ntests; t++)
					sb_addf(&s, "%s%s", t ? " " : "", r->mmtests[t]);
				v = own = sb_detach(&s);
				break;
			}
			case 13:
				if (r->iterations)
					v = own = xasprintf("%d", r->iterations);
				break;
			}
			fputs("<td class=\"l\">", f);
			esc(f, v && *v ? v : "-");
			fputs("</td>", f);
			free(own);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<p class=\"key\"><span class=\"better\" style=\"background:#dff3e4\">significantly "
	      "better</span><span style=\"background:#fbe1e1\">significantly worse</span>"
	      "percentages are changes against the baseline, positive is better.</p>\n", f);
	for (int i = 0; i < n; i++) {
		run_record_free(&rec[i]);
		free(dirs[i]);
	}
	free(rec);
	free(dirs);
}

static void value(FILE *f, const struct comparison *c, const struct stat_cell *cell)
{
	if (cell->defined && isfinite(cell->value))
		fprintf(f, "%.*f", c->meta.decimal_places, cell->value);
	else
		fputs("-", f);
}

/* The SVG gnuplot draws for c (its shellpack's plot_type); NULL when it
 * cannot be drawn. */
static char *draw_svg(const struct comparison *c)
{
	struct strbuf script = STRBUF_INIT;
	char *svg;

	plot_script(&script, c, "@OUT@", PLOT_SVG, 900, 460);
	svg = html_svg(script.buf);
	sb_release(&script);
	return svg;
}

void report_bench(FILE *f, const struct comparison *c, int draw)
{
	fputs("<h2 id=\"", f);
	esc(f, c->bench);
	fputs("\">", f);
	esc(f, c->bench);
	fputs("</h2>\n", f);
	if (c->meta.description && *c->meta.description) {
		fputs("<p class=\"meta\">", f);
		esc(f, c->meta.description);
		fputs("</p>\n", f);
	}
	fputs("<table>\n<tr><th class=\"l\"></th><th class=\"l\">label</th><th class=\"l\">units</th>", f);
	for (int r = 0; r < c->nruns; r++) {
		fputs("<th>", f);
		esc(f, c->runs[r].name);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (int k = 0; k < c->nrows; k++) {
		enum stat_row row = c->rows[k];
		for (int i = 0; i < c->nlabels; i++) {
			const struct label_cmp *l = &c->labels[i];
			fprintf(f, "<tr><td class=\"l\">%s</td><td class=\"l\">",
				row == ROW_VALUE && c->meta.opname ? c->meta.opname : stat_row_name(row, l->higher, 0));
			esc(f, l->label);
			fputs("</td><td class=\"l\">", f);
			esc(f, l->units);
			fprintf(f, "%s</td>", l->higher ? " &uarr;" : " &darr;");
			for (int r = 0; r < c->nruns; r++) {
				const struct run_stats *rs = &l->runs[r];
				const char *cls = "";
				if (r > 0 && rs->significant && (row == ROW_MEAN || row == ROW_VALUE))
					cls = rs->cell[row].pct > 0 ? " class=\"better\"" : " class=\"worse\"";
				fprintf(f, "<td%s>", cls);
				if (!rs->present) {
					fputs("-</td>", f);
					continue;
				}
				value(f, c, &rs->cell[row]);
				if (r > 0 && isfinite(rs->cell[row].pct))
					fprintf(f, "<span class=\"pct\">%+.2f%%</span>", rs->cell[row].pct);
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
	}
	fputs("</table>\n", f);
	if (draw) {
		char *svg = draw_svg(c);
		if (svg) {
			fputs("<figure>\n", f);
			fputs(svg, f);
			fputs("</figure>\n", f);
			free(svg);
		} else {
			fputs("<p class=\"meta\">(gnuplot could not draw this benchmark)</p>\n", f);
		}
	}
	if (c->warnings.len) {
		fputs("<ul class=\"notes\">\n", f);
		for (char *p = c->warnings.buf; *p; ) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char *line = xstrndup(p, len);
			fputs("<li>", f);
			esc(f, line);
			fputs("</li>\n", f);
			free(line);
			if (!nl)
				break;
			p = nl + 1;
		}
		fputs("</ul>\n", f);
	}
}

void report_unreadable(FILE *f, const char *bench, const char *why)
{
	fputs("<h2 id=\"", f);
	esc(f, bench);
	fputs("\">", f);
	esc(f, bench);
	fputs("</h2>\n<p class=\"meta\">Not compared: ", f);
	esc(f, why && *why ? why : "its results could not be read");
	fputs("</p>\n", f);
}

void report_end(FILE *f, int significance_mmtests, int drew)
{
	fprintf(f, "<footer>Significance: %s. Means: harmonic where higher is better (MMTests's Hmean), "
		"arithmetic otherwise.%s</footer>\n</body></html>\n",
		significance_mmtests ? "MMTests's rule, |cidiff| &gt; 1" :
		"Mann-Whitney U and Welch's t, Benjamini-Hochberg corrected over the labels, and larger than "
		"the runs' noise",
		drew ? "" : " Pictures need gnuplot, which is not installed here.");
}
