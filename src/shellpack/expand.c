#include "expand.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct arith {
	const char *p;
	const struct env *e;
	const char *why;
};

static void skip_space(struct arith *a)
{
	while (isspace((unsigned char)*a->p))
		a->p++;
}

static int name_len(const char *p)
{
	int n = 0;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

static long long expr(struct arith *a);

/* number | name | $name | ${name} | ( expr ) | -factor */
static long long factor(struct arith *a)
{
	long long v = 0;
	int n;

	skip_space(a);
	if (*a->p == '(') {
		a->p++;
		v = expr(a);
		skip_space(a);
		if (*a->p != ')' && !a->why)
			a->why = "a ( without its )";
		a->p += *a->p == ')';
		return v;
	}
	if (*a->p == '-') {
		a->p++;
		return -factor(a);
	}
	if (isdigit((unsigned char)*a->p)) {
		char *end;
		errno = 0;
		v = strtoll(a->p, &end, 10);
		if (errno && !a->why)
			a->why = "a number too large";
		a->p = end;
		return v;
	}
	int braces = a->p[0] == '$' && a->p[1] == '{';
	a->p += braces ? 2 : *a->p == '$';
	if (!(n = name_len(a->p))) {
		if (!a->why)
			a->why = "a syntax error in $((...))";
		return 0;
	}
	char *name = xstrndup(a->p, n);
	const char *val = env_get(a->e, name);
	char *end = NULL;
	free(name);
	a->p += n;
	if (braces && *a->p++ != '}' && !a->why)
		a->why = "a ${ without its }";
	if (val)
		v = strtoll(val, &end, 10);
	if ((!val || !*val || *end) && !a->why)
		a->why = val ? "a name in $((...)) that is not a number" : "an unset name";
	return v;
}

static long long term(struct arith *a)
{
	long long v = factor(a);

	for (;;) {
		skip_space(a);
		char op = *a->p;
		if (op != '*' && op != '/' && op != '%')
			return v;
		a->p++;
		long long r = factor(a);
		if (op == '*') {
			v *= r;
		} else if (!r) {
			if (!a->why)
				a->why = "a division by zero";
		} else {
			v = op == '/' ? v / r : v % r;
		}
	}
}

static long long expr(struct arith *a)
{
	long long v = term(a);

	for (;;) {
		skip_space(a);
		if (*a->p != '+' && *a->p != '-')
			return v;
		char op = *a->p++;
		long long r = term(a);
		v = op == '+' ? v + r : v - r;
	}
}

int expand_default(const char *text, const struct env *e, struct strbuf *out, const char **why)
{
	const char *p = text;

	*why = NULL;
	while (*p) {
		if (*p != '$') {
			sb_add(out, p++, 1);
			continue;
		}
		if (!strncmp(p, "$((", 3)) {
			struct arith a = { p + 3, e, NULL };
			long long v = expr(&a);
			skip_space(&a);
			if (!a.why && strncmp(a.p, "))", 2))
				a.why = "a $(( without its ))";
			if (a.why) {
				*why = a.why;
				return -EINVAL;
			}
			sb_addf(out, "%lld", v);
			p = a.p + 2;
			continue;
		}
		int braces = p[1] == '{';
		int n = name_len(p + 1 + braces);
		if (!n || (braces && p[2 + n] != '}')) {
			*why = "a $ that is not $NAME, ${NAME} or $((...))";
			return -EINVAL;
		}
		char *name = xstrndup(p + 1 + braces, n);
		const char *val = env_get(e, name);
		free(name);
		if (!val) {
			*why = "an unset name";
			return -EINVAL;
		}
		sb_adds(out, val);
		p += 1 + braces + n + braces;
	}
	return 0;
}
