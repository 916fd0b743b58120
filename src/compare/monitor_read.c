#include "monitor_read.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "gzfile.h"
#include "log.h"
#include "tree.h"
#include "xalloc.h"

static const char readable[] = "vmstat mpstat proc-vmstat perf-time-stat dirty-rate";

int monitor_readable(const char *m)
{
	return !strcmp(m, "vmstat") || !strcmp(m, "mpstat") || !strcmp(m, "proc-vmstat") ||
	       !strcmp(m, "perf-time-stat") || !strcmp(m, "dirty-rate");
}

const char *monitor_readable_list(void)
{
	return readable;
}

/* "  1795438320.9529   0.0001     0.0001 -- text": keep the text. */
static char *strip_latency(char *l)
{
	char *dash = strstr(l, " -- ");

	if (!dash)
		return l;
	for (char *p = l; p < dash; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != ' ')
			return l;
	return dash + 4;
}

static void add(struct run_results *r, const char *label, double v)
{
	struct series *s = results_find(r, label);

	if (!s) {
		r->s = xrealloc(r->s, (r->ns + 1) * sizeof(*r->s));
		s = &r->s[r->ns++];
		memset(s, 0, sizeof(*s));
		s->label = xstrdup(label);
		s->metric = xstrdup(label);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(double));
		s->iter = xrealloc(s->iter, s->cap * sizeof(int));
	}
	s->iter[s->n] = r->cur_iter;
	s->v[s->n++] = v;
}

static int split(char *l, char **w, int max)
{
	int n = 0;

	for (char *t = strtok(l, " \t"); t && n < max; t = strtok(NULL, " \t"))
		w[n++] = t;
	return n;
}

static int numeric(const char *s)
{
	char *end;

	strtod(s, &end);
	return end != s && *end == '\0';
}

static void parse_vmstat(char **lines, int n, struct run_results *r)
{
	char cols[32][16], *w[40];
	int ncols = 0, data = 0;

	for (int i = 0; i < n; i++) {
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s", lines[i]);
		int k = split(buf, w, 40);
		if (k > 4 && !strcmp(w[0], "r") && !strcmp(w[1], "b")) {
			ncols = k < 32 ? k : 32;
			for (int j = 0; j < ncols; j++)
				snprintf(cols[j], sizeof(cols[j]), "%s", w[j]);
			continue;
		}
		if (!ncols || k != ncols || !numeric(w[0]))
			continue;
		if (data++ == 0)
			continue;	/* the first line covers the time since boot */
		for (int j = 0; j < ncols; j++)
			add(r, cols[j], strtod(w[j], NULL));
	}
}

static void parse_mpstat(char **lines, int n, struct run_results *r)
{
	char cols[16][16], *w[24];
	int ncols = 0, block = 0;

	for (int i = 0; i < n; i++) {
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s", lines[i]);
		int k = split(buf, w, 24);
		/* MMTests runs in locales with "AM/PM": skip it when there */
		int off = k > 2 && (!strcmp(w[1], "AM") || !strcmp(w[1], "PM")) ? 1 : 0;
		if (k > 3 + off && !strcmp(w[1 + off], "CPU")) {
			ncols = 0;
			for (int j = 2 + off; j < k && ncols < 16; j++)
				snprintf(cols[ncols++], sizeof(cols[0]), "%s", w[j][0] == '%' ? w[j] + 1 : w[j]);
			block++;
			continue;
		}
		if (!ncols || k != ncols + 2 + off || block < 2 || strchr(w[0], ':') == NULL)
			continue;	/* block 1 covers the time since boot (ours) */
		for (int j = 0; j < ncols; j++) {
			char label[300];
			snprintf(label, sizeof(label), "%s-%s", w[1 + off], cols[j]);
			add(r, label, strtod(w[2 + off + j], NULL));
		}
	}
}

struct counter {
	char name[64];
	double last;
	int seen;
};

static int moved(const struct series *s, void *ctx)
{
	double sum = 0;

	for (int i = 0; i < s->n; i++)
		sum += s->v[i];
	return sum != 0;
}

