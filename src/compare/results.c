#include "results.h"
#include "parse_cache.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "run_json.h"
#include "log.h"
#include "shellpack_run.h"
#include "tree.h"
#include "tsv.h"
#include "xalloc.h"

static struct series *series_get(struct run_results *r, const char *label, const char *metric)
{
	/* Lines of one label come in runs: the last hit is the likely one. */
	static int last;

	if (last < r->ns && !strcmp(r->s[last].label, label))
		return &r->s[last];
	for (int i = 0; i < r->ns; i++) {
		if (!strcmp(r->s[i].label, label)) {
			last = i;
			return &r->s[i];
		}
	}
	if (r->ns == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->s = xrealloc(r->s, r->cap * sizeof(*r->s));
	}
	struct series *s = &r->s[r->ns];
	memset(s, 0, sizeof(*s));
	s->label = xstrdup(label);
	s->metric = xstrdup(metric);
	last = r->ns++;
	return s;
}

static void series_add(struct series *s, double v, int iter)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(double));
		s->iter = xrealloc(s->iter, s->cap * sizeof(int));
	}
	s->iter[s->n] = iter;
	s->v[s->n++] = v;
}

void results_add(struct run_results *r, const char *label, const char *metric, int iter, double v)
{
	series_add(series_get(r, label, metric), v, iter);
}

struct series *results_find(struct run_results *r, const char *label)
{
	for (int i = 0; i < r->ns; i++)
		if (!strcmp(r->s[i].label, label))
			return &r->s[i];
	return NULL;
}

void results_keep(struct run_results *r, int (*keep)(const struct series *s, void *ctx), void *ctx)
{
	int k = 0;

	for (int i = 0; i < r->ns; i++) {
		if (keep(&r->s[i], ctx)) {
			r->s[k++] = r->s[i];
		} else {
			free(r->s[i].label);
			free(r->s[i].metric);
			free(r->s[i].v);
			free(r->s[i].iter);
		}
	}
	r->ns = k;
}

void results_free(struct run_results *r)
{
	for (int i = 0; i < r->ns; i++) {
		free(r->s[i].label);
		free(r->s[i].metric);
		free(r->s[i].v);
		free(r->s[i].iter);
	}
	free(r->s);
	free(r->name);
	memset(r, 0, sizeof(*r));
}

/* A parse-results.tsv larger than this is not a cache we wrote. */
#define RESULTS_CACHE_MAX (256u << 20)

