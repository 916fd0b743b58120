# mmtests-db: the results history in SQLite -- ingest (idempotent, all or
# nothing), runs, series, and change points where the history has a step.
. "$(dirname "$0")/../lib.sh"
DB=$BUILD/bin/mmtests-db
[ -x "$DB" ] || { echo "1..0 # SKIP mmtests-db not built (no libsqlite3-dev)"; exit 0; }
make_home
add_shellpack thr 'true'
L=$T/log
H=$T/h.sqlite
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
sqlite3 "$T/other.db" 'CREATE TABLE t (x)' 2>/dev/null || python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE t (x)"); c.commit()' "$T/other.db"
out=$("$DB" --db "$T/other.db" runs 2>&1); rc=$?
is "$rc" 1 "an SQLite file of something else: exit 1"
like "$out" "other.db: an SQLite file, but not a results history" "naming it"
cp "$H" "$T/newer.sqlite"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE schema_version SET version = 99"); c.commit()' "$T/newer.sqlite"
out=$("$DB" --db "$T/newer.sqlite" runs 2>&1); rc=$?
is "$rc" 1 "a newer schema: refused"
like "$out" "history schema 99 is newer than this program's \\(1\\)" "saying so"
printf 'x' > "$T/notes.txt"
out=$("$DB" --db "$T/notes.txt" runs 2>&1); rc=$?
is "$rc" 1 "a file that is not SQLite: exit 1"
like "$out" "notes.txt: not an SQLite file" "naming it"
is "$(cat "$T/notes.txt")" x "and leaving it as it was"
"$DB" --db "$H" bogus >/dev/null 2>&1
is "$?" 2 "an unknown command: usage error"
done_testing
