#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "migmon.h"

int parse_bytes(const char *s, uint64_t default_unit, uint64_t *out)
{
	char *end;
	double v;
	uint64_t unit = default_unit;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !(v > 0) || isinf(v))
		return -EINVAL;
	switch (tolower((unsigned char)*end)) {
	case 'b': unit = 1; end++; break;
	case 'k': unit = 1ULL << 10; end++; break;
	case 'm': unit = 1ULL << 20; end++; break;
	case 'g': unit = 1ULL << 30; end++; break;
	case 't': unit = 1ULL << 40; end++; break;
	}
	if (unit > 1 && (*end == 'b' || *end == 'B'))
		end++;
	if (*end || v * unit < 1 || v * unit > 1e18)
		return -EINVAL;
	*out = (uint64_t)(v * unit);
	return 0;
}

int parse_positive(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end == s || *end || errno || !(*out > 0) || isinf(*out) ? -EINVAL : 0;
}

int parse_port(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 65535)
		return -EINVAL;
	*out = v;
	return 0;
}
