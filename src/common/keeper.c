/* The keeper: leader of a benchmark's process group and the child
 * subreaper of everything the benchmark starts, so no part of it outlives
 * the test -- not a process that left the group (setsid, a daemon), not
 * one whose parent died, and not the whole tree when run-mmtests itself
 * is killed by SIGKILL.
 *
 * Runs in a forked child of a possibly threaded process: only
 * async-signal-safe calls (no malloc: /proc is read with open/read). */
#include "keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int hold_fd = -1;

void keeper_hold_fd(int fd)
{
	hold_fd = fd;
}

static volatile sig_atomic_t stop_asked;

static void on_stop(int sig)
{
	stop_asked = 1;
}

static void on_ignored(int sig)
{
	/* the group's TERM/INT is for the benchmark; the keeper stays to clean up */
}

/* Close what we inherited but the run lock: the keeper never execs, so
 * close-on-exec drops nothing; the lock stays held until the last
 * process of the test is gone, so a --resume cannot start beside it. */
static void close_inherited(void)
{
	if (hold_fd < 3) {
		if (syscall(SYS_close_range, 3U, ~0U, 0) == 0)
			return;
	} else if ((hold_fd == 3 || syscall(SYS_close_range, 3U, (unsigned)hold_fd - 1, 0) == 0) &&
		   syscall(SYS_close_range, (unsigned)hold_fd + 1, ~0U, 0) == 0) {
		return;
	}
	for (int fd = 3; fd < 1024; fd++)
		if (fd != hold_fd)
			close(fd);
}

static void fmt_children_path(char *buf, size_t len, pid_t pid)
{
	snprintf(buf, len, "/proc/%d/task/%d/children", (int)pid, (int)pid);
}

/* sig to every descendant of pid reachable through its main thread's
 * children (a process forked by another thread is reached when its
 * parent dies and it comes to us). Depth bounded: deeper ones are
 * reached the same way, round after round. */
static void signal_tree(pid_t pid, int sig, int depth)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	fmt_children_path(path, sizeof(path), pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *p = buf; *p; ) {
		pid_t child = 0;
		while (*p == ' ')
			p++;
		while (*p >= '0' && *p <= '9')
			child = child * 10 + (*p++ - '0');
		if (!child)
			break;
		kill(child, sig);
		if (sig != SIGKILL)
			kill(child, SIGCONT);
		if (depth < 32)
			signal_tree(child, sig, depth + 1);
	}
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* SIGKILL everything below us until nothing is left to reap. Not
 * kill(-group): the keeper leads the group and would die with it. */
static void kill_all(void)
{
	for (;;) {
		int status;
		signal_tree(getpid(), SIGKILL, 0);
		if (waitpid(-1, &status, __WALL) < 0 && errno == ECHILD)
			return;
	}
}

/* TERM to the group (the keeper ignores it) and to every descendant,
 * even those that left the group; wait for the program up to the grace. */
static void stop_all(pid_t prog, double grace, int *status, int *prog_done)
{
	kill(-getpgrp(), SIGTERM);
	kill(-getpgrp(), SIGCONT);
	signal_tree(getpid(), SIGTERM, 0);
	for (double waited = 0; waited < grace && !*prog_done; waited += 0.005) {
		int st;
		pid_t r;
		while ((r = waitpid(-1, &st, WNOHANG | __WALL)) > 0)
			if (r == prog)
				*status = st, *prog_done = 1;
		if (!*prog_done)
			nap_ms(5);	/* the run waits for us: answer quickly */
	}
}

void keeper_begin(pid_t parent)
{
	struct sigaction sa = { .sa_handler = on_stop };

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigaction(KEEPER_STOP_SIGNAL, &sa, NULL);
	sa.sa_handler = on_ignored;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, KEEPER_STOP_SIGNAL);
	if (getppid() != parent)
		stop_asked = 1;	/* it died before prctl */
}

void keeper_run(double grace, pid_t prog)
{
	int status = 0, prog_done = 0;

	close_inherited();
	while (!prog_done && !stop_asked) {
		int st;
		pid_t r = waitpid(-1, &st, __WALL);	/* orphans that end come here too */
		if (r == prog)
			status = st, prog_done = 1;
		else if (r < 0 && errno != EINTR)
			break;
	}
	if (!prog_done)
		stop_all(prog, grace, &status, &prog_done);
	kill_all();	/* the program ended: whatever it left behind goes */
	if (!prog_done)
		status = SIGKILL;	/* as a wait status: killed by it */
	if (WIFSIGNALED(status)) {
		prctl(PR_SET_PDEATHSIG, 0);
		signal(WTERMSIG(status), SIG_DFL);
		kill(getpid(), WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 255);
}
