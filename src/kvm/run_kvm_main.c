/* run-kvm: run-mmtests inside libvirt VMs in lock-step. Start the VMs,
 * push the tool into each over SSH, run the same configuration in all of
 * them with a host-side barrier, relay their output, pull every results
 * tree back into work/log/<RUN>-<VM>, and leave the VMs as found.
 * This file: options, set-up, watching the domains, tear-down; each VM's
 * work is vm_thread.c, the checkpoints between tests checkpoint.c. */
#include <errno.h>
#include <fcntl.h>
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
#include "options.h"
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

/* The one run; VM threads reach it through their struct vm. */
static struct kvm_run run = {
	.opt = { .ready_timeout = 120, .host_monitor = -1 },
	.tarball = STRBUF_INIT,
	.out_lock = PTHREAD_MUTEX_INITIALIZER,
	.watch_lock = PTHREAD_MUTEX_INITIALIZER,
	.watch_cv = PTHREAD_COND_INITIALIZER,
};

static const struct opt_usage usage = {
	.program = "run-kvm",
	.synopsis = "--inventory FILE [options] -- <run-mmtests options> RUNNAME",
	.description =
"Start the VMs (libvirt), push mmtests-c into each over SSH, run run-mmtests\n"
"in all of them in lock-step (barrier over each VM's virtio-serial channel),\n"
"and pull the results into work/log/RUNNAME-VM. VMs started here are shut\n"
"down afterwards unless -k. The inventory describes each VM (see the README).\n",
	.epilog =
"The host config (MMTests-style) may set MMTESTS_VM and host monitors\n"
"(MONITORS_*), recorded into work/log/RUNNAME-host for the whole run.\n"
"When the host's programs cannot run in a guest (another architecture or C\n"
"library) the guest builds mmtests-c from this tree's release tarball.\n"
"Exit status: 0 every VM finished, 1 a VM failed (the others finished), 2 usage.\n",
};

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

/* The archive pushed into every guest (tools/kvm-push-archive says what
 * is in it). */
static int build_tarball(void)
{
	char *script = path_join(run.paths.tools, "kvm-push-archive");
	char **argv = xcalloc(run.opt.nconfigs + 6, sizeof(char *));
	struct strbuf err = STRBUF_INIT;
	int status, ret, n = 0;

	argv[n++] = script;
	argv[n++] = run.paths.bindir;
	argv[n++] = run.paths.top;
	argv[n++] = run.paths.libexec;
	for (int i = 0; i < run.opt.nconfigs; i++)
		argv[n++] = run.opt.configs[i];
	ret = spawn_capture(argv, NULL, &run.tarball, &err, &status);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("building the archive to push failed: %s", err.buf);
		ret = -EIO;
	}
	sb_release(&err);
	free(argv);
	free(script);
	return ret;
}

/* run-mmtests arguments: configs are pushed, their paths rewritten. */
static int parse_pass(int argc, char **argv)
{
	run.opt.pass = xcalloc(argc + 1, sizeof(char *));
	run.opt.configs = xcalloc(argc + 1, sizeof(char *));
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
			run.opt.configs[run.opt.nconfigs++] = (char *)val;
			const char *base = strrchr(val, '/');
			run.opt.pass[run.opt.npass++] = "-c";
			run.opt.pass[run.opt.npass++] = xasprintf("run-configs/%s", base ? base + 1 : val);
			continue;
		}
		run.opt.pass[run.opt.npass++] = argv[i];
	}
	if (!run.opt.npass || run.opt.pass[run.opt.npass - 1][0] == '-') {
		err_msg("RUNNAME is missing after --");
		return -EINVAL;
	}
	run.opt.runname = run.opt.pass[run.opt.npass - 1];
	return runname_check(run.opt.runname);
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
		return barrier_listen_vsock(run.barrier, ep.port);
	return barrier_listen_tcp(run.barrier, ep.host, ep.port, &bound);
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
	return barrier_attach(run.barrier, v->e->name, fd);
}

/* tcp: the VM's QEMU connects to the barrier when it starts (guestfwd) and
 * stays silent until the guest runs: the barrier must know that connection
 * is the VM's, not an idle stranger's. */
