/* Numbers from text, checked whole: no trailing characters, no nan, inf,
 * hex floats, signs or blanks, nothing out of range. Only libc: shared by
 * the config checks (src/shellpack) and our benchmarks (src/bench). All
 * return 0, or -EINVAL. */
#ifndef MMT_UNITS_H
#define MMT_UNITS_H

#include <stdint.h>

/* "512" (in default_unit bytes), "64k", "512m", "2g", "1t", an optional
 * "B"/"iB"; a positive whole number of bytes up to 1e18. */
int parse_bytes(const char *s, uint64_t default_unit, uint64_t *out);
/* A finite number > 0. */
int parse_positive(const char *s, double *out);
/* A whole number in [min, max]. */
int parse_long(const char *s, long min, long max, long *out);
int parse_port(const char *s, unsigned *out);

#endif
