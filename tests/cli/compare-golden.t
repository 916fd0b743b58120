# compare on a results tree written the way MMTests writes it (raw logs,
# no caches, no run.json): output byte for byte equal to golden files made
# by an independent implementation (tools/gen-compare-expected.py: numpy,
# scipy and MMTests's print formats).
. "$(dirname "$0")/../lib.sh"
TREE=$SRC/tests/fixtures/compare/mmtests-tree
EXP=$SRC/tests/fixtures/compare/expected
CMP=$BUILD/bin/compare-mmtests
N=5.10-rc3-vanilla,5.10-rc3-patched
check() {	# check EXPECTED-FILE ARGS...
	local f=$1
	shift
	out=$("$CMP" -d "$TREE" -n "$N" "$@" 2>"$T/err")
	ok $? "compare $* exits 0"
	diff <(printf '%s\n' "$out") "$EXP/$f" > "$T/diff"
	ok $? "compare $* matches $f byte for byte"
	[ -s "$T/diff" ] && sed 's/^/#   /' "$T/diff" | head -20
}
check stream.mmtests -b stream --significance mmtests
check hackbench.mmtests -b hackbench-process-pipes --significance=mmtests
check stream.ratio.mmtests -b stream --print-ratio --significance mmtests
check hackbench.ratio.mmtests -b hackbench-process-pipes --print-ratio --significance mmtests
check all.sound
check duration --print-monitor duration
like "$(cat "$EXP/all.sound")" '\* -15\.11%\*' "the golden sound table has a significant change to check"
like "$(cat "$EXP/hackbench.mmtests")" '\(.*%\)' "the golden mmtests table has unmarked changes"
# The headers split run names as MMTests does ("-rcN" stays in the first part).
like "$(head -2 "$EXP/stream.mmtests")" '^ +5\.10-rc3 +5\.10-rc3$' "header line 1: 5.10-rc3"
# Reading the MMTests tree ran parse-results and wrote nothing into it.
is "$(find "$TREE" -name parse-results.tsv | wc -l)" 0 "the foreign tree was not modified"
done_testing
