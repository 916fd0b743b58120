/* <RUN>-host/run.json: what run-kvm did and how each VM ended (kind
 * run-kvm of the schema in run_json.h), rewritten atomically after every
 * change, so a crash of run-kvm itself still leaves the last state on
 * disk. Thread-safe. */
#ifndef MMT_KVM_STATE_H
#define MMT_KVM_STATE_H

#include "run_json.h"

struct kvm_state;

struct kvm_state *kvm_state_create(const char *path, const char *runname);
void kvm_state_add_vm(struct kvm_state *st, const char *vm, const char *uri, const char *sync);
/* A VM's status (ST_RUNNING, ST_FINISHED, ST_FAILED, ST_INTERRUPTED), the
 * stage it is at or failed in, and why it failed (or NULL). */
void kvm_state_vm(struct kvm_state *st, const char *vm, enum run_status status, const char *stage,
		  const char *why);
/* Where the VM's results are and whether they are complete or the last
 * checkpoint of a VM that was lost. */
void kvm_state_results(struct kvm_state *st, const char *vm, const char *path,
		       enum results_are what);
void kvm_state_barrier(struct kvm_state *st, int releases, double skew_p50_us, double skew_max_us);
void kvm_state_finish(struct kvm_state *st, enum run_status status);
void kvm_state_free(struct kvm_state *st);

#endif
