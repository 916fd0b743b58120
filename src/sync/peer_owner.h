/* Which local process is at the other end of a TCP connection: QEMU's
 * guestfwd opens one connection to the barrier when the VM starts and
 * carries every exchange of its guest on it, silent until the guest runs.
 * Found through /proc (the peer's socket inode in /proc/net/tcp{,6},
 * then the processes' descriptors), so it works for loopback peers only. */
#ifndef MMT_PEER_OWNER_H
#define MMT_PEER_OWNER_H

#include <sys/types.h>

/* owner[i] = the index in pid[] of the process holding the peer end of
 * connection fd[i], or -1. One pass over /proc for all of them. */
void peer_owner(const int *fd, int nfd, const pid_t *pid, int npid, int *owner);

#endif
