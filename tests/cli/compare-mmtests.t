# compare --significance mmtests against the real MMTests: every case of
# tests/fixtures/compare/by-mmtests/cases must print byte for byte what
# MMTests's compare-mmtests.pl printed for it (expected/, made by running
# it: see that directory's regenerate). Trees written both ways: by our
# run-mmtests, and raw logs as MMTests writes them.
. "$(dirname "$0")/../lib.sh"
F=$SRC/tests/fixtures/compare/by-mmtests
CMP=$BUILD/bin/compare-mmtests
listing() { find "$F/tree" "$SRC"/tests/fixtures/compare/*-tree -printf '%p %s %T@\n' | sort; }
before=$(listing)
while IFS=$'\t' read -r name tree args; do
	case "$name" in ''|'#'*) continue;; esac
	dir=$F/tree
	[ "$tree" = mmtests ] && dir=$SRC/tests/fixtures/compare/mmtests-tree
	case $tree in ours|mmtests) ;; *) dir=$SRC/tests/fixtures/compare/$tree-tree ;; esac
	# shellcheck disable=SC2086 # args is a word list
	"$CMP" -d "$dir" $args --significance mmtests > "$T/out" 2> "$T/err"
	ok $? "$name: compare exits 0"
	diff "$T/out" "$F/expected/$name" > "$T/diff"
	ok $? "$name: byte for byte what compare-mmtests.pl printed"
	[ -s "$T/diff" ] && sed 's/^/#   /' "$T/diff" | head -20
done < "$F/cases"
# The cases are not vacuous: the expected files hold what they should.
like "$(cat "$F/expected/stream-3")" '^BHmean\.95 Copy-1 +[0-9]+\.[0-9]{2} \(   0\.00%\)' "stream-3 has MMTests's BHmean.95 rows"
like "$(cat "$F/expected/stream-ratio-3")" '^Ratio Copy-1 +1\.00 \(0\.00%\) \(\+0\.00s\)' "stream-ratio-3 has MMTests's unpadded ratio cells"
like "$(cat "$F/expected/sig-stream")" '^Hmean +Add-1 +[0-9.]+ \( +0\.00%\) +[0-9.]+ \* 100\.00%\*' "sig-stream has MMTests's significance stars"
like "$(cat "$F/expected/sig-hackbench-html")" '<td bgcolor="#A0FFA0">' "sig-hackbench-html colours a significant cell"
like "$(head -1 "$F/expected/stream-html")" '^<table class="resultsTable">$' "the html cases are MMTests's resultsTable"
is "$(sed -n 5,6p "$F/expected/mm-perfpipe" | cut -c1-9 | tr '\n' ' ')" "BAmean.95 Pctile.95 " "mm-perfpipe has MMTests's Normalisedops rows, in its order"
is "$(sed -n '3,$p' "$F/expected/mm-libmicro" | cut -c1-4 | sort -u)" "Ops " "mm-libmicro has MMTests's Singleops rows: one Ops row per label"
# patched's iter-0 time line was edited to user 0.31 system 0.02 (iter-1:
# 0.09 and 0.04): the lowest of each field, not the sum nor iter-0's.
like "$(cat "$F/expected/duration-stream")" '^Duration User +[0-9.]+ +0\.09 ' "duration: the lowest user time of the iterations"
like "$(cat "$F/expected/duration-stream")" '^Duration System +[0-9.]+ +0\.02 ' "and the lowest system time, from another iteration"
ok "$( [ "$(listing)" = "$before" ]; echo $?)" "the fixture trees were not modified by reading them"
done_testing
