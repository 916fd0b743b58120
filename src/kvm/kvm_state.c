#include "kvm_state.h"

#include <pthread.h>
#include <stdlib.h>

#include "xalloc.h"

struct kvm_state {
	char *path;
	struct run_record rec;
	pthread_mutex_t lock;
};

/* Called with the lock held. */
static void save(struct kvm_state *st)
{
	run_json_write(st->path, &st->rec);
}

struct kvm_state *kvm_state_create(const char *path, const char *runname)
{
	struct kvm_state *st = xcalloc(1, sizeof(*st));

	st->path = xstrdup(path);
	st->rec.kind = RUN_KIND_KVM_HOST;
	st->rec.runname = xstrdup(runname);
	st->rec.status = ST_RUNNING;
	run_stamp_now(&st->rec.start);
	host_record_fill(&st->rec.host);
	pthread_mutex_init(&st->lock, NULL);
	save(st);
	return st;
}

void kvm_state_add_vm(struct kvm_state *st, const char *vm, const char *uri, const char *sync)
{
	pthread_mutex_lock(&st->lock);
	struct vm_record *v = run_record_add_vm(&st->rec, vm);
	run_record_set(&v->uri, uri);
	run_record_set(&v->sync, sync);
	run_record_set(&v->stage, "start");
	save(st);
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_vm(struct kvm_state *st, const char *vm, enum run_status status, const char *stage,
		  const char *why)
{
	pthread_mutex_lock(&st->lock);
	struct vm_record *v = run_record_vm(&st->rec, vm);
	if (v) {
		v->status = status;
		run_record_set(&v->stage, stage);
		if (why)
			run_record_set(&v->reason, why);
		save(st);
	}
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_results(struct kvm_state *st, const char *vm, const char *path,
		       enum results_are what)
{
	pthread_mutex_lock(&st->lock);
	struct vm_record *v = run_record_vm(&st->rec, vm);
	if (v) {
		run_record_set(&v->results, path);
		v->results_are = what;
		save(st);
	}
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_barrier(struct kvm_state *st, int releases, double p50, double max)
{
	pthread_mutex_lock(&st->lock);
	st->rec.has_barrier = 1;
	st->rec.barrier_releases = releases;
	st->rec.skew_p50_us = p50;
	st->rec.skew_max_us = max;
	save(st);
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_finish(struct kvm_state *st, enum run_status status)
{
	pthread_mutex_lock(&st->lock);
	st->rec.status = status;
	run_stamp_now(&st->rec.end);
	save(st);
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_free(struct kvm_state *st)
{
	if (!st)
		return;
	run_record_free(&st->rec);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st);
}
