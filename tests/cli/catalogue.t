# The benchmark catalogue: every shellpack has metadata that loads, a README,
# a config; parse-results turns logs captured from real runs
# (tests/fixtures/bench/<bench>/logs) into the reviewed expected.tsv, and one
# value per benchmark is also read straight from the raw log, independently
# of parse-results.
. "$(dirname "$0")/../lib.sh"
F=$SRC/tests/fixtures/bench
SP=$SRC/shellpacks

list=$("$RUN" --list 2>&1)
ok $? "run-mmtests --list"
for d in "$SP"/*/; do
	b=$(basename "$d")
	[ -f "$d/shellpack.conf" ] || continue
	like "$list" "^  (ready|no) +${b//+/\\+} " "$b: listed, with whether it can run here"
	ok "$(test -s "$d/README.md"; echo $?)" "$b: has a README"
	ok "$(test -x "$d/bench" && test -x "$d/parse-results"; echo $?)" "$b: bench and parse-results"
	ls "$SRC"/configs/config-"$b"* >/dev/null 2>&1
	ok $? "$b: has a config"
done
like "$list" "^[0-9]+ of [0-9]+ benchmarks can run here now$" "--list ends with a count"

for d in "$F"/*/; do
	b=$(basename "$d")
	pack=$(shellpack_of "$b")
	[ -f "$d/shellpack" ] && pack=$SP/$(cat "$d/shellpack")	# a second fixture of one shellpack
	out=$("$pack/parse-results" "$d/logs")
	ok $? "$b: parse-results on the captured logs"
	is "$out" "$(cat "$d/expected.tsv")" "$b: gives the reviewed samples"
	is "$(awk -F'\t' 'NF != 6 || $5 !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/' <<< "$out" | wc -l)" 0 "$b: six fields, numeric values"
	# What MMTests's own parse-results printed for these logs (regenerate-mmtests)
	# (an empty factor is MMTests's "_", as its compare reads it)
	# Compared as MMTests's compare sees them: label (metric[-factorA]
	# [-factorB], "" or "_" adding nothing) and value, sorted; labels of ours
	# MMTests lacks are left out, and mmtests.skip names labels where
	# MMTests's parser is wrong (with why).
	if [ -f "$d/mmtests.tsv" ]; then
		label='{l = $1; if ($2 != "" && $2 != "_") l = l "-" $2; if ($3 != "" && $3 != "_") l = l "-" $3}'
		skip=$(sed -n 's/^label: //p' "$d/mmtests.skip" 2>/dev/null)	# (none: "^" skips no label)
		theirs=$(awk -F'\t' "$label"' {print l "\t" $5}' "$d/mmtests.tsv" | grep -Ev "^(${skip:-^})	" | sort)
		ours=$(awk -F'\t' "$label"' NR == FNR {m[l] = 1; next} m[l] {print l "\t" $5}' "$d/mmtests.tsv" - <<< "$out" | grep -Ev "^(${skip:-^})	" | sort)
		is "$ours" "$theirs" "$b: the samples MMTests's parse-results reads"
	fi
done

