/* What someone watching run-mmtests sees while it runs: on a terminal a
 * status line redrawn every second (test, iteration i/N, the test's time,
 * the run's elapsed time and ETA, the benchmark's latest progress line);
 * elsewhere plain lines. Each finished test gets a line, the run a table.
 * -v copies the benchmark's own output (its bench.log) as it comes. */
#ifndef MMT_PROGRESS_H
#define MMT_PROGRESS_H

struct run;

/* Before the first test: finds how long each test takes from the runs
 * already beside this one (the newest with the same tests). */
void progress_start(struct run *r, int verbose);
void progress_test_begin(struct run *r, int iter, int test, const char *log);
/* spawn's tick: arg is the struct run */
void progress_tick(void *arg, double elapsed);
void progress_test_end(struct run *r, int iter, int test);
/* The table of every test: iterations done, status, mean seconds, samples. */
void progress_summary(struct run *r);
/* Seconds as "1:02:03", "2:03" or "7.4 s" (the ETA and the table's). */
const char *progress_duration(double secs, char *buf, int len);

#endif
