# tools/nightly: the CI job the README shows.
. "$(dirname "$0")/../lib.sh"
make_home
# A benchmark whose level the test sets through the environment.
add_shellpack level 'for i in $(seq 10); do echo "$((LEVEL + i % 3))" > "$LOGDIR_RESULTS/sample-$i"; done'
cfg=$(write_config config-level 'export MMTESTS="level"')
N=$SRC/tools/nightly
export MMTESTS_BIN=$BUILD/bin
L=$T/log

LEVEL=1000 "$N" -c "$cfg" -d "$L" > "$T/o1" 2>&1
is "$?" 0 "first night establishes the baseline"
first=$(cat "$L/nightly.last-good")
like "$(cat "$T/o1")" "is the first run" "and says so"
sleep 1
LEVEL=1000 "$N" -c "$cfg" -d "$L" -j "$T/j.xml" > "$T/o2" 2>&1
is "$?" 0 "an unchanged night passes"
second=$(cat "$L/nightly.last-good")
ok $([ "$second" != "$first" ]; echo $?) "and becomes the new baseline"
like "$(cat "$T/j.xml")" 'failures="0"' "JUnit written"
sleep 1
LEVEL=800 "$N" -c "$cfg" -d "$L" -t 5 > "$T/o3" 2>&1
is "$?" 3 "a 20% drop fails with exit 3"
like "$(cat "$T/o3")" '^REGRESSION level ops' "the regression is printed"
is "$(cat "$L/nightly.last-good")" "$second" "a failing night does not move the baseline"
done_testing
