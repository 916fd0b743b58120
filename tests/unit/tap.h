/* Minimal TAP producer for the C unit tests. */
#ifndef MMT_TAP_H
#define MMT_TAP_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do { \
	int _okc = !!(cond); \
	tap_n++; \
	if (!_okc) tap_failed++; \
	printf("%sok %d - ", _okc ? "" : "not ", tap_n); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (!_okc) printf("#   failed at %s:%d\n", __FILE__, __LINE__); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *_g = (got), *_w = (want); \
	int _c = (_g && _w) ? !strcmp(_g, _w) : _g == _w; \
	ok(_c, __VA_ARGS__); \
	if (!_c) printf("#   got: '%s'\n#   want: '%s'\n", _g ? _g : "(null)", _w ? _w : "(null)"); \
} while (0)

#define is_num(got, want, eps, ...) do { \
	double _g = (got), _w = (want); \
	int _c = fabs(_g - _w) <= (eps); \
	ok(_c, __VA_ARGS__); \
	if (!_c) printf("#   got: %.17g\n#   want: %.17g\n", _g, _w); \
} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
