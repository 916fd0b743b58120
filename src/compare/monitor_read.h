/* Reading monitor logs back (iter-N/<monitor>-<bench>[.gz], ours or
 * MMTests's, with or without the latency prefix) into series: vmstat and
 * mpstat columns per interval, per-interval deltas of proc-vmstat
 * counters, perf stat events per interval. */
#ifndef MMT_MONITOR_READ_H
#define MMT_MONITOR_READ_H

#include "results.h"

/* Is there a reader for this monitor? */
int monitor_readable(const char *monitor);
/* Space-separated names of the monitors compare can read. */
const char *monitor_readable_list(void);
/* Pool every iteration's log. *truncated counts files whose gzip stream
 * ended early (a killed run): what was read is kept. -ENOENT when the
 * run has no such monitor log (reported). */
int monitor_load(const char *logdir, const char *run, const char *monitor, const char *bench,
		 const char *field, struct run_results *out, int *truncated);
/* field (not NULL): vmstat read as MMTests reads it, that one column
 * (a vmstat column name, ussy or totalcpu) as the only label. */
int vmstat_mmtests_field_ok(const char *field);
/* Parse one log's text into r (text is modified). */
void monitor_parse(const char *monitor, char *text, struct run_results *r);

#endif