static void parse_proc_vmstat(char **lines, int n, struct run_results *r)
{
	struct counter *c = NULL;
	int nc = 0;

	for (int i = 0; i < n; i++) {
		char name[64];
		double v;
		if (sscanf(lines[i], "%63s %lf", name, &v) != 2 || !strcmp(name, "time:"))
			continue;
		if (!strncmp(name, "nr_", 3))
			continue;	/* gauges, not counters */
		int j;
		for (j = 0; j < nc && strcmp(c[j].name, name); j++)
			;
		if (j == nc) {
			c = xrealloc(c, (nc + 1) * sizeof(*c));
			memset(&c[nc], 0, sizeof(*c));
			snprintf(c[nc].name, sizeof(c[nc].name), "%s", name);
			nc++;
		}
		if (c[j].seen)
			add(r, name, v - c[j].last);
		c[j].last = v;
		c[j].seen = 1;
	}
	results_keep(r, moved, NULL);	/* counters that never moved say nothing */
	free(c);
}

static void parse_perf_stat(char **lines, int n, struct run_results *r)
{
	for (int i = 0; i < n; i++) {
		char value[64], event[128], *p = lines[i];
		while (*p == ' ')
			p++;
		if (sscanf(p, "%63s %127s", value, event) != 2 || !isdigit((unsigned char)value[0]))
			continue;
		if (!strcmp(event, "seconds") || !strcmp(event, "msec"))
			continue;
		char digits[64];
		int k = 0;
		for (char *q = value; *q && k < 63; q++)
			if (*q != ',')
				digits[k++] = *q;
		digits[k] = '\0';
		if (numeric(digits))
			add(r, event, strtod(digits, NULL));
	}
}

/* "time: <epoch>", then "<vm> <MB/s> <mode>": one series per VM. */
static void parse_dirty_rate(char **lines, int n, struct run_results *r)
{
	for (int i = 0; i < n; i++) {
		char vm[128], mode[32];
		double v;
		if (sscanf(lines[i], "%127s %lf %31s", vm, &v, mode) == 3 && strcmp(vm, "time:"))
			add(r, vm, v);
	}
}

/* One vmstat column as MMTests's MonitorVmstat reads it: every line whose
 * field is a number (the first, since-boot line too), free in MiB, CPU
 * percentages capped at 100, ussy the user share of us+sy, totalcpu
 * us+sy. 0, or -EINVAL for a field it does not know. */
static const char *const vmstat_cols[] = { "r", "b", "swpd", "free", "buff", "cache", "si", "so",
					   "bi", "bo", "in", "cs", "us", "sy", "id", "wa", "st" };

int vmstat_mmtests_field_ok(const char *field)
{
	for (size_t i = 0; i < sizeof(vmstat_cols) / sizeof(vmstat_cols[0]); i++)
		if (!strcmp(field, vmstat_cols[i]))
			return 1;
	return !strcmp(field, "ussy") || !strcmp(field, "totalcpu");
}

/* A field as Perl reads a number: its leading numeric part, 0 without one
 * (and for a field that is not there). */
static double perl_num(const char *s)
{
	return s ? strtod(s, NULL) : 0;
}

/* MonitorVmstat.pm line by line: the text after the first "--" (or all of
 * it), split on white space; free is divided by 1024 and ussy/totalcpu
 * computed even on header lines (Perl makes a word 0, so they count as
 * 0); a CPU percentage over 100 is 100; anything else that is not a number
 * is skipped (looks_like_number). */
static void parse_vmstat_mmtests(char **lines, int n, const char *field, struct run_results *r)
{
	int col = -1;

	for (size_t i = 0; i < sizeof(vmstat_cols) / sizeof(vmstat_cols[0]); i++)
		if (!strcmp(field, vmstat_cols[i]))
			col = i;
	for (int i = 0; i < n; i++) {
		char buf[1024], *w[40], *d = strstr(lines[i], "--");
		snprintf(buf, sizeof(buf), "%s", d ? d + 2 : lines[i]);
		if (d && (d = strstr(buf, "--")))
			*d = '\0';	/* split(/--/): the second piece ends at the next one */
		int k = split(buf, w, 40);
		double v;
		if (col == 3) {
			v = perl_num(k > 3 ? w[3] : NULL) / 1024;
		} else if (col >= 0) {
			if (k <= col || !numeric(w[col]))
				continue;
			v = strtod(w[col], NULL);
			if (col >= 12 && v > 100)
				v = 100;
		} else {
			double us = perl_num(k > 12 ? w[12] : NULL), sy = perl_num(k > 13 ? w[13] : NULL);
			v = !strcmp(field, "totalcpu") ? us + sy : us == 0 && sy == 0 ? 0 : us / (us + sy);
		}
		add(r, field, v);
	}
}

