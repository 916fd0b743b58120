# Ctrl-C / SIGTERM: the benchmark's process group stops, files stay valid,
# run.json says interrupted; --resume continues where it stopped.
. "$(dirname "$0")/../lib.sh"
make_home
add_shellpack quick 'echo 3 > "$LOGDIR_RESULTS/sample-1"'
add_shellpack quick2 'echo 4 > "$LOGDIR_RESULTS/sample-1"'
# Sleeps until a flag file exists; leaves a grandchild to check the group stop.
add_shellpack slow 'sleep 300 & echo $! > "$LOGDIR_RESULTS/child.pid"
while [ ! -e "$MMTESTS_WORK/go" ]; do sleep 0.05; done
kill %1; echo 9 > "$LOGDIR_RESULTS/sample-1"'
cfg=$(write_config config-ir 'export MMTESTS="quick slow quick2"' 'export MMTEST_ITERATIONS=2' \
	'export RUN_MONITOR=yes MONITORS_GZIP="proc-meminfo" MONITOR_UPDATE_FREQUENCY=0.2')
mkdir -p "$MMTESTS_WORK"

for sig in INT TERM; do
	R=$T/log/r-$sig
	"$RUN" -c "$cfg" --directory "$T/log" "r-$sig" > "$T/out-$sig" 2>&1 &
	pid=$!
	for i in $(seq 100); do [ -s "$R/iter-0/slow/logs/child.pid" ] && break; sleep 0.05; done
	child=$(cat "$R/iter-0/slow/logs/child.pid" 2>/dev/null)
	t0=$(date +%s%N)
	kill -$sig $pid
	wait $pid
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	is "$rc" 130 "SIG$sig: exit status 130"
	# (an outcome: the signal ended it, the benchmark would have run 300 s)
	ok $((ms > 120000)) "SIG$sig: the signal stopped the run, not the benchmark's end (${ms} ms)"
	st=$(ps -o stat= -p "$child" 2>/dev/null)
	ok "$(case "$st" in ""|Z*) echo 0;; *) echo 1;; esac)" "SIG$sig: the benchmark's child process is gone too (${st:-reaped})"
	is "$(json "$R/run.json" .status)" interrupted "SIG$sig: run.json says interrupted"
	is "$(json "$R/run.json" '.results[0].tests | map(.status) | join(",")')" "done,interrupted,pending" "SIG$sig: per-test states"
	is "$(json "$R/run.json" '[.results[].status] | join(",")')" "interrupted,pending" "SIG$sig: per-iteration states"
	for f in "$R"/iter-0/*.gz; do gzip -t "$f" || break; done
	ok $? "SIG$sig: every gzip file is valid"
	like "$(cat "$T/out-$sig")" "interrupted: .* continue with --resume" "SIG$sig: says how to continue"
done

# Resume: the finished test is kept, the interrupted one redone, the rest run.
R=$T/log/r-INT
before=$(stat -c %Y.%i "$R/iter-0/quick/parse-results.tsv")
touch "$MMTESTS_WORK/go"
out=$("$RUN" --resume -c "$cfg" --directory "$T/log" r-INT 2>&1)
ok $? "--resume finishes the run"
is "$(json "$R/run.json" .status)" finished "run.json says finished"
is "$(json "$R/run.json" '[.results[].tests[].status] | unique | join(",")')" done "every test done"
is "$(stat -c %Y.%i "$R/iter-0/quick/parse-results.tsv")" "$before" "the finished test was not rerun"
is "$(grep -c '^iteration 1/2: quick$' <<< "${out//run-mmtests: /}")" 0 "resume did not restart iteration 1's first test"
ok "$(ls -d "$R"/iter-0/.incomplete/slow.1 >/dev/null; echo $?)" "the unfinished attempt is kept aside"
ok "$(gzip -t "$R/iter-0/.incomplete/slow.1/proc-meminfo-slow.gz" && test -f "$R/iter-0/.incomplete/slow.1/proc-meminfo-slow.start"; echo $?)" \
	"its monitor file went aside with it, valid, not truncated by the next attempt"
ok "$(zgrep -q MemTotal "$R/iter-0/.incomplete/slow.1/proc-meminfo-slow.gz" && gzip -t "$R/iter-0/proc-meminfo-slow.gz"; echo $?)" \
	"the kept one holds its samples, and the new attempt recorded its own"
is "$(cut -f5 "$R/iter-0/slow/parse-results.tsv")" 9 "the interrupted test was redone"
is "$(grep -c '^test begin :: slow' "$R/iter-0/tests-timestamp")" 2 "tests-timestamp records both attempts"
is "$(grep -c '^start ::' "$R/iter-0/tests-timestamp")" 1 "iteration started once"
ok "$(json "$R/run.json" .resumed.epoch >/dev/null; echo $?)" "resume recorded in run.json"

# The same benchmark twice would overwrite its own results.
dcfg=$(write_config config-dup 'export MMTESTS="quick slow quick"')
out=$("$RUN" -c "$dcfg" --directory "$T/log" dup 2>&1); rc=$?
ok $((rc == 0)) "a benchmark listed twice in MMTESTS is refused"
like "$out" "'quick' is listed twice in MMTESTS" "names the benchmark"

# Resume with a config whose MMTESTS changed is refused.
cfg2=$(write_config config-ir2 'export MMTESTS="quick"')
out=$("$RUN" --resume -c "$cfg2" --directory "$T/log" r-TERM 2>&1); rc=$?
ok $((rc == 0)) "--resume with a different MMTESTS refused"
like "$out" "MMTESTS differs" "says why"

# --performance with a fake sysfs: set for the run, restored on every exit.
fake=$T/fakesys
mkdir -p "$fake/sys/devices/system/cpu/cpu0/cpufreq" "$fake/sys/devices/system/cpu/cpu1/cpufreq" "$fake/sys/devices/system/cpu/cpufreq"
echo schedutil > "$fake/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"
echo powersave > "$fake/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor"
echo 1 > "$fake/sys/devices/system/cpu/cpufreq/boost"
add_shellpack govcheck 'for f in "$MMTESTS_SYSFS_ROOT"/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor "$MMTESTS_SYSFS_ROOT"/sys/devices/system/cpu/cpufreq/boost; do printf "%s " "$(cat $f)"; done > "$LOGDIR_RESULTS/seen"; echo 1 > "$LOGDIR_RESULTS/sample-1"; [ -z "$FAIL" ]'
gcfg=$(write_config config-gov 'export MMTESTS="govcheck"')
govs() { for f in "$fake"/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor "$fake/sys/devices/system/cpu/cpufreq/boost"; do printf "%s " "$(cat "$f")"; done; }
MMTESTS_SYSFS_ROOT=$fake "$RUN" -p -c "$gcfg" --directory "$T/log" gov1 >/dev/null 2>&1
ok $? "--performance run"
is "$(cat "$T/log/gov1/iter-0/govcheck/logs/seen")" "performance performance 0 " "benchmark ran with performance governor, boost off"
is "$(govs)" "schedutil powersave 1 " "restored after a normal run"
FAIL=1 MMTESTS_SYSFS_ROOT=$fake "$RUN" -p -c "$gcfg" --directory "$T/log" gov2 >/dev/null 2>&1
is "$(govs)" "schedutil powersave 1 " "restored after a failed benchmark"
add_shellpack govslow 'sleep 30'
scfg=$(write_config config-govslow 'export MMTESTS="govslow"')
MMTESTS_SYSFS_ROOT=$fake "$RUN" -p -c "$scfg" --directory "$T/log" gov3 >/dev/null 2>&1 &
pid=$!
for i in $(seq 100); do [ -e "$T/log/gov3/iter-0/govslow/bench.log" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid
is "$(govs)" "schedutil powersave 1 " "restored after an interrupt"
done_testing
