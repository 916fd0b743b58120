/* Checking a config's values against the variables a shellpack declares
 * (shellpack.conf "variable" sections), before anything runs. */
#ifndef MMT_SHELLPACK_VARS_H
#define MMT_SHELLPACK_VARS_H

#include "env.h"
#include "shellpack_conf.h"

/* Each bad value is reported naming the variable, its value, what was
 * expected, the benchmark and where (the config). Returns how many. */
int shellpack_vars_check(const struct shellpack_meta *m, const struct env *e, const char *where);

/* A variable the configs set (set) that looks like a benchmark's -- it
 * starts with one of its prefixes: those of the variables it declares, and
 * its name as MMTests spells prefixes (stress-ng: STRESSNG_, bonnie++:
 * BONNIEPP_) -- but that none of the run's benchmarks (packs) declares has
 * no effect: each is warned about (MMTests's PGBENCH_MAX_TIME given to our
 * pgbench, say). Returns how many. */
int shellpack_vars_unread(const struct shellpack_meta *packs, int npacks, const struct env *set,
			  const char *where);

#endif
