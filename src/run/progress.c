#include "progress.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "run.h"
#include "spawn.h"
#include "tree.h"
#include "xalloc.h"

/* One run per process: the state lives here. */
static struct {
	int tty, verbose;
	double t0;		/* monotonic, at progress_start */
	double *prev;		/* seconds per iteration of each test in an earlier run; < 0 unknown */
	char *prev_run;		/* that run's name */
	int iter, test;		/* running now */
	double test_elapsed;
	char *log;		/* its bench.log */
	long log_off;
	char last[200];		/* the benchmark's latest line */
	int shown;		/* a status line is on the terminal */
} P;

const char *progress_duration(double secs, char *buf, int len)
{
	long s = (long)(secs + 0.5);

	if (secs < 60)
		snprintf(buf, len, "%.1f s", secs);
	else if (s < 3600)
		snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
	else
		snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	return buf;
}

static void clear_line(void)
{
	if (P.shown) {
		fputs("\r\033[K", stderr);
		P.shown = 0;
	}
}

static int same_tests(const struct run *r, const struct run_record *rec)
{
	if (rec->kind != RUN_KIND_MMTESTS || rec->ntests != r->ntests)
		return 0;
	for (int t = 0; t < r->ntests; t++)
		if (strcmp(rec->mmtests[t], r->tests[t].name))
			return 0;
	return 1;
}

/* Mean seconds of test t's finished iterations in rec; -1 when none. */
static double mean_done(const struct run_record *rec, int t)
{
	double sum = 0;
	int n = 0;

	for (int i = 0; i < rec->iterations; i++) {
		const struct test_record *tr = &rec->iters[i].tests[t];
		if (tr->status == ST_DONE && tr->ran) {
			sum += tr->elapsed;
			n++;
		}
	}
	return n ? sum / n : -1;
}

/* The newest other run under logbase with the same tests, for estimates
 * before this run has finished an iteration of each. */
