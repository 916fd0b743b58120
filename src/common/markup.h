/* Text into HTML and XML (JUnit, reports): the five characters that
 * would be markup, escaped. */
#ifndef MMT_MARKUP_H
#define MMT_MARKUP_H

#include <stdio.h>

void markup_escape(FILE *f, const char *s);

#endif
