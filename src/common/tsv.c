#include "tsv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tsv_parse_line(char *line, struct tsv_row *row, const char **why)
{
	char *f[7];
	int n = 0;
	char *p = line, *end;

	if (strlen(line) > TSV_LINE_MAX) {	/* a label compare would print: no sample is this long */
		*why = "line longer than " TSV_LINE_MAX_TEXT " bytes";
		return -EINVAL;
	}
	while (n < 7) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n < 5 || n > 6) {
		*why = "expected 5 or 6 tab-separated fields";
		return -EINVAL;
	}
	for (int i = 0; i < 4; i++) {
		if (!*f[i]) {
			*why = "empty field (use _ for an unused factor)";
			return -EINVAL;
		}
	}
	errno = 0;
	row->value = strtod(f[4], &end);
	if (end == f[4] || *end || errno == ERANGE || !isfinite(row->value)) {
		*why = "value is not a finite number";
		return -EINVAL;
	}
	row->metric = f[0];
	row->factor_a = f[1];
	row->factor_b = f[2];
	row->sample = f[3];
	row->extra = n == 6 ? f[5] : NULL;
	return 0;
}

void tsv_label(const struct tsv_row *row, char *buf, unsigned size)
{
	int n = snprintf(buf, size, "%s", row->metric);

	if (strcmp(row->factor_a, "_") && n >= 0 && (unsigned)n < size)
		n += snprintf(buf + n, size - n, "-%s", row->factor_a);
	if (strcmp(row->factor_b, "_") && n >= 0 && (unsigned)n < size)
		snprintf(buf + n, size - n, "-%s", row->factor_b);
}
