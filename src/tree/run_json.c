/* run.json: struct run_record <-> JSON (the schema is in run_json.h). */
#include "run_json.h"

#include <errno.h>
#include <math.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *const status_names[ST_COUNT] = {
	[ST_PENDING] = "pending", [ST_STARTING] = "starting", [ST_RUNNING] = "running",
	[ST_DONE] = "done", [ST_PARSE_FAILED] = "parse-failed", [ST_TIMED_OUT] = "timed-out",
	[ST_FAILED] = "failed",
	[ST_INTERRUPTED] = "interrupted", [ST_FINISHED] = "finished", [ST_BUILT] = "built",
};

static const char *const results_names[] = {
	[RESULTS_NONE] = "none", [RESULTS_COMPLETE] = "complete",
	[RESULTS_CHECKPOINT] = "checkpoint after the last finished test",
};

static const char *const kind_names[] = {
	[RUN_KIND_MMTESTS] = "run-mmtests", [RUN_KIND_KVM_HOST] = "run-kvm",
};

const char *run_status_name(enum run_status s)
{
	return s < ST_COUNT ? status_names[s] : "?";
}

const char *results_are_name(enum results_are r)
{
	return results_names[r];
}

void run_record_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void host_record_fill(struct host_record *h)
{
	struct utsname u;
	char name[256] = "";

	gethostname(name, sizeof(name) - 1);
	uname(&u);
	run_record_set(&h->hostname, name);
	run_record_set(&h->kernel, u.release);
	run_record_set(&h->kernel_version, u.version);
	run_record_set(&h->arch, u.machine);
}

void run_stamp_now(struct run_stamp *s)
{
	s->epoch = time(NULL);
}

void run_record_add_iterations(struct run_record *rec, int n)
{
	if (n <= rec->iterations)
		return;
	rec->iters = xrealloc(rec->iters, n * sizeof(*rec->iters));
	for (int i = rec->iterations; i < n; i++) {
		rec->iters[i].status = ST_PENDING;
		rec->iters[i].tests = xcalloc(rec->ntests ? rec->ntests : 1, sizeof(struct test_record));
		for (int t = 0; t < rec->ntests; t++)
			rec->iters[i].tests[t].name = xstrdup(rec->mmtests[t]);
	}
	rec->iterations = n;
}

struct vm_record *run_record_vm(struct run_record *rec, const char *name)
{
	for (int i = 0; i < rec->nvms; i++)
		if (!strcmp(rec->vms[i].name, name))
			return &rec->vms[i];
	return NULL;
}

struct vm_record *run_record_add_vm(struct run_record *rec, const char *name)
{
	rec->vms = xrealloc(rec->vms, (rec->nvms + 1) * sizeof(*rec->vms));
	struct vm_record *v = &rec->vms[rec->nvms++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->status = ST_STARTING;
	return v;
}

/* ---- writing ----
 * Straight into text, indented by 2 (as jansson would print it): run.json
 * is rewritten after every test, and building a jansson tree only to
 * print and free it cost more than the rest of run-mmtests together. */

struct jw {
	struct strbuf *b;
	int depth;
	int comma;		/* something was written at this level */
	int after_key;		/* the next value follows "key": */
};

static void jw_newline(struct jw *w)
{
	sb_grow(w->b, 1 + 2 * w->depth);
	w->b->buf[w->b->len++] = '\n';
	memset(w->b->buf + w->b->len, ' ', 2 * w->depth);
	w->b->len += 2 * w->depth;
	w->b->buf[w->b->len] = '\0';
}

static void jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->comma)
		sb_addc(w->b, ',');
	if (w->depth)
		jw_newline(w);
}

