#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

#include <sqlite3.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#define MAX_PARAMS 16

struct store {
	char *name;
	sqlite3 *lite;
#ifdef HAVE_LIBPQ
	PGconn *pg;
#endif
};

struct stmt {
	struct store *s;
	char *what;
	sqlite3_stmt *lite;
#ifdef HAVE_LIBPQ
	char *sql;		/* with $N */
	char *param[MAX_PARAMS];
	int nparams;
	PGresult *res;
	int row, rows, done;
#endif
};

const char *store_name(const struct store *s)
{
	return s->name;
}

int store_is_pg(const struct store *s)
{
#ifdef HAVE_LIBPQ
	return s->pg != NULL;
#else
	(void)s;
	return 0;
#endif
}

static int is_pg_target(const char *t)
{
	return !strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11) ||
	       (strchr(t, '=') && strstr(t, "dbname"));
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

struct store *store_open(const char *target)
{
	struct store *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(target);
	if (is_pg_target(target)) {
#ifdef HAVE_LIBPQ
		s->pg = PQconnectdb(target);
		if (PQstatus(s->pg) != CONNECTION_OK) {
			err_msg("%s: cannot connect: %s", target, PQerrorMessage(s->pg));
			store_close(s);
			return NULL;
		}
		/* (its notices -- "relation exists, skipping" -- are not ours to print) */
		PQsetNoticeProcessor(s->pg, NULL, NULL);
		return s;
#else
		err_msg("%s: a PostgreSQL store, but mmtests-db was built without libpq (libpq-dev)", target);
		store_close(s);
		return NULL;
#endif
	}
	if (foreign_file(target)) {
		err_msg("%s: not an SQLite file: not a results history (left as it is)", target);
		store_close(s);
		return NULL;
	}
	if (sqlite3_open_v2(target, &s->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_msg("%s: cannot open: %s", target, s->lite ? sqlite3_errmsg(s->lite) : "out of memory");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->lite, 10000);	/* another ingest holding it: wait */
	if (store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON", "opening")) {
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->lite)
		sqlite3_close(s->lite);
#ifdef HAVE_LIBPQ
	if (s->pg)
		PQfinish(s->pg);
#endif
	free(s->name);
	free(s);
}

/* Our dialect's words, for the backend. */
static char *dialect(const struct store *s, const char *sql)
{
	struct strbuf b = STRBUF_INIT;
	int pg = store_is_pg(s);

	for (const char *p = sql; *p;) {
		if (!strncmp(p, "@ID@", 4)) {
			sb_adds(&b, pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY");
			p += 4;
		} else if (!strncmp(p, "@INT@", 5)) {
			sb_adds(&b, pg ? "BIGINT" : "INTEGER");
			p += 5;
		} else if (!strncmp(p, "@REAL@", 6)) {
			sb_adds(&b, pg ? "DOUBLE PRECISION" : "REAL");
			p += 6;
		} else if (*p == '?' && pg) {
			sb_addc(&b, '$');
			p++;
		} else {
			sb_addc(&b, *p++);
		}
	}
	return sb_detach(&b);
}

int store_exec(struct store *s, const char *sql, const char *what)
{
	char *text = dialect(s, sql);
	int ret = 0;

#ifdef HAVE_LIBPQ
	if (s->pg) {
		PGresult *r = PQexec(s->pg, text);
		if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
			err_msg("%s: %s: %s", s->name, what, PQresultErrorMessage(r));
			ret = -EIO;
		}
		PQclear(r);
		free(text);
		return ret;
	}
#endif
	char *msg = NULL;
	if (sqlite3_exec(s->lite, text, NULL, NULL, &msg) != SQLITE_OK) {
		err_msg("%s: %s: %s", s->name, what, msg ? msg : "SQL error");
		ret = -EIO;
	}
	sqlite3_free(msg);
	free(text);
	return ret;
}

int store_begin(struct store *s)
{
	return store_exec(s, store_is_pg(s) ? "BEGIN" : "BEGIN IMMEDIATE", "starting a transaction");
}

int store_end(struct store *s, int commit)
{
	if (commit)
		return store_exec(s, "COMMIT", "committing");
	/* (quietly: the error that made us roll back was said) */
#ifdef HAVE_LIBPQ
	if (s->pg) {
		PQclear(PQexec(s->pg, "ROLLBACK"));
		return 0;
	}
#endif
	sqlite3_exec(s->lite, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

int store_has_table(struct store *s, const char *table, int *has)
{
	struct stmt *st = store_prepare(s, store_is_pg(s) ?
		"SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?1" :
		"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", "not a results history");
	int rc;

	if (!st)
		return -EIO;
	stmt_bind_text(st, 1, table);
	rc = stmt_step(st);
	*has = rc == 1;
	stmt_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_count_tables(struct store *s, int *n)
{
	struct stmt *st = store_prepare(s, store_is_pg(s) ?
		"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()" :
		"SELECT count(*) FROM sqlite_master", "counting tables");
	int rc;

	if (!st)
		return -EIO;
	rc = stmt_step(st);
	*n = rc == 1 ? (int)stmt_int64(st, 0) : 0;
	stmt_finalize(st);
	return rc < 0 ? rc : 0;
}

struct stmt *store_prepare(struct store *s, const char *sql, const char *what)
{
	struct stmt *st = xcalloc(1, sizeof(*st));
	char *text = dialect(s, sql);

	st->s = s;
	st->what = xstrdup(what);
#ifdef HAVE_LIBPQ
	if (s->pg) {
		st->sql = text;
		return st;
	}
#endif
	if (sqlite3_prepare_v2(s->lite, text, -1, &st->lite, NULL) != SQLITE_OK) {
		err_msg("%s: %s: %s", s->name, what, sqlite3_errmsg(s->lite));
		free(text);
		free(st->what);
		free(st);
		return NULL;
	}
	free(text);
	return st;
}

#ifdef HAVE_LIBPQ
static void pg_param(struct stmt *st, int i, char *v)
{
	if (i < 1 || i > MAX_PARAMS) {
		free(v);
		return;
	}
	free(st->param[i - 1]);
	st->param[i - 1] = v;
	if (i > st->nparams)
		st->nparams = i;
}
#endif

void stmt_bind_text(struct stmt *st, int i, const char *v)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg) {
		pg_param(st, i, v ? xstrdup(v) : NULL);
		return;
	}
#endif
	if (v)
		sqlite3_bind_text(st->lite, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->lite, i);
}

void stmt_bind_int64(struct stmt *st, int i, long long v)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg) {
		pg_param(st, i, xasprintf("%lld", v));
		return;
	}
#endif
	sqlite3_bind_int64(st->lite, i, v);
}

