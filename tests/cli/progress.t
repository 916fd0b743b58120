# What a user watching a run sees: a line per finished test with its
# duration, samples and the time left; on a terminal a status line redrawn
# every second with the benchmark's latest progress line; -v copies the
# benchmark's own output; a table at the end, interrupted or not.
. "$(dirname "$0")/../lib.sh"
make_home
# slow: two progress lines a second apart, then a sample
add_shellpack slow 'echo "INFO: warming up"; sleep 1.3; echo "INFO: halfway there"; sleep 1.3; echo 7 > "$LOGDIR_RESULTS/sample-1"; echo 8 > "$LOGDIR_RESULTS/sample-2"'
add_shellpack broken 'echo "INFO: about to fail"; exit 3'
cfg=$(write_config config-slow 'export MMTESTS="slow"' 'export MMTEST_ITERATIONS=2')

out=$("$RUN" -c "$cfg" --directory "$T/log" first 2>&1)
ok $? "a run of two iterations"
like "$out" "iteration 1/2: slow" "says which test and iteration starts"
like "$out" "slow iteration 1/2: done in [0-9.]+ s, 2 samples \\(about [0-9.]+ s left\\)" "a finished test: its time, its samples, and the time left"
like "$out" "slow iteration 2/2: done in [0-9.]+ s, 2 samples$" "the last one: no time left to tell"
like "$out" "first in [0-9.]+ s:" "a summary at the end, with the run's duration"
like "$out" "  test +iterations +status +mean +samples" "as a table"
like "$out" "  slow +2/2 +done +[0-9.]+ s +4" "a row per test: iterations, status, mean seconds, samples"
unlike "$out" "warming up" "the benchmark's own output stays in its log without -v"

# the next run of the same tests knows how long they take before it has run one
out=$("$RUN" -c "$cfg" --directory "$T/log" -v second 2>&1)
like "$out" "timings from run first give the ETA" "a later run takes its ETA from the earlier one"
like "$out" "  \\| INFO: warming up" "-v copies the benchmark's output as it comes"
like "$out" "  \\| INFO: halfway there" "all of it"

# on a terminal: the status line
if command -v script >/dev/null; then
	TERM=xterm script -qec "$RUN -c $cfg --directory $T/log third" "$T/tty" >/dev/null 2>&1
	tty=$(tr '\r' '\n' < "$T/tty")
	like "$tty" "\\[iter 1/2, test 1/1\\] slow [0-9.]+ s \\| run [0-9.]+ s, [0-9.:]+( s)? left" "a terminal gets a status line: iteration, test, times, time left"
	like "$tty" "\\| warming up|\\| halfway there" "with the benchmark's latest progress line"
	like "$tty" "$(printf '\033')\\[K" "redrawn in place"
else
	echo "# no script(1) here to make a terminal: the status line is not checked"
fi

# a failing test and an interrupted run still get their table
bad=$(write_config config-bad 'export MMTESTS="broken slow"')
out=$("$RUN" -c "$bad" --directory "$T/log" bad 2>&1)
is "$?" 1 "a failing benchmark fails the run"
like "$out" "broken iteration 1/1: failed after" "the failed test says so"
like "$out" "  broken +0/1 +failed +- +0" "the table says it failed"
like "$out" "  slow +1/1 +done" "and that the next one ran"
"$RUN" -c "$cfg" --directory "$T/log" stopped > "$T/stopped.out" 2>&1 &
pid=$!
for i in $(seq 100); do grep -q "iteration 1/2: slow" "$T/stopped.out" && break; sleep 0.1; done
kill -INT "$pid"
wait "$pid"
is "$?" 130 "an interrupted run exits 130"
like "$(cat "$T/stopped.out")" "  slow +0/2 +interrupted" "and its table says interrupted"
done_testing