/* text's lines (text is modified), with the latency prefix cut when
 * strip; *n of them. */
static char **split_lines(char *text, int strip, int *n)
{
	char **lines = NULL, *save = NULL;
	int cap = 0;

	*n = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			lines = xrealloc(lines, cap * sizeof(char *));
		}
		lines[(*n)++] = strip ? strip_latency(l) : l;
	}
	return lines;
}

void monitor_parse(const char *monitor, char *text, struct run_results *r)
{
	int n;
	char **lines = split_lines(text, 1, &n);

	if (!strcmp(monitor, "vmstat"))
		parse_vmstat(lines, n, r);
	else if (!strcmp(monitor, "mpstat"))
		parse_mpstat(lines, n, r);
	else if (!strcmp(monitor, "proc-vmstat"))
		parse_proc_vmstat(lines, n, r);
	else if (!strcmp(monitor, "perf-time-stat"))
		parse_perf_stat(lines, n, r);
	else if (!strcmp(monitor, "dirty-rate"))
		parse_dirty_rate(lines, n, r);
	free(lines);
}

/* More than this (decompressed) is not a monitor log of a run: the rest
 * is left unread. */
#define MONITOR_LOG_MAX (1u << 30)

static int read_log(const char *path, struct strbuf *out, int *truncated)
{
	return gz_read_file(path, out, MONITOR_LOG_MAX, truncated);
}

static void parse_field(const char *field, char *text, struct run_results *r)
{
	int n;
	char **lines = split_lines(text, 0, &n);	/* MMTests splits at "--" itself */

	parse_vmstat_mmtests(lines, n, field, r);
	free(lines);
}

/* dir/<monitor>-<bench>[.gz] into out as iteration iter: 1 when found. */
static int load_file(const char *dir, const char *monitor, const char *bench, const char *field,
		     int iter, struct run_results *out, int *truncated)
{
	char *gz = tree_monitor_file(dir, monitor, bench, 1);
	char *plain = tree_monitor_file(dir, monitor, bench, 0);
	const char *path = is_file(gz) ? gz : is_file(plain) ? plain : NULL;
	struct strbuf b = STRBUF_INIT;
	int found = 0;

	if (path && read_log(path, &b, truncated) == 0) {
		out->cur_iter = iter;
		if (field)
			parse_field(field, b.buf, out);
		else
			monitor_parse(monitor, b.buf, out);
		out->iterations++;
		found = 1;
	}
	sb_release(&b);
	free(gz);
	free(plain);
	return found;
}

int monitor_load(const char *logdir, const char *run, const char *monitor, const char *bench,
		 const char *field, struct run_results *out, int *truncated)
{
	char *rundir = tree_run_dir(logdir, run);
	int *iters, n, found = 0;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(run);
	*truncated = 0;
	n = tree_iterations(rundir, &iters);
	for (int i = 0; i < n; i++) {
		char *idir = tree_iter_dir(rundir, iters[i]);
		found += load_file(idir, monitor, bench, field, iters[i], out, truncated);
		free(idir);
	}
	free(iters);
	/* run-kvm's RUN-host: monitors of the whole run, beside run.json */
	if (!found)
		found += load_file(rundir, monitor, bench, field, 0, out, truncated);
	free(rundir);
	if (!found) {
		err_msg("run '%s' has no %s log for %s", run, monitor, bench);
		return -ENOENT;
	}
	if (!out->ns) {
		err_msg("run '%s': the %s log of %s has no samples", run, monitor, bench);
		return -ENOENT;
	}
	return 0;
}
