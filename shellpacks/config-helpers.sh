# Sourced by run-mmtests before any config (DESIGN.md, "Config files").
# run-mmtests exports the host facts (NUMCPUS, NUM_CPUS, NUMNODES,
# MEMTOTAL_BYTES, MEMTOTAL_PAGES, PAGESIZE, HUGE_PAGESIZE) itself; the
# fallbacks below only run when this file is sourced some other way.
: "${NUMCPUS:=$(getconf _NPROCESSORS_ONLN)}"
: "${NUM_CPUS:=$NUMCPUS}"
: "${PAGESIZE:=$(getconf PAGESIZE)}"
export NUMCPUS NUM_CPUS PAGESIZE
. "$SHELLPACK_INCLUDE/include-sizes.sh"
getmemtotals
if [ -z "$NUMNODES" ]; then
	NUMNODES=0
	for __n in /sys/devices/system/node/node[0-9]*; do
		[ -d "$__n" ] && NUMNODES=$((NUMNODES + 1))
	done
	[ "$NUMNODES" -gt 0 ] || NUMNODES=1
	export NUMNODES
	unset __n
fi
