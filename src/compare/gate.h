/* The CI gate: regressions to stderr, and a JUnit report. */
#ifndef MMT_GATE_H
#define MMT_GATE_H

#include <stdio.h>

#include "comparison.h"

/* Print every regressing label/run to f. */
void gate_report(FILE *f, const struct comparison *c);
/* JUnit XML: one testsuite per benchmark, one testcase per label and run. */
void junit_begin(FILE *f);
void junit_add(FILE *f, const struct comparison *c);
void junit_end(FILE *f);

#endif
