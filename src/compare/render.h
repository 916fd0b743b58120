/* Output of a comparison, one function per format, all from the model. */
#ifndef MMT_RENDER_H
#define MMT_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "markup.h"

#include "comparison.h"

enum out_format { FMT_TEXT, FMT_HTML, FMT_CSV, FMT_JSON, FMT_REPORT };

/* MMTests's two header lines: the run name split at its first '-' (a
 * "-rcN" stays in the first part). Returns the split point. */
void run_name_split(const char *name, char *first, char *second, size_t size);

/* MMTests's table (its ratio table with ratio), as text or, with html,
 * as MMTests's HTML table. */
void render_text(FILE *f, const struct comparison *c, int ratio, int html);
/* A monitor's one field as MMTests shows it: Amean and Max per run. */
void render_monitor_mmtests(FILE *f, const struct comparison *c, int html);
/* Text for HTML or XML: < > & " escaped. */
void render_csv(FILE *f, const struct comparison *c, int header);
/* --fairness: per label and iteration, spread across the runs (VMs). */
void render_fairness(FILE *f, const struct comparison *c);
json_t *render_json(const struct comparison *c);
/* The document, keys in order, every real as its shortest round-trip
 * decimal (jansson writes 17 digits: 53019.099999999999). */
void render_json_dump(FILE *f, json_t *doc);

/* --print-monitor duration */
struct duration_row {
	const char *run;
	double user, sys, elapsed;
	int count;
};
void render_duration_text(FILE *f, const struct duration_row *d, int nruns, int html);

#endif
