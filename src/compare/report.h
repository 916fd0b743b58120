/* compare-mmtests --format report: one self-contained HTML page (CSS,
 * the runs' systems, per benchmark its table with units and significance,
 * its picture as inline SVG, its notes). */
#ifndef MMT_REPORT_H
#define MMT_REPORT_H

#include <stdio.h>

#include "comparison.h"

/* The page's head and the runs-and-systems table (from each run's
 * run.json and iter-0 system information). */
void report_begin(FILE *f, const char *logdir, char *const *names, int n);
/* One benchmark's section; draw: gnuplot is there to draw its picture. */
void report_bench(FILE *f, const struct comparison *c, int draw);
/* A benchmark that could not be compared, with why. */
void report_unreadable(FILE *f, const char *bench, const char *why);
void report_end(FILE *f, int significance_mmtests, int drew);

#endif
