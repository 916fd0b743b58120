# Every catalogue benchmark whose programs are installed here runs for
# real with tiny sizes, in one run-mmtests run; servers a shellpack starts
# are stopped when it ends, fails, or is interrupted; bad values and a
# port in use are named.
. "$(dirname "$0")/../lib.sh"
SP=$SRC/shellpacks
have() {	# have BENCH: every command its shellpack.conf lists is here
	local c conf
	conf=$(shellpack_of "$1")/shellpack.conf
	for c in $(sed -n 's/^commands = {\(.*\)}/\1/p' "$conf" | tr -d '",'); do
		PATH=$PATH:/usr/sbin:/usr/games:$BUILD/src/bench command -v "$c" >/dev/null || return 1
	done
}
benches=
for b in cyclictest stress-ng mbw sysbench-cpu sysbench-memory john fio dbench bonnie++ \
	iperf3 sockperf qperf pgbench sysbench-oltp redis memcached mm-dirty migstream virtbench \
	perfpipe perfsyscall perffutexwake futexbench pmqtest rtmigration pistress monitor tbench sysbenchcpu usemem fsmark \
	stockfish sysbenchmutex sqlite poundsyscall trunc perfnuma time_unmap io_uring saladfork gitcheckout apachebench siege \
	stutterp kernbench thpchallenge postmark netpipe hpcc pft; do
	# gitcheckout's command is made by its install (a clone): git is enough
	# kernbench builds Debian's kernel source, when it is installed
	[ "$b" = kernbench ] && [ ! -r /usr/src/linux-source-6.1.tar.xz ] && { echo "# kernbench: no linux-source-6.1 here, skipped"; continue; }
	if have "$b" || { [ "$b" = gitcheckout ] && command -v git >/dev/null; }; then benches+=" $b"; else echo "# $b: not installed here, skipped"; fi
