/* Checking a config's values against the variables a shellpack declares
 * (shellpack.conf "variable" sections), before anything runs. */
#ifndef MMT_SHELLPACK_VARS_H
#define MMT_SHELLPACK_VARS_H

#include "env.h"
#include "shellpack_conf.h"

/* Each bad value is reported naming the variable, its value, what was
 * expected, the benchmark and where (the config). Returns how many. */
int shellpack_vars_check(const struct shellpack_meta *m, const struct env *e, const char *where);

#endif
