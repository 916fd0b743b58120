#!/bin/bash
# Runs every C unit test and shell CLI test (all speak TAP) and ends with
# one line: "N passed, N failed". Fails if anything failed or nothing ran.
# Env: MMTESTS_SRC, MMTESTS_BUILD (set by make check), TESTS_FILTER (regex).
set -u
SRC=${MMTESTS_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${MMTESTS_BUILD:-$SRC}
export MMTESTS_SRC=$SRC MMTESTS_BUILD=$BUILD
passed=0 failed=0 broken=0
results=$(mktemp)

run_one() {
	local name=$1
	shift
	local out rc planned
	out=$("$@" 2>&1)
	rc=$?
	local p f
	p=$(grep -c '^ok ' <<< "$out")
	f=$(grep -c '^not ok ' <<< "$out")
	planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' <<< "$out" | tail -1)
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ] || [ -z "$planned" ] || [ "$planned" -ne $((p + f)) ]; then
		echo "FAIL $name (exit $rc, $p ok, $f not ok, plan ${planned:-missing})"
		grep -v '^ok ' <<< "$out" | sed 's/^/    /'
		[ "$f" -gt 0 ] || broken=$((broken + 1))
	else
		echo "ok   $name ($p tests)"
	fi
}

for t in "$BUILD"/tests/unit/test-*; do
	[ -x "$t" ] || continue
	[[ "$t" =~ ${TESTS_FILTER:-.} ]] || continue
	run_one "unit/${t##*/}" "$t"
done
for t in "$SRC"/tests/cli/*.t; do
	[ -f "$t" ] || continue
	[[ "$t" =~ ${TESTS_FILTER:-.} ]] || continue
	run_one "cli/${t##*/}" bash "$t"
done
rm -f "$results"
failed=$((failed + broken))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
