/* src/common/options: command lines from a table. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "tap.h"

static const char *const colours[] = { "red", "green", "blue", NULL };
static const struct opt_usage usage = { "prog", "[options] ARG", "What prog does.\n", "Exit status: 0.\n" };

struct vals {
	int flag, level, colour, count;
	const char *name;
	double pct, pos;
	struct opt_list files;
};

static int run(struct vals *v, int flags, int argc, ...)
{
	char *argv[32];
	va_list ap;

	free(v->files.v);	/* the last call's list */
	memset(v, 0, sizeof(*v));
	v->level = -1;
	va_start(ap, argc);
	argv[0] = "prog";
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	const struct opt opts[] = {
		OPT_BOOL('f', "flag", &v->flag, "a flag"),
		OPT_FLAG('u', "up", &v->level, 1, "level up"),
		OPT_FLAG('d', "down", &v->level, 0, "level down"),
		OPT_STRING('N', "name", &v->name, "NAME", "a name\nover two lines"),
		OPT_LIST('F', "file", &v->files, "FILE", "files"),
		OPT_INT('c', "count", &v->count, "N", 1, 10, "a count"),
		OPT_NUMBER(0, "pct", &v->pct, "PCT", 0, 100, "a percentage"),
		OPT_POSITIVE(0, "pos", &v->pos, "X", "positive"),
		OPT_CHOICE(0, "colour", &v->colour, "C", colours, "a colour"),
		OPT_END()
	};
	fflush(stdout);
	int r = opt_parse(argc, argv, opts, &usage, flags);
	fflush(stdout);
	return r;
}

int main(void)
{
	struct vals v = { 0 };

	(void)!freopen("/dev/null", "w", stderr);	/* the errors are expected */
	ok(run(&v, 0, 1) == 1 && v.level == -1 && !v.name, "no options: nothing set, operands at 1");
	ok(run(&v, 0, 4, "-f", "--name=x", "op") == 3 && v.flag && !strcmp(v.name, "x"),
	   "short flag, --long=value, then the operand");
	ok(run(&v, 0, 3, "-u", "-d") == 3 && v.level == 0, "FLAG stores its value, the last one wins");
	ok(run(&v, 0, 5, "-F", "a", "--file", "b") == 5 && v.files.n == 2 && !strcmp(v.files.v[1], "b"),
	   "a LIST collects every value");
	ok(run(&v, 0, 3, "-c", "10") == 3 && v.count == 10, "an INT at its maximum");
	ok(run(&v, 0, 3, "-c", "11") == -1, "an INT above its range is refused");
	ok(run(&v, 0, 3, "-c", "3x") == -1, "an INT with trailing text is refused");
	ok(run(&v, 0, 3, "--pct", "12.5") == 3 && v.pct == 12.5, "a NUMBER");
	ok(run(&v, 0, 3, "--pct", "nan") == -1 && run(&v, 0, 3, "--pct", "inf") == -1, "nan and inf are refused");
	ok(run(&v, 0, 3, "--pct", "-1") == -1, "a NUMBER below its range is refused");
	ok(run(&v, 0, 3, "--pos", "0") == -1 && run(&v, 0, 3, "--pos", "0.001") == 3, "POSITIVE excludes 0");
	ok(run(&v, 0, 3, "--colour", "blue") == 3 && v.colour == 2, "a CHOICE stores its index");
	ok(run(&v, 0, 3, "--colour", "pink") == -1, "an unknown CHOICE is refused");
	ok(run(&v, 0, 2, "--bogus") == -1 && run(&v, 0, 2, "-z") == -1, "unknown options are refused");
	ok(run(&v, 0, 2, "--name") == -1 && run(&v, 0, 2, "-N") == -1, "a missing value is refused");
	ok(run(&v, 0, 4, "op", "-f", "op2") == 2 && v.flag, "options after operands: found, the operands moved after them");
	ok(run(&v, OPT_STOP_AT_OPERAND, 4, "-f", "op", "-u") == 2 && v.level == -1,
	   "STOP_AT_OPERAND leaves what follows the first operand");
	ok(run(&v, OPT_STOP_AT_OPERAND, 4, "-f", "--", "-u") == 3, "-- ends the options");

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const struct opt opts[] = {
		OPT_BOOL('f', "flag", &v.flag, "a flag"),
		OPT_STRING('N', "name", &v.name, "NAME", "a name\nover two lines"),
		OPT_INT(0, "count", &v.count, "N", 1, 10, "a count"),
		OPT_END()
	};
	opt_usage(f, opts, &usage);
	fclose(f);
	ok(strstr(buf, "usage: prog [options] ARG\nWhat prog does.\n") != NULL, "usage: synopsis and description");
	ok(strstr(buf, "  -N, --name NAME") && strstr(buf, "\n                            over two lines\n"),
	   "an option with its argument, help continued aligned");
	ok(strstr(buf, "      --count N") && strstr(buf, "  -h, --help") && strstr(buf, "\nExit status: 0.\n"),
	   "long-only options, --help and the epilog");
	free(buf);
	ok(run(&v, 0, 2, "--help") == OPT_HELP, "--help answers OPT_HELP");
	free(v.files.v);
	return done_testing();
}