/* The length of a valid UTF-8 sequence at p, or 0. */
static int utf8_len(const unsigned char *p)
{
	int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;

	for (int i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string: quotes, backslashes and control characters escaped,
 * bytes that are not UTF-8 replaced by U+FFFD (a reader must accept it). */
static void jw_quote(struct strbuf *b, const char *s)
{
	sb_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		size_t plain = 0;	/* most strings need no escape at all */
		while (p[plain] >= 0x20 && p[plain] < 0x7f && p[plain] != '"' && p[plain] != '\\')
			plain++;
		if (plain) {
			sb_add(b, p, plain);
			p += plain;
			continue;
		}
		if (*p == '"' || *p == '\\') {
			sb_addc(b, '\\');
			sb_addc(b, *p++);
		} else if (*p == '\n') {
			sb_adds(b, "\\n");
			p++;
		} else if (*p == '\t') {
			sb_adds(b, "\\t");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			sb_addf(b, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			sb_addc(b, *p++);
		} else {
			int n = utf8_len(p);
			if (n) {
				sb_add(b, p, n);
				p += n;
			} else {
				sb_adds(b, "\\ufffd");
				p++;
			}
		}
	}
	sb_addc(b, '"');
}

static void jw_key(struct jw *w, const char *key)
{
	jw_sep(w);
	jw_quote(w->b, key);
	sb_adds(w->b, ": ");
	w->after_key = 1;
}

static void jw_open(struct jw *w, const char *key, char c)
{
	if (key)
		jw_key(w, key);
	jw_sep(w);
	sb_addc(w->b, c);
	w->depth++;
	w->comma = 0;
}

static void jw_close(struct jw *w, char c)
{
	w->depth--;
	if (w->comma)
		jw_newline(w);
	sb_addc(w->b, c);
	w->comma = 1;
}

/* "key": "value" (nothing when value is NULL); key NULL: an array item. */
static void jw_str(struct jw *w, const char *key, const char *value)
{
	if (!value)
		return;
	if (key)
		jw_key(w, key);
	jw_sep(w);
	jw_quote(w->b, value);
	w->comma = 1;
}

static void jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_sep(w);
	sb_addf(w->b, "%lld", v);
	w->comma = 1;
}

static void jw_real(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	jw_sep(w);
	if (isfinite(v))
		sb_addf(w->b, "%.10g", v);
	else
		sb_adds(w->b, "null");
	w->comma = 1;
}

static void jw_bool(struct jw *w, const char *key, int v)
{
	jw_key(w, key);
	jw_sep(w);
	sb_adds(w->b, v ? "true" : "false");
	w->comma = 1;
}

static void jw_stamp(struct jw *w, const char *key, const struct run_stamp *s)
{
	struct tm tm;
	char buf[64];

	if (!s->epoch)
		return;
	gmtime_r(&s->epoch, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jw_open(w, key, '{');
	jw_int(w, "epoch", (long long)s->epoch);
	jw_str(w, "time", buf);
	jw_close(w, '}');
}

static void jw_strings(struct jw *w, const char *key, char **v, int n)
{
	jw_open(w, key, '[');
	for (int i = 0; i < n; i++)
		jw_str(w, NULL, v[i]);
	jw_close(w, ']');
}

static void host_json(struct jw *w, const struct host_record *h)
{
	jw_open(w, "host", '{');
	jw_str(w, "hostname", h->hostname);
	jw_str(w, "kernel", h->kernel);
	jw_str(w, "kernel_version", h->kernel_version);
	jw_str(w, "arch", h->arch);
	jw_str(w, "cpus", h->cpus);
	jw_str(w, "memtotal_bytes", h->memtotal_bytes);
	jw_close(w, '}');
}

static void test_json(struct jw *w, const struct test_record *t)
{
	jw_open(w, NULL, '{');
	jw_str(w, "name", t->name);
	jw_str(w, "shellpack", t->shellpack);
	jw_str(w, "shellpack_version", t->shellpack_version);
	jw_str(w, "status", run_status_name(t->status));
	if (t->ran) {
		jw_int(w, "exit_code", t->exit_code);
		jw_real(w, "elapsed", t->elapsed);
		jw_real(w, "user", t->user);
		jw_real(w, "system", t->system);
		jw_str(w, "log", t->log);
	}
	jw_str(w, "error", t->error);
	if (t->nproblems)
		jw_strings(w, "monitor_problems", t->monitor_problems, t->nproblems);
	jw_close(w, '}');
}

static void mmtests_json(struct jw *w, const struct run_record *rec)
{
	jw_strings(w, "configs", rec->configs, rec->nconfigs);
	jw_open(w, "config", '{');
	for (int i = 0; i < rec->nconfig; i++)
		jw_str(w, rec->config_names[i], rec->config_values[i]);
	jw_close(w, '}');
	jw_strings(w, "mmtests", rec->mmtests, rec->ntests);
	jw_int(w, "iterations", rec->iterations);
	jw_bool(w, "performance", rec->performance);
	jw_open(w, "results", '[');
	for (int i = 0; i < rec->iterations; i++) {
		jw_open(w, NULL, '{');
		jw_int(w, "iteration", i);
		jw_str(w, "status", run_status_name(rec->iters[i].status));
		jw_open(w, "tests", '[');
		for (int t = 0; t < rec->ntests; t++)
			test_json(w, &rec->iters[i].tests[t]);
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void kvm_json(struct jw *w, const struct run_record *rec)
{
	jw_open(w, "vms", '{');
	for (int i = 0; i < rec->nvms; i++) {
		const struct vm_record *v = &rec->vms[i];
		jw_open(w, v->name, '{');
		jw_str(w, "uri", v->uri);
		jw_str(w, "sync", v->sync);
		jw_str(w, "status", run_status_name(v->status));
		jw_str(w, "stage", v->stage);
		jw_str(w, "reason", v->reason);
		jw_str(w, "results", v->results);
		jw_str(w, "results_are", results_are_name(v->results_are));
		jw_close(w, '}');
	}
	jw_close(w, '}');
	if (rec->has_barrier) {
		jw_open(w, "barrier", '{');
		jw_int(w, "releases", rec->barrier_releases);
		jw_real(w, "skew_p50_us", rec->skew_p50_us);
		jw_real(w, "skew_max_us", rec->skew_max_us);
		jw_close(w, '}');
	}
}

int run_json_write(const char *path, const struct run_record *rec)
{
	struct strbuf b = STRBUF_INIT;
	struct jw w = { &b, 0, 0, 0 };
	int ret;

	jw_open(&w, NULL, '{');
	jw_int(&w, "format", RUN_JSON_FORMAT);
	jw_str(&w, "kind", kind_names[rec->kind]);
	jw_str(&w, "tool", PACKAGE_NAME);
	jw_str(&w, "version", PACKAGE_VERSION);
	jw_str(&w, "runname", rec->runname);
	jw_str(&w, "status", run_status_name(rec->status));
	jw_stamp(&w, "start", &rec->start);
	jw_stamp(&w, "resumed", &rec->resumed);
	jw_stamp(&w, "end", &rec->end);
	jw_str(&w, "error", rec->error);
	host_json(&w, &rec->host);
	if (rec->kind == RUN_KIND_MMTESTS)
		mmtests_json(&w, rec);
	else
		kvm_json(&w, rec);
	jw_close(&w, '}');
	sb_addc(&b, '\n');
	ret = write_file_atomic(path, b.buf, b.len);
	sb_release(&b);
	return ret;
}

/* ---- reading ---- */

struct reader {
	const char *path;
	int quiet;
	int bad;
};

static void bad(struct reader *r, const char *what, const char *why)
{
	if (!r->bad && !r->quiet)
		err_msg("%s: %s %s", r->path, what, why);
	r->bad = 1;
}

/* An optional string field; a present non-string is an error. */
static char *get_str(struct reader *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		bad(r, key, "is not a string");
		return NULL;
	}
	return xstrdup(json_string_value(v));
}

static enum run_status get_status(struct reader *r, json_t *o, const char *what)
{
	const char *s = json_string_value(json_object_get(o, "status"));

	if (!s)
		return ST_PENDING;
	for (int i = 0; i < ST_COUNT; i++)
		if (!strcmp(s, status_names[i]))
			return i;
	char *why = xasprintf("has an unknown status \"%s\"", s);
	bad(r, what, why);
	free(why);
	return ST_PENDING;
}

static void get_stamp(json_t *o, const char *key, struct run_stamp *s)
{
	s->epoch = json_integer_value(json_object_get(json_object_get(o, key), "epoch"));
}

static char **get_strings(struct reader *r, json_t *o, const char *key, int *n)
{
	json_t *a = json_object_get(o, key);
	char **v = NULL;

	*n = 0;
	if (!a)
		return NULL;
	if (!json_is_array(a)) {
		bad(r, key, "is not an array");
		return NULL;
	}
	v = xcalloc(json_array_size(a) + 1, sizeof(char *));
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s) {
			bad(r, key, "holds a value that is not a string");
			break;
		}
		v[(*n)++] = xstrdup(s);
	}
	return v;
}

static void read_test(struct reader *r, json_t *o, struct test_record *t)
{
	run_record_set(&t->name, NULL);
	t->name = get_str(r, o, "name");
	t->shellpack = get_str(r, o, "shellpack");
	t->shellpack_version = get_str(r, o, "shellpack_version");
	t->status = get_status(r, o, "a test");
	t->ran = json_object_get(o, "exit_code") != NULL;
	t->exit_code = json_integer_value(json_object_get(o, "exit_code"));
	t->elapsed = json_number_value(json_object_get(o, "elapsed"));
	t->user = json_number_value(json_object_get(o, "user"));
	t->system = json_number_value(json_object_get(o, "system"));
	t->log = get_str(r, o, "log");
	t->error = get_str(r, o, "error");
	t->monitor_problems = get_strings(r, o, "monitor_problems", &t->nproblems);
}

static void read_mmtests(struct reader *r, json_t *root, struct run_record *rec)
{
	json_t *vars = json_object_get(root, "config"), *results = json_object_get(root, "results");
	const char *k;
	json_t *v;

	rec->configs = get_strings(r, root, "configs", &rec->nconfigs);
	rec->mmtests = get_strings(r, root, "mmtests", &rec->ntests);
	rec->performance = json_is_true(json_object_get(root, "performance"));
	if (json_is_object(vars)) {
		rec->config_names = xcalloc(json_object_size(vars) + 1, sizeof(char *));
		rec->config_values = xcalloc(json_object_size(vars) + 1, sizeof(char *));
		json_object_foreach(vars, k, v) {
			rec->config_names[rec->nconfig] = xstrdup(k);
			rec->config_values[rec->nconfig++] = xstrdup(json_string_value(v) ?: "");
		}
	}
	if (results && !json_is_array(results)) {
		bad(r, "results", "is not an array");
		return;
	}
	run_record_add_iterations(rec, json_array_size(results));
	for (int i = 0; i < rec->iterations; i++) {
		json_t *it = json_array_get(results, i);
		json_t *tests = json_object_get(it, "tests");
		rec->iters[i].status = get_status(r, it, "an iteration");
		if (json_array_size(tests) != (size_t)rec->ntests) {
			bad(r, "results", "do not list every test of mmtests in each iteration");
			return;
		}
		for (int t = 0; t < rec->ntests; t++)
			read_test(r, json_array_get(tests, t), &rec->iters[i].tests[t]);
	}
}

static void read_kvm(struct reader *r, json_t *root, struct run_record *rec)
{
	json_t *vms = json_object_get(root, "vms"), *b = json_object_get(root, "barrier");
	const char *name;
	json_t *o;

	json_object_foreach(vms, name, o) {
		struct vm_record *v = run_record_add_vm(rec, name);
		const char *are = json_string_value(json_object_get(o, "results_are"));
		v->uri = get_str(r, o, "uri");
		v->sync = get_str(r, o, "sync");
		v->status = get_status(r, o, "a VM");
		v->stage = get_str(r, o, "stage");
		v->reason = get_str(r, o, "reason");
		v->results = get_str(r, o, "results");
		for (int i = RESULTS_NONE; are && i <= RESULTS_CHECKPOINT; i++)
			if (!strcmp(are, results_names[i]))
				v->results_are = i;
	}
	if (json_is_object(b)) {
		rec->has_barrier = 1;
		rec->barrier_releases = json_integer_value(json_object_get(b, "releases"));
		rec->skew_p50_us = json_number_value(json_object_get(b, "skew_p50_us"));
		rec->skew_max_us = json_number_value(json_object_get(b, "skew_max_us"));
	}
}

int run_json_read(const char *path, struct run_record *rec, int quiet)
{
	struct reader r = { path, quiet, 0 };
	json_error_t jerr = { .line = 0, .text = "" };
	struct strbuf text = STRBUF_INIT;
	json_t *root = NULL, *h;

	memset(rec, 0, sizeof(*rec));
	/* a run.json of a run of 100000 iterations is a few tens of MB */
	if (read_file_bounded(path, &text, 64u << 20) == 0)
		root = json_loadb(text.buf, text.len, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "cannot be read");
	sb_release(&text);
	if (!json_is_object(root)) {
		if (!quiet)
			err_msg("%s:%d: not a run.json: %s", path, jerr.line,
				root ? "not a JSON object" : jerr.text);
		json_decref(root);
		return -EINVAL;
	}
	rec->format = json_integer_value(json_object_get(root, "format")) ?: 1;
	if (rec->format > RUN_JSON_FORMAT) {
		char *why = xasprintf("is %d; this program reads up to %d", rec->format, RUN_JSON_FORMAT);
		bad(&r, "format", why);
		free(why);
	}
	/* Format 1 had no kind: run-kvm's said so in "tool". */
	const char *kind = json_string_value(json_object_get(root, "kind"));
	const char *tool = json_string_value(json_object_get(root, "tool"));
	rec->kind = (kind && !strcmp(kind, "run-kvm")) || (!kind && tool && !strcmp(tool, "run-kvm"))
		    ? RUN_KIND_KVM_HOST : RUN_KIND_MMTESTS;
	rec->tool = get_str(&r, root, "tool");
	rec->version = get_str(&r, root, "version");
	rec->runname = get_str(&r, root, "runname");
	rec->status = get_status(&r, root, "the run");
	get_stamp(root, "start", &rec->start);
	get_stamp(root, "resumed", &rec->resumed);
	get_stamp(root, "end", &rec->end);
	rec->error = get_str(&r, root, "error");
	h = json_object_get(root, "host");
	rec->host.hostname = get_str(&r, h, "hostname");
	rec->host.kernel = get_str(&r, h, "kernel");
	rec->host.kernel_version = get_str(&r, h, "kernel_version");
	rec->host.arch = get_str(&r, h, "arch");
	rec->host.cpus = get_str(&r, h, "cpus");
	rec->host.memtotal_bytes = get_str(&r, h, "memtotal_bytes");
	if (rec->kind == RUN_KIND_MMTESTS)
		read_mmtests(&r, root, rec);
	else
		read_kvm(&r, root, rec);
	json_decref(root);
	if (r.bad) {
		run_record_free(rec);
		return -EINVAL;
	}
	return 0;
}

/* ---- freeing ---- */

static void free_strings(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_test(struct test_record *t)
{
	free(t->name);
	free(t->shellpack);
	free(t->shellpack_version);
	free(t->log);
	free(t->error);
	free_strings(t->monitor_problems, t->nproblems);
}

void run_record_free(struct run_record *rec)
{
	struct host_record *h = &rec->host;

	free(rec->tool);
	free(rec->version);
	free(rec->runname);
	free(rec->error);
	free(h->hostname);
	free(h->kernel);
	free(h->kernel_version);
	free(h->arch);
	free(h->cpus);
	free(h->memtotal_bytes);
	free_strings(rec->configs, rec->nconfigs);
	free_strings(rec->config_names, rec->nconfig);
	free_strings(rec->config_values, rec->nconfig);
	for (int i = 0; i < rec->iterations; i++) {
		for (int t = 0; t < rec->ntests; t++)
			free_test(&rec->iters[i].tests[t]);
		free(rec->iters[i].tests);
	}
	free(rec->iters);
	free_strings(rec->mmtests, rec->ntests);
	for (int i = 0; i < rec->nvms; i++) {
		struct vm_record *v = &rec->vms[i];
		free(v->name);
		free(v->uri);
		free(v->sync);
		free(v->stage);
		free(v->reason);
		free(v->results);
	}
	free(rec->vms);
	memset(rec, 0, sizeof(*rec));
}
