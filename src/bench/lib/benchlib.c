#include "benchlib.h"
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *program = "bench";

void bench_set_program(const char *name)
{
	program = name;
}

const char *bench_program(void)
{
	return program;
}

void bench_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int bench_usage_error(const char *option, const char *value, const char *what)
{
	fprintf(stderr, "%s: %s '%s': %s\n", program, option, value, what);
	return 2;
}

int bench_options(int argc, char **argv, const struct opt *opts, const struct opt_usage *u,
		  int no_operands, int *status)
{
	int first = opt_parse(argc, argv, opts, u, 0);

	*status = first == OPT_HELP ? 0 : 2;
	if (first < 0)
		return -1;
	if (no_operands && first != argc) {
		char what[96];
		snprintf(what, sizeof(what), "%s takes no arguments", program);
		bench_usage_error("argument", argv[first], what);
		return -1;
	}
	return first;
}

json_t *json_fixed(double v, int decimals)
{
	if (!isfinite(v))
		return json_null();
	if (decimals <= 0)
		return json_integer((json_int_t)llround(v));
	double scale = pow(10, decimals);
	return json_real(round(v * scale) / scale);
}

int json_write_file(const char *path, json_t *obj)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		bench_warn("cannot write %s: %s", path, strerror(errno));
		json_decref(obj);
		return -1;
	}
	bad = json_dumpf(obj, f, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) != 0;
	bad |= fputc('\n', f) == EOF;
	bad |= fclose(f) != 0;
	if (bad)
		bench_warn("cannot write %s", path);
	json_decref(obj);
	return bad ? -1 : 0;
}