# spot BENCH FILTER WANT DESCRIPTION: the parse-results value picked by the
# awk FILTER equals WANT, read from the raw log by other means.
spot() {
	local got pack
	pack=$(shellpack_of "$1")
	[ -f "$F/$1/shellpack" ] && pack=$SP/$(cat "$F/$1/shellpack")
	got=$("$pack/parse-results" "$F/$1/logs" | awk -F'\t' "$2 {print \$5}")
	is "$got" "$3" "$1: $4"
}
L=$F
spot stress-ng '$2 == "cpu" && $4 == 1' "$(grep -E 'metrc: \[[0-9]+\] cpu +[0-9]' "$L/stress-ng/logs/stress-ng-cpu-1.log" | awk '{print $9}')" "bogo ops/s (real time) of the cpu stressor"
spot mbw '$2 == "memcpy" && $4 == 3' "$(sed -n 's/^2\t.*Copy: \([0-9.]*\) MiB\/s/\1/p' "$L/mbw/logs/mbw-memcpy.log")" "the third memcpy copy"
spot sysbench-cpu '$2 == 2 && $4 == 2' "$(grep -o 'events per second: *[0-9.]*' "$L/sysbench-cpu/logs/sysbench-cpu-2-2.log" | grep -o '[0-9.]*$')" "events/s, 2 threads, sample 2"
spot sysbench-memory '$2 == 1 && $4 == 1' "$(grep -o '([0-9.]* MiB/sec)' "$L/sysbench-memory/logs/sysbench-memory-1-1.log" | tr -d '(' | cut -d' ' -f1)" "MiB/s, 1 thread"
spot john '$2 == "descrypt" && $3 == "many-salts"' "$(( $(sed -n 's/^Many salts:\t\([0-9]*\)K c\/s real.*/\1/p' "$L/john/logs/john-descrypt-1.log") * 1000 ))" "a K rate expanded"
spot cyclictest '$1 == "lat-max" && $4 == 1' "$(grep '^# Max Latencies' "$L/cyclictest/logs/cyclictest-histogram-1.log" | tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n | tail -1 | sed 's/^0*//')" "the largest thread max"
spot cyclictest '$1 == "MinLat" && $2 == 1 && $4 == 2' "$(grep '^# Min Latencies' "$L/cyclictest/logs/cyclictest-histogram-2.log" | awk '{print $NF + 0}')" "the second thread's min, MMTests's per-thread metric"
spot fio '$1 == "iops" && $2 == "write" && $4 == 2' "$(cut -d';' -f49 "$L/fio/logs/fio-2.terse")" "write IOPS from the terse line"
spot fio '$1 == "clat" && $2 == "read" && $4 == 1' "$(cut -d';' -f16 "$L/fio/logs/fio-1.terse")" "read completion latency"
spot dbench '$1 == "tput" && $2 == 2 && $4 == 2' "$(grep 'execute *2 sec' "$L/dbench/logs/dbench-2.log" | awk '{print $3}')" "MB/sec in second 2, 2 clients"
spot tbench '$1 == "op-ReadX" && $2 == 1' "$(awk '$1 == "ReadX" {print $3}' "$L/tbench/logs/dbench-1.log")" "ReadX average latency, 1 client"
spot sysbenchcpu '$2 == 3 && $4 == 2' "$(grep -o 'events per second: *[0-9.]*' "$L/sysbenchcpu/logs/benchlog-3-_-2" | grep -o '[0-9.]*$')" "events/s, 3 threads, sample 2"
spot wis-pf '$2 == "page_fault2_threads" && $3 == 2 && $4 == 2' "$(grep total: "$L/wis-pf/logs/benchlog-page_fault2_threads-2" | sed -n 2p | sed 's/.*total://')" "page_fault2 as 2 threads, second sample"
spot wis-open '$2 == "open1_processes" && $3 == 1 && $4 == 1' "$(grep -A1 '^measurement' "$L/wis-open/logs/benchlog-open1_processes-1" | tail -1 | sed 's/.*total://')" "open1 as 1 process: the first sample after the warmup"
spot usemem '$1 == "Elapsed" && $2 == 2 && $4 == 1' "$(grep -o '[0-9:.]*elapsed' "$L/usemem/logs/time-2-1" | sed 's/elapsed//' | awk -F: '{print $1 * 60 + $2}')" "elapsed seconds from GNU time, 2 threads"
spot schbench '$1 == "Request" && $2 == "99.0th" && $3 == 2 && $4 == 4' "$(awk '/^Request Latencies.* runtime 4 / {r = 1} r && /99\.0th:/ {print $3; exit}' "$L/schbench/logs/schbench-2.log")" "request p99 of the report at 4 s, 2 workers"
spot libmicro '$2 == "lseek_t8k"' "$(awk '/mean of 95%/ {print $NF}' "$L/libmicro/logs/lseek_t8k.log")" "lseek: the mean of the fastest 95%"
spot fsmark '$2 == 2 && $4 == 3' "$(awk '/App Overhead/ {r = 1; next} r {n++} n == 3 {print $4; exit}' "$L/fsmark/logs/fsmark-2.log")" "files/s of the third loop, 2 threads"
spot stockfish '$1 == "User" && $2 == 2 && $4 == 1' "$(grep -o '[0-9.]*user' "$L/stockfish/logs/time-2-1" | sed 's/user//')" "user seconds from GNU time, 2 threads"
spot sysbenchmutex '$2 == 2 && $4 == 2' "$(grep '95th percentile:' "$L/sysbenchmutex/logs/benchlog-2-_-2" | awk '{print $3}')" "p95 ms, 2 threads, sample 2"
spot sqlite '$4 == 2' "$(grep '^execute' "$L/sqlite/logs/benchlog-_-_-1" | sed -n 2p | awk '{print $5}')" "the second rate after the warmup"
spot poundsyscall '$1 == "System" && $2 == 2 && $4 == 2' "$(grep -o '[0-9.]*system' "$L/poundsyscall/logs/time-2-2" | sed 's/system//')" "system seconds, 2 threads, sample 2"
spot trunc '$1 == "Elapsed" && $2 == "fault" && $4 == 1' "$(grep -o '[0-9:.]*elapsed' "$L/trunc/logs/time-fault-1" | sed 's/elapsed//' | awk -F: '{print $1 * 60 + $2}')" "elapsed seconds of the first read"
spot ltp '$1 == "math-fptest02"' "$(sed -n 's/^tag=fptest02 .* stat=\([0-9]*\) .*/\1/p' "$L/ltp/logs/runltp-math")" "a runltp testcase's status"
spot ltp '$1 == "getpid01"' "$(awk '/^failed/ {print $2}' "$L/ltp/logs/benchlog-getpid01")" "a single testcase: its summary's failures"
spot coremark '$4 == 2' "$(awk '/^CoreMark 1/ {print $4}' "$L/coremark/logs/coremark-2.log")" "the second run's score"
spot unixbenchd '$4 == 2' "$(grep '^COUNT' "$L/unixbenchd/logs/unixbenchd.log" | sed -n 2p | cut -d'|' -f2)" "syscall getpid loops/s of the second run"
spot perfnuma '$1 == "totalspeed-oversubscribe" && $4 == 2' "$(awk -F, '/total-speed/ {gsub(/ /, "", $2); print $2}' "$L/perfnuma/logs/oversubscribe_converge-2.log")" "oversubscribed total GB/s, run 2"
spot sysjitter '$1 == "int_total_%age" && $2 == "cpu1"' "$(awk '/^int_total\(%\):/ {print $3}' "$L/sysjitter/logs/sysjitter.log")" "CPU 1's share of time lost"
spot time_unmap '$1 == "System" && $4 == 2' "$(grep -o '[0-9.]*system' "$L/time_unmap/logs/time-2-2" | sed 's/system//')" "system seconds of the second sample"
spot io_uring '$4 == 2' "$(sed -n 2p "$L/io_uring/logs/t-io_uring.log" | sed -n 's/^IOPS=\([0-9.]*\)M$/\1/p' | awk '{print $1 * 1000}')" "the second second's NOPs, K IOPS"
spot saladfork '$1 == "local_v_total"' "$(awk 'NR > 1 {t++; if ($1 + 0 >= 0) l++} END {print l / t}' "$L/saladfork/logs/saladfork-0.log")" "every child local on a one-node machine"
spot gitcheckout '$1 == "Elapsed" && $4 == 2' "$(grep -o '[0-9:.]*elapsed' "$L/gitcheckout/logs/time-_-2" | sed 's/elapsed//' | awk -F: '{print $1 * 60 + $2}')" "elapsed seconds of the second sample"
spot fio-jobfile '$2 == "reader" && $4 == 2' "$(awk -F';' '$3 == "reader" {print $45}' "$L/fio-jobfile/logs/fio.log" | sed -n 2p)" "MMTests's job-file mode: the reader group's mean KiB/s, second run"
spot fio-multivar '$2 == "psync-randrw-4k-j1-qd4" && $3 == "write" && $4 == 2' "$(awk -F';' '$3 == "psync-randrw-4k-j1-qd4" {print $92}' "$L/fio-multivar/logs/fio.log" | sed -n 2p)" "multivar_scale: a combination's mean write KiB/s from terse v5, second run"
spot apachebench '$1 == "mean-request" && $2 == 3 && $4 == 2' "$(grep -m1 '^Time per request' "$L/apachebench/logs/apachebench-3-2.log" | awk '{print $4}')" "ms per request, 3 clients, run 2"
spot siege '$2 == 4 && $4 == 1' "$(grep '^Transaction rate' "$L/siege/logs/siege-4-1.log" | awk '{print $3}')" "transactions/s, 4 users, run 1"
spot kernbench '$1 == "Elapsed" && $2 == 2 && $4 == 1' "$(grep -o '[0-9:.]*elapsed' "$L/kernbench/logs/time-2-1" | sed 's/elapsed//' | awk -F: '{print $1 * 60 + $2}')" "elapsed seconds of the first make -j2 build"
spot xfstests '$1 == "xfs/001"' "$(grep -o '^xfs/001 .*failed, exit status [0-9]*' "$L/xfstests/logs/xfstests-default.log" | grep -o '[0-9]*$')" "a failed test: its exit status"
spot xfstests '$1 == "generic/108"' "" "a test not run is no result"
spot postmark '$1 == "DataWrite/MB"' "$(sed -n 's/.*megabytes written (\([0-9.]*\) megabytes per second)/\1/p' "$L/postmark/logs/postmark.log")" "MB written per second"
spot postmark '$1 == "CreateTransact"' "$(grep -A1 'Creation alone' "$L/postmark/logs/postmark.log" | sed -n 's/.*Mixed with transactions: [0-9]* files (\([0-9]*\) per second)/\1/p')" "files created per second mixed with transactions"
spot netpipe '$4 == 82' "$(awk '$1 == 65539 {print $2}' "$L/netpipe/logs/netpipe.log")" "Mbps of the last message size (65539 bytes)"
spot hpcc '$1 == "HPL_Tflops" && $4 == 2' "$(sed -n 's/^HPL_Tflops=//p' "$L/hpcc/logs/hpccoutf-2.txt")" "HPL of the second run, from hpcc's own summary"
spot hpcc '$1 == "Elapsed" && $4 == 1' "$(grep -o '0:[0-9.]*elapsed' "$L/hpcc/logs/time-1" | sed 's/0://; s/elapsed//')" "GNU time's elapsed seconds of the first run"
spot pft '$1 == "faults/sec" && $2 == 2 && $4 == 3' "$(sed -n 3p "$L/pft/logs/pft-2.log" | awk '{print $8}')" "faults per wall second, 2 threads, third run"
spot pft '$1 == "system" && $2 == 1 && $4 == 1' "$(sed -n 1p "$L/pft/logs/pft-1.log" | awk '{sub(/s$/, "", $5); print $5}')" "system seconds, 1 thread, first run"
spot stutterp '$2 == 6 && $4 == 2' "$(sed -n 2p "$L/stutterp/logs/mmap-latency-6.log" | awk '{print int($2 / 1000)}')" "the second map-fault-unmap latency with 6 workers, us"
spot thpchallenge '$1 == "fault-huge" && $2 == 2 && $4 == 3' "$(awk '$1 == "fault" {print $4}' "$L/thpchallenge/logs/threads-2.log" | sed -n 3p)" "the third 2 MiB fault's latency with 2 threads, us"
spot thpchallenge '$1 == "huge" && $2 == 1' "$(awk '$1 == "fault" {n++; if ($3 == "huge") h++} END {print h * 100 / n}' "$L/thpchallenge/logs/threads-1.log")" "% of faults that got a huge page"
spot bonnie++ '$1 == "getc"' "$(awk '/^vm +64M/ {print $9}' "$L/bonnie++/logs/bonnie-1.err" | tr -d k)" "getc K/sec, as in bonnie++'s text report"
spot iperf3 '$1 == "recv" && $2 == 8920 && $3 == "0-2" && $4 == 2' "$(sed -n '/Summary Results:/,$p' "$L/iperf3/logs/tcp-8920-0-2.2" | grep -m2 -E '^\[ +[0-9]+\].*receiver$' | awk '{s += $7} END {print s}')" "TCP: the two streams' receiver lines summed"
spot iperf3-ipv6-udp '$1 == "lost-percent" && $2 == 1420 && $3 == "0-1" && $4 == 1' "$(sed -n '/Summary Results:/,$p' "$L/iperf3-ipv6-udp/logs/udp-1420-0-1.1" | grep -m1 'receiver$' | grep -o '[0-9]\+/[0-9]\+' | awk -F/ '{printf "%.4g", 100 * $1 / $2}')" "UDP over IPv6: lost datagrams in %"
spot sockperf '$1 == "lat-p99" && $2 == "under-load" && $4 == 2' "$(grep 'percentile 99.000' "$L/sockperf/logs/sockperf-under-load-2.log" | awk '{print $NF}')" "p99 under load"
spot netperf-ipv6-udp '$1 == "udpstream-recv" && $2 == 1024 && $4 == 2' "$(tail -2 "$L/netperf-ipv6-udp/logs/UDP_STREAM-1024.2" | awk 'NF == 4 {print $NF}')" "UDP over IPv6: the receiver's line"
spot netperf-tcp-rr '$2 == 64 && $4 == 3' "$(awk 'NF == 6 && $1 ~ /^[0-9]+$/ {print $NF}' "$L/netperf-tcp-rr/logs/TCP_RR-64.3")" "TCP_RR transactions/s"
spot pgbench '$1 == "tps" && $2 == 2 && $4 == 2' "$(sed -n 's/^progress: 2.0 s, \([0-9.]*\) tps.*/\1/p' "$L/pgbench/logs/pgbench-2.log")" "tps in second 2, 2 clients"
spot sysbench-oltp '$1 == "qps" && $2 == 1 && $4 == 2' "$(grep '^\[ 2s \]' "$L/sysbench-oltp/logs/sysbench-oltp-1.log" | grep -o 'qps: [0-9.]*' | cut -d' ' -f2)" "qps in second 2"
spot redis '$1 == "SET-RPS" && $2 == 4 && $4 == 2' "$(grep '^"SET"' "$L/redis/logs/redis-4-2.log" | cut -d, -f2 | tr -d '"' | awk '{print $1 / 1000}')" "SET, 4 clients, run 2: thousands of requests/s"
spot redis '$1 == "MSET-lat99" && $2 == 3 && $4 == 1' "$(grep '^"MSET' "$L/redis/logs/redis-3-1.log" | cut -d, -f7 | tr -d '"' | awk '{print $1 * 1000}')" "MSET (10 keys), 3 clients: p99 in us"
spot memcached '$2 == 16 && $4 == 3' "$(grep -o 'TPS: [0-9]*' "$L/memcached/logs/memaslap-16-3.log" | cut -d' ' -f2)" "TPS, 16 connections"
spot qperf '$1 == "latency" && $2 == "tcp" && $4 == 2' "$(awk '/^tcp_lat:/ {getline; printf "%.3f", $3 / 1000}' "$L/qperf/logs/qperf-2.log")" "TCP latency in usec from qperf's ns"
spot mm-dirty '$2 == 500 && $4 == 2' "$(grep '^Dirty rate' "$L/mm-dirty/logs/mm-dirty-500.log" | sed -n 2p | awk '{print $3}')" "achieved MB/s in second 2 at 500 MB/s"
spot migstream '$1 == "latency-max" && $2 == "both"' "$(grep '^Latency' "$L/migstream/logs/migstream-both-dst.log" | head -1 | grep -o 'max: [0-9]*' | cut -d' ' -f2)" "postcopy max latency"
spot perfpipe '$4 == 2' "$(awk '$2 == "usecs/op" {print $1}' "$L/perfpipe/logs/benchlog-_-_-2")" "usecs/op of sample 2"
spot perfsyscall '$4 == 3' "$(awk '$2 == "usecs/op" {print $1}' "$L/perfsyscall/logs/benchlog-_-_-3")" "usecs/op of sample 3"
spot perffutexwake '$2 == 3 && $4 == 2' "$(awk '/^\[Run 2\]: Wokeup/ {print $(NF - 1) * 1000}' "$L/perffutexwake/logs/benchlog-3-_-1")" "run 2 at 3 threads, ms as usecs"
spot futexbench '$1 == "hash" && $3 == 4 && $4 == 2' "$(grep -o '\[ [0-9]* ops/sec' "$L/futexbench/logs/hash-4.log" | sed -n 2p | tr -dc 0-9)" "hash: the second thread's ops/sec at 4 threads"
spot futexbench '$1 == "requeue" && $3 == 3 && $4 == 5' "$(sed -n 's/^\[Run 5\]: Requeued.* in \([0-9.]*\) ms$/\1/p' "$L/futexbench/logs/requeue-3.log")" "requeue run 5 at 3 threads (not requeue-pi's)"
spot pmqtest '$1 == "Max-3->2"' "$(sed -n 's/^#3 -> #2, .*Max *\([0-9]*\)$/\1/p' "$L/pmqtest/logs/pmqtest.log")" "the second pair's max latency"
spot rtmigration '$1 ~ /^task-1-/ && $4 == 3' "$(awk '/^Iter:/ {t = 1} t && $1 == "2:" {print $3; exit}' "$L/rtmigration/logs/rtmigration.log")" "task 1 in period 2 (the third row)"
spot pistress '$2 == 3' "$(cat "$L/pistress/logs/pistress-3.status")" "pi_stress's exit status with 3 groups (more than this machine's CPUs: refused)"
spot virtbench '$1 == "cow" && $4 == 7' "$(awk '$1 == "sample" && $2 == "cow" && $3 == 7 {print $4}' "$L/virtbench/logs/virtbench.log")" "ns per COW fault, sample 7"
spot migration '$1 == "total-time" && $2 == 10' "$(sed -n 's/^Total time: \([0-9]*\) ms$/\1/p' "$L/migration/logs/migration-10.log")" "total migration time at 10 MB/s"
is "$(awk '$1 == "sample" && $2 == "fork"' "$L/virtbench/logs/virtbench.log" | wc -l)" 10 "virtbench: at least 10 samples per test"

