/* libconfuse's error callback for every native config: "file:line: msg". */
#ifndef MMT_CFG_ERROR_H
#define MMT_CFG_ERROR_H

#include <confuse.h>
#include <stdarg.h>

void cfg_report_error(cfg_t *cfg, const char *fmt, va_list ap);
/* cfg_parse with errors reported: 0, or -errno / -EINVAL. */
int cfg_parse_reported(cfg_t *cfg, const char *file);

#endif
