#include "detect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "log.h"
#include "markup.h"
#include "shellpack_conf.h"
#include "strbuf.h"
#include "xalloc.h"

const char *cp_status_word(enum cp_status s)
{
	static const char *const word[] = { "new", "known", "moved" };

	return word[s];
}

/* A recorded change point this close (runs) to an unmatched new one has
 * moved there: more history placed it better. */
#define MOVE_RUNS 5

/* The metrics' directions: the shellpack of the benchmark last asked
 * about (metrics come sorted by benchmark). */
struct directions {
	const char *shellpacks;
	char *bench;
	struct shellpack_meta meta;
	int have;
};

static int higher_is_better(struct directions *d, const char *bench, const char *metric, char **units)
{
	if (!d->bench || strcmp(d->bench, bench)) {
		if (d->have)
			shellpack_meta_free(&d->meta);
		free(d->bench);
		d->bench = xstrdup(bench);
		d->have = d->shellpacks && shellpack_lookup(d->shellpacks, bench, &d->meta) == 0;
		if (!d->have)
			warn_msg("%s: no shellpack here to say which way is better: higher is taken as better", bench);
	}
	if (!d->have) {
		*units = xstrdup("");
		return 1;
	}
	const struct shellpack_metric *m = shellpack_metric_of(&d->meta, metric);
	*units = xstrdup(m && m->units && *m->units ? m->units : d->meta.units ? d->meta.units : "");
	return m ? m->higher_is_better : d->meta.higher_is_better;
}

static int index_of_run(const struct history_point *pts, int n, long run_id)
{
	for (int i = 0; i < n; i++)
		if (pts[i].run_id == run_id)
			return i;
	return -1;
}

/* Tell each change point found from the recorded ones; *gone gets the
 * recorded ones nothing matched (indexes into the series, -1 when their
 * run has left the history). */
static void classify(struct found *f, int nf, const struct history_cp *rec, int nrec,
		     const struct history_point *pts, int n, int *gone, int *ngone)
{
	int *used = xcalloc(nrec ? nrec : 1, sizeof(int));

	for (int i = 0; i < nf; i++) {
		f[i].status = CP_NEW;
		f[i].found = pts[n - 1].run_id;
		for (int r = 0; r < nrec; r++)
			if (!used[r] && rec[r].run_id == f[i].run_id) {
				used[r] = 1;
				f[i].status = CP_KNOWN;
				f[i].found = rec[r].found;
			}
	}
	for (int i = 0; i < nf; i++) {
		int best = -1, dist = MOVE_RUNS + 1;
		if (f[i].status != CP_NEW)
			continue;
		for (int r = 0; r < nrec; r++) {
			int at = index_of_run(pts, n, rec[r].run_id);
			if (!used[r] && at >= 0 && abs(at - f[i].cp.index) < dist) {
				dist = abs(at - f[i].cp.index);
				best = r;
			}
		}
		if (best >= 0) {
			used[best] = 1;
			f[i].status = CP_MOVED;
			f[i].moved_from = index_of_run(pts, n, rec[best].run_id);
			f[i].found = rec[best].found;
		}
	}
	*ngone = 0;
	for (int r = 0; r < nrec; r++)
		if (!used[r])
			gone[(*ngone)++] = index_of_run(pts, n, rec[r].run_id);
	free(used);
}

static void describe_run(struct strbuf *b, const struct history_point *pts, int i)
{
	sb_addf(b, "%s (#%d%s%s)", pts[i].run, i + 1, pts[i].describe ? ", " : "",
		pts[i].describe ? pts[i].describe : "");
}

static void describe_cp(struct strbuf *b, const struct found *f, const struct history_point *pts, int n,
			const struct detect_opts *o)
{
	const struct change_point *c = &f->cp;
	char pv[32];

	/* (the permutation test's p below what its permutations can tell) */
	if (o->cp.method == CP_PERMUTATION && c->p <= 0)
		snprintf(pv, sizeof(pv), "p < %.3g", 1.0 / (o->cp.permutations + 1));
	else
		snprintf(pv, sizeof(pv), "p = %.3g", c->p);
	sb_addf(b, "from run ");
	describe_run(b, pts, c->index);
	sb_addf(b, ": %.6g -> %.6g, %+.2f%% [%+.2f%%, %+.2f%%], %s: %s, %s", c->before, c->after, c->pct,
		c->pct_lo, c->pct_hi, pv, f->regression ? "regression" : "improvement", cp_status_word(f->status));
	if (f->status == CP_MOVED) {
		sb_addf(b, " from run ");
		describe_run(b, pts, f->moved_from);
	}
	if (f->status != CP_NEW && f->found != pts[n - 1].run_id) {
		int at = index_of_run(pts, n, f->found);
		if (at >= 0)
			sb_addf(b, ", first found with run %s", pts[at].run);
	}
}

