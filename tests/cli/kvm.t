# run-kvm with real VMs under a real libvirtd (TCG): two guests in
# lock-step, then one destroyed mid-run. Needs root, qemu and libvirt
# (tools/install-deps --test installs them) and Debian's kernel package.
. "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" -ne 0 ] || ! command -v qemu-system-x86_64 >/dev/null || ! command -v libvirtd >/dev/null; then
	echo "1..0 # SKIP needs root, qemu-system-x86 and libvirt-daemon-system"
	exit 0
fi
V="virsh -q -c qemu:///system"
started=()
doms=()
cleanup() {
	for d in "${doms[@]}"; do
		$V destroy "$d" >/dev/null 2>&1; $V undefine "$d" >/dev/null 2>&1
		"$SRC/bin/make-guest-domain" --remove "$d"
	done
	for p in "${started[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
if ! $V version >/dev/null 2>&1; then
	[ -c /dev/kvm ] && getent group kvm >/dev/null && chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
	pgrep -x virtlogd >/dev/null || { virtlogd >/dev/null 2>&1 & started+=($!); }
	taskset -c 0 libvirtd >/dev/null 2>&1 & started+=($!)
	for i in $(seq 100); do $V version >/dev/null 2>&1 && break; sleep 0.1; done
fi
$V version >/dev/null 2>&1
ok $? "libvirtd answers"

G=${MMTESTS_GUEST_CACHE:-/var/tmp/mmtests-c-guest}
"$SRC/bin/make-guest" "$G" --bin "$(command -v hackbench)" > "$T/make-guest.log" 2>&1
ok $? "make-guest builds a guest ($(tail -1 "$T/make-guest.log"))"

free_port() {
	local p=$1
	while ss -Hltn "sport = :$p" | grep -q .; do p=$((p + 1)); done
	echo "$p"
}
# below the ephemeral range (32768+), where a connection may hold any port
port=$(free_port $((20000 + $$ % 10000)))
inv=$T/inventory.conf
: > "$inv"
bport=$(free_port $((port + 50)))
# VM 2 is managed through qemu+ssh:// (libvirt's SSH transport to an sshd
# on loopback, as to another host), when openssh-server is installed.
sshuri=
if [ -x /usr/sbin/sshd ]; then
	ssh-keygen -q -t ed25519 -N '' -f "$T/sshd_host"
	ssh-keygen -q -t ed25519 -N '' -f "$T/libvirt_key"
	cp "$T/libvirt_key.pub" "$T/authorized_keys"
	mkdir -p /run/sshd
	sport=$(free_port $((port + 70)))
	/usr/sbin/sshd -D -e -f /dev/null -p "$sport" -o ListenAddress=127.0.0.1 -h "$T/sshd_host" \
		-o AuthorizedKeysFile="$T/authorized_keys" -o StrictModes=no -o PidFile=none \
		-o PermitRootLogin=prohibit-password 2> "$T/sshd.log" &
	started+=($!)
	# libvirt runs this as its ssh: our known-hosts file, not root's
	printf '#!/bin/sh\nexec ssh -o UserKnownHostsFile=%s/ssh_known -o StrictHostKeyChecking=accept-new -o BatchMode=yes "$@"\n' "$T" > "$T/ssh-cmd"
	chmod +x "$T/ssh-cmd"
	for i in $(seq 50); do ss -Hltn "sport = :$sport" | grep -q . && break; sleep 0.1; done
	sshuri="qemu+ssh://root@127.0.0.1:$sport/system?keyfile=$T/libvirt_key&command=$T/ssh-cmd"
fi
for i in 1 2 3; do
	name=mmt-t$$-$i
	p=$(free_port $((port + i)))
	if [ "$i" = 2 ]; then
		# VM 2 reaches the barrier over TCP (QEMU guestfwd), the others
		# over their virtio-serial channel.
		"$SRC/bin/make-guest-domain" "$G" "$name" "$p" 256 "$bport" > "$T/$name.xml"
		sync="tcp:127.0.0.1:$bport" gsync="tcp:10.0.2.100:5000"
		uri=${sshuri:-qemu:///system}
	else
		uri=qemu:///system
		# VMs 1 and 3 share a private link (QEMU carries it as UDP on
		# 127.0.0.1) for virtbench's inter-guest tests
		link=$((port + 80)):$((port + 81)):10.77.0.1/24
		[ "$i" = 3 ] && link=$((port + 81)):$((port + 80)):10.77.0.2/24
		# VM 1 also reaches the host's loopback (10.0.2.2): a virtbench sink
		hnet=no
		[ "$i" = 1 ] && hnet=yes
		MMT_LINK=$link MMT_HOST_NET=$hnet "$SRC/bin/make-guest-domain" "$G" "$name" "$p" > "$T/$name.xml"
		sync="unix:/run/libvirt/qemu/$name.barrier.sock" gsync="serial:/dev/virtio-ports/org.mmtests.barrier"
	fi
	doms+=("$name")
	cat >> "$inv" <<I
vm "$name" {
  xml = "$T/$name.xml"
  uri = "$uri"
  port = $p
  key = "$G/id_ed25519"
  known_hosts = "$T/known_hosts"
  sync = "$sync"
  guest_sync = "$gsync"
  console = "/var/log/libvirt/qemu/$name-console.log"
}
I
done
A=mmt-t$$-1 B=mmt-t$$-2 C=mmt-t$$-3
cfg=$(write_config config-vm 'export MMTESTS="stream hackbench-process-pipes"' 'export MMTEST_ITERATIONS=2' \
	'export MONITORS_GZIP="vmstat"' 'export MONITOR_UPDATE_FREQUENCY=1' \
	'export STREAM_SIZE=$((1048576 * 3))' 'export STREAM_ITERATIONS=2' \
	'export HACKBENCH_GROUPS=1' 'export HACKBENCH_ITERATIONS=2' 'export HACKBENCH_LOOPS=50')
hostcfg=$(write_config host-config "export MMTESTS_VM=\"$A $B\"" 'export MONITORS_GZIP="vmstat proc-interrupts"' 'export MONITOR_UPDATE_FREQUENCY=1')
t0=$(date +%s)
out=$(timeout 600 "$BUILD/bin/run-kvm" -L --inventory "$inv" -C "$hostcfg" -- -c "$cfg" lock 2>&1); rc=$?
secs=$(( $(date +%s) - t0 ))
is "$rc" 0 "run-kvm with two VMs, one on virtio-serial and one on TCP, succeeds (${secs} s)"
[ "$rc" -eq 0 ] || sed 's/^/#   /' <<< "$out" | tail -20
like "$out" "^\[$A\] run-mmtests: iteration 2/2: hackbench-process-pipes$" "guest output relayed, prefixed by VM"
like "$out" "\[$B\] status: stream iteration 1/2 running" "status lines from the guests"
like "$out" "$A: first contact, host key recorded in $T/known_hosts" "host key recorded at first contact"
L=$MMTESTS_WORK/log
for d in "$A" "$B"; do
	is "$(jq -r .status "$L/lock-$d/run.json")" finished "$d: the results tree came back, finished"
	gzip -t "$L/lock-$d/iter-1/vmstat-stream.gz"
	ok $? "$d: guest monitors came back"
	like "$(zcat "$L/lock-$d/iter-0/cmdline.gz")" 'no_timer_check' "$d: the guest kernel ran with no_timer_check (TCG under load can fail its IO-APIC timer check)"
done
gzip -t "$L/lock-host/vmstat-run.gz" && gzip -t "$L/lock-host/proc-interrupts-run.gz"
ok $? "host monitors from the host config recorded in lock-host"
ok "$(test ! -e "$L/lock-$C"; echo $?)" "MMTESTS_VM in the host config chose the VMs"
if [ -n "$sshuri" ]; then
	is "$(jq -r ".vms[\"$B\"].uri" "$L/lock-host/run.json")" "$sshuri" "$B was managed through qemu+ssh://"
	like "$(cat "$T/sshd.log")" "Accepted publickey for root from 127.0.0.1" "libvirt's SSH transport logged in"
fi
gzip -t "$L/lock-host/kernel-version.gz" "$L/lock-host/cpuinfo.gz"
ok $? "-L recorded the host's system information"
is "$(jq -r '.status' "$L/lock-host/run.json") $(jq -r '[.vms[].results_are] | unique | join(",")' "$L/lock-host/run.json")" \
	"finished complete" "the host's run.json: finished, complete results from every VM"
log=$L/lock-host/barrier.log
n=$(grep -c ' release ' "$log")
[ "$n" -ge 10 ]
ok $? "the barrier released both VMs $n times (at least 10 sync points)"
is "$(grep ' release ' "$log" | grep -vc ' 2 members ')" 0 "every release waited for both VMs"
is "$(grep -c 'closed a connection that said no HELLO' "$log")" 0 \
	"$B's guestfwd connection, silent while the guest boots, was kept (its QEMU's, not a stranger's)"
"$BUILD/bin/compare-mmtests" -d "$L" -n "lock-$A,lock-$B" -b stream > "$T/cmp" 2>/dev/null
like "$(cat "$T/cmp")" '^Hmean +Copy-1 ' "compare reads what came back"
fair=$("$BUILD/bin/compare-mmtests" -d "$L" -n "lock-$A,lock-$B" -b stream --fairness 2>/dev/null)
like "$fair" '^Copy-1 +1 +[0-9.]+ lock-mmt-t' "a fairness summary across the VMs of the run"
for d in "$A" "$B"; do
	$V dominfo "$d" >/dev/null 2>&1
	ok $((! $?)) "$d: started and defined by run-kvm, so shut down and undefined afterwards"
done

# The dirty-rate host monitor (libvirt's dirty-rate calculation, page
# sampling) while the guest dirties memory with mig-mon mm_dirty at 20 MB/s.
dcfg=$(write_config config-dirty 'export MMTESTS="mm-dirty"' 'export MMDIRTY_SIZE=64m MMDIRTY_RATES=20 MMDIRTY_DURATION=12')
dhost=$(write_config host-dirty 'export MONITORS_GZIP="dirty-rate"' 'export MONITOR_UPDATE_FREQUENCY=3')
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A" -C "$dhost" -- -c "$dcfg" dirty 2>&1); rc=$?
is "$rc" 0 "run-kvm with the dirty-rate host monitor"
[ "$rc" = 0 ] || tail -5 <<< "$out" | sed 's/^/#   /'
rates=$(zcat "$L/dirty-host/dirty-rate-run.gz" 2>/dev/null | awk -v vm="$A" '$1 == vm && $3 == "page-sampling" {print $2}')
ok "$([ "$(grep -c . <<< "$rates")" -ge 3 ]; echo $?)" "a measurement every 3 s: $(echo $rates)"
mean=$("$BUILD/bin/compare-mmtests" -d "$L" -n dirty-host --print-monitor dirty-rate -b run 2>/dev/null | awk -v vm="$A" '$1 == "Amean" && $2 == vm {print $3}')
ok "$(awk -v m="$mean" 'BEGIN {exit !(m >= 10 && m <= 50)}'; echo $?)" \
	"compare --print-monitor dirty-rate reads it: mean ${mean} MB/s for mm_dirty at 20 MB/s (page sampling: within 0.5-2.5x)"
is "$(awk -F'\t' '$1 == "achieved" {n++; s += $5} END {printf "%.0f", s / n}' "$L/dirty-$A/iter-0/mm-dirty/parse-results.tsv")" 20 "the guest's mm_dirty achieved its 20 MB/s"

# virtbench's inter-guest tests over the private link between A and C:
# A serves, C measures, between the same barrier points.
vcfg=$(write_config config-ig 'export MMTESTS="virtbench"' 'export VIRTBENCH_PEERS="10.77.0.1 10.77.0.2"' \
	'export VIRTBENCH_TESTS="ping-pong tcp-bandwidth sendfile udp-bandwidth"' 'export VIRTBENCH_MIN_SAMPLE_MS=5')
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A,$C" -- -c "$vcfg" ig 2>&1); rc=$?
is "$rc" 0 "run-kvm with virtbench's inter-guest tests"
[ "$rc" = 0 ] || tail -8 <<< "$out" | sed 's/^/#   /'
served=$(cat "$L/ig-$A/iter-0/virtbench/logs/virtbench.log" 2>&1)
like "$served" "^serving the inter-guest tests of 10.77.0.2 on 10.77.0.1:7790$" "$A served the sink on the link"
acct=$(sed -n 's/^sink: \([0-9]*\) connections, \([0-9.]*\) MB over TCP, \([0-9.]*\) MB over UDP$/\1 \2 \3/p' <<< "$served")
ok "$(awk -v a="$acct" 'BEGIN {split(a, v, " "); exit !(v[1] > 0 && v[2] > 0 && v[3] > 0)}'; echo $?)" \
	"and accounted for what reached it (connections, MB over TCP, over UDP: $acct)"
ig=$L/ig-$C/iter-0/virtbench/logs/virtbench.log
for t in ping-pong tcp-bandwidth sendfile udp-bandwidth; do
	is "$(grep -c "^sample $t " "$ig" 2>/dev/null)" 10 "$C measured $t against $A: 10 samples"
done
like "$(cat "$ig")" "^udp-bandwidth: [0-9.]+% of [0-9]+ datagrams lost$" "the UDP loss is reported"
like "$("$BUILD/bin/compare-mmtests" -d "$L" -n "ig-$C" 2>&1)" "ping-pong" "compare reads the inter-guest results"

# virtbench's network tests from A to a sink on the host's loopback
hsport=$(free_port $((port + 90)))
"$BUILD/src/bench/virtbench" -S "127.0.0.1:$hsport" > "$T/hostsink.out" 2>&1 &
hsink_pid=$!
started+=($hsink_pid)
hcfg=$(write_config config-tohost 'export MMTESTS="virtbench"' "export VIRTBENCH_SINK=10.0.2.2:$hsport" \
	'export VIRTBENCH_TESTS="tcp-bandwidth ping-pong sendfile udp-bandwidth"' 'export VIRTBENCH_MIN_SAMPLE_MS=5')
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A" -- -c "$hcfg" tohost 2>&1); rc=$?
is "$rc" 0 "run-kvm with virtbench's network tests to a sink on the host"
[ "$rc" = 0 ] || tail -8 <<< "$out" | sed 's/^/#   /'
for t in tcp-bandwidth ping-pong sendfile udp-bandwidth; do
	is "$(grep -c "^sample $t " "$L/tohost-$A/iter-0/virtbench/logs/virtbench.log" 2>/dev/null)" 10 "$A measured $t to the host: 10 samples"
done
kill -INT "$hsink_pid"; wait "$hsink_pid"
like "$(cat "$T/hostsink.out")" "^sink: [1-9][0-9]* connections, [1-9][0-9.]* MB over TCP, [0-9.]+ MB over UDP" "the host's sink accounts for the guest's traffic"

# A known host key that changed is refused.
sed -i "s/ssh-ed25519 [^ ]*/ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEIb8cFwHBaE1m9/" "$T/known_hosts"
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A" -- -c "$cfg" mismatch 2>&1); rc=$?
ok $((rc == 0)) "a changed host key fails the run"
like "$out" "the SSH host key of 127.0.0.1:[0-9]+ does not match $T/known_hosts: refusing" "and says why"
like "$out" "no VM ran the benchmarks; nothing to compare" "and offers no comparison of trees that do not exist"
rm -f "$T/known_hosts"

# Faults in one run of three VMs: B is destroyed in its second test, C's
# kernel panics in its first (pvpanic tells libvirt); A is released and
# finishes. Each test checkpoints the trees, so what B had produced is
# kept; C had finished nothing, and run.json names no tree for it.
make_home
add_shellpack quick 'echo 7 > "$LOGDIR_RESULTS/sample-1"
if [ "$(hostname)" = "$CRASH_VM" ]; then echo c > /proc/sysrq-trigger; sleep 60; fi'
add_shellpack slowsync '. "$SHELLPACK_INCLUDE/common.sh"
for i in 1 2 3 4 5 6; do
	mmtests_sync iteration_begin; sleep 1; echo $i > "$LOGDIR_RESULTS/sample-$i"
	mmtests_sync iteration_end
done'
cfg2=$(write_config config-slow 'export MMTESTS="quick slowsync"' "export CRASH_VM=$C")
timeout 600 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A,$B,$C" -- -c "$cfg2" crash > "$T/crash.out" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "release iteration_end" "$L/crash-host/barrier.log" 2>/dev/null && break; sleep 0.1; done
$V destroy "$B" >/dev/null 2>&1
t1=$(date +%s)
wait $pid; rc=$?
is "$rc" 1 "VMs lost mid-run make run-kvm exit non-zero"
like "$(cat "$T/crash.out")" "$B: run failed: the domain was destroyed" "the destroyed VM is named, with why"
like "$(cat "$T/crash.out")" "$C: run failed: the guest crashed" "the crashed VM is named, with why"
like "$(cat "$L/crash-host/barrier.log")" "lost $B" "the barrier let the destroyed VM go"
like "$(cat "$L/crash-host/barrier.log")" "lost $C" "and the crashed one"
is "$(jq -r .status "$L/crash-$A/run.json")" finished "the surviving VM finished and its results came back"
ok $(( $(date +%s) - t1 > 60 )) "without waiting on the lost VMs"
H=$L/crash-host/run.json
is "$(jq -r ".vms[\"$B\"].status + \": \" + .vms[\"$B\"].reason" "$H")" "failed: the domain was destroyed" \
	"the host's run.json records the destroyed VM"
is "$(jq -r ".vms[\"$C\"].reason" "$H")" "the guest crashed" "and the crashed one"
is "$(jq -r ".status + \" \" + .vms[\"$A\"].status" "$H")" "failed finished" "and the run's and survivor's states"
is "$(jq -r ".vms[\"$B\"].results_are" "$H")" "checkpoint after the last finished test" \
	"$B: its results as of its last finished test were kept"
is "$(cat "$L/crash-$B/iter-0/quick/logs/sample-1" 2>/dev/null)" 7 \
	"$B: the finished test's log is there"
is "$(jq -r ".vms[\"$C\"] | .results_are + \" \" + (has(\"results\") | tostring)" "$H")" "none false" \
	"$C, lost in its first test: results none, and run.json names no tree"
ok "$(test ! -e "$L/crash-$C"; echo $?)" "$C: no tree was made up for it"
is "$(ls -d "$L"/.checkpoint-* 2>/dev/null)" "" "no checkpoint directory is left behind"

# Ctrl-C: the guests' benchmarks stop, what exists comes back, the VMs go.
timeout 600 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A" -- -c "$cfg2" intr > "$T/intr.out" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "release iteration_end" "$L/intr-host/barrier.log" 2>/dev/null && break; sleep 0.1; done
kill -INT $pid
wait $pid; rc=$?
is "$rc" 130 "Ctrl-C: run-kvm exits 130"
is "$(jq -r .status "$L/intr-$A/run.json")" interrupted "the guest's run stopped and its tree came back marked interrupted"
is "$(jq -r --arg v "$A" '.status + " " + .vms[$v].status' "$L/intr-host/run.json")" "interrupted interrupted" \
	"the host's run.json says the run and the VM were interrupted, not failed"
like "$(cat "$T/intr.out")" "^run-kvm: interrupted: $A=interrupted$" "and so does the summary"
$V dominfo "$A" >/dev/null 2>&1
ok $((! $?)) "the VM it started is gone again"
# --build-in-guest (what a guest of another architecture gets): the guest
# builds from the release tarball -- this one has no compiler, and says so.
out=$(timeout 300 "$BUILD/bin/run-kvm" --build-in-guest --inventory "$inv" --vm "$A" -- -c "$cfg" build 2>&1); rc=$?
is "$rc" 1 "--build-in-guest in a guest without a compiler fails the run"
like "$out" "\[$A\] guest-build: this guest has no cc: install a C toolchain" "with the guest's own word on what is missing"
like "$out" "$A: build failed: mmtests-c cannot run in this guest and could not be built there" "and the stage"

# A guest without bash is named as such; a taken SSH port is named too.
"$SRC/bin/make-guest" "$G-nobash" --no-bash > "$T/make-guest-nobash.log" 2>&1
ok $? "make-guest --no-bash builds a guest without bash"
D=mmt-t$$-4
p=$(free_port $((port + 10)))
"$SRC/bin/make-guest-domain" "$G-nobash" "$D" "$p" > "$T/$D.xml"
doms+=("$D")
cat >> "$inv" <<I
vm "$D" {
  xml = "$T/$D.xml"
  port = $p
  key = "$G-nobash/id_ed25519"
  known_hosts = "$T/known_hosts"
  sync = "unix:/run/libvirt/qemu/$D.barrier.sock"
  guest_sync = "serial:/dev/virtio-ports/org.mmtests.barrier"
  console = "/var/log/libvirt/qemu/$D-console.log"
}
I
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$D" -- -c "$cfg" nobash 2>&1); rc=$?
is "$rc" 1 "a guest without bash fails the run"
like "$out" "$D: push failed: the guest has no bash" "and says why"
MMTESTS_SYNC_SECRET=s "$SYNC" --serve --members x --listen "127.0.0.1:$p" >/dev/null 2>&1 &
holder=$!
started+=($holder)
for i in $(seq 50); do ss -Hltn "sport = :$p" | grep -q . && break; sleep 0.1; done
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$D" -- -c "$cfg" porttaken 2>&1); rc=$?
kill "$holder"
is "$rc" 1 "a VM whose SSH port is taken fails to start"
like "$out" "$D: 127.0.0.1:$p, where its SSH is forwarded, is in use by another program" "and the port is named"
like "$out" "$D: start failed: it could not be started" "as a start failure"
done_testing
