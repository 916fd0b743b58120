/* What every self-contained HTML page of ours shares (compare's report,
 * mmtests-db's history report): the head with its inline CSS, and gnuplot
 * pictures inlined as SVG. No external file, script or font. */
#ifndef MMT_HTML_PAGE_H
#define MMT_HTML_PAGE_H

#include <stdio.h>

#include "strbuf.h"

/* <!DOCTYPE> to <body>, titled title (escaped). */
void html_page_begin(FILE *f, const char *title);
/* script: a gnuplot script drawing an SVG into the file named by the
 * "@OUT@" in it. The SVG without its XML prolog, for embedding; NULL when
 * gnuplot cannot draw it (reported). */
char *html_svg(const char *script);

#endif
