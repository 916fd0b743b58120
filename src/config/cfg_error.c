#include "cfg_error.h"

#include <stdio.h>

#include "log.h"

void cfg_report_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	err_msg("%s:%d: %s", cfg->filename ? cfg->filename : "?", cfg->line, msg);
}
