/* One error-reporting path for every tool: "prog: error: message". */
#ifndef MMT_LOG_H
#define MMT_LOG_H

#include <stdarg.h>

void log_set_program(const char *name);
const char *log_program(void);
void log_set_quiet(int quiet);
/* fn runs before every message is printed (a live status line clears
 * itself so the message does not land on top of it). */
void log_set_before_print(void (*fn)(void));

__attribute__((format(printf, 1, 2))) void err_msg(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warn_msg(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void info_msg(const char *fmt, ...);

/* The text of this thread's last error (without "prog: error: "), or "". */
const char *log_last_error(void);

/* err_msg() with ": strerror(errnum)" appended; returns -errnum. */
__attribute__((format(printf, 2, 3))) int err_errno(int errnum, const char *fmt, ...);

#endif
