/* mmtests-db judge: the statistical decisions of a bisection. Samples are
 * pooled per code under test (the runs ingested with --describe SHA), so
 * that measuring a commit again adds to what it had; the tests are
 * compare's (Mann-Whitney and Welch, both significant, beyond the noise).
 *  - ends: is the bad code significantly worse than the good one? (which
 *    metric: -l, or the most significant regression of the benchmark)
 *  - a commit: good when significantly better than the bad code and not
 *    worse than the good one, or worse too but within the first third of
 *    the way from good to bad (a machine drifts between measurements); bad
 *    the other way round; else cannot tell (in the middle third: a change
 *    of its own; or close to both: more samples would tell). */
#include "judge.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "log.h"
#include "xalloc.h"

/* The pooled samples of code describe: runs[i], named name. */
static int pooled(struct history *h, const struct judge_opts *o, const char *describe, const char *name,
		  struct run_results *r)
{
	int ret = history_describe_results(h, describe, &o->filter, name, o->bench, r);

	if (ret == -ENOENT)
		err_msg("judge: no run of %s for code '%s' in the history (ingest its runs with --describe)", o->bench,
			describe);
	return ret;
}

static int keep_label(const struct series *s, void *ctx)
{
	return !strcmp(s->label, (const char *)ctx);
}

/* compare's verdict on b against a, for label (NULL: every label):
 * *c built, the caller frees it. */
static int judged(struct history *h, const char *shellpacks, const struct judge_opts *o, const char *label,
		  const char *da, const char *na, const char *db, const char *nb, struct comparison *c)
{
	struct run_results *runs = xcalloc(2, sizeof(*runs));
	int ret;

	if ((ret = pooled(h, o, da, na, &runs[0])) || (ret = pooled(h, o, db, nb, &runs[1]))) {
		results_free(&runs[0]);
		results_free(&runs[1]);
		free(runs);
		return ret;
	}
	if (label)
		for (int i = 0; i < 2; i++)
			results_keep(&runs[i], keep_label, (void *)label);
	comparison_build(c, o->bench, shellpacks, NULL, runs, 2, SIG_SOUND, 0);
	return 0;
}

static void numbers(FILE *out, const struct comparison *c, const struct label_cmp *l)
{
	const struct run_stats *a = &l->runs[0], *b = &l->runs[1];

	fprintf(out, "  %s %s: %s %.6g (%d samples) -> %s %.6g (%d samples), %+.2f%%, q %.3g (Mann-Whitney) %.3g (Welch)%s\n",
		c->bench, l->label, c->runs[0].name, a->cell[ROW_MEAN].value, a->n, c->runs[1].name,
		b->cell[ROW_MEAN].value, b->n, b->ratio_pct, b->q_mwu, b->q_welch,
		b->significant ? ", significant" : ", not significant");
}

static const struct label_cmp *find_label(const struct comparison *c, const char *label)
{
	for (int i = 0; i < c->nlabels; i++)
		if (!strcmp(c->labels[i].label, label) && c->labels[i].runs[0].present && c->labels[i].runs[1].present)
			return &c->labels[i];
	return NULL;
}

/* The ends: the metric the bad code is most significantly worse in. */
static int judge_ends(struct history *h, const char *shellpacks, const struct judge_opts *o, FILE *out)
{
	struct comparison c;
	int ret = judged(h, shellpacks, o, o->label, o->good, "good", o->bad, "bad", &c);

	if (ret)
		return ret;
	const struct label_cmp *best = NULL;
	double qbest = INFINITY;
	for (int i = 0; i < c.nlabels; i++) {
		const struct label_cmp *l = &c.labels[i];
		if (!l->runs[0].present || !l->runs[1].present)
			continue;
		double q = fmax(l->runs[1].q_mwu, l->runs[1].q_welch);
		if (l->runs[1].regression && q < qbest) {
			qbest = q;
			best = l;
		}
	}
	if (best) {
		fprintf(out, "regression %s %s\n", o->bench, best->label);
		numbers(out, &c, best);
	} else {
		fprintf(out, "cannot-tell: the bad code is not significantly worse than the good one%s%s\n",
			o->label ? " in " : "", o->label ? o->label : "");
		for (int i = 0; i < c.nlabels; i++)
			if (c.labels[i].runs[0].present && c.labels[i].runs[1].present)
				numbers(out, &c, &c.labels[i]);
		if (o->label && !find_label(&c, o->label))
			fprintf(out, "  (no metric %s in both)\n", o->label);
	}
	comparison_free(&c);
	return 0;
}

int judge(struct history *h, const char *shellpacks, const struct judge_opts *o, FILE *out)
{
	struct comparison cg, cb;
	int ret;

	if (!o->test)
		return judge_ends(h, shellpacks, o, out);
	if (!o->label) {
		err_msg("judge: --test needs the metric (-l LABEL): the one judge -b %s found for the ends", o->bench);
		return -EINVAL;
	}
	if ((ret = judged(h, shellpacks, o, o->label, o->good, "good", o->test, "test", &cg)))
		return ret;
	if ((ret = judged(h, shellpacks, o, o->label, o->bad, "bad", o->test, "test", &cb))) {
		comparison_free(&cg);
		return ret;
	}
	const struct label_cmp *lg = find_label(&cg, o->label), *lb = find_label(&cb, o->label);
	if (!lg || !lb) {
		err_msg("judge: %s %s is not in the runs of all three", o->bench, o->label);
		ret = -ENOENT;
	} else {
		int worse_than_good = lg->runs[1].significant && lg->runs[1].ratio_pct < 0;
		int better_than_bad = lb->runs[1].significant && lb->runs[1].ratio_pct > 0;
		/* where it lies from the good end (0) to the bad (1): a machine's
		 * drift between measurements can make both significant; near an
		 * end it is that end's, in the middle third a change of its own */
		double g = lg->runs[0].cell[ROW_MEAN].value, b = lb->runs[0].cell[ROW_MEAN].value;
		double pos = (lg->runs[1].cell[ROW_MEAN].value - g) / (b - g);
		if (better_than_bad && (!worse_than_good || pos < 1.0 / 3))
			fprintf(out, "good\n");
		else if (worse_than_good && (!better_than_bad || pos > 2.0 / 3))
			fprintf(out, "bad\n");
		else if (worse_than_good)
			fputs("cannot-tell: between the good and the bad code (another change, or a partial one)\n", out);
		else
			fputs("cannot-tell: not significantly different from either end (more samples would tell)\n", out);
		fprintf(out, "  at %.0f%% of the way from the good end to the bad\n", pos * 100);
		numbers(out, &cg, lg);
		numbers(out, &cb, lb);
	}
	comparison_free(&cg);
	comparison_free(&cb);
	return ret;
}
