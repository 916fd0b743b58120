#include "history.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"
#include "log.h"
#include "results.h"
#include "run_json.h"
#include "tree.h"
#include "xalloc.h"

struct history {
	sqlite3 *db;
	char *path;
};

/* Schema versions in order: migrations[v - 1] takes a store from v - 1 to
 * v. Never edit one that has shipped; add the next. */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL, host TEXT NOT NULL, start INTEGER NOT NULL,"
	" kernel TEXT, arch TEXT, config_hash TEXT, describe TEXT,"
	" ingested INTEGER NOT NULL,"
	" UNIQUE (name, host, start));"
	"CREATE TABLE tests ("
	" run_id INTEGER NOT NULL REFERENCES runs(id), benchmark TEXT NOT NULL, version TEXT,"
	" PRIMARY KEY (run_id, benchmark));"
	"CREATE TABLE samples ("
	" run_id INTEGER NOT NULL REFERENCES runs(id), benchmark TEXT NOT NULL, label TEXT NOT NULL,"
	" iteration INTEGER NOT NULL, sample INTEGER NOT NULL, value REAL NOT NULL);"
	"CREATE INDEX samples_metric ON samples (benchmark, label, run_id);",
	/* 2: each label's metric (its direction comes from the shellpack), and
	 * the change points detect --record saw, to tell new ones from old */
	"CREATE TABLE labels ("
	" benchmark TEXT NOT NULL, label TEXT NOT NULL, metric TEXT NOT NULL,"
	" PRIMARY KEY (benchmark, label));"
	"INSERT INTO labels SELECT DISTINCT benchmark, label, label FROM samples;"
	"CREATE TABLE change_points ("
	" benchmark TEXT NOT NULL, label TEXT NOT NULL, run_id INTEGER NOT NULL REFERENCES runs(id),"
	" pct REAL, p REAL, found INTEGER NOT NULL REFERENCES runs(id),"
	" PRIMARY KEY (benchmark, label, run_id));"
	"CREATE TABLE detected ("
	" benchmark TEXT NOT NULL, label TEXT NOT NULL, newest INTEGER NOT NULL REFERENCES runs(id),"
	" PRIMARY KEY (benchmark, label));",
};

