# mig-mon for real over loopback: the migration-stream emulator's two ends
# and its wire format (tests/fixtures/migmon/wire.md), the dirty-memory
# generator's rate and integrity check, the downtime probe against a server
# stopped for a known time, and bad input.
. "$(dirname "$0")/../lib.sh"
M=$BUILD/src/bench/mig-mon
# six ports below the ephemeral range that nothing else holds (a VM's
# forwarded port left by another test would answer in mig-mon's place)
port=$((20000 + $$ % 10000))
while ss -Hlntu | awk -v p="$port" '{n = split($5, a, ":"); q = a[n] - p} q >= 0 && q < 6 {f = 1} END {exit !f}'; do
	port=$((port + 6))
done
listening() {	# listening PORT [-u]: wait (up to 10 s) for a TCP (UDP) listener
	for i in $(seq 100); do
		ss -Hln "${2:--t}" "sport = :$1" | grep -q . && return
		sleep 0.1
	done
}

# vm: precopy + postcopy between the two ends
"$M" vm -d -b 127.0.0.1 -p "$port" -S 1 -D 6 > "$T/dst.out" 2>&1 &
dst=$!
listening "$port"
"$M" vm -s -H 127.0.0.1 -p "$port" -t precopy -t postcopy -S 1 -D 2.5 > "$T/src.out" 2>&1
ok $? "vm source: 2.5 s of precopy and postcopy"
like "$(cat "$T/src.out")" "^Speed: [1-9][0-9]* \(MB/s\)$" "the source prints its bandwidth every second"
like "$(cat "$T/src.out")" "^Total: [0-9]+ MB in 2\.[0-9] s, average [0-9.]+ MB/s$" "and a total"

# the wire, from a raw peer: a handshake and page 0 from "the source"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf '\x25\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >&3
req=$(timeout 10 head -c 16 <&3 | od -An -tx1 | tr -s ' \n' ' ')
like "$req" "^ 24 01 00 00 00 00 00 00 " "after HANDSHAKE the destination requests a page (REQ_PAGE 0x124)"
idx=$(printf '%s' "$req" | awk '{print $9$10$11$12}')
# answer it: SEND_PAGE with the requested index, then the page
{ printf '\x23\x01\0\0\0\0\0\0'; printf "$(printf '%s' "$req" | awk '{for (i = 9; i <= 16; i++) printf "\\x%s", $i}')"; head -c 4096 /dev/zero; } >&3
req2=$(timeout 10 head -c 16 <&3 | od -An -tx1 | tr -s ' \n' ' ')
like "$req2" "^ 24 01 00 00 00 00 00 00 " "the page answered its request: the next request comes"
printf '\x99\x99\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >&3
exec 3>&-
sleep 0.5
like "$(cat "$T/dst.out")" "magic error: 0x9999 from 127.0.0.1 \(not a mig-mon source\?\): dropping it" "a wrong magic is named and the peer dropped"
kill -0 "$dst"
ok $? "the destination keeps serving after a bad peer"
"$M" vm -s -H 127.0.0.1 -p "$port" -S 1 -D 1 > "$T/src2.out" 2>&1
ok $? "another source connects afterwards"
wait "$dst"
ok $? "the destination ends after -D"
like "$(cat "$T/dst.out")" "^Latency: average [0-9]+ \(us\), max: [0-9]+ \(us\)$" "the destination prints postcopy request latency every second"

# A source that connects and stalls holds no other, nor the end at -D.
p3=$((port + 3))
"$M" vm -d -b 127.0.0.1 -p "$p3" -S 1 -D 4 > "$T/dst3.out" 2>&1 &
dst3=$!
listening "$p3"
exec 4<>"/dev/tcp/127.0.0.1/$p3"	# connected, never says anything
"$M" vm -s -H 127.0.0.1 -p "$p3" -S 1 -D 1 > "$T/src3.out" 2>&1
ok $? "a source streams while another connection to the destination stalls"
like "$(cat "$T/src3.out")" "^Total: [1-9][0-9]* MB" "and its pages get through"
timeout 60 tail --pid="$dst3" -f /dev/null
ok "$(kill -0 "$dst3" 2>/dev/null; echo $((! $?)))" "the destination ends at -D with the stalled peer still connected"
exec 4>&-
wait "$dst3" 2>/dev/null

