# Our own small benchmark programs (src/bench), the ones MMTests's
# shellpacks have as their own programs: each answers --help, refuses bad
# values naming them (exit 2), and prints what its shellpack's
# parse-results reads; the long-running ones stop cleanly on SIGTERM.
. "$(dirname "$0")/../lib.sh"
B=$BUILD/src/bench
for p in usemem pound-syscall time-unmap fork-exit mmap-latency memory-hog thp-fault pft; do
	"$B/$p" --help > "$T/help" 2>&1
	ok $? "$p --help exits 0"
	like "$(head -1 "$T/help")" "^usage: $p " "$p --help starts with its usage"
done
for bad in "usemem -t 0 1m" "pound-syscall -t 0" "time-unmap -s 0" "mmap-latency -p 0" "mmap-latency -d 0" \
	"memory-hog -s 0" "memory-hog" "memory-hog -s 1m -p -1" "thp-fault -s 1m" "thp-fault -n 0 -s 64m" "thp-fault -s lots" \
	"pft -m 1m" "pft -m 1m -t 2 -n 2" "pft -m 1 -t 1" "pft -m 64m -t 0" "pft -m 64m -n 1 -c 65"; do
	out=$($B/$bad 2>&1); rc=$?
	is "$rc" 2 "$bad: refused"
	like "$out" "'[^']*'" "$bad: naming the value"
done

# mmap-latency: "COUNT MEAN-NS" lines until SIGTERM, exit 0, no torn line
"$B/mmap-latency" -p 256 -d 2 > "$T/lat" 2>&1 &
pid=$!
for i in $(seq 100); do [ "$(wc -l < "$T/lat")" -ge 5 ] && break; sleep 0.05; done
kill -TERM "$pid"; wait "$pid"
is "$?" 0 "mmap-latency: SIGTERM ends it with exit 0"
is "$(grep -cvE '^[0-9]+ [0-9]+$' "$T/lat")" 0 "mmap-latency: only COUNT MEAN-NS lines"
ok "$(awk '$2 < 2000000 {bad++} END {exit bad > 0}' "$T/lat"; echo $?)" "mmap-latency: every mean includes the 2 ms pause, as MMTests's"

# memory-hog: a pass per line (ms), on a file too (removed at once)
"$B/memory-hog" -s 8m -f "$T/hogfile" > "$T/hog" 2>&1 &
pid=$!
for i in $(seq 100); do [ "$(wc -l < "$T/hog")" -ge 2 ] && break; sleep 0.05; done
ok "$(test ! -e "$T/hogfile"; echo $?)" "memory-hog -f: the file is removed once mapped"
kill -TERM "$pid"; wait "$pid"
is "$?" 0 "memory-hog: SIGTERM ends it with exit 0"
is "$(grep -cvE '^[0-9]+$' "$T/hog")" 0 "memory-hog: one number (ms) per pass"
# with --pause, one pass and then asleep: SIGTERM still ends it at once
"$B/memory-hog" -s 8m -p 3600 > "$T/hogp" 2>&1 &
pid=$!
for i in $(seq 100); do [ "$(wc -l < "$T/hogp")" -ge 1 ] && break; sleep 0.05; done
sleep 0.3
kill -TERM "$pid"; wait "$pid"
is "$?" 0 "memory-hog --pause: SIGTERM in the pause ends it with exit 0"
is "$(wc -l < "$T/hogp")" 1 "memory-hog --pause: one pass, then the pause"

# pft: pft's result line; every page of the share is one fault, so the
# rates agree with the fault count over the times printed
for mode in -t -n; do
	out=$("$B/pft" -T -m 64m $mode 2)
	ok $? "pft -m 64m $mode 2"
	is "$(head -1 <<< "$out")" "  Gb  Thr CLine   User     System     Wall    flt/cpu/s fault/wsec" "pft $mode: pft's header"
	like "$(sed -n 2p <<< "$out")" "^ +0 +2 +1 +[0-9.]+s +[0-9.]+s +[0-9.]+s +[0-9.]+ +[0-9.]+$" "pft $mode: 0 GiB, 2 tasks, 1 line, the times and rates"
	ok "$(sed -n 2p <<< "$out" | tr -d s | awk -v p=$((64 * 1048576 / $(getconf PAGESIZE))) '{
		lo = p / ($6 + 0.005); hi = $6 > 0.005 ? p / ($6 - 0.005) : 1e300; exit !($8 >= lo * 0.999 && $8 <= hi * 1.001) }'; echo $?)" \
		"pft $mode: faults per wall second = the pages over the wall time (to its 2 decimals)"
done

# thp-fault: half of each thread's share, in 2 MiB steps
out=$("$B/thp-fault" -n 2 -s 32m)
ok $? "thp-fault -n 2 -s 32m"
is "$(grep -c '^anoninit [01] ' <<< "$out")" 2 "an anoninit line per thread"
is "$(grep -cE '^fault [01] (huge|base) +[0-9]+ [0-9]+\.[0-9]+ -?[01]$' <<< "$out")" 8 "16 MiB per thread: 4 faults of 2 MiB each, in MMTests's line format"
if grep -q '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
	ok "$("$B/thp-fault" -s 16m -m | grep -q '^fault 0 huge '; echo $?)" "-m on a machine with THP: huge pages seen"
fi
done_testing