static void method_line(struct strbuf *b, const struct detect_opts *o)
{
	if (o->cp.method == CP_TTEST)
		sb_addf(b, "t-test, p <= %g, window %d", o->cp.alpha, o->cp.window);
	else
		sb_addf(b, "permutation test, p <= %g, %d permutations", o->cp.alpha, o->cp.permutations);
	if (o->cp.min_size > 1)
		sb_addf(b, ", segments >= %d", o->cp.min_size);
	if (o->cp.min_change > 0)
		sb_addf(b, ", changes > %g%%", o->cp.min_change * 100);
}


static void junit_write(FILE *f, const struct metric_result *res, int n)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mmtests-db detect\">\n", f);
	for (int i = 0; i < n;) {
		int j = i, failures = 0;
		if (!res[i].runs) {
			i++;
			continue;
		}
		for (; j < n && !strcmp(res[j].m->bench, res[i].m->bench); j++)
			failures += res[j].failed || res[j].pairwise_failed;
		int tests = 0;
		for (int k = i; k < j; k++)
			tests += res[k].runs > 0;
		fputs("  <testsuite name=\"", f);
		markup_escape(f, res[i].m->bench);
		fprintf(f, "\" tests=\"%d\" failures=\"%d\">\n", tests, failures);
		for (int k = i; k < j; k++) {
			if (!res[k].runs)
				continue;
			/* stable across nights: benchmark and metric, no run names */
			fputs("    <testcase classname=\"", f);
			markup_escape(f, res[k].m->bench);
			fputs("\" name=\"", f);
			markup_escape(f, res[k].m->label);
			fputs("\">\n", f);
			if (res[k].failed || res[k].pairwise_failed) {
				fputs("      <failure message=\"", f);
				if (res[k].failed)
					fprintf(f, "%d new regression change point%s%s", res[k].failed,
						res[k].failed == 1 ? "" : "s", res[k].pairwise_failed ? "; " : "");
				if (res[k].pairwise_failed)
					fputs("a significant regression against the baseline", f);
				fputs("\"/>\n", f);
			}
			fputs("      <system-out>", f);
			markup_escape(f, res[k].text.buf);
			fputs("</system-out>\n    </testcase>\n", f);
		}
		fputs("  </testsuite>\n", f);
		i = j;
	}
	fputs("</testsuites>\n", f);
}

/* One metric: detect, classify, say, record. */
static int detect_one(struct history *h, struct directions *dir, const struct detect_opts *o,
		      struct metric_result *res, int *ncp, int *nnew)
{
	const struct history_metric *m = res->m;
	struct history_point *pts;
	struct history_cp *rec = NULL;
	struct change_point *cps = NULL;
	int n, nrec = 0, k = 0, ret;

	if ((ret = history_series(h, m->bench, m->label, &o->filter, &pts, &n)))
		return ret;
	res->runs = n;
	if (!n) {	/* (none of the runs looked at has it) */
		free(pts);
		return 0;
	}
	res->higher = higher_is_better(dir, m->bench, m->metric, &res->units);
	res->newest = pts[n - 1].run_id;
	res->newest_name = xstrdup(pts[n - 1].run);
	long recorded;	/* the newest run of the last record, 0: never */
	if ((ret = history_cp_recorded(h, m->bench, m->label, &rec, &nrec, &recorded)))
		goto out;
	double *x = xmalloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
		x[i] = pts[i].mean;
	cp_detect(x, n, &o->cp, &cps, &k);
	free(x);
	struct found *f = xcalloc(k ? k : 1, sizeof(*f));
	int higher = res->higher;
	for (int i = 0; i < k; i++) {
		f[i].cp = cps[i];
		f[i].run_id = pts[cps[i].index].run_id;
		f[i].regression = higher ? cps[i].after < cps[i].before : cps[i].after > cps[i].before;
	}
	int *gone = xmalloc((nrec ? nrec : 1) * sizeof(int)), ngone;
	classify(f, k, rec, nrec, pts, n, gone, &ngone);
	sb_addf(&res->text, "%s %s: %d run%s, %d change point%s (", m->bench, m->label, n, n == 1 ? "" : "s", k,
		k == 1 ? "" : "s");
	method_line(&res->text, o);
	sb_addf(&res->text, ")\n");
	for (int i = 0; i < k; i++) {
		sb_addf(&res->text, "  ");
		describe_cp(&res->text, &f[i], pts, n, o);
		sb_addf(&res->text, "\n");
		*nnew += f[i].status == CP_NEW;
		res->noteworthy = 1;
		/* a new regression fails the gate when it starts in the newest
		 * runs, or -- the metric watched before -- wherever more history
		 * has now placed it (a slow creep); the first look at an imported
		 * history takes its old change points as they are */
		if (f[i].status == CP_NEW && f[i].regression &&
		    (f[i].cp.index >= n - o->recent || (recorded && recorded != pts[n - 1].run_id)))
			res->failed++;
	}
	for (int g = 0; g < ngone; g++) {
		const struct history_cp *r = NULL;
		res->noteworthy = 1;
		for (int q = 0; q < nrec && !r; q++)
			if (index_of_run(pts, n, rec[q].run_id) == gone[g])
				r = &rec[q];
		if (gone[g] >= 0)
			sb_addf(&res->text, "  gone: the change point recorded at run %s (%+.2f%%) is no longer found\n",
				pts[gone[g]].run, r ? r->pct : 0);
		else
			sb_addf(&res->text, "  gone: a change point recorded at a run no longer in the history\n");
	}
	*ncp += k;
	if (o->record) {
		struct history_cp *save = xcalloc(k ? k : 1, sizeof(*save));
		for (int i = 0; i < k; i++) {
			save[i].run_id = f[i].run_id;
			save[i].found = f[i].found;
			save[i].pct = f[i].cp.pct;
			save[i].p = f[i].cp.p;
		}
		ret = history_cp_record(h, m->bench, m->label, save, k, pts[n - 1].run_id);
		free(save);
	}
	free(gone);
	res->found = f;
	res->nfound = k;
out:
	free(cps);
	free(rec);
	res->pts = pts;	/* (the report draws them) */
	return ret;
}

