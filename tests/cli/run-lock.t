# One run at a time: a run directory is locked for the life of its run
# (flock on RUN/.lock); a new RUNNAME is created atomically; --resume and
# --force refuse while another process holds the lock, naming it; the
# lock dies with its holder, even on SIGKILL.
. "$(dirname "$0")/../lib.sh"
make_home
# Waits for a flag file: the run stays alive as long as the test wants.
# Besides a child it starts a daemon (its own session: outside the
# benchmark's process group) and an orphan (its parent exits at once);
# a later attempt counts what is still alive of an earlier one.
add_shellpack hold 'L=$LOGDIR_RESULTS
for f in "$SHELLPACK_LOG"/.incomplete/hold.*/logs/*.pid; do
	[ -e "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && echo "$f" >> "$L/leftovers"
done
sleep 300 & echo $! > "$L/child.pid"
setsid bash -c "echo \$\$ > $L/daemon.pid; exec sleep 301" < /dev/null > /dev/null 2>&1 &
( bash -c "echo \$\$ > $L/orphan.pid; exec sleep 302" & )
echo $$ > "$L/bench.pid"
while [ ! -e "$MMTESTS_WORK/go" ]; do sleep 0.05; done
kill %1; echo 1 > "$L/sample-1"'
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
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); case "$st" in ""|Z*) return 1;; esac; }
L=$R/iter-0/hold/logs
ok "$(alive "$(cat "$L/daemon.pid")"; echo $((! $?)))" "a daemon the benchmark left (setsid: outside its group) is gone when the test ends"
ok "$(alive "$(cat "$L/orphan.pid")"; echo $((! $?)))" "so is an orphan whose parent exited"

# SIGKILL: no orphan keeps writing (the test's keeper stops all of it when
# run-mmtests dies, and holds the lock until it has); an immediate
# --resume waits for that, then takes over.
rm -f "$MMTESTS_WORK/go"
"$RUN" -c "$cfg" --directory "$T/log" killed > "$T/out2" 2>&1 &
pid=$!
K=$T/log/killed/iter-0/hold/logs
for i in $(seq 200); do [ -s "$K/orphan.pid" ] && [ -s "$K/daemon.pid" ] && [ -s "$K/bench.pid" ] && break; sleep 0.05; done
pids=$(cat "$K"/*.pid)
kill -KILL $pid
wait $pid 2>/dev/null
touch "$MMTESTS_WORK/go"
out=$("$RUN" -c "$cfg" --directory "$T/log" --resume killed 2>&1); rc=$?
is "$rc" 0 "--resume straight after SIGKILL runs"
is "$(json "$T/log/killed/run.json" .status)" finished "and finishes the run"
ok "$(test -e "$T/log/killed/iter-0/.incomplete/hold.1/logs/bench.pid" && test ! -e "$T/log/killed/iter-0/hold/logs/leftovers"; echo $?)" \
	"nothing of the killed attempt (benchmark, child, daemon, orphan) was alive when the test ran again"
left=0; for p in $pids; do alive "$p" && left=$((left + 1)); done
is "$left" 0 "none of them is alive now"
# --force takes an idle tree aside and starts afresh.
out=$("$RUN" -c "$cfg" --directory "$T/log" --force locked 2>&1); rc=$?
is "$rc" 0 "--force on an idle run works"
ok "$(ls -d "$T/log/locked".replaced-* >/dev/null 2>&1; echo $?)" "the old tree is kept aside"

out=$("$RUN" -c "$cfg" --directory '' empty 2>&1); rc=$?
is "$rc" 2 "--directory '' is refused"
like "$out" "directory ''" "naming the value"
ok "$(test ! -e /empty; echo $?)" "and nothing was written at /empty"
done_testing
