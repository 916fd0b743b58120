# Size helpers MMTests configs call (same names and variables as MMTests's
# shellpacks/include-sizes.sh); bash builtins only, no compiler needed.

getwordsize() {
	[ -n "$WORDSIZE" ] && return 0
	export WORDSIZE=$(( $(getconf LONG_BIT) / 8 ))
}

getdoublesize() {
	[ -n "$DOUBLESIZE" ] && return 0
	export DOUBLESIZE=8
}

getpagesize() {
	[ -n "$PAGESIZE" ] && return 0
	export PAGESIZE=$(getconf PAGESIZE)
}

gethugepagesize() {
	[ -n "$HUGE_PAGESIZE" ] && return 0
	local key val unit
	while read -r key val unit; do
		if [ "$key" = "Hugepagesize:" ]; then
			export HUGE_PAGESIZE=$((val * 1024))
			return 0
		fi
	done < /proc/meminfo
	export HUGE_PAGESIZE=$((2048 * 1024))
}

getmemtotals() {
	getpagesize
	gethugepagesize
	if [ -z "$MEMTOTAL_BYTES" ]; then
		local key val unit
		while read -r key val unit; do
			if [ "$key" = "MemTotal:" ]; then
				MEMTOTAL_BYTES=$((val * 1024))
				break
			fi
		done < /proc/meminfo
	fi
	export MEMTOTAL_BYTES
	export MEMTOTAL_PAGES=$((MEMTOTAL_BYTES / PAGESIZE))
	export MEMTOTAL_HUGEPAGES=$((MEMTOTAL_BYTES / HUGE_PAGESIZE))
}

get_dirtiable_fraction() {
	[ -n "$DIRTY_RATIO_PPM" ] && return 0
	local ratio
	read -r ratio < /proc/sys/vm/dirty_ratio
	if [ "$ratio" -eq 0 ]; then
		getmemtotals
		local bytes
		read -r bytes < /proc/sys/vm/dirty_bytes
		export DIRTY_RATIO_PPM=$((bytes / (MEMTOTAL_BYTES / 1000000)))
	else
		export DIRTY_RATIO_PPM=$((ratio * 10000))
	fi
}

# MMTESTS_NODE_SIZE[node] = bytes; MMTESTS_NODE_ID_BY_SIZE = node ids,
# smallest first (as MMTests's numactl-based version orders them).
get_numa_details() {
	[ -n "${MMTESTS_NODE_SIZE[0]}" ] && return 0
	local d id kb key val sorted=""
	MMTESTS_NODE_SIZE=()
	MMTESTS_NODE_ID_BY_SIZE=()
	for d in /sys/devices/system/node/node[0-9]*; do
		[ -r "$d/meminfo" ] || continue
		id=${d##*node}
		kb=0
		# "Node 0 MemTotal:       24567890 kB"
		while read -r _ _ key val _; do
			[ "$key" = "MemTotal:" ] && kb=$val && break
		done < "$d/meminfo"
		MMTESTS_NODE_SIZE[$id]=$((kb * 1024))
		sorted+="$((kb * 1024)) $id"$'\n'
	done
	if [ ${#MMTESTS_NODE_SIZE[@]} -eq 0 ]; then
		getmemtotals
		MMTESTS_NODE_SIZE[0]=$MEMTOTAL_BYTES
		sorted="$MEMTOTAL_BYTES 0"
	fi
	local size
	while read -r size id; do
		[ -n "$id" ] && MMTESTS_NODE_ID_BY_SIZE+=("$id")
	done <<< "$(sort -n <<< "$sorted")"
	export MMTESTS_NODE_SIZE MMTESTS_NODE_ID_BY_SIZE
}
