/* mmtests-db: the results history -- ingest runs, list them, read a
 * metric's series. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "changepoint.h"
#include "detect.h"
#include "judge.h"
#include "history.h"
#include "log.h"
#include "options.h"
#include "paths.h"
#include "tree.h"
#include "xalloc.h"

enum { EXIT_ERROR = 1, EXIT_USAGE = 2 };

static const struct opt_usage usage = {
	.program = "mmtests-db",
	.synopsis = "[--db STORE] COMMAND ...\n"
		    "       mmtests-db ingest [-d DIR] [--describe TEXT] RUN...\n"
		    "       mmtests-db runs\n"
		    "       mmtests-db series -b BENCH -l LABEL\n"
		    "       mmtests-db detect [-b BENCH [-l LABEL]] [--method ttest|permutation] [--record]\n"
		    "                         [--fail-on-regression] [--junit FILE] ... (mmtests-db detect --help)\n"
		    "       mmtests-db judge -b BENCH [-l LABEL] --good CODE --bad CODE [--test CODE]",
	.description =
"The results history: every sample of every ingested run, with the run's\n"
"name, time, host, kernel, config hash, benchmark versions and the code\n"
"under test, in SQLite (default: work/history.sqlite beside work/log, or\n"
"MMTESTS_DB) or PostgreSQL (machines of a fleet writing to one place; the\n"
"same schema and migrations). ingest adds runs (a run already there is left as it is);\n"
"runs lists them; series prints a metric's mean per run, oldest first;\n"
"detect finds where in that history each metric changed (E-Divisive means:\n"
"Apache Otava's windowed t-test, or MongoDB's permutation test): per change\n"
"point the run where it starts, the means before and after, the change in %\n"
"with its 95% interval, p, regression or improvement, and new, known or\n"
"moved against what --record saw before. judge makes mmtests-bisect's\n"
"decisions: samples pooled per code under test (--describe), is the bad\n"
"code worse than the good, is a commit good, bad or not yet told apart.\n",
	.epilog = "Exit status: 0 done, 1 a run or the store could not be read or written, 2 bad usage,\n"
		  "3 detect --fail-on-regression found a regression.\n",
};

static char *default_db(void)
{
	struct paths p;
	const char *env = getenv("MMTESTS_DB");
	char *db;

	if (env && *env)
		return xstrdup(env);
	if (paths_discover(&p))
		return NULL;
	db = path_join(p.work, "history.sqlite");
	paths_free(&p);
	return db;
}

static int cmd_ingest(struct history *h, int argc, char **argv)
{
	const char *dir = NULL, *describe = NULL;
	const struct opt opts[] = {
		OPT_STRING('d', "directory", &dir, "DIR", "where the runs are (default work/log)"),
		OPT_STRING(0, "describe", &describe, "TEXT", "the code under test (git describe)"),
		OPT_END()
	};
	const struct opt_usage u = { .program = "mmtests-db ingest", .synopsis = "[-d DIR] [--describe TEXT] RUN..." };
	int first = opt_parse(argc, argv, opts, &u, 0), failed = 0;
	struct paths p;

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return EXIT_USAGE;
	if (first == argc) {
		err_msg("ingest: no run named (mmtests-db ingest RUN...)");
		return EXIT_USAGE;
	}
	if (paths_discover(&p))
		return EXIT_ERROR;
	char *logdir = dir ? xstrdup(dir) : tree_logdir(p.work);
	for (int i = first; i < argc; i++) {
		long samples;
		int ret = history_ingest(h, logdir, argv[i], p.shellpacks, describe, &samples);
		if (ret < 0)
			failed = 1;
		else if (ret == 0)
			printf("%s: already in the history, left as it is\n", argv[i]);
		else
			printf("%s: ingested, %ld samples\n", argv[i], samples);
	}
	free(logdir);
	paths_free(&p);
	return failed ? EXIT_ERROR : 0;
}

/* After a command's options: -b and -l given and nothing else, then the
 * metric's series from the history (an empty one reported). 0, or the
 * exit status. */
static int load_metric(struct history *h, const char *cmd, const char *bench, const char *label,
		       int extra, struct history_point **pts, int *n)
{
	if (!bench || !label || extra) {
		err_msg("%s: give -b BENCH and -l LABEL, nothing else", cmd);
		return EXIT_USAGE;
	}
	if (history_series(h, bench, label, NULL, pts, n))
		return EXIT_ERROR;
	if (!*n) {
		err_msg("%s: no samples of %s %s in the history", cmd, bench, label);
		return EXIT_ERROR;
	}
	return 0;
}

