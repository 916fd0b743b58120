/* <RUN>-host/run.json: what run-kvm did and how each VM ended, rewritten
 * atomically after every change, so a crash of run-kvm itself still
 * leaves the last state on disk. Thread-safe. */
#ifndef MMT_KVM_STATE_H
#define MMT_KVM_STATE_H

struct kvm_state;

struct kvm_state *kvm_state_create(const char *path, const char *runname);
void kvm_state_add_vm(struct kvm_state *st, const char *vm, const char *uri, const char *sync);
/* status: booting, running, finished, failed, interrupted. */
void kvm_state_vm(struct kvm_state *st, const char *vm, const char *status, const char *stage,
		  const char *why);
/* Where the VM's results are and whether they are complete or the last
 * checkpoint (after which test) of a VM that was lost. */
void kvm_state_results(struct kvm_state *st, const char *vm, const char *path, const char *what);
void kvm_state_barrier(struct kvm_state *st, int releases, double skew_p50_us, double skew_max_us);
void kvm_state_finish(struct kvm_state *st, const char *status);
void kvm_state_free(struct kvm_state *st);

#endif
