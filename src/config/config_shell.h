/* MMTests-style configs (`export VAR=value` bash files) are evaluated by
 * bash itself: helper library first, then each config in order, then the
 * exported environment is captured with `env -0`. */
#ifndef MMT_CONFIG_SHELL_H
#define MMT_CONFIG_SHELL_H

#include "env.h"

/*
 * base:   environment bash starts with (SHELLPACK_* paths, host facts).
 * helper: helper library sourced before the configs (may be NULL).
 * out:    the exported environment after the configs ran.
 * On failure bash's own message (file and line) has been shown and a
 * negative errno is returned.
 */
int config_load(struct env *base, const char *helper, const char *const *files,
		int nfiles, struct env *out);

/* Run an exported bash function (a MONITOR_HOOKS hook) in env; with
 * keep_env, what it exports becomes env (MMTests runs init hooks in its
 * own shell, so their exports last). cleanup: it runs after an interrupt
 * too, stopped only by one that arrives while it runs. */
int config_run_hook(struct env *env, const char *function, int keep_env, int cleanup);

/* Add host facts MMTests configs use: NUMCPUS (and NUM_CPUS), NUMNODES,
 * MEMTOTAL_BYTES, MEMTOTAL_PAGES, PAGESIZE, HUGE_PAGESIZE. */
void config_add_host_facts(struct env *e);

#endif
