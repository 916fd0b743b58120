/* One VM's thread: wait for its boot, push mmtests-c over SSH (or build
 * it there), run run-mmtests in lock-step with the others, and bring its
 * results home -- or the last checkpoint when the VM is lost. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "pull.h"
#include "run_kvm.h"
#include "spawn.h"
#include "tree.h"
#include "xalloc.h"

/* The release tarball (make dist), made once when a guest needs it. */
static struct strbuf source = STRBUF_INIT;
static pthread_mutex_t source_lock = PTHREAD_MUTEX_INITIALIZER;

/* "[vm] line" for every complete line of a guest's output. */
static void relay(void *ctx, int is_stderr, const char *data, size_t len)
{
	struct vm *v = ctx;
	struct strbuf *b = &v->line[is_stderr];

	sb_add(b, data, len);
	char *p = b->buf, *nl;
	pthread_mutex_lock(&v->run->out_lock);
	while ((nl = strchr(p, '\n'))) {
		fprintf(is_stderr ? stderr : stdout, "[%s] %.*s\n", v->e->name, (int)(nl - p), p);
		p = nl + 1;
	}
	fflush(stdout);
	pthread_mutex_unlock(&v->run->out_lock);
	size_t rest = b->len - (p - b->buf);
	memmove(b->buf, p, rest);
	b->len = rest;
	b->buf[rest] = '\0';
}

void on_status(void *ctx, const char *member, const char *text)
{
	struct kvm_run *r = ctx;

	pthread_mutex_lock(&r->out_lock);
	printf("[%s] status: %s\n", member, text);
	fflush(stdout);
	pthread_mutex_unlock(&r->out_lock);
}

static void set_stage(struct vm *v, const char *stage)
{
	snprintf(v->stage, sizeof(v->stage), "%s", stage);
	kvm_state_vm(v->run->state, v->e->name, ST_RUNNING, stage, NULL);
}

void vm_fail(struct vm *v, const char *why)
{
	if (v->failed)
		return;		/* reported once, at its first failure */
	v->failed = 1;
	err_msg("%s: %s failed: %s", v->e->name, v->stage, why);
	kvm_state_vm(v->run->state, v->e->name, ST_FAILED, v->stage, why);
	barrier_member_lost(v->run->barrier, v->e->name, why);
}

/* libvirt's lifecycle event (event thread): the VM is gone now, so
 * nothing waits on it; its own thread notices its SSH channel die. */
void on_stopped(void *ctx, const char *why)
{
	struct vm *v = ctx;

	pthread_mutex_lock(&v->run->watch_lock);
	if (!v->stopped)
		v->stopped = why;
	pthread_cond_broadcast(&v->run->watch_cv);
	pthread_mutex_unlock(&v->run->watch_lock);
}

/* The guest's console says READY (after where it was when we started
 * it), or, without a console log, its SSH server answers. */
static int wait_ready(struct vm *v)
{
	double until = monotonic_now() + v->run->opt.ready_timeout;

	while (monotonic_now() < until && !interrupt_pending()) {
		if (!domain_active(&v->dom))
			return -ECHILD;
		if (v->e->console) {
			struct strbuf b = STRBUF_INIT;
			int got = read_file_if_exists(v->e->console, &b) == 0;
			if (got && (long)b.len < v->console_offset)
				v->console_offset = 0;	/* the file was started afresh */
			int ok = got && (long)b.len > v->console_offset &&
				 strstr(b.buf + v->console_offset, "MMTESTS-GUEST-READY");
			sb_release(&b);
			if (ok)
				return 0;
		} else if (ssh_banner_ready(v->e->address, v->e->port, 1)) {
			return 0;
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return interrupt_pending() ? -EINTR : -ETIMEDOUT;
}

static int stop_requested(void)
{
	return interrupt_pending() != 0;
}

/* The SSH connection died: libvirt's event usually says why, but may
 * arrive a moment after the connection noticed. */
static const char *why_lost(struct vm *v)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 3;
	pthread_mutex_lock(&v->run->watch_lock);
	while (!v->stopped && pthread_cond_timedwait(&v->run->watch_cv, &v->run->watch_lock, &ts) == 0)
		;
	const char *why = v->stopped;
	pthread_mutex_unlock(&v->run->watch_lock);
	if (!why && !domain_active(&v->dom))
		why = "the domain stopped";
	return why ? why : "the SSH connection was lost (the guest is still running)";
}

/* The final tree, or else the last checkpoint, into work/log/RUN-VM. */
static void bring_home(struct vm *v, struct ssh *s)
{
	char *dst = tree_vm_dir(v->run->logdir, v->run->opt.runname, v->e->name);

	if (s && pull_tree(s, v->e->name, GUEST_LOGDIR, v->run->opt.runname, dst) == 0) {
		info_msg("%s: results in %s", v->e->name, dst);
		kvm_state_results(v->run->state, v->e->name, dst, RESULTS_COMPLETE);
	} else if (v->checkpoints && rename(v->cp_dir, dst) == 0) {
		warn_msg("%s: kept its results as of its last finished test in %s", v->e->name, dst);
		kvm_state_results(v->run->state, v->e->name, dst, RESULTS_CHECKPOINT);
	} else {
		if (s)
			vm_fail(v, "pulling the results");
		/* no path: run.json never names a tree that is not there */
		kvm_state_results(v->run->state, v->e->name, NULL, RESULTS_NONE);
	}
	remove_tree(v->cp_dir);
	free(dst);
}

/* The release tarball (make dist) of the tree run-kvm runs from, made
 * once, for guests that must build mmtests-c themselves. */
static int source_tarball(const struct kvm_run *r)
{
	/* the build tree this run-kvm comes from: bin/.. holds its Makefile */
	char *build = path_dirname(r->paths.bindir);
	char *mk = path_join(build, "Makefile");
	int ret = 0;

	pthread_mutex_lock(&source_lock);
	if (source.len)
		goto out;
	if (!is_file(mk)) {
		err_msg("no build tree beside this run-kvm (%s has no Makefile): run it from a "
			"built checkout to build mmtests-c in a guest", build);
		ret = -ENOENT;
		goto out;
	}
	char *argv[] = { "make", "-s", "-C", build, "dist-gzip", NULL };
	char *file = xasprintf("%s/%s-%s.tar.gz", build, PACKAGE_TARNAME, PACKAGE_VERSION);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int status;
	ret = spawn_capture(argv, NULL, &out, &err, &status);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("make dist in %s failed: %s", build, err.buf);
		ret = -EIO;
	}
	if (!ret && read_file(file, &source)) {
		sb_release(&source);
		sb_init(&source);
		ret = -EIO;
	}
	sb_release(&out);
	sb_release(&err);
	free(file);
out:
	pthread_mutex_unlock(&source_lock);
	free(mk);
	free(build);
	return ret;
}

