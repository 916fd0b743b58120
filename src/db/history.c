#include "history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"
#include "log.h"
#include "results.h"
#include "run_json.h"
#include "store.h"
#include "tree.h"
#include "xalloc.h"

struct history {
	struct store *db;
	const char *path;	/* (the store's name) */
};

/* Schema versions in order: migrations[v - 1] takes a store from v - 1 to
 * v. Never edit one that has shipped; add the next. */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE runs ("
	" id @ID@,"
	" name TEXT NOT NULL, host TEXT NOT NULL, start @INT@ NOT NULL,"
	" kernel TEXT, arch TEXT, config_hash TEXT, describe TEXT,"
	" ingested @INT@ NOT NULL,"
	" UNIQUE (name, host, start));"
	"CREATE TABLE tests ("
	" run_id @INT@ NOT NULL REFERENCES runs(id), benchmark TEXT NOT NULL, version TEXT,"
	" PRIMARY KEY (run_id, benchmark));"
	"CREATE TABLE samples ("
	" run_id @INT@ NOT NULL REFERENCES runs(id), benchmark TEXT NOT NULL, label TEXT NOT NULL,"
	" iteration @INT@ NOT NULL, sample @INT@ NOT NULL, value @REAL@ NOT NULL);"
	"CREATE INDEX samples_metric ON samples (benchmark, label, run_id);",
	/* 2: each label's metric (its direction comes from the shellpack), and
	 * the change points detect --record saw, to tell new ones from old */
	"CREATE TABLE labels ("
	" benchmark TEXT NOT NULL, label TEXT NOT NULL, metric TEXT NOT NULL,"
	" PRIMARY KEY (benchmark, label));"
	"INSERT INTO labels SELECT DISTINCT benchmark, label, label FROM samples;"
	"CREATE TABLE change_points ("
	" benchmark TEXT NOT NULL, label TEXT NOT NULL, run_id @INT@ NOT NULL REFERENCES runs(id),"
	" pct @REAL@, p @REAL@, found @INT@ NOT NULL REFERENCES runs(id),"
	" PRIMARY KEY (benchmark, label, run_id));"
	"CREATE TABLE detected ("
	" benchmark TEXT NOT NULL, label TEXT NOT NULL, newest @INT@ NOT NULL REFERENCES runs(id),"
	" PRIMARY KEY (benchmark, label));",
};

static int exec(struct history *h, const char *sql, const char *what)
{
	return store_exec(h->db, sql, what);
}

static int schema_version(struct history *h, int *version)
{
	struct stmt *st;
	int have, ret;

	*version = 0;
	if ((ret = store_has_table(h->db, "schema_version", &have)) || !have)
		return ret;
	if (!(st = store_prepare(h->db, "SELECT version FROM schema_version", "reading its schema version")))
		return -EIO;
	if ((ret = stmt_step(st)) == 1)
		*version = (int)stmt_int64(st, 0);
	stmt_finalize(st);
	return ret < 0 ? ret : 0;
}

/* Bring the store to HISTORY_SCHEMA, one migration per transaction (in
 * PostgreSQL under a lock: machines of a fleet may start at once). */
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
	if (v == HISTORY_SCHEMA)
		return 0;
	for (;;) {
		if ((ret = store_begin(h->db)))
			return ret;
		if (store_is_pg(h->db) && (ret = exec(h, "SELECT pg_advisory_xact_lock(7274657374)", "locking")))
			goto fail;
		/* again, under the lock: another process may have migrated */
		if ((ret = schema_version(h, &v)))
			goto fail;
		if (v >= HISTORY_SCHEMA) {
			store_end(h->db, 0);
			return 0;
		}
		if (v == 0) {	/* a new store, or one of something else */
			int others;
			if ((ret = store_count_tables(h->db, &others)))
				goto fail;
			if (others) {
				err_msg("%s: %s, but not a results history (no schema_version table)", h->path,
					store_is_pg(h->db) ? "a PostgreSQL database with tables" : "an SQLite file");
				ret = -EINVAL;
				goto fail;
			}
		}
		char set[160];
		snprintf(set, sizeof(set), v ? "UPDATE schema_version SET version = %d" :
			 "CREATE TABLE schema_version (version INTEGER NOT NULL);"
			 "INSERT INTO schema_version VALUES (%d)", v + 1);
		if ((ret = exec(h, migrations[v], "migrating")) || (ret = exec(h, set, "migrating")) ||
		    (ret = store_end(h->db, 1)))
			goto fail;
	}
