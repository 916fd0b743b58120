/* libvirt: find or define a domain, start it, watch it, stop it. */
#ifndef MMT_DOMAIN_H
#define MMT_DOMAIN_H

#include <libvirt/libvirt.h>

struct domain {
	char *name;
	virConnectPtr conn;
	virDomainPtr dom;
	int defined_by_us;
	int started_by_us;
	int watch_id;		/* lifecycle callback, -1 when none */
};

typedef void (*domain_stopped_fn)(void *ctx, const char *why);

/* Lifecycle events: call domain_events_init() before any connection is
 * opened; a thread runs libvirt's event loop until domain_events_stop(). */
int domain_events_init(void);
void domain_events_stop(void);
/* fn runs on the event thread when the domain stops or crashes. Returns
 * -errno when events are not available (poll domain_active() instead). */
int domain_watch(struct domain *d, domain_stopped_fn fn, void *ctx);

/* Connect to uri, look the domain up (define it from xml when missing and
 * xml is given), start it when not running. Errors carry libvirt's
 * message; an unknown name lists the domains libvirt knows. */
int domain_prepare(struct domain *d, const char *name, const char *uri, const char *xml);
int domain_active(struct domain *d);
/* Leave it as found: started by us -> ACPI shutdown, destroy after
 * timeout seconds; defined by us -> undefined. */
void domain_release(struct domain *d, int keep, double timeout);
/* The pid of the QEMU running domain name on this host (its command line
 * says -name guest=NAME), 0 when there is none here. */
pid_t domain_qemu_pid(const char *name);

#endif
