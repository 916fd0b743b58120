#include "vm_inventory.h"

#include <confuse.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_error.h"
#include "log.h"
#include "xalloc.h"

static cfg_opt_t vm_opts[] = {
	CFG_STR("uri", "qemu:///system", CFGF_NONE),
	CFG_STR("xml", NULL, CFGF_NONE),
	CFG_STR("address", "127.0.0.1", CFGF_NONE),
	CFG_INT("port", 22, CFGF_NONE),
	CFG_STR("user", "root", CFGF_NONE),
	CFG_STR("key", NULL, CFGF_NONE),
	CFG_STR("known_hosts", "known_hosts", CFGF_NONE),
	CFG_STR("sync", NULL, CFGF_NONE),
	CFG_STR("guest_sync", "serial:/dev/virtio-ports/org.mmtests.barrier", CFGF_NONE),
	CFG_STR("console", NULL, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t opts[] = {
	CFG_SEC("vm", vm_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END()
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int vm_inventory_load(const char *file, struct vm_entry **vms, int *n)
{
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	int ret = 0;

	*vms = NULL;
	*n = 0;
	if ((ret = cfg_parse_reported(cfg, file)))
		goto out;
	*n = cfg_size(cfg, "vm");
	*vms = xcalloc(*n + 1, sizeof(**vms));
	for (int i = 0; i < *n; i++) {
		cfg_t *v = cfg_getnsec(cfg, "vm", i);
		struct vm_entry *e = &(*vms)[i];
		long port = cfg_getint(v, "port");

		e->name = xstrdup(cfg_title(v));
		e->uri = xstrdup(cfg_getstr(v, "uri"));
		e->xml = dup_or_null(cfg_getstr(v, "xml"));
		e->address = xstrdup(cfg_getstr(v, "address"));
		e->user = xstrdup(cfg_getstr(v, "user"));
		e->key = dup_or_null(cfg_getstr(v, "key"));
		e->known_hosts = xstrdup(cfg_getstr(v, "known_hosts"));
		e->sync = dup_or_null(cfg_getstr(v, "sync"));
		e->guest_sync = xstrdup(cfg_getstr(v, "guest_sync"));
		e->console = dup_or_null(cfg_getstr(v, "console"));
		if (port < 1 || port > 65535) {
			err_msg("%s: vm \"%s\": port %ld is not 1..65535", file, e->name, port);
			ret = -EINVAL;
		}
		e->port = port;
		if (!e->key) {
			err_msg("%s: vm \"%s\" has no key (the SSH private key to log in with)", file, e->name);
			ret = -EINVAL;
		}
	}
out:
	cfg_free(cfg);
	if (ret) {
		vm_inventory_free(*vms, *n);
		*vms = NULL;
		*n = 0;
	}
	return ret;
}

void vm_inventory_free(struct vm_entry *vms, int n)
{
	for (int i = 0; i < n; i++) {
		struct vm_entry *e = &vms[i];
		free(e->name); free(e->uri); free(e->xml); free(e->address); free(e->user);
		free(e->key); free(e->known_hosts); free(e->sync); free(e->guest_sync); free(e->console);
	}
	free(vms);
}