static void find_previous(const struct run *r)
{
	struct dirent **ents;
	int n = scandir(r->logbase, &ents, NULL, NULL);
	time_t newest = 0;

	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		if (name[0] != '.' && strcmp(name, r->opts.runname)) {
			char *dir = path_join(r->logbase, name);
			char *json = path_join(dir, "run.json");
			struct run_record rec;
			memset(&rec, 0, sizeof(rec));
			if (is_file(json) && !run_json_read(json, &rec, 1) && same_tests(r, &rec) &&
			    rec.start.epoch > newest) {
				int any = 0;
				for (int t = 0; t < r->ntests; t++)
					any |= mean_done(&rec, t) >= 0;
				if (any) {
					newest = rec.start.epoch;
					for (int t = 0; t < r->ntests; t++)
						P.prev[t] = mean_done(&rec, t);
					free(P.prev_run);
					P.prev_run = xstrdup(name);
				}
			}
			run_record_free(&rec);
			free(json);
			free(dir);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

void progress_start(struct run *r, int verbose)
{
	const char *term = getenv("TERM");

	P.tty = isatty(STDERR_FILENO) && term && strcmp(term, "dumb");
	P.verbose = verbose;
	P.t0 = monotonic_now();
	P.prev = xcalloc(r->ntests, sizeof(double));
	for (int t = 0; t < r->ntests; t++)
		P.prev[t] = -1;
	find_previous(r);
	if (P.prev_run)
		info_msg("timings from run %s give the ETA until this run has its own", P.prev_run);
	log_set_before_print(clear_line);
}

/* Seconds one iteration of test t takes: this run's finished ones, else
 * the earlier run's; -1 unknown. */
static double estimate(struct run *r, int t)
{
	double m = mean_done(&r->state, t);

	return m >= 0 ? m : P.prev[t];
}

/* Seconds left in the run, or -1 when a test's duration is unknown. */
static double eta(struct run *r)
{
	double left = 0, e;

	for (int i = P.iter; i < r->iterations; i++)
		for (int t = 0; t < r->ntests; t++) {
			if (i == P.iter && t < P.test)
				continue;
			if (run_state_test(r, i, t)->status == ST_DONE && !(i == P.iter && t == P.test))
				continue;
			if ((e = estimate(r, t)) < 0)
				return -1;
			if (i == P.iter && t == P.test)
				e = e > P.test_elapsed ? e - P.test_elapsed : 0;
			left += e;
		}
	return left;
}

void progress_test_begin(struct run *r, int iter, int test, const char *log)
{
	P.iter = iter;
	P.test = test;
	P.test_elapsed = 0;
	P.last[0] = '\0';
	free(P.log);
	P.log = xstrdup(log);
	P.log_off = 0;
	info_msg("iteration %d/%d: %s", iter + 1, r->iterations, r->tests[test].name);
}

/* New whole lines of bench.log: copied with -v; the last one kept for
 * the status line. */
static void read_log(void)
{
	FILE *f = fopen(P.log, "r");
	static char buf[256 * 1024];
	size_t n = 0;

	if (!f)
		return;
	if (fseek(f, P.log_off, SEEK_SET) == 0)
		n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = buf, *nl;
	while ((nl = strchr(p, '\n'))) {	/* (half a line waits for the rest) */
		*nl = '\0';
		P.log_off += (long)(nl - p) + 1;
		if (*p) {
			if (P.verbose) {
				clear_line();
				fprintf(stderr, "  | %s\n", p);
			}
			const char *text = strncmp(p, "INFO: ", 6) ? p : p + 6;
			size_t len = strnlen(text, sizeof(P.last) - 1);	/* (the line's start is enough) */
			memcpy(P.last, text, len);
			P.last[len] = '\0';
		}
		p = nl + 1;
	}
	if (p == buf && n == sizeof(buf) - 1)
		P.log_off += (long)n;	/* one line longer than the buffer: skipped */
}

static int term_width(void)
{
	struct winsize ws;

	return ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
}

void progress_tick(void *arg, double elapsed)
{
	struct run *r = arg;
	char a[32], b[32], c[48], d[32], line[512];
	double left;

	P.test_elapsed = elapsed;
	read_log();
	if (!P.tty)
		return;
	left = eta(r);
	if (left < 0)
		snprintf(c, sizeof(c), "ETA after iteration 1");
	else if (left < 1)
		snprintf(c, sizeof(c), "about done");
	else
		snprintf(c, sizeof(c), "%s left", progress_duration(left, d, sizeof(d)));
	int n = snprintf(line, sizeof(line), "[iter %d/%d, test %d/%d] %s %s | run %s, %s", P.iter + 1,
			 r->iterations, P.test + 1, r->ntests, r->tests[P.test].name,
			 progress_duration(elapsed, a, sizeof(a)),
			 progress_duration(monotonic_now() - P.t0, b, sizeof(b)), c);
	if (P.last[0] && n > 0 && n < (int)sizeof(line))
		snprintf(line + n, sizeof(line) - n, " | %s", P.last);
	int w = term_width() - 1;
	if ((int)strlen(line) > w)
		line[w] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	P.shown = 1;
}

static int count_samples(struct run *r, int iter, int test)
{
	char *iterdir = tree_iter_dir(r->rundir, iter);
	char *cache = tree_test_cache(iterdir, r->tests[test].name);
	struct strbuf b = STRBUF_INIT;
	int n = 0;

	if (read_file_if_exists(cache, &b) == 0)
		for (size_t i = 0; i < b.len; i++)
			n += b.buf[i] == '\n';
	sb_release(&b);
	free(cache);
	free(iterdir);
	return n;
}

void progress_test_end(struct run *r, int iter, int test)
{
	const struct test_record *tr = run_state_test(r, iter, test);
	char a[32], b[32];
	double left;

	if (P.log)
		read_log();
	clear_line();
	P.test = test + 1;	/* the ETA from here on */
	if (P.test == r->ntests) {
		P.test = 0;
		P.iter = iter + 1;
	}
	P.test_elapsed = 0;
	left = P.iter < r->iterations ? eta(r) : 0;
	if (tr->status == ST_DONE)
		info_msg("%s iteration %d/%d: done in %s, %d samples%s%s%s", r->tests[test].name, iter + 1,
			 r->iterations, progress_duration(tr->elapsed, a, sizeof(a)), count_samples(r, iter, test),
			 left > 0 ? " (about " : "", left > 0 ? progress_duration(left, b, sizeof(b)) : "",
			 left > 0 ? " left)" : "");
	else if (tr->ran)
		info_msg("%s iteration %d/%d: %s after %s", r->tests[test].name, iter + 1, r->iterations,
			 run_status_name(tr->status), progress_duration(tr->elapsed, a, sizeof(a)));
}

void progress_summary(struct run *r)
{
	char a[32];
	int w = 4;

	clear_line();
	log_set_before_print(NULL);
	for (int t = 0; t < r->ntests; t++)
		if ((int)strlen(r->tests[t].name) > w)
			w = strlen(r->tests[t].name);
	fprintf(stderr, "%s: %s in %s:\n", log_program(), r->opts.runname,
		progress_duration(monotonic_now() - P.t0, a, sizeof(a)));
	fprintf(stderr, "  %-*s  %-10s  %-14s  %10s  %7s\n", w, "test", "iterations", "status", "mean", "samples");
	for (int t = 0; t < r->ntests; t++) {
		int done = 0, ran = 0, samples = 0;
		const char *worst = "pending";
		for (int i = 0; i < r->iterations; i++) {
			const struct test_record *tr = run_state_test(r, i, t);
			if (tr->status == ST_DONE) {
				done++;
				samples += count_samples(r, i, t);
			} else if (tr->status != ST_PENDING) {
				worst = run_status_name(tr->status);
			}
			ran += tr->status != ST_PENDING;
		}
		double m = mean_done(&r->state, t);
		char its[32], status[32];
		snprintf(its, sizeof(its), "%d/%d", done, r->iterations);
		if (done == r->iterations)
			snprintf(status, sizeof(status), "done");
		else if (ran == done)
			snprintf(status, sizeof(status), "%s", done ? "not all run" : "not run");
		else
			snprintf(status, sizeof(status), "%s", worst);
		fprintf(stderr, "  %-*s  %-10s  %-14s  %10s  %7d\n", w, r->tests[t].name, its, status,
			m >= 0 ? progress_duration(m, a, sizeof(a)) : "-", samples);
	}
	free(P.prev);
	free(P.prev_run);
	free(P.log);
	memset(&P, 0, sizeof(P));
}
