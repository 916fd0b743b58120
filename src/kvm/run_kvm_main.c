/* run-kvm: run-mmtests inside libvirt VMs in lock-step. Start the VMs,
 * push the tool into each over SSH, run the same configuration in all of
 * them with a host-side barrier, relay their output, pull every results
 * tree back into work/log/<RUN>-<VM>, and leave the VMs as found.
 * This file: options, set-up, watching the domains, tear-down; each VM's
 * work is vm_thread.c, the checkpoints between tests checkpoint.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "barrier.h"
#include "config_shell.h"
#include "domain.h"
#include "fileio.h"
#include "governor.h"
#include "interrupt.h"
#include "kvm_state.h"
#include "log.h"
#include "monitor.h"
#include "paths.h"
#include "runname.h"
#include "spawn.h"
#include "ssh.h"
#include "sync_endpoint.h"
#include "sysinfo.h"
#include "tree.h"
#include "vm_inventory.h"
#include "xalloc.h"
#include "run_kvm.h"

struct run_kvm_opts opt = { .ready_timeout = 120, .host_monitor = -1 };
struct paths paths;
char *logdir, *secret;
struct barrier *barrier;
struct strbuf tarball = STRBUF_INIT;
pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
struct kvm_state *state;
struct vm *vms;
int nvm;
pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t watch_cv = PTHREAD_COND_INITIALIZER;

static void usage(FILE *f)
{
	fprintf(f,
"usage: run-kvm --inventory FILE [--vm VM[,VM...]] [--connect URI] [-k|--keep]\n"
"               [-p|--performance] [-L|--host-logs] [-C|--config-host FILE]\n"
"               [-m|--run-monitor] [-n|--no-monitor] [--ready-timeout SEC]\n"
"               [--build-in-guest]\n"
"               -- <run-mmtests options> RUNNAME\n"
"Start the VMs (libvirt), push mmtests-c into each over SSH, run run-mmtests\n"
"in all of them in lock-step (barrier over each VM's virtio-serial channel),\n"
"and pull the results into work/log/RUNNAME-VM. VMs started here are shut\n"
"down afterwards unless -k. The inventory describes each VM (see the README).\n"
"The host config (MMTests-style) may set MMTESTS_VM and host monitors\n"
"(MONITORS_*), recorded into work/log/RUNNAME-host for the whole run.\n"
"-p sets the host's cpufreq governor to performance for the run (restored\n"
"after); -L records the host's system information into RUNNAME-host.\n"
"When the host's programs cannot run in a guest (another architecture or C\n"
"library) the guest builds mmtests-c from this tree's release tarball;\n"
"--build-in-guest does so for every guest.\n");
}

static long file_size(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 ? st.st_size : 0;
}

char *shell_quote(const char *s)
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
		"cp $L/stream $L/mig-mon $L/virtbench $S/src/bench/\n"
		"cp -rL $T/shellpacks $S/\n"
		"[ -d $T/configs ] && cp -r $T/configs $S/ || true\n"
		"[ -d $T/monitors ] && cp -rL $T/monitors $S/ || mkdir -p $S/monitors\n"
		"cp $T/tools/install-deps $T/tools/pkgmap $S/tools/ 2>/dev/null || true\n"
		"for f in $S/bin/* $S/src/bench/*; do ldd $f 2>/dev/null; done | "
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
 * it when the domain starts, so before that); vsock:CID:PORT: on the
 * vsock PORT (the guest, CID, connects to the host's CID 2). One listener
 * per endpoint. */
static int is_listened(const char *sync)
{
	return sync && (!strncmp(sync, "tcp:", 4) || !strncmp(sync, "vsock:", 6));
}

