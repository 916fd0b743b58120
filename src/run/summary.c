/* A few lines per benchmark after the run, straight from the TSV caches,
 * so the user sees numbers without another command. compare does the
 * real statistics. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "run.h"
#include "tsv.h"
#include "xalloc.h"

struct acc {
	char label[256];
	int n;
	double sum, min, max;
};

static void add_sample(struct acc **v, int *n, const char *label, double x)
{
	for (int i = 0; i < *n; i++) {
		struct acc *a = &(*v)[i];
		if (!strcmp(a->label, label)) {
			a->n++;
			a->sum += x;
			a->min = x < a->min ? x : a->min;
			a->max = x > a->max ? x : a->max;
			return;
		}
	}
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	struct acc *a = &(*v)[(*n)++];
	snprintf(a->label, sizeof(a->label), "%s", label);
	a->n = 1;
	a->sum = a->min = a->max = x;
}

void run_print_summary(struct run *r)
{
	for (int t = 0; t < r->ntests; t++) {
		struct run_test *test = &r->tests[t];
		struct acc *v = NULL;
		int n = 0, width = 5;

		for (int i = 0; i < r->iterations; i++) {
			char *path = xasprintf("%s/iter-%d/%s/parse-results.tsv", r->rundir, i, test->name);
			struct strbuf b = STRBUF_INIT;

			if (read_file_if_exists(path, &b) == 0) {
				for (char *line = strtok(b.buf, "\n"); line; line = strtok(NULL, "\n")) {
					struct tsv_row row;
					const char *why;
					char label[256];
					if (tsv_parse_line(line, &row, &why))
						continue;
					tsv_label(&row, label, sizeof(label));
					add_sample(&v, &n, label, row.value);
				}
			}
			sb_release(&b);
			free(path);
		}
		if (!n)
			continue;
		for (int i = 0; i < n; i++)
			if ((int)strlen(v[i].label) > width)
				width = strlen(v[i].label);
		int dp = test->pack.decimal_places;
		printf("\n%s (%s, %s is better)\n", test->name,
		       test->pack.units[0] ? test->pack.units : "value",
		       test->pack.higher_is_better ? "higher" : "lower");
		printf("  %-*s %6s %14s %14s %14s\n", width, "label", "n", "mean", "min", "max");
		for (int i = 0; i < n; i++)
			printf("  %-*s %6d %14.*f %14.*f %14.*f\n", width, v[i].label, v[i].n,
			       dp, v[i].sum / v[i].n, dp, v[i].min, dp, v[i].max);
		free(v);
	}
}
