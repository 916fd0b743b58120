#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "interrupt.h"
#include "keeper.h"
#include "log.h"

extern char **environ;

double monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void spawn_init(struct spawn *sp, char *const *argv)
{
	memset(sp, 0, sizeof(*sp));
	sp->argv = argv;
	sp->stdout_fd = -1;
	sp->stderr_fd = -1;
	sp->stop_grace = 5.0;
}

int spawn_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* In the child: never returns. Only async-signal-safe calls. */
static void child_exec(const struct spawn *sp, int in_fd, int out_fd, int err_fd)
{
	pid_t parent = getppid();

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (in_fd >= 0 && in_fd != 0)
		dup2(in_fd, 0);
	if (out_fd >= 0 && out_fd != 1)
		dup2(out_fd, 1);
	if (err_fd >= 0 && err_fd != 2)
		dup2(err_fd, 2);
	if (sp->cwd && chdir(sp->cwd) < 0) {
		dprintf(2, "cannot chdir to %s: %s\n", sp->cwd, strerror(errno));
		_exit(127);
	}
	if (sp->new_pgrp) {
		setpgid(0, 0);
		keeper_begin(parent);
		pid_t prog = fork();
		if (prog < 0) {
			dprintf(2, "cannot start %s: %s\n", sp->argv[0], strerror(errno));
			_exit(127);
		}
		if (prog > 0)
			keeper_run(sp->stop_grace, prog);
		signal(KEEPER_STOP_SIGNAL, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
	}
	if (sp->envp)
		environ = (char **)sp->envp;
	execvp(sp->argv[0], sp->argv);
	dprintf(2, "cannot run %s: %s\n", sp->argv[0], strerror(errno));
	_exit(127);
}

static pid_t start(const struct spawn *sp, int in_fd, int out_fd, int err_fd)
{
	pid_t pid = fork();

	if (pid == 0)
		child_exec(sp, in_fd, out_fd, err_fd);
	if (pid > 0 && sp->new_pgrp)
		setpgid(pid, pid);	/* both sides: no race with an early kill */
	return pid;
}

/* A descriptor readable when pid exits (pidfd), or -1 where the kernel
 * has none: callers then poll with a short timeout. */
static int pid_fd(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Stop the child on an interrupt that arrived since it started: TERM (its
 * group with new_pgrp), KILL after the grace. Returns the poll timeout
 * until the next step, ms. */
struct stopper {
	int signals_at_start;	/* interrupts before the child started do not stop it */
	double deadline;	/* monotonic time it must have ended by; 0: none */
	int sent_term, sent_kill;
	double kill_at;
};

static int stop_step(struct stopper *st, pid_t pid, const struct spawn *sp, struct spawn_result *res)
{
	pid_t target = sp->new_pgrp ? -pid : pid;

	int timed_out = st->deadline && monotonic_now() >= st->deadline;

	if ((interrupt_count() > st->signals_at_start || timed_out) && !st->sent_term) {
		if (timed_out)
			res->timed_out = 1;
		else
			res->stopped_by = interrupt_pending();
		kill(target, SIGTERM);
		kill(target, SIGCONT);
		st->sent_term = 1;
		st->kill_at = monotonic_now() + sp->stop_grace;
		if (sp->new_pgrp) {	/* the keeper stops all of it, even what left the group */
			kill(pid, KEEPER_STOP_SIGNAL);
			st->kill_at += 5;	/* our KILL is for a keeper that could not */
		}
	}
	if (st->sent_term && !st->sent_kill && monotonic_now() >= st->kill_at) {
		kill(target, SIGKILL);
		st->sent_kill = 1;
	}
	if (st->sent_term && !st->sent_kill)
		return (int)((st->kill_at - monotonic_now()) * 1000) + 1;
	if (st->deadline && !st->sent_term)
		return (int)((st->deadline - monotonic_now()) * 1000) + 1;
	return -1;
}

/* The interrupt self-pipe to poll, or -1: not once acted on, nor in a
 * clean-up started after an interrupt (the pipe is readable already: a new
 * signal is seen by its count, within 100 ms). */
static int interrupt_poll_fd(const struct stopper *st, int *timeout)
{
	if (st->sent_term)
		return -1;
	if (st->signals_at_start > 0) {
		if (*timeout < 0 || *timeout > 100)
			*timeout = 100;
		return -1;
	}
	return interrupt_fd();
}

/* Wait for pid, stopping it on an interrupt. No signal is lost: the wait
 * polls the interrupt self-pipe and the child's pidfd, never blocks in
 * wait4. */
static int wait_child(pid_t pid, const struct spawn *sp, struct spawn_result *res, int signals_at_start)
{
	struct stopper st = { .signals_at_start = signals_at_start,
			      .deadline = sp->timeout > 0 ? monotonic_now() + sp->timeout : 0 };
	int pidfd = pid_fd(pid), ret = 0;
	double t0 = monotonic_now(), next_tick = t0 + sp->tick_every;

	for (;;) {
		pid_t r = wait4(pid, &res->status, WNOHANG, &res->ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		int timeout = stop_step(&st, pid, sp, res);
		if (sp->tick) {
			double now = monotonic_now();
			if (now >= next_tick) {
				sp->tick(sp->tick_arg, now - t0);
				next_tick = now + sp->tick_every;
			}
			int until = (int)((next_tick - now) * 1000) + 1;
			if (timeout < 0 || timeout > until)
				timeout = until;
		}
		struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { interrupt_poll_fd(&st, &timeout), POLLIN, 0 } };
		if (pidfd < 0 && (timeout < 0 || timeout > 20))
			timeout = 20;
		poll(p, 2, timeout);
	}
	if (pidfd >= 0)
		close(pidfd);
	return ret;
}

int spawn_run(const struct spawn *sp, struct spawn_result *res)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	double t0 = monotonic_now();
	pid_t pid;
	int ret;

	memset(res, 0, sizeof(*res));
	pid = start(sp, devnull, sp->stdout_fd, sp->stderr_fd);
	if (devnull >= 0)
		close(devnull);
	if (pid < 0)
		return err_errno(errno, "cannot start %s", sp->argv[0]);
	ret = wait_child(pid, sp, res, 0);	/* any interrupt stops a benchmark */
	res->elapsed = monotonic_now() - t0;
	if (ret)
		return err_errno(-ret, "waiting for %s", sp->argv[0]);
	return 0;
}

/* One read: 2 when it got data (there may be more), 1 when there is
 * nothing now (the pipe is open), 0 at end of file or on an error. */
static int drain(int fd, struct strbuf *sb)
{
	char buf[16384];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		if (sb)
			sb_add(sb, buf, n);
		return 2;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	return 0;
}

static int capture(char *const *argv, char *const *envp, struct strbuf *out,
		   struct strbuf *err, int *status, int cleanup, int kept, double timeout)
{
	struct spawn sp;
	struct spawn_result res;
	int opipe[2], epipe[2], devnull, ret;
	pid_t pid;

	spawn_init(&sp, argv);
	sp.envp = envp;
	sp.timeout = timeout;
	sp.new_pgrp = kept;	/* a keeper: what it leaves behind goes too */
	if (pipe2(opipe, O_CLOEXEC) < 0)
		return err_errno(errno, "pipe");
	if (pipe2(epipe, O_CLOEXEC) < 0) {
		close(opipe[0]);
		close(opipe[1]);
		return err_errno(errno, "pipe");
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int signals_at_start = cleanup ? interrupt_count() : 0;
	pid = start(&sp, devnull, opipe[1], epipe[1]);
	if (devnull >= 0)
		close(devnull);
	close(opipe[1]);
	close(epipe[1]);
	if (pid < 0) {
		ret = err_errno(errno, "cannot start %s", argv[0]);
		close(opipe[0]);
		close(epipe[0]);
		return ret;
	}
	/* Read both pipes until the child exits (its pidfd), then what is
	 * left in them: a background process that keeps them open (a config
	 * that starts one) does not hold us; an interrupt stops the child. */
	struct stopper st = { .signals_at_start = signals_at_start,
			      .deadline = timeout > 0 ? monotonic_now() + timeout : 0 };
	int pidfd = pid_fd(pid), exited = 0;
	struct pollfd pfd[4] = { { opipe[0], POLLIN, 0 }, { epipe[0], POLLIN, 0 },
				 { pidfd, POLLIN, 0 }, { interrupt_fd(), POLLIN, 0 } };
	fcntl(opipe[0], F_SETFL, O_NONBLOCK);
	fcntl(epipe[0], F_SETFL, O_NONBLOCK);
	memset(&res, 0, sizeof(res));
	int overflow = 0;
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		int wait_ms = stop_step(&st, pid, &sp, &res);
		pfd[3].fd = interrupt_poll_fd(&st, &wait_ms);
		if (pidfd < 0) {	/* no pidfd: look at the child now and then */
			siginfo_t si = { 0 };
			exited = waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
			if (wait_ms < 0 || wait_ms > 50)
				wait_ms = 50;
		}
		if (!exited && poll(pfd, 4, wait_ms) < 0 && errno != EINTR)
			break;
		if (pidfd >= 0 && pfd[2].revents)
			exited = 1;
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents || exited))
				continue;
			int more;
			struct strbuf *sb = overflow ? NULL : i == 0 ? out : err;
			while ((more = drain(pfd[i].fd, sb)) == 2 && !(sb && sb->len > SPAWN_CAPTURE_MAX))
				;
			if (sb && sb->len > SPAWN_CAPTURE_MAX && !overflow) {
				overflow = 1;	/* no output of a command we read is this big */
				if (sp.new_pgrp)	/* the keeper stops all of it */
					kill(pid, KEEPER_STOP_SIGNAL);
				else
					kill(pid, SIGKILL);
			}
			if (!more || exited) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			}
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	int timed_out = res.timed_out;
	sp.timeout = 0;		/* what is left of it was applied above */
	ret = wait_child(pid, &sp, &res, signals_at_start);
	if (ret)
		return err_errno(-ret, "waiting for %s", argv[0]);
	*status = res.status;
	if (overflow)
		return err_errno(EFBIG, "%s printed more than %u MiB; stopped", argv[0],
				 SPAWN_CAPTURE_MAX >> 20);
	return timed_out ? -ETIMEDOUT : 0;
}

int spawn_capture(char *const *argv, char *const *envp, struct strbuf *out,
		  struct strbuf *err, int *status)
{
	return capture(argv, envp, out, err, status, 0, 0, 0);
}

int spawn_capture_kept(char *const *argv, char *const *envp, struct strbuf *out,
		       struct strbuf *err, int *status, double timeout)
{
	return capture(argv, envp, out, err, status, 0, 1, timeout);
}

int spawn_capture_cleanup(char *const *argv, char *const *envp, struct strbuf *out,
			  struct strbuf *err, int *status)
{
	return capture(argv, envp, out, err, status, 1, 0, 0);
}
