/* Guest side of the barrier protocol (DESIGN.md, "Sync"). The endpoint
 * comes from MMTESTS_SYNC; without it every sync point returns at once. */
#ifndef MMT_SYNC_CLIENT_H
#define MMT_SYNC_CLIENT_H

int sync_token_valid(const char *token);
/* 0 when released (or no barrier configured), negative errno otherwise. */
int sync_point(const char *token);

#endif
