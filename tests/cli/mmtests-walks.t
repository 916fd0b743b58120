# The thread-count walks MMTests's shellpacks use, against what MMTests's
# own generated code visits (tests/fixtures/mmtests-walks, made by its
# regenerate script from an MMTests checkout).
. "$(dirname "$0")/../lib.sh"
F=$SRC/tests/fixtures/mmtests-walks/powertwo.txt
n=0
while read -r min max cut _ want; do
	got=$(MMTESTS_THREAD_CUTOFF=$([ "$cut" = - ] || echo "$cut") bash -c '. "$1/shellpacks/common.sh"; threads_powertwo "$2" "$3"' _ "$SRC" "$min" "$max")
	is "$got" "$want" "threads_powertwo $min $max (cutoff $cut) visits what MMTests's walk does"
	n=$((n + 1))
done < "$F"
ok $((n < 10)) "the fixture has cases ($n)"
done_testing
