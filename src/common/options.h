/* Command lines from a table (in the manner of git's parse-options.h):
 * each program lists its options once, with their help, and gets the
 * parsing, the checks and the usage text from here. Only libc: our
 * benchmarks (src/bench) use it too, inside guests.
 *
 *	static const char *const formats[] = { "text", "html", NULL };
 *	const struct opt opts[] = {
 *		OPT_STRING('d', "directory", &dir, "DIR", "where the runs are"),
 *		OPT_CHOICE(0, "format", &format, "FMT", formats, "output format"),
 *		OPT_NUMBER(0, "fail-on-regression", &pct, "PCT", 0, 1e9, "..."),
 *		OPT_END()
 *	};
 *	int first = opt_parse(argc, argv, opts, &usage, 0);
 *
 * A value is checked whole: an integer or number with trailing text, nan,
 * inf or out of its range is an error naming the option and the value. */
#ifndef MMT_OPTIONS_H
#define MMT_OPTIONS_H

#include <stdio.h>

enum opt_kind { OPTK_END, OPTK_FLAG, OPTK_STRING, OPTK_LIST, OPTK_INT, OPTK_NUMBER, OPTK_CHOICE };

struct opt {
	enum opt_kind kind;
	int short_name;			/* 0: long only */
	const char *long_name;		/* NULL: short only */
	void *value;			/* see the macros for its type */
	const char *argh;		/* the argument's name in the help */
	const char *help;		/* '\n' continues on the next line */
	long set;			/* FLAG: the value stored */
	double min, max;		/* INT, NUMBER: the range */
	int exclusive_min;		/* NUMBER: min itself is refused */
	const char *const *choices;	/* CHOICE: NULL-terminated */
};

/* Every -l or --list FILE appends to v (v has room for argc entries when
 * opt_parse allocates it). */
struct opt_list {
	const char **v;
	int n;
};

#define OPT_FLAG(s, l, v, val, h)	{ OPTK_FLAG, s, l, v, NULL, h, val, 0, 0, 0, NULL }	/* int * */
#define OPT_BOOL(s, l, v, h)		OPT_FLAG(s, l, v, 1, h)
#define OPT_STRING(s, l, v, a, h)	{ OPTK_STRING, s, l, v, a, h, 0, 0, 0, 0, NULL }	/* const char ** */
#define OPT_LIST(s, l, v, a, h)		{ OPTK_LIST, s, l, v, a, h, 0, 0, 0, 0, NULL }	/* struct opt_list * */
#define OPT_INT(s, l, v, a, lo, hi, h)	{ OPTK_INT, s, l, v, a, h, 0, lo, hi, 0, NULL }	/* int * */
#define OPT_NUMBER(s, l, v, a, lo, hi, h) { OPTK_NUMBER, s, l, v, a, h, 0, lo, hi, 0, NULL }	/* double * */
#define OPT_POSITIVE(s, l, v, a, h)	{ OPTK_NUMBER, s, l, v, a, h, 0, 0, 1e300, 1, NULL }	/* double *, > 0 */
#define OPT_CHOICE(s, l, v, a, c, h)	{ OPTK_CHOICE, s, l, v, a, h, 0, 0, 0, 0, c }	/* int *: index */
#define OPT_END()			{ OPTK_END, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL }

struct opt_usage {
	const char *program;		/* "run-mmtests" */
	const char *synopsis;		/* after "usage: program ": "[options] RUNNAME" */
	const char *description;	/* before the options */
	const char *epilog;		/* after them: environment, exit status */
};

/* Stop at the first operand (what follows belongs to someone else). */
#define OPT_STOP_AT_OPERAND 1
/* opt_parse's answer to -h/--help: the usage is on stdout; exit 0. */
#define OPT_HELP (-2)

/* Returns the index of the first operand in argv, OPT_HELP, or -1 after
 * reporting the problem (and a hint to --help) on stderr. */
int opt_parse(int argc, char **argv, const struct opt *opts, const struct opt_usage *u, int flags);
/* The usage text, generated from the table. */
void opt_usage(FILE *f, const struct opt *opts, const struct opt_usage *u);

#endif
