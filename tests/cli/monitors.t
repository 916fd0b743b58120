# Monitors around each test: modes, files, hooks, failures, reading back.
. "$(dirname "$0")/../lib.sh"
make_home
mkdir -p "$MMTESTS_HOME/monitors"
for f in "$SRC"/monitors/watch-*; do ln -s "$f" "$MMTESTS_HOME/monitors/"; done
L=$T/log
CMP=$BUILD/bin/compare-mmtests
add_shellpack sleepy 'sleep ${SLEEP:-1.2}; for i in 1 2 3 4; do echo $i > "$LOGDIR_RESULTS/sample-$i"; done'

cfg=$(write_config config-mon 'export MMTESTS="sleepy"' 'export MMTEST_ITERATIONS=2' \
	'export MONITORS_ALWAYS="proc-meminfo"' 'export MONITORS_GZIP="mpstat proc-vmstat top"' \
	'export MONITORS_WITH_LATENCY="vmstat"' 'export MONITOR_UPDATE_FREQUENCY=0.25')
"$RUN" -c "$cfg" --directory "$L" mon1 >"$T/out" 2>&1
ok $? "a run with monitors"
I=$L/mon1/iter-1
for m in mpstat proc-vmstat top vmstat; do
	gzip -t "$I/$m-sleepy.gz" 2>/dev/null
	ok $? "$m: iter-1/$m-sleepy.gz is valid gzip"
	like "$(cat "$I/$m-sleepy.start")" '^[0-9]{10}$' "$m: .start stamp holds the epoch"
done
ok "$(test -f "$I/proc-meminfo-sleepy" && ! test -e "$I/proc-meminfo-sleepy.gz"; echo $?)" "MONITORS_ALWAYS is not compressed"
like "$(head -2 "$I/proc-meminfo-sleepy")" '^time: [0-9]+$' "proc-* files: time: lines"
n=$(grep -c '^time:' "$I/proc-meminfo-sleepy")
# an outcome, not a timing: sampled more than once, and never more often
# than every 0.25 s allows over the test's recorded duration
tb=$(sed -n 's/^test begin :: sleepy //p' "$I/tests-timestamp"); te=$(sed -n 's/^test end :: sleepy //p' "$I/tests-timestamp")
ok "$(awk -v n="$n" -v b="$tb" -v e="$te" 'BEGIN {exit !(n >= 2 && n <= (e - b + 1) / 0.25 + 3)}'; echo $?)" \
	"sampled periodically at 0.25 s ($n samples in the test's $((te - tb)) s)"
v=$(zcat "$I/vmstat-sleepy.gz")
like "$(sed -n 2p <<< "$v")" '^ +[0-9]+\.[0-9]{4} +[0-9]+\.[0-9]{4} +[0-9]+\.[0-9]{4} --  r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st$' "MONITORS_WITH_LATENCY: epoch, offset, gap, then vmstat's header"
like "$(sed -n 4p <<< "$v")" '^ +[0-9.]+ +[0-9.]+ +0\.2[0-9]{3} -- +[0-9]+ +[0-9]+ ' "vmstat lines 0.25 s apart"
like "$(zcat "$I/mpstat-sleepy.gz" | sed -n 5p)" '^[0-9:]{8} +CPU +%usr +%nice +%sys %iowait +%irq +%soft +%steal +%guest +%gnice +%idle$' "mpstat header as sysstat prints it"
like "$(zcat "$I/mpstat-sleepy.gz" | head -3 | tr '\n' '|')" '^time: [0-9]+\|Linux .*\(([0-9]+) CPU\)\|\|$' "opening as MMTests's watch-mpstat.sh writes it: time:, the banner, a blank line"
like "$(zcat "$I/top-sleepy.gz" | sed -n 2p)" '^top - [0-9:]{8} up .* load average: ' "top batch header"
like "$(zcat "$I/top-sleepy.gz")" 'sleep$' "top lists the benchmark's processes"
# The monitor started before and stopped after the test.
b=$(sed -n 's/^test begin :: sleepy //p' "$I/tests-timestamp")
e=$(sed -n 's/^test end :: sleepy //p' "$I/tests-timestamp")
s=$(cat "$I/vmstat-sleepy.start")
ok $((s > b)) "monitor started before the test began ($s <= $b)"
last=$(zcat "$I/vmstat-sleepy.gz" | tail -1 | awk '{printf "%d", $1}')
ok $((last + 1 < e)) "and sampled until it ended (last sample $last, end $e)"

