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
	for d in "${doms[@]}"; do $V destroy "$d" >/dev/null 2>&1; $V undefine "$d" >/dev/null 2>&1; done
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
port=$(free_port $((20000 + $$ % 20000)))
inv=$T/inventory.conf
: > "$inv"
bport=$(free_port $((port + 50)))
for i in 1 2 3; do
	name=mmt-t$$-$i
	p=$(free_port $((port + i)))
	if [ "$i" = 2 ]; then
		# VM 2 reaches the barrier over TCP (QEMU guestfwd), the others
		# over their virtio-serial channel.
		"$SRC/bin/make-guest-domain" "$G" "$name" "$p" 256 "$bport" > "$T/$name.xml"
		sync="tcp:127.0.0.1:$bport" gsync="tcp:10.0.2.100:5000"
	else
		"$SRC/bin/make-guest-domain" "$G" "$name" "$p" > "$T/$name.xml"
		sync="unix:/run/libvirt/qemu/$name.barrier.sock" gsync="serial:/dev/virtio-ports/org.mmtests.barrier"
	fi
	doms+=("$name")
	cat >> "$inv" <<I
vm "$name" {
  xml = "$T/$name.xml"
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
out=$(timeout 600 "$BUILD/bin/run-kvm" --inventory "$inv" -C "$hostcfg" -- -c "$cfg" lock 2>&1); rc=$?
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
done
gzip -t "$L/lock-host/vmstat-run.gz" && gzip -t "$L/lock-host/proc-interrupts-run.gz"
ok $? "host monitors from the host config recorded in lock-host"
ok "$(test ! -e "$L/lock-$C"; echo $?)" "MMTESTS_VM in the host config chose the VMs"
log=$L/lock-host/barrier.log
n=$(grep -c ' release ' "$log")
ok $((n < 10)) "the barrier released both VMs $n times"
is "$(grep ' release ' "$log" | grep -vc ' 2 members ')" 0 "every release waited for both VMs"
"$BUILD/bin/compare-mmtests" -d "$L" -n "lock-$A,lock-$B" -b stream > "$T/cmp" 2>/dev/null
like "$(cat "$T/cmp")" '^Hmean +Copy-1 ' "compare reads what came back"
fair=$("$BUILD/bin/compare-mmtests" -d "$L" -n "lock-$A,lock-$B" -b stream --fairness 2>/dev/null)
like "$fair" '^Copy-1 +1 +[0-9.]+ lock-mmt-t' "a fairness summary across the VMs of the run"
for d in "$A" "$B"; do
	$V dominfo "$d" >/dev/null 2>&1
	ok $((! $?)) "$d: started and defined by run-kvm, so shut down and undefined afterwards"
done

# A known host key that changed is refused.
sed -i "s/ssh-ed25519 [^ ]*/ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEIb8cFwHBaE1m9/" "$T/known_hosts"
out=$(timeout 300 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A" -- -c "$cfg" mismatch 2>&1); rc=$?
ok $((rc == 0)) "a changed host key fails the run"
like "$out" "the SSH host key of 127.0.0.1:[0-9]+ does not match $T/known_hosts: refusing" "and says why"
rm -f "$T/known_hosts"

# One VM destroyed mid-run: the other is released and finishes.
make_home
add_shellpack slowsync '. "$SHELLPACK_INCLUDE/common.sh"
for i in 1 2 3 4 5 6; do mmtests_sync iteration_begin; sleep 1; echo $i > "$LOGDIR_RESULTS/sample-$i"; mmtests_sync iteration_end; done'
cfg2=$(write_config config-slow 'export MMTESTS="slowsync"')
timeout 600 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A,$C" -- -c "$cfg2" crash > "$T/crash.out" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "release iteration_end" "$L/crash-host/barrier.log" 2>/dev/null && break; sleep 0.1; done
$V destroy "$C" >/dev/null 2>&1
t1=$(date +%s)
wait $pid; rc=$?
is "$rc" 1 "a VM destroyed mid-run makes run-kvm exit non-zero"
like "$(cat "$T/crash.out")" "$C: (the domain stopped during run|run failed)" "the lost VM is named"
like "$(cat "$L/crash-host/barrier.log")" "lost $C" "the barrier let it go"
is "$(jq -r .status "$L/crash-$A/run.json")" finished "the surviving VM finished and its results came back"
ok $(( $(date +%s) - t1 > 30 )) "without waiting on the lost VM"

# Ctrl-C: the guests' benchmarks stop, what exists comes back, the VMs go.
timeout 600 "$BUILD/bin/run-kvm" --inventory "$inv" --vm "$A" -- -c "$cfg2" intr > "$T/intr.out" 2>&1 &
pid=$!
for i in $(seq 600); do grep -q "release iteration_end" "$L/intr-host/barrier.log" 2>/dev/null && break; sleep 0.1; done
kill -INT $pid
wait $pid; rc=$?
is "$rc" 130 "Ctrl-C: run-kvm exits 130"
is "$(jq -r .status "$L/intr-$A/run.json")" interrupted "the guest's run stopped and its tree came back marked interrupted"
$V dominfo "$A" >/dev/null 2>&1
ok $((! $?)) "the VM it started is gone again"
done_testing
