/* iter-N/tests-sysstate.gz as MMTests's run-mmtests.sh writes it: the
 * iteration's start, arch and mounts, then for each test its begin line,
 * /proc/vmstat, zoneinfo, meminfo, schedstat and diskstats before and
 * after it, and its end line with the exit code. MMTests's readers need
 * it (its vmstat monitor takes MemTotal from it, mmtests-vmstat the
 * /proc/vmstat deltas). Each call appends a gzip member: a run killed
 * between two keeps a readable file. */
#ifndef MMT_SYSSTATE_H
#define MMT_SYSSTATE_H

int sysstate_iteration_start(const char *iterdir);
int sysstate_test_begin(const char *iterdir, const char *test);
int sysstate_test_end(const char *iterdir, const char *test, int exit_code);

#endif
