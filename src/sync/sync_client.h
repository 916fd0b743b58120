/* Guest side of the barrier protocol (docs/sync-protocol.md). One short
 * exchange per sync point:
 *   guest: "HELLO <vm> <secret>\n" "ARRIVE <token>\n"
 *   host:  "RELEASE <token>\n" | "DENIED <reason>\n" | "ABORT <reason>\n"
 * or "STATUS <text>\n" instead of ARRIVE (no answer). The endpoint, the
 * VM's name and the run's secret come from MMTESTS_SYNC, MMTESTS_SYNC_NAME
 * and MMTESTS_SYNC_SECRET; without MMTESTS_SYNC every sync point returns
 * at once. */
#ifndef MMT_SYNC_CLIENT_H
#define MMT_SYNC_CLIENT_H

#include "sync_endpoint.h"

int sync_token_valid(const char *token);
/* 0 when released, negative errno otherwise (reported). */
int sync_wait(const struct sync_endpoint *ep, const char *name, const char *secret,
	      const char *token);
int sync_status(const struct sync_endpoint *ep, const char *name, const char *secret,
		const char *text);
/* From the environment; 0 at once when no barrier is configured. */
int sync_point(const char *token);
/* A status line to the host when a barrier is configured. */
void sync_report_status(const char *text);

#endif