static int sql_error(struct history *h, const char *what)
{
	err_msg("%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
	return -EIO;
}

static int exec(struct history *h, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(h->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_msg("%s: %s", h->path, msg ? msg : "SQL error");
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

static int schema_version(struct history *h, int *version)
{
	sqlite3_stmt *st;
	int rc;

	*version = 0;
	rc = sqlite3_prepare_v2(h->db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_error(h, "not an SQLite history");
	int have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!have)
		return 0;
	if (sqlite3_prepare_v2(h->db, "SELECT version FROM schema_version", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "reading its schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Bring the store to HISTORY_SCHEMA, one migration per transaction. */
static int migrate(struct history *h)
{
	int v, ret;

	if ((ret = schema_version(h, &v)))
		return ret;
	if (v > HISTORY_SCHEMA) {
		err_msg("%s: history schema %d is newer than this program's (%d): use a newer mmtests-db",
			h->path, v, HISTORY_SCHEMA);
		return -EINVAL;
	}
	if (v == 0) {	/* a new store, or a file of something else */
		sqlite3_stmt *st;
		int others = 0;
		if (sqlite3_prepare_v2(h->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			others = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (others) {
			err_msg("%s: an SQLite file, but not a results history (no schema_version table)", h->path);
			return -EINVAL;
		}
	}
	for (; v < HISTORY_SCHEMA; v++) {
		char set[160];
		snprintf(set, sizeof(set), v ? "UPDATE schema_version SET version = %d" :
			 "CREATE TABLE schema_version (version INTEGER NOT NULL);"
			 "INSERT INTO schema_version VALUES (%d)", v + 1);
		if ((ret = exec(h, "BEGIN IMMEDIATE")) || (ret = exec(h, migrations[v])) ||
		    (ret = exec(h, set)) || (ret = exec(h, "COMMIT"))) {
			exec(h, "ROLLBACK");
			return ret;
		}
	}
	return 0;
}

/* A file there that is not SQLite is refused before SQLite sees it (it
 * would take a file shorter than its header for an empty database and
 * write over it). */
static int foreign_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char head[16];
	size_t n;

	if (!f)
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return n && (n < sizeof(head) || memcmp(head, "SQLite format 3", sizeof(head)));
}

struct history *history_open(const char *path)
{
	struct history *h;

	if (foreign_file(path)) {
		err_msg("%s: not an SQLite file: not a results history (left as it is)", path);
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->path = xstrdup(path);
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_msg("%s: cannot open: %s", path, h->db ? sqlite3_errmsg(h->db) : "out of memory");
		history_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h->db, 10000);	/* another ingest holding it: wait */
	if (exec(h, "PRAGMA foreign_keys = ON") || migrate(h)) {
		history_close(h);
		return NULL;
	}
	return h;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

/* FNV-1a 64 over the configs' name=value lines: equal for two runs of the
 * same configuration. */
static void config_hash(const struct run_record *rec, char out[17])
{
	unsigned long long x = 14695981039346656037ULL;

	for (int i = 0; i < rec->nconfig; i++) {
		const char *parts[] = { rec->config_names[i], "=", rec->config_values[i], "\n" };
		for (int k = 0; k < 4; k++)
			for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++)
				x = (x ^ *p) * 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", x);
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* The samples of one benchmark of the run, as parse-results gave them. */
static int ingest_bench(struct history *h, sqlite3_stmt *ins, sqlite3_stmt *lab, long long run_id,
			const char *logdir, const char *run, const char *bench, const char *shellpacks, long *samples)
{
	struct run_results r;
	int ret = results_load(logdir, run, bench, shellpacks, &r);

	if (ret) {
		results_free(&r);	/* (what it read before the error) */
		return ret;
	}
	for (int i = 0; i < r.ns && !ret; i++) {
		const struct series *s = &r.s[i];
		int sample = 0;
		sqlite3_reset(lab);
		bind_text(lab, 1, bench);
		bind_text(lab, 2, s->label);
		bind_text(lab, 3, s->metric);
		if (sqlite3_step(lab) != SQLITE_DONE)
			ret = sql_error(h, "adding a label");
		for (int k = 0; k < s->n && !ret; k++) {
			sample = k && s->iter[k] == s->iter[k - 1] ? sample + 1 : 1;
			sqlite3_reset(ins);
			sqlite3_bind_int64(ins, 1, run_id);
			bind_text(ins, 2, bench);
			bind_text(ins, 3, s->label);
			sqlite3_bind_int(ins, 4, s->iter[k]);
			sqlite3_bind_int(ins, 5, sample);
			sqlite3_bind_double(ins, 6, s->v[k]);
			if (sqlite3_step(ins) != SQLITE_DONE)
				ret = sql_error(h, "adding a sample");
			else
				(*samples)++;
		}
	}
	results_free(&r);
	return ret;
}

int history_ingest(struct history *h, const char *logdir, const char *run, const char *shellpacks,
		   const char *describe, long *samples)
{
	char *rundir = tree_run_dir(logdir, run), *json = tree_run_json(rundir);
	struct run_record rec;
	sqlite3_stmt *st = NULL, *ins = NULL, *lab = NULL;
	char hash[17] = "";
	char **benches = NULL;
	int nb = 0, ret;

	*samples = 0;
	memset(&rec, 0, sizeof(rec));
	if ((ret = results_check_run(logdir, run)))
		goto out;
	if (is_file(json)) {	/* (a tree MMTests wrote has none: known by name alone) */
		if ((ret = run_json_read(json, &rec, 0)))
			goto out;
		if (rec.kind != RUN_KIND_MMTESTS) {
			err_msg("%s: a run-kvm host record, not a run: ingest its VMs' runs (RUN-VM)", json);
			ret = -EINVAL;
			goto out;
		}
		config_hash(&rec, hash);
	}
	if ((ret = results_benchmarks(logdir, run, 0, &benches, &nb)))
		goto out;
	if ((ret = exec(h, "BEGIN IMMEDIATE")))
		goto out;
	if (sqlite3_prepare_v2(h->db, "INSERT INTO runs (name, host, start, kernel, arch, config_hash, describe, ingested)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", -1, &st, NULL) != SQLITE_OK) {
		ret = sql_error(h, "preparing");
		goto rollback;
	}
	bind_text(st, 1, run);
	bind_text(st, 2, rec.host.hostname ? rec.host.hostname : "");
	sqlite3_bind_int64(st, 3, (sqlite3_int64)rec.start.epoch);
	bind_text(st, 4, rec.host.kernel);
	bind_text(st, 5, rec.host.arch);
	bind_text(st, 6, *hash ? hash : NULL);
	bind_text(st, 7, describe);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE) {
		ret = sql_error(h, "adding the run");
		goto rollback;
	}
	if (!sqlite3_changes(h->db)) {	/* there already: idempotent */
		exec(h, "ROLLBACK");
		ret = 0;
		goto out;
	}
	long long run_id = sqlite3_last_insert_rowid(h->db);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(h->db, "INSERT INTO tests VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "INSERT OR IGNORE INTO labels VALUES (?, ?, ?)", -1, &lab, NULL) != SQLITE_OK) {
		ret = sql_error(h, "preparing");
		goto rollback;
	}
	for (int b = 0; b < nb; b++) {
		const char *version = NULL;
		for (int t = 0; rec.iters && t < rec.ntests; t++)
			if (!strcmp(rec.mmtests[t], benches[b]))
				version = rec.iters[0].tests[t].shellpack_version;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, run_id);
		bind_text(st, 2, benches[b]);
		bind_text(st, 3, version);
		if (sqlite3_step(st) != SQLITE_DONE) {
			ret = sql_error(h, "adding a test");
			goto rollback;
		}
		if ((ret = ingest_bench(h, ins, lab, run_id, logdir, run, benches[b], shellpacks, samples)))
			goto rollback;
	}
	if ((ret = exec(h, "COMMIT")))
		goto rollback;
	ret = 1;
	goto out;
rollback:
	exec(h, "ROLLBACK");
	*samples = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sqlite3_finalize(lab);
	for (int b = 0; b < nb; b++)
		free(benches[b]);
	free(benches);
	run_record_free(&rec);
	free(json);
	free(rundir);
	return ret;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "-";
}

int history_runs(struct history *h, struct strbuf *out)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(h->db,
			       "SELECT r.id, r.name, r.start, r.host, r.kernel, r.describe,"
			       " (SELECT count(*) FROM samples s WHERE s.run_id = r.id)"
			       " FROM runs r ORDER BY r.start, r.id", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "listing runs");
	while (sqlite3_step(st) == SQLITE_ROW) {
		time_t t = (time_t)sqlite3_column_int64(st, 2);
		char when[32] = "-";
		struct tm tm;
		if (t && gmtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		sb_addf(out, "%lld\t%s\t%s\t%s\t%s\t%s\t%lld\n", (long long)sqlite3_column_int64(st, 0), col(st, 1),
			when, col(st, 3), col(st, 4), col(st, 5), (long long)sqlite3_column_int64(st, 6));
	}
	sqlite3_finalize(st);
	return 0;
}

int history_series(struct history *h, const char *bench, const char *label, const struct history_filter *f,
		   struct history_point **points, int *n)
{
	sqlite3_stmt *st;
	int cap = 0;

	*points = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(h->db,
			       "SELECT r.id, r.name, r.start, r.describe, count(*), avg(s.value)"
			       " FROM samples s JOIN runs r ON r.id = s.run_id"
			       " WHERE s.benchmark = ?1 AND s.label = ?2"
			       " AND (?3 IS NULL OR r.host = ?3) AND (?4 IS NULL OR r.name GLOB ?4)"
			       " GROUP BY r.id ORDER BY r.start, r.id", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "reading a series");
	bind_text(st, 1, bench);
	bind_text(st, 2, label);
	bind_text(st, 3, f ? f->host : NULL);
	bind_text(st, 4, f ? f->runs : NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*points = xrealloc(*points, cap * sizeof(**points));
		}
		struct history_point *p = &(*points)[(*n)++];
		p->run_id = (long)sqlite3_column_int64(st, 0);
		p->run = xstrdup(col(st, 1));
		p->start = sqlite3_column_int64(st, 2);
		p->describe = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : xstrdup(col(st, 3));
		p->n = sqlite3_column_int(st, 4);
		p->mean = sqlite3_column_double(st, 5);
	}
	sqlite3_finalize(st);
	return 0;
}

void history_points_free(struct history_point *p, int n)
{
	for (int i = 0; i < n; i++) {
		free(p[i].run);
		free(p[i].describe);
	}
	free(p);
}

int history_metrics(struct history *h, const char *bench, const char *label, struct history_metric **m, int *n)
{
	sqlite3_stmt *st;
	int cap = 0;

	*m = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(h->db,
			       "SELECT benchmark, label, metric FROM labels"
			       " WHERE (?1 IS NULL OR benchmark = ?1) AND (?2 IS NULL OR label = ?2)"
			       " ORDER BY benchmark, label", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "listing metrics");
	bind_text(st, 1, bench);
	bind_text(st, 2, label);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*m = xrealloc(*m, cap * sizeof(**m));
		}
		struct history_metric *x = &(*m)[(*n)++];
		x->bench = xstrdup(col(st, 0));
		x->label = xstrdup(col(st, 1));
		x->metric = xstrdup(col(st, 2));
	}
	sqlite3_finalize(st);
	return 0;
}

void history_metrics_free(struct history_metric *m, int n)
{
	for (int i = 0; i < n; i++) {
		free(m[i].bench);
		free(m[i].label);
		free(m[i].metric);
	}
	free(m);
}

int history_cp_recorded(struct history *h, const char *bench, const char *label, struct history_cp **cps, int *n,
			long *newest)
{
	sqlite3_stmt *st;
	int cap = 0;

	*cps = NULL;
	*n = 0;
	*newest = 0;
	if (sqlite3_prepare_v2(h->db, "SELECT newest FROM detected WHERE benchmark = ? AND label = ?", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "reading what was recorded");
	bind_text(st, 1, bench);
	bind_text(st, 2, label);
	if (sqlite3_step(st) == SQLITE_ROW)
		*newest = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h->db,
			       "SELECT run_id, found, pct, p FROM change_points"
			       " WHERE benchmark = ? AND label = ? ORDER BY run_id", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "reading recorded change points");
	bind_text(st, 1, bench);
	bind_text(st, 2, label);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*cps = xrealloc(*cps, cap * sizeof(**cps));
		}
		struct history_cp *c = &(*cps)[(*n)++];
		c->run_id = (long)sqlite3_column_int64(st, 0);
		c->found = (long)sqlite3_column_int64(st, 1);
		c->pct = sqlite3_column_double(st, 2);
		c->p = sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	return 0;
}

int history_cp_record(struct history *h, const char *bench, const char *label, const struct history_cp *cps, int n,
		      long newest)
{
	sqlite3_stmt *del = NULL, *ins = NULL, *seen = NULL;
	int ret = 0;

	if (sqlite3_prepare_v2(h->db, "DELETE FROM change_points WHERE benchmark = ? AND label = ?", -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "INSERT INTO change_points VALUES (?, ?, ?, ?, ?, ?)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "INSERT OR REPLACE INTO detected VALUES (?, ?, ?)", -1, &seen, NULL) != SQLITE_OK) {
		ret = sql_error(h, "preparing");
		goto out;
	}
	bind_text(del, 1, bench);
	bind_text(del, 2, label);
	bind_text(seen, 1, bench);
	bind_text(seen, 2, label);
	sqlite3_bind_int64(seen, 3, newest);
	if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(seen) != SQLITE_DONE) {
		ret = sql_error(h, "forgetting change points");
		goto out;
	}
	for (int i = 0; i < n && !ret; i++) {
		sqlite3_reset(ins);
		bind_text(ins, 1, bench);
		bind_text(ins, 2, label);
		sqlite3_bind_int64(ins, 3, cps[i].run_id);
		sqlite3_bind_double(ins, 4, cps[i].pct);
		sqlite3_bind_double(ins, 5, cps[i].p);
		sqlite3_bind_int64(ins, 6, cps[i].found);
		if (sqlite3_step(ins) != SQLITE_DONE)
			ret = sql_error(h, "recording a change point");
	}
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(seen);
	return ret;
}

int history_begin(struct history *h)
{
	return exec(h, "BEGIN IMMEDIATE");
}

int history_end(struct history *h, int commit)
{
	if (commit)
		return exec(h, "COMMIT");
	exec(h, "ROLLBACK");
	return 0;
}

int history_run_id(struct history *h, const char *name, const struct history_filter *f, long *id)
{
	sqlite3_stmt *st;
	int found;

	if (sqlite3_prepare_v2(h->db, "SELECT id FROM runs WHERE name = ?1 AND (?2 IS NULL OR host = ?2)"
			       " ORDER BY start DESC, id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "finding a run");
	bind_text(st, 1, name);
	bind_text(st, 2, f ? f->host : NULL);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		*id = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!found) {
		err_msg("%s: no run '%s'%s%s in the history (mmtests-db runs lists them)", h->path, name,
			f && f->host ? " of host " : "", f && f->host ? f->host : "");
		return -ENOENT;
	}
	return 0;
}

int history_run_results(struct history *h, long id, const char *name, const char *bench, struct run_results *out)
{
	sqlite3_stmt *st;
	int last = -1;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	if (sqlite3_prepare_v2(h->db,
			       "SELECT s.label, COALESCE(l.metric, s.label), s.iteration, s.value FROM samples s"
			       " LEFT JOIN labels l ON l.benchmark = s.benchmark AND l.label = s.label"
			       " WHERE s.run_id = ? AND s.benchmark = ? ORDER BY s.iteration, s.rowid", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "reading a run");
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, bench);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int iter = sqlite3_column_int(st, 2);
		if (iter != last) {
			out->iterations++;
			last = iter;
		}
		results_add(out, col(st, 0), col(st, 1), iter, sqlite3_column_double(st, 3));
	}
	sqlite3_finalize(st);
	return out->ns ? 0 : -ENOENT;
}

int history_describe_results(struct history *h, const char *describe, const struct history_filter *f,
			     const char *name, const char *bench, struct run_results *out)
{
	sqlite3_stmt *st;
	long last_run = -1;
	int last_iter = 0, iter = 0;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	if (sqlite3_prepare_v2(h->db,
			       "SELECT s.label, COALESCE(l.metric, s.label), s.run_id, s.iteration, s.value"
			       " FROM samples s JOIN runs r ON r.id = s.run_id"
			       " LEFT JOIN labels l ON l.benchmark = s.benchmark AND l.label = s.label"
			       " WHERE r.describe = ?1 AND s.benchmark = ?2"
			       " AND (?3 IS NULL OR r.host = ?3) AND (?4 IS NULL OR r.name GLOB ?4)"
			       " ORDER BY r.start, r.id, s.iteration, s.rowid", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h, "reading runs of the code under test");
	bind_text(st, 1, describe);
	bind_text(st, 2, bench);
	bind_text(st, 3, f ? f->host : NULL);
	bind_text(st, 4, f ? f->runs : NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long run = (long)sqlite3_column_int64(st, 2);
		int it = sqlite3_column_int(st, 3);
		if (run != last_run || it != last_iter) {	/* the next iteration, across runs */
			iter++;
			last_run = run;
			last_iter = it;
		}
		results_add(out, col(st, 0), col(st, 1), iter, sqlite3_column_double(st, 4));
	}
	sqlite3_finalize(st);
	out->iterations = iter;
	return out->ns ? 0 : -ENOENT;
}
