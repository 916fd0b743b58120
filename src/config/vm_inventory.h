/* The VM inventory (libconfuse), one section per VM:
 *   vm "vm1" {
 *     uri = "qemu:///system"          libvirt connection
 *     xml = "vm1.xml"                 defined from this when not defined yet
 *     address = "127.0.0.1"  port = 10122  user = "root"
 *     key = "/var/tmp/mmt-guest/id_ed25519"
 *     known_hosts = "work/known_hosts"
 *     sync = "unix:/run/libvirt/qemu/vm1.barrier.sock"   host side of the barrier
 *     guest_sync = "serial:/dev/virtio-ports/org.mmtests.barrier"
 *     console = "/var/log/libvirt/qemu/vm1-console.log"   READY line source
 *   }
 * Errors name file and line. */
#ifndef MMT_VM_INVENTORY_H
#define MMT_VM_INVENTORY_H

struct vm_entry {
	char *name, *uri, *xml, *address, *user, *key, *known_hosts, *sync, *guest_sync, *console;
	unsigned port;
};

int vm_inventory_load(const char *file, struct vm_entry **vms, int *n);
void vm_inventory_free(struct vm_entry *vms, int n);

#endif
