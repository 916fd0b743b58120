#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "migmon.h"

volatile sig_atomic_t migmon_stop;

static void on_signal(int sig)
{
	migmon_stop = 1;
}

void migmon_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: blocking calls return EINTR and the loops see it */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: mig-mon vm -d [-p PORT] [-S GB] [-D SECS]\n"
"       mig-mon vm -s -H HOST [-t precopy] [-t postcopy] [-p PORT] [-S GB] [-D SECS]\n"
"       mig-mon mm_dirty [-m SIZE] [-r RATE] [-p sequential|random|once] [-P 4k|2m|1g] [-L]\n"
"                        [-s SLICE_MS] [-D SECS] [-j JSON]\n"
"       mig-mon server [-p PORT] [-j JSON] [SPIKE_LOG]  one-way UDP probe receiver\n"
"       mig-mon client [-p PORT] HOST [INTERVAL_MS]\n"
"       mig-mon server_rr [-p PORT]                 UDP echo server\n"
"       mig-mon client_rr [-p PORT] [-D SECS] [-j JSON] HOST [INTERVAL_MS [SPIKE_LOG]]\n"
"       mig-mon migrate -s SRC_QMP -d DST_QMP -u URI [-b MB/s] [-t DOWNTIME_MS] [-T TIMEOUT_S]\n"
"                       [-w WSS_MB] [-r DIRTY_MB/s] [-j JSON]\n"
"       mig-mon migrate -J JOBINFO [-b MB/s] [-t DOWNTIME_MS] [-w WSS_MB] [-r DIRTY_MB/s] [-j JSON]\n"
"       mig-mon model -m MEMORY_MB -d DIRTY_MB/s -b BANDWIDTH_MB/s [-w WSS_MB] [-t DOWNTIME_MS]\n"
"vm emulates a live-migration stream: precopy pages src->dst (bandwidth\n"
"printed every second on the source), postcopy page requests dst->src\n"
"(latency printed every second on the destination). mm_dirty dirties memory\n"
"at RATE MB/s (SIZE in MB unless suffixed), sequential rounds checking the\n"
"previous round's values. client_rr measures reply gaps (downtime) to a\n"
"server_rr. migrate drives a live migration between two QEMUs over QMP and\n"
"puts the model's prediction beside what QEMU measured. model predicts a precopy migration (Hirofuchi et al. 2013).\n"
"Default port %d. SIGINT/SIGTERM (or -D) end with a summary.\n"
"Exit status: 0 done, 1 a network, memory or QMP error, 2 bad arguments,\n"
"3 memory corruption found by mm_dirty, 4 a migration cancelled at its timeout.\n",
		MIGMON_PORT);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
		printf("Version: %s\n", PACKAGE_VERSION);	/* as the original prints it */
		return 0;
	}
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	migmon_signals();
	const char *cmd = argv[1];
	static char program[64];
	snprintf(program, sizeof(program), "mig-mon %s", cmd);
	bench_set_program(program);
	argc--;
	argv++;
	if (!strcmp(cmd, "vm"))
		return cmd_vm(argc, argv);
	if (!strcmp(cmd, "model"))
		return cmd_model(argc, argv);
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(argc, argv);
	if (!strcmp(cmd, "mm_dirty"))
		return cmd_mm_dirty(argc, argv);
	if (!strcmp(cmd, "server") || !strcmp(cmd, "server_rr"))
		return cmd_server(argc, argv, !strcmp(cmd, "server_rr"));
	if (!strcmp(cmd, "client") || !strcmp(cmd, "client_rr"))
		return cmd_client(argc, argv, !strcmp(cmd, "client_rr"));
	fprintf(stderr, "mig-mon: unknown sub-command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