# the wire, from our source: captured by a raw listener
if command -v busybox >/dev/null; then
	# (stdin kept open: busybox nc hangs up at its end)
	# (timeout: a listener nobody reaches must not hold the test)
	sleep 3 | timeout 30 busybox nc -l -p "$((port + 1))" > "$T/wire" 2>/dev/null &
	listening "$((port + 1))"
	"$M" vm -s -H 127.0.0.1 -p "$((port + 1))" -t precopy -t postcopy -D 0.5 >/dev/null 2>&1
	wait $!
	is "$(head -c 32 "$T/wire" | od -An -tx1 | tr -s ' \n' ' ')" \
		" 25 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 23 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 " \
		"the source sends HANDSHAKE then SEND_PAGE 0, as wire.md says"
	is "$(od -An -v -tx1 -j 32 -N 4096 "$T/wire" | tr -d ' \n0')" "" "then page 0's 4096 bytes, zeros"
	is "$(od -An -tx1 -j 4128 -N 16 "$T/wire" | tr -s ' \n' ' ')" " 23 01 00 00 00 00 00 00 01 00 00 00 00 00 00 00 " "then page 1"
fi
# -D holds on the source too: a destination that accepts and never reads
# (the socket fills), and one whose accept queue is full (SYNs dropped:
# connect() would wait minutes). timeout 120 only stops a hang.
python3 - "$((port + 4))" "$((port + 5))" > "$T/stall.out" 2>&1 <<'PY' &
import socket, sys, time
r = socket.socket(); r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
r.bind(("127.0.0.1", int(sys.argv[1]))); r.listen(1)
q = socket.socket(); q.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
q.bind(("127.0.0.1", int(sys.argv[2]))); q.listen(0)
fill = []
for i in range(3):	# fill q's accept queue; nobody accepts
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", int(sys.argv[2])))
    except BlockingIOError: pass
    fill.append(c)
print("ready", flush=True)
held, _ = r.accept()
time.sleep(120)
PY
stall=$!
for i in $(seq 100); do grep -q ready "$T/stall.out" 2>/dev/null && break; sleep 0.1; done
timeout 120 "$M" vm -s -H 127.0.0.1 -p "$((port + 4))" -S 1 -D 2 > "$T/src4.out" 2>&1; rc=$?
is "$rc" 0 "a destination that stops reading: the source still ends at -D"
like "$(cat "$T/src4.out")" "^Total: " "with its summary"
out=$(timeout 120 "$M" vm -s -H 127.0.0.1 -p "$((port + 5))" -S 1 -D 2 2>&1); rc=$?
is "$rc" 1 "a destination that never completes the connection: the source gives up at -D"
like "$out" "cannot connect to the dst VM at 127.0.0.1:$((port + 5)): Connection timed out" "saying so"
kill "$stall" 2>/dev/null; wait "$stall" 2>/dev/null
out=$("$M" vm -s -H 127.0.0.1 -p "$((port + 2))" -D 1 2>&1); rc=$?
is "$rc" 1 "no destination: the source fails"
like "$out" "cannot connect to the dst VM at 127.0.0.1:$((port + 2)): Connection refused" "and says where it tried"
"$M" vm -d -b 127.0.0.1 -p "$port" -D 3 >/dev/null 2>&1 &
busy=$!
listening "$port"
out=$("$M" vm -d -b 127.0.0.1 -p "$port" -D 1 2>&1); rc=$?
is "$rc" 1 "a port in use: the destination fails"
like "$out" "cannot listen on 127.0.0.1:$port: Address already in use \(another program has it; choose another with -p\)" "and says so"
kill "$busy" 2>/dev/null; wait "$busy"

