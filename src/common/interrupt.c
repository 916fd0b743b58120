#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t pending, count;
static int self_pipe[2] = { -1, -1 };

/* The flag, and a byte in the self-pipe: a wait that polls the pipe
 * cannot miss a signal that arrives just before it starts waiting. */
static void on_signal(int sig)
{
	int saved = errno;

	pending = sig;
	count++;
	if (self_pipe[1] >= 0 && write(self_pipe[1], "", 1) < 0) {
		/* full: it is readable already */
	}
	errno = saved;
}

void interrupt_install(void)
{
	struct sigaction sa;

	if (self_pipe[0] < 0 && pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		self_pipe[0] = self_pipe[1] = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: waits return EINTR and notice */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int interrupt_exit_code(int code)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return pending ? 130 : code;
}

int interrupt_pending(void)
{
	return pending;
}

int interrupt_count(void)
{
	return count;
}

int interrupt_fd(void)
{
	return self_pipe[0];
}
