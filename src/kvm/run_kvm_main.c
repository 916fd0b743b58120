/* run-kvm: run-mmtests inside libvirt VMs in lock-step. Start the VMs,
 * push the tool into each over SSH, run the same configuration in all of
 * them with a host-side barrier, relay their output, pull every results
 * tree back into work/log/<RUN>-<VM>, and leave the VMs as found. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "barrier.h"
#include "config_shell.h"
#include "domain.h"
#include "fileio.h"
#include "interrupt.h"
#include "log.h"
#include "monitor.h"
#include "paths.h"
#include "runname.h"
#include "spawn.h"
#include "ssh.h"
#include "sync_endpoint.h"
#include "vm_inventory.h"
#include "xalloc.h"

#define GUEST_DIR "/opt/mmtests-c"

struct vm {
	struct vm_entry *e;
	struct domain dom;
	long console_offset;
	pthread_t thread;
	int thread_started;
	int failed;
	char stage[64];		/* where it is or where it failed */
	int run_status;
	int done;
	struct strbuf line[2];	/* partial output lines (stdout, stderr) */
};

static struct {
	const char *inventory, *vms, *uri, *host_config;
	int keep, host_monitor;	/* -1: the host config decides */
	double ready_timeout;
	char **pass;		/* run-mmtests arguments */
	int npass;
	const char *runname;
	char **configs;
	int nconfigs;
} opt = { .ready_timeout = 120, .host_monitor = -1 };

static struct paths paths;
static char *logdir, *secret;
static struct barrier *barrier;
static struct strbuf tarball = STRBUF_INIT;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void usage(FILE *f)
{
	fprintf(f,
"usage: run-kvm --inventory FILE [--vm VM[,VM...]] [--connect URI] [-k|--keep]\n"
"               [-C|--config-host FILE] [-m|--run-monitor] [-n|--no-monitor]\n"
"               [--ready-timeout SEC] -- <run-mmtests options> RUNNAME\n"
"Start the VMs (libvirt), push mmtests-c into each over SSH, run run-mmtests\n"
"in all of them in lock-step (barrier over each VM's virtio-serial channel),\n"
"and pull the results into work/log/RUNNAME-VM. VMs started here are shut\n"
"down afterwards unless -k. The inventory describes each VM (see the README).\n"
"The host config (MMTests-style) may set MMTESTS_VM and host monitors\n"
"(MONITORS_*), recorded into work/log/RUNNAME-host for the whole run.\n");
}

/* "[vm] line" for every complete line of a guest's output. */
static void relay(void *ctx, int is_stderr, const char *data, size_t len)
{
	struct vm *v = ctx;
	struct strbuf *b = &v->line[is_stderr];

	sb_add(b, data, len);
	char *p = b->buf, *nl;
	pthread_mutex_lock(&out_lock);
	while ((nl = strchr(p, '\n'))) {
		fprintf(is_stderr ? stderr : stdout, "[%s] %.*s\n", v->e->name, (int)(nl - p), p);
		p = nl + 1;
	}
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	size_t rest = b->len - (p - b->buf);
	memmove(b->buf, p, rest);
	b->len = rest;
	b->buf[rest] = '\0';
}