static int cmd_series(struct history *h, int argc, char **argv)
{
	const char *bench = NULL, *label = NULL;
	const struct opt opts[] = {
		OPT_STRING('b', "benchmark", &bench, "BENCH", "the benchmark"),
		OPT_STRING('l', "label", &label, "LABEL", "the metric's label (as compare shows it)"),
		OPT_END()
	};
	const struct opt_usage u = { .program = "mmtests-db series", .synopsis = "-b BENCH -l LABEL" };
	int first = opt_parse(argc, argv, opts, &u, 0), n, ret;
	struct history_point *pts;

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return EXIT_USAGE;
	if ((ret = load_metric(h, "series", bench, label, first != argc, &pts, &n)))
		return ret;
	for (int i = 0; i < n; i++)
		printf("%s\t%lld\t%s\t%d\t%.17g\n", pts[i].run, pts[i].start, pts[i].describe ? pts[i].describe : "-",
		       pts[i].n, pts[i].mean);
	history_points_free(pts, n);
	return 0;
}

static int cmd_detect(struct history *h, int argc, char **argv)
{
	static const char *const methods[] = { "ttest", "permutation", NULL };
	const char *bench = NULL, *label = NULL;
	int method = -1, window = -1, min_size = -1, permutations = -1;
	double alpha = -1, min_change = -1;
	struct detect_opts d = { .recent = 3, .threshold = 5 };
	const struct opt opts[] = {
		OPT_STRING('b', "benchmark", &bench, "BENCH[,...]", "only these benchmarks' metrics (default: every one)"),
		OPT_STRING('l', "label", &label, "LABEL", "only this metric (as compare labels it)"),
		OPT_CHOICE(0, "method", &method, "METHOD", methods,
			   "ttest (Apache Otava's: windows and Student's t-test, the default) or permutation (MongoDB's)"),
		OPT_NUMBER(0, "alpha", &alpha, "P", 1e-12, 0.5, "the p-value a change point needs (ttest 0.001, permutation 0.05)"),
		OPT_INT(0, "min-size", &min_size, "N", 1, 100000, "shortest segment, runs (default 1)"),
		OPT_NUMBER(0, "min-change", &min_change, "PCT", 0, 1000, "ttest: ignore changes up to PCT% (default 0)"),
		OPT_INT(0, "window", &window, "N", 2, CP_MAX_WINDOW, "ttest: runs per sliding window (default 50)"),
		OPT_INT(0, "permutations", &permutations, "K", 19, 100000, "permutation: permutations per test (default 199)"),
		OPT_INT(0, "recent", &d.recent, "N", 1, 1000000, "a metric's first look: the newest runs the gate looks at (default 3)"),
		OPT_BOOL(0, "record", &d.record, "remember these change points: the next detect tells new ones from them"),
		OPT_BOOL(0, "fail-on-regression", &d.gate, "exit 3 on a new regression change point (see --recent)"),
		OPT_STRING(0, "junit", &d.junit, "FILE", "a JUnit testcase per metric, named benchmark/label"),
		OPT_STRING(0, "report", &d.report, "DIR", "DIR/BENCH.html: each metric's history drawn, its change points marked"),
		OPT_STRING(0, "host", &d.filter.host, "HOST", "only runs of this host"),
		OPT_STRING(0, "runs", &d.filter.runs, "GLOB", "only runs whose names match (nightly-*)"),
		OPT_STRING(0, "baseline", &d.baseline, "RUN", "also compare the newest run with RUN, as compare-mmtests does"),
		OPT_NUMBER(0, "threshold", &d.threshold, "PCT", 0, 1000, "--baseline's regression limit, % (default 5)"),
		OPT_BOOL('a', "all", &d.all, "show metrics with nothing to say too"),
		OPT_END()
	};
	const struct opt_usage u = { .program = "mmtests-db detect",
				     .synopsis = "[-b BENCH[,...] [-l LABEL]] [--host HOST] [--runs GLOB]\n"
						 "       [--method ttest|permutation] [--alpha P] [--min-size N] [--min-change PCT]\n"
						 "       [--window N] [--permutations K] [--recent N] [--record] [--fail-on-regression]\n"
						 "       [--baseline RUN [--threshold PCT]] [--junit FILE] [--report DIR] [--all]" };
	int first = opt_parse(argc, argv, opts, &u, 0);
	struct paths p;

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return EXIT_USAGE;
	if (first != argc) {
		err_msg("detect: unexpected '%s' (-b BENCH, -l LABEL name what to look at)", argv[first]);
		return EXIT_USAGE;
	}
	if (label && (!bench || strchr(bench, ','))) {
		err_msg("detect: -l LABEL needs one benchmark (-b BENCH)");
		return EXIT_USAGE;
	}
	cp_defaults(&d.cp, method == 1 ? CP_PERMUTATION : CP_TTEST);
	if (d.cp.method == CP_TTEST && permutations >= 0) {
		err_msg("detect: --permutations is the permutation method's (--method permutation)");
		return EXIT_USAGE;
	}
	if (d.cp.method == CP_PERMUTATION && (window >= 0 || min_change >= 0)) {
		err_msg("detect: --window and --min-change are the t-test method's (--method ttest)");
		return EXIT_USAGE;
	}
	if (alpha >= 0)
		d.cp.alpha = alpha;
	if (min_size >= 0)
		d.cp.min_size = min_size;
	if (window >= 0)
		d.cp.window = window;
	if (min_change >= 0)
		d.cp.min_change = min_change / 100;
	if (permutations >= 0)
		d.cp.permutations = permutations;
	if (paths_discover(&p))
		return EXIT_ERROR;
	int ret = detect_metrics(h, p.shellpacks, bench, label, &d, stdout);
	paths_free(&p);
	return ret;
}

