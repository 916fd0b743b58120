/* mmtests-monitor: record monitors without a benchmark, for a while or
 * until Ctrl-C. What run-mmtests does around each test, on its own. */
#include <getopt.h>
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
#include "paths.h"
#include "spawn.h"
#include "xalloc.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: mmtests-monitor [-f|--frequency SEC] [-t|--time SEC] [-o|--output DIR]\n"
"                       [--tag TAG] [--plain|--gzip|--latency] NAME...\n"
"Record monitors into DIR/NAME-TAG[.gz] (default DIR . and TAG monitor)\n"
"for SEC seconds or until interrupted. NAME is a built-in monitor or a\n"
"monitors/watch-NAME script; --list shows them.\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "frequency", required_argument, NULL, 'f' },
		{ "time", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "tag", required_argument, NULL, 'T' },
		{ "plain", no_argument, NULL, 'P' },
		{ "gzip", no_argument, NULL, 'G' },
		{ "latency", no_argument, NULL, 'L' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *freq = "1", *outdir = ".", *tag = "monitor", *mode = "MONITORS_GZIP";
	double duration = 0;
	struct paths paths;
	struct env env = ENV_INIT;
	struct monitor_config mc;
	struct monitor_session *s;
	struct strbuf names = STRBUF_INIT, report = STRBUF_INIT;
	int c, list = 0;
	char *monitors_dir;

	log_set_program("mmtests-monitor");
	while ((c = getopt_long(argc, argv, "f:t:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'f': freq = optarg; break;
		case 't': duration = atof(optarg); break;
		case 'o': outdir = optarg; break;
		case 'T': tag = optarg; break;
		case 'P': mode = "MONITORS_PLAIN"; break;
		case 'G': mode = "MONITORS_GZIP"; break;
		case 'L': mode = "MONITORS_WITH_LATENCY"; break;
		case 'l': list = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (paths_discover(&paths))
		return 1;
	monitors_dir = path_join(paths.top, "monitors");
	if (list) {
		monitor_list_known(monitors_dir, &names);
		printf("%s\n", names.buf);
		return 0;
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++)
		sb_addf(&names, "%s%s", i > optind ? " " : "", argv[i]);
	env_from_environ(&env);
	env_set(&env, mode, names.buf);
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