# netperf is not in Debian's main archive: without it and without the
# tarball in the mirror, --list and install say exactly what to do.
if ! command -v netperf >/dev/null; then
	like "$list" "^  no +netperf .* -- not available: no netperf, netserver here \(not packaged\); put netperf-2.7.0.tar.gz \(sha256 4569bafa4cca...\) in $MMTESTS_WORK/mirror" \
		"netperf: --list says what to put where"
	cfg=$(write_config config-np 'export MMTESTS="netperf-tcp"')
	out=$("$RUN" -c "$cfg" np 2>&1); rc=$?
	is "$rc" 1 "netperf: the run fails at install"
	like "$out" "netperf is not installed and not in Debian's main archive: install it, or put netperf-2.7.0.tar.gz \(sha256 4569bafa4cca3d548eb96a486755af40bd9ceb6ab7c6abd81cc6aa4875007c4e, from https://github.com/HewlettPackard/netperf/archive/netperf-2.7.0.tar.gz\) in $MMTESTS_WORK/mirror" \
		"netperf: install says what to put where"
fi
# Benchmarks built from upstream source: without the tarball --list and
# the install say plainly what to put where.
while read -r b bench cmd file sum url; do
	if ! command -v "$cmd" >/dev/null && [ ! -x "$MMTESTS_WORK/sources/$b-installed/bin/$cmd" ]; then
		like "$list" "^  no +$b .* -- not available: no $cmd here nor installable; put $file \(sha256 ${sum:0:12}...\) in $MMTESTS_WORK/mirror" \
			"$b: --list says what to put where"
		cfg=$(write_config "config-$b-none" "export MMTESTS=$bench")
		out=$("$RUN" -c "$cfg" "$b-none" 2>&1)
		is $? 1 "$b: the run fails at install"
		like "$out" "is not packaged: put $file \(sha256 $sum, from $url\) in $MMTESTS_WORK/mirror" "$b: install says what to put where"
	fi
