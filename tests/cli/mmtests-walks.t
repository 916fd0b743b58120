# The thread-count walks MMTests's shellpacks use, against what MMTests's
# own generated code and generate-stride-range visit (tests/fixtures/mmtests-walks, made by its
# regenerate script from an MMTests checkout).
. "$(dirname "$0")/../lib.sh"
F=$SRC/tests/fixtures/mmtests-walks/powertwo.txt
n=0
while read -r min max cut _ want; do
	got=$(MMTESTS_THREAD_CUTOFF=$([ "$cut" = - ] || echo "$cut") bash -c '. "$1/shellpacks/common.sh"; threads_powertwo "$2" "$3"' _ "$SRC" "$min" "$max")
	is "$got" "$want" "threads_powertwo $min $max (cutoff $cut) visits what MMTests's walk does"
	n=$((n + 1))
done < "$F"
ok $((n < 10)) "the powertwo fixture has cases ($n)"

# threads_stride against MMTests's generate-stride-range, over topologies.
S=$SRC/tests/fixtures/mmtests-walks/stride.txt
n=0
while read -r ncpu smt llc node min max cut pattern _ want; do
	got=$(NUM_LOGICAL_CPUS=$ncpu SMT_WEIGHT=$smt LLC_WEIGHT=$llc NODE_WEIGHT=$node \
		MMTESTS_THREAD_CUTOFF=$([ "$cut" = - ] || echo "$cut") \
		bash -c '. "$1/shellpacks/common.sh"; threads_stride "$2" "$3" "$4"' _ "$SRC" "$min" "$max" "$pattern")
	is "$got" "$want" "threads_stride $min $max $pattern on $ncpu CPUs (SMT $smt, LLC $llc, node $node; cutoff $cut)"
	n=$((n + 1))
done < "$S"
ok $((n < 20)) "the stride fixture has cases ($n)"
done_testing