# mm_dirty: a rate the machine sustains, within 5%
"$M" mm_dirty -m 64 -r 200 -D 3 -j "$T/md.json" > "$T/md.out" 2>&1
ok $? "mm_dirty -m 64 -r 200 for 3 s"
a=$(jq .achieved_mb_s "$T/md.json")
ok "$(awk -v a="$a" 'BEGIN {exit !(a >= 190 && a <= 210)}'; echo $?)" "achieved $a MB/s, within 5% of 200"
"$M" mm_dirty -m 64 -r 200 -s 10 -D 2 -j "$T/md10.json" > /dev/null 2>&1
a=$(jq .achieved_mb_s "$T/md10.json")
ok "$(awk -v a="$a" 'BEGIN {exit !(a >= 190 && a <= 210)}'; echo $?)" "paced in 10 ms slices: achieved $a MB/s, within 5% of 200"
like "$(cat "$T/md.out")" "^dirty-rate: [0-9]+ \(MB/s\), time \(ms\): [0-9]+, load: [0-9]+\.[0-9]{2}%$" "rate, window and load every second, in mig_mon's format"
# the original's plot_mm_dirty.py pattern matches our lines
like "$(python3 -c 'import re, sys
p = re.compile(r"dirty-rate:\s*([\d.]+)\s*\(MB/s\),\s*time \(ms\):\s*(\d+),\s*load:\s*([\d.]+)%(?:,\s*lat \(us\):\s*p50=(\d+)\s+p99=(\d+)\s+max=(\d+))?")
print(sum(1 for l in open(sys.argv[1]) if p.search(l)))' "$T/md.out")" '^[2-9]$' "mig_mon's plot script pattern reads every per-second line"
out=$("$M" mm_dirty -m 16 -r 100000000 -D 1 2>&1)
like "$out" "target 100000000.0 MB/s; NOT reached: this is what the machine sustains" "a rate above reach: says so, with the achieved rate"
out=$("$M" mm_dirty -m 8 -r 100 -D 1 -L 2>&1)
like "$out" "Write latency \(ns, bucket upper bound\): p50 [0-9]+ p90 [0-9]+ p99 [0-9]+ p99.9 [0-9]+ max [0-9]+" "-L: write latency percentiles"
like "$out" "^  \[[0-9]+, [0-9]+\): [0-9]+$" "-L: and a histogram"
like "$out" "^dirty-rate: [0-9]+ \(MB/s\), time \(ms\): [0-9]+, load: [0-9.]+%, lat \(us\): p50=[0-9]+ p99=[0-9]+ max=[0-9]+$" "-L: each second's latency on its line, as mig_mon prints it"
is "$("$M" mm_dirty -m 4 -p random -r 40 -D 1 | tail -1 | grep -o 'dirtied in [0-9.]* s')" "dirtied in 1.0 s" "random pattern"
like "$("$M" mm_dirty -m 4 -p once 2>&1 | tail -1)" "^Total: 1024 pages dirtied" "once: every page once, then done"
# Ctrl-C in a window's sleep: that window's pages were its quota, so the
# rate stays the target (it used to count them over the cut second)
"$M" mm_dirty -m 16 -r 50 -j "$T/int-rate.json" > "$T/int-rate.out" 2>&1 &
pid=$!
for i in $(seq 100); do [ "$(grep -c '^dirty-rate' "$T/int-rate.out")" -ge 2 ] && break; sleep 0.1; done
sleep 0.3	# into the next window's sleep (its 12800 pages take milliseconds)
kill -INT $pid; wait $pid
a=$(jq .achieved_mb_s "$T/int-rate.json")
ok "$(awk -v a="$a" 'BEGIN {exit !(a >= 45 && a <= 55)}'; echo $?)" "interrupted mid-window: $a MB/s reported for a 50 MB/s target"
# the original mig_mon's command lines: its own example, short pattern
# names, 4k pages, a rate with a unit, -v
like "$("$M" mm_dirty -m 500M -r 100M -p random -D 1 2>&1 | tail -1)" "^Total: [0-9]+ pages dirtied .*\(target 100\.0 MB/s\)" \
	"mm_dirty -m 500M -r 100M -p random (the original's example) runs"
like "$("$M" mm_dirty -m 4 -p ran -P 4k -r 1G -D 1 2>&1 | head -2 | tr '\n' ' ')" "random, rate-limited .*Target dirty rate: 1024\.0 MB/s" \
	"-p ran, -P 4k and -r 1G are the original's random, normal pages and 1024 MB/s"
