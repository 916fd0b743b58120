#include <stdlib.h>

#include "tsv.h"
#include "tap.h"
#include "xalloc.h"

static int parse(const char *text, struct tsv_row *row, const char **why)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s", text);
	return tsv_parse_line(buf, row, why);
}

int main(void)
{
	struct tsv_row r;
	const char *why = NULL;
	char label[128];

	ok(parse("Copy\t4\t_\t1\t12345.5\t_", &r, &why) == 0, "six fields parse");
	is_str(r.metric, "Copy", "metric");
	is_str(r.factor_a, "4", "factor A");
	is_num(r.value, 12345.5, 0, "value");
	tsv_label(&r, label, sizeof(label));
	is_str(label, "Copy-4", "label joins used factors");
	ok(parse("time\t_\t_\t3\t0.25", &r, &why) == 0 && r.extra == NULL, "five fields parse, no extra");
	tsv_label(&r, label, sizeof(label));
	is_str(label, "time", "label without factors");
	ok(parse("lat\tp99\tread\t1\t7", &r, &why) == 0, "two factors");
	tsv_label(&r, label, sizeof(label));
	is_str(label, "lat-p99-read", "label with both factors");
	ok(parse("Copy 4 _ 1 123", &r, &why) != 0, "spaces instead of tabs rejected");
	ok(why && strstr(why, "tab"), "reason mentions tabs: %s", why);
	ok(parse("Copy\t4\t_\t1\tfast", &r, &why) != 0, "non-numeric value rejected");
	ok(parse("Copy\t4\t_\t1\tnan", &r, &why) != 0, "nan rejected");
	ok(parse("Copy\t4\t_\t1\t12abc", &r, &why) != 0, "trailing junk rejected");
	ok(parse("\t4\t_\t1\t1", &r, &why) != 0, "empty metric rejected");
	ok(parse("a\tb\tc\td\t1\te\tf", &r, &why) != 0, "seven fields rejected");
	return done_testing();
}
