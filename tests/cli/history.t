# mmtests-db: the results history -- ingest (idempotent, all or nothing),
# runs, series, change points where the history has a step, the nightly
# gate's uses, the report. In SQLite; with HISTORY_STORE=pg (history-pg.t)
# the same tests in a real PostgreSQL server on a unix socket.
. "$(dirname "$0")/../lib.sh"
DB=$BUILD/bin/mmtests-db
[ -x "$DB" ] || { echo "1..0 # SKIP mmtests-db not built (no libsqlite3-dev)"; exit 0; }
STORE=${HISTORY_STORE:-sqlite}
if [ "$STORE" = pg ]; then
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -x "$PG_BIN/initdb" ] || { echo "1..0 # SKIP PostgreSQL is not installed (package postgresql)"; exit 0; }
	ldd "$DB" | grep -q libpq || { echo "1..0 # SKIP mmtests-db built without libpq (libpq-dev)"; exit 0; }
	# a private server: data and socket in $T, no TCP port; as the postgres
	# user when we are root (the server refuses root)
	as=()
	if [ "$(id -u)" = 0 ]; then
		as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
		chmod o+x "$T"
	fi
	mkdir -p "$T/pg" && { [ ${#as[@]} = 0 ] || chown postgres: "$T/pg"; }
	"${as[@]}" "$PG_BIN/initdb" -D "$T/pg/data" -A trust -U postgres > "$T/initdb.log" 2>&1 || { cat "$T/initdb.log"; exit 1; }
	"${as[@]}" "$PG_BIN/postgres" -D "$T/pg/data" -k "$T/pg" -c listen_addresses= > "$T/pg.log" 2>&1 &
	pg_pid=$!
	trap 'kill -INT $pg_pid 2>/dev/null; wait $pg_pid 2>/dev/null; [ -n "${KEEP_TEST_DIR:-}" ] || rm -rf "$T"' EXIT
	for i in $(seq 300); do "$PG_BIN/pg_isready" -q -h "$T/pg" -U postgres && break; sleep 0.1; done
	psql() { command psql -q -X -h "$T/pg" -U postgres "$@"; }
fi
# newdb NAME: a new, empty store's --db target
newdb() {
	if [ "$STORE" = pg ]; then
		psql -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null
		echo "postgresql:///$1?host=$T/pg&user=postgres"
	else
		echo "$T/$1.sqlite"
	fi
}
# sql TARGET STATEMENT: run SQL in a store behind the program's back
sql() {
	if [ "$STORE" = pg ]; then
		local db=${1#postgresql:///}
		psql -d "${db%%\?*}" -tA -c "$2" 2>&1 | sed -n '1p'
	else
		python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchone(); c.commit()
print(r[0] if r else "")' "$1" "$2"
	fi
}
make_home
add_shellpack thr 'true'
L=$T/log
H=$(newdb h)
# 24 nights of a metric that drops 20% from night 13 on
for i in $(seq 1 24); do
	base=$((i < 13 ? 1000 : 800))
	make_run "$L" "night-$i" thr ops "$((base + i % 3)) $((base - i % 5)) $((base + 2))"
done
out=$("$DB" --db "$H" ingest -d "$L" $(for i in $(seq 1 24); do echo "night-$i"; done) 2>&1)
ok $? "ingest 24 runs"
is "$(grep -c ': ingested, 3 samples$' <<< "$out")" 24 "each with its 3 samples"
out=$("$DB" --db "$H" ingest -d "$L" night-3 2>&1)
ok $? "ingesting a run again is not an error"
is "$out" "night-3: already in the history, left as it is" "it says so, and changes nothing"
is "$("$DB" --db "$H" runs | wc -l)" 24 "runs: 24"
is "$("$DB" --db "$H" series -b thr -l ops | sed -n 13p | cut -f1,4)" "night-13	3" "series: a line per run, oldest first, with its samples"
want=$(awk 'BEGIN {printf "%.17g", (800 + 13 % 3 + 800 - 13 % 5 + 802) / 3}')
is "$("$DB" --db "$H" series -b thr -l ops | sed -n 13p | cut -f5)" "$want" "and their mean"
out=$("$DB" --db "$H" detect -b thr -l ops 2>&1)
ok $? "detect"
like "$out" "^thr ops: 24 runs, 1 change point" "finds the one change"
like "$out" "from run night-13 \\(#13\\): 1000\\.[0-9]+ -> 80[01]\\.[0-9]+, -20\\.[0-9]+% \\[-2[01]\\.[0-9]+%, -(19|20)\\.[0-9]+%\\], p (=|<) " \
	"where it starts, the means either side, -20% with its interval, and p"

out=$("$DB" --db "$H" detect -b thr -l ops --method permutation 2>&1)
like "$out" "^thr ops: 24 runs, 1 change point \\(permutation test, p <= 0\\.05, 199 permutations\\)" "MongoDB's method"
like "$out" "^  from run night-13 \\(#13\\)" "finds it too"

# nightly use: every metric, what is new against what was recorded, and the
# gate: a new regression change point in the newest runs
H2=$(newdb nightly)
add_shellpack lat 'true'
sed -i 's/prefer = "higher"/prefer = "lower"/' "$MMTESTS_HOME/shellpacks/lat/shellpack.conf"
for i in $(seq 1 30); do
	# thr: -20% from night 13, then -25% more from night 28; lat: better from night 28
	# (with noise: a t-test between segments with no spread finds any difference)
	base=$((i < 13 ? 1000 : i < 28 ? 800 : 600)) lat=$((i < 28 ? 50 : 40))
	make_run "$L" "night-$i" thr ops "$((base + (i * 37) % 21 - 10)) $((base + (i * 37 + 11) % 21 - 10)) $((base + (i * 37 + 22) % 21 - 10))"
	make_run "$L" "night-$i" lat p50 "$((lat + (i * 13) % 5 - 2)) $((lat + (i * 13 + 7) % 5 - 2)) $((lat + (i * 13 + 14) % 5 - 2))"
done
"$DB" --db "$H2" ingest -d "$L" $(for i in $(seq 1 24); do echo "night-$i"; done) >/dev/null 2>&1
out=$("$DB" --db "$H2" detect --record --fail-on-regression --junit "$T/j1.xml" 2>&1)
is "$?" 0 "24 nights: the old drop is no regression at the newest runs: exit 0"
like "$out" "^thr ops: 24 runs, 1 change point" "every metric looked at"
like "$out" "from run night-13 .*: regression, new$" "the drop at night 13: a regression, new"
like "$out" "^2 metrics, 1 change point \\(1 new, 0 of them regressions failing the gate\\) \\(metrics with nothing to say not shown: --all\\)$" "a summary: an imported history's old change points do not fail the first look"
like "$(cat "$T/j1.xml")" '<testcase classname="thr" name="ops">' "JUnit: a testcase named benchmark/metric"
unlike "$(cat "$T/j1.xml")" '<failure' "no failure"
out=$("$DB" --db "$H2" detect --fail-on-regression 2>&1)
like "$out" "from run night-13 .*: regression, known$" "detected again: known"
"$DB" --db "$H2" ingest -d "$L" $(for i in $(seq 25 30); do echo "night-$i"; done) >/dev/null 2>&1
out=$("$DB" --db "$H2" detect 2>&1)
is "$?" 0 "a new regression without --fail-on-regression: exit 0"
out=$("$DB" --db "$H2" detect --record --fail-on-regression --junit "$T/j2.xml" 2>&1)
is "$?" 3 "a new regression change point at the newest runs: exit 3"
like "$out" "from run night-28 \\(#28\\): [78][0-9]{2}\\.[0-9]+ -> 60[0-9]\\.[0-9]+, -2[45]\\.[0-9]+% .*: regression, new$" "the drop at night 28, new"
like "$out" "from run night-13 .*: regression, known, first found with run night-24$" "the old one known, with the night it was found"
like "$out" "^lat p50: 30 runs, 1 change point" "the latency's change"
like "$out" "^  from run night-28 \\(#28\\): [45][0-9.]+ -> [34][0-9.]+, .*: improvement, new$" "lower is better: a drop in latency is an improvement"
like "$out" "^REGRESSION thr ops: 1 new regression change point$" "the gate's line"
like "$(tr -d '\n' < "$T/j2.xml")" '<testcase classname="thr" name="ops"> *<failure message="1 new regression change point"/>' "JUnit: the same testcase name, failed"
like "$(tr -d '\n' < "$T/j2.xml")" '<testcase classname="lat" name="p50"> *<system-out>' "the improvement passes"
out=$("$DB" --db "$H2" detect --fail-on-regression 2>&1)
is "$?" 0 "recorded: the same regression is not new the next time"
# what was recorded moved or went: said, not hidden
sql "$H2" "UPDATE change_points SET run_id = (SELECT id FROM runs WHERE name = 'night-11') WHERE label = 'ops' AND run_id = (SELECT id FROM runs WHERE name = 'night-13')" >/dev/null
sql "$H2" "INSERT INTO change_points SELECT benchmark, label, (SELECT id FROM runs WHERE name = 'night-5'), 5.0, 0.001, found FROM change_points WHERE label = 'p50' LIMIT 1" >/dev/null
out=$("$DB" --db "$H2" detect 2>&1)
like "$out" "from run night-13 .*: regression, moved from run night-11 \\(#11\\)" "a change point recorded 2 runs away: moved, and from where"
like "$out" "gone: the change point recorded at run night-5 \\(\\+5\\.00%\\) is no longer found" "one no longer found: gone"
out=$("$DB" --db "$H2" detect -b thr -l ops --method permutation --window 10 2>&1)
is "$?" 2 "an option of the other method: usage error"
like "$out" "--window and --min-change are the t-test method's" "saying whose it is"

# the history report: a page per benchmark, each metric drawn with its
# change points, in a real browser
out=$("$DB" --db "$H2" detect --report "$T/rep" 2>&1)
like "$out" "^report: $T/rep/thr\\.html$" "--report: a page per benchmark"
is "$(ls "$T/rep")" "$(printf 'lat.html\nthr.html')" "one for each"
page=$(cat "$T/rep/thr.html")
like "$page" '<h2 id="ops">ops <span class="meta">30 runs: night-1 &hellip; night-30</span></h2>' "the metric's section, its runs"
if command -v gnuplot >/dev/null; then
	is "$(grep -c '<svg' "$T/rep/thr.html")" 1 "its history drawn inline (SVG)"
	like "$page" '<text[^>]*>-20\.0%</text>' "the change points marked with their change"
	like "$page" '<text[^>]*>-2[45]\.[0-9]%</text>' "both"
fi
like "$page" '<td class="l">#28 night-28</td>.*<td class="worse">-2[45]\.[0-9]+%</td>.*regression, known' "the change points' table"
unlike "$page" '(src|href)="(http|//|/)' "self-contained: nothing loaded from elsewhere"
if browser_checks "$T/rep/thr.html" "the history report"; then
	like "$(cat "$T/dom")" '<h2 id="ops">' "the browser's DOM has the metric"
	like "$(cat "$T/dom")" '<svg' "and its picture"
fi

# a store of schema 1 (before labels and change points): migrated in place
if [ "$STORE" = sqlite ]; then
python3 - "$T/v1.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, host TEXT NOT NULL, start INTEGER NOT NULL,
 kernel TEXT, arch TEXT, config_hash TEXT, describe TEXT, ingested INTEGER NOT NULL, UNIQUE (name, host, start));
CREATE TABLE tests (run_id INTEGER NOT NULL REFERENCES runs(id), benchmark TEXT NOT NULL, version TEXT,
 PRIMARY KEY (run_id, benchmark));
CREATE TABLE samples (run_id INTEGER NOT NULL REFERENCES runs(id), benchmark TEXT NOT NULL, label TEXT NOT NULL,
 iteration INTEGER NOT NULL, sample INTEGER NOT NULL, value REAL NOT NULL);
CREATE INDEX samples_metric ON samples (benchmark, label, run_id);
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
""")
for r in range(1, 21):
    c.execute("INSERT INTO runs VALUES (?, ?, '', 0, NULL, NULL, NULL, NULL, 0)", (r, "old-%d" % r))
    for k in range(3):
        c.execute("INSERT INTO samples VALUES (?, 'thr', 'ops', 1, ?, ?)", (r, k + 1, (100 if r < 11 else 130) + k))
c.commit()
PY
out=$("$DB" --db "$T/v1.sqlite" detect 2>&1)
like "$out" "^thr ops: 20 runs, 1 change point" "a schema 1 store: migrated"
like "$out" "^  from run old-11 \\(#11\\): 101 -> 131, \\+29\\.70%" "its history read"
is "$(sql "$T/v1.sqlite" "SELECT version FROM schema_version")" 2 "now at schema 2"
fi

# a run of ours: host, kernel and every sample parse-results gave
cfg=$(write_config config-h 'export MMTESTS="stream"' 'export STREAM_SIZE=$((1048576 * 3)) STREAM_ITERATIONS=2')
"$RUN" -c "$cfg" --directory "$T/real" real >/dev/null 2>&1
out=$("$DB" --db "$H" ingest -d "$T/real" --describe v6.1-rc3-12-gabcdef real 2>&1)
like "$out" "^real: ingested, $(cat "$T/real/real/iter-0/stream/parse-results.tsv" | wc -l) samples$" "a real run: all its samples"
like "$("$DB" --db "$H" runs | grep real)" "	$(hostname)	$(uname -r)	v6\\.1-rc3-12-gabcdef	" "with host, kernel and the code under test"

# a tree MMTests wrote (no run.json, raw logs): read through parse-results
out=$("$DB" --db "$H" ingest -d "$SRC/tests/fixtures/compare/mmtests-tree" 5.10-rc3-vanilla 2>&1)
like "$out" "^5\\.10-rc3-vanilla: ingested, [1-9][0-9]* samples" "an MMTests tree"

# all or nothing: a run whose results cannot be read leaves nothing behind
make_run "$L" broken thr ops "1 2 3"
printf 'ops\t_\t_\t4\tnot-a-number\t_\n' >> "$L/broken/iter-0/thr/parse-results.tsv"
before=$("$DB" --db "$H" runs | wc -l)
"$DB" --db "$H" ingest -d "$L" broken >/dev/null 2>"$T/err"
is "$?" 1 "an unreadable run: exit 1"
is "$("$DB" --db "$H" runs | wc -l)" "$before" "nothing of it kept"
"$DB" --db "$H" ingest -d "$L" no-such-run >/dev/null 2>&1
is "$?" 1 "an unknown run: exit 1"

# not a history; a newer schema
other=$(newdb other)
sql "$other" "CREATE TABLE t (x INTEGER)" >/dev/null
out=$("$DB" --db "$other" runs 2>&1); rc=$?
is "$rc" 1 "a store of something else: exit 1"
like "$out" "other.*: (an SQLite file|a PostgreSQL database with tables), but not a results history" "naming it"
is "$(sql "$other" "SELECT count(*) FROM t")" 0 "and leaving it as it was"
newer=$(newdb newer)
"$DB" --db "$newer" runs >/dev/null
sql "$newer" "UPDATE schema_version SET version = 99" >/dev/null
out=$("$DB" --db "$newer" runs 2>&1); rc=$?
is "$rc" 1 "a newer schema: refused"
like "$out" "history schema 99 is newer than this program's \\([0-9]+\\)" "saying so"
if [ "$STORE" = sqlite ]; then
	printf 'x' > "$T/notes.txt"
	out=$("$DB" --db "$T/notes.txt" runs 2>&1); rc=$?
	is "$rc" 1 "a file that is not SQLite: exit 1"
	like "$out" "notes.txt: not an SQLite file" "naming it"
	is "$(cat "$T/notes.txt")" x "and leaving it as it was"
else
	out=$("$DB" --db "postgresql:///nosuchdb?host=$T/pg&user=postgres" runs 2>&1); rc=$?
	is "$rc" 1 "a database that is not there: exit 1"
	like "$out" "postgresql:///nosuchdb.*cannot connect: .*nosuchdb" "naming it, with the server's reason"
fi
# machines of a fleet opening one new store at once: the migration is
# taken by one, the others wait and find it done
fleet=$(newdb fleet)
for i in 1 2 3 4; do "$DB" --db "$fleet" runs > "$T/m$i" 2>&1 & pids[$i]=$!; done
rcs=
for i in 1 2 3 4; do wait "${pids[$i]}"; rcs+=$?; done
is "$rcs" 0000 "four first opens at once: all fine"
[ "$rcs" = 0000 ] || sed 's/^/#   /' "$T"/m[1-4]
is "$(sql "$fleet" "SELECT version FROM schema_version")" 2 "one schema"
is "$(sql "$fleet" "SELECT count(*) FROM schema_version")" 1 "written once"
"$DB" --db "$H" bogus >/dev/null 2>&1
is "$?" 2 "an unknown command: usage error"
done_testing
