/* iter-N/tests-timestamp: exactly the lines MMTests writes and its readers
 * parse --
 *   start :: EPOCH
 *   test begin :: TEST EPOCH
 *   test end :: TEST EPOCH
 *   time :: TEST U user S system E elapsed
 *   finish :: EPOCH
 * Writers append one line (or the end pair) to iterdir's file. */
#ifndef MMT_TIMESTAMPS_H
#define MMT_TIMESTAMPS_H

int ts_start(const char *iterdir);
int ts_test_begin(const char *iterdir, const char *test);
int ts_test_end(const char *iterdir, const char *test, double user, double sys,
		double elapsed);
int ts_finish(const char *iterdir);

/* The "time :: TEST ..." lines of one file's text (modified): the lowest
 * user, system and elapsed (each on its own, as MMTests's MonitorDuration
 * summarises: values sorted, lower preferred, the first shown); returns
 * how many lines. */
int ts_parse_durations(char *text, const char *test, double *user, double *sys, double *elapsed);
/* The same over every iteration of rundir; *count lines found. */
void ts_run_durations(const char *rundir, const char *test, double *user, double *sys,
		      double *elapsed, int *count);

#endif