/* The newest run of bench's metrics res[0..n) against the baseline, as
 * compare-mmtests --fail-on-regression judges it: each metric told its
 * finding; a drop beyond the limit that is not significant is said too. */
static int pairwise(struct history *h, const char *shellpacks, const struct detect_opts *o, long base_id,
		    struct metric_result *res, int n)
{
	struct run_results *runs;	/* (comparison_build takes them over) */
	const char *bench = res[0].m->bench;
	long newest = 0;
	const char *newest_name = NULL;
	int ret;

	for (int i = 0; i < n; i++)
		if (res[i].runs && res[i].newest >= newest) {
			newest = res[i].newest;
			newest_name = res[i].newest_name;
		}
	if (!newest_name)
		return 0;
	if (newest == base_id) {
		for (int i = 0; i < n; i++)
			if (res[i].runs)
				sb_addf(&res[i].text, "  against the baseline: the newest run is the baseline\n");
		return 0;
	}
	runs = xcalloc(2, sizeof(*runs));
	if ((ret = history_run_results(h, base_id, o->baseline, bench, &runs[0]))) {
		results_free(&runs[0]);
		free(runs);
		for (int i = 0; i < n; i++)
			if (res[i].runs)
				sb_addf(&res[i].text, "  against the baseline: %s has no %s samples\n", o->baseline, bench);
		return ret == -ENOENT ? 0 : ret;
	}
	if ((ret = history_run_results(h, newest, newest_name, bench, &runs[1]))) {
		results_free(&runs[0]);
		results_free(&runs[1]);
		free(runs);
		return ret == -ENOENT ? 0 : ret;
	}
	struct comparison c;
	comparison_build(&c, bench, shellpacks, NULL, runs, 2, SIG_SOUND, o->threshold);
	for (int k = 0; k < c.nlabels; k++) {
		const struct label_cmp *l = &c.labels[k];
		const struct run_stats *b = &l->runs[0], *r = &l->runs[1];
		struct metric_result *mr = NULL;
		for (int i = 0; i < n && !mr; i++)
			if (res[i].runs && !strcmp(res[i].m->label, l->label))
				mr = &res[i];
		if (!mr || !b->n || !r->n)
			continue;
		double limit = l->threshold > 0 ? l->threshold : o->threshold;
		sb_addf(&mr->text, "  %s against the baseline %s: %.6g -> %.6g, %+.2f%% (limit %.2f%%), q %.3g (Mann-Whitney) %.3g (Welch), %d and %d samples: ",
			newest_name, o->baseline, b->cell[ROW_MEAN].value, r->cell[ROW_MEAN].value, r->ratio_pct, limit,
			r->q_mwu, r->q_welch, b->n, r->n);
		if (r->regression) {
			sb_addf(&mr->text, "a significant regression\n");
			mr->pairwise_failed = 1;
			mr->noteworthy = 1;
		} else if (r->ratio_pct < -limit) {
			sb_addf(&mr->text, "worse beyond the limit, but not significant: more iterations would tell\n");
			mr->noteworthy = 1;
		} else {
			sb_addf(&mr->text, "%s\n", r->significant ? "a significant change within the limit" : "no significant change");
		}
	}
	comparison_free(&c);
	return 0;
}

