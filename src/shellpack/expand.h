/* Expanding a shellpack.conf default the way bash would expand it in
 * ${VAR:-default}: $NAME, ${NAME} and $((integer arithmetic with + - * / %
 * and parentheses over numbers and names)), values from an environment.
 * Nothing else is special (no commands, no globbing, no quotes). */
#ifndef MMT_EXPAND_H
#define MMT_EXPAND_H

#include "env.h"
#include "strbuf.h"

/* 0 with the expansion appended to out, or -EINVAL with *why saying what
 * is wrong (an unset name, a name that is not a number in $((...)),
 * division by zero, a syntax error). An unset $NAME is an error: a default
 * that depends on something missing would silently become empty. */
int expand_default(const char *text, const struct env *e, struct strbuf *out, const char **why);

#endif
