#include <stdlib.h>

#include "env.h"
#include "tap.h"

int main(void)
{
	struct env e = ENV_INIT;
	const char nul[] = "A=1\0B=two words\0C=\0junk\0D=x=y\0";
	long v;

	env_from_nul_list(&e, nul, sizeof(nul) - 1);
	ok(e.n == 4, "four KEY=VALUE entries, junk without '=' skipped (n=%zu)", e.n);
	is_str(env_get(&e, "B"), "two words", "value with spaces");
	is_str(env_get(&e, "C"), "", "empty value");
	is_str(env_get(&e, "D"), "x=y", "value containing '='");
	ok(env_get(&e, "Z") == NULL, "missing key is NULL");
	env_set(&e, "A", "11");
	is_str(env_get(&e, "A"), "11", "set replaces");
	env_set(&e, "E", "5");
	ok(env_get_long(&e, "E", &v) == 0 && v == 5, "integer value");
	ok(env_get_long(&e, "B", &v) != 0, "non-integer rejected");
	env_unset(&e, "A");
	ok(env_get(&e, "A") == NULL && e.n == 4, "unset removes");
	char *const *vec = env_vector(&e);
	ok(vec[e.n] == NULL, "vector is NULL-terminated");
	env_free(&e);
	ok(env_vector(&e)[0] == NULL, "empty env gives an empty vector");
	env_free(&e);
	return done_testing();
}