/* The pushed programs run in the guest, or the guest (another
 * architecture or C library) builds them from the release tarball. */
static int ensure_runnable(struct vm *v, struct ssh *s)
{
	struct strbuf why = STRBUF_INIT;
	int st, ret;

	if (!v->run->opt.build_in_guest) {
		/* stdout is the usage text; only the first line of what went
		 * wrong is kept, to name the problem */
		ret = ssh_capture(s, "cd " GUEST_DIR " && export LD_LIBRARY_PATH=" GUEST_DIR "/lib && "
				     "{ bin/run-mmtests --help && bin/mmtests-sync --help; } 2>&1 >/dev/null | "
				     "head -1; exit ${PIPESTATUS[0]}", &why, &st);
		if (ret)
			return ret;
		if (st == 0) {
			sb_release(&why);
			return 0;
		}
		sb_trim_trailing_newlines(&why);
	}
	struct strbuf arch = STRBUF_INIT;
	ssh_capture(s, "uname -m", &arch, &st);
	sb_trim_trailing_newlines(&arch);
	if (v->run->opt.build_in_guest)
		info_msg("%s: --build-in-guest (%s): building mmtests-c there", v->e->name, arch.buf);
	else
		info_msg("%s: this host's programs do not run in the guest (%s: %s): building mmtests-c there",
			 v->e->name, arch.buf, why.len ? why.buf : "no message");
	sb_release(&arch);
	sb_release(&why);
	set_stage(v, "build");
	if (source_tarball(v->run))
		return -ENOENT;
	ret = ssh_exec(s, "rm -rf " GUEST_DIR "/build && mkdir -p " GUEST_DIR "/build && "
			  "tar -xzf - -C " GUEST_DIR "/build && " GUEST_DIR "/build/mmtests-c-*/tools/guest-build "
			  GUEST_DIR, source.buf, source.len, relay, v, &st);
	return ret ? ret : st ? -ENOEXEC : 0;
}

