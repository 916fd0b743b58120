# A full disk: the run goes on to a valid run.json that says what failed
# and where (it is written into space reserved at the start), the exit
# code is non-zero, every gzip file is readable to its last flush, and
# once space is freed --resume finishes the run. The run's directory is
# on a 4 MiB tmpfs that a benchmark fills.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root to mount a small tmpfs"; exit 0; }
make_home
S=$T/small
mkdir -p "$S" "$MMTESTS_WORK"
mount -t tmpfs -o size=4m tmpfs "$S" || { echo "1..0 # SKIP cannot mount a tmpfs"; exit 0; }
trap 'umount -l "$S"; rm -rf "$T"' EXIT

# Records a sample, then (while $MMTESTS_WORK/fill exists) fills the file
# system and exits 0 as if all were well.
add_shellpack filler 'echo 5 > "$LOGDIR_RESULTS/sample-1"
if [ -e "$MMTESTS_WORK/fill" ]; then
	dd if=/dev/zero of="$LOGDIR_RESULTS/filler" bs=64k 2>/dev/null
fi
exit 0'
add_shellpack quick 'echo 3 > "$LOGDIR_RESULTS/sample-1"'
cfg=$(write_config config-full 'export MMTESTS="filler quick"' \
	'export RUN_MONITOR=yes MONITORS_GZIP="proc-meminfo proc-vmstat" MONITOR_UPDATE_FREQUENCY=0.1')
R=$S/log/full
touch "$MMTESTS_WORK/fill"
out=$(timeout 300 "$RUN" -c "$cfg" --directory "$S/log" full 2>&1); rc=$?
is "$rc" 1 "a run that fills its disk exits 1"
like "$out" "finished with failures" "and says it finished with failures"
ok "$(jq -e . "$R/run.json" >/dev/null; echo $?)" "run.json is valid JSON"
is "$(json "$R/run.json" '.status + " " + ([.results[0].tests[].status] | join(","))')" \
	"failed failed,failed" "run.json says the run and both tests failed (not running, not pending)"
like "$(json "$R/run.json" '.results[0].tests[0].error')" \
	"parse-results.tsv.*No space left on device.*file system .* is full" \
	"the filling test's error names the file it could not write and the full file system"
like "$(json "$R/run.json" '.results[0].tests[1].error')" "is full" "so does the next test's"
like "$out" "run.json went into the space kept for it" "run.json was written into the reserved space"
gz=$(find "$R" -name '*.gz')
ok "$( [ -n "$gz" ] && gz_readable $gz; echo $?)" "every gzip file is readable to its last flush ($(echo $gz | wc -w) files)"

# Free the space: --resume finishes the run, keeping the failed attempt.
rm -f "$MMTESTS_WORK/fill" "$R"/iter-0/filler/logs/filler
out=$(timeout 300 "$RUN" -c "$cfg" --directory "$S/log" --resume full 2>&1); rc=$?
is "$rc" 0 "with space freed, --resume finishes"
is "$(json "$R/run.json" '.status + " " + ([.results[0].tests[].status] | join(","))')" \
	"finished done,done" "every test done"
ok "$(json "$R/run.json" '.results[0].tests[0].error // "none"' | grep -qx none; echo $?)" "the error of the failed attempt is gone with it"
ok "$(test -d "$R/iter-0/.incomplete/filler.1"; echo $?)" "the failed attempt is kept in .incomplete"
out=$("$BUILD/bin/compare-mmtests" -d "$S/log" --names full 2>&1); rc=$?
is "$rc" 0 "compare reads the tree"
ok "$(test ! -e "$R/.run.json.reserve"; echo $?)" "the reserve is gone when the run ends"
done_testing
