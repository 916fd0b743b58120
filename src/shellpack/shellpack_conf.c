#include "shellpack_conf.h"

#include <confuse.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "cfg_error.h"
#include "log.h"
#include "xalloc.h"

static cfg_opt_t metric_opts[] = {
	CFG_STR("units", NULL, CFGF_NONE),
	CFG_STR("prefer", NULL, CFGF_NONE),
	CFG_FLOAT("threshold", 0, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t source_opts[] = {
	CFG_STR("file", NULL, CFGF_NONE),
	CFG_STR("url", NULL, CFGF_NONE),
	CFG_STR("sha256", NULL, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t var_opts[] = {
	CFG_STR("type", "string", CFGF_NONE),
	CFG_STR("items", "string", CFGF_NONE),
	CFG_STR("description", "", CFGF_NONE),
	CFG_STR("default", NULL, CFGF_NONE),
	CFG_STR_LIST("values", "{}", CFGF_NONE),
	CFG_FLOAT("min", 0, CFGF_NODEFAULT),
	CFG_FLOAT("max", 0, CFGF_NODEFAULT),
	CFG_INT("min_items", 1, CFGF_NONE),
	CFG_STR("ignored", NULL, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t opts[] = {
	CFG_STR("description", "", CFGF_NONE),
	CFG_STR("version", "", CFGF_NONE),
	CFG_STR("summary", "multiops", CFGF_NONE),
	CFG_STR("opname", "Ops", CFGF_NONE),
	CFG_STR("prefer", "higher", CFGF_NONE),
	CFG_INT("decimal_places", 2, CFGF_NONE),
	CFG_STR("units", "", CFGF_NONE),
	CFG_STR("plot_type", "candlesticks", CFGF_NONE),
	CFG_STR("timeout", NULL, CFGF_NONE),
	CFG_STR_LIST("aliases", "{}", CFGF_NONE),
	CFG_STR_LIST("packages", "{}", CFGF_NONE),
	CFG_STR_LIST("commands", "{}", CFGF_NONE),
	CFG_SEC("source", source_opts, CFGF_NONE),
	CFG_SEC("variable", var_opts, CFGF_MULTI | CFGF_TITLE),
	CFG_SEC("metric", metric_opts, CFGF_MULTI | CFGF_TITLE),
	CFG_END()
};

static int parse_prefer(cfg_t *cfg, const char *file, const char *v, int *out)
{
	if (!strcmp(v, "higher")) {
		*out = 1;
	} else if (!strcmp(v, "lower")) {
		*out = 0;
	} else {
		err_msg("%s:%d: prefer must be \"higher\" or \"lower\", not \"%s\"",
			file, cfg->line, v);
		return -EINVAL;
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static char **dup_list(cfg_t *cfg, const char *opt, int *n)
{
	*n = cfg_size(cfg, opt);
	char **v = xcalloc(*n + 1, sizeof(char *));

	for (int i = 0; i < *n; i++)
		v[i] = xstrdup(cfg_getnstr(cfg, opt, i));
	return v;
}

static int one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(v, *set))
			return 1;
	return 0;
}

static int load_vars(cfg_t *cfg, const char *file, struct shellpack_meta *m)
{
	static const char *const types[] = { "int", "size", "enum", "list", "string", NULL };
	static const char *const items[] = { "int", "size", "string", NULL };

	m->nvars = cfg_size(cfg, "variable");
	m->vars = xcalloc(m->nvars + 1, sizeof(*m->vars));
	for (int i = 0; i < m->nvars; i++) {
		cfg_t *vc = cfg_getnsec(cfg, "variable", i);
		struct shellpack_var *v = &m->vars[i];

		v->name = xstrdup(cfg_title(vc));
		v->type = xstrdup(cfg_getstr(vc, "type"));
		v->item_type = xstrdup(cfg_getstr(vc, "items"));
		v->description = xstrdup(cfg_getstr(vc, "description"));
		v->def = dup_or_null(cfg_getstr(vc, "default"));
		v->values = dup_list(vc, "values", &v->nvalues);
		v->min_items = cfg_getint(vc, "min_items");
		v->ignored = dup_or_null(cfg_getstr(vc, "ignored"));
		if ((v->has_min = cfg_size(vc, "min") > 0))
			v->min = cfg_getfloat(vc, "min");
		if ((v->has_max = cfg_size(vc, "max") > 0))
			v->max = cfg_getfloat(vc, "max");
		if (!one_of(v->type, types) || !one_of(v->item_type, items) ||
		    (!strcmp(v->type, "enum") && !v->nvalues)) {
			err_msg("%s:%d: variable %s: type must be int, size, enum (with values), list "
				"(items int, size or string) or string", file, vc->line, v->name);
			return -EINVAL;
		}
	}
	return 0;
}

int shellpack_meta_load(const char *dir, const char *name, struct shellpack_meta *m)
{
	char *file = path_join(dir, "shellpack.conf");
	cfg_t *cfg;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	cfg = cfg_init(opts, CFGF_NONE);
	if ((ret = cfg_parse_reported(cfg, file)))
		goto out;
	m->name = xstrdup(name);
	m->dir = xstrdup(dir);
	m->description = xstrdup(cfg_getstr(cfg, "description"));
	m->version = xstrdup(cfg_getstr(cfg, "version"));
	m->summary = xstrdup(cfg_getstr(cfg, "summary"));
	m->opname = xstrdup(cfg_getstr(cfg, "opname"));
	m->units = xstrdup(cfg_getstr(cfg, "units"));
	m->plot_type = xstrdup(cfg_getstr(cfg, "plot_type"));
	m->timeout = dup_or_null(cfg_getstr(cfg, "timeout"));
	m->aliases = dup_list(cfg, "aliases", &m->naliases);
	m->packages = dup_list(cfg, "packages", &m->npackages);
	m->commands = dup_list(cfg, "commands", &m->ncommands);
	if ((ret = load_vars(cfg, file, m)))
		goto out;
	if (strcmp(m->summary, "multiops") && strcmp(m->summary, "singleop") &&
	    strcmp(m->summary, "normalisedops")) {
		err_msg("%s: summary must be \"multiops\", \"singleop\" or \"normalisedops\", not \"%s\"",
			file, m->summary);
		ret = -EINVAL;
		goto out;
	}
	ret = parse_prefer(cfg, file, cfg_getstr(cfg, "prefer"), &m->higher_is_better);
	if (ret)
		goto out;
	long dp = cfg_getint(cfg, "decimal_places");
	if (dp < 0 || dp > 9) {
		err_msg("%s: decimal_places must be 0..9, not %ld", file, dp);
		ret = -EINVAL;
		goto out;
	}
	m->decimal_places = dp;
	if (cfg_size(cfg, "source")) {
		cfg_t *src = cfg_getsec(cfg, "source");
		m->source_file = dup_or_null(cfg_getstr(src, "file"));
		m->source_url = dup_or_null(cfg_getstr(src, "url"));
		m->source_sha256 = dup_or_null(cfg_getstr(src, "sha256"));
		int any = m->source_file || m->source_url || m->source_sha256;
		if (any && (!m->source_file || !m->source_sha256 ||
			    strlen(m->source_sha256) != 64 ||
			    strspn(m->source_sha256, "0123456789abcdef") != 64)) {
			err_msg("%s: source needs file and a 64-hex-digit sha256", file);
			ret = -EINVAL;
			goto out;
		}
	}
	m->nmetrics = cfg_size(cfg, "metric");
	m->metrics = xcalloc(m->nmetrics + 1, sizeof(*m->metrics));
	for (int i = 0; i < m->nmetrics; i++) {
		cfg_t *mc = cfg_getnsec(cfg, "metric", i);
		struct shellpack_metric *mt = &m->metrics[i];
		const char *pref = cfg_getstr(mc, "prefer");

		mt->name = xstrdup(cfg_title(mc));
		mt->units = xstrdup(cfg_getstr(mc, "units") ? cfg_getstr(mc, "units") : m->units);
		mt->threshold = cfg_getfloat(mc, "threshold");
		mt->higher_is_better = m->higher_is_better;
		if (pref && (ret = parse_prefer(mc, file, pref, &mt->higher_is_better)))
			goto out;
	}
out:
	if (ret)
		shellpack_meta_free(m);
	cfg_free(cfg);
	free(file);
	return ret;
}

static void free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void shellpack_meta_free(struct shellpack_meta *m)
{
	free(m->name);
	free(m->dir);
	free(m->description);
	free(m->version);
	free(m->summary);
	free(m->opname);
	free(m->units);
	free(m->plot_type);
	free(m->timeout);
	free_list(m->aliases, m->naliases);
	free_list(m->packages, m->npackages);
	free_list(m->commands, m->ncommands);
	for (int i = 0; i < m->nvars; i++) {
		struct shellpack_var *v = &m->vars[i];
		free(v->name);
		free(v->type);
		free(v->item_type);
		free(v->description);
		free(v->def);
		free(v->ignored);
		free_list(v->values, v->nvalues);
	}
	free(m->vars);
	free(m->source_file);
	free(m->source_url);
	free(m->source_sha256);
	for (int i = 0; i < m->nmetrics; i++) {
		free(m->metrics[i].name);
		free(m->metrics[i].units);
	}
	free(m->metrics);
	memset(m, 0, sizeof(*m));
}

/* Each shellpack directory under root, sorted. */
static int list_dirs(const char *root, char ***names)
{
	struct dirent **ents;
	int n = scandir(root, &ents, NULL, alphasort), k = 0;

	if (n < 0)
		return err_errno(errno, "cannot list shellpacks in %s", root);
	*names = xcalloc(n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		char *d = path_join(root, ents[i]->d_name);
		char *conf = path_join(d, "shellpack.conf");
		if (ents[i]->d_name[0] != '.' && is_file(conf))
			(*names)[k++] = xstrdup(ents[i]->d_name);
		free(conf);
		free(d);
		free(ents[i]);
	}
	free(ents);
	return k;
}

const struct shellpack_metric *shellpack_metric_of(const struct shellpack_meta *m, const char *metric)
{
	for (int i = 0; i < m->nmetrics; i++)
		if (!fnmatch(m->metrics[i].name, metric, 0))
			return &m->metrics[i];
	return NULL;
}

int shellpack_lookup(const char *root, const char *bench, struct shellpack_meta *m)
{
	char **names;
	int n, ret = -ENOENT;

	/* Fast path: a directory of that name. */
	if (!strchr(bench, '/') && bench[0] != '.') {
		char *dir = path_join(root, bench);
		char *conf = path_join(dir, "shellpack.conf");
		int found = is_file(conf);

		free(conf);
		if (found) {
			ret = shellpack_meta_load(dir, bench, m);
			free(dir);
			return ret;
		}
		free(dir);
	}
	n = list_dirs(root, &names);
	if (n < 0)
		return n;
	for (int i = 0; i < n && ret == -ENOENT; i++) {
		char *dir = path_join(root, names[i]);
		struct shellpack_meta cand;

		if (shellpack_meta_load(dir, names[i], &cand) == 0) {
			for (int a = 0; a < cand.naliases; a++) {
				if (!strcmp(cand.aliases[a], bench)) {
					*m = cand;
					ret = 0;
					break;
				}
			}
			if (ret)
				shellpack_meta_free(&cand);
		}
		free(dir);
	}
	free_list(names, n);
	return ret;
}

void shellpack_list_known(const char *root, struct strbuf *out)
{
	char **names;
	int n = list_dirs(root, &names);

	for (int i = 0; i < n; i++) {
		char *dir = path_join(root, names[i]);
		struct shellpack_meta m;

		sb_addf(out, "%s%s", out->len ? " " : "", names[i]);
		if (shellpack_meta_load(dir, names[i], &m) == 0) {
			for (int a = 0; a < m.naliases; a++)
				sb_addf(out, " %s", m.aliases[a]);
			shellpack_meta_free(&m);
		}
		free(dir);
	}
	if (n >= 0)
		free_list(names, n);
}
