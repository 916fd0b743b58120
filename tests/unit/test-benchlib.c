/* src/bench/lib: numbers parsed with full checks, JSON that stays JSON. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchlib.h"
#include "tap.h"

int main(void)
{
	uint64_t b;
	double d;
	long l;
	unsigned p;

	ok(parse_bytes("512", 1 << 20, &b) == 0 && b == 512ULL << 20, "a plain number is in the default unit");
	ok(parse_bytes("64k", 1, &b) == 0 && b == 65536, "k");
	ok(parse_bytes("1.5g", 1, &b) == 0 && b == 3ULL << 29, "a fraction with g");
	ok(parse_bytes("2GiB", 1, &b) == 0 && b == 2ULL << 30, "GiB");
	ok(parse_bytes("10b", 1 << 20, &b) == 0 && b == 10, "b means bytes");
	const char *bad_sizes[] = { "", "nan", "inf", "0x1p30", "-5", "+5", " 5", "5x", "0", "1.2.3", "1e3",
				    "99999999999t" };
	for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(*bad_sizes); i++)
		ok(parse_bytes(bad_sizes[i], 1, &b) == -EINVAL, "size '%s' refused", bad_sizes[i]);
	ok(parse_positive("0.25", &d) == 0 && d == 0.25, "a positive fraction");
	const char *bad_pos[] = { "nan", "inf", "0", "-1", "1e400", "0x10", "2s" };
	for (size_t i = 0; i < sizeof(bad_pos) / sizeof(*bad_pos); i++)
		ok(parse_positive(bad_pos[i], &d) == -EINVAL, "positive '%s' refused", bad_pos[i]);
	ok(parse_long("10", 10, 1000, &l) == 0 && l == 10, "a whole number at its minimum");
	ok(parse_long("9", 10, 1000, &l) == -EINVAL, "below the minimum refused");
	ok(parse_long("12abc", 0, 1000, &l) == -EINVAL, "trailing characters refused");
	ok(parse_long("99999999999999999999", 0, 10, &l) == -EINVAL, "overflow refused");
	ok(parse_port("65535", &p) == 0 && p == 65535, "the highest port");
	ok(parse_port("0", &p) == -EINVAL && parse_port("65536", &p) == -EINVAL, "ports out of range refused");

	char path[] = "/tmp/test-benchlib.XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	json_t *o = json_pack("{s:o,s:o,s:o,s:s}", "nan", json_fixed(NAN, 2), "inf", json_fixed(INFINITY, 0),
			      "v", json_fixed(12.3456, 2), "s", "a \"quoted\"\nline");
	ok(json_write_file(path, o) == 0, "JSON written");
	json_error_t e;
	json_t *back = json_load_file(path, 0, &e);
	ok(back != NULL, "and it parses (%s)", back ? "ok" : e.text);
	ok(json_is_null(json_object_get(back, "nan")) && json_is_null(json_object_get(back, "inf")),
	   "NaN and infinity are null, never a bare nan");
	ok(json_real_value(json_object_get(back, "v")) == 12.35, "rounded to 2 places");
	ok(!strcmp(json_string_value(json_object_get(back, "s")) ?: "", "a \"quoted\"\nline"),
	   "strings escaped and back");
	json_decref(back);
	unlink(path);
	ok(json_write_file("/nonexistent/dir/x.json", json_object()) == -1, "an unwritable path is an error");
	return done_testing();
}
