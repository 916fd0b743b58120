#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Digits and one decimal point only, up to end: strtod also takes nan,
 * inf, hex floats, signs and leading blanks, none of which is a size. */
static int plain_number(const char *s, const char *end)
{
	size_t n = strspn(s, "0123456789.");
	const char *dot = memchr(s, '.', n);

	return n && s + n == end && (!dot || !memchr(dot + 1, '.', n - (dot + 1 - s)));
}

int parse_bytes(const char *s, uint64_t default_unit, uint64_t *out)
{
	char *end;
	double v;
	uint64_t unit = default_unit;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !plain_number(s, end) || !(v > 0))
		return -EINVAL;
	switch (tolower((unsigned char)*end)) {
	case 'b': unit = 1; end++; break;
	case 'k': unit = 1ULL << 10; end++; break;
	case 'm': unit = 1ULL << 20; end++; break;
	case 'g': unit = 1ULL << 30; end++; break;
	case 't': unit = 1ULL << 40; end++; break;
	}
	if (unit > 1 && tolower((unsigned char)*end) == 'i' && tolower((unsigned char)end[1]) == 'b')
		end++;
	if (unit > 1 && tolower((unsigned char)*end) == 'b')
		end++;
	if (*end || v * unit < 1 || v * unit > 1e18)
		return -EINVAL;
	*out = (uint64_t)(v * unit);
	return 0;
}

int parse_positive(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !plain_number(s, end) || !(v > 0) || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_port(const char *s, unsigned *out)
{
	long v;

	if (parse_long(s, 1, 65535, &v))
		return -EINVAL;
	*out = v;
	return 0;
}