like "$("$M" mm_dirty -m 4 -p seq -D 1 2>&1 | head -1)" ", sequential, " "-p seq is sequential"
out=$("$M" mm_dirty -m 4 -r 2000000000000 -D 1 2>&1); rc=$?
is "$rc" 2 "an absurd rate is refused"
like "$out" "at most 1000000000000 MB/s" "naming the bound"
like "$("$M" -v)" "^Version: " "mig-mon -v prints its version as the original does"

# the integrity check: a byte changed behind its back is caught
if [ "$(id -u)" = 0 ]; then
	"$M" mm_dirty -m 8 -r 8 -D 20 > "$T/int.out" 2>&1 &
	pid=$!
	for i in $(seq 50); do grep -q "^dirty-rate" "$T/int.out" && break; sleep 0.1; done
	addr=$(sed -n 's/^Dirtying 8 MB at \(0x[0-9a-f]*\),.*/\1/p' "$T/int.out")
	# the last page: written in this round only after a while
	printf '\x77' | dd of=/proc/$pid/mem bs=1 seek=$((addr + 8 * 1048576 - 4096)) conv=notrunc 2>/dev/null
	wait "$pid"; rc=$?
	is "$rc" 3 "a corrupted page stops mm_dirty (exit 3)"
	like "$(cat "$T/int.out")" "memory corrupted: page 2047 holds 119" "naming the page and what it holds"
fi

# bad input
for a in "-m 0" "-m -5" "-m 5q" "-r 0" "-r -1" "-r fast" "-p sideways" "-P 3m" "-s 0" "-s 2000"; do
	"$M" mm_dirty $a -D 1 >/dev/null 2>&1
	is "$?" 2 "mm_dirty $a is refused"
done
like "$("$M" mm_dirty -m 5q 2>&1)" "-m '5q': a memory size \(MB, or with k/m/g/t\) of at least 4 KiB" "naming the value"
if [ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null || echo 0)" = 0 ]; then
	out=$("$M" mm_dirty -m 4 -P 2m -D 1 2>&1); rc=$?
	is "$rc" 1 "huge pages not reserved: mm_dirty fails"
	like "$out" "cannot map 4 MB of 2m huge pages: .* are enough reserved\? \(/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages\)" "and says where to reserve them"
fi

# downtime: the echo server stopped for 0.6 s
"$M" server_rr -p "$port" > "$T/srv.out" 2>&1 &
srv=$!
listening "$port" -u
"$M" client_rr -p "$port" -D 3 -j "$T/dt.json" 127.0.0.1 20 "$T/spikes" > "$T/cli.out" 2>&1 &
cli=$!
sleep 1
kill -STOP "$srv"; sleep 0.6; kill -CONT "$srv"
wait "$cli"
ok $? "client_rr ran 3 s"
gap=$(jq .max_gap_ms "$T/dt.json")
ok "$(awk -v g="$gap" 'BEGIN {exit !(g >= 580 && g <= 800)}'; echo $?)" "the 0.6 s stop shows as a ${gap} ms gap"
ok "$(awk -v l="$(jq .lost "$T/dt.json")" 'BEGIN {exit !(l >= 20 && l <= 40)}'; echo $?)" "probes sent meanwhile counted lost ($(jq .lost "$T/dt.json"))"
b=$(jq .baseline_ms "$T/dt.json")
ok "$([ "$b" -ge 19 ] && [ "$b" -le 21 ]; echo $?)" "baseline is the interval ($b ms: whole ms, the first reply may wake late)"
like "$(cat "$T/spikes")" "^[0-9]{10},$gap$" "the spike logged as epoch,delay_ms"
like "$(head -1 "$T/spikes")" "^[0-9]{10},-1$" "after the start marker"
out=$("$M" server_rr -p "$port" 2>&1); rc=$?
is "$rc" 1 "a UDP port in use: server_rr fails"
like "$out" "cannot listen on UDP port $port: Address already in use" "and says so"
kill "$srv"; wait "$srv" 2>/dev/null
# one way
"$M" server -p "$port" "$T/oneway" > "$T/ow.out" 2>&1 &
srv=$!
listening "$port" -u
"$M" client -p "$port" -D 1 127.0.0.1 50 >/dev/null 2>&1
kill -INT "$srv"; wait "$srv"
like "$(cat "$T/ow.out")" "^Summary: (18|19|20|21) probes, 0 lost, baseline ([4-9][0-9]|1[0-9][0-9]) \(ms\)" "server/client: one-way probes counted on the server (the baseline is the 50 ms interval, late under load)"
# probes that never arrive: numbers 0, 1, then 5 -- three lost
"$M" server -p "$port" -j "$T/ow.json" > "$T/ow2.out" 2>&1 &
srv=$!
listening "$port" -u
for s in 0 1 5; do printf "echo\\x0$s\\0\\0\\0\\0\\0\\0\\0" > "/dev/udp/127.0.0.1/$port"; sleep 0.05; done
kill -INT "$srv"; wait "$srv"
is "$(jq -c '[.probes, .lost]' "$T/ow.json")" "[3,3]" "the one-way server counts the missing sequence numbers as lost"

