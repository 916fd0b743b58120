#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *program = "mmtests";
static int quiet;
static void (*before_print)(void);

void log_set_before_print(void (*fn)(void))
{
	before_print = fn;
}

void log_set_program(const char *name)
{
	const char *slash = strrchr(name, '/');

	program = slash ? slash + 1 : name;
}

const char *log_program(void)
{
	return program;
}

void log_set_quiet(int q)
{
	quiet = q;
}

static __thread char last_error[1024];

const char *log_last_error(void)
{
	return last_error;
}

static void vreport(const char *level, const char *fmt, va_list ap, int errnum)
{
	char buf[4096];
	int n;

	n = snprintf(buf, sizeof(buf), "%s: %s", program, level);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (before_print)
		before_print();
	if (errnum)
		fprintf(stderr, "%s: %s\n", buf, strerror(errnum));
	else
		fprintf(stderr, "%s\n", buf);
	if (!strcmp(level, "error: "))
		snprintf(last_error, sizeof(last_error), "%.900s%s%.100s", buf + n,
			 errnum ? ": " : "", errnum ? strerror(errnum) : "");
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, 0);
	va_end(ap);
}

int err_errno(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, errnum);
	va_end(ap);
	return -errnum;
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap, 0);
	va_end(ap);
}

void info_msg(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap, 0);
	va_end(ap);
}
