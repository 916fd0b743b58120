#include "json_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"
#include "xalloc.h"

json_t *json_stamp_now(void)
{
	time_t t = time(NULL);
	struct tm tm;
	char buf[64];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:I,s:s}", "epoch", (json_int_t)t, "time", buf);
}

int json_save_atomic(const char *path, json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	int ret;

	if (!text)
		return -ENOMEM;
	size_t len = strlen(text);
	text = xrealloc(text, len + 2);
	memcpy(text + len, "\n", 2);
	ret = write_file_atomic(path, text, len + 1);
	free(text);
	return ret;
}
