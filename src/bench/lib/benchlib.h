/* Shared by our benchmarks (stream, mig-mon, virtbench), which also run
 * inside guests: messages prefixed by the program's name, numbers parsed
 * with full checks (units.h), JSON results written through jansson. */
#ifndef MMT_BENCHLIB_H
#define MMT_BENCHLIB_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "units.h"

/* "mig-mon migrate", "stream": what messages start with. */
void bench_set_program(const char *name);
const char *bench_program(void);
void bench_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error naming the option and its value: returns 2 (the exit
 * status for bad usage), for `return bench_usage_error(...)`. */
int bench_usage_error(const char *option, const char *value, const char *what);

struct opt;
struct opt_usage;
/* opt_parse for a benchmark's main: the index of its first operand, or -1
 * when main is to return *status at once (0 after --help, 2 after a usage
 * error, printed). With no_operands, an operand is such an error. */
int bench_options(int argc, char **argv, const struct opt *opts, const struct opt_usage *u,
		  int no_operands, int *status);

/* A JSON number rounded to decimals places, or null when v is not finite
 * (NaN or infinite: "no value", never a bare nan in the file). */
json_t *json_fixed(double v, int decimals);
/* obj (stolen) as one line into path. 0, or -1 with a message. */
int json_write_file(const char *path, json_t *obj);

#endif
