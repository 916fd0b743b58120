/* SSH to a guest with libssh2: key authentication, the host key checked
 * against a known-hosts file (first contact recorded, a mismatch
 * refused), exec channels with exit status and separate stdout/stderr. */
#ifndef MMT_SSH_H
#define MMT_SSH_H

#include <stddef.h>

#include "strbuf.h"

struct ssh;

typedef void (*ssh_output_fn)(void *ctx, int is_stderr, const char *data, size_t len);

int ssh_global_init(void);
/* Connect and authenticate; errors are reported naming the VM. */
int ssh_open(struct ssh **out, const char *vm, const char *address, unsigned port,
	     const char *user, const char *key, const char *known_hosts);
/* Run cmd; stdin_data (may be NULL) is sent, then EOF -- at once, or,
 * with eof_when, only when eof_when() returns non-zero (a command can
 * watch its stdin to learn that the host wants it to stop). Output goes
 * to fn. *exit_status gets the command's status (-1 when the connection
 * died). Returns 0 when the command ran to completion, -errno otherwise. */
int ssh_exec(struct ssh *s, const char *cmd, const void *stdin_data, size_t stdin_len,
	     ssh_output_fn fn, void *ctx, int *exit_status);
int ssh_exec_until(struct ssh *s, const char *cmd, const void *stdin_data, size_t stdin_len,
		   ssh_output_fn fn, void *ctx, int *exit_status, int (*eof_when)(void));
/* Run cmd collecting stdout into out. */
int ssh_capture(struct ssh *s, const char *cmd, struct strbuf *out, int *exit_status);
void ssh_close(struct ssh *s);
/* Is an SSH server answering there (banner seen within timeout)? */
int ssh_banner_ready(const char *address, unsigned port, double timeout);

#endif
