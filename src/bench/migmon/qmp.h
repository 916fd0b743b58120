/* A small QMP (QEMU machine protocol) client for mig-mon migrate. */
#ifndef MMT_QMP_H
#define MMT_QMP_H

#include <stddef.h>

struct qmp {
	int fd;
	const char *path;
	size_t len;
	char buf[65536];
};

/* Connect, read the greeting, negotiate capabilities. -1 with err set. */
int qmp_open(struct qmp *q, const char *path, char *err, size_t errlen);
/* Send one command (a JSON object); its reply line (malloc'd), or NULL
 * with err set (QEMU's error description when it refused). */
char *qmp_cmd(struct qmp *q, const char *cmd, char *err, size_t errlen);
void qmp_close(struct qmp *q);

/* The number or string after "key": in json (the first one). -1: absent. */
int json_num(const char *json, const char *key, double *out);
int json_str(const char *json, const char *key, char *out, size_t n);

#endif
