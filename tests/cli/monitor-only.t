# MMTests's "monitor" pseudo-benchmark: the monitors record while a command
# runs, for a set time, or until the test's pid file is killed (a normal
# end, unlike Ctrl-C); a failing command fails the test.
. "$(dirname "$0")/../lib.sh"
mon='export RUN_MONITOR=yes MONITORS_GZIP=proc-vmstat MONITORS_WITH_LATENCY=vmstat MONITOR_UPDATE_FREQUENCY=1'
c=$(write_config config-mcmd 'export MMTESTS=monitor' "$mon" 'export MONITOR_CMD="sleep 1; echo ran-it"')
"$RUN" -c "$c" mcmd >/dev/null 2>&1
is $? 0 "MONITOR_CMD: the run succeeds"
R=$MMTESTS_WORK/log/mcmd/iter-0
is "$(cat "$R/monitor/logs/monitor-cmd.log")" ran-it "the command ran, its output kept"
like "$(cut -f5 "$R/monitor/parse-results.tsv")" '^[1-9][0-9.]*$' "elapsed seconds recorded"
ok "$(gzip -t "$R/vmstat-monitor.gz"; echo $?)" "vmstat recorded, a valid gzip file"
ok "$(zcat "$R/vmstat-monitor.gz" | grep -q '^ *[0-9]'; echo $?)" "with samples"

# Until stopped: kill `cat /tmp/mmtests-monitor.pid` ends the test as done.
rm -f /tmp/mmtests-monitor.pid
c=$(write_config config-mkill 'export MMTESTS=monitor' "$mon")
"$RUN" -c "$c" mkill >/dev/null 2>&1 &
run=$!
for i in $(seq 300); do [ -s /tmp/mmtests-monitor.pid ] && break; sleep 0.1; done
ok "$(test -s /tmp/mmtests-monitor.pid; echo $?)" "the pid file is written, as MMTests's"
sleep 1
kill "$(cat /tmp/mmtests-monitor.pid)"
wait "$run"
is $? 0 "killing it ends the run normally"
is "$(jq -r '.results[0].tests[0].status' "$MMTESTS_WORK/log/mkill/run.json")" done "the test is done, not interrupted"
ok "$(test ! -e /tmp/mmtests-monitor.pid; echo $?)" "the pid file is removed"

# A command that fails fails the test, saying how.
c=$(write_config config-mfail 'export MMTESTS=monitor' 'export MONITOR_CMD="echo broken >&2; exit 3"')
out=$("$RUN" -c "$c" mfail 2>&1)
is $? 1 "a failing MONITOR_CMD fails the run"
like "$(cat "$MMTESTS_WORK/log/mfail/iter-0/monitor/bench.log")" "MONITOR_CMD exited 3: broken" "naming its status and output"
done_testing
