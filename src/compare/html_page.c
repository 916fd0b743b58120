#include "html_page.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "markup.h"
#include "plot.h"
#include "xalloc.h"

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;"
	"max-width:1100px;margin:2em auto;padding:0 1.2em;background:#fff}"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.8em 0 .3em;"
	"border-bottom:2px solid #dfe3ea;padding-bottom:.2em}"
	".meta{color:#5b6475}table{border-collapse:collapse;margin:.6em 0;font-variant-numeric:tabular-nums}"
	"th,td{padding:.25em .6em;border-bottom:1px solid #e7eaf0;text-align:right;white-space:nowrap}"
	"th{background:#f3f5f9;font-weight:600}td.l,th.l{text-align:left}"
	"tr:nth-child(even) td{background:#fafbfd}"
	"td.better{background:#dff3e4!important;color:#0f5323;font-weight:600}"
	"td.worse{background:#fbe1e1!important;color:#8a1414;font-weight:600}"
	".pct{color:#5b6475;font-size:.85em;margin-left:.3em}"
	"ul.notes{color:#5b6475;font-size:.9em}figure{margin:.8em 0}figure svg{max-width:100%;height:auto}"
	".key span{display:inline-block;padding:0 .5em;margin-right:.6em}"
	"footer{margin-top:3em;color:#5b6475;font-size:.85em}";

void html_page_begin(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>", f);
	markup_escape(f, title);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n", css);
}

char *html_svg(const char *script)
{
	char tmpl[] = "/tmp/mmtests-svg-XXXXXX";
	char *dir = mkdtemp(tmpl), *svg = NULL;

	if (!dir)
		return NULL;
	char *out = xasprintf("%s/plot.svg", dir), *script_path = xasprintf("%s/plot.gnuplot", dir);
	struct strbuf text = STRBUF_INIT, b = STRBUF_INIT;
	/* the script names its output @OUT@: here, in a private directory */
	for (const char *p = script, *at; *p; p = at + 5) {
		if (!(at = strstr(p, "@OUT@"))) {
			sb_adds(&text, p);
			break;
		}
		sb_add(&text, p, at - p);
		sb_adds(&text, out);
	}
	if (!plot_draw(text.buf, script_path) && !read_file_if_exists(out, &b) && b.len) {
		const char *start = strstr(b.buf, "<svg");
		if (start)
			svg = xstrdup(start);
	}
	unlink(out);
	unlink(script_path);
	rmdir(dir);
	sb_release(&text);
	sb_release(&b);
	free(out);
	free(script_path);
	return svg;
}
