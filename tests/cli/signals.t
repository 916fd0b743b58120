# Every Ctrl-C and SIGTERM is honoured, wherever it lands: during config
# loading, installs, a benchmark, parse-results, between tests. Each point
# is reached by a marker file the step writes, not by a guessed time: the
# outcome (exit 130, run.json interrupted when it exists, every gzip file
# readable) is asserted, never how long it took.
. "$(dirname "$0")/../lib.sh"
make_home
mk() { mkdir -p "$MMTESTS_WORK"; }
# wait_for_file FILE: up to 60 s (a loaded machine), then go on regardless
wait_for_file() { for i in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }
# what the stopped steps sleep, unique to this test: another program's
# "sleep 300" on the machine is not taken for what a step left behind
export NAP=300.$$
add_shellpack quick 'echo 3 > "$LOGDIR_RESULTS/sample-1"'
add_shellpack quick2 'echo 4 > "$LOGDIR_RESULTS/sample-1"'
# a bench that signals it is running and then waits
add_shellpack waitbench 'touch "$MMTESTS_WORK/in-bench"; sleep $NAP & wait'
# parse-results that signals and then hangs
add_shellpack waitparse 'echo 1 > "$LOGDIR_RESULTS/sample-1"'
cat > "$MMTESTS_HOME/shellpacks/waitparse/parse-results" <<'SCRIPT'
#!/bin/bash
touch "$MMTESTS_WORK/in-parse"
sleep $NAP & wait
SCRIPT
chmod +x "$MMTESTS_HOME/shellpacks/waitparse/parse-results"
# a config that takes a while to load (and tells us it is loading)
slowcfg=$(write_config config-slow 'touch "$MMTESTS_WORK/in-config"; sleep $NAP & wait $!' 'export MMTESTS="quick"')
bgcfg=$(write_config config-bg 'sleep $NAP >/dev/null 2>&1 &' 'export MMTESTS="quick"')
mk

# A config that leaves a background process behind loads all the same.
out=$(timeout 120 "$RUN" -c "$bgcfg" --directory "$T/log" bg 2>&1); rc=$?
is "$rc" 0 "a config's background process does not hold the loading (exit $rc)"
ok "$(pgrep -f "sleep $NAP" >/dev/null; echo $((! $?)))" "and does not outlive it"

run_and_signal() {	# NAME SIG MARKER CONFIG -> rc in $rc
	local name=$1 sig=$2 marker=$3 cfg=$4
	rm -f "$MMTESTS_WORK"/in-*
	"$RUN" -c "$cfg" --directory "$T/log" "$name" > "$T/out-$name" 2>&1 &
	local pid=$!
	wait_for_file "$MMTESTS_WORK/$marker"
	kill -"$sig" $pid
	timeout 120 tail --pid=$pid -f /dev/null
	wait $pid
	rc=$?
	[ "$rc" = 130 ] || sed 's/^/# /' "$T/out-$name"	# why, when it was not an interrupt
}

