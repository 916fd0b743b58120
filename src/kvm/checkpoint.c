/* Checkpoints: after every test_done release the barrier holds the next
 * release while each live guest's tree so far is pulled over a second SSH
 * session, so a VM lost later leaves what it had produced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "pull.h"
#include "run_kvm.h"
#include "xalloc.h"

/* Checkpoint thread: pull the tree so far whenever the barrier asks
 * (after test_done), then let the barrier go on. */
void *checkpoint_thread(void *arg)
{
	struct vm *v = arg;

	for (;;) {
		pthread_mutex_lock(&v->run->watch_lock);
		while (!v->cp_pending && !v->cp_quit)
			pthread_cond_wait(&v->run->watch_cv, &v->run->watch_lock);
		int quit = v->cp_quit && !v->cp_pending;
		pthread_mutex_unlock(&v->run->watch_lock);
		if (quit)
			break;
		char *tmp = xasprintf("%s.new", v->cp_dir);
		if (pull_tree(v->snap, v->e->name, GUEST_LOGDIR, v->run->opt.runname, tmp) == 0) {
			remove_tree(v->cp_dir);
			if (rename(tmp, v->cp_dir) == 0)
				v->checkpoints++;
		}
		remove_tree(tmp);
		free(tmp);
		pthread_mutex_lock(&v->run->watch_lock);
		v->cp_pending = 0;
		pthread_mutex_unlock(&v->run->watch_lock);
		barrier_unhold(v->run->barrier);
	}
	return NULL;
}

/* Barrier thread, after a release: a test finished in every guest, so
 * each live one is checkpointed before the next test starts. */
int on_release(void *ctx, const char *token)
{
	struct kvm_run *r = ctx;
	int holds = 0;

	if (strcmp(token, "test_done"))
		return 0;
	pthread_mutex_lock(&r->watch_lock);
	for (int i = 0; i < r->nvm; i++) {
		struct vm *v = &r->vms[i];
		if (v->cp_started && !v->cp_quit && !v->failed && !v->stopped) {
			v->cp_pending = 1;
			holds++;
		}
	}
	pthread_cond_broadcast(&r->watch_cv);
	pthread_mutex_unlock(&r->watch_lock);
	return holds;
}

void checkpoints_stop(struct vm *v)
{
	if (!v->cp_started)
		return;
	pthread_mutex_lock(&v->run->watch_lock);
	v->cp_quit = 1;
	pthread_cond_broadcast(&v->run->watch_cv);
	pthread_mutex_unlock(&v->run->watch_lock);
	pthread_join(v->cp_thread, NULL);
	v->cp_started = 0;
	ssh_close(v->snap);
	v->snap = NULL;
}
