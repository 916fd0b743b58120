/* mmtests-sync TOKEN: what shellpacks call at sync points.
 * mmtests-sync --serve --members A,B --secret S [--listen ADDR:PORT]
 * [--log FILE]: a barrier on this host (run-kvm embeds the same), for
 * lock-step runs without VMs and for tests. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barrier.h"
#include "interrupt.h"
#include "log.h"
#include "sync_client.h"
#include "xalloc.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: mmtests-sync TOKEN\n"
"       mmtests-sync --serve --members A,B,... --secret S [--listen ADDR:PORT] [--log FILE]\n"
"Wait at a barrier shared by all VMs of a run-kvm run. TOKEN is one of\n"
"mmtests_start test_do iteration_begin iteration_end test_done mmtests_end.\n"
"The endpoint is MMTESTS_SYNC (tcp:HOST:PORT, unix:PATH, serial:DEVICE,\n"
"vsock:CID:PORT), with MMTESTS_SYNC_NAME and MMTESTS_SYNC_SECRET; without\n"
"MMTESTS_SYNC it returns at once. --serve runs a barrier until interrupted\n"
"and prints its endpoint.\n");
}

static int serve(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "serve", no_argument, NULL, 'S' },
		{ "members", required_argument, NULL, 'm' },
		{ "secret", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "log", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	const char *members = NULL, *secret = NULL, *listen_on = "127.0.0.1:0", *logpath = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'S': break;
		case 'm': members = optarg; break;
		case 's': secret = optarg; break;
		case 'l': listen_on = optarg; break;
		case 'L': logpath = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (!members || !secret) {
		err_msg("--serve needs --members and --secret");
		return 2;
	}
	FILE *log = logpath ? fopen(logpath, "a") : NULL;
	if (logpath && !log) {
		err_msg("cannot write %s", logpath);
		return 1;
	}
	struct barrier *b = barrier_new(secret, log);
	char *copy = xstrdup(members), *save = NULL;
	for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save))
		barrier_add_member(b, m);
	free(copy);
	char addr[128];
	snprintf(addr, sizeof(addr), "%s", listen_on);
	char *colon = strrchr(addr, ':');
	unsigned port = colon ? (unsigned)atoi(colon + 1) : 0, bound = 0;
	if (colon)
		*colon = '\0';
	if (barrier_listen_tcp(b, addr, port, &bound) || barrier_start(b))
		return 1;
	printf("tcp:%s:%u\n", addr, bound);
	fflush(stdout);
	interrupt_install();
	while (!interrupt_pending())
		pause();
	barrier_free(b);
	if (log)
		fclose(log);
	return 0;
}

int main(int argc, char **argv)
{
	log_set_program(argv[0]);
	if (argc > 1 && !strcmp(argv[1], "--serve"))
		return serve(argc, argv);
	if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc == 2 ? stdout : stderr);
		return argc == 2 ? 0 : 2;
	}
	return sync_point(argv[1]) ? 1 : 0;
}