for sig in INT TERM; do
	run_and_signal "cfg-$sig" $sig in-config "$slowcfg"
	is "$rc" 130 "SIG$sig while the config loads: exit 130"
	ok "$(test ! -e "$T/log/cfg-$sig/run.json"; echo $?)" "SIG$sig while the config loads: nothing recorded"

	c=$(write_config "config-b-$sig" 'export MMTESTS="quick waitbench quick2"' 'export RUN_MONITOR=yes MONITORS_GZIP="proc-meminfo" MONITOR_UPDATE_FREQUENCY=0.2')
	run_and_signal "bench-$sig" $sig in-bench "$c"
	is "$rc" 130 "SIG$sig in a benchmark: exit 130"
	is "$(json "$T/log/bench-$sig/run.json" '.status + " " + ([.results[0].tests[].status] | join(","))')" \
		"interrupted done,interrupted,pending" "SIG$sig in a benchmark: recorded, the next test not started"
	gz=$(ls "$T/log/bench-$sig"/iter-0/*.gz 2>/dev/null)
	ok "$( [ -n "$gz" ] && for f in $gz; do gzip -t "$f" || exit 1; done; echo $?)" \
		"SIG$sig in a benchmark: every gzip file readable (monitors and system information)"

	c=$(write_config "config-p-$sig" 'export MMTESTS="waitparse quick"')
	run_and_signal "parse-$sig" $sig in-parse "$c"
	is "$rc" 130 "SIG$sig in parse-results: exit 130"
	is "$(json "$T/log/parse-$sig/run.json" '.status + " " + ([.results[0].tests[].status] | join(","))')" \
		"interrupted interrupted,pending" "SIG$sig in parse-results: interrupted, not parse-failed"
done
# MMTESTS_TEST_TIMEOUT: a test that runs past it is stopped and recorded
# as timed-out; the run goes on with the next test.
c=$(write_config config-to 'export MMTESTS="waitbench quick"' 'export MMTESTS_TEST_TIMEOUT=1')
out=$(timeout 120 "$RUN" -c "$c" --directory "$T/log" to 2>&1); rc=$?
is "$rc" 1 "a test past MMTESTS_TEST_TIMEOUT fails the run (exit 1)"
is "$(json "$T/log/to/run.json" '[.results[0].tests[].status] | join(",")')" "timed-out,done" \
	"it is recorded as timed-out and the next test ran"
like "$out" "ran past its timeout \(1 s, MMTESTS_TEST_TIMEOUT\)" "and the message says so"
# A shellpack's own timeout applies when the config sets none.
add_shellpack waitbench2 'sleep $NAP & wait'
echo 'timeout = "$((NUMCPUS * 0 + 1))"' >> "$MMTESTS_HOME/shellpacks/waitbench2/shellpack.conf"
c=$(write_config config-to2 'export MMTESTS="waitbench2 quick"')
out=$(timeout 120 "$RUN" -c "$c" --directory "$T/log" to2 2>&1); rc=$?
is "$rc:$(json "$T/log/to2/run.json" '[.results[0].tests[].status] | join(",")')" "1:timed-out,done" \
	"a bench past its shellpack.conf timeout is stopped, recorded timed-out; the next test ran"
like "$out" "ran past its timeout \(1 s, its shellpack.conf's timeout\)" "naming where the limit came from"
# parse-results and install are bounded too.
c=$(write_config config-pto 'export MMTESTS="waitparse quick"' 'export MMTESTS_PARSE_TIMEOUT=1')
out=$(timeout 120 "$RUN" -c "$c" --directory "$T/log" pto 2>&1); rc=$?
is "$rc:$(json "$T/log/pto/run.json" '[.results[0].tests[].status] | join(",")')" "1:timed-out,done" \
	"a parse-results past MMTESTS_PARSE_TIMEOUT is stopped, its test timed-out; the next test ran"
like "$out" "parse-results .* ran past 1 s" "and the message names parse-results"
add_shellpack waitinstall 'echo 1 > "$LOGDIR_RESULTS/sample-1"' '' 'sleep $NAP & wait'
c=$(write_config config-ito 'export MMTESTS="waitinstall"' 'export MMTESTS_INSTALL_TIMEOUT=1')
out=$(timeout 120 "$RUN" -c "$c" --directory "$T/log" ito 2>&1); rc=$?
is "$rc:$(json "$T/log/ito/run.json" .status)" "1:failed" "an install past MMTESTS_INSTALL_TIMEOUT stops the run: exit 1, failed"
like "$out" "installing waitinstall ran past MMTESTS_INSTALL_TIMEOUT \(1 s\)" "saying so"
for p in $(pgrep -f "sleep $NAP"); do ps -o pid,ppid,pgid,sid,lstart,args -p $p | tail -1 | sed "s/^/# /"; done
ok "$(pgrep -f "sleep $NAP" >/dev/null; echo $((! $?)))" "nothing of the stopped steps is left running"
c=$(write_config config-tobad 'export MMTESTS="quick"' 'export MMTESTS_TEST_TIMEOUT=nan')
out=$("$RUN" -c "$c" --directory "$T/log" tobad 2>&1); rc=$?
is "$rc" 2 "MMTESTS_TEST_TIMEOUT=nan is refused"
like "$out" "MMTESTS_TEST_TIMEOUT='nan'" "naming the variable and value"

# The end hook is clean-up: it still runs after an interrupt.
c=$(write_config config-hook 'export MMTESTS="waitbench"' 'export MONITOR_HOOKS="mine"' \
	'mine_monitor-end() { sleep 0.5; touch "$MMTESTS_WORK/end-ran"; }')
rm -f "$MMTESTS_WORK/end-ran"
run_and_signal hook INT in-bench "$c"
is "$rc" 130 "SIGINT with a MONITOR_HOOKS end hook: exit 130"
ok "$(test -e "$MMTESTS_WORK/end-ran"; echo $?)" "the end hook ran to its end after the interrupt"
pkill -f "sleep $NAP" 2>/dev/null
done_testing
