#include "kvm_state.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "json_file.h"
#include "log.h"
#include "xalloc.h"

struct kvm_state {
	char *path;
	json_t *root, *vms;
	pthread_mutex_t lock;
};

/* Called with the lock held. */
static void save(struct kvm_state *st)
{
	json_save_atomic(st->path, st->root);
}

struct kvm_state *kvm_state_create(const char *path, const char *runname)
{
	struct kvm_state *st = xcalloc(1, sizeof(*st));
	char name[256] = "";

	gethostname(name, sizeof(name) - 1);
	st->path = xstrdup(path);
	st->vms = json_object();
	st->root = json_pack("{s:s,s:s,s:s,s:s,s:o,s:O}", "tool", "run-kvm", "runname", runname,
			     "host", name, "status", "running", "start", json_stamp_now(), "vms", st->vms);
	pthread_mutex_init(&st->lock, NULL);
	save(st);
	return st;
}

void kvm_state_add_vm(struct kvm_state *st, const char *vm, const char *uri, const char *sync)
{
	pthread_mutex_lock(&st->lock);
	json_object_set_new(st->vms, vm, json_pack("{s:s?,s:s?,s:s,s:s,s:s}", "uri", uri, "sync", sync,
						  "status", "starting", "stage", "start",
						  "results_are", "none"));
	save(st);
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_vm(struct kvm_state *st, const char *vm, const char *status, const char *stage,
		  const char *why)
{
	pthread_mutex_lock(&st->lock);
	json_t *v = json_object_get(st->vms, vm);
	if (v) {
		json_object_set_new(v, "status", json_string(status));
		json_object_set_new(v, "stage", json_string(stage));
		if (why)
			json_object_set_new(v, "reason", json_string(why));
		save(st);
	}
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_results(struct kvm_state *st, const char *vm, const char *path, const char *what)
{
	pthread_mutex_lock(&st->lock);
	json_t *v = json_object_get(st->vms, vm);
	if (v) {
		json_object_set_new(v, "results", json_string(path));
		json_object_set_new(v, "results_are", json_string(what));
		save(st);
	}
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_barrier(struct kvm_state *st, int releases, double p50, double max)
{
	pthread_mutex_lock(&st->lock);
	json_object_set_new(st->root, "barrier", json_pack("{s:i,s:f,s:f}", "releases", releases,
							    "skew_p50_us", p50, "skew_max_us", max));
	save(st);
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_finish(struct kvm_state *st, const char *status)
{
	pthread_mutex_lock(&st->lock);
	json_object_set_new(st->root, "status", json_string(status));
	json_object_set_new(st->root, "end", json_stamp_now());
	save(st);
	pthread_mutex_unlock(&st->lock);
}

void kvm_state_free(struct kvm_state *st)
{
	if (!st)
		return;
	json_decref(st->root);
	json_decref(st->vms);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st);
}
