/* run-kvm's state: one struct kvm_run, made by the main thread
 * (run_kvm_main.c: set-up, watching, tear-down) and handed to each VM's
 * thread (vm_thread.c: boot, push, run, pull) and the checkpoints between
 * tests (checkpoint.c) through struct vm's run. The comments say who may
 * touch what when. */
#ifndef MMT_RUN_KVM_H
#define MMT_RUN_KVM_H

#include <pthread.h>

#include "barrier.h"
#include "domain.h"
#include "kvm_state.h"
#include "paths.h"
#include "ssh.h"
#include "strbuf.h"
#include "vm_inventory.h"

#define GUEST_DIR "/opt/mmtests-c"
#define GUEST_LOGDIR GUEST_DIR "/work/log"	/* tree_logdir() of the guest's copy */

struct kvm_run;

struct vm {
	struct kvm_run *run;	/* the run it belongs to */
	struct vm_entry *e;
	struct domain dom;
	long console_offset;
	pthread_t thread;
	int thread_started;
	int failed;
	int interrupted;	/* its run stopped because the host was interrupted */
	int ran;		/* run-mmtests started in it: there are results to compare */
	char stage[64];		/* where it is or where it failed */
	int run_status;
	int done;
	struct strbuf line[2];	/* partial output lines (stdout, stderr) */
	const char *stopped;	/* set by the lifecycle event: why it stopped */
	/* Checkpoints: after each test_done release, the tree so far is
	 * pulled over a second SSH session before the next release, so a VM
	 * lost later still leaves what it had produced. */
	struct ssh *snap;
	pthread_t cp_thread;
	int cp_started, cp_pending, cp_quit, checkpoints;
	char *cp_dir;		/* work/log/.checkpoint-RUN-VM */
	char *secret;		/* its own: its HELLO cannot speak for another VM */
};

struct run_kvm_opts {
	const char *inventory, *vms, *uri, *host_config;
	int keep, host_monitor;	/* -1: the host config decides */
	int performance, host_logs, build_in_guest;
	double ready_timeout;
	char **pass;		/* run-mmtests arguments */
	int npass;
	const char *runname;
	char **configs;
	int nconfigs;
};

/* Set up by the main thread before any other starts; read-only after,
 * except where a field says otherwise. */
struct kvm_run {
	struct run_kvm_opts opt;
	struct paths paths;
	char *logdir;
	struct barrier *barrier;
	struct strbuf tarball;		/* what is pushed into every guest */
	pthread_mutex_t out_lock;	/* one writer of relayed output at a time */
	struct kvm_state *state;	/* locks itself */
	struct vm *vms;
	int nvm;
	/* The main thread sleeps on watch_cv until a VM thread ends or a
	 * domain stops; checkpoint threads sleep on it for work. watch_lock
	 * guards each vm's done, stopped and cp_* fields. */
	pthread_mutex_t watch_lock;
	pthread_cond_t watch_cv;
};

char *shell_quote(const char *s);

/* vm_thread.c */
void *vm_thread(void *arg);
/* Barrier callbacks; ctx is the struct kvm_run. */
void on_status(void *ctx, const char *member, const char *text);
/* libvirt's lifecycle event; ctx is the struct vm. */
void on_stopped(void *ctx, const char *why);
void vm_release_source(void);
/* Mark a VM failed (reported once, at its first failure) and release the
 * others from waiting for it. */
void vm_fail(struct vm *v, const char *why);

/* checkpoint.c */
void *checkpoint_thread(void *arg);
int on_release(void *ctx, const char *token);	/* ctx: the struct kvm_run */
void checkpoints_stop(struct vm *v);

#endif
