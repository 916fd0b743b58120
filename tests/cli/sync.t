# mmtests-sync: returns at once with no barrier configured.
. "$(dirname "$0")/../lib.sh"
for tok in mmtests_start test_do iteration_begin iteration_end test_done mmtests_end; do
	"$SYNC" "$tok"
	ok $? "$tok returns 0 without a barrier"
done
t0=$(date +%s%N)
for i in $(seq 20); do "$SYNC" iteration_begin; done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
ok $((ms > 1000)) "20 calls in ${ms} ms"
out=$("$SYNC" bogus 2>&1); rc=$?
ok $((rc == 0)) "unknown token fails"
like "$out" "unknown sync token 'bogus'" "names the token"
"$SYNC" >/dev/null 2>&1
is "$?" 2 "no token: usage error"
out=$(MMTESTS_SYNC=tcp:127.0.0.1:1 "$SYNC" test_do 2>&1); rc=$?
ok $((rc == 0)) "a configured barrier that is not built fails"
like "$out" "not built yet" "and says so plainly"
done_testing
