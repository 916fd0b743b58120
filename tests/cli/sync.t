# mmtests-sync: no barrier, bad settings, and two run-mmtests in lock-step
# through a real barrier on loopback.
. "$(dirname "$0")/../lib.sh"
for tok in mmtests_start test_do iteration_begin iteration_end test_done mmtests_end; do
	"$SYNC" "$tok"
	ok $? "$tok returns 0 without a barrier"
done
fails=0
for i in $(seq 20); do "$SYNC" iteration_begin || fails=$((fails + 1)); done
is "$fails" 0 "20 calls in a row without a barrier all return 0 (their speed: tools/bench-barrier)"
out=$("$SYNC" bogus 2>&1); rc=$?
ok $((rc == 0)) "unknown token fails"
like "$out" "unknown sync token 'bogus'" "names the token"
"$SYNC" >/dev/null 2>&1
is "$?" 2 "no token: usage error"
out=$(MMTESTS_SYNC=tcp:127.0.0.1:1 "$SYNC" test_do 2>&1); rc=$?
ok $((rc == 0)) "MMTESTS_SYNC without a name and secret fails"
like "$out" "MMTESTS_SYNC_NAME or MMTESTS_SYNC_SECRET is not" "and says what is missing"
out=$(MMTESTS_SYNC=tcp:127.0.0.1:1 MMTESTS_SYNC_NAME=a MMTESTS_SYNC_SECRET=s "$SYNC" test_do 2>&1); rc=$?
ok $((rc == 0)) "an unreachable barrier fails"
like "$out" "cannot reach the barrier at 127.0.0.1:1" "and names it"
out=$(MMTESTS_SYNC=udp:x MMTESTS_SYNC_NAME=a MMTESTS_SYNC_SECRET=s "$SYNC" test_do 2>&1)
like "$out" "use tcp:HOST:PORT, unix:PATH, serial:DEVICE or vsock:CID:PORT" "a bad endpoint is explained"

# Two runs in lock-step through a barrier.
make_home
add_shellpack paced '. "$SHELLPACK_INCLUDE/common.sh"
for i in 1 2 3; do mmtests_sync iteration_begin; sleep ${PACE:-0}; echo $i > "$LOGDIR_RESULTS/sample-$i"; mmtests_sync iteration_end; done'
cfg=$(write_config config-paced 'export MMTESTS="paced"' 'export MMTEST_ITERATIONS=2')
MMTESTS_SYNC_SECRET=s3 "$SYNC" --serve --members vm1,vm2 --log "$T/barrier.log" > "$T/endpoint" &
srv=$!
for i in $(seq 50); do [ -s "$T/endpoint" ] && break; sleep 0.05; done
ep=$(cat "$T/endpoint")
like "$ep" '^tcp:127\.0\.0\.1:[0-9]+$' "the barrier prints its endpoint"
export MMTESTS_SYNC=$ep MMTESTS_SYNC_SECRET=s3
PACE=0.3 MMTESTS_SYNC_NAME=vm1 "$RUN" -c "$cfg" --directory "$T/log" run-vm1 > "$T/o1" 2>&1 &
p1=$!
PACE=0 MMTESTS_SYNC_NAME=vm2 "$RUN" -c "$cfg" --directory "$T/log" run-vm2 > "$T/o2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1$r2" 00 "both runs finish"
rel=$(grep -c ' release ' "$T/barrier.log")
# per iteration: test_do, 3x(begin,end), test_done = 8; plus start and end
is "$rel" 18 "every sync point was one release of both ($rel)"
is "$(grep -c ' release .* 2 members' "$T/barrier.log")" 18 "each release waited for both VMs"
b1=$(grep -m1 'test begin :: paced' "$T/log/run-vm1/iter-1/tests-timestamp" | awk '{print $NF}')
b2=$(grep -m1 'test begin :: paced' "$T/log/run-vm2/iter-1/tests-timestamp" | awk '{print $NF}')
ok $(( b1 - b2 > 1 || b2 - b1 > 1 )) "the fast run waited for the slow one (iteration 2 began at $b1 and $b2)"
like "$(cat "$T/barrier.log")" 'arrive vm2 iteration_begin' "arrivals are logged"
out=$(MMTESTS_SYNC_NAME=vm1 MMTESTS_SYNC_SECRET=wrong "$SYNC" test_do 2>&1)
like "$out" 'DENIED' "a wrong secret is refused"
like "$(cat "$T/barrier.log")" 'refused vm1: wrong secret' "and logged"
kill $srv; wait $srv 2>/dev/null
unset MMTESTS_SYNC MMTESTS_SYNC_SECRET
done_testing