static void on_status(void *ctx, const char *member, const char *text)
{
	pthread_mutex_lock(&out_lock);
	printf("[%s] status: %s\n", member, text);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void fail(struct vm *v, const char *why)
{
	v->failed = 1;
	err_msg("%s: %s failed: %s", v->e->name, v->stage, why);
	barrier_member_lost(barrier, v->e->name, why);
}

static long file_size(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 ? st.st_size : 0;
}

/* The guest's console says READY (after where it was when we started
 * it), or, without a console log, its SSH server answers. */
static int wait_ready(struct vm *v)
{
	double until = monotonic_now() + opt.ready_timeout;

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

static char *shell_quote(const char *s)
{
	struct strbuf b = STRBUF_INIT;

	sb_addc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_adds(&b, "'\\''");
		else
			sb_addc(&b, *s);
	}
	sb_addc(&b, '\'');
	return sb_detach(&b);
}

static int stop_requested(void)
{
	return interrupt_pending() != 0;
}

static int pull(struct vm *v, struct ssh *s)
{
	struct strbuf data = STRBUF_INIT;
	char *cmd = xasprintf("cd " GUEST_DIR "/work/log && tar -czf - %s", opt.runname);
	int st, ret = ssh_capture(s, cmd, &data, &st);

	free(cmd);
	if (!ret && st != 0)
		ret = -ENOENT;
	if (!ret) {
		char *tmp = xasprintf("%s/.pull-%s", logdir, v->e->name);
		char *file = xasprintf("%s.tar.gz", tmp);
		char *dst = xasprintf("%s/%s-%s", logdir, opt.runname, v->e->name);
		char *src = xasprintf("%s/%s", tmp, opt.runname);
		ret = mkdir_p(tmp, 0755);
		if (!ret)
			ret = write_file_atomic(file, data.buf, data.len);
		if (!ret) {
			char *argv[] = { "tar", "-xzf", file, "-C", tmp, NULL };
			struct strbuf o = STRBUF_INIT, e = STRBUF_INIT;
			int status;
			ret = spawn_capture(argv, NULL, &o, &e, &status);
			if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status)))
				ret = err_errno(EIO, "%s: unpacking the results: %s", v->e->name, e.buf);
			sb_release(&o);
			sb_release(&e);
		}
		if (!ret && rename(src, dst) < 0)
			ret = err_errno(errno, "%s: cannot move the results to %s", v->e->name, dst);
		if (!ret)
			info_msg("%s: results in %s", v->e->name, dst);
		unlink(file);
		rmdir(tmp);
		free(tmp); free(file); free(dst); free(src);
	}
	sb_release(&data);
	return ret;
}

static void *vm_thread(void *arg)
{
	struct vm *v = arg;
	struct ssh *s = NULL;
	int st, ret;

	snprintf(v->stage, sizeof(v->stage), "booting");
	if ((ret = wait_ready(v))) {
		fail(v, ret == -ECHILD ? "the domain stopped while booting" :
			ret == -EINTR ? "interrupted" : "never became reachable (ready timeout)");
		goto out;
	}
	snprintf(v->stage, sizeof(v->stage), "ssh");
	/* init prints READY just before it starts sshd: wait for its banner */
	double until = monotonic_now() + 30;
	while (!ssh_banner_ready(v->e->address, v->e->port, 1) && monotonic_now() < until)
		if (interrupt_pending())
			break;
	if (ssh_open(&s, v->e->name, v->e->address, v->e->port, v->e->user, v->e->key,
		     v->e->known_hosts)) {
		fail(v, "no SSH session");
		goto out;
	}
	snprintf(v->stage, sizeof(v->stage), "push");
	double t0 = monotonic_now();
	ret = ssh_exec(s, "command -v bash >/dev/null || { echo 'this guest has no bash' >&2; exit 3; }; "
			  "rm -rf " GUEST_DIR " && mkdir -p " GUEST_DIR " && tar -xzf - -C " GUEST_DIR,
		       tarball.buf, tarball.len, relay, v, &st);
	if (ret || st) {
		fail(v, st == 3 ? "the guest has no bash" : "pushing mmtests-c");
		goto out;
	}
	info_msg("%s: pushed mmtests-c (%zu KiB) in %.2f s", v->e->name, tarball.len / 1024,
		 monotonic_now() - t0);

	snprintf(v->stage, sizeof(v->stage), "run");
	struct strbuf cmd = STRBUF_INIT;
	char *sync = shell_quote(v->e->guest_sync);
	sb_addf(&cmd, "cd " GUEST_DIR " && export LD_LIBRARY_PATH=" GUEST_DIR "/lib "
		      "MMTESTS_SYNC=%s MMTESTS_SYNC_NAME=%s MMTESTS_SYNC_SECRET=%s && "
		      "exec 3<&0 </dev/null && { bin/run-mmtests", sync, v->e->name, secret);
	free(sync);
	for (int i = 0; i < opt.npass; i++) {
		char *q = shell_quote(opt.pass[i]);
		sb_addf(&cmd, " %s", q);
		free(q);
	}
	/* The host closes stdin to ask for a stop: then run-mmtests gets
	 * SIGINT, stops its benchmark and keeps what it has. (A background
	 * job's stdin is /dev/null, hence the channel's stdin kept on fd 3.) */
	sb_adds(&cmd, " & p=$!; { cat <&3 >/dev/null; kill -INT $p 2>/dev/null; } >/dev/null 2>&1 & "
		      "wait $p; }");
	ret = ssh_exec_until(s, cmd.buf, NULL, 0, relay, v, &v->run_status, stop_requested);
	sb_release(&cmd);
	if (ret) {
		fail(v, "the SSH connection was lost (VM crashed or destroyed?)");
		goto out;
	}
	if (v->run_status) {
		v->failed = 1;
		err_msg("%s: run-mmtests exited with status %d", v->e->name, v->run_status);
	}
	barrier_member_lost(barrier, v->e->name, "finished");
	snprintf(v->stage, sizeof(v->stage), "pull");
	if (pull(v, s))
		fail(v, "pulling the results");
out:
	ssh_close(s);
	v->done = 1;
	return NULL;
}

