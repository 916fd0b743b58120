# Fault injection (issue 13): SIGINT/SIGTERM at 30 random points of a run,
# SIGKILL at 30 random points followed by --resume, and two runs of one
# name started together. Every outcome is asserted, never a time: an
# honoured signal, a consistent run.json, readable gzip files, nothing
# left running, no corrupted iteration. The points are random; the seed
# is printed (FAULT_SEED=N repeats them). A full disk: disk-full.t.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 0; }
make_home
mkdir -p "$MMTESTS_WORK"
# Each step takes a little while, so the random points land in all of
# them: config loading, install, bench, parse-results, monitors, between
# tests and iterations. A sample line names the process that wrote it:
# two writers in one iteration would show.
add_shellpack fa 'for k in 1 2 3; do sleep 0.05; echo "$$ $((RANDOM % 100 + 100))" >> "$LOGDIR_RESULTS/samples"; done' \
	'sleep 0.05; awk '\''{ printf "ops\t_\t_\t%d\t%s\n", NR, $2 }'\'' samples' 'sleep 0.1'
add_shellpack fb 'for k in 1 2 3; do sleep 0.05; echo "$$ $((RANDOM % 100 + 300))" >> "$LOGDIR_RESULTS/samples"; done' \
	'sleep 0.05; awk '\''{ printf "ops\t_\t_\t%d\t%s\n", NR, $2 }'\'' samples' 'sleep 0.1'
cfg=$(write_config config-faults 'sleep 0.1' 'export MMTESTS="fa fb"' 'export MMTEST_ITERATIONS=2' \
	'export RUN_MONITOR=yes MONITORS_GZIP="proc-meminfo proc-vmstat" MONITOR_UPDATE_FREQUENCY=0.05')
RUN=$RUN CMP=$BUILD/bin/compare-mmtests CFG=$cfg LOG=$T/log python3 "$SRC/tests/fault-injection.py"
