# One run at a time: a run directory is locked for the life of its run
# (flock on RUN/.lock); a new RUNNAME is created atomically; --resume and
# --force refuse while another process holds the lock, naming it; the
# lock dies with its holder, even on SIGKILL.
. "$(dirname "$0")/../lib.sh"
make_home
# Waits for a flag file: the run stays alive as long as the test wants.
add_shellpack hold 'sleep 300 & echo $! > "$LOGDIR_RESULTS/child.pid"
echo $$ > "$LOGDIR_RESULTS/bench.pid"
while [ ! -e "$MMTESTS_WORK/go" ]; do sleep 0.05; done
kill %1; echo 1 > "$LOGDIR_RESULTS/sample-1"'
cfg=$(write_config config-lock 'export MMTESTS="hold"')
mkdir -p "$MMTESTS_WORK"
R=$T/log/locked

"$RUN" -c "$cfg" --directory "$T/log" locked > "$T/out1" 2>&1 &
pid=$!
for i in $(seq 200); do [ -d "$R/iter-0/hold" ] && break; sleep 0.05; done
is "$(head -1 "$R/.lock" 2>/dev/null)" "$pid" "the lock file names the running run-mmtests"
out=$("$RUN" -c "$cfg" --directory "$T/log" --resume locked 2>&1); rc=$?
is "$rc" 2 "--resume of a running run is refused"
like "$out" "in use by process $pid" "and says who holds it"
out=$("$RUN" -c "$cfg" --directory "$T/log" --force locked 2>&1); rc=$?
is "$rc" 2 "--force on a running run is refused"
ok "$(test -d "$R/iter-0/hold" && ! ls -d "$R".replaced-* >/dev/null 2>&1; echo $?)" "and the running tree was not moved"
out=$("$RUN" -c "$cfg" --directory "$T/log" locked 2>&1); rc=$?
is "$rc" 2 "a second run of the same new name is refused"
like "$out" "already exists" "as existing"
touch "$MMTESTS_WORK/go"
wait $pid
is "$?" 0 "the first run finished"
is "$(json "$R/run.json" .status)" finished "its run.json is its own"

# SIGKILL: no orphan keeps writing (the group's keeper stops it when
# run-mmtests dies), the lock dies with its holder, --resume takes over.
rm -f "$MMTESTS_WORK/go"
"$RUN" -c "$cfg" --directory "$T/log" killed > "$T/out2" 2>&1 &
pid=$!
K=$T/log/killed/iter-0/hold/logs
for i in $(seq 200); do [ -s "$K/child.pid" ] && [ -s "$K/bench.pid" ] && break; sleep 0.05; done
bench=$(cat "$K/bench.pid") child=$(cat "$K/child.pid")
kill -KILL $pid
wait $pid 2>/dev/null
ok "$(flock -n "$T/log/killed/.lock" true; echo $?)" "the run lock is free the moment run-mmtests dies (nothing it started holds it)"
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); case "$st" in ""|Z*) return 1;; esac; }
for i in $(seq 300); do alive "$bench" || alive "$child" || break; sleep 0.1; done
ok "$(alive "$bench"; echo $((! $?)))" "after SIGKILL of run-mmtests its benchmark is stopped too"
ok "$(alive "$child"; echo $((! $?)))" "and the benchmark's own children"
touch "$MMTESTS_WORK/go"
out=$("$RUN" -c "$cfg" --directory "$T/log" --resume killed 2>&1); rc=$?
is "$rc" 0 "after SIGKILL the lock is free: --resume runs"
is "$(json "$T/log/killed/run.json" .status)" finished "and finishes the run"

# --force takes an idle tree aside and starts afresh.
out=$("$RUN" -c "$cfg" --directory "$T/log" --force locked 2>&1); rc=$?
is "$rc" 0 "--force on an idle run works"
ok "$(ls -d "$T/log/locked".replaced-* >/dev/null 2>&1; echo $?)" "the old tree is kept aside"

out=$("$RUN" -c "$cfg" --directory '' empty 2>&1); rc=$?
is "$rc" 2 "--directory '' is refused"
like "$out" "directory ''" "naming the value"
ok "$(test ! -e /empty; echo $?)" "and nothing was written at /empty"
done_testing