# Reading them back.
"$RUN" -c "$cfg" --directory "$L" mon2 >/dev/null 2>&1
out=$("$CMP" -d "$L" -n mon1,mon2 --print-monitor vmstat 2>&1)
ok $? "compare --print-monitor vmstat"
like "$out" '^sleepy vmstat$' "headed by benchmark and monitor"
like "$out" '^Amean +us +[0-9.]+ \(' "mean of us"
like "$out" '^Max +free +[0-9.]+ \(' "max of free"
out=$("$CMP" -d "$L" -n mon1,mon2 --print-monitor mpstat --sub-heading all 2>&1)
like "$out" '^Amean +all-idle +[0-9.]+ ' "mpstat: per-CPU columns"
out=$("$CMP" -d "$L" -n mon1,mon2 --print-monitor proc-vmstat --sub-heading pgfault 2>&1)
like "$out" '^Amean +pgfault +[0-9.]+ ' "proc-vmstat: counter deltas"
"$BUILD/bin/graph-mmtests" -d "$L" -n mon1,mon2 --monitor vmstat --sub-heading 'us|sy' --output "$T/g" >/dev/null 2>&1
is "$(od -An -c -N4 "$T/g/sleepy-vmstat.png" | tr -d ' ')" '211PNG' "graph --monitor draws a monitor over time"

# -n turns monitoring off (but not MONITORS_ALWAYS); -m forces it on.
"$RUN" -n -c "$cfg" --directory "$L" off >/dev/null 2>&1
ok "$(test ! -e "$L/off/iter-0/vmstat-sleepy.gz" && test -f "$L/off/iter-0/proc-meminfo-sleepy"; echo $?)" "-n: only MONITORS_ALWAYS"
cfg2=$(write_config config-mon2 'export MMTESTS="sleepy"' 'export RUN_MONITOR=no' 'export MONITORS_GZIP="vmstat"' 'export MONITOR_UPDATE_FREQUENCY=1')
"$RUN" -c "$cfg2" --directory "$L" no >/dev/null 2>&1
ok "$(test ! -e "$L/no/iter-0/vmstat-sleepy.gz"; echo $?)" "RUN_MONITOR=no: none"
"$RUN" -m -c "$cfg2" --directory "$L" forced >/dev/null 2>&1
ok "$(test -f "$L/forced/iter-0/vmstat-sleepy.gz"; echo $?)" "-m overrides RUN_MONITOR=no"