int results_parse_tsv(struct run_results *r, char *text, const char *what)
{
	int lineno = 0;

	for (char *p = text; *p; ) {
		char *nl = strchr(p, '\n');
		struct tsv_row row;
		const char *why;
		char label[512];

		if (nl)
			*nl = '\0';
		lineno++;
		if (*p) {
			char *copy = xstrdup(p);
			if (tsv_parse_line(p, &row, &why)) {
				err_msg("%s: line %d: \"%.100s%s\": %s", what, lineno, copy,
					strlen(copy) > 100 ? "..." : "", why);
				free(copy);
				return -EINVAL;
			}
			free(copy);
			tsv_label(&row, label, sizeof(label));
			series_add(series_get(r, label, row.metric), row.value, r->cur_iter);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* A tree without our cache (one MMTests wrote): the shellpack reads it. */
static int run_parse_results(struct run_results *r, const char *shellpacks,
			     const char *bench, const char *logs)
{
	struct shellpack_meta m;
	struct strbuf out = STRBUF_INIT;
	int ret;

	ret = shellpack_lookup(shellpacks, bench, &m);
	if (ret == -ENOENT) {
		err_msg("%s has no parse-results cache and no shellpack '%s' can read it", logs, bench);
		return -ENOENT;
	}
	if (ret)
		return ret;
	ret = parse_cache_get(&m, logs, &out);
	if (!ret && out.len) {
		char *what = xasprintf("%s/parse-results %s output", m.dir, logs);
		ret = results_parse_tsv(r, out.buf, what);
		free(what);
	}
	r->from_parse_results = 1;
	sb_release(&out);
	shellpack_meta_free(&m);
	return ret;
}

int results_check_run(const char *logdir, const char *run)
{
	char *rundir = tree_run_dir(logdir, run);
	int *iters, n = tree_iterations(rundir, &iters);

	free(iters);
	/* run-kvm's RUN-host has no iterations, only run-wide monitors */
	if (n > 0 || tree_is_host_dir(rundir)) {
		free(rundir);
		return 0;
	}
	struct strbuf have = STRBUF_INIT;
	struct dirent **ents;
	int m = scandir(logdir, &ents, NULL, alphasort);
	for (int i = 0; i < m; i++) {
		if (ents[i]->d_name[0] != '.') {
			char *p = path_join(logdir, ents[i]->d_name);
			int *it, k = tree_iterations(p, &it);
			free(it);
			if (k > 0)
				sb_addf(&have, " %s", ents[i]->d_name);
			free(p);
		}
		free(ents[i]);
	}
	if (m >= 0)
		free(ents);
	err_msg("no run '%s' in %s (%s); runs there:%s", run, logdir,
		is_dir(rundir) ? "no iter-* directories" : "not found",
		have.len ? have.buf : " none");
	sb_release(&have);
	free(rundir);
	return -ENOENT;
}

void results_prefetch(const char *logdir, char **runs, int nruns, const char *bench,
		      const char *shellpacks)
{
	struct shellpack_meta m;
	char **logs = NULL;
	int n = 0;

	if (shellpack_lookup(shellpacks, bench, &m))
		return;
	for (int r = 0; r < nruns; r++) {
		char *rundir = tree_run_dir(logdir, runs[r]), *runjson = tree_run_json(rundir);
		int *iters = NULL, k = is_file(runjson) ? 0 : tree_iterations(rundir, &iters);

		for (int i = 0; i < k; i++) {	/* MMTests's trees only: ours have caches */
			char *idir = tree_iter_dir(rundir, iters[i]);
			char *cache = tree_test_cache(idir, bench), *l = tree_test_logs(idir, bench);
			if (!is_file(cache) && is_dir(l)) {
				logs = xrealloc(logs, (n + 1) * sizeof(char *));
				logs[n++] = l;
			} else {
				free(l);
			}
			free(cache);
			free(idir);
		}
		free(iters);
		free(runjson);
		free(rundir);
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (n > 1)
		parse_cache_fill(&m, logs, n, cpus > 1 ? (int)cpus : 1);
	for (int i = 0; i < n; i++)
		free(logs[i]);
	free(logs);
	shellpack_meta_free(&m);
}

int results_load(const char *logdir, const char *run, const char *bench,
		 const char *shellpacks, struct run_results *out)
{
	char *rundir = tree_run_dir(logdir, run);
	char *runjson = tree_run_json(rundir);
	/* Our trees cache every test that finished; a test dir without the
	 * cache did not (interrupted, failed). Only a tree MMTests wrote (no
	 * run.json) has its logs parsed here. */
	int ours = is_file(runjson);
	int *iters, n, ret = 0;

	free(runjson);
	memset(out, 0, sizeof(*out));
	out->name = xstrdup(run);
	n = tree_iterations(rundir, &iters);
	for (int i = 0; i < n && !ret; i++) {
		char *idir = tree_iter_dir(rundir, iters[i]);
		char *cache = tree_test_cache(idir, bench);
		char *logs = tree_test_logs(idir, bench);
		struct strbuf b = STRBUF_INIT;

		out->cur_iter = iters[i];
		if (is_file(cache) && read_file_bounded(cache, &b, RESULTS_CACHE_MAX) == 0) {
			ret = results_parse_tsv(out, b.buf, cache);
			out->iterations++;
		} else if (!ours && is_dir(logs)) {
			ret = run_parse_results(out, shellpacks, bench, logs);
			out->iterations++;
		}
		sb_release(&b);
		free(logs);
		free(cache);
		free(idir);
	}
	free(iters);
	if (!ret && !out->ns) {
		err_msg("run '%s' has no results for %s in %s", run, bench, rundir);
		ret = -ENOENT;
	}
	free(rundir);
	return ret;
}

static int has_name(char **v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

/* Whether a test has results in some iteration: in our trees (ours) a
 * cache, which only a finished test has; in MMTests's its logs. */
static int has_results(const char *rundir, const int *iters, int n, const char *test, int ours)
{
	int found = 0;

	for (int i = 0; i < n && !found; i++) {
		char *idir = tree_iter_dir(rundir, iters[i]);
		char *p = ours ? tree_test_cache(idir, test) : tree_test_logs(idir, test);
		found = ours ? is_file(p) : is_dir(p);
		free(p);
		free(idir);
	}
	return found;
}

int results_benchmarks(const char *logdir, const char *run, int unfinished, char ***names, int *count)
{
	char *rundir = tree_run_dir(logdir, run);
	char *runjson = tree_run_json(rundir);
	int *iters, n = tree_iterations(rundir, &iters), k = 0, ours = is_file(runjson);
	int need_cache = ours && !unfinished;
	char **v = NULL;
	struct run_record rec;

	/* run.json gives MMTESTS's order; then whatever else the tree has.
	 * A test interrupted before it finished once is not listed. */
	if (ours && run_json_read(runjson, &rec, 1) == 0) {
		for (int i = 0; i < rec.ntests; i++) {
			if (!tree_name_ok(rec.mmtests[i]))
				continue;	/* not a test directory of this tree */
			if (has_results(rundir, iters, n, rec.mmtests[i], need_cache) &&
			    !has_name(v, k, rec.mmtests[i])) {
				v = xrealloc(v, (k + 1) * sizeof(char *));
				v[k++] = xstrdup(rec.mmtests[i]);
			}
		}
		run_record_free(&rec);
	}
	for (int i = 0; i < n; i++) {
		char *idir = tree_iter_dir(rundir, iters[i]);
		struct dirent **ents;
		int m = scandir(idir, &ents, NULL, alphasort);
		for (int j = 0; j < m; j++) {
			char *logs = tree_test_logs(idir, ents[j]->d_name);
			if (ents[j]->d_name[0] != '.' && is_dir(logs) && !has_name(v, k, ents[j]->d_name) &&
			    (!need_cache || has_results(rundir, iters, n, ents[j]->d_name, 1))) {
				v = xrealloc(v, (k + 1) * sizeof(char *));
				v[k++] = xstrdup(ents[j]->d_name);
			}
			free(logs);
			free(ents[j]);
		}
		if (m >= 0)
			free(ents);
		free(idir);
	}
	free(iters);
	free(runjson);
	free(rundir);
	*names = v;
	*count = k;
	return 0;
}
