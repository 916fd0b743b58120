/* The keeper of a benchmark's process group (see keeper.c). */
#ifndef MMT_KEEPER_H
#define MMT_KEEPER_H

#include <signal.h>
#include <sys/types.h>

/* To the keeper: stop the test (TERM to all of it, KILL after the grace).
 * It also arrives when the keeper's parent dies. */
#define KEEPER_STOP_SIGNAL (SIGRTMIN + 1)

/* The descriptor keepers keep open (the run lock), or -1. */
void keeper_hold_fd(int fd);
/* In the keeper, leader of a new group, before it forks the program:
 * becomes child subreaper, takes KEEPER_STOP_SIGNAL (also sent if parent
 * dies), ignores TERM/INT/HUP (the program's to act on). */
void keeper_begin(pid_t parent);
/* After forking prog: waits for prog, reaps what it orphans, stops
 * everything on KEEPER_STOP_SIGNAL, and ends as prog ended once nothing
 * of it is left. Never returns. */
void keeper_run(double grace, pid_t prog) __attribute__((noreturn));

#endif
