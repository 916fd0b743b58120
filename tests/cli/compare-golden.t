# compare's own default (--significance sound, which MMTests does not
# have) on a results tree written the way MMTests writes it (raw logs, no
# caches, no run.json): byte for byte equal to a golden file made by an
# independent implementation (tools/gen-compare-expected.py: numpy, scipy,
# MMTests's layout). MMTests's own modes: compare-mmtests.t, against
# MMTests itself.
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
check all.sound
like "$(cat "$EXP/all.sound")" '\* -15\.11%\*' "the golden sound table has a significant change to check"
# The headers split run names as MMTests does ("-rcN" stays in the first part).
like "$(head -2 "$EXP/all.sound" | tail -1)" '^ +5\.10-rc3 +5\.10-rc3$' "header line 1: 5.10-rc3"
# Reading the MMTests tree ran parse-results and wrote nothing into it.
is "$(find "$TREE" -name parse-results.tsv | wc -l)" 0 "the foreign tree was not modified"
done_testing
