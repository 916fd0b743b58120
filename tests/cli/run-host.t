# run-mmtests on this host with real benchmarks: the results tree.
. "$(dirname "$0")/../lib.sh"

cfg=$(write_config config-tiny \
	'export MMTESTS="stream hackbench-process-pipes hackbench-thread-sockets"' \
	'export MMTEST_ITERATIONS=2' \
	'export STREAM_SIZE=$((1048576 * 3))' \
	'export STREAM_ITERATIONS=2' \
	'export HACKBENCH_GROUPS=1,2' \
	'export HACKBENCH_ITERATIONS=2' \
	'export HACKBENCH_LOOPS=50')
out=$("$RUN" -c "$cfg" --directory "$T/log" tiny 2>&1)
ok $? "run-mmtests exits 0"
R=$T/log/tiny
for i in 0 1; do
	ts=$R/iter-$i/tests-timestamp
	ok "$(test -s "$ts"; echo $?)" "iter-$i/tests-timestamp exists"
	like "$(head -1 "$ts")" '^start :: [0-9]+$' "iter-$i starts with start ::"
	like "$(tail -1 "$ts")" '^finish :: [0-9]+$' "iter-$i ends with finish ::"
	like "$(cat "$ts")" '^test begin :: stream [0-9]+$' "test begin line"
	like "$(cat "$ts")" '^test end :: hackbench-thread-sockets [0-9]+$' "test end line"
	like "$(cat "$ts")" '^time :: hackbench-process-pipes [0-9]+\.[0-9]{2} user [0-9]+\.[0-9]{2} system [0-9]+\.[0-9]{2} elapsed$' "time :: line in /usr/bin/time format"
	for f in dmesg kernel-version cmdline os-release lscpu cpuinfo meminfo cpufreq-governor; do
		gzip -t "$R/iter-$i/$f.gz" 2>/dev/null
		ok $? "iter-$i/$f.gz is valid gzip"
	done
done
like "$(zcat "$R/iter-0/os-release.gz")" '^ID=' "os-release content"
like "$(zcat "$R/iter-0/kernel-version.gz")" "$(uname -r)" "kernel version content"
[ ! -e /proc/config.gz ] || { gzip -t "$R/iter-0/kconfig.gz"; ok $? "kernel config captured"; }
# What MMTests's own readers need: tests-sysstate.gz (its vmstat monitor
# takes MemTotal from it) and cpu-topology-mmtests.txt.gz (its mpstat).
ss=$(zcat "$R/iter-1/tests-sysstate.gz")
like "$(head -1 <<< "$ss")" '^start :: [0-9]+$' "tests-sysstate starts as MMTests's does"
is "$(grep -Ec '^test (begin|end) :: (stream|hackbench-process-pipes|hackbench-thread-sockets) ' <<< "$ss")" 6 "a begin and an end line per test"
is "$(grep -c '^file start :: /proc/meminfo$' <<< "$ss")" 3 "/proc files before each test"
like "$ss" '^MemTotal: +[0-9]+ kB$' "with MemTotal in them"
like "$ss" '^test end :: hackbench-thread-sockets [0-9]+ 0$' "the end line carries the exit code"
topo=$(zcat "$R/iter-0/cpu-topology-mmtests.txt.gz")
is "$(grep -Ec '^node [0-9]+ socket [0-9]+ core [0-9]+ thread [0-9]+ cpu [0-9]+ llc [0-9,-]+$' <<< "$topo")" "$(nproc --all)" "cpu-topology: a line per CPU in MMTests's format"

# Raw logs as MMTests writes them.
ok "$(ls "$R"/iter-0/stream/logs/benchlog-1-_-1 "$R"/iter-0/stream/logs/benchlog-1-_-2 >/dev/null; echo $?)" "stream benchlog-<threads>-_-<sample>"
is "$(grep -Ec '^(Copy|Scale|Add|Triad): +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$' "$R/iter-0/stream/logs/benchlog-1-_-1")" 4 "STREAM report lines"
is "$(grep -Ec '^Total time: [0-9.]+ \[sec\]$' "$R/iter-1/hackbench-thread-sockets/logs/hackbench-2")" 2 "hackbench Total time lines, one per sample"
like "$(cat "$R/iter-0/hackbench-thread-sockets/bench.log")" 'threads|thread' "thread variant ran as threads"

