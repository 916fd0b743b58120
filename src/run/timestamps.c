/* tests-timestamp, exactly the lines MMTests writes and its readers
 * (and our compare --print-monitor duration) parse. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fileio.h"
#include "run.h"

static int add(const char *iterdir, const char *line)
{
	char *path = path_join(iterdir, "tests-timestamp");
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
