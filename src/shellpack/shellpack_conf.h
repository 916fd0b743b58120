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

/* A config variable the benchmark reads, checked before a run starts:
 *   variable "FIO_RW" { type = "enum" values = { "read", "write" } }
 * type: int (min/max), size (a positive byte count, k/m/g/t suffixes),
 * enum (one of values), list (space/comma separated items of item_type
 * int/size/string, each one of values when given; at least min_items),
 * string. ignored = "why": a name MMTests's configs set that has no effect
 * (warned, with why, when a config sets it). Unset (or a scalar set empty) is fine: the shellpack's default
 * applies; a bad value or an empty list is an error naming the variable. */
struct shellpack_var {
	char *name;
	char *type;
	char *item_type;
	char *description;
	char *def;		/* the default, for documentation and --list */
	char **values;
	int nvalues;
	double min, max;
	int has_min, has_max;
	int min_items;
	char *ignored;		/* why setting it has no effect (MMTests ignores it too); NULL: read */
};

struct shellpack_meta {
	char *name;		/* directory name */
	char *dir;		/* absolute path of the shellpack */
	char *description;
	char *version;
	char *summary;		/* multiops, singleop or normalisedops (MMTests's) */
	char *opname;		/* a singleop summary's row name (MMTests's _Opname: Ops) */
	int higher_is_better;
	int decimal_places;
	char *units;
	char *plot_type;
	char *timeout;		/* seconds a bench may run, expanded as a default; NULL: no limit */
	char **aliases;
	int naliases;
	char **packages;	/* Debian package names */
	int npackages;
	char **commands;	/* programs it runs: all on PATH = ready to run */
	int ncommands;
	struct shellpack_var *vars;
	int nvars;
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
/* The first metric declaration whose name (a glob: "*-lat*") matches
 * metric, or NULL: the shellpack's own direction and units apply. */
const struct shellpack_metric *shellpack_metric_of(const struct shellpack_meta *m, const char *metric);
/* Space-separated list of known shellpack names and aliases. */
void shellpack_list_known(const char *root, struct strbuf *out);

#endif
