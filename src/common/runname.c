#include "runname.h"

#include <errno.h>
#include <string.h>

#include "log.h"

int runname_check(const char *name)
{
	if (!*name) {
		err_msg("RUNNAME is empty");
		return -EINVAL;
	}
	if (!strcmp(name, ".") || strstr(name, "..") || strchr(name, '/')) {
		err_msg("RUNNAME '%s' must not contain '/' or '..'", name);
		return -EINVAL;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			err_msg("RUNNAME contains control character 0x%02x", *p);
			return -EINVAL;
		}
	}
	return 0;
}
