/* mmtests-sync TOKEN: what shellpacks call at sync points.
 * mmtests-sync --serve --members A,B --secret S [--listen ADDR:PORT]
 * [--log FILE]: a barrier on this host (run-kvm embeds the same), for
 * lock-step runs without VMs and for tests. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barrier.h"
#include "interrupt.h"
#include "log.h"
#include "options.h"
#include "sync_client.h"
#include "xalloc.h"

static const struct opt_usage usage = {
	.program = "mmtests-sync",
	.synopsis = "TOKEN\n       mmtests-sync --serve --members A,B,... --secret S [--listen ADDR:PORT] [--log FILE]",
	.description =
"Wait at a barrier shared by all VMs of a run-kvm run. TOKEN is one of\n"
"mmtests_start test_do iteration_begin iteration_end test_done mmtests_end.\n"
"The endpoint is MMTESTS_SYNC (tcp:HOST:PORT, unix:PATH, serial:DEVICE,\n"
"vsock:CID:PORT), with MMTESTS_SYNC_NAME and MMTESTS_SYNC_SECRET; without\n"
"MMTESTS_SYNC it returns at once. --serve runs a barrier until interrupted\n"
"and prints its endpoint.\n",
	.epilog = "Exit status: 0 released, 1 not released (denied, aborted, the host went away), 2 usage.\n",
};

struct serve_opts {
	const char *members, *secret, *listen_on, *logpath;
};

static int serve(const struct serve_opts *o)
{
	if (!o->members || !o->secret) {
		err_msg("--serve needs --members and --secret");
		return 2;
	}
	char addr[128];
	snprintf(addr, sizeof(addr), "%s", o->listen_on);
	char *colon = strrchr(addr, ':');
	long port = 0;
	char *end;
	if (colon) {
		*colon = '\0';
		port = strtol(colon + 1, &end, 10);
	}
	if (!colon || end == colon + 1 || *end || port < 0 || port > 65535) {
		err_msg("--listen %s: use ADDR:PORT (PORT 0: any free port)", o->listen_on);
		return 2;
	}
	FILE *log = o->logpath ? fopen(o->logpath, "a") : NULL;
	if (o->logpath && !log) {
		err_msg("cannot write %s", o->logpath);
		return 1;
	}
	struct barrier *b = barrier_new(o->secret, log);
	char *copy = xstrdup(o->members), *save = NULL;
	for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save))
		barrier_add_member(b, m);
	free(copy);
	unsigned bound = 0;
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
	struct serve_opts so = { .listen_on = "127.0.0.1:0" };
	int serving = 0;
	const struct opt opts[] = {
		OPT_BOOL(0, "serve", &serving, "run a barrier on this host"),
		OPT_STRING(0, "members", &so.members, "A,B,...", "--serve: the members' names"),
		OPT_STRING(0, "secret", &so.secret, "S", "--serve: the secret members say HELLO with"),
		OPT_STRING(0, "listen", &so.listen_on, "ADDR:PORT", "--serve: where (default 127.0.0.1:0)"),
		OPT_STRING(0, "log", &so.logpath, "FILE", "--serve: arrivals and releases"),
		OPT_END()
	};

	log_set_program("mmtests-sync");
	int first = opt_parse(argc, argv, opts, &usage, 0);
	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (serving)
		return first == argc ? serve(&so) : (err_msg("--serve takes no TOKEN"), 2);
	if (first != argc - 1) {
		err_msg("give one TOKEN (mmtests-sync --help lists them)");
		return 2;
	}
	return sync_point(argv[first]) ? 1 : 0;
}
