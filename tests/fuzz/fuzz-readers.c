/* Fuzz target for the readers of untrusted result files: parse-results
 * TSV and tests-timestamp. Build with clang -fsanitize=fuzzer (make fuzz)
 * or with tests/fuzz/driver.c, which make check runs. */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "results.h"
#include "timestamps.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	struct run_results r;
	double u, s, e;

	static int once;

	if (!once++ && !getenv("FUZZ_SHOW_ERRORS"))
		(void)!freopen("/dev/null", "w", stderr);	/* the errors are expected */
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&r, 0, sizeof(r));
	r.name = xstrdup("fuzz");
	results_parse_tsv(&r, text, "fuzz");
	results_free(&r);
	memcpy(text, data, size);
	text[size] = '\0';
	ts_parse_durations(text, "stream", &u, &s, &e);
	free(text);
	return 0;
}
