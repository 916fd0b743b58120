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
};

/* Connect to uri, look the domain up (define it from xml when missing and
 * xml is given), start it when not running. Errors carry libvirt's
 * message; an unknown name lists the domains libvirt knows. */
int domain_prepare(struct domain *d, const char *name, const char *uri, const char *xml);
int domain_active(struct domain *d);
/* Leave it as found: started by us -> ACPI shutdown, destroy after
 * timeout seconds; defined by us -> undefined. */
void domain_release(struct domain *d, int keep, double timeout);

#endif
