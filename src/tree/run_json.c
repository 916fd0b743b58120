/* run.json: struct run_record <-> JSON (the schema is in run_json.h). */
#include "run_json.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "xalloc.h"

static const char *const status_names[ST_COUNT] = {
	[ST_PENDING] = "pending", [ST_STARTING] = "starting", [ST_RUNNING] = "running",
	[ST_DONE] = "done", [ST_PARSE_FAILED] = "parse-failed", [ST_FAILED] = "failed",
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

/* ---- writing ---- */

static json_t *stamp_json(const struct run_stamp *s)
{
	struct tm tm;
	char buf[64];

	gmtime_r(&s->epoch, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:I,s:s}", "epoch", (json_int_t)s->epoch, "time", buf);
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static void set_stamp(json_t *o, const char *key, const struct run_stamp *s)
{
	if (s->epoch)
		json_object_set_new(o, key, stamp_json(s));
}

static json_t *strings_json(char **v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *host_json(const struct host_record *h)
{
	json_t *o = json_object();

	set_str(o, "hostname", h->hostname);
	set_str(o, "kernel", h->kernel);
	set_str(o, "kernel_version", h->kernel_version);
	set_str(o, "arch", h->arch);
	set_str(o, "cpus", h->cpus);
	set_str(o, "memtotal_bytes", h->memtotal_bytes);
	return o;
}

static json_t *test_json(const struct test_record *t)
{
	json_t *o = json_object();

	set_str(o, "name", t->name);
	set_str(o, "shellpack", t->shellpack);
	set_str(o, "shellpack_version", t->shellpack_version);
	set_str(o, "status", run_status_name(t->status));
	if (t->ran) {
		json_object_set_new(o, "exit_code", json_integer(t->exit_code));
		json_object_set_new(o, "elapsed", json_real(t->elapsed));
		json_object_set_new(o, "user", json_real(t->user));
		json_object_set_new(o, "system", json_real(t->system));
		set_str(o, "log", t->log);
	}
	if (t->nproblems)
		json_object_set_new(o, "monitor_problems", strings_json(t->monitor_problems, t->nproblems));
	return o;
}

static void mmtests_json(json_t *root, const struct run_record *rec)
{
	json_t *vars = json_object(), *iters = json_array();

	json_object_set_new(root, "configs", strings_json(rec->configs, rec->nconfigs));
	for (int i = 0; i < rec->nconfig; i++)
		json_object_set_new(vars, rec->config_names[i], json_string(rec->config_values[i]));
	json_object_set_new(root, "config", vars);
	json_object_set_new(root, "mmtests", strings_json(rec->mmtests, rec->ntests));
	json_object_set_new(root, "iterations", json_integer(rec->iterations));
	json_object_set_new(root, "performance", json_boolean(rec->performance));
	for (int i = 0; i < rec->iterations; i++) {
		json_t *tests = json_array();
		for (int t = 0; t < rec->ntests; t++)
			json_array_append_new(tests, test_json(&rec->iters[i].tests[t]));
		json_array_append_new(iters, json_pack("{s:i,s:s,s:o}", "iteration", i, "status",
						       run_status_name(rec->iters[i].status), "tests", tests));
	}
	json_object_set_new(root, "results", iters);
}

static void kvm_json(json_t *root, const struct run_record *rec)
{
	json_t *vms = json_object();

	for (int i = 0; i < rec->nvms; i++) {
		const struct vm_record *v = &rec->vms[i];
		json_t *o = json_object();
		set_str(o, "uri", v->uri);
		set_str(o, "sync", v->sync);
		set_str(o, "status", run_status_name(v->status));
		set_str(o, "stage", v->stage);
		set_str(o, "reason", v->reason);
		set_str(o, "results", v->results);
		set_str(o, "results_are", results_are_name(v->results_are));
		json_object_set_new(vms, v->name, o);
	}
	json_object_set_new(root, "vms", vms);
	if (rec->has_barrier)
		json_object_set_new(root, "barrier", json_pack("{s:i,s:f,s:f}", "releases",
							       rec->barrier_releases, "skew_p50_us",
							       rec->skew_p50_us, "skew_max_us", rec->skew_max_us));
}

int run_json_write(const char *path, const struct run_record *rec)
{
	json_t *root = json_object();

	json_object_set_new(root, "format", json_integer(RUN_JSON_FORMAT));
	set_str(root, "kind", kind_names[rec->kind]);
	set_str(root, "tool", PACKAGE_NAME);
	set_str(root, "version", PACKAGE_VERSION);
	set_str(root, "runname", rec->runname);
	set_str(root, "status", run_status_name(rec->status));
	set_stamp(root, "start", &rec->start);
	set_stamp(root, "resumed", &rec->resumed);
	set_stamp(root, "end", &rec->end);
	json_object_set_new(root, "host", host_json(&rec->host));
	if (rec->kind == RUN_KIND_MMTESTS)
		mmtests_json(root, rec);
	else
		kvm_json(root, rec);

	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	int ret = -ENOMEM;
	json_decref(root);
	if (text) {
		size_t len = strlen(text);
		text = xrealloc(text, len + 2);
		memcpy(text + len, "\n", 2);
		ret = write_file_atomic(path, text, len + 1);
		free(text);
	}
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
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	json_t *h;

	memset(rec, 0, sizeof(*rec));
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
	free_strings(t->monitor_problems, t->nproblems);
}

void run_record_free(struct run_record *rec)
{
	struct host_record *h = &rec->host;

	free(rec->tool);
	free(rec->version);
	free(rec->runname);
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
