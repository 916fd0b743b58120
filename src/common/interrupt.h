/* Ctrl-C / SIGTERM: handlers only record the signal; the code that is
 * waiting (spawn_wait) decides how to stop children and unwind. */
#ifndef MMT_INTERRUPT_H
#define MMT_INTERRUPT_H

void interrupt_install(void);
/* The exit code to end with, once all is recorded and released: 130
 * when an interrupt came, even after the work was done. From here on the
 * signals have their default action: one arriving after this look ends
 * the process by it. So no signal goes unanswered, to the last instant. */
int interrupt_exit_code(int code);
/* The signal received (SIGINT/SIGTERM), or 0. */
int interrupt_pending(void);
/* How many signals so far: a child started after an interrupt (a
 * clean-up hook) is stopped only by one that arrives while it runs. */
int interrupt_count(void);
/* Readable from the first signal on (never drained), for poll(); -1
 * before interrupt_install(). */
int interrupt_fd(void);

#endif
