/* gnuplot scripts for a comparison (graph). */
#ifndef MMT_PLOT_H
#define MMT_PLOT_H

#include "comparison.h"
#include "strbuf.h"

enum plot_format { PLOT_PNG, PLOT_SVG };

/* Script that draws c into output according to the shellpack's plot_type:
 * candlesticks per label and run, lines of samples, or a histogram of
 * means. */
void plot_script(struct strbuf *out, const struct comparison *c, const char *output,
		 enum plot_format fmt, int width, int height);

/* s as a gnuplot double-quoted string. */
void plot_quoted(struct strbuf *o, const char *s);
/* gnuplot is on PATH and runs. */
int plot_available(void);
/* Write script_text to script_path and run gnuplot on it; the script is
 * removed when gnuplot succeeds, kept (and gnuplot's complaint reported)
 * when not. 0 or -errno. */
int plot_draw(const char *script_text, const char *script_path);

#endif
