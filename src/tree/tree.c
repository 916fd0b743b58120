#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "run_json.h"
#include "xalloc.h"

char *tree_logdir(const char *work)
{
	return path_join(work, "log");
}

char *tree_run_dir(const char *logdir, const char *run)
{
	return path_join(logdir, run);
}

char *tree_run_json(const char *rundir)
{
	return path_join(rundir, "run.json");
}

char *tree_install_log(const char *rundir, const char *shellpack)
{
	return xasprintf("%s/install/%s.log", rundir, shellpack);
}

char *tree_iter_dir(const char *rundir, int iter)
{
	return xasprintf("%s/iter-%d", rundir, iter);
}

char *tree_timestamps(const char *iterdir)
{
	return path_join(iterdir, "tests-timestamp");
}

char *tree_test_dir(const char *iterdir, const char *test)
{
	return path_join(iterdir, test);
}

char *tree_test_logs(const char *iterdir, const char *test)
{
	return xasprintf("%s/%s/logs", iterdir, test);
}

char *tree_test_output(const char *iterdir, const char *test)
{
	return xasprintf("%s/%s/bench.log", iterdir, test);
}

char *tree_test_cache(const char *iterdir, const char *test)
{
	return xasprintf("%s/%s/parse-results.tsv", iterdir, test);
}

char *tree_incomplete_dir(const char *iterdir)
{
	return path_join(iterdir, ".incomplete");
}

char *tree_incomplete_test(const char *iterdir, const char *test, int k)
{
	return xasprintf("%s/.incomplete/%s.%d", iterdir, test, k);
}

char *tree_monitor_file(const char *dir, const char *monitor, const char *test, int gz)
{
	return xasprintf("%s/%s-%s%s", dir, monitor, test, gz ? ".gz" : "");
}

char *tree_monitor_stamp(const char *dir, const char *monitor, const char *test)
{
	return xasprintf("%s/%s-%s.start", dir, monitor, test);
}

char *tree_vm_dir(const char *logdir, const char *run, const char *vm)
{
	return xasprintf("%s/%s-%s", logdir, run, vm);
}

char *tree_host_dir(const char *logdir, const char *run)
{
	return xasprintf("%s/%s-host", logdir, run);
}

char *tree_barrier_log(const char *hostdir)
{
	return path_join(hostdir, "barrier.log");
}

char *tree_checkpoint_dir(const char *logdir, const char *run, const char *vm)
{
	return xasprintf("%s/.checkpoint-%s-%s", logdir, run, vm);
}

int tree_name_ok(const char *name)
{
	return name && *name && *name != '.' && !strchr(name, '/');
}

/* The holder recorded in the lock file is dead, yet the lock is held:
 * the keepers of its tests are still stopping what it started (they hold
 * the lock until the last process is gone, at most their grace period).
 * Wait for that, up to a minute. 0 when we got the lock; -1 with errno. */
static int wait_for_leftovers(int fd, const char *path)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = n > 0 ? strtol(buf, NULL, 10) : 0;

	if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH) {
		errno = EWOULDBLOCK;
		return -1;
	}
	info_msg("%s: process %ld is gone; waiting for what it started to stop", path, pid);
	for (int i = 0; i < 600; i++) {
		if (interrupt_pending()) {
			errno = EINTR;
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		poll(NULL, 0, 100);
	}
	errno = EWOULDBLOCK;
	return -1;
}

int tree_lock(const char *rundir)
{
	char *path = path_join(rundir, ".lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		int ret = err_errno(errno, "cannot open the run lock %s", path);
		free(path);
		return ret;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 && wait_for_leftovers(fd, path) < 0) {
		int ret = errno == EWOULDBLOCK ? -EBUSY : errno == EINTR ? -EINTR : -errno;
		char pid[32] = "";
		ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (ret == -EBUSY)
			err_msg("%s is in use by process %s (its run lock %s is held); wait for it or stop it",
				rundir, *pid ? pid : "(unknown)", path);
		else
			err_errno(-ret, "cannot lock %s", path);
		close(fd);
		free(path);
		return ret;
	}
	char pid[32];
	int len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, len, 0) != len)
		warn_msg("%s: cannot record my PID (the lock holds all the same)", path);
	free(path);
	return fd;
}

/* "iter-<N>" with N decimal, no sign, no leading zero: its N, else -1. */
static int iter_number(const char *name)
{
	const char *d = name + 5;
	long v = 0;

	if (strncmp(name, "iter-", 5) || !*d || (d[0] == '0' && d[1]))
		return -1;
	for (; *d; d++) {
		if (*d < '0' || *d > '9' || v > 10000000)
			return -1;
		v = v * 10 + (*d - '0');
	}
	return (int)v;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int tree_iterations(const char *rundir, int **iters)
{
	DIR *d = opendir(rundir);
	struct dirent *e;
	int n = 0, cap = 0;

	*iters = NULL;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		int v = iter_number(e->d_name);
		if (v < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			*iters = xrealloc(*iters, cap * sizeof(int));
		}
		(*iters)[n++] = v;
	}
	closedir(d);
	if (n > 1)
		qsort(*iters, n, sizeof(int), cmp_int);
	return n;
}

int tree_is_host_dir(const char *rundir)
{
	char *path = tree_run_json(rundir);
	struct run_record rec;
	int host = 0;

	if (is_file(path) && run_json_read(path, &rec, 1) == 0) {
		host = rec.kind == RUN_KIND_KVM_HOST;
		run_record_free(&rec);
	}
	free(path);
	return host;
}
