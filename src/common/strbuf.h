/* Growable NUL-terminated byte buffer (after git's strbuf). */
#ifndef MMT_STRBUF_H
#define MMT_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;	/* always NUL-terminated, never NULL after init */
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { .buf = strbuf_empty, .len = 0, .alloc = 0 }
extern char strbuf_empty[];

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
__attribute__((format(printf, 2, 3))) void sb_addf(struct strbuf *sb, const char *fmt, ...);
char *sb_detach(struct strbuf *sb);
void sb_trim_trailing_newlines(struct strbuf *sb);

#endif
