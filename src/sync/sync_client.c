#include "sync_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *const tokens[] = {
	"mmtests_start", "test_do", "iteration_begin", "iteration_end",
	"test_done", "mmtests_end", NULL
};

int sync_token_valid(const char *token)
{
	for (int i = 0; tokens[i]; i++)
		if (!strcmp(token, tokens[i]))
			return 1;
	return 0;
}

int sync_point(const char *token)
{
	const char *endpoint = getenv("MMTESTS_SYNC");

	if (!sync_token_valid(token)) {
		err_msg("unknown sync token '%s'", token);
		return -EINVAL;
	}
	if (!endpoint || !*endpoint)
		return 0;
	/* The transports (TCP, virtio-serial, vsock) come with run-kvm. */
	err_msg("MMTESTS_SYNC=%s: barrier transports are not built yet; "
		"unset MMTESTS_SYNC to run without a barrier", endpoint);
	return -ENOSYS;
}
