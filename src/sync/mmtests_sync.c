/* mmtests-sync TOKEN: what shellpacks call at sync points.
 * mmtests-sync --serve --members A,B [--secret-file F] [--listen ADDR:PORT]
 * [--log FILE]: a barrier on this host (run-kvm embeds the same), for
 * lock-step runs without VMs and for tests. The secret comes from a file
 * or MMTESTS_SYNC_SECRET, never the command line (ps shows it). */
#include <errno.h>
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
	.synopsis = "TOKEN\n       mmtests-sync --serve --members A,B,... [--secret-file FILE] [--listen ADDR:PORT] [--log FILE] [--lose-after SECS]",
	.description =
"Wait at a barrier shared by all VMs of a run-kvm run. TOKEN is one of\n"
"mmtests_start test_do iteration_begin iteration_end test_done mmtests_end.\n"
"The endpoint is MMTESTS_SYNC (tcp:HOST:PORT, unix:PATH, serial:DEVICE,\n"
"vsock:CID:PORT), with MMTESTS_SYNC_NAME and MMTESTS_SYNC_SECRET; without\n"
"MMTESTS_SYNC it returns at once; MMTESTS_SYNC_TIMEOUT bounds the wait\n"
"(seconds, default 21600). --serve runs a barrier until interrupted and\n"
"prints its endpoint; its secret is MMTESTS_SYNC_SECRET or --secret-file's\n"
"first line; a member that leaves while waiting and is not back in 1.5 s is\n"
"lost, releasing the others; with --lose-after a member that has not arrived\n"
"SECS after the first one did is lost too (one that died between sync points).\n",
	.epilog = "Exit status: 0 released, 1 not released (denied, aborted, the host went away), 2 usage.\n",
};

struct serve_opts {
	const char *members, *secret, *secret_file, *listen_on, *logpath;
	double lose_after;
};

/* The secret: --secret-file's first line, else MMTESTS_SYNC_SECRET. */
static int load_secret(const struct serve_opts *o, char *out, size_t size)
{
	if (o->secret) {
		err_msg("--secret would show the secret to every user in ps: use --secret-file FILE "
			"or MMTESTS_SYNC_SECRET");
		return -EINVAL;
	}
	if (o->secret_file) {
		FILE *f = fopen(o->secret_file, "r");
		if (!f || !fgets(out, size, f)) {
			err_msg("--secret-file %s: cannot read a line from it", o->secret_file);
			if (f)
				fclose(f);
			return -EINVAL;
		}
		fclose(f);
		out[strcspn(out, "\r\n")] = '\0';
	} else {
		const char *e = getenv("MMTESTS_SYNC_SECRET");
		snprintf(out, size, "%s", e ? e : "");
	}
	if (!*out) {
		err_msg("--serve needs a secret: MMTESTS_SYNC_SECRET or --secret-file FILE");
		return -EINVAL;
	}
	return 0;
}

static int serve(const struct serve_opts *o)
{
	char secret[160];

	if (!o->members) {
		err_msg("--serve needs --members");
		return 2;
	}
	if (load_secret(o, secret, sizeof(secret)))
		return 2;
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
	struct barrier *b = barrier_new(secret, log);
	barrier_lose_on_close(b, 1.5);	/* nothing else watches the members */
	if (o->lose_after > 0)
		barrier_lose_stragglers(b, o->lose_after);
	char *copy = xstrdup(o->members), *save = NULL;
	for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save))
		barrier_add_member(b, m, NULL);
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
		OPT_STRING(0, "secret-file", &so.secret_file, "FILE", "--serve: the secret members say HELLO with\n(default: MMTESTS_SYNC_SECRET)"),
		OPT_STRING(0, "secret", &so.secret, "S", "refused: ps would show it"),
		OPT_STRING(0, "listen", &so.listen_on, "ADDR:PORT", "--serve: where (default 127.0.0.1:0)"),
		OPT_STRING(0, "log", &so.logpath, "FILE", "--serve: arrivals and releases"),
		OPT_POSITIVE(0, "lose-after", &so.lose_after, "SECS", "--serve: a member not arrived SECS after the\nfirst one at a sync point is lost (default: wait)"),
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
