/* mig-mon: migration testing tools in one program (sub-commands): a
 * migration-stream emulator (vm), a dirty-memory generator (mm_dirty) and
 * network downtime probes (server/client, server_rr/client_rr).
 * Wire-compatible with Peter Xu's mig_mon. */
#ifndef MMT_MIGMON_H
#define MMT_MIGMON_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "benchlib.h"

#define MIGMON_PORT 12323

/* Set by SIGINT/SIGTERM: every loop ends and prints its summary. */
extern volatile sig_atomic_t migmon_stop;
void migmon_signals(void);

static inline int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* model.c: the precopy model; sizes in MB, rates in MB/s, tau in s. */
struct prediction {
	int converges;
	int rounds;		/* rounds after the first full pass; the last is the stop-and-copy */
	double data_mb, seconds, downtime_s;
};
struct prediction predict(double mem, double dirty, double bw, double wss, double tau);

int cmd_vm(int argc, char **argv);
int cmd_mm_dirty(int argc, char **argv);
int cmd_server(int argc, char **argv, int rr);
int cmd_client(int argc, char **argv, int rr);
int cmd_model(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

#endif
