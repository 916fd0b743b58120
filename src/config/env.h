/* An environment as a list of "KEY=VALUE" strings, usable as envp. */
#ifndef MMT_ENV_H
#define MMT_ENV_H

#include <stddef.h>

struct env {
	char **vars;	/* NULL-terminated */
	size_t n;
	size_t alloc;
};

#define ENV_INIT { NULL, 0, 0 }

void env_free(struct env *e);
void env_from_environ(struct env *e);
/* dst becomes a copy of src (dst's contents are dropped). */
void env_copy(struct env *dst, const struct env *src);
/* Parse `env -0` output; replaces e's contents. */
void env_from_nul_list(struct env *e, const char *buf, size_t len);
const char *env_get(const struct env *e, const char *key);
void env_set(struct env *e, const char *key, const char *value);
void env_unset(struct env *e, const char *key);
/* envp view; valid until the next change. */
char *const *env_vector(struct env *e);
/* Integer value of key; -EINVAL when missing or not a whole number. */
int env_get_long(const struct env *e, const char *key, long *out);

#endif
