#include <stdlib.h>
#include "strbuf.h"
#include "tap.h"

int main(void)
{
	struct strbuf sb = STRBUF_INIT;

	is_str(sb.buf, "", "empty buffer is the empty string");
	sb_adds(&sb, "abc");
	sb_addc(&sb, 'd');
	sb_addf(&sb, "-%d-%s", 42, "x");
	is_str(sb.buf, "abcd-42-x", "add, addc, addf append");
	ok(sb.len == 9, "length tracks content");
	sb_reset(&sb);
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%04d", i);
	ok(sb.len == 4000 && !strncmp(sb.buf + 3996, "0999", 4), "grows past many reallocations");
	sb_reset(&sb);
	sb_adds(&sb, "line\n\n\r\n");
	sb_trim_trailing_newlines(&sb);
	is_str(sb.buf, "line", "trailing newlines trimmed");
	char *d = sb_detach(&sb);
	is_str(d, "line", "detach hands over the string");
	ok(sb.len == 0 && sb.buf[0] == '\0', "detached buffer is empty again");
	free(d);
	sb_release(&sb);
	return done_testing();
}
