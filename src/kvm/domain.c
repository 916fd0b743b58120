#include "domain.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libvirt/virterror.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "spawn.h"
#include "xalloc.h"

static const char *last_error(void)
{
	virErrorPtr e = virGetLastError();

	return e && e->message ? e->message : "unknown libvirt error";
}

static void silent(void *ud, virErrorPtr e)
{
	/* errors are reported once, where the context is known */
}

static void list_domains(virConnectPtr c, struct strbuf *out)
{
	virDomainPtr *doms;
	int n = virConnectListAllDomains(c, &doms, 0);

	for (int i = 0; i < n; i++) {
		sb_addf(out, " %s", virDomainGetName(doms[i]));
		virDomainFree(doms[i]);
	}
	if (n >= 0)
		free(doms);
	if (!out->len)
		sb_adds(out, " (none)");
}

static pthread_t event_thread;
static volatile int events_running;

static void tick(int timer, void *ctx)
{
	/* wakes the loop so that domain_events_stop() is seen */
}

static void *event_loop(void *arg)
{
	while (events_running)
		if (virEventRunDefaultImpl() < 0)
			break;
	return NULL;
}

int domain_events_init(void)
{
	virSetErrorFunc(NULL, silent);
	if (virEventRegisterDefaultImpl() < 0 || virEventAddTimeout(250, tick, NULL, NULL) < 0) {
		warn_msg("libvirt events unavailable (%s): polling domain states", last_error());
		return -ENOTSUP;
	}
	events_running = 1;
	if (pthread_create(&event_thread, NULL, event_loop, NULL)) {
		events_running = 0;
		return -EAGAIN;
	}
	return 0;
}

void domain_events_stop(void)
{
	if (!events_running)
		return;
	events_running = 0;
	pthread_join(event_thread, NULL);
}

struct watch {
	domain_stopped_fn fn;
	void *ctx;
};

static int on_lifecycle(virConnectPtr c, virDomainPtr dom, int event, int detail, void *opaque)
{
	struct watch *w = opaque;
	const char *why = NULL;

	if (event == VIR_DOMAIN_EVENT_CRASHED)
		why = "the guest crashed";
	else if (event == VIR_DOMAIN_EVENT_STOPPED)
		why = detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED ? "the domain was destroyed" :
		      detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ? "the guest crashed" :
		      detail == VIR_DOMAIN_EVENT_STOPPED_FAILED ? "the hypervisor failed" :
		      detail == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN ? "the guest shut down" :
		      "the domain stopped";
	if (why)
		w->fn(w->ctx, why);
	return 0;
}

int domain_watch(struct domain *d, domain_stopped_fn fn, void *ctx)
{
	struct watch *w = xmalloc(sizeof(*w));

	w->fn = fn;
	w->ctx = ctx;
	d->watch_id = events_running ?
		virConnectDomainEventRegisterAny(d->conn, d->dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
						 VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), w, free) : -1;
	if (d->watch_id < 0) {
		free(w);
		return -ENOTSUP;
	}
	return 0;
}

int domain_prepare(struct domain *d, const char *name, const char *uri, const char *xml)
{
	memset(d, 0, sizeof(*d));
	d->watch_id = -1;
	d->name = xstrdup(name);
	virSetErrorFunc(NULL, silent);
	d->conn = virConnectOpen(uri);
	if (!d->conn) {
		err_msg("%s: cannot connect to libvirt at %s: %s", name, uri, last_error());
		return -ECONNREFUSED;
	}
	d->dom = virDomainLookupByName(d->conn, name);
	if (!d->dom && xml) {
		struct strbuf b = STRBUF_INIT;
		if (read_file(xml, &b)) {
			sb_release(&b);
			return -ENOENT;
		}
		d->dom = virDomainDefineXML(d->conn, b.buf);
		sb_release(&b);
		if (!d->dom) {
			err_msg("%s: libvirt rejected %s: %s", name, xml, last_error());
			return -EINVAL;
		}
		d->defined_by_us = 1;
	}
	if (!d->dom) {
		struct strbuf known = STRBUF_INIT;
		list_domains(d->conn, &known);
		err_msg("%s: no such domain at %s (and no xml to define it); known:%s", name, uri, known.buf);
		sb_release(&known);
		return -ENOENT;
	}
	if (virDomainIsActive(d->dom) == 1)
		return 0;
	if (virDomainCreate(d->dom) < 0) {
		err_msg("%s: cannot start: %s", name, last_error());
		return -EIO;
	}
	d->started_by_us = 1;
	return 0;
}

int domain_active(struct domain *d)
{
	return d->dom && virDomainIsActive(d->dom) == 1;
}

void domain_release(struct domain *d, int keep, double timeout)
{
	if (d->dom && d->started_by_us && !keep && domain_active(d)) {
		double until = monotonic_now() + timeout;
		virDomainShutdown(d->dom);
		while (domain_active(d) && monotonic_now() < until) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (domain_active(d)) {
			warn_msg("%s: no ACPI shutdown after %.0f s: destroying it", d->name, timeout);
			virDomainDestroy(d->dom);
		}
	}
	if (d->conn && d->watch_id >= 0)
		virConnectDomainEventDeregisterAny(d->conn, d->watch_id);
	if (d->dom && d->defined_by_us && !keep)
		virDomainUndefine(d->dom);
	if (d->dom)
		virDomainFree(d->dom);
	if (d->conn)
		virConnectClose(d->conn);
	free(d->name);
	memset(d, 0, sizeof(*d));
}

/* Does this NUL-separated command line run domain name? libvirt passes
 * "-name guest=NAME,debug-threads=on"; older ones "-name NAME". */
static int runs_domain(const char *cmd, size_t len, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < len; i += strlen(cmd + i) + 1) {
		if (strcmp(cmd + i, "-name") || i + 6 >= len)
			continue;
		const char *v = cmd + i + 6;
		if (!strncmp(v, "guest=", 6))
			v += 6;
		return !strncmp(v, name, nl) && (v[nl] == '\0' || v[nl] == ',');
	}
	return 0;
}

pid_t domain_qemu_pid(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;
	char path[64], cmd[16384];

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/cmdline", de->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, cmd, sizeof(cmd) - 1);
		close(fd);
		if (n <= 0 || !strstr(cmd, "qemu"))
			continue;
		cmd[n] = '\0';
		if (runs_domain(cmd, n, name))
			found = atoi(de->d_name);
	}
	closedir(d);
	return found;
}
