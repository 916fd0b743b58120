/* Bring a guest's results tree home. */
#ifndef MMT_PULL_H
#define MMT_PULL_H

#include "ssh.h"

/* The guest's <guest_logdir>/<runname> becomes dst (which must not exist
 * yet): one tar.gz over SSH, unpacked beside dst, renamed into place, so
 * dst is either complete or absent. */
int pull_tree(struct ssh *s, const char *vm, const char *guest_logdir,
	      const char *runname, const char *dst);
/* Remove a directory tree (a stale checkpoint); 0 when it is gone. */
int remove_tree(const char *path);

#endif