done
port=$((20000 + $$ % 10000))	# below the ephemeral ports
# servers [NAME]: how many such servers run now that did not before
running() { for n in ${1:-iperf3 sockperf qperf postgres redis-server memcached mig-mon hackbench perf apache2 siege memory-hog mmap-latency fio NPtcp hpcc mpirun}; do pgrep -x "$n"; done | sort; }
before=$(running)
servers() { comm -13 <(echo "$before") <(running "$@") | grep -c .; }
# cyclictest beside MMTests's background load, when perf is here
bg=none
command -v perf >/dev/null && bg=hackbench
cfg=$(write_config config-smoke "export MMTESTS=\"${benches# }\"" "export CYCLICTEST_BACKGROUND=$bg" \
	'export CYCLICTEST_DURATION=1 STRESSNG_DURATION=1 STRESSNG_ITERATIONS=1 STRESSNG_STRESSORS="cpu switch"' \
	'export MBW_SIZE_MB=8 SYSBENCH_CPU_TIME=1 SYSBENCH_CPU_ITERATIONS=1 SYSBENCH_MEMORY_TOTAL_SIZE=32m SYSBENCH_MEMORY_ITERATIONS=1' \
	'export BONNIE_DATASET_SIZE=64m BONNIE_NR_FILES=1024 JOHN_ITERATIONS=1 JOHN_FORMATS=md5crypt FIO_RUNTIME=1 FIO_ITERATIONS=1 FIO_SIZE=8m DBENCH_DURATION_BASE=2 DBENCH_CLIENTS=2 TBENCH_DURATION=2 TBENCH_MAX_CLIENTS=2' \
	"export IPERF3_DURATION=1 IPERF3_ITERATIONS=1 IPERF3_PORT=$port SOCKPERF_DURATION=1 SOCKPERF_ITERATIONS=1 SOCKPERF_PORT=$((port + 1)) QPERF_DURATION=1 QPERF_ITERATIONS=1" \
	'export PGBENCH_MAX_TIME=2 PGBENCH_CLIENTS=2 PGBENCH_LOADSCRIPT=tpcb-like SYSBENCH_OLTP_DURATION=2 SYSBENCH_OLTP_THREADS=2 SYSBENCH_OLTP_TABLE_SIZE=1000' \
	"export REDIS_REQUESTS=5000 REDIS_ITERATIONS=1 REDIS_MAX_CLIENTS=2 REDIS_TESTS=set,get REDIS_PORT=$((port + 4)) MEMASLAP_DURATION=1 MEMASLAP_ITERATIONS=1 MEMASLAP_CONCURRENCY=4 MEMCACHED_PORT=$((port + 2))" \
	"export MMDIRTY_SIZE=16m MMDIRTY_DURATION=1 MIGSTREAM_DURATION=2 MIGSTREAM_TESTS=both MIGSTREAM_PORT=$((port + 3))" \
	'export VIRTBENCH_MIN_SAMPLE_MS=2 VIRTBENCH_TESTS="context-switch libc-syscall cow pte-update"' \
	'export PERFPIPE_LOOPS=2000 PERFPIPE_ITERATIONS=2 PERFPIPE_BINDING=pinned PERFSYSCALL_LOOPS=10000 PERFSYSCALL_ITERATIONS=2' \
	'export PERFFUTEXWAKE_ITERATIONS=3 PERFFUTEXWAKE_MAX_THREADS=2 FUTEXBENCH_WORKLOADS="hash wake" FUTEXBENCH_MAX_THREADS=2 FUTEXBENCH_RUNTIME=1' \
	'export PMQTEST_DURATION=1 PMQTEST_PAIRS=1 PMQTEST_BACKGROUND=hackbench RTMIGRATION_DURATION=1 PISTRESS_RUNTIME=1 PISTRESS_MAX_INVGROUPS=1 MONITOR_DURATION=1 SYSBENCHCPU_TIME=1 SYSBENCHCPU_ITERATIONS=1 SYSBENCHCPU_MAX_THREADS=2' \
	'export USEMEM_WORKLOAD_SIZE=64m USEMEM_PERCENTAGE_ANON=75 USEMEM_ITERATIONS=1 USEMEM_MAX_THREADS=2 FSMARK_NR_FILES_PER_ITERATION=500 FSMARK_ITERATIONS=2 FSMARK_NR_SUB_DIRECTORIES=4' \
	'export STOCKFISH_MAX_THREADS=2 STOCKFISH_ITERATIONS=1 STOCKFISH_GO="depth 8" STOCKFISH_HASH=16 SYSBENCHMUTEX_MAX_THREADS=2 SYSBENCHMUTEX_ITERATIONS=1 SQLITE_SIZE=5000 SQLITE_ITERATIONS=1 SQLITE_WARMUP=0' \
	'export POUNDSYSCALL_MAX_THREADS=2 POUNDSYSCALL_ITERATIONS=1 POUNDSYSCALL_CALLS=100000 TRUNC_ITERATIONS=1 TRUNC_FILESIZE=16m PERFNUMA_PROCESS_WSS=8m PERFNUMA_ITERATIONS=1 PERFNUMA_WORKLOADS=light_converge TIME_UNMAP_SIZE=32m TIME_UNMAP_ITERATIONS=1 IOURING_RUNTIME=2 IOURING_THREADS=1 SALADFORK_ITERATIONS=100' \
	"export GITCHECKOUT_REPO=$T/gitrepo GITCHECKOUT_COMMITS=one,two GITCHECKOUT_ITERATIONS=1" \
	"export APACHEBENCH_CLIENTS=2 APACHEBENCH_ITERATIONS=1 APACHEBENCH_REQUESTS=500 APACHEBENCH_PORT=$((port + 5))" \
	"export SIEGE_MAX_USERS=2 SIEGE_ITERATIONS=1 SIEGE_ITER_TIME=1 SIEGE_TIME_WAIT_LIMIT=1000000 SIEGE_PORT=$((port + 6))" \
	'export STUTTER_SIZE=256m STUTTER_FILE_PERCENTAGE=20 STUTTER_DURATION=2 STUTTER_CALIBRATE_SIZE=32m STUTTER_MIN_THREADS=4 STUTTER_MAX_THREADS=4' \
	'export KERNBENCH_CONFIG=tinyconfig KERNBENCH_ITERATIONS=1 KERNBENCH_MIN_THREADS=2 KERNBENCH_MAX_THREADS=2' \
	'export THPCHALLENGE_MAX_THREADS=2 THPCHALLENGE_THP_WSETSIZE=64m THPCHALLENGE_MADV_HUGEPAGE=yes' \
	'export POSTMARK_TRANSACTIONS=500 POSTMARK_SIMULTANEOUS_FILES=100 POSTMARK_MAX_SIZE=65536 POSTMARK_SUBDIRECTORIES=4' \
	"export NETPIPE_UPPER_BOUND=4k NETPIPE_PORT=$((port + 8))" \
	'export HPCC_WORKLOAD_SIZE=8m HPCC_ITERATIONS=1 PFT_MAPPING_SIZE=64m PFT_ITERATIONS=2 PFT_MAX_CLIENTS=2')
# a small repository with two tagged commits for gitcheckout
git init -q "$T/gitrepo" && for t in one two; do
	seq 1 2000 | sed "s/^/$t /" > "$T/gitrepo/file-$t" && git -C "$T/gitrepo" add -A &&
		git -C "$T/gitrepo" -c user.name=t -c user.email=t@t commit -qm "$t" && git -C "$T/gitrepo" tag "$t"