# migrate: bad input (a real migration is tests/cli/migration.t)
"$M" migrate -s "$T/nosuch.qmp" >/dev/null 2>&1
is "$?" 2 "migrate without -d and -u: usage error"
out=$("$M" migrate -s "$T/nosuch.qmp" -d "$T/nosuch.qmp" -u unix:"$T/m.sock" 2>&1); rc=$?
is "$rc" 1 "migrate to no QEMU fails"
like "$out" "$T/nosuch.qmp: cannot connect: No such file or directory \(is QEMU running with -qmp unix:" "naming the socket"
# -J: a migration libvirt made (virsh domjobinfo --completed, captured)
J=$SRC/tests/fixtures/migmon/jobinfo.txt
out=$("$M" migrate -J "$J" -b 100 -t 300 -w 64 -r 20 -j "$T/jobinfo.json")
ok $? "migrate -J reads libvirt's job information"
like "$out" "^Total time: $(awk '/^Time elapsed:/ {print $3}' "$J") ms$" "the total time"
like "$out" "^Downtime: $(awk '/^Total downtime:/ {print $3}' "$J") ms \(QEMU\)$" "QEMU's downtime"
like "$out" "^Passes: $(awk '/^Iteration:/ {print $2 - 1}' "$J") " "the passes"
mem=$(awk '/^Memory total:/ {t = $3} /^Constant pages:/ {c = $3} /^Page size:/ {p = $3} END {printf "%.1f", t - c * p / 1048576}' "$J")
like "$out" "^Memory: .*: M = $mem MB$" "memory less libvirt's constant (zero) pages"
like "$out" "^Model error: time [-+][0-9.]+%, data [-+][0-9.]+%" "the model's error"
is "$(jq -r .status "$T/jobinfo.json")" completed "and as JSON"
printf 'Job type:         None\n' > "$T/none.txt"
like "$("$M" migrate -J "$T/none.txt" 2>&1)" "none.txt: no completed migration" "no completed job: said"
sed 's/^Data processed: .*/Data processed:   lots/' "$J" > "$T/bad.txt"
like "$("$M" migrate -J "$T/bad.txt" 2>&1)" "bad.txt:[0-9]+: 'lots' is not a size" "a bad size: file, line and value"
"$M" migrate -J "$J" -s "$T/x.qmp" >/dev/null 2>&1
is "$?" 2 "-J with -s: usage error"
if command -v socat >/dev/null; then
	timeout 30 socat UNIX-LISTEN:"$T/fake.qmp" SYSTEM:'echo SSH-2.0-dropbear; sleep 1' &
	for i in $(seq 100); do [ -S "$T/fake.qmp" ] && break; sleep 0.1; done
	out=$("$M" migrate -s "$T/fake.qmp" -d "$T/fake.qmp" -u unix:"$T/m.sock" 2>&1); rc=$?
	is "$rc" 1 "a peer that is not QEMU's QMP: migrate fails"
	like "$out" "fake.qmp: not a QMP greeting: SSH-2.0-dropbear" "showing what it said"
	wait