# TSV caches: the parse-results output, stored.
is "$(wc -l < "$R/iter-0/stream/parse-results.tsv")" 8 "stream cache: 4 ops x 2 samples"
is "$(awk -F'\t' 'NF != 6' "$R/iter-0/stream/parse-results.tsv" | wc -l)" 0 "every cache line has 6 fields"
is "$(cut -f1,2 "$R/iter-1/hackbench-process-pipes/parse-results.tsv" | sort -u | tr '\n' ' ')" "time	1 time	2 " "hackbench cache factors are the groups"

# run.json
is "$(json "$R/run.json" .status)" finished "run.json status finished"
is "$(json "$R/run.json" '[.results[].tests[].status] | unique | join(",")')" done "every test done"
is "$(json "$R/run.json" .iterations)" 2 "iterations recorded"
is "$(json "$R/run.json" '[.results[].status] | join(",")')" "done,done" "every iteration done"
is "$(json "$R/run.json" '.results[0].tests[1].shellpack_version')" "rt-tests" "shellpack version recorded"
is "$(json "$R/run.json" .config.HACKBENCH_LOOPS)" 50 "config variables recorded"
is "$(json "$R/run.json" '.host.kernel')" "$(uname -r)" "host kernel recorded"
like "$(json "$R/run.json" '.results[0].tests[0].elapsed')" '^[0-9.e-]+$' "elapsed recorded"
like "$out" "compare it: compare-mmtests -d $T/log --names tiny" "says how to compare the run"
cmpout=$("$BUILD/bin/compare-mmtests" -d "$T/log" -n tiny -b stream 2>/dev/null)
like "$cmpout" '^Hmean +Copy-1 +[0-9.]+ \(   0\.00%\)$' "compare reads the tree run-mmtests wrote"

# Default location: MMTESTS_WORK/log/RUNNAME
"$RUN" -c "$cfg" default-dir >/dev/null 2>&1
ok $? "run without --directory"
ok "$(test -f "$MMTESTS_WORK/log/default-dir/run.json"; echo $?)" "results under work/log/RUNNAME"

# --build-only installs and runs nothing.
"$RUN" -b -c "$cfg" --directory "$T/log" built >/dev/null 2>&1
ok $? "--build-only exits 0"
is "$(json "$T/log/built/run.json" .status)" built "--build-only: status built"
ok "$(test ! -e "$T/log/built/iter-0"; echo $?)" "--build-only: no iterations ran"
ok "$(test -x "$MMTESTS_WORK/sources/stream-installed/bin/stream"; echo $?)" "stream installed from our build"

# Every shipped config loads and its benchmarks install.
# (A config whose benchmark cannot be installed here -- netperf is not
# packaged -- must still load: install fails, exit 1, not a config error.)
list=$("$RUN" --list)
for c in "$SRC"/configs/config-*; do
	"$RUN" -b -c "$c" --directory "$T/log" "cfg-${c##*/}" >/dev/null 2>&1
	rc=$?
	if grep -q "^  no  *${c##*/} " <<< "$list"; then
		is "$rc" 1 "${c##*/} loads; its benchmark cannot be installed here, as --list says"
		continue
	fi
	ok $rc "${c##*/} loads and installs (--build-only)"
done

# --performance on a machine without cpufreq says so and goes on.
if ! ls /sys/devices/system/cpu/cpu0/cpufreq >/dev/null 2>&1; then
	out=$("$RUN" -p -c "$cfg" --directory "$T/log" perf 2>&1)
	ok $? "--performance without cpufreq still runs"
	like "$out" 'no cpufreq' "and says there is no cpufreq"
fi
done_testing