static int listen_sync(struct vm *v, struct vm *all, int idx)
{
	struct sync_endpoint ep;
	unsigned bound;

	if (!is_listened(v->e->sync))
		return 0;
	if (sync_endpoint_parse(v->e->sync, &ep))
		return -EINVAL;
	for (int i = 0; i < idx; i++) {
		struct sync_endpoint o;
		if (is_listened(all[i].e->sync) && sync_endpoint_parse(all[i].e->sync, &o) == 0 &&
		    o.transport == ep.transport && o.port == ep.port)
			return 0;
	}
	if (ep.transport == SYNC_VSOCK)
		return barrier_listen_vsock(barrier, ep.port);
	return barrier_listen_tcp(barrier, ep.host, ep.port, &bound);
}

/* unix:PATH: the host side of the VM's virtio-serial channel, which QEMU
 * creates when the domain starts. */
static int attach_sync(struct vm *v)
{
	struct sync_endpoint ep;
	double until = monotonic_now() + 10;
	int fd = -1;

	if (!v->e->sync || is_listened(v->e->sync))
		return 0;
	if (sync_endpoint_parse(v->e->sync, &ep) || ep.transport != SYNC_UNIX) {
		err_msg("%s: sync must be unix:PATH (a virtio-serial channel), tcp:ADDR:PORT "
			"(QEMU guestfwd) or vsock:CID:PORT", v->e->name);
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

/* What can be checked before anything starts: no result is overwritten,
 * every key is readable, every domain XML exists. */
static int check_before_start(void)
{
	char *host = tree_host_dir(logdir, opt.runname);
	int bad = 0;

	if (access(host, F_OK) == 0) {
		err_msg("%s already exists; choose another RUNNAME (nothing is deleted)", host);
		bad = 1;
	}
	free(host);
	for (int i = 0; i < nvm; i++) {
		struct vm_entry *e = vms[i].e;
		char *dst = tree_vm_dir(logdir, opt.runname, e->name);
		if (access(dst, F_OK) == 0) {
			err_msg("%s already exists; choose another RUNNAME (nothing is deleted)", dst);
			bad = 1;
		}
		free(dst);
		if (access(e->key, R_OK) < 0) {
			err_errno(errno, "%s: vm %s: SSH key %s", opt.inventory, e->name, e->key);
			bad = 1;
		}
		if (e->xml && access(e->xml, R_OK) < 0) {
			err_errno(errno, "%s: vm %s: domain XML %s", opt.inventory, e->name, e->xml);
			bad = 1;
		}
	}
	return bad ? -EINVAL : 0;
}

/* Is addr:port taken by another program? (QEMU's SSH forward cannot bind.) */
static int tcp_port_taken(const char *addr, unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, taken;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return 0;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	taken = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == EADDRINUSE;
	close(fd);
	return taken;
}

static void port_hint(struct vm *v)
{
	if (!domain_active(&v->dom) && tcp_port_taken(v->e->address, v->e->port))
		err_msg("%s: %s:%u, where its SSH is forwarded, is in use by another program "
			"(ss -ltnp 'sport = :%u' shows which); choose another port in %s",
			v->e->name, v->e->address, v->e->port, v->e->port, opt.inventory);
}

/* Until every VM thread is done: a domain that stops (libvirt's lifecycle
 * event, or a poll where events are unavailable) is let go at once, so it
 * holds nobody at the barrier. */
static void watch_domains(void)
{
	pthread_mutex_lock(&watch_lock);
	for (;;) {
		int running = 0;
		for (int i = 0; i < nvm; i++) {
			struct vm *v = &vms[i];
			if (!v->thread_started || v->done)
				continue;
			running++;
			if (!v->stopped && v->dom.watch_id < 0 && !domain_active(&v->dom))
				v->stopped = "the domain stopped";
			if (v->stopped && !v->failed) {
				pthread_mutex_unlock(&watch_lock);
				vm_fail(v, v->stopped);
				pthread_mutex_lock(&watch_lock);
			}
		}
		if (!running)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&watch_cv, &watch_lock, &ts);
	}
	pthread_mutex_unlock(&watch_lock);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void record_skews(void)
{
	double *sk;
	int n = barrier_skews(barrier, &sk);

	if (n) {
		qsort(sk, n, sizeof(*sk), cmp_double);
		kvm_state_barrier(state, n, sk[n / 2] * 1e6, sk[n - 1] * 1e6);
	}
	free(sk);
}

/* What main() sets up and teardown() frees, whichever way it ends. */
static struct vm_entry *inv;
static int ninv;
static struct env henv = ENV_INIT;
static struct monitor_config hmon;
static char *vms_from_config;	/* MMTESTS_VM, as a --vm list */

/* Options, inventory, host config, which VMs: 0, or an exit code. */
static int setup(int argc, char **argv)
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
		{ "performance", no_argument, NULL, 'p' },
		{ "host-logs", no_argument, NULL, 'L' },
		{ "build-in-guest", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+i:kC:mnpLh", lo, NULL)) != -1) {
		switch (c) {
		case 'i': opt.inventory = optarg; break;
		case 'v': opt.vms = optarg; break;
		case 'c': opt.uri = optarg; break;
		case 'k': opt.keep = 1; break;
		case 'r': opt.ready_timeout = atof(optarg); break;
		case 'C': opt.host_config = optarg; break;
		case 'm': opt.host_monitor = 1; break;
		case 'n': opt.host_monitor = 0; break;
		case 'p': opt.performance = 1; break;
		case 'L': opt.host_logs = 1; break;
		case 'B': opt.build_in_guest = 1; break;
		case 'h': usage(stdout); return -1;
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
			vms_from_config = xstrdup(mv);
			for (char *p = vms_from_config; *p; p++)
				if (*p == ' ')
					*p = ',';
			opt.vms = vms_from_config;
		}
	}
	/* --vm picks and orders VMs from the inventory */
	vms = xcalloc(ninv + 1, sizeof(*vms));
	if (opt.vms) {
		char *copy = xstrdup(opt.vms), *save = NULL;
		int bad = 0;
		for (char *t = strtok_r(copy, ",", &save); t && !bad; t = strtok_r(NULL, ",", &save)) {
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
				sb_release(&names);
				bad = 1;
			}
		}
		free(copy);
		if (bad)
			return 2;
	} else {
		for (int i = 0; i < ninv; i++)
			vms[nvm++].e = &inv[i];
	}
	if (!nvm) {
		err_msg("%s lists no VM", opt.inventory);
		return 2;
	}
	logdir = tree_logdir(paths.work);
	return check_before_start() ? 2 : 0;
}

