/* Host side of the barrier: every live member (VM) must arrive at a sync
 * point before all of them are released at once. One thread polls every
 * listening socket and connection; many guests arriving in the same
 * millisecond are all accepted (backlog 1024) and no token is lost. Every
 * arrive and release is timestamped into the log. */
#ifndef MMT_BARRIER_H
#define MMT_BARRIER_H

#include <stdio.h>
#include <sys/types.h>

struct barrier;

typedef void (*barrier_status_fn)(void *ctx, const char *member, const char *text);
/* Called (from the barrier's thread) after each release; returns how many
 * holds to place: the next release waits until each is dropped with
 * barrier_unhold() -- time for the host to act between two sync points. */
typedef int (*barrier_release_fn)(void *ctx, const char *token);

struct barrier *barrier_new(const char *secret, FILE *log);
/* A member and the secret its HELLO must carry (NULL: the barrier's). */
int barrier_add_member(struct barrier *b, const char *name, const char *secret);
/* Listen on TCP (port 0: any; *bound gets the port) or a unix socket. */
int barrier_listen_tcp(struct barrier *b, const char *addr, unsigned port, unsigned *bound);
int barrier_listen_unix(struct barrier *b, const char *path);
/* AF_VSOCK, any CID (guests connect to the host's CID 2). */
int barrier_listen_vsock(struct barrier *b, unsigned port);
/* A connected stream that belongs to one member (a virtio-serial channel's
 * unix socket, opened by QEMU): it stays open across sync points. */
int barrier_attach(struct barrier *b, const char *member, int fd);
/* Without anything watching the members (mmtests-sync --serve): a member
 * whose connection closes while it waits is lost unless it says HELLO
 * again within seconds. */
/* The member's QEMU process: a connection it opens (guestfwd) is taken
 * for that member's channel instead of being closed for its silence. */
int barrier_member_qemu(struct barrier *b, const char *member, pid_t pid);
void barrier_lose_on_close(struct barrier *b, double seconds);
/* A member that has not arrived at a sync point this many seconds after
 * the first member did is lost (a member that died between two sync
 * points: with a connection per exchange nothing else shows it). */
void barrier_lose_stragglers(struct barrier *b, double seconds);
void barrier_on_status(struct barrier *b, barrier_status_fn fn, void *ctx);
void barrier_on_release(struct barrier *b, barrier_release_fn fn, void *ctx);
void barrier_unhold(struct barrier *b);
int barrier_start(struct barrier *b);
/* A member is gone (VM died, SSH lost): it no longer holds the others. */
void barrier_member_lost(struct barrier *b, const char *name, const char *why);
/* Release skews measured so far (first to last release write), seconds. */
int barrier_skews(struct barrier *b, double **skews);
int barrier_releases(struct barrier *b);
void barrier_stop(struct barrier *b);
void barrier_free(struct barrier *b);

#endif
