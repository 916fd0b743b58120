/* mmtests-monitor: record monitors without a benchmark, for a while or
 * until Ctrl-C. What run-mmtests does around each test, on its own. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "monitor.h"
#include "options.h"
#include "paths.h"
#include "spawn.h"
#include "xalloc.h"

static const struct opt_usage usage = {
	.program = "mmtests-monitor",
	.synopsis = "[options] NAME...",
	.description =
"Record monitors into DIR/NAME-TAG[.gz] (default DIR . and TAG monitor)\n"
"for SEC seconds or until interrupted. NAME is a built-in monitor or a\n"
"monitors/watch-NAME script; --list shows them.\n",
	.epilog = "Exit status: 0 ok, 1 a monitor had a problem, 2 usage.\n",
};

enum { OUT_GZIP, OUT_PLAIN, OUT_LATENCY };
static const char *const mode_vars[] = { "MONITORS_GZIP", "MONITORS_PLAIN", "MONITORS_WITH_LATENCY" };

int main(int argc, char **argv)
{
	const char *freq = "1", *outdir = ".", *tag = "monitor";
	double duration = 0;
	struct paths paths;
	struct env env = ENV_INIT;
	struct monitor_config mc;
	struct monitor_session *s;
	struct strbuf names = STRBUF_INIT, report = STRBUF_INIT;
	int list = 0, mode = OUT_GZIP;
	char *monitors_dir;
	const struct opt opts[] = {
		OPT_STRING('f', "frequency", &freq, "SEC", "seconds between samples (default 1)"),
		OPT_NUMBER('t', "time", &duration, "SEC", 0, 1e9, "stop after SEC seconds (default: at Ctrl-C)"),
		OPT_STRING('o', "output", &outdir, "DIR", "where the files go (default .)"),
		OPT_STRING(0, "tag", &tag, "TAG", "file names NAME-TAG (default monitor)"),
		OPT_FLAG(0, "plain", &mode, OUT_PLAIN, "not compressed"),
		OPT_FLAG(0, "gzip", &mode, OUT_GZIP, "gzip (the default)"),
		OPT_FLAG(0, "latency", &mode, OUT_LATENCY, "gzip, each line prefixed by epoch, offset, gap"),
		OPT_BOOL(0, "list", &list, "the monitors known"),
		OPT_END()
	};

	log_set_program("mmtests-monitor");
	int first = opt_parse(argc, argv, opts, &usage, 0);
	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (paths_discover(&paths))
		return 1;
	monitors_dir = path_join(paths.top, "monitors");
	if (list) {
		monitor_list_known(monitors_dir, &names);
		printf("%s\n", names.buf);
		return 0;
	}
	if (first == argc) {
		err_msg("no monitor named (mmtests-monitor --list shows them)");
		return 2;
	}
	for (int i = first; i < argc; i++)
		sb_addf(&names, "%s%s", i > first ? " " : "", argv[i]);
	env_from_environ(&env);
	env_set(&env, mode_vars[mode], names.buf);
	env_set(&env, "MONITOR_UPDATE_FREQUENCY", freq);
	env_set(&env, "RUN_MONITOR", "yes");
	if (monitor_config_load(&mc, &env, 1, monitors_dir) || mkdir_p(outdir, 0755))
		return 2;
	interrupt_install();
	if (monitor_start(&mc, outdir, tag, &env, &s)) {
		monitor_stop(s, &report);
		return 1;
	}
	double end = duration > 0 ? monotonic_now() + duration : INFINITY;
	/* Sleep until the end; a signal interrupts the sleep. */
	while (!interrupt_pending() && monotonic_now() < end) {
		double left = isinf(end) ? 3600 : end - monotonic_now();
		struct timespec ts = { (time_t)left, (long)((left - (time_t)left) * 1e9) };
		nanosleep(&ts, NULL);
	}
	int problems = monitor_stop(s, &report);
	if (report.len)
		fputs(report.buf, stderr);
	monitor_config_free(&mc);
	env_free(&env);
	paths_free(&paths);
	free(monitors_dir);
	sb_release(&names);
	sb_release(&report);
	return problems ? 1 : 0;
}
