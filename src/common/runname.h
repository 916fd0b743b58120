/* A run's name becomes a directory: no '/', no '..', no control
 * characters. Bad names get a message and -EINVAL. */
#ifndef MMT_RUNNAME_H
#define MMT_RUNNAME_H

int runname_check(const char *name);

#endif