static void print_summary(int code)
{
	printf("run-kvm: %s:", code ? "finished with failures" : "finished");
	for (int i = 0; i < nvm; i++)
		printf(" %s=%s", vms[i].e->name, vms[i].failed ? vms[i].stage : "ok");
	printf("\nrun-kvm: compare them: compare -d %s --names ", logdir);
	for (int i = 0; i < nvm; i++)
		printf("%s%s-%s", i ? "," : "", opt.runname, vms[i].e->name);
	printf("\n");
}

/* Start the VMs, run in all of them, bring everything home. */
static int run_all(void)
{
	char *hostdir = tree_host_dir(logdir, opt.runname);
	char *blog = tree_barrier_log(hostdir);
	char *sfile = tree_run_json(hostdir);
	struct monitor_session *hms = NULL;
	FILE *log = NULL;
	int code = 0;

	if (mkdir_p(hostdir, 0755) || build_tarball()) {
		code = 1;
		goto done;
	}
	ssh_global_init();
	interrupt_install();
	domain_events_init();
	secret = random_secret();
	log = fopen(blog, "a");
	state = kvm_state_create(sfile, opt.runname);
	barrier = barrier_new(secret, log);
	barrier_on_status(barrier, on_status, NULL);
	barrier_on_release(barrier, on_release, NULL);
	for (int i = 0; i < nvm; i++) {
		struct vm *v = &vms[i];
		barrier_add_member(barrier, v->e->name);
		kvm_state_add_vm(state, v->e->name, opt.uri ? opt.uri : v->e->uri, v->e->sync);
		v->cp_dir = tree_checkpoint_dir(logdir, opt.runname, v->e->name);
		sb_init(&v->line[0]);
		sb_init(&v->line[1]);
	}
	if (opt.host_logs && sysinfo_capture(hostdir))
		warn_msg("-L: the host's system information is incomplete in %s", hostdir);
	if (opt.performance)
		governor_set_performance();

	for (int i = 0; i < nvm; i++)
		if (listen_sync(&vms[i], vms, i)) {
			code = 2;
			goto out;
		}
	/* Start every domain first: they boot in parallel. */
	for (int i = 0; i < nvm; i++) {
		struct vm *v = &vms[i];
		v->console_offset = file_size(v->e->console);
		snprintf(v->stage, sizeof(v->stage), "start");
		if (domain_prepare(&v->dom, v->e->name, opt.uri ? opt.uri : v->e->uri, v->e->xml) ||
		    attach_sync(v)) {
			port_hint(v);
			vm_fail(v, "it could not be started");
			continue;
		}
		if (domain_watch(&v->dom, on_stopped, v) == 0 && !domain_active(&v->dom))
			on_stopped(v, "the domain stopped");	/* before the watch began */
	}
	barrier_start(barrier);
	/* host monitors that watch the VMs (dirty-rate) learn them here */
	struct strbuf uris = STRBUF_INIT;
	for (int i = 0; i < nvm; i++)
		sb_addf(&uris, "%s%s=%s", i ? " " : "", vms[i].e->name,
			opt.uri ? opt.uri : vms[i].e->uri ? vms[i].e->uri : "qemu:///system");
	env_set(&henv, "MMTESTS_VM_URIS", uris.buf);
	sb_release(&uris);
	if (hmon.n && monitor_start(&hmon, hostdir, "run", &henv, &hms))
		warn_msg("host monitors could not all be started");
	for (int i = 0; i < nvm; i++) {
		if (!vms[i].failed && pthread_create(&vms[i].thread, NULL, vm_thread, &vms[i]) == 0)
			vms[i].thread_started = 1;
	}
	watch_domains();
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
	record_skews();
out:
	barrier_free(barrier);
	barrier = NULL;
	if (opt.performance)
		governor_restore();
	for (int i = 0; i < nvm; i++) {
		domain_release(&vms[i].dom, opt.keep, 30);
		if (vms[i].failed && !code)
			code = 1;
	}
	domain_events_stop();
	kvm_state_finish(state, interrupt_pending() ? ST_INTERRUPTED : code ? ST_FAILED : ST_FINISHED);
	print_summary(code);
	if (interrupt_pending())
		code = 130;
done:
	if (log)
		fclose(log);
	free(hostdir);
	free(blog);
	free(sfile);
	return code;
}

static void teardown(void)
{
	for (int i = 0; vms && i < nvm; i++) {
		sb_release(&vms[i].line[0]);
		sb_release(&vms[i].line[1]);
		free(vms[i].cp_dir);
	}
	free(vms);
	kvm_state_free(state);
	monitor_config_free(&hmon);
	env_free(&henv);
	if (inv)
		vm_inventory_free(inv, ninv);
	free(vms_from_config);
	for (int i = opt.npass - 1; i > 0; i--)	/* backwards: pass[i - 1] is still there */
		if (!strcmp(opt.pass[i - 1], "-c"))	/* parse_pass made pass[i] */
			free(opt.pass[i]);
	free(opt.pass);
	free(opt.configs);
	free(secret);
	free(logdir);
	sb_release(&tarball);
	vm_release_source();
	paths_free(&paths);
}

int main(int argc, char **argv)
{
	int code;

	log_set_program("run-kvm");
	code = setup(argc, argv);
	if (!code)
		code = run_all();
	teardown();
	return code < 0 ? 0 : code;
}