fi
# the precopy model (Hirofuchi et al.), against sums worked by hand:
# 1024 MB at 1000 MB/s, 300 ms allowed (300 MB): dirtying 100 MB/s leaves
# 102.4 MB after one round; 500 MB/s leaves 512, then 256 MB
is "$("$M" model -m 1024 -d 100 -b 1000 -t 300)" "model: rounds 1, total 1.126 s, data 1126.4 MB, downtime 102.4 ms" "model: one round"
is "$("$M" model -m 1024 -d 500 -b 1000 -t 300)" "model: rounds 2, total 1.792 s, data 1792.0 MB, downtime 256.0 ms" "model: two rounds"
like "$("$M" model -m 1024 -d 1000 -b 1000)" "^model: no convergence: dirty rate 1000.0 MB/s >= bandwidth 1000.0 MB/s" "model: D >= B never converges"
is "$("$M" model -m 1024 -d 1000 -b 1000 -w 200)" "model: rounds 1, total 1.224 s, data 1224.0 MB, downtime 200.0 ms" "model: unless the working set fits the downtime"
"$M" model -m 0 -d 1 -b 1 >/dev/null 2>&1
is "$?" 2 "model: a zero memory size is refused"
# virtbench: the method (>= 10 samples, median (min-max), peaks) and its errors
VB=$BUILD/src/bench/virtbench
out=$("$VB" -m 2 libc-syscall pte-update)
ok $? "virtbench runs two tests"
is "$(grep -c '^sample libc-syscall ' <<< "$out")" 10 "10 samples by default"
like "$out" "^libc-syscall: median [0-9.]+ \([0-9.]+-[0-9.]+\) ns, [0-9]+ ops per sample, peaks: [0-9.]+" "median (min-max) and peaks"
like "$("$VB" -l)" "^memburn-random +one cache line, at random over 64 MiB$" "-l lists the tests"
"$VB" -n 5 >/dev/null 2>&1
is "$?" 2 "virtbench -n 5: fewer than 10 samples is refused"
# the read tests: O_DIRECT on a disk file; a file in memory is refused
out=$(cd "$T" && "$VB" -m 2 read-latency read-bandwidth); rc=$?
is "$rc" 0 "read-latency and read-bandwidth on $T"
like "$out" "^read-bandwidth: median [0-9.]+ .* [0-9.]+ MB/s at the median$" "read-bandwidth adds MB/s"
if [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ]; then
	out=$("$VB" -f /dev/shm/vb-$$ read-latency 2>&1); rc=$?
	is "$rc" 1 "read-latency on tmpfs: refused when named"
	like "$out" "vb-$$: it is in memory \(tmpfs\): give a file on a disk with -f" "saying why"
	like "$("$VB" -m 1 -f /dev/shm/vb-$$ 2>&1)" "^read-latency, read-bandwidth: skipped: /dev/shm/vb-$$: it is in memory" "skipped, saying so, in a run of all tests"
	rm -f /dev/shm/vb-$$
fi
# tcp-bandwidth: to its own sink, and to a sink run with -S
like "$("$VB" -m 2 tcp-bandwidth)" "^tcp-bandwidth: median [0-9.]+ .* MB/s at the median$" "tcp-bandwidth to its own sink"
"$VB" -S "127.0.0.1:$((port + 5))" > "$T/sink.out" &
sink=$!
listening "$((port + 5))"
out=$("$VB" -m 2 -H "127.0.0.1:$((port + 5))" tcp-bandwidth ping-pong sendfile udp-bandwidth)
for t in tcp-bandwidth ping-pong sendfile udp-bandwidth; do
	is "$(grep -c "^sample $t " <<< "$out")" 10 "$t to a -S sink: 10 samples"
done
like "$out" "^udp-bandwidth: [0-9.]+% of [0-9]+ datagrams lost$" "udp-bandwidth reports the loss"
kill -INT "$sink"; wait "$sink"
like "$(cat "$T/sink.out")" "^sink: [1-9][0-9]* connections, [0-9.]+ MB over TCP, [0-9.]+ MB over UDP$" "the sink accounts for what reached it when stopped"
like "$("$VB" -H "127.0.0.1:$((port + 5))" tcp-bandwidth 2>&1)" "connect to the sink \(virtbench -S\): Connection refused" "no sink: said"
like "$("$VB" nosuch 2>&1)" "no test 'nosuch' \(virtbench -l lists them\)" "an unknown test is named"
out=$("$M" client_rr 2>&1); rc=$?
is "$rc" 2 "client_rr without a host: usage error"
done_testing
