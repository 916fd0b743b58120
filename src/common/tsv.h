/* The parse-results line format shared by run (cache) and compare:
 * metric \t factorA \t factorB \t sample \t value [\t extra] */
#ifndef MMT_TSV_H
#define MMT_TSV_H

struct tsv_row {
	char *metric;
	char *factor_a;	/* "_" when unused */
	char *factor_b;
	char *sample;
	double value;
	char *extra;	/* NULL when absent */
};

#define TSV_LINE_MAX 4096
#define TSV_LINE_MAX_TEXT "4096"

/* Split line (modified in place). Returns 0, or -EINVAL with *why set. */
int tsv_parse_line(char *line, struct tsv_row *row, const char **why);
/* "metric[-factorA][-factorB]" into buf. */
void tsv_label(const struct tsv_row *row, char *buf, unsigned size);

#endif
