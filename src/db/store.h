/* The history's SQL store: an SQLite file (embedded, the default) or a
 * PostgreSQL database (a fleet writing to one place), behind one small
 * interface so that history.c has one set of queries.
 *
 * The SQL history.c writes is the dialect both accept (ON CONFLICT ...,
 * RETURNING, CAST(? AS TEXT)), with numbered placeholders ?1, ?2, ...
 * (PostgreSQL gets $1, $2, ...) and, in DDL, the words @ID@ (a row id
 * assigned on insert), @INT@ (a 64-bit integer) and @REAL@ (a double). */
#ifndef MMT_STORE_H
#define MMT_STORE_H

struct store;
struct stmt;

/* A PostgreSQL connection string ("postgresql://...", "postgres://...",
 * or libpq's "key=value ..." with a dbname), or else an SQLite file path
 * (created when missing; an existing file that is not SQLite is refused
 * and left as it is). NULL, reported, on failure. */
struct store *store_open(const char *target);
void store_close(struct store *s);
const char *store_name(const struct store *s);	/* what was opened, for messages */
int store_is_pg(const struct store *s);

/* SQL with no parameters and no rows (may be several statements). 0 or
 * -EIO (reported, prefixed by what). */
int store_exec(struct store *s, const char *sql, const char *what);
/* A transaction: store_begin takes the write lock at once (SQLite
 * IMMEDIATE); store_end commits (commit 1) or rolls back. */
int store_begin(struct store *s);
int store_end(struct store *s, int commit);
/* Does the table exist; how many tables are there (is it ours, empty?). */
int store_has_table(struct store *s, const char *table, int *has);
int store_count_tables(struct store *s, int *n);

/* A statement: bind (1-based), step until it returns 0 (done; 1: a row,
 * < 0: an error, reported), reset to run it again with new values. */
struct stmt *store_prepare(struct store *s, const char *sql, const char *what);
void stmt_bind_text(struct stmt *st, int i, const char *v);	/* NULL: SQL NULL */
void stmt_bind_int64(struct stmt *st, int i, long long v);
void stmt_bind_double(struct stmt *st, int i, double v);
int stmt_step(struct stmt *st);
void stmt_reset(struct stmt *st);
void stmt_finalize(struct stmt *st);
/* The current row's columns (0-based): text NULL when SQL NULL. */
const char *stmt_text(struct stmt *st, int col);
long long stmt_int64(struct stmt *st, int col);
double stmt_double(struct stmt *st, int col);
int stmt_is_null(struct stmt *st, int col);

#endif