done
# what a benchmark killed outright (no trap ran) left in /tmp: removed by the next
sh -c 'exit 0' & dead=$!
wait "$dead"
ln -s /nonexistent "/tmp/mmtests-fsmark.$dead"
httpd_before=$(ls -d /tmp/mmtests-httpd.* 2>/dev/null)
ts_before=$(sysctl -n net.ipv4.tcp_timestamps)
t0=$(date +%s)
out=$("$RUN" -c "$cfg" smoke 2>&1); rc=$?
is "$rc" 0 "all installed benchmarks ran ($(( $(date +%s) - t0 )) s:$benches)"
[ "$rc" = 0 ] || grep -E 'error|ERROR' <<< "$out" | sed 's/^/#   /' | head -20
R=$MMTESTS_WORK/log/smoke
for b in $benches; do
	n=$(wc -l < "$R/iter-0/$b/parse-results.tsv" 2>/dev/null || echo 0)
	ok $((n == 0)) "$b: $n samples"
done
for b in $benches; do	# a row of numbers, under whatever name its summary gives the rows
	ok "$("$BUILD/bin/compare-mmtests" -d "$MMTESTS_WORK/log" -n smoke -b "$b" 2>/dev/null |
		grep -qE '^[A-Za-z][^ ]* [^ ]+ +-?[0-9.]+ \('; echo $?)" "$b: compare reads it"
done
is "$(servers)" 0 "no server left running"
is "$(comm -13 <(echo "$httpd_before") <(ls -d /tmp/mmtests-httpd.* 2>/dev/null) | grep -c .)" 0 "Apache's document roots in /tmp removed"
if [[ " $benches " == *" fsmark "* ]]; then
	ok "$(test ! -L "/tmp/mmtests-fsmark.$dead"; echo $?)" "fsmark removed the link a killed fsmark left in /tmp (its process is gone)"
	is "$(ls -d /tmp/mmtests-fsmark.* 2>/dev/null | grep -c .)" 0 "and its own"
fi
rm -f "/tmp/mmtests-fsmark.$dead"
is "$(sysctl -n net.ipv4.tcp_timestamps)" "$ts_before" "the sysctls siege sets put back"
if [ "$bg" = hackbench ] && [[ " $benches " == *" cyclictest "* ]]; then
	like "$(cat "$R/iter-0/cyclictest/bench.log")" "background hackbench: perf bench sched messaging" "cyclictest ran beside MMTests's background hackbench (and it was stopped: above)"
fi

# Bad values are refused before anything starts.
bad=$(write_config config-bad 'export MMTESTS="fio pgbench"' 'export FIO_RW=readwrite-ish' 'export FIO_SIZE=-1' 'export PGBENCH_LOADSCRIPT=read-mostly')
out=$("$RUN" -c "$bad" bad 2>&1); rc=$?
is "$rc" 2 "bad values: nothing runs"
like "$out" "FIO_RW='readwrite-ish' is not one of the accepted values \(benchmark fio; use read write" "an unknown fio rw mode is named"
like "$out" "FIO_SIZE='-1' is not a positive size" "a negative size is named"
like "$out" "PGBENCH_LOADSCRIPT='read-mostly' is not one of the accepted values \\(benchmark pgbench; use tpcb-like simple-update select-only" "an unknown pgbench script is named, with the ones there are"
ok "$(test ! -e "$MMTESTS_WORK/log/bad"; echo $?)" "and no run directory was made"

if have iperf3 && have redis; then
	# A failed benchmark stops its server; the run goes on to the next test.
	f=$(write_config config-fail 'export MMTESTS="iperf3 redis"' "export IPERF3_PORT=$port IPERF3_BUFFER_SIZES=99999999 IPERF3_DURATION=1" \
		"export REDIS_REQUESTS=2000 REDIS_ITERATIONS=1 REDIS_CLIENTS=2 REDIS_TESTS=set REDIS_PORT=$((port + 4))")
	out=$("$RUN" -c "$f" fail 2>&1); rc=$?
	is "$rc" 1 "a failed benchmark fails the run"
	like "$out" "iperf3 \(iter-0\) failed with exit status 1; read $MMTESTS_WORK/log/fail/iter-0/iperf3/bench.log" "naming its log"
	is "$(jq -r '.results[0].tests[1].status' "$MMTESTS_WORK/log/fail/run.json")" done "the next test ran"
	is "$(servers iperf3)" 0 "the failed benchmark's server was stopped"

	# Another program on the port: named, with the variable to change.
	MMTESTS_SYNC_SECRET=s "$SYNC" --serve --members x --listen "127.0.0.1:$port" >/dev/null 2>&1 &
	holder=$!
	for i in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
	p=$(write_config config-port 'export MMTESTS="iperf3"' "export IPERF3_PORT=$port")
	"$RUN" -c "$p" port >/dev/null 2>&1
	like "$(cat "$MMTESTS_WORK/log/port/iter-0/iperf3/bench.log")" "127.0.0.1:$port is in use by another program .*set IPERF3_PORT to a free port" "a port in use names the variable"
	kill "$holder"
