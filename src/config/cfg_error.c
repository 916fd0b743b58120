#include "cfg_error.h"

#include <errno.h>
#include <stdio.h>

#include "log.h"

void cfg_report_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	err_msg("%s:%d: %s", cfg->filename ? cfg->filename : "?", cfg->line, msg);
}

int cfg_parse_reported(cfg_t *cfg, const char *file)
{
	cfg_set_error_function(cfg, cfg_report_error);
	switch (cfg_parse(cfg, file)) {
	case CFG_SUCCESS:
		return 0;
	case CFG_FILE_ERROR:
		return err_errno(errno ? errno : ENOENT, "cannot read %s", file);
	default:
		return -EINVAL;	/* cfg_report_error said where */
	}
}
