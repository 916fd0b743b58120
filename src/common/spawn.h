/* Child processes: spawn with redirections, in their own process group,
 * wait with interrupt handling, capture output. */
#ifndef MMT_SPAWN_H
#define MMT_SPAWN_H

#include <sys/resource.h>
#include <sys/types.h>

#include "strbuf.h"

struct spawn {
	char *const *argv;
	char *const *envp;	/* NULL: inherit ours */
	const char *cwd;	/* NULL: ours */
	int stdout_fd;		/* -1: inherit */
	int stderr_fd;		/* -1: inherit */
	int new_pgrp;		/* own process group, so a stop reaches all of it */
	double stop_grace;	/* seconds between TERM and KILL on interrupt */
	double timeout;		/* seconds it may run, then stopped as on an interrupt; 0: none */
	/* called about every tick_every seconds while the child runs (a live
	 * status line); NULL: none */
	void (*tick)(void *arg, double elapsed);
	void *tick_arg;
	double tick_every;
};

struct spawn_result {
	int status;		/* raw wait status */
	struct rusage ru;	/* child and its reaped descendants */
	double elapsed;		/* seconds, monotonic */
	int stopped_by;		/* signal that made us stop it, or 0 */
	int timed_out;		/* stopped because it ran past sp->timeout */
};

void spawn_init(struct spawn *sp, char *const *argv);
/* Start and wait. On an interrupt (pending or arriving) the child's group
 * gets SIGTERM, then SIGKILL after stop_grace; res->stopped_by records
 * the signal.
 * Returns 0 when the child ran (check res->status), -errno otherwise. */
int spawn_run(const struct spawn *sp, struct spawn_result *res);
/* Exit code for a wait status: exit code, or 128+signal. */
int spawn_exit_code(int status);
/* Run argv with stdin from /dev/null, collecting stdout and stderr until
 * it exits (a background process it leaves holding the pipes does not
 * hold us). An interrupt stops it (TERM, then KILL); so does printing
 * more than SPAWN_CAPTURE_MAX (-EFBIG, reported). */
#define SPAWN_CAPTURE_MAX (512u << 20)	/* bytes of output a capture keeps */
int spawn_capture(char *const *argv, char *const *envp, struct strbuf *out,
		  struct strbuf *err, int *status);
/* The same under a keeper (its own process group, see keeper.c): nothing
 * it starts outlives it. Stopped (TERM, then KILL) after timeout seconds
 * unless 0: -ETIMEDOUT then (not reported; *status is how it ended). */
int spawn_capture_kept(char *const *argv, char *const *envp, struct strbuf *out,
		       struct strbuf *err, int *status, double timeout);
/* The same for clean-up that must run after an interrupt: only an
 * interrupt that arrives while it runs stops it. */
int spawn_capture_cleanup(char *const *argv, char *const *envp, struct strbuf *out,
			  struct strbuf *err, int *status);
double monotonic_now(void);

#endif
