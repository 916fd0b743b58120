#include "shellpack_vars.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"
#include "units.h"
#include "xalloc.h"

/* One value of kind type ("int", "size", "string"); NULL or the problem. */
static const char *check_one(const struct shellpack_var *v, const char *type, const char *s)
{
	if (!strcmp(type, "int")) {
		char *end;
		errno = 0;
		long long n = strtoll(s, &end, 10);
		if (end == s || *end || errno || isspace((unsigned char)*s))
			return errno == ERANGE ? "is out of range" : "is not a whole number";
		if (v->has_min && n < v->min)
			return "is below the minimum";
		if (v->has_max && n > v->max)
			return "is above the maximum";
	} else if (!strcmp(type, "size")) {
		uint64_t b;
		if (parse_bytes(s, 1, &b))
			return "is not a positive size (bytes, or with k, m, g, t)";
	}
	if (v->nvalues) {
		for (int i = 0; i < v->nvalues; i++)
			if (!strcmp(s, v->values[i]))
				return NULL;
		return "is not one of the accepted values";
	}
	return NULL;
}

static void report(const struct shellpack_meta *m, const struct shellpack_var *v, const char *where,
		   const char *value, const char *item, const char *why)
{
	struct strbuf hint = STRBUF_INIT;

	if (v->nvalues) {
		sb_adds(&hint, "; use");
		for (int i = 0; i < v->nvalues; i++)
			sb_addf(&hint, " %s", v->values[i]);
	} else if (v->has_min || v->has_max) {
		sb_adds(&hint, ";");
		if (v->has_min)
			sb_addf(&hint, " at least %g", v->min);
		if (v->has_max)
			sb_addf(&hint, " at most %g", v->max);
	}
	if (item)
		err_msg("%s: %s='%s': '%s' %s (benchmark %s%s)", where, v->name, value, item, why,
			m->name, hint.buf);
	else
		err_msg("%s: %s='%s' %s (benchmark %s%s)", where, v->name, value, why, m->name, hint.buf);
	sb_release(&hint);
}

int shellpack_vars_check(const struct shellpack_meta *m, const struct env *e, const char *where)
{
	int bad = 0;

	for (int i = 0; i < m->nvars; i++) {
		const struct shellpack_var *v = &m->vars[i];
		const char *val = env_get(e, v->name), *why;

		if (!val)
			continue;	/* unset: the shellpack's default */
		/* a list must list something; a scalar set empty is the default */
		if (!strcmp(v->type, "list")) {
			char *copy = xstrdup(val), *save = NULL;
			int n = 0;
			for (char *t = strtok_r(copy, " ,\t\n", &save); t; t = strtok_r(NULL, " ,\t\n", &save)) {
				n++;
				if ((why = check_one(v, v->item_type, t))) {
					report(m, v, where, val, t, why);
					bad++;
					break;
				}
			}
			free(copy);
			if (n < v->min_items || (!n && *val)) {	/* "," lists nothing */
				report(m, v, where, val, NULL, n ? "has too few items" : "is an empty list");
				bad++;
			}
			continue;
		}
		if (!*val) {
			continue;	/* as ${VAR:-default} in the shellpack */
		} else if ((why = check_one(v, !strcmp(v->type, "enum") ? "string" : v->type, val))) {
			report(m, v, where, val, NULL, why);
			bad++;
		}
	}
	return bad;
}

/* Variables the runner and its monitors read, whatever their prefix: the
 * "monitor" benchmark's MONITOR_ prefix must not claim them. */
static int runner_reads(const char *name)
{
	static const char *const runner[] = { "MONITOR_UPDATE_FREQUENCY", "MONITOR_FTRACE_EVENTS",
					       "MONITOR_HOOKS", "MONITOR_LOG", "MONITOR_PERF_EVENTS" };

	for (size_t i = 0; i < sizeof(runner) / sizeof(runner[0]); i++)
		if (!strcmp(name, runner[i]))
			return 1;
	return 0;
}

static const struct shellpack_var *declares(const struct shellpack_meta *m, const char *name,
					    size_t len)
{
	for (int i = 0; i < m->nvars; i++)
		if (strlen(m->vars[i].name) == len && !strncmp(m->vars[i].name, name, len))
			return &m->vars[i];
	return NULL;
}

/* Does name start with one of m's prefixes? */
static int has_prefix_of(const struct shellpack_meta *m, const char *name)
{
	char own[64];
	size_t k = 0;

	for (const char *p = m->name; *p && k + 3 < sizeof(own); p++)
		if (isalnum((unsigned char)*p) || *p == '+')
			own[k++] = *p == '+' ? 'P' : toupper((unsigned char)*p);
	own[k++] = '_';
	own[k] = '\0';
	if (!strncmp(name, own, k))
		return 1;
	for (int i = 0; i < m->nvars; i++) {
		const char *us = strchr(m->vars[i].name, '_');
		if (us && us != m->vars[i].name && !strncmp(name, m->vars[i].name, us - m->vars[i].name + 1))
			return 1;
	}
	return 0;
}

int shellpack_vars_unread(const struct shellpack_meta *packs, int npacks, const struct env *set,
			  const char *where)
{
	int warned = 0;

	for (size_t i = 0; i < set->n; i++) {
		const char *kv = set->vars[i], *eq = strchr(kv, '=');
		size_t len = eq ? (size_t)(eq - kv) : strlen(kv);
		const struct shellpack_var *known = NULL;
		int owner = -1;
		char name[256];

		snprintf(name, sizeof(name), "%.*s", (int)len, kv);
		for (int p = 0; p < npacks && !known; p++) {
			known = declares(&packs[p], kv, len);
			if (owner < 0 && has_prefix_of(&packs[p], name))
				owner = p;
			if (known && known->ignored) {
				warn_msg("%s: %s has no effect (benchmark %s: %s)", where, name,
					 packs[p].name, known->ignored);
				warned++;
			}
		}
		if (known || owner < 0 || runner_reads(name))
			continue;
		struct strbuf reads = STRBUF_INIT;
		for (int v = 0; v < packs[owner].nvars; v++)
			if (!packs[owner].vars[v].ignored)
				sb_addf(&reads, "%s%s", reads.len ? " " : "", packs[owner].vars[v].name);
		warn_msg("%s: %s is not a variable of benchmark %s, so it has no effect here (%s reads: %s)",
			 where, name, packs[owner].name, packs[owner].name, reads.len ? reads.buf : "none");
		sb_release(&reads);
		warned++;
	}
	return warned;
}