# Script monitors: a user script, one that dies early, one that ignores TERM.
cat > "$MMTESTS_HOME/monitors/watch-ticker" <<'S'
#!/bin/bash
while :; do echo "tick $MONITOR_UPDATE_FREQUENCY"; sleep "$MONITOR_UPDATE_FREQUENCY"; done
S
cat > "$MMTESTS_HOME/monitors/watch-dies" <<'S'
#!/bin/bash
echo "cannot find the widget counter" >&2
exit 5
S
cat > "$MMTESTS_HOME/monitors/watch-stubborn" <<'S'
#!/bin/bash
trap '' TERM INT
while :; do echo alive; sleep 0.1; done
S
chmod +x "$MMTESTS_HOME"/monitors/watch-{ticker,dies,stubborn}
cfg3=$(write_config config-scripts 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="ticker dies stubborn vmstat"' 'export MONITOR_UPDATE_FREQUENCY=0.2')
t0=$(date +%s%N)
out=$("$RUN" -c "$cfg3" --directory "$L" scripts 2>&1); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$rc" 0 "a monitor dying does not fail the benchmark"
like "$out" 'monitor dies stopped early \(exit status 5\): cannot find the widget counter; the other monitors and the benchmark go on' "the early death is reported with its message"
like "$(zcat "$L/scripts/iter-0/ticker-sleepy.gz")" '^tick 0\.2$' "script output gzipped, MONITOR_UPDATE_FREQUENCY passed"
like "$(jq -r '.results[0].tests[0].monitor_problems[]' "$L/scripts/run.json")" 'monitor dies stopped early' "recorded in run.json"
echo "# the run with a monitor ignoring TERM and INT took ${ms} ms (it is killed after the grace)"
ok "$(pgrep -f "$MMTESTS_HOME/monitors/watch-stubborn" >/dev/null; echo $((! $?)))" "no monitor process left behind"

# perf missing or not permitted: a clear message, the others run.
cfg4=$(write_config config-perf 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="perf-time-stat vmstat"' 'export MONITOR_UPDATE_FREQUENCY=0.5')
mkdir -p "$T/noperf"
for f in /usr/bin/* /bin/*; do [ "${f##*/}" = perf ] || ln -sf "$f" "$T/noperf/" 2>/dev/null; done
out=$(PATH="$T/noperf:$BUILD/bin" "$RUN" -c "$cfg4" --directory "$L" noperf 2>&1); rc=$?
is "$rc" 0 "without perf the run still succeeds"
like "$out" 'monitor perf-time-stat stopped early .*perf is not installed' "and says perf is missing"
gzip -t "$L/noperf/iter-0/vmstat-sleepy.gz"
ok $? "the other monitors ran"

# perf-time-stat for real (software events work even in VMs), read back.
if perf stat -a -e context-switches true >/dev/null 2>&1; then
	cfgp=$(write_config config-perf2 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="perf-time-stat"' \
		'export MONITOR_UPDATE_FREQUENCY=0.3' 'export MONITOR_PERF_EVENTS=context-switches,cpu-migrations')
	"$RUN" -c "$cfgp" --directory "$L" perf1 >/dev/null 2>&1
	like "$(zcat "$L/perf1/iter-0/perf-time-stat-sleepy.gz")" 'context-switches' "perf-time-stat recorded perf stat output"
	out=$("$CMP" -d "$L" -n perf1 --print-monitor perf-time-stat 2>&1)
	like "$out" '^Amean +context-switches +[0-9.]+ ' "compare --print-monitor perf-time-stat: per-event means"
fi

# ftrace: without tracefs a clear message; with it, the events.
cfgt=$(write_config config-ftrace 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="ftrace"' \
	'export MONITOR_FTRACE_EVENTS="sched:sched_switch"' 'export MONITOR_UPDATE_FREQUENCY=1')
out=$("$RUN" -c "$cfgt" --directory "$L" ftrace 2>&1)
if [ -r /sys/kernel/tracing/trace_pipe ] || [ -r /sys/kernel/debug/tracing/trace_pipe ]; then
	like "$(zcat "$L/ftrace/iter-0/ftrace-sleepy.gz")" 'sched_switch' "ftrace recorded sched_switch events"
else
	like "$out" 'monitor ftrace stopped early .*tracefs is not mounted' "ftrace without tracefs says so"
fi

# Hooks.
cfg5=$(write_config config-hooks 'export MMTESTS="sleepy"' 'export MONITOR_HOOKS="mine"' \
	'mine_monitor-init() { echo init >> "$HOOKLOG"; export FROM_INIT=yes; }' \
	'mine_monitor-end() { echo end >> "$HOOKLOG"; }' \
	'mine_monitor-pre() { echo "pre $FROM_INIT $#" >> "$HOOKLOG"; }' \
	'mine_monitor-post() { echo "post $2" >> "$HOOKLOG"; }')
add_shellpack hooked '. "$SHELLPACK_INCLUDE/common.sh"; monitor_pre_hook "$LOGDIR_RESULTS" 7; echo 1 > "$LOGDIR_RESULTS/sample-1"; monitor_post_hook "$LOGDIR_RESULTS" 7'
sed -i 's/MMTESTS="sleepy"/MMTESTS="hooked"/' "$cfg5"
HOOKLOG=$T/hooks "$RUN" -c "$cfg5" --directory "$L" hooks >/dev/null 2>&1
is "$(tr '\n' ',' < "$T/hooks")" "init,pre yes 2,post 7,end," "init, pre/post around the subtest (with init's exports), end"

# Never lose data: a run killed with SIGKILL leaves gzip files readable up
# to the last sync flush; compare reads them and says they were cut.
cfgk=$(write_config config-kill 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="vmstat"' 'export MONITOR_UPDATE_FREQUENCY=0.2')
SLEEP=30.7 "$RUN" -c "$cfgk" --directory "$L" killed >/dev/null 2>&1 &
pid=$!
sleep 3.5
kill -9 $pid; wait $pid 2>/dev/null
sleep 0.3
n=$(zcat "$L/killed/iter-0/vmstat-sleepy.gz" 2>/dev/null | wc -l)
ok $((n < 8)) "SIGKILL: the gzip file holds the flushed samples ($n lines)"
out=$("$CMP" -d "$L" -n killed --print-monitor vmstat 2>&1)
like "$out" 'vmstat log of run killed end early \(killed run\?\): read up to the cut' "compare reads the truncated tail and says so"
like "$out" '^Amean +us ' "and prints what was recorded"
pkill -f 'sleep 30.7' 2>/dev/null

# Missed ticks: an interval shorter than a sample takes.
cfgm=$(write_config config-miss 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="top"' 'export MONITOR_UPDATE_FREQUENCY=0.0001')
out=$(SLEEP=0.5 "$RUN" -c "$cfgm" --directory "$L" missed 2>&1)
like "$out" 'monitors missed [0-9]+ of [0-9]+ samples \(a sample took longer than the 0\.0001 s interval\)' "missed ticks are counted and reported"

# A full disk stops the monitor, not the benchmark: the benchmark's own
# logs (written first here) stay, and run-mmtests ends normally.
if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=200k tmpfs "$T/full" 2>/dev/null; then
	add_shellpack writesfirst 'for i in 1 2 3; do echo $i > "$LOGDIR_RESULTS/sample-$i"; done; sleep 2'
	cfgf=$(write_config config-full 'export MMTESTS="writesfirst"' 'export MONITORS_PLAIN="top"' 'export MONITOR_UPDATE_FREQUENCY=0.05')
	out=$("$RUN" -c "$cfgf" --directory "$T/full" full 2>&1); rc=$?
	like "$out" 'monitor output .*top-writesfirst: stopped writing: No space left on device' "disk full: the monitor says so and stops"
	ok $((rc > 2)) "run-mmtests still ends normally (exit $rc)"
	is "$(cat "$T/full/full/iter-0/writesfirst/logs/sample-3")" 3 "the benchmark's logs are kept"
	umount "$T/full"
fi

# Bad input.
bad=$(write_config config-bad1 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="vmstat nosuchmon"')
out=$("$RUN" -c "$bad" --directory "$L" b1 2>&1); rc=$?
is "$rc" 0 "unknown monitor (MMTests's configs name iotop, proc-timer_list): the run goes on without it"
like "$out" "MONITORS_GZIP: unknown monitor 'nosuchmon' skipped; known: vmstat mpstat .* perf-time-stat" "a warning that lists the known ones"
gzip -t "$L/b1/iter-0/vmstat-sleepy.gz"
ok $? "the known monitor beside it still records"
for f in 0 -1 abc; do
	bad=$(write_config config-bad2 'export MMTESTS="sleepy"' 'export MONITORS_GZIP="vmstat"' "export MONITOR_UPDATE_FREQUENCY=$f")
	out=$("$RUN" -c "$bad" --directory "$L" b2 2>&1); rc=$?
	is "$rc" 2 "MONITOR_UPDATE_FREQUENCY=$f rejected"
	like "$out" "MONITOR_UPDATE_FREQUENCY='$f' is not a number of seconds > 0" "names the value"
done
done_testing