void *vm_thread(void *arg)
{
	struct vm *v = arg;
	struct ssh *s = NULL;
	int st, ret;

	set_stage(v, "booting");
	if ((ret = wait_ready(v))) {
		vm_fail(v, ret == -ECHILD ? "the domain stopped while booting" :
			ret == -EINTR ? "interrupted" : "never became reachable (ready timeout)");
		goto out;
	}
	set_stage(v, "ssh");
	/* init prints READY just before it starts sshd: wait for its banner */
	double until = monotonic_now() + 30;
	while (!ssh_banner_ready(v->e->address, v->e->port, 1) && monotonic_now() < until)
		if (interrupt_pending())
			break;
	if (ssh_open(&s, v->e->name, v->e->address, v->e->port, v->e->user, v->e->key,
		     v->e->known_hosts)) {
		vm_fail(v, "no SSH session");
		goto out;
	}
	set_stage(v, "push");
	double t0 = monotonic_now();
	/* The guest needs bash (configs and shellpacks are bash) and tar. */
	ret = ssh_exec(s, "command -v bash >/dev/null || exit 3; command -v tar >/dev/null || exit 4",
		       NULL, 0, relay, v, &st);
	if (ret || st) {
		vm_fail(v, st == 3 ? "the guest has no bash" : st == 4 ? "the guest has no tar" :
			"a command over SSH failed");
		goto out;
	}
	ret = ssh_exec(s, "rm -rf " GUEST_DIR " && mkdir -p " GUEST_DIR " && tar -xzf - -C " GUEST_DIR,
		       v->run->tarball.buf, v->run->tarball.len, relay, v, &st);
	if (ret || st) {
		vm_fail(v, "pushing mmtests-c");
		goto out;
	}
	info_msg("%s: pushed mmtests-c (%zu KiB) in %.2f s", v->e->name, v->run->tarball.len / 1024,
		 monotonic_now() - t0);
	if (ensure_runnable(v, s)) {
		vm_fail(v, "mmtests-c cannot run in this guest and could not be built there");
		goto out;
	}

	/* A second session for checkpoints: the first is busy with the run. */
	if (ssh_open(&v->snap, v->e->name, v->e->address, v->e->port, v->e->user, v->e->key,
		     v->e->known_hosts) == 0 &&
	    pthread_create(&v->cp_thread, NULL, checkpoint_thread, v) == 0)
		v->cp_started = 1;
	else
		warn_msg("%s: no checkpoints: a VM lost mid-run will leave nothing", v->e->name);
	set_stage(v, "run");
	/* The barrier's secret goes in a file only root reads, over the SSH
	 * channel's stdin: on a command line every process of the guest
	 * would see it (ps). */
	int secret_status = -1;
	if (ssh_exec(s, "umask 077 && cat > " GUEST_DIR "/.sync-secret", v->secret,
		     strlen(v->secret), relay, v, &secret_status) || secret_status) {
		vm_fail(v, "cannot give the guest the barrier's secret");
		checkpoints_stop(v);
		goto out;
	}
	struct strbuf cmd = STRBUF_INIT;
	char *sync = shell_quote(v->e->guest_sync);
	sb_addf(&cmd, "cd " GUEST_DIR " && export LD_LIBRARY_PATH=" GUEST_DIR "/lib "
		      "MMTESTS_SYNC=%s MMTESTS_SYNC_NAME=%s MMTESTS_SYNC_SECRET=\"$(cat .sync-secret)\" && "
		      "exec 3<&0 </dev/null && { bin/run-mmtests", sync, v->e->name);
	free(sync);
	for (int i = 0; i < v->run->opt.npass; i++) {
		char *q = shell_quote(v->run->opt.pass[i]);
		sb_addf(&cmd, " %s", q);
		free(q);
	}
	/* The host closes stdin to ask for a stop: then run-mmtests gets
	 * SIGINT, stops its benchmark and keeps what it has. (A background
	 * job's stdin is /dev/null, hence the channel's stdin kept on fd 3.) */
	sb_adds(&cmd, " & p=$!; { cat <&3 >/dev/null; kill -INT $p 2>/dev/null; } >/dev/null 2>&1 & "
		      "wait $p; }");
	v->ran = 1;
	ret = ssh_exec_until(s, cmd.buf, NULL, 0, relay, v, &v->run_status, stop_requested);
	sb_release(&cmd);
	if (ret) {
		vm_fail(v, why_lost(v));
		checkpoints_stop(v);
		bring_home(v, NULL);
		goto out;
	}
	if (v->run_status == 130 && interrupt_pending()) {
		/* the host asked it to stop: interrupted, not failed */
		v->interrupted = 1;
		kvm_state_vm(v->run->state, v->e->name, ST_INTERRUPTED, "run",
			     "stopped by an interrupt on the host; what it had recorded came home");
	} else if (v->run_status) {
		char why[64];
		snprintf(why, sizeof(why), "run-mmtests exited with status %d", v->run_status);
		v->failed = 1;
		err_msg("%s: %s", v->e->name, why);
		kvm_state_vm(v->run->state, v->e->name, ST_FAILED, "run", why);
	}
	barrier_member_lost(v->run->barrier, v->e->name, "finished");
	checkpoints_stop(v);
	snprintf(v->stage, sizeof(v->stage), "pull");
	bring_home(v, s);
	if (!v->failed && !v->interrupted)
		kvm_state_vm(v->run->state, v->e->name, interrupt_pending() ? ST_INTERRUPTED : ST_FINISHED,
			     "done", NULL);
out:
	ssh_close(s);
	pthread_mutex_lock(&v->run->watch_lock);
	v->done = 1;
	pthread_cond_broadcast(&v->run->watch_cv);
	pthread_mutex_unlock(&v->run->watch_lock);
	return NULL;
}

void vm_release_source(void)
{
	sb_release(&source);
}