done <<'EOF2'
wis wis-pf page_fault1_processes will-it-scale-a34a85cc1e9b9b74e94fdd3ecc479019da610e6a.tar.gz 6a60aee73c98e6c51794eb3dec4c88118f0bea0403a0b6f90c47f28cda2e19ed https://github.com/antonblanchard/will-it-scale/archive/a34a85cc1e9b9b74e94fdd3ecc479019da610e6a.tar.gz
schbench schbench schbench schbench-6300b8f3a8922c61ea6bb2cdfa1901a42c0cc6fc.tar.gz 760f87a93af99690b6a12fa47fdbaa49e3396d23e2b0622004e2696c19fa47d8 https://github.com/masoncl/schbench/archive/6300b8f3a8922c61ea6bb2cdfa1901a42c0cc6fc.tar.gz
libmicro libmicro-pipe libmicro-tattle libMicro-0.4.3.tar.gz c699e184b7c5862509c323f85f0decd124c2b6bd6f9877527498d6ea19268119 https://github.com/gormanm/libMicro/archive/0.4.3.tar.gz
ltp ltp runltp ltp-20260130.tar.gz a6dc82cbaaba9f404a70ee1199913078a81d5487d405f7caf7be33157d2294f3 https://github.com/linux-test-project/ltp/archive/20260130.tar.gz
coremark coremark coremark-build coremark-1.01.tar.gz 99c5a6d63af85a281b4e4d6ccb522c446653c435dfec9455ad73ef9e71f28bde https://github.com/eembc/coremark/archive/v1.01.tar.gz
unixbenchd unixbenchd unixbench-pgms byte-unixbench-5.1.3.tar.gz 3a6bb00f270a5329682dff20fd2c1ab5332ef046eb54a96a0d7bd371005d31a3 https://github.com/kdlucas/byte-unixbench/archive/v5.1.3.tar.gz
autonumabench autonumabench autonumabench-src autonuma-benchmark-1a6b2856b08ca67cf5689595a6387a9e0c408b1c.tar.gz ea0b8fd7cd4f1170763c194058ed7745cf011ebb67950eec52752dcbacc04173 https://github.com/pholasek/autonuma-benchmark/archive/1a6b2856b08ca67cf5689595a6387a9e0c408b1c.tar.gz
sysjitter sysjitter sysjitter cns-sysjitter-sysjitter-1.4.tar.gz 03219a4debfd6eeaef23b8504f082cf9fb3535958a48b26381ed226315d87de7 https://github.com/Xilinx-CNS/cns-sysjitter/archive/sysjitter-1.4.tar.gz
EOF2
done_testing
