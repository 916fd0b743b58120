/* --fairness: the runs are the VMs of one run-kvm run; per label and
 * iteration, how evenly did they fare? Min and max of the per-VM means
 * (naming the VM), the spread (max - min) / mean, and Jain's fairness
 * index (sum x)^2 / (n sum x^2): 1 = all equal, 1/n = one VM got it all. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "stats.h"
#include "xalloc.h"

static double iter_mean(const struct run_stats *rs, const struct series_view *sv, int iter, int higher)
{
	double *v = xmalloc((rs->n ? rs->n : 1) * sizeof(double)), m = NAN;
	int k = 0;

	for (int i = 0; i < rs->n; i++)
		if (sv->iter[i] == iter)
			v[k++] = rs->v[i];
	if (k && higher) {
		if (st_hmean(v, k, &m))
			m = NAN;
	} else if (k) {
		m = st_amean(v, k);
	}
	free(v);
	return m;
}

void render_fairness(FILE *f, const struct comparison *c)
{
	int dp = c->meta.decimal_places, w = 5, rw = 5;

	for (int i = 0; i < c->nlabels; i++)
		if ((int)strlen(c->labels[i].label) > w)
			w = strlen(c->labels[i].label);
	for (int r = 0; r < c->nruns; r++)	/* run names whole: VMs of one run share a prefix */
		if ((int)strlen(c->runs[r].name) > rw)
			rw = strlen(c->runs[r].name);
	fprintf(f, "%-*s %4s %14s %-*s %14s %-*s %8s %7s\n", w, "label", "iter", "min", rw, "(run)",
		"max", rw, "(run)", "spread%", "jain");
	for (int i = 0; i < c->nlabels; i++) {
		const struct label_cmp *l = &c->labels[i];
		int maxit = -1;
		for (int r = 0; r < c->nruns; r++)
			for (int k = 0; k < l->runs[r].n; k++)
				if (l->runs[r].iter[k] > maxit)
					maxit = l->runs[r].iter[k];
		for (int it = 0; it <= maxit; it++) {
			double lo = INFINITY, hi = -INFINITY, sum = 0, sq = 0;
			int lor = -1, hir = -1, n = 0;
			for (int r = 0; r < c->nruns; r++) {
				struct series_view sv = { l->runs[r].iter };
				double m = l->runs[r].present ? iter_mean(&l->runs[r], &sv, it, l->higher) : NAN;
				if (isnan(m))
					continue;
				if (m < lo) { lo = m; lor = r; }
				if (m > hi) { hi = m; hir = r; }
				sum += m;
				sq += m * m;
				n++;
			}
			if (n < 2)
				continue;
			double mean = sum / n, jain = sq > 0 ? sum * sum / (n * sq) : 1;
			fprintf(f, "%-*s %4d %14.*f %-*s %14.*f %-*s %8.2f %7.4f\n", w, l->label, it,
				dp, lo, rw, c->runs[lor].name, dp, hi, rw, c->runs[hir].name,
				mean != 0 ? 100 * (hi - lo) / fabs(mean) : 0, jain);
		}
	}
}
