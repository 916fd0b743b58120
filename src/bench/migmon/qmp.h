/* A small QMP (QEMU machine protocol) client for mig-mon migrate. */
#ifndef MMT_QMP_H
#define MMT_QMP_H

#include <jansson.h>
#include <stddef.h>

struct qmp {
	int fd;
	const char *path;
	size_t len;
	char buf[65536];
};

/* Connect, read the greeting, negotiate capabilities. -1 with err set. */
int qmp_open(struct qmp *q, const char *path, char *err, size_t errlen);
/* Send one command, {"execute": name} with arguments (stolen; NULL for
 * none); its reply's "return" value (a new reference), or NULL with err
 * set (QEMU's error description when it refused). */
json_t *qmp_cmd(struct qmp *q, const char *name, json_t *arguments, char *err, size_t errlen);
void qmp_close(struct qmp *q);

#endif