static void tell_qemu(struct vm *v)
{
	pid_t pid = domain_qemu_pid(v->e->name);

	if (pid > 0)
		barrier_member_qemu(run.barrier, v->e->name, pid);
	else
		warn_msg("%s: its QEMU is not a process on this host: the barrier will close its "
			 "guestfwd connection after 10 s without a HELLO (use a virtio-serial channel)",
			 v->e->name);
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
	char *host = tree_host_dir(run.logdir, run.opt.runname);
	int bad = 0;

	if (access(host, F_OK) == 0) {
		err_msg("%s already exists; choose another RUNNAME (nothing is deleted)", host);
		bad = 1;
	}
	free(host);
	for (int i = 0; i < run.nvm; i++) {
		struct vm_entry *e = run.vms[i].e;
		char *dst = tree_vm_dir(run.logdir, run.opt.runname, e->name);
		if (access(dst, F_OK) == 0) {
			err_msg("%s already exists; choose another RUNNAME (nothing is deleted)", dst);
			bad = 1;
		}
		free(dst);
		if (access(e->key, R_OK) < 0) {
			err_errno(errno, "%s: vm %s: SSH key %s", run.opt.inventory, e->name, e->key);
			bad = 1;
		}
		if (e->xml && access(e->xml, R_OK) < 0) {
			err_errno(errno, "%s: vm %s: domain XML %s", run.opt.inventory, e->name, e->xml);
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
			v->e->name, v->e->address, v->e->port, v->e->port, run.opt.inventory);
}

/* Until every VM thread is done: a domain that stops (libvirt's lifecycle
 * event, or a poll where events are unavailable) is let go at once, so it
 * holds nobody at the barrier. */
static void watch_domains(void)
{
	pthread_mutex_lock(&run.watch_lock);
	for (;;) {
		int running = 0;
		for (int i = 0; i < run.nvm; i++) {
			struct vm *v = &run.vms[i];
			if (!v->thread_started || v->done)
				continue;
			running++;
			if (!v->stopped && v->dom.watch_id < 0 && !domain_active(&v->dom))
				v->stopped = "the domain stopped";
			if (v->stopped && !v->failed) {
				pthread_mutex_unlock(&run.watch_lock);
				vm_fail(v, v->stopped);
				pthread_mutex_lock(&run.watch_lock);
			}
		}
		if (!running)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&run.watch_cv, &run.watch_lock, &ts);
	}
	pthread_mutex_unlock(&run.watch_lock);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void record_skews(void)
{
	double *sk;
	int n = barrier_skews(run.barrier, &sk);

	if (n) {
		qsort(sk, n, sizeof(*sk), cmp_double);
		kvm_state_barrier(run.state, n, sk[n / 2] * 1e6, sk[n - 1] * 1e6);
	}
	free(sk);
}

/* What main() sets up and teardown() frees, whichever way it ends. */
static struct vm_entry *inv;
static int ninv;
static struct env henv = ENV_INIT;
static struct monitor_config hmon;
static char *vms_from_config;	/* MMTESTS_VM, as a --vm list */
static int host_lock = -1;	/* tree_lock() of RUN-host */

/* Options, inventory, host config, which VMs: 0, or an exit code. */
static int setup(int argc, char **argv)
{
	const struct opt opts[] = {
		OPT_STRING('i', "inventory", &run.opt.inventory, "FILE", "how to reach each VM (vms.conf)"),
		OPT_STRING(0, "vm", &run.opt.vms, "VM[,VM...]", "which VMs (default: the host config's MMTESTS_VM)"),
		OPT_STRING(0, "connect", &run.opt.uri, "URI", "libvirt URI for every VM (default: the inventory's)"),
		OPT_BOOL('k', "keep", &run.opt.keep, "leave the VMs running and defined afterwards"),
		OPT_POSITIVE(0, "ready-timeout", &run.opt.ready_timeout, "SEC",
			     "how long a VM may take to boot (default 120)"),
		OPT_STRING('C', "config-host", &run.opt.host_config, "FILE", "host config: MMTESTS_VM, host monitors"),
		OPT_FLAG('m', "run-monitor", &run.opt.host_monitor, 1, "force host monitors on"),
		OPT_FLAG('n', "no-monitor", &run.opt.host_monitor, 0, "force host monitors off"),
		OPT_BOOL('p', "performance", &run.opt.performance,
			 "the host's cpufreq governor performance for the run"),
		OPT_BOOL('L', "host-logs", &run.opt.host_logs, "record the host's system information in RUNNAME-host"),
		OPT_BOOL(0, "build-in-guest", &run.opt.build_in_guest, "build mmtests-c in every guest"),
		OPT_END()
	};
	int first = opt_parse(argc, argv, opts, &usage, OPT_STOP_AT_OPERAND);

	if (first == OPT_HELP)
		return -1;
	if (first < 0)
		return 2;
	if (!run.opt.inventory) {
		err_msg("--inventory FILE is required: it says how to reach each VM");
		return 2;
	}
	if (parse_pass(argc - first, argv + first))
		return 2;
	if (vm_inventory_load(run.opt.inventory, &inv, &ninv) || paths_discover(&run.paths))
		return 2;
	/* The host config: MMTESTS_VM and host monitors, evaluated by bash
	 * as run-mmtests evaluates configs. */
	if (run.opt.host_config) {
		struct env base = ENV_INIT;
		const char *files[] = { run.opt.host_config };
		char *helper = path_join(run.paths.shellpacks, "config-helpers.sh");
		env_from_environ(&base);
		env_set(&base, "SHELLPACK_INCLUDE", run.paths.shellpacks);
		config_add_host_facts(&base);
		int bad = config_load(&base, helper, files, 1, &henv);
		free(helper);
		env_free(&base);
		char *mdir = path_join(run.paths.top, "monitors");
		if (!bad)
			bad = monitor_config_load(&hmon, &henv, run.opt.host_monitor, mdir);
		free(mdir);
		if (bad)
			return 2;
		const char *mv = env_get(&henv, "MMTESTS_VM");
		if (!run.opt.vms && mv && *mv) {
			vms_from_config = xstrdup(mv);
			for (char *p = vms_from_config; *p; p++)
				if (*p == ' ')
					*p = ',';
			run.opt.vms = vms_from_config;
		}
	}
	/* --vm picks and orders VMs from the inventory */
	run.vms = xcalloc(ninv + 1, sizeof(*run.vms));
	for (int i = 0; i < ninv; i++)
		run.vms[i].run = &run;
	if (run.opt.vms) {
		char *copy = xstrdup(run.opt.vms), *save = NULL;
		int bad = 0;
		for (char *t = strtok_r(copy, ",", &save); t && !bad; t = strtok_r(NULL, ",", &save)) {
			int found = 0;
			for (int i = 0; i < ninv; i++)
				if (!strcmp(inv[i].name, t)) {
					run.vms[run.nvm++].e = &inv[i];
					found = 1;
				}
			if (!found) {
				struct strbuf names = STRBUF_INIT;
				for (int i = 0; i < ninv; i++)
					sb_addf(&names, " %s", inv[i].name);
				err_msg("--vm %s: not in %s; it has:%s", t, run.opt.inventory, names.buf);
				sb_release(&names);
				bad = 1;
			}
		}
		free(copy);
		if (bad)
			return 2;
	} else {
		for (int i = 0; i < ninv; i++)
			run.vms[run.nvm++].e = &inv[i];
	}
	if (!run.nvm) {
		err_msg("%s lists no VM", run.opt.inventory);
		return 2;
	}
	run.logdir = tree_logdir(run.paths.work);
	return check_before_start() ? 2 : 0;
}

static void print_summary(int code)
{
	int ran = 0;

	printf("run-kvm: %s:", interrupt_pending() ? "interrupted" :
	       code ? "finished with failures" : "finished");
	for (int i = 0; i < run.nvm; i++) {
		printf(" %s=%s", run.vms[i].e->name, run.vms[i].interrupted ? "interrupted" :
		       run.vms[i].failed ? run.vms[i].stage : "ok");
		ran |= run.vms[i].ran;
	}
	if (!ran) {	/* no VM got as far as running: nothing to compare */
		printf("\nrun-kvm: no VM ran the benchmarks; nothing to compare\n");
		return;
	}
	printf("\nrun-kvm: compare them: compare-mmtests -d %s --names ", run.logdir);
	for (int i = 0; i < run.nvm; i++)
		printf("%s%s-%s", i ? "," : "", run.opt.runname, run.vms[i].e->name);
	printf("\n");
}

/* Start the VMs, run in all of them, bring everything home. */
static int run_all(void)
{
	char *hostdir = tree_host_dir(run.logdir, run.opt.runname);
	char *blog = tree_barrier_log(hostdir);
	char *sfile = tree_run_json(hostdir);
	struct monitor_session *hms = NULL;
	FILE *log = NULL;
	int code = 0;

	if (mkdir_p(hostdir, 0755) || (host_lock = tree_lock(hostdir)) < 0 || build_tarball()) {
		code = 1;
		goto done;
	}
	ssh_global_init();
	interrupt_install();
	domain_events_init();
	log = fopen(blog, "a");
	run.state = kvm_state_create(sfile, run.opt.runname);
	run.barrier = barrier_new("", log);
	barrier_on_status(run.barrier, on_status, &run);
	barrier_on_release(run.barrier, on_release, &run);
	for (int i = 0; i < run.nvm; i++) {
		struct vm *v = &run.vms[i];
		v->secret = random_secret();
		barrier_add_member(run.barrier, v->e->name, v->secret);
		kvm_state_add_vm(run.state, v->e->name, run.opt.uri ? run.opt.uri : v->e->uri, v->e->sync);
		v->cp_dir = tree_checkpoint_dir(run.logdir, run.opt.runname, v->e->name);
		sb_init(&v->line[0]);
		sb_init(&v->line[1]);
	}
	if (run.opt.host_logs && sysinfo_capture(hostdir))
		warn_msg("-L: the host's system information is incomplete in %s", hostdir);
	if (run.opt.performance)
		governor_set_performance();

	for (int i = 0; i < run.nvm; i++)
		if (listen_sync(&run.vms[i], run.vms, i)) {
			code = 2;
			goto out;
		}
	/* Start every domain first: they boot in parallel. */
	for (int i = 0; i < run.nvm; i++) {
		struct vm *v = &run.vms[i];
		v->console_offset = file_size(v->e->console);
		snprintf(v->stage, sizeof(v->stage), "start");
		if (domain_prepare(&v->dom, v->e->name, run.opt.uri ? run.opt.uri : v->e->uri, v->e->xml) ||
		    attach_sync(v)) {
			port_hint(v);
			vm_fail(v, "it could not be started");
			continue;
		}
		if (is_listened(v->e->sync) && !strncmp(v->e->sync, "tcp:", 4))
			tell_qemu(v);
		if (domain_watch(&v->dom, on_stopped, v) == 0 && !domain_active(&v->dom))
			on_stopped(v, "the domain stopped");	/* before the watch began */
	}
	barrier_start(run.barrier);
	/* host monitors that watch the VMs (dirty-rate) learn them here */
	struct strbuf uris = STRBUF_INIT;
	for (int i = 0; i < run.nvm; i++)
		sb_addf(&uris, "%s%s=%s", i ? " " : "", run.vms[i].e->name,
			run.opt.uri ? run.opt.uri : run.vms[i].e->uri ? run.vms[i].e->uri : "qemu:///system");
	env_set(&henv, "MMTESTS_VM_URIS", uris.buf);
	sb_release(&uris);
	if (hmon.n && monitor_start(&hmon, hostdir, "run", &henv, &hms))
		warn_msg("host monitors could not all be started");
	for (int i = 0; i < run.nvm; i++) {
		if (!run.vms[i].failed && pthread_create(&run.vms[i].thread, NULL, vm_thread, &run.vms[i]) == 0)
			run.vms[i].thread_started = 1;
	}
	watch_domains();
	for (int i = 0; i < run.nvm; i++)
		if (run.vms[i].thread_started)
			pthread_join(run.vms[i].thread, NULL);
	if (hms) {
		struct strbuf rep = STRBUF_INIT;
		monitor_stop(hms, &rep);
		if (rep.len)
			fputs(rep.buf, stderr);
		sb_release(&rep);
	}
	record_skews();
out:
	barrier_free(run.barrier);
	run.barrier = NULL;
	if (run.opt.performance)
		governor_restore();
	for (int i = 0; i < run.nvm; i++) {
		domain_release(&run.vms[i].dom, run.opt.keep, 30);
		if (run.vms[i].failed && !code)
			code = 1;
	}
	domain_events_stop();
	kvm_state_finish(run.state, interrupt_pending() ? ST_INTERRUPTED : code ? ST_FAILED : ST_FINISHED);
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
	if (host_lock >= 0)
		close(host_lock);	/* RUN-host's lock ends with the run */
	for (int i = 0; run.vms && i < run.nvm; i++) {
		sb_release(&run.vms[i].line[0]);
		sb_release(&run.vms[i].line[1]);
		free(run.vms[i].cp_dir);
		free(run.vms[i].secret);
	}
	free(run.vms);
	kvm_state_free(run.state);
	monitor_config_free(&hmon);
	env_free(&henv);
	if (inv)
		vm_inventory_free(inv, ninv);
	free(vms_from_config);
	for (int i = run.opt.npass - 1; i > 0; i--)	/* backwards: pass[i - 1] is still there */
		if (!strcmp(run.opt.pass[i - 1], "-c"))	/* parse_pass made pass[i] */
			free(run.opt.pass[i]);
	free(run.opt.pass);
	free(run.opt.configs);
	free(run.logdir);
	sb_release(&run.tarball);
	vm_release_source();
	paths_free(&run.paths);
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