/* Build the archive pushed into every guest: programs, the libraries they
 * need, shellpacks, configs, monitors and the run's configs. */
static int build_tarball(void)
{
	char stage[] = "/tmp/mmtests-push-XXXXXX";
	struct strbuf script = STRBUF_INIT, err = STRBUF_INIT;
	int status, ret;

	if (!mkdtemp(stage))
		return err_errno(errno, "cannot create a staging directory");
	sb_addf(&script,
		"set -e; S=%s; B=%s; T=%s; L=%s\n"
		"mkdir -p $S/bin $S/lib $S/src/bench $S/run-configs $S/tools\n"
		"for p in run-mmtests mmtests-sync mmtests-monitor; do cp $B/$p $S/bin/; done\n"
		"cp $L/stream $S/src/bench/\n"
		"cp -rL $T/shellpacks $S/\n"
		"[ -d $T/configs ] && cp -r $T/configs $S/ || true\n"
		"[ -d $T/monitors ] && cp -rL $T/monitors $S/ || mkdir -p $S/monitors\n"
		"cp $T/tools/install-deps $T/tools/pkgmap $S/tools/ 2>/dev/null || true\n"
		"for f in $S/bin/* $S/src/bench/stream; do ldd $f 2>/dev/null; done | "
		"grep -oE '/[^ ]+\\.so[^ ]*' | sort -u | grep -vE '/(libc|ld-linux[^/]*)\\.so' | "
		"while read -r l; do cp -L $l $S/lib/; done\n",
		stage, paths.bindir, paths.top, paths.libexec);
	for (int i = 0; i < opt.nconfigs; i++) {
		char *q = shell_quote(opt.configs[i]);
		sb_addf(&script, "cp %s $S/run-configs/\n", q);
		free(q);
	}
	sb_addf(&script, "tar -czf - -C $S .\nrm -rf $S\n");
	char *argv[] = { "bash", "-c", script.buf, NULL };
	ret = spawn_capture(argv, NULL, &tarball, &err, &status);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("building the archive to push failed: %s", err.buf);
		ret = -EIO;
	}
	sb_release(&script);
	sb_release(&err);
	return ret;
}

/* run-mmtests arguments: configs are pushed, their paths rewritten. */
static int parse_pass(int argc, char **argv)
{
	opt.pass = xcalloc(argc + 1, sizeof(char *));
	opt.configs = xcalloc(argc + 1, sizeof(char *));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if ((!strcmp(a, "-c") || !strcmp(a, "--config")) && i + 1 < argc)
			val = argv[++i];
		else if (!strncmp(a, "--config=", 9))
			val = a + 9;
		if (val) {
			if (access(val, R_OK) < 0)
				return err_errno(errno, "config %s", val);
			opt.configs[opt.nconfigs++] = (char *)val;
			const char *base = strrchr(val, '/');
			opt.pass[opt.npass++] = "-c";
			opt.pass[opt.npass++] = xasprintf("run-configs/%s", base ? base + 1 : val);
			continue;
		}
		opt.pass[opt.npass++] = argv[i];
	}
	if (!opt.npass || opt.pass[opt.npass - 1][0] == '-') {
		err_msg("RUNNAME is missing after --");
		return -EINVAL;
	}
	opt.runname = opt.pass[opt.npass - 1];
	return runname_check(opt.runname);
}

/* tcp:ADDR:PORT: the barrier listens there (QEMU's guestfwd connects to
 * it when the domain starts, so before that). One listener per address. */
static int listen_sync(struct vm *v, struct vm *all, int idx)
{
	struct sync_endpoint ep;
	unsigned bound;

	if (!v->e->sync || strncmp(v->e->sync, "tcp:", 4))
		return 0;
	for (int i = 0; i < idx; i++)
		if (all[i].e->sync && !strcmp(all[i].e->sync, v->e->sync))
			return 0;
	if (sync_endpoint_parse(v->e->sync, &ep))
		return -EINVAL;
	return barrier_listen_tcp(barrier, ep.host, ep.port, &bound);
}

