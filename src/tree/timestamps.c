#include "timestamps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"
#include "tree.h"

static int add(const char *iterdir, const char *line)
{
	char *path = tree_timestamps(iterdir);
	int ret = append_file(path, line);

	free(path);
	return ret;
}

int ts_start(const char *iterdir)
{
	char line[64];

	snprintf(line, sizeof(line), "start :: %ld\n", (long)time(NULL));
	return add(iterdir, line);
}

int ts_test_begin(const char *iterdir, const char *test)
{
	char line[512];

	snprintf(line, sizeof(line), "test begin :: %s %ld\n", test, (long)time(NULL));
	return add(iterdir, line);
}

int ts_test_end(const char *iterdir, const char *test, double user, double sys,
		double elapsed)
{
	char line[1024];

	snprintf(line, sizeof(line),
		 "test end :: %s %ld\ntime :: %s %.2f user %.2f system %.2f elapsed\n",
		 test, (long)time(NULL), test, user, sys, elapsed);
	return add(iterdir, line);
}

int ts_finish(const char *iterdir)
{
	char line[64];

	snprintf(line, sizeof(line), "finish :: %ld\n", (long)time(NULL));
	return add(iterdir, line);
}

int ts_parse_durations(char *text, const char *test, double *user, double *sys, double *elapsed)
{
	size_t blen = strlen(test);
	char *save = NULL;
	int count = 0;

	*user = *sys = *elapsed = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		double u, s, e;
		if (strncmp(l, "time :: ", 8) || strncmp(l + 8, test, blen) || l[8 + blen] != ' ')
			continue;
		if (sscanf(l + 9 + blen, "%lf user %lf system %lf elapsed", &u, &s, &e) == 3) {
			*user = !count || u < *user ? u : *user;
			*sys = !count || s < *sys ? s : *sys;
			*elapsed = !count || e < *elapsed ? e : *elapsed;
			count++;
		}
	}
	return count;
}

void ts_run_durations(const char *rundir, const char *test, double *user, double *sys,
		      double *elapsed, int *count)
{
	int *iters, n = tree_iterations(rundir, &iters);

	*user = *sys = *elapsed = 0;
	*count = 0;
	for (int i = 0; i < n; i++) {
		char *idir = tree_iter_dir(rundir, iters[i]);
		char *ts = tree_timestamps(idir);
		struct strbuf b = STRBUF_INIT;

		if (is_file(ts) && read_file_bounded(ts, &b, 1 << 20) == 0) {
			double u, sy, e;
			int k = ts_parse_durations(b.buf, test, &u, &sy, &e);
			if (k) {
				*user = !*count || u < *user ? u : *user;
				*sys = !*count || sy < *sys ? sy : *sys;
				*elapsed = !*count || e < *elapsed ? e : *elapsed;
			}
			*count += k;
		}
		sb_release(&b);
		free(ts);
		free(idir);
	}
	free(iters);
}
