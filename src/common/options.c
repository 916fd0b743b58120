#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifndef PACKAGE_NAME	/* (built outside configure: a guest's copy) */
#define PACKAGE_NAME "mmtests-c"
#define PACKAGE_VERSION "unknown"
#endif
/* getopt's answer for --version: above every char, below the option indexes */
#define OPT_VERSION_KEY 255

static void bad(const struct opt_usage *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(const struct opt_usage *u, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", u->program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(%s --help lists the options)\n", u->program);
}

/* "-c", "--config" or "-c/--config", as the user may have typed it. */
static void opt_name(const struct opt *o, char *buf, size_t n)
{
	if (o->short_name && o->long_name)
		snprintf(buf, n, "-%c/--%s", o->short_name, o->long_name);
	else if (o->long_name)
		snprintf(buf, n, "--%s", o->long_name);
	else
		snprintf(buf, n, "-%c", o->short_name);
}

static int parse_value(const struct opt *o, const char *arg, const struct opt_usage *u)
{
	char name[64], *end;

	opt_name(o, name, sizeof(name));
	switch (o->kind) {
	case OPTK_FLAG:
		*(int *)o->value = o->set;
		return 0;
	case OPTK_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTK_LIST: {
		struct opt_list *l = o->value;
		l->v[l->n++] = arg;
		return 0;
	}
	case OPTK_INT: {
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (end == arg || *end || errno || v < o->min || v > o->max) {
			bad(u, "%s '%s': a whole number from %.0f to %.0f", name, arg, o->min, o->max);
			return -1;
		}
		*(int *)o->value = (int)v;
		return 0;
	}
	case OPTK_NUMBER: {
		errno = 0;
		double v = strtod(arg, &end);
		if (end == arg || *end || errno || !isfinite(v) || v < o->min || v > o->max ||
		    (o->exclusive_min && v == o->min)) {
			if (o->exclusive_min && o->max >= 1e300)
				bad(u, "%s '%s': a number greater than %g", name, arg, o->min);
			else if (o->max >= 1e300)
				bad(u, "%s '%s': a number of at least %g", name, arg, o->min);
			else
				bad(u, "%s '%s': a number from %g to %g", name, arg, o->min, o->max);
			return -1;
		}
		*(double *)o->value = v;
		return 0;
	}
	case OPTK_CHOICE:
		for (int i = 0; o->choices[i]; i++)
			if (!strcmp(arg, o->choices[i])) {
				*(int *)o->value = i;
				return 0;
			}
		fprintf(stderr, "%s: error: %s '%s': use", u->program, name, arg);
		for (int i = 0; o->choices[i]; i++)
			fprintf(stderr, "%s %s", i && !o->choices[i + 1] ? " or" : i ? "," : "", o->choices[i]);
		fputc('\n', stderr);
		return -1;
	case OPTK_END:
		break;
	}
	return -1;
}

int opt_parse(int argc, char **argv, const struct opt *opts, const struct opt_usage *u, int flags)
{
	int n = 0, c, idx, ret = -1;

	while (opts[n].kind != OPTK_END)
		n++;
	struct option *lo = calloc(n + 3, sizeof(*lo));	/* + help, version, the end */
	char *shorts = calloc(2 * n + 4, 1), *s = shorts;
	int k = 0;
	if (!lo || !shorts)
		goto out;
	if (flags & OPT_STOP_AT_OPERAND)
		*s++ = '+';
	*s++ = ':';	/* a missing value is ':', not '?' */
	*s++ = 'h';
	for (int i = 0; i < n; i++) {
		const struct opt *o = &opts[i];
		int has_arg = o->kind != OPTK_FLAG;
		if (o->kind == OPTK_LIST && !((struct opt_list *)o->value)->v)
			((struct opt_list *)o->value)->v = calloc(argc + 1, sizeof(char *));
		if (o->long_name)
			lo[k++] = (struct option){ o->long_name, has_arg ? required_argument : no_argument,
						   NULL, 256 + i };
		if (o->short_name) {
			*s++ = o->short_name;
			if (has_arg)
				*s++ = ':';
		}
	}
	lo[k++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[k] = (struct option){ "version", no_argument, NULL, OPT_VERSION_KEY };
	opterr = 0;
	optind = 0;	/* 0, not 1: GNU getopt then starts afresh (ordering included) */
	while ((c = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		const struct opt *o = NULL;
		if (c == 'h') {
			opt_usage(stdout, opts, u);
			ret = OPT_HELP;
			goto out;
		}
		if (c == OPT_VERSION_KEY) {	/* answered as --help is: exit 0 */
			printf("%s (%s) %s\n", u->program, PACKAGE_NAME, PACKAGE_VERSION);
			ret = OPT_HELP;
			goto out;
		}
		if (c == '?' || c == ':') {
			const char *what = argv[optind - 1];
			if (c == ':')
				bad(u, "%s needs a value", what);
			else if (optopt)
				bad(u, "unknown option -%c", optopt);
			else
				bad(u, "unknown option %s", what);
			goto out;
		}
		if (c >= 256)
			o = &opts[c - 256];
		for (int i = 0; !o && i < n; i++)
			if (opts[i].short_name == c)
				o = &opts[i];
		if (!o || parse_value(o, optarg, u))
			goto out;
	}
	ret = optind;
out:
	free(lo);
	free(shorts);
	return ret;
}

/* help with its '\n's indented to col. */
static void put_help(FILE *f, const char *help, int col)
{
	for (const char *p = help; *p; p++) {
		fputc(*p, f);
		if (*p == '\n')
			fprintf(f, "%*s", col, "");
	}
	fputc('\n', f);
}

void opt_usage(FILE *f, const struct opt *opts, const struct opt_usage *u)
{
	const int col = 28;

	fprintf(f, "usage: %s %s\n", u->program, u->synopsis);
	if (u->description)
		fprintf(f, "%s", u->description);
	fputc('\n', f);
	for (const struct opt *o = opts; o->kind != OPTK_END; o++) {
		char left[128];
		int len;

		if (o->short_name && o->long_name)
			len = snprintf(left, sizeof(left), "  -%c, --%s", o->short_name, o->long_name);
		else if (o->long_name)
			len = snprintf(left, sizeof(left), "      --%s", o->long_name);
		else
			len = snprintf(left, sizeof(left), "  -%c", o->short_name);
		if (o->argh)
			len += snprintf(left + len, sizeof(left) - len, " %s", o->argh);
		fputs(left, f);
		if (len >= col - 1)
			fprintf(f, "\n%*s", col, "");
		else
			fprintf(f, "%*s", col - len, "");
		put_help(f, o->help ? o->help : "", col);
	}
	fprintf(f, "  -h, --help%*sthis text\n", col - 12, "");
	fprintf(f, "      --version%*sthe program's version\n", col - 15, "");
	if (u->epilog)
		fprintf(f, "\n%s", u->epilog);
}
