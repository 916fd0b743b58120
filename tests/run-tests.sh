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

# Each test runs under a time limit (TEST_TIMEOUT seconds, whole process
# group) with its output in a file, so a hang fails that one test visibly,
# with what it printed so far, instead of stalling the suite.
run_one() {
	local name=$1
	shift
	local out rc planned start=$SECONDS limit=${TEST_TIMEOUT:-1200}
	timeout -k 10 "$limit" "$@" > "$results" 2>&1
	rc=$?
	out=$(cat "$results")
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || out+=$'\n'"# TIMED OUT after ${limit} s (TEST_TIMEOUT)"
	local p f
	p=$(grep -c '^ok ' <<< "$out")
	f=$(grep -c '^not ok ' <<< "$out")
	planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' <<< "$out" | tail -1)
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ] || [ -z "$planned" ] || [ "$planned" -ne $((p + f)) ]; then
		echo "FAIL $name (exit $rc, $p ok, $f not ok, plan ${planned:-missing}, $((SECONDS - start)) s)"
		grep -v '^ok ' <<< "$out" | sed 's/^/    /'
		[ "$f" -gt 0 ] || broken=$((broken + 1))
	else
		echo "ok   $name ($p tests, $((SECONDS - start)) s)"
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
