/* The comparison of one benchmark across runs: one model that every
 * output format renders. Run 0 is the baseline. */
#ifndef MMT_COMPARISON_H
#define MMT_COMPARISON_H

#include "results.h"
#include "shellpack_conf.h"
#include "strbuf.h"

/* The statistics of a label in a run. ROW_BMEAN is the mean of the best
 * 95%, ROW_PCTL95 the 95th percentile (MMTests's Normalisedops), ROW_VALUE
 * the best sample (its Singleops: one value per label, "Ops"). */
enum stat_row { ROW_MIN, ROW_MEAN, ROW_STDDEV, ROW_COEFFVAR, ROW_MAX, ROW_BMEAN, ROW_PCTL95, ROW_VALUE, NROWS };
enum sig_method { SIG_SOUND, SIG_MMTESTS, SIG_NONE /* monitors: no tests, no notes on noise */ };

#define CI_Z 1.959964		/* MMTests's 95% half-width factor */
#define ALPHA 0.05
#define NOISY_COV 2.5		/* % */
#define MIN_SAMPLES_SIG 4

struct stat_cell {
	double value;		/* printed value (0 when undefined, as MMTests) */
	int defined;
	double pct;		/* MMTests % column vs the baseline */
};

struct run_stats {		/* one label in one run */
	int present;
	int n;
	const double *v;	/* samples (owned by run_results) */
	const int *iter;	/* their iterations */
	struct stat_cell cell[NROWS];
	double sd;		/* the Stddev row's value (HStddev or Stddev) */
	double cov;
	int outliers;
	/* against the baseline */
	double ratio, ratio_pct, cidiff;
	double p_mwu, p_welch, q_mwu, q_welch;
	int mwu_exact;
	double ci_lo, ci_hi;	/* bootstrap 95% CI of mean(new) - mean(base) */
	int significant;	/* by the chosen method */
	int regression;		/* significant and worse than the gate */
};

/* The iterations of a run's samples, for per-iteration views. */
struct series_view {
	const int *iter;
};

struct label_cmp {
	const char *label;
	const char *metric;
	int higher;		/* higher is better */
	const char *units;	/* the metric's, else the benchmark's; "" unknown */
	double threshold;	/* per-metric regression threshold, 0 = none */
	struct run_stats *runs;	/* nruns */
};

struct comparison {
	const char *bench;
	struct shellpack_meta meta;	/* defaults when no shellpack */
	int has_meta;
	int nruns;
	struct run_results *runs;
	struct label_cmp *labels;
	int nlabels;
	enum sig_method method;
	double gate_pct;	/* --fail-on-regression, < 0: off */
	int regressions;
	struct strbuf warnings;	/* one line each */
	/* the rows shown, in order: MMTests's for the shellpack's summary */
	enum stat_row rows[NROWS];
	int nrows;
	/* a monitor's: seconds between its samples (0: unknown, the x axis
	 * counts samples) -- the caller's to set */
	double sample_seconds;
};

/* Build the model; runs[] are taken over (freed by comparison_free).
 * meta: the metadata to use, or NULL to find bench's shellpack under
 * shellpacks. */
void comparison_build(struct comparison *c, const char *bench, const char *shellpacks,
		      const struct shellpack_meta *meta, struct run_results *runs, int nruns,
		      enum sig_method method, double gate_pct);
void comparison_free(struct comparison *c);
const char *stat_row_name(enum stat_row row, int higher, int mmtests);
/* Its key in JSON and CSV: min, mean, stddev, coeffvar, max, bmean95, pctile95, ... */
const char *stat_row_key(enum stat_row row);
/* Row uses the lower-is-better operator (Stddev/CoeffVar or lower metric). */
int stat_row_lower_better(enum stat_row row, int higher);

#endif
