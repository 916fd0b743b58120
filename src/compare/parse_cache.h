/* The samples of a tree MMTests wrote (raw logs, no parse-results.tsv),
 * parsed once: parse-results output cached outside the tree (MMTests's
 * trees are left as they are, and may be read-only), keyed by the logs'
 * path, their files' names, sizes and mtimes, and the parse-results
 * script's. A first read parses every iteration of every run in parallel.
 * Cache directory: $MMTESTS_CACHE, else $XDG_CACHE_HOME/mmtests-c, else
 * ~/.cache/mmtests-c; MMTESTS_CACHE=off turns it off. */
#ifndef MMT_PARSE_CACHE_H
#define MMT_PARSE_CACHE_H

#include "shellpack_conf.h"
#include "strbuf.h"

/* parse-results of logs (validated) into tsv, from the cache when its key
 * still matches; a miss runs the script and stores the result. 0 (an
 * iteration without samples gives an empty tsv), or -errno (reported). */
int parse_cache_get(const struct shellpack_meta *m, const char *logs, struct strbuf *tsv);
/* Fill the cache for these logs directories with up to jobs parse-results
 * at a time (misses only). Failures are left for parse_cache_get to
 * report. */
void parse_cache_fill(const struct shellpack_meta *m, char **logs, int n, int jobs);

#endif
