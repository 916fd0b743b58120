/* A shellpack's metadata (shellpacks/<name>/shellpack.conf, libconfuse)
 * and finding the shellpack for a benchmark name or alias. */
#ifndef MMT_SHELLPACK_CONF_H
#define MMT_SHELLPACK_CONF_H

#include "strbuf.h"

struct shellpack_metric {
	char *name;
	char *units;
	int higher_is_better;
	double threshold;	/* regression threshold in %, 0 = default */
};

struct shellpack_meta {
	char *name;		/* directory name */
	char *dir;		/* absolute path of the shellpack */
	char *description;
	char *version;
	char *summary;		/* "multiops" or "singleop" */
	int higher_is_better;
	int decimal_places;
	char *units;
	char *plot_type;
	char **aliases;
	int naliases;
	char **packages;	/* Debian package names */
	int npackages;
	char *source_file;	/* tarball name in the mirror, optional */
	char *source_url;
	char *source_sha256;
	struct shellpack_metric *metrics;
	int nmetrics;
};

/* Parse dir/shellpack.conf. Errors name file and line. */
int shellpack_meta_load(const char *dir, const char *name, struct shellpack_meta *m);
void shellpack_meta_free(struct shellpack_meta *m);
/* Find the shellpack under root serving bench (by directory name or
 * alias). -ENOENT when none does (nothing reported). */
int shellpack_lookup(const char *root, const char *bench, struct shellpack_meta *m);
/* Space-separated list of known shellpack names and aliases. */
void shellpack_list_known(const char *root, struct strbuf *out);

#endif