int detect_metrics(struct history *h, const char *shellpacks, const char *benches, const char *label,
		   const struct detect_opts *o, FILE *out)
{
	struct history_metric *m;
	struct directions dir = { .shellpacks = shellpacks };
	int nm, ret = 0, ncp = 0, nnew = 0, failed = 0, shown = 0, looked = 0;
	long base_id = 0;

	/* (one benchmark: the store picks; a list: picked here) */
	if (history_metrics(h, benches && !strchr(benches, ',') ? benches : NULL, label, &m, &nm))
		return 1;
	if (benches && strchr(benches, ',')) {
		int k = 0;
		for (int i = 0; i < nm; i++) {
			size_t len = strlen(m[i].bench);
			const char *p = benches;
			int in = 0;
			for (; p && !in; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
				in = !strncmp(p, m[i].bench, len) && (p[len] == ',' || !p[len]);
			if (in) {
				m[k++] = m[i];
			} else {
				free(m[i].bench);
				free(m[i].label);
				free(m[i].metric);
			}
		}
		nm = k;
	}
	if (!nm) {
		err_msg("detect: no %s%s%s%s in the history", label ? "metric " : "metrics",
			label ? label : "", benches ? " of " : "", benches ? benches : "");
		free(m);
		return 1;
	}
	if (o->baseline && history_run_id(h, o->baseline, &o->filter, &base_id)) {
		history_metrics_free(m, nm);
		return 1;
	}
	struct metric_result *res = xcalloc(nm, sizeof(*res));
	if (o->record && history_begin(h))
		ret = -EIO;
	for (int i = 0; i < nm && !ret; i++) {
		res[i].m = &m[i];
		sb_init(&res[i].text);
		ret = detect_one(h, &dir, o, &res[i], &ncp, &nnew);
		looked += res[i].runs > 0;
	}
	for (int i = 0, j; o->baseline && i < nm && !ret; i = j) {
		for (j = i; j < nm && !strcmp(m[j].bench, m[i].bench); j++)
			;
		ret = pairwise(h, shellpacks, o, base_id, &res[i], j - i);
	}
	if (o->record && history_end(h, !ret) && !ret)
		ret = -EIO;
	if (ret) {
		err_msg("detect: stopped: nothing recorded");
	} else {
		/* one metric asked for: always said; else those with something to say */
		int pfailed = 0;
		for (int i = 0; i < nm; i++) {
			if (!res[i].runs)
				continue;
			if (looked == 1 || o->all || res[i].noteworthy) {
				fputs(res[i].text.buf, out);
				shown++;
			}
			if (res[i].failed) {
				failed += res[i].failed;
				fprintf(out, "REGRESSION %s %s: %d new regression change point%s\n",
					m[i].bench, m[i].label, res[i].failed, res[i].failed == 1 ? "" : "s");
			}
			if (res[i].pairwise_failed) {
				pfailed++;
				fprintf(out, "REGRESSION %s %s: %s significantly worse than the baseline %s\n", m[i].bench,
					m[i].label, res[i].newest_name, o->baseline);
			}
		}
		if (!looked)
			fprintf(out, "no runs%s%s%s%s in the history have these metrics\n",
				o->filter.host ? " of host " : "", o->filter.host ? o->filter.host : "",
				o->filter.runs ? " named " : "", o->filter.runs ? o->filter.runs : "");
		else if (looked > 1)
			fprintf(out, "%d metric%s, %d change point%s (%d new, %d of them regressions failing the gate)%s\n",
				looked, looked == 1 ? "" : "s", ncp, ncp == 1 ? "" : "s", nnew, failed,
				shown < looked ? " (metrics with nothing to say not shown: --all)" : "");
		if (o->baseline && looked > 1)
			fprintf(out, "against the baseline %s: %d significant regression%s beyond the limit\n", o->baseline,
				pfailed, pfailed == 1 ? "" : "s");
		failed += pfailed;
		if (o->record)
			fprintf(out, "recorded: the next detect tells new change points from these\n");
		if (o->report && history_report(o->report, res, nm, o))
			ret = -EIO;
		if (o->junit) {
			FILE *jf = fopen(o->junit, "w");
			if (!jf) {
				err_errno(errno, "cannot write %s", o->junit);
				ret = -EIO;
			} else {
				junit_write(jf, res, nm);
				if (fclose(jf)) {
					err_errno(errno, "cannot write %s", o->junit);
					ret = -EIO;
				}
			}
		}
	}
	for (int i = 0; i < nm; i++)
		if (res[i].m) {
			sb_release(&res[i].text);
			free(res[i].newest_name);
			free(res[i].found);
			free(res[i].units);
			history_points_free(res[i].pts, res[i].runs);
		}
	free(res);
	history_metrics_free(m, nm);
	if (dir.have)
		shellpack_meta_free(&dir.meta);
	free(dir.bench);
	if (ret)
		return 1;
	return o->gate && failed ? DETECT_REGRESSION : 0;
}
