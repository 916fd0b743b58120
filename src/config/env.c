#include "env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

extern char **environ;

void env_free(struct env *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->vars[i]);
	free(e->vars);
	e->vars = NULL;
	e->n = e->alloc = 0;
}

static void push(struct env *e, char *kv)
{
	if (e->n + 2 > e->alloc) {
		e->alloc = e->alloc ? e->alloc * 2 : 64;
		e->vars = xrealloc(e->vars, e->alloc * sizeof(char *));
	}
	e->vars[e->n++] = kv;
	e->vars[e->n] = NULL;
}

void env_from_environ(struct env *e)
{
	env_free(e);
	for (char **p = environ; p && *p; p++)
		push(e, xstrdup(*p));
}

void env_copy(struct env *dst, const struct env *src)
{
	env_free(dst);
	for (size_t i = 0; i < src->n; i++)
		push(dst, xstrdup(src->vars[i]));
}

void env_from_nul_list(struct env *e, const char *buf, size_t len)
{
	const char *end = buf + len;

	env_free(e);
	while (buf < end) {
		size_t l = strnlen(buf, end - buf);
		if (l && memchr(buf, '=', l))
			push(e, xstrndup(buf, l));
		buf += l + 1;
	}
}

static ssize_t find(const struct env *e, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < e->n; i++)
		if (!strncmp(e->vars[i], key, kl) && e->vars[i][kl] == '=')
			return i;
	return -1;
}

const char *env_get(const struct env *e, const char *key)
{
	ssize_t i = find(e, key);

	return i < 0 ? NULL : e->vars[i] + strlen(key) + 1;
}

void env_set(struct env *e, const char *key, const char *value)
{
	ssize_t i = find(e, key);
	char *kv = xasprintf("%s=%s", key, value);

	if (i < 0) {
		push(e, kv);
	} else {
		free(e->vars[i]);
		e->vars[i] = kv;
	}
}

void env_unset(struct env *e, const char *key)
{
	ssize_t i = find(e, key);

	if (i < 0)
		return;
	free(e->vars[i]);
	memmove(&e->vars[i], &e->vars[i + 1], (e->n - i) * sizeof(char *));
	e->n--;
}

char *const *env_vector(struct env *e)
{
	if (!e->vars) {
		e->alloc = 8;
		e->vars = xcalloc(e->alloc, sizeof(char *));
	}
	return e->vars;
}

int env_get_long(const struct env *e, const char *key, long *out)
{
	const char *v = env_get(e, key);
	char *endp;

	if (!v || !*v)
		return -EINVAL;
	errno = 0;
	*out = strtol(v, &endp, 10);
	if (errno || *endp)
		return -EINVAL;
	return 0;
}
