/* Running a shellpack (docs/shellpacks.md): the one place that builds a
 * shellpack's environment and runs its install, bench and parse-results.
 * run-mmtests (install, bench) and compare (parse-results of trees that
 * have no cache) both come through here. */
#ifndef MMT_SHELLPACK_RUN_H
#define MMT_SHELLPACK_RUN_H

#include "env.h"
#include "shellpack_conf.h"
#include "spawn.h"
#include "strbuf.h"

/* base plus what shellpack.conf says, into out (a new env):
 *   - every declared variable the config left unset or empty gets its
 *     expanded default (expand.h), so scripts never restate defaults;
 *   - SHELLPACK_ROOT (its directory), SHELLPACK_PACKAGES and
 *     SHELLPACK_COMMANDS (space-separated), SHELLPACK_SOURCE_FILE,
 *     _SHA256 and _URL when it has a source.
 * -EINVAL (reported, naming the shellpack.conf) when a default cannot be
 * expanded. */
int shellpack_env(const struct shellpack_meta *m, const struct env *base, struct env *out);

/* Run the shellpack's install -- or, when it has none but declares
 * packages, the shared installer (shellpacks/install-packages: installs
 * the packages unless every command is already there) -- with env, output
 * appended to log. 0 with *res filled (nothing to install: 0, res zeroed),
 * or -errno. */
int shellpack_run_install(const struct shellpack_meta *m, struct env *env, const char *log,
			  struct spawn_result *res, double timeout);
/* Run bench in its own process group with env, output appended to log;
 * stopped (TERM, then KILL) after timeout seconds unless 0
 * (res->timed_out says so); tick (unless NULL) called every second while
 * it runs, with the seconds since it started. */
int shellpack_run_bench(const struct shellpack_meta *m, struct env *env, const char *log,
			struct spawn_result *res, double timeout,
			void (*tick)(void *, double), void *tick_arg);

/* Run parse-results LOGDIR and check every line is a sample
 * (metric factorA factorB sample value [extra]); the output into tsv.
 * envp NULL: ours. 0; -ENODATA when it printed nothing (not reported:
 * the caller knows whether that is wrong); or -errno / -EINVAL, reported
 * naming the script and the line; -ETIMEDOUT (reported) when it ran
 * past timeout seconds (0: no limit) and was stopped. */
int shellpack_parse_results(const struct shellpack_meta *m, const char *logdir,
			    char *const *envp, struct strbuf *tsv, double timeout);
/* Seconds parse-results may take where nothing else says. */
#define SHELLPACK_PARSE_TIMEOUT 600

/* The shellpack's own limit for its bench (shellpack.conf timeout,
 * expanded in env like a default): 0 with *secs set (0: none), or
 * -EINVAL, reported naming the file. */
int shellpack_bench_timeout(const struct shellpack_meta *m, const struct env *env, double *secs);

/* The declared commands not found in PATH (path: a PATH string), as
 * "a, b" into missing; returns how many. */
int shellpack_missing_commands(const struct shellpack_meta *m, const char *path,
			       struct strbuf *missing);

#endif
