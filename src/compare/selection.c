#include "selection.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "monitor_read.h"
#include "run_json.h"
#include "tree.h"
#include "xalloc.h"

int selection_resolve(struct selection *s)
{
	int ret;

	if ((ret = paths_discover(&s->paths)))
		return ret;
	s->logdir = s->directory ? xstrdup(s->directory) : tree_logdir(s->paths.work);
	if (!s->names_arg || !*s->names_arg) {
		err_msg("no runs given: use -n RUN[,RUN...]");
		return -EINVAL;
	}
	char *copy = xstrdup(s->names_arg), *save = NULL;
	s->names = xcalloc(strlen(copy) + 1, sizeof(char *));
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		s->names[s->nnames++] = xstrdup(t);
	free(copy);
	if (!s->nnames) {
		err_msg("no runs given: use -n RUN[,RUN...]");
		return -EINVAL;
	}
	for (int i = 0; i < s->nnames; i++)
		if ((ret = results_check_run(s->logdir, s->names[i])))
			return ret;
	if (s->subheading) {
		char *anchored = xasprintf("^(%s)", s->subheading);
		int rc = regcomp(&s->re, anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc) {
			char msg[256];
			regerror(rc, &s->re, msg, sizeof(msg));
			err_msg("--sub-heading '%s': %s", s->subheading, msg);
			return -EINVAL;
		}
		s->have_re = 1;
	}
	if (s->bench) {
		s->benches = xcalloc(2, sizeof(char *));
		s->benches[0] = xstrdup(s->bench);
		s->nbenches = 1;
	} else {
		results_benchmarks(s->logdir, s->names[0], s->monitors, &s->benches, &s->nbenches);
		if (!s->nbenches) {
			err_msg("run '%s' in %s holds no benchmark results", s->names[0], s->logdir);
			return -ENOENT;
		}
	}
	return 0;
}

static int matches(const struct series *s, void *re)
{
	return regexec(re, s->label, 0, NULL, 0) == 0;
}

static void filter(struct run_results *r, regex_t *re)
{
	results_keep(r, matches, re);
}

int selection_load(struct selection *s, const char *bench, struct run_results **runs)
{
	struct run_results *v = xcalloc(s->nnames, sizeof(*v));
	int ret = 0;

	results_prefetch(s->logdir, s->names, s->nnames, bench, s->paths.shellpacks);
	for (int i = 0; i < s->nnames && !ret; i++) {
		ret = results_load(s->logdir, s->names[i], bench, s->paths.shellpacks, &v[i]);
		if (!ret && s->have_re) {
			filter(&v[i], &s->re);
			if (!v[i].ns) {
				err_msg("%s: no label of run '%s' starts with --sub-heading '%s'",
					bench, s->names[i], s->subheading);
				ret = -ENOENT;
			}
		}
	}
	if (ret) {
		for (int i = 0; i < s->nnames; i++)
			results_free(&v[i]);
		free(v);
		return ret;
	}
	*runs = v;
	return 0;
}

int selection_load_monitor(struct selection *s, const char *monitor, const char *bench,
			   const char *field, struct run_results **runs)
{
	struct run_results *v = xcalloc(s->nnames, sizeof(*v));
	int ret = 0, truncated;

	for (int r = 0; r < s->nnames && !ret; r++) {
		ret = monitor_load(s->logdir, s->names[r], monitor, bench, field, &v[r], &truncated);
		if (truncated)
			warn_msg("%s: %d %s log%s of run %s end early (killed run?): read up to the cut",
				 bench, truncated, monitor, truncated == 1 ? "" : "s", s->names[r]);
		if (!ret && s->have_re && !field)
			filter(&v[r], &s->re);
	}
	if (ret) {
		for (int r = 0; r < s->nnames; r++)
			results_free(&v[r]);
		free(v);
		return ret;
	}
	*runs = v;
	return 0;
}

void selection_free(struct selection *s)
{
	for (int i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	for (int i = 0; i < s->nbenches; i++)
		free(s->benches[i]);
	free(s->benches);
	free(s->logdir);
	if (s->have_re)
		regfree(&s->re);
	paths_free(&s->paths);
}

double selection_monitor_seconds(const struct selection *s)
{
	char *dir = path_join(s->logdir, s->names[0]);
	char *json = path_join(dir, "run.json");
	struct run_record rec;
	double secs = 0;

	memset(&rec, 0, sizeof(rec));
	if (is_file(json) && !run_json_read(json, &rec, 1)) {
		secs = 10;	/* run-mmtests's default, as MMTests's configs set it */
		for (int i = 0; i < rec.nconfig; i++)
			if (!strcmp(rec.config_names[i], "MONITOR_UPDATE_FREQUENCY")) {
				char *end;
				double v = strtod(rec.config_values[i], &end);
				if (end != rec.config_values[i] && !*end && v > 0)
					secs = v;
			}
	}
	run_record_free(&rec);
	free(json);
	free(dir);
	return secs;
}