fail:
	store_end(h->db, 0);
	return ret;
}

struct history *history_open(const char *path)
{
	struct history *h = xcalloc(1, sizeof(*h));

	if (!(h->db = store_open(path))) {
		free(h);
		return NULL;
	}
	h->path = store_name(h->db);
	if (migrate(h)) {
		history_close(h);
		return NULL;
	}
	return h;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	store_close(h->db);
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

/* The samples of one benchmark of the run, as parse-results gave them. */
static int ingest_bench(struct stmt *ins, struct stmt *lab, long long run_id, const char *logdir,
			const char *run, const char *bench, const char *shellpacks, long *samples)
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
		stmt_reset(lab);
		stmt_bind_text(lab, 1, bench);
		stmt_bind_text(lab, 2, s->label);
		stmt_bind_text(lab, 3, s->metric);
		if ((ret = stmt_step(lab)) > 0)
			ret = 0;
		for (int k = 0; k < s->n && !ret; k++) {
			sample = k && s->iter[k] == s->iter[k - 1] ? sample + 1 : 1;
			stmt_reset(ins);
			stmt_bind_int64(ins, 1, run_id);
			stmt_bind_text(ins, 2, bench);
			stmt_bind_text(ins, 3, s->label);
			stmt_bind_int64(ins, 4, s->iter[k]);
			stmt_bind_int64(ins, 5, sample);
			stmt_bind_double(ins, 6, s->v[k]);
			if ((ret = stmt_step(ins)) == 0)
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
	struct stmt *st = NULL, *ins = NULL, *lab = NULL;
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
	if ((ret = store_begin(h->db)))
		goto out;
	/* there already (name, host, start): no row back, nothing changes */
	if (!(st = store_prepare(h->db, "INSERT INTO runs (name, host, start, kernel, arch, config_hash, describe, ingested)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING RETURNING id", "adding the run"))) {
		ret = -EIO;
		goto rollback;
	}
	stmt_bind_text(st, 1, run);
	stmt_bind_text(st, 2, rec.host.hostname ? rec.host.hostname : "");
	stmt_bind_int64(st, 3, (long long)rec.start.epoch);
	stmt_bind_text(st, 4, rec.host.kernel);
	stmt_bind_text(st, 5, rec.host.arch);
	stmt_bind_text(st, 6, *hash ? hash : NULL);
	stmt_bind_text(st, 7, describe);
	stmt_bind_int64(st, 8, (long long)time(NULL));
	if ((ret = stmt_step(st)) < 0)
		goto rollback;
	if (ret == 0) {
		store_end(h->db, 0);
		goto out;
	}
	long long run_id = stmt_int64(st, 0);
	while (stmt_step(st) > 0)	/* (SQLite inserts as RETURNING's rows are read) */
		;
	stmt_finalize(st);
	st = NULL;
	if (!(st = store_prepare(h->db, "INSERT INTO tests VALUES (?1, ?2, ?3)", "adding a test")) ||
	    !(ins = store_prepare(h->db, "INSERT INTO samples VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "adding a sample")) ||
	    !(lab = store_prepare(h->db, "INSERT INTO labels VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", "adding a label"))) {
		ret = -EIO;
		goto rollback;
	}
	for (int b = 0; b < nb; b++) {
		const char *version = NULL;
		for (int t = 0; rec.iters && t < rec.ntests; t++)
			if (!strcmp(rec.mmtests[t], benches[b]))
				version = rec.iters[0].tests[t].shellpack_version;
		stmt_reset(st);
		stmt_bind_int64(st, 1, run_id);
		stmt_bind_text(st, 2, benches[b]);
		stmt_bind_text(st, 3, version);
		if ((ret = stmt_step(st)) < 0)
			goto rollback;
		if ((ret = ingest_bench(ins, lab, run_id, logdir, run, benches[b], shellpacks, samples)))
			goto rollback;
	}
	if ((ret = store_end(h->db, 1)))
		goto rollback;
	ret = 1;
	goto out;
rollback:
	store_end(h->db, 0);
	*samples = 0;
out:
	stmt_finalize(st);
	stmt_finalize(ins);
	stmt_finalize(lab);
	for (int b = 0; b < nb; b++)
		free(benches[b]);
	free(benches);
	run_record_free(&rec);
	free(json);
	free(rundir);
	return ret;
}

static const char *col(struct stmt *st, int i)
{
	const char *s = stmt_text(st, i);

	return s ? s : "-";
}

int history_runs(struct history *h, struct strbuf *out)
{
	struct stmt *st = store_prepare(h->db,
		"SELECT r.id, r.name, r.start, r.host, r.kernel, r.describe,"
		" (SELECT count(*) FROM samples s WHERE s.run_id = r.id)"
		" FROM runs r ORDER BY r.start, r.id", "listing runs");
	int rc;

	if (!st)
		return -EIO;
	while ((rc = stmt_step(st)) > 0) {
		time_t t = (time_t)stmt_int64(st, 2);
		char when[32] = "-";
		struct tm tm;
		if (t && gmtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		sb_addf(out, "%lld\t%s\t%s\t%s\t%s\t%s\t%lld\n", stmt_int64(st, 0), col(st, 1),
			when, col(st, 3), col(st, 4), col(st, 5), stmt_int64(st, 6));
	}
	stmt_finalize(st);
	return rc;
}

/* The filter's run-name glob (*, ?) as a LIKE pattern, escaping with \. */
static char *glob_to_like(const char *glob)
{
	struct strbuf b = STRBUF_INIT;

	if (!glob)
		return NULL;
	for (const char *p = glob; *p; p++) {
		if (*p == '*')
			sb_addc(&b, '%');
		else if (*p == '?')
			sb_addc(&b, '_');
		else {
			if (*p == '%' || *p == '_' || *p == '\\')
				sb_addc(&b, '\\');
			sb_addc(&b, *p);
		}
	}
	return sb_detach(&b);
}

/* The filter's condition on runs r, its host ?H and pattern ?P. */
#define FILTER(H, P) " AND (CAST(?" #H " AS TEXT) IS NULL OR r.host = ?" #H ")" \
		     " AND (CAST(?" #P " AS TEXT) IS NULL OR r.name LIKE ?" #P " ESCAPE '\\')"

static void bind_filter(struct stmt *st, int host, int pattern, const struct history_filter *f, char **like)
{
	*like = glob_to_like(f ? f->runs : NULL);
	stmt_bind_text(st, host, f ? f->host : NULL);
	stmt_bind_text(st, pattern, *like);
}

int history_series(struct history *h, const char *bench, const char *label, const struct history_filter *f,
		   struct history_point **points, int *n)
{
	struct stmt *st = store_prepare(h->db,
		"SELECT r.id, r.name, r.start, r.describe, count(*), avg(s.value)"
		" FROM samples s JOIN runs r ON r.id = s.run_id"
		" WHERE s.benchmark = ?1 AND s.label = ?2" FILTER(3, 4)
		" GROUP BY r.id, r.name, r.start, r.describe ORDER BY r.start, r.id", "reading a series");
	int cap = 0, rc;
	char *like;

	*points = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	stmt_bind_text(st, 1, bench);
	stmt_bind_text(st, 2, label);
	bind_filter(st, 3, 4, f, &like);
	while ((rc = stmt_step(st)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*points = xrealloc(*points, cap * sizeof(**points));
		}
		struct history_point *p = &(*points)[(*n)++];
		p->run_id = (long)stmt_int64(st, 0);
		p->run = xstrdup(col(st, 1));
		p->start = stmt_int64(st, 2);
		p->describe = stmt_is_null(st, 3) ? NULL : xstrdup(col(st, 3));
		p->n = (int)stmt_int64(st, 4);
		p->mean = stmt_double(st, 5);
	}
	stmt_finalize(st);
	free(like);
	return rc;
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
	struct stmt *st = store_prepare(h->db,
		"SELECT benchmark, label, metric FROM labels"
		" WHERE (CAST(?1 AS TEXT) IS NULL OR benchmark = ?1) AND (CAST(?2 AS TEXT) IS NULL OR label = ?2)"
		" ORDER BY benchmark, label", "listing metrics");
	int cap = 0, rc;

	*m = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	stmt_bind_text(st, 1, bench);
	stmt_bind_text(st, 2, label);
	while ((rc = stmt_step(st)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*m = xrealloc(*m, cap * sizeof(**m));
		}
		struct history_metric *x = &(*m)[(*n)++];
		x->bench = xstrdup(col(st, 0));
		x->label = xstrdup(col(st, 1));
		x->metric = xstrdup(col(st, 2));
	}
	stmt_finalize(st);
	return rc;
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
	struct stmt *st = store_prepare(h->db, "SELECT newest FROM detected WHERE benchmark = ?1 AND label = ?2",
					"reading what was recorded");
	int cap = 0, rc;

	*cps = NULL;
	*n = 0;
	*newest = 0;
	if (!st)
		return -EIO;
	stmt_bind_text(st, 1, bench);
	stmt_bind_text(st, 2, label);
	if ((rc = stmt_step(st)) > 0)
		*newest = (long)stmt_int64(st, 0);
	stmt_finalize(st);
	if (rc < 0)
		return rc;
	if (!(st = store_prepare(h->db, "SELECT run_id, found, pct, p FROM change_points"
				 " WHERE benchmark = ?1 AND label = ?2 ORDER BY run_id", "reading recorded change points")))
		return -EIO;
	stmt_bind_text(st, 1, bench);
	stmt_bind_text(st, 2, label);
	while ((rc = stmt_step(st)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*cps = xrealloc(*cps, cap * sizeof(**cps));
		}
		struct history_cp *c = &(*cps)[(*n)++];
		c->run_id = (long)stmt_int64(st, 0);
		c->found = (long)stmt_int64(st, 1);
		c->pct = stmt_double(st, 2);
		c->p = stmt_double(st, 3);
	}
	stmt_finalize(st);
	return rc;
}

int history_cp_record(struct history *h, const char *bench, const char *label, const struct history_cp *cps, int n,
		      long newest)
{
	struct stmt *del = store_prepare(h->db, "DELETE FROM change_points WHERE benchmark = ?1 AND label = ?2",
					 "forgetting change points");
	struct stmt *ins = store_prepare(h->db, "INSERT INTO change_points VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
					 "recording a change point");
	struct stmt *seen = store_prepare(h->db, "INSERT INTO detected VALUES (?1, ?2, ?3)"
					  " ON CONFLICT (benchmark, label) DO UPDATE SET newest = excluded.newest",
					  "recording the look");
	int ret = -EIO;

	if (!del || !ins || !seen)
		goto out;
	stmt_bind_text(del, 1, bench);
	stmt_bind_text(del, 2, label);
	stmt_bind_text(seen, 1, bench);
	stmt_bind_text(seen, 2, label);
	stmt_bind_int64(seen, 3, newest);
	if ((ret = stmt_step(del)) || (ret = stmt_step(seen)))
		goto out;
	for (int i = 0; i < n && !ret; i++) {
		stmt_reset(ins);
		stmt_bind_text(ins, 1, bench);
		stmt_bind_text(ins, 2, label);
		stmt_bind_int64(ins, 3, cps[i].run_id);
		stmt_bind_double(ins, 4, cps[i].pct);
		stmt_bind_double(ins, 5, cps[i].p);
		stmt_bind_int64(ins, 6, cps[i].found);
		ret = stmt_step(ins);
	}
out:
	stmt_finalize(del);
	stmt_finalize(ins);
	stmt_finalize(seen);
	return ret;
}

int history_begin(struct history *h)
{
	return store_begin(h->db);
}

int history_end(struct history *h, int commit)
{
	return store_end(h->db, commit);
}

int history_run_id(struct history *h, const char *name, const struct history_filter *f, long *id)
{
	struct stmt *st = store_prepare(h->db, "SELECT id FROM runs WHERE name = ?1"
					" AND (CAST(?2 AS TEXT) IS NULL OR host = ?2)"
					" ORDER BY start DESC, id DESC LIMIT 1", "finding a run");
	int rc;

	if (!st)
		return -EIO;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, f ? f->host : NULL);
	if ((rc = stmt_step(st)) > 0)
		*id = (long)stmt_int64(st, 0);
	stmt_finalize(st);
	if (rc < 0)
		return rc;
	if (!rc) {
		err_msg("%s: no run '%s'%s%s in the history (mmtests-db runs lists them)", h->path, name,
			f && f->host ? " of host " : "", f && f->host ? f->host : "");
		return -ENOENT;
	}
	return 0;
}

int history_run_results(struct history *h, long id, const char *name, const char *bench, struct run_results *out)
{
	struct stmt *st = store_prepare(h->db,
		"SELECT s.label, COALESCE(l.metric, s.label), s.iteration, s.value FROM samples s"
		" LEFT JOIN labels l ON l.benchmark = s.benchmark AND l.label = s.label"
		" WHERE s.run_id = ?1 AND s.benchmark = ?2 ORDER BY s.iteration, s.label, s.sample", "reading a run");
	int last = -1, rc;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	if (!st)
		return -EIO;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, bench);
	while ((rc = stmt_step(st)) > 0) {
		int iter = (int)stmt_int64(st, 2);
		if (iter != last) {
			out->iterations++;
			last = iter;
		}
		results_add(out, col(st, 0), col(st, 1), iter, stmt_double(st, 3));
	}
	stmt_finalize(st);
	if (rc < 0)
		return rc;
	return out->ns ? 0 : -ENOENT;
}

int history_describe_results(struct history *h, const char *describe, const struct history_filter *f,
			     const char *name, const char *bench, struct run_results *out)
{
	struct stmt *st = store_prepare(h->db,
		"SELECT s.label, COALESCE(l.metric, s.label), s.run_id, s.iteration, s.value"
		" FROM samples s JOIN runs r ON r.id = s.run_id"
		" LEFT JOIN labels l ON l.benchmark = s.benchmark AND l.label = s.label"
		" WHERE r.describe = ?1 AND s.benchmark = ?2" FILTER(3, 4)
		" ORDER BY r.start, r.id, s.iteration, s.label, s.sample", "reading runs of the code under test");
	long last_run = -1;
	int last_iter = 0, iter = 0, rc;
	char *like;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	if (!st)
		return -EIO;
	stmt_bind_text(st, 1, describe);
	stmt_bind_text(st, 2, bench);
	bind_filter(st, 3, 4, f, &like);
	while ((rc = stmt_step(st)) > 0) {
		long run = (long)stmt_int64(st, 2);
		int it = (int)stmt_int64(st, 3);
		if (run != last_run || it != last_iter) {	/* the next iteration, across runs */
			iter++;
			last_run = run;
			last_iter = it;
		}
		results_add(out, col(st, 0), col(st, 1), iter, stmt_double(st, 4));
	}
	stmt_finalize(st);
	free(like);
	out->iterations = iter;
	if (rc < 0)
		return rc;
	return out->ns ? 0 : -ENOENT;
}
