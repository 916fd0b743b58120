# tools/nightly: the CI job the README shows -- run, add to the history,
# change points over it, and the newest run against a baseline.
. "$(dirname "$0")/../lib.sh"
[ -x "$BUILD/bin/mmtests-db" ] || { echo "1..0 # SKIP mmtests-db not built (no libsqlite3-dev)"; exit 0; }
make_home
# A benchmark whose level the test sets through the environment, with a
# little noise from night to night.
add_shellpack level 'for i in $(seq 10); do echo "$((LEVEL + NIGHT % 3 + i % 5))" > "$LOGDIR_RESULTS/sample-$i"; done'
cfg=$(write_config config-level 'export MMTESTS="level"')
N=$SRC/tools/nightly
export MMTESTS_BIN=$BUILD/bin
L=$T/work/log
H=$T/history.sqlite
night() {	# night N LEVEL [ARGS]: one night; its output in $T/oN
	local n=$1 level=$2
	shift 2
	sleep 1	# (run names carry the second)
	NIGHT=$n LEVEL=$level "$N" -c "$cfg" -d "$L" -H "$H" -j "$T/j$n.xml" "$@" > "$T/o$n" 2>&1
}

night 1 1000
is "$?" 0 "the first night passes"
like "$(cat "$T/o1")" "is the first run: it is the baseline now" "and says it is the baseline"
first=$(cat "$L/nightly.last-good")
like "$(tr -d '\n' < "$T/j1.xml")" '<testcase classname="level" name="ops"> *<system-out>' "JUnit on the first night too, a testcase named benchmark/metric"
is "$("$BUILD/bin/mmtests-db" --db "$H" runs | wc -l)" 1 "the run is in the history, outside the log directory"
for n in 2 3 4 5 6; do night $n 1000 || break; done
is "$?" 0 "unchanged nights pass"
second=$(cat "$L/nightly.last-good")
ok $([ "$second" != "$first" ]; echo $?) "and each becomes the baseline"
night 7 800
is "$?" 3 "a 20% drop fails with exit 3"
like "$(cat "$T/o7")" '^  from run nightly-[0-9-]+ \(#7\): 100[0-9.]+ -> 80[0-9.]+, -(19|20)\.[0-9]+% .*: regression, new$' "a change point where it starts"
like "$(cat "$T/o7")" '^REGRESSION level ops: 1 new regression change point$' "the change-point gate's line"
like "$(cat "$T/o7")" "^REGRESSION level ops: nightly-[0-9-]+ significantly worse than the baseline $second$" "and the baseline's"
like "$(tr -d '\n' < "$T/j7.xml")" '<testcase classname="level" name="ops"> *<failure message="1 new regression change point; a significant regression against the baseline"/>' "the same testcase, failed by both"
is "$(cat "$L/nightly.last-good")" "$second" "a failing night does not move the baseline"
night 8 800
is "$?" 3 "the next night at the new level still fails against the last good run"
like "$(cat "$T/o8")" ': regression, known, first found with run nightly-' "the change point is known now, with the night it was found"
unlike "$(cat "$T/o8")" 'change point$' "and fails the gate no more"

# a slow creep, each night within the 5% limit of the night before: the
# rolling baseline follows it; a fixed one and the history do not
H=$T/creep.sqlite L=$T/creep/log
night 11 1000 -b none >/dev/null 2>&1	# (no such run: compared with the history only)
like "$(cat "$T/o11")" "the baseline none cannot be read" "a baseline that is not there: said"
rm -f "$L/nightly.last-good"
level=1000
failed=0
for n in $(seq 12 20); do night $n 1000 || failed=$((failed + 1)); done
is "$failed" 0 "steady nights pass"
base=$(cat "$L/nightly.last-good")
history=0
for n in $(seq 21 32); do
	level=$((level * 97 / 100))
	night $n $level -r 1
	rc=$?
	[ $rc = 3 ] && grep -q 'new regression change point' "$T/o$n" && history=$((history + 1))
done
ok $([ "$history" -ge 1 ]; echo $?) "the history's change points catch a 3% a night creep ($history of 12 nights failed)"
rolling=$(cat "$L/nightly.last-good")
night 40 "$level" -b "$base"
is "$?" 3 "a fixed baseline catches it too"
like "$(cat "$T/o40")" "significantly worse than the baseline $base" "naming the baseline"
night 41 "$level" -b "$(ls "$L" | grep '^nightly-' | tail -2 | head -1)"
is "$?" 0 "a fixed baseline at the same level passes"
is "$(cat "$L/nightly.last-good")" "$rolling" "a fixed baseline leaves the rolling one where it was"
"$N" -x >/dev/null 2>&1
is "$?" 2 "an unknown option: usage error"
done_testing
