/* Monitors around each test (MMTests's semantics): built-in samplers run
 * in one thread on a monotonic schedule; script monitors
 * (monitors/watch-<name>) run as children whose output the same thread
 * writes (gzip, latency prefix). */
#ifndef MMT_MONITOR_H
#define MMT_MONITOR_H

#include "env.h"
#include "strbuf.h"

enum mon_mode { MODE_ALWAYS, MODE_PLAIN, MODE_GZIP, MODE_LATENCY, MODE_TRACER };

struct monitor_spec {
	char *name;
	enum mon_mode mode;
	const struct sampler_ops *ops;	/* built-in, or NULL */
	char *script;			/* monitors/watch-<name>, or NULL */
};

struct monitor_config {
	struct monitor_spec *specs;
	int n;
	double interval;		/* MONITOR_UPDATE_FREQUENCY, seconds */
	char *hooks;			/* MONITOR_HOOKS */
};

/* From the config environment: MONITORS_ALWAYS/PLAIN/GZIP/WITH_LATENCY/
 * TRACER, RUN_MONITOR (force: -1 config decides, 0 off, 1 on),
 * MONITOR_UPDATE_FREQUENCY. Unknown names and bad frequencies are errors
 * naming the value and listing what is known. */
int monitor_config_load(struct monitor_config *mc, const struct env *env, int force,
			const char *monitors_dir);
void monitor_config_free(struct monitor_config *mc);
/* Every monitor name known (built-in and scripts in monitors_dir). */
void monitor_list_known(const char *monitors_dir, struct strbuf *out);

struct monitor_session;

/* Start every configured monitor for one test: iterdir/<name>-<bench>[.gz]
 * and a <name>-<bench>.start stamp. env: the environment of scripts. */
int monitor_start(const struct monitor_config *mc, const char *iterdir, const char *bench,
		  const struct env *env, struct monitor_session **out);
/* Stop them (scripts: TERM, then INT, then KILL on a bounded timetable),
 * finish the files. Problems (a monitor that died early, write errors,
 * missed ticks) are appended to report, one line each. Returns the number
 * of monitors that had a problem. */
int monitor_stop(struct monitor_session *s, struct strbuf *report);

#endif