static int cmd_judge(struct history *h, int argc, char **argv)
{
	struct judge_opts j = { 0 };
	const struct opt opts[] = {
		OPT_STRING('b', "benchmark", &j.bench, "BENCH", "the benchmark"),
		OPT_STRING('l', "label", &j.label, "LABEL", "the metric (default for the ends: the most significant regression)"),
		OPT_STRING(0, "good", &j.good, "CODE", "the good end's code under test (its runs' --describe)"),
		OPT_STRING(0, "bad", &j.bad, "CODE", "the bad end's"),
		OPT_STRING(0, "test", &j.test, "CODE", "judge this code: good, bad or cannot tell"),
		OPT_STRING(0, "host", &j.filter.host, "HOST", "only runs of this host"),
		OPT_STRING(0, "runs", &j.filter.runs, "GLOB", "only runs whose names match"),
		OPT_END()
	};
	const struct opt_usage u = { .program = "mmtests-db judge",
				     .synopsis = "-b BENCH [-l LABEL] --good CODE --bad CODE [--test CODE] [--host HOST] [--runs GLOB]" };
	int first = opt_parse(argc, argv, opts, &u, 0);
	struct paths p;

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return EXIT_USAGE;
	if (first != argc || !j.bench || !j.good || !j.bad) {
		err_msg("judge: give -b BENCH, --good CODE and --bad CODE (and --test CODE to judge a commit)");
		return EXIT_USAGE;
	}
	if (paths_discover(&p))
		return EXIT_ERROR;
	int ret = judge(h, p.shellpacks, &j, stdout);
	paths_free(&p);
	return ret ? EXIT_ERROR : 0;
}

int main(int argc, char **argv)
{
	const char *db_arg = NULL;
	const struct opt opts[] = {
		OPT_STRING(0, "db", &db_arg, "STORE", "an SQLite file (default work/history.sqlite, or MMTESTS_DB) or a\n"
			   "PostgreSQL connection (postgresql://HOST/DB, or libpq's 'dbname=DB ...')"),
		OPT_END()
	};
	int first, ret;

	log_set_program("mmtests-db");
	first = opt_parse(argc, argv, opts, &usage, OPT_STOP_AT_OPERAND);
	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return EXIT_USAGE;
	if (first == argc) {
		err_msg("no command: ingest, runs, series, detect or judge (mmtests-db --help)");
		return EXIT_USAGE;
	}
	const char *cmd = argv[first];
	if (strcmp(cmd, "ingest") && strcmp(cmd, "runs") && strcmp(cmd, "series") && strcmp(cmd, "detect") &&
	    strcmp(cmd, "judge")) {
		err_msg("unknown command '%s': ingest, runs, series, detect or judge", cmd);
		return EXIT_USAGE;
	}
	char *db = db_arg ? xstrdup(db_arg) : default_db();
	if (!db)
		return EXIT_ERROR;
	struct history *h = history_open(db);
	free(db);
	if (!h)
		return EXIT_ERROR;
	argc -= first;
	argv += first;
	if (!strcmp(cmd, "ingest")) {
		ret = cmd_ingest(h, argc, argv);
	} else if (!strcmp(cmd, "series")) {
		ret = cmd_series(h, argc, argv);
	} else if (!strcmp(cmd, "detect")) {
		ret = cmd_detect(h, argc, argv);
	} else if (!strcmp(cmd, "judge")) {
		ret = cmd_judge(h, argc, argv);
	} else {
		struct strbuf out = STRBUF_INIT;
		ret = history_runs(h, &out) ? EXIT_ERROR : 0;
		fputs(out.buf, stdout);
		sb_release(&out);
	}
	history_close(h);
	return ret;
}
