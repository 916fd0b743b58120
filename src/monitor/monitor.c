#include "monitor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "monitor_output.h"
#include "sampler.h"
#include "spawn.h"
#include "tree.h"
#include "xalloc.h"

#define FLUSH_EVERY 2.0		/* seconds between gzip sync flushes */
#define STOP_TERM_WAIT 2.0
#define STOP_INT_WAIT 1.0

static const char *const mode_vars[] = {
	[MODE_ALWAYS] = "MONITORS_ALWAYS", [MODE_PLAIN] = "MONITORS_PLAIN",
	[MODE_GZIP] = "MONITORS_GZIP", [MODE_LATENCY] = "MONITORS_WITH_LATENCY",
	[MODE_TRACER] = "MONITORS_TRACER",
};

/* monitors/watch-<name>, watch-<name>.sh or .pl, as MMTests finds them. */
static char *find_script(const char *dir, const char *name)
{
	const char *ext[] = { "", ".sh", ".pl" };

	for (int i = 0; i < 3 && dir; i++) {
		char *p = xasprintf("%s/watch-%s%s", dir, name, ext[i]);
		if (is_executable(p))
			return p;
		free(p);
	}
	return NULL;
}

void monitor_list_known(const char *dir, struct strbuf *out)
{
	struct dirent **ents;
	int n;

	sampler_list(out);
	n = dir ? scandir(dir, &ents, NULL, alphasort) : -1;
	for (int i = 0; i < n; i++) {
		const char *d = ents[i]->d_name;
		if (!strncmp(d, "watch-", 6)) {
			char *name = xstrdup(d + 6), *dot = strrchr(name, '.');
			if (dot && (!strcmp(dot, ".sh") || !strcmp(dot, ".pl")))
				*dot = '\0';
			if (!sampler_find(name))
				sb_addf(out, " %s", name);
			free(name);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

int monitor_config_load(struct monitor_config *mc, const struct env *env, int force,
			const char *dir)
{
	const char *rm = env_get(env, "RUN_MONITOR"), *freq = env_get(env, "MONITOR_UPDATE_FREQUENCY");
	int on = force >= 0 ? force : !(rm && !strcmp(rm, "no"));
	int ret = 0;

	memset(mc, 0, sizeof(*mc));
	mc->interval = 10;
	if (freq && *freq) {
		char *end;
		mc->interval = strtod(freq, &end);
		if (*end || end == freq || !(mc->interval > 0) || !isfinite(mc->interval)) {
			err_msg("MONITOR_UPDATE_FREQUENCY='%s' is not a number of seconds > 0", freq);
			return -EINVAL;
		}
	}
	if (env_get(env, "MONITOR_HOOKS"))
		mc->hooks = xstrdup(env_get(env, "MONITOR_HOOKS"));
	for (int mode = MODE_ALWAYS; mode <= MODE_TRACER && !ret; mode++) {
		const char *list = env_get(env, mode_vars[mode]);
		if (!list || (!on && mode != MODE_ALWAYS))
			continue;
		char *copy = xstrdup(list), *save = NULL;
		for (char *t = strtok_r(copy, " \t\n", &save); t && !ret; t = strtok_r(NULL, " \t\n", &save)) {
			struct monitor_spec sp = { .mode = mode };
			sp.ops = mode == MODE_TRACER ? NULL : sampler_find(t);
			if (!sp.ops)
				sp.script = find_script(dir, t);
			if (!sp.ops && !sp.script) {
				/* MMTests's configs name monitors we do not have
				 * (iotop, proc-timer_list): the run goes on without. */
				struct strbuf known = STRBUF_INIT;
				monitor_list_known(dir, &known);
				warn_msg("%s: unknown monitor '%s' skipped%s; known: %s", mode_vars[mode], t,
					 mode == MODE_TRACER ? " (a tracer needs monitors/watch-NAME)" : "",
					 known.buf);
				sb_release(&known);
				continue;
			}
			sp.name = xstrdup(t);
			mc->specs = xrealloc(mc->specs, (mc->n + 1) * sizeof(*mc->specs));
			mc->specs[mc->n++] = sp;
		}
		free(copy);
	}
	if (ret)
		monitor_config_free(mc);
	return ret;
}

void monitor_config_free(struct monitor_config *mc)
{
	for (int i = 0; i < mc->n; i++) {
		free(mc->specs[i].name);
		free(mc->specs[i].script);
	}
	free(mc->specs);
	free(mc->hooks);
	memset(mc, 0, sizeof(*mc));
}

struct mon_inst {
	const struct monitor_spec *spec;
	struct mon_output out;
	int has_out;
	int active;
	void *state;
	pid_t pid;
	int out_fd, err_fd;
	int exited, status;
	struct strbuf err;
	char *path;
};

struct monitor_session {
	struct mon_inst *inst;
	int n;
	pthread_t thread;
	int thread_started;
	int stop_pipe[2];
	double interval;
	long ticks, missed;
	struct strbuf report;
	struct strbuf tmp;
};

static void report(struct monitor_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(struct monitor_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char buf[2048];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_addf(&s->report, "%s\n", buf);
}

static void write_text(struct monitor_session *s, struct mon_inst *m, const char *text, size_t len)
{
	if (!m->has_out || !m->active || !len)
		return;
	if (mon_output_write(&m->out, text, len)) {
		m->active = 0;
		report(s, "monitor %s stopped writing %s (write error); the benchmark goes on",
			   m->spec->name, m->path);
	}
}

static void sample_builtins(struct monitor_session *s)
{
	for (int i = 0; i < s->n; i++) {
		struct mon_inst *m = &s->inst[i];
		if (!m->spec->ops || !m->active)
			continue;
		sb_reset(&s->tmp);
		int ret = m->spec->ops->sample(m->state, &s->tmp, s->interval);
		write_text(s, m, s->tmp.buf, s->tmp.len);
		if (ret && m->active) {
			m->active = 0;
			report(s, "monitor %s: sampling failed (%s); stopped", m->spec->name, strerror(-ret));
		}
	}
}

static void flush_all(struct monitor_session *s, int force)
{
	double now = monotonic_now();

	for (int i = 0; i < s->n; i++) {
		struct mon_inst *m = &s->inst[i];
		if (m->has_out && m->active && (force || now - m->out.last_flush >= FLUSH_EVERY) &&
		    mon_output_flush(&m->out)) {
			m->active = 0;
			report(s, "monitor %s stopped writing %s (write error); the benchmark goes on",
			       m->spec->name, m->path);
		}
	}
}

/* Read what a script monitor printed; 0 at EOF. */
static int drain_fd(struct monitor_session *s, struct mon_inst *m, int *fd, int is_err)
{
	char buf[65536];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	if (is_err) {
		sb_add(&m->err, buf, n);
		/* keep the tail only: it says why a monitor died */
		if (m->err.len > 4096) {
			memmove(m->err.buf, m->err.buf + m->err.len - 2048, 2048);
			m->err.len = 2048;
			m->err.buf[2048] = '\0';
		}
	} else {
		write_text(s, m, buf, n);
	}
	return 1;
}

/* Poll the stop pipe and script pipes until deadline (monotonic).
 * Returns 1 when stop was requested. */
static int wait_io(struct monitor_session *s, double deadline, int watch_stop)
{
	struct pollfd pfd[1 + 2 * 64];
	struct mon_inst *owner[1 + 2 * 64];
	int is_err[1 + 2 * 64];

	for (;;) {
		int k = 0;
		if (watch_stop) {
			pfd[k] = (struct pollfd){ s->stop_pipe[0], POLLIN, 0 };
			owner[k++] = NULL;
		}
		for (int i = 0; i < s->n && k < 127; i++) {
			struct mon_inst *m = &s->inst[i];
			if (m->out_fd >= 0) {
				pfd[k] = (struct pollfd){ m->out_fd, POLLIN, 0 };
				is_err[k] = 0;
				owner[k++] = m;
			}
			if (m->err_fd >= 0) {
				pfd[k] = (struct pollfd){ m->err_fd, POLLIN, 0 };
				is_err[k] = 1;
				owner[k++] = m;
			}
		}
		/* Always poll once, even past the deadline: a stop request
		 * must be seen when sampling cannot keep up. */
		double left = deadline - monotonic_now();
		int timeout = left > 0 ? (int)ceil(left * 1000) : 0;
		int r = k ? poll(pfd, k, timeout) : 0;
		if (!k && timeout > 0) {
			struct timespec ts = { (time_t)left, (long)((left - (time_t)left) * 1e9) };
			nanosleep(&ts, NULL);
		}
		if (r < 0 && errno != EINTR)
			return 0;
		for (int j = 0; r > 0 && j < k; j++) {
			if (!pfd[j].revents)
				continue;
			if (!owner[j])
				return 1;
			struct mon_inst *m = owner[j];
			drain_fd(s, m, is_err[j] ? &m->err_fd : &m->out_fd, is_err[j]);
		}
		if (r <= 0 || monotonic_now() >= deadline)
			return 0;
	}
}

static void reap(struct monitor_session *s, int report_early)
{
	for (int i = 0; i < s->n; i++) {
		struct mon_inst *m = &s->inst[i];
		if (m->pid <= 0 || m->exited)
			continue;
		if (waitpid(m->pid, &m->status, WNOHANG) == m->pid) {
			m->exited = 1;
			if (report_early) {
				sb_trim_trailing_newlines(&m->err);
				const char *last = strrchr(m->err.buf, '\n');
				report(s, "monitor %s stopped early (exit status %d)%s%s; the other monitors "
				       "and the benchmark go on", m->spec->name, spawn_exit_code(m->status),
				       m->err.len ? ": " : "", last ? last + 1 : m->err.buf);
			}
		}
	}
}

static void signal_scripts(struct monitor_session *s, int sig)
{
	for (int i = 0; i < s->n; i++)
		if (s->inst[i].pid > 0 && !s->inst[i].exited)
			kill(-s->inst[i].pid, sig);
}

static int scripts_running(struct monitor_session *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->inst[i].pid > 0 && !s->inst[i].exited)
			return 1;
	return 0;
}

static void *run(void *arg)
{
	struct monitor_session *s = arg;
	double next = monotonic_now();

	for (;;) {
		double now = monotonic_now();
		if (now >= next) {
			sample_builtins(s);
			s->ticks++;
			next += s->interval;
			/* A slow sample does not shift the schedule: skipped
			 * ticks are counted, the phase is kept. */
			if (now >= next) {
				long skip = (long)floor((now - next) / s->interval) + 1;
				s->missed += skip;
				next += skip * s->interval;
			}
		}
		flush_all(s, 0);
		if (wait_io(s, next, 1))
			break;
		reap(s, 1);
	}
	sample_builtins(s);	/* the state at the end of the test */
	/* Stop scripts: TERM, INT, KILL, draining their output meanwhile. */
	double waits[] = { STOP_TERM_WAIT, STOP_INT_WAIT, 1.0 };
	int sigs[] = { SIGTERM, SIGINT, SIGKILL };
	for (int k = 0; k < 3 && scripts_running(s); k++) {
		signal_scripts(s, sigs[k]);
		double until = monotonic_now() + waits[k];
		while (scripts_running(s) && monotonic_now() < until) {
			wait_io(s, fmin(until, monotonic_now() + 0.05), 0);
			reap(s, 0);
		}
	}
	wait_io(s, monotonic_now() + 0.2, 0);	/* what is left in the pipes */
	return NULL;
}

static int start_script(struct mon_inst *m, const struct env *env, double interval)
{
	int op[2], ep[2];
	struct env e = ENV_INIT;
	char num[32];

	env_copy(&e, env);
	snprintf(num, sizeof(num), "%g", interval);
	env_set(&e, "MONITOR_UPDATE_FREQUENCY", num);
	env_set(&e, "MONITOR_LOG", m->path);
	if (pipe2(op, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		env_free(&e);
		return err_errno(errno, "monitor %s: pipe", m->spec->name);
	}
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);	/* no orphans if we are killed */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(m->spec->mode == MODE_TRACER ? ep[1] : op[1], 1);
		dup2(ep[1], 2);
		char *argv[] = { m->spec->script, NULL };
		execve(m->spec->script, argv, env_vector(&e));
		dprintf(2, "cannot run %s: %s\n", m->spec->script, strerror(errno));
		_exit(127);
	}
	env_free(&e);
	close(op[1]);
	close(ep[1]);
	if (pid < 0) {
		close(op[0]);
		close(ep[0]);
		return err_errno(errno, "monitor %s: fork", m->spec->name);
	}
	setpgid(pid, pid);
	m->pid = pid;
	m->out_fd = op[0];
	m->err_fd = ep[0];
	if (m->spec->mode == MODE_TRACER) {
		close(m->out_fd);
		m->out_fd = -1;
	}
	return 0;
}

int monitor_start(const struct monitor_config *mc, const char *iterdir, const char *bench,
		  const struct env *env, struct monitor_session **out)
{
	struct monitor_session *s = xcalloc(1, sizeof(*s));
	int ret = 0;

	*out = s;
	sb_init(&s->report);
	sb_init(&s->tmp);
	s->interval = mc->interval;
	s->inst = xcalloc(mc->n + 1, sizeof(*s->inst));
	if (pipe2(s->stop_pipe, O_CLOEXEC) < 0)
		return err_errno(errno, "monitor: pipe");
	for (int i = 0; i < mc->n; i++) {
		const struct monitor_spec *sp = &mc->specs[i];
		struct mon_inst *m = &s->inst[s->n];
		int gz = sp->mode == MODE_GZIP || sp->mode == MODE_LATENCY;

		memset(m, 0, sizeof(*m));
		m->spec = sp;
		m->out_fd = m->err_fd = -1;
		sb_init(&m->err);
		m->path = tree_monitor_file(iterdir, sp->name, bench, gz);
		char *stamp = tree_monitor_stamp(iterdir, sp->name, bench);
		char when[32];
		snprintf(when, sizeof(when), "%ld\n", (long)time(NULL));
		/* A monitor that cannot write its files is reported and left
		 * out; the others run (a full disk may spare none, but a bad
		 * path spares the rest). */
		int bad = write_file_atomic(stamp, when, strlen(when));
		free(stamp);
		if (!bad && sp->mode != MODE_TRACER) {
			bad = mon_output_open(&m->out, m->path, gz, sp->mode == MODE_LATENCY);
			m->has_out = !bad;
		}
		if (bad) {
			report(s, "monitor %s cannot write its files in %s (%s); the others run",
			       sp->name, iterdir, strerror(-bad));
			sb_release(&m->err);
			free(m->path);
			continue;
		}
		m->active = 1;
		s->n++;
		if (sp->ops) {
			m->state = sp->ops->state_size ? xcalloc(1, sp->ops->state_size) : NULL;
			sb_reset(&s->tmp);
			if (sp->ops->init(m->state, &s->tmp, s->interval)) {
				m->active = 0;
				report(s, "monitor %s is not available here; the others run", sp->name);
				free(m->state);
				m->state = NULL;
				continue;
			}
			write_text(s, m, s->tmp.buf, s->tmp.len);
		} else if (start_script(m, env, s->interval)) {
			m->active = 0;
		}
	}
	if (!ret && pthread_create(&s->thread, NULL, run, s) == 0)
		s->thread_started = 1;
	else if (!ret)
		ret = err_errno(EAGAIN, "monitor: cannot start the sampling thread");
	return ret;
}

int monitor_stop(struct monitor_session *s, struct strbuf *out)
{
	int problems = 0;

	if (!s)
		return 0;
	if (s->thread_started) {
		if (write(s->stop_pipe[1], "x", 1) < 0)
			close(s->stop_pipe[1]);	/* EOF stops the thread too */
		pthread_join(s->thread, NULL);
	} else {
		signal_scripts(s, SIGKILL);	/* a start that failed half-way */
	}
	if (s->missed)
		report(s, "monitors missed %ld of %ld samples (a sample took longer than the %g s interval)",
		       s->missed, s->ticks + s->missed, s->interval);
	for (int i = 0; i < s->n; i++) {
		struct mon_inst *m = &s->inst[i];
		if (m->spec->ops && m->state) {
			if (m->spec->ops->fini)
				m->spec->ops->fini(m->state);
			free(m->state);
		}
		if (m->pid > 0 && !m->exited && waitpid(m->pid, &m->status, 0) == m->pid)
			m->exited = 1;
		if (m->out_fd >= 0)
			close(m->out_fd);
		if (m->err_fd >= 0)
			close(m->err_fd);
		if (m->has_out && mon_output_close(&m->out) && m->active)
			report(s, "monitor %s: %s is incomplete (write error)", m->spec->name, m->path);
		sb_release(&m->err);
		free(m->path);
	}
	for (char *p = s->report.buf; *p; p++)
		problems += *p == '\n';
	sb_add(out, s->report.buf, s->report.len);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	sb_release(&s->report);
	sb_release(&s->tmp);
	free(s->inst);
	free(s);
	return problems;
}