fi

if have siege; then
	# Ctrl-C, then SIGKILL of run-mmtests, mid-siege: Apache stops, its
	# document root in /tmp goes, the sysctls siege set are put back.
	for sig in INT KILL; do
		s=$(write_config config-siege-$sig 'export MMTESTS="siege"' \
			"export SIEGE_MAX_USERS=1 SIEGE_ITERATIONS=1 SIEGE_ITER_TIME=60 SIEGE_TIME_WAIT_LIMIT=1000000 SIEGE_PORT=$((port + 7))")
		"$RUN" -c "$s" siege-$sig >/dev/null 2>&1 &
		pid=$!
		for n in $(seq 300); do grep -q "siege -b" "$MMTESTS_WORK/log/siege-$sig/iter-0/siege/bench.log" 2>/dev/null && break; sleep 0.1; done
		is "$(sysctl -n net.ipv4.tcp_timestamps)" 0 "siege ($sig): running, with MMTests's tcp_timestamps=0"
		kill -"$sig" "$pid"
		wait "$pid"
		# a SIGKILLed run-mmtests leaves the clean-up to its keeper: give it the grace period
		for n in $(seq 150); do
			[ "$(servers "apache2 siege")" = 0 ] && [ "$(sysctl -n net.ipv4.tcp_timestamps)" = "$ts_before" ] &&
				! comm -13 <(echo "$httpd_before") <(ls -d /tmp/mmtests-httpd.* 2>/dev/null) | grep -q . && break
			sleep 0.1
		done
		is "$(servers "apache2 siege")" 0 "siege ($sig): Apache and siege stopped"
		is "$(comm -13 <(echo "$httpd_before") <(ls -d /tmp/mmtests-httpd.* 2>/dev/null) | grep -c .)" 0 "siege ($sig): the document root removed"
		is "$(sysctl -n net.ipv4.tcp_timestamps)" "$ts_before" "siege ($sig): tcp_timestamps put back"
	done
	is "$(jq -r .status "$MMTESTS_WORK/log/siege-INT/run.json")" interrupted "siege (INT): the run is marked interrupted"
	# siege 4.0 can die as its timed run ends, before its report (a glibc
	# race): a siege on PATH that does so once; the run is retried, counted
	mkdir -p "$T/crashing-siege"
	printf '#!/bin/bash\nif [ ! -e %q ]; then touch %q; echo "** SIEGE 4.0.7"; echo "Lifting the server siege..." >&2; kill -SEGV $$; fi\nexec %q "$@"\n' \
		"$T/siege-crashed" "$T/siege-crashed" "$(command -v siege)" > "$T/crashing-siege/siege"
	chmod +x "$T/crashing-siege/siege"
	s=$(write_config config-siege-crash 'export MMTESTS="siege"' \
		"export SIEGE_MAX_USERS=1 SIEGE_ITERATIONS=1 SIEGE_ITER_TIME=1 SIEGE_TIME_WAIT_LIMIT=1000000 SIEGE_PORT=$((port + 7))")
	PATH=$T/crashing-siege:$PATH "$RUN" -c "$s" siege-crash >/dev/null 2>&1
	is "$?" 0 "siege: a run that died before its report is retried, not fatal"
	is "$(cat "$MMTESTS_WORK/log/siege-crash/iter-0/siege/logs/siege-1-1.failures" 2>/dev/null)" 1 "siege: the retry is counted"
	like "$(cat "$MMTESTS_WORK/log/siege-crash/iter-0/siege/bench.log")" "siege ended \\(status 139\\) with no report: retried" "siege: the retry is said, with siege's status"
	like "$(cat "$MMTESTS_WORK/log/siege-crash/iter-0/siege/logs/siege-1-1.log")" "^Transaction rate:" "siege: the retried run's report is the one kept"
fi

if have pgbench; then
	# Ctrl-C mid-benchmark: the database server goes too, the tree stays valid.
	i=$(write_config config-intr 'export MMTESTS="pgbench"' 'export PGBENCH_MAX_TIME=60 PGBENCH_CLIENTS=1')
	"$RUN" -c "$i" intr >/dev/null 2>&1 &
	pid=$!
	for n in $(seq 300); do grep -q "^progress: 2" "$MMTESTS_WORK/log/intr/iter-0/pgbench/logs/pgbench-1.log" 2>/dev/null && break; sleep 0.1; done
	kill -INT "$pid"
	wait "$pid"; rc=$?
	is "$rc" 130 "Ctrl-C during pgbench"
	is "$(servers postgres)" 0 "the PostgreSQL server was stopped"
	is "$(jq -r .status "$MMTESTS_WORK/log/intr/run.json")" interrupted "the run is marked interrupted"
fi
done_testing