/* unix:PATH: the host side of the VM's virtio-serial channel, which QEMU
 * creates when the domain starts. */
static int attach_sync(struct vm *v)
{
	struct sync_endpoint ep;
	double until = monotonic_now() + 10;
	int fd = -1;

	if (!v->e->sync || !strncmp(v->e->sync, "tcp:", 4))
		return 0;
	if (sync_endpoint_parse(v->e->sync, &ep) || ep.transport != SYNC_UNIX) {
		err_msg("%s: sync must be unix:PATH (a virtio-serial channel) or tcp:ADDR:PORT "
			"(QEMU guestfwd)", v->e->name);
		return -EINVAL;
	}
	while (monotonic_now() < until && (fd = sync_endpoint_try(&ep)) < 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (fd < 0)
		return err_errno(ECONNREFUSED, "%s: cannot connect to the barrier channel %s", v->e->name, ep.host);
	return barrier_attach(barrier, v->e->name, fd);
}

static char *random_secret(void)
{
	unsigned char r[16];
	char *s = xmalloc(33);
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, r, sizeof(r)) != sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = rand();
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 16; i++)
		sprintf(s + 2 * i, "%02x", r[i]);
	return s;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "inventory", required_argument, NULL, 'i' },
		{ "vm", required_argument, NULL, 'v' },
		{ "connect", required_argument, NULL, 'c' },
		{ "keep", no_argument, NULL, 'k' },
		{ "ready-timeout", required_argument, NULL, 'r' },
		{ "config-host", required_argument, NULL, 'C' },
		{ "run-monitor", no_argument, NULL, 'm' },
		{ "no-monitor", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct vm_entry *inv;
	int ninv, c, code = 0;

	log_set_program("run-kvm");
	while ((c = getopt_long(argc, argv, "+i:kC:mnh", lo, NULL)) != -1) {
		switch (c) {
		case 'i': opt.inventory = optarg; break;
		case 'v': opt.vms = optarg; break;
		case 'c': opt.uri = optarg; break;
		case 'k': opt.keep = 1; break;
		case 'r': opt.ready_timeout = atof(optarg); break;
		case 'C': opt.host_config = optarg; break;
		case 'm': opt.host_monitor = 1; break;
		case 'n': opt.host_monitor = 0; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!opt.inventory) {
		err_msg("--inventory FILE is required: it says how to reach each VM");
		return 2;
	}
	if (parse_pass(argc - optind, argv + optind))
		return 2;
	if (vm_inventory_load(opt.inventory, &inv, &ninv) || paths_discover(&paths))
		return 2;
	/* The host config: MMTESTS_VM and host monitors, evaluated by bash
	 * as run-mmtests evaluates configs. */
	struct env henv = ENV_INIT;
	struct monitor_config hmon = { 0 };
	if (opt.host_config) {
		struct env base = ENV_INIT;
		const char *files[] = { opt.host_config };
		char *helper = path_join(paths.shellpacks, "config-helpers.sh");
		env_from_environ(&base);
		env_set(&base, "SHELLPACK_INCLUDE", paths.shellpacks);
		config_add_host_facts(&base);
		int bad = config_load(&base, helper, files, 1, &henv);
		free(helper);
		env_free(&base);
		char *mdir = path_join(paths.top, "monitors");
		if (!bad)
			bad = monitor_config_load(&hmon, &henv, opt.host_monitor, mdir);
		free(mdir);
		if (bad)
			return 2;
		const char *mv = env_get(&henv, "MMTESTS_VM");
		if (!opt.vms && mv && *mv) {
			char *list = xstrdup(mv);
			for (char *p = list; *p; p++)
				if (*p == ' ')
					*p = ',';
			opt.vms = list;
		}
	}
	/* --vm picks and orders VMs from the inventory */
	struct vm *vms = xcalloc(ninv + 1, sizeof(*vms));
	int nvm = 0;
	if (opt.vms) {
		char *copy = xstrdup(opt.vms), *save = NULL;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			int found = 0;
			for (int i = 0; i < ninv; i++)
				if (!strcmp(inv[i].name, t)) {
					vms[nvm++].e = &inv[i];
					found = 1;
				}
			if (!found) {
				struct strbuf names = STRBUF_INIT;
				for (int i = 0; i < ninv; i++)
					sb_addf(&names, " %s", inv[i].name);
				err_msg("--vm %s: not in %s; it has:%s", t, opt.inventory, names.buf);
				return 2;
			}
		}
		free(copy);
	} else {
		for (int i = 0; i < ninv; i++)
			vms[nvm++].e = &inv[i];
	}
	if (!nvm) {
		err_msg("%s lists no VM", opt.inventory);
		return 2;
	}
	logdir = path_join(paths.work, "log");
	for (int i = 0; i < nvm; i++) {
		char *dst = xasprintf("%s/%s-%s", logdir, opt.runname, vms[i].e->name);
		int exists = access(dst, F_OK) == 0;
		if (exists)
			err_msg("%s already exists; choose another RUNNAME (nothing is deleted)", dst);
		free(dst);
		if (exists)
			return 2;
	}
	char *hostdir = xasprintf("%s/%s-host", logdir, opt.runname);
	if (mkdir_p(hostdir, 0755) || build_tarball())
		return 1;
	ssh_global_init();
	interrupt_install();
	secret = random_secret();
	char *blog = path_join(hostdir, "barrier.log");
	FILE *log = fopen(blog, "a");
	barrier = barrier_new(secret, log);
	barrier_on_status(barrier, on_status, NULL);
	for (int i = 0; i < nvm; i++)
		barrier_add_member(barrier, vms[i].e->name);

	for (int i = 0; i < nvm; i++)
		if (listen_sync(&vms[i], vms, i))
			return 2;
	/* Start every domain first: they boot in parallel. */
	for (int i = 0; i < nvm; i++) {
		struct vm *v = &vms[i];
		sb_init(&v->line[0]);
		sb_init(&v->line[1]);
		v->console_offset = file_size(v->e->console);
		snprintf(v->stage, sizeof(v->stage), "start");
		if (domain_prepare(&v->dom, v->e->name, opt.uri ? opt.uri : v->e->uri, v->e->xml) ||
		    attach_sync(v)) {
			v->failed = 1;
			barrier_member_lost(barrier, v->e->name, "could not be started");
		}
	}
	barrier_start(barrier);
	struct monitor_session *hms = NULL;
	if (hmon.n && monitor_start(&hmon, hostdir, "run", &henv, &hms))
		warn_msg("host monitors could not all be started");
	for (int i = 0; i < nvm; i++) {
		if (!vms[i].failed && pthread_create(&vms[i].thread, NULL, vm_thread, &vms[i]) == 0)
			vms[i].thread_started = 1;
	}
	/* Watch the domains: one that stops mid-run must not hold the others. */
	for (;;) {
		int running = 0;
		for (int i = 0; i < nvm; i++) {
			struct vm *v = &vms[i];
			if (!v->thread_started || v->done)
				continue;
			running++;
			if (!domain_active(&v->dom) && !v->failed) {
				v->failed = 1;
				err_msg("%s: the domain stopped during %s", v->e->name, v->stage);
				barrier_member_lost(barrier, v->e->name, "domain stopped");
			}
		}
		if (!running)
			break;
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < nvm; i++)
		if (vms[i].thread_started)
			pthread_join(vms[i].thread, NULL);
	if (hms) {
		struct strbuf rep = STRBUF_INIT;
		monitor_stop(hms, &rep);
		if (rep.len)
			fputs(rep.buf, stderr);
		sb_release(&rep);
	}
	monitor_config_free(&hmon);
	env_free(&henv);
	barrier_free(barrier);
	if (log)
		fclose(log);
	for (int i = 0; i < nvm; i++) {
		domain_release(&vms[i].dom, opt.keep, 30);
		sb_release(&vms[i].line[0]);
		sb_release(&vms[i].line[1]);
		if (vms[i].failed)
			code = 1;
	}
	printf("run-kvm: %s:", code ? "finished with failures" : "finished");
	for (int i = 0; i < nvm; i++)
		printf(" %s=%s", vms[i].e->name, vms[i].failed ? vms[i].stage : "ok");
	printf("\nrun-kvm: compare them: compare -d %s --names ", logdir);
	for (int i = 0; i < nvm; i++)
		printf("%s%s-%s", i ? "," : "", opt.runname, vms[i].e->name);
	printf("\n");
	if (interrupt_pending())
		code = 130;
	vm_inventory_free(inv, ninv);
	free(vms);
	free(hostdir);
	free(blog);
	free(secret);
	free(logdir);
	sb_release(&tarball);
	paths_free(&paths);
	return code;
}
