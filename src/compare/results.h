/* Reading a run's results tree: the samples of one benchmark, pooled over
 * iterations (from the TSV cache, or parse-results for foreign trees),
 * the benchmarks a run holds, and tests-timestamp durations. */
#ifndef MMT_RESULTS_H
#define MMT_RESULTS_H

#include "strbuf.h"

struct series {
	char *label;		/* metric[-factorA][-factorB] */
	char *metric;
	double *v;
	int *iter;		/* iteration of each sample */
	int n, cap;
};

struct run_results {
	char *name;
	struct series *s;
	int ns, cap;
	int iterations;		/* iterations that had this benchmark */
	int from_parse_results;	/* read by running parse-results */
	int cur_iter;		/* iteration being read */
};

/* 0, -ENOENT (the run has no such benchmark: reported), or another
 * negative errno (reported). shellpacks: root to find parse-results. */
int results_load(const char *logdir, const char *run, const char *bench,
		 const char *shellpacks, struct run_results *out);
void results_free(struct run_results *r);
/* Drop the series keep() says no to. */
void results_keep(struct run_results *r, int (*keep)(const struct series *s, void *ctx), void *ctx);
struct series *results_find(struct run_results *r, const char *label);
/* A sample of label (of metric) in iteration iter, as a reader other than
 * parse-results (the history) found it; r->iterations is the caller's. */
void results_add(struct run_results *r, const char *label, const char *metric, int iter, double v);

/* Does logdir/run exist as a results tree? When not, report and list what
 * is there. */
int results_check_run(const char *logdir, const char *run);
/* Parse, in parallel across CPUs, every iteration of bench in the runs
 * MMTests wrote that the cache lacks (parse_cache.h): a first read of a
 * big foreign tree costs its slowest parse-results, not their sum. */
void results_prefetch(const char *logdir, char **runs, int nruns, const char *bench,
		      const char *shellpacks);
/* Benchmarks of a run, in run.json's order when it has one; in our trees
 * only those that finished an iteration, unless unfinished (their monitor
 * logs are worth reading). */
int results_benchmarks(const char *logdir, const char *run, int unfinished, char ***names, int *n);

/* Add parse-results lines (text is modified); what names the source in
 * errors. */
int results_parse_tsv(struct run_results *r, char *text, const char *what);
#endif