void stmt_bind_double(struct stmt *st, int i, double v)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg) {
		pg_param(st, i, xasprintf("%.17g", v));	/* round-trips */
		return;
	}
#endif
	sqlite3_bind_double(st->lite, i, v);
}

int stmt_step(struct stmt *st)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg) {
		if (!st->res && !st->done) {
			st->res = PQexecParams(st->s->pg, st->sql, st->nparams, NULL, (const char *const *)st->param,
					       NULL, NULL, 0);
			ExecStatusType status = PQresultStatus(st->res);
			if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
				err_msg("%s: %s: %s", st->s->name, st->what, PQresultErrorMessage(st->res));
				PQclear(st->res);
				st->res = NULL;
				return -EIO;
			}
			st->rows = status == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
			st->row = -1;
			st->done = 1;
		}
		if (!st->res || ++st->row >= st->rows)
			return 0;
		return 1;
	}
#endif
	int rc = sqlite3_step(st->lite);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	err_msg("%s: %s: %s", st->s->name, st->what, sqlite3_errmsg(st->s->lite));
	return -EIO;
}

void stmt_reset(struct stmt *st)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg) {
		PQclear(st->res);
		st->res = NULL;
		st->done = 0;
		return;
	}
#endif
	sqlite3_reset(st->lite);
}

void stmt_finalize(struct stmt *st)
{
	if (!st)
		return;
#ifdef HAVE_LIBPQ
	PQclear(st->res);
	for (int i = 0; i < MAX_PARAMS; i++)
		free(st->param[i]);
	free(st->sql);
#endif
	if (st->lite)
		sqlite3_finalize(st->lite);
	free(st->what);
	free(st);
}

int stmt_is_null(struct stmt *st, int col)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg)
		return PQgetisnull(st->res, st->row, col);
#endif
	return sqlite3_column_type(st->lite, col) == SQLITE_NULL;
}

const char *stmt_text(struct stmt *st, int col)
{
	if (stmt_is_null(st, col))
		return NULL;
#ifdef HAVE_LIBPQ
	if (st->s->pg)
		return PQgetvalue(st->res, st->row, col);
#endif
	return (const char *)sqlite3_column_text(st->lite, col);
}

long long stmt_int64(struct stmt *st, int col)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg)
		return stmt_is_null(st, col) ? 0 : strtoll(PQgetvalue(st->res, st->row, col), NULL, 10);
#endif
	return sqlite3_column_int64(st->lite, col);
}

double stmt_double(struct stmt *st, int col)
{
#ifdef HAVE_LIBPQ
	if (st->s->pg)
		return stmt_is_null(st, col) ? 0 : strtod(PQgetvalue(st->res, st->row, col), NULL);
#endif
	return sqlite3_column_double(st->lite, col);
}
