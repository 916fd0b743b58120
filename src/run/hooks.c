/* MONITOR_HOOKS="name ...": name_monitor-init runs once before the first
 * test and name_monitor-end once after the last (whatever happened), from
 * the runner; -pre/-post are called by shellpacks (common.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_shell.h"
#include "log.h"
#include "run.h"
#include "xalloc.h"

void hooks_run(struct run *r, const char *stage)
{
	const char *list = env_get(&r->env, "MONITOR_HOOKS");
	char *copy, *save = NULL;

	if (!list || !*list)
		return;
	copy = xstrdup(list);
	for (char *h = strtok_r(copy, " \t", &save); h; h = strtok_r(NULL, " \t", &save)) {
		char *fn = xasprintf("%s_monitor-%s", h, stage);
		char *key = xasprintf("BASH_FUNC_%s%%%%", fn);
		if (env_get(&r->env, key)) {
			info_msg("hook %s", fn);
			/* end runs whatever happened, after an interrupt too */
			if (config_run_hook(&r->env, fn, !strcmp(stage, "init"), !strcmp(stage, "end")))
				warn_msg("hook %s failed; the run goes on", fn);
		}
		free(key);
		free(fn);
	}
	free(copy);
}
