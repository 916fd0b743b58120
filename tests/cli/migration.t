# One real same-host live migration, and one that cannot converge: the
# migration shellpack boots a TCG guest (make-guest, with mig-mon in it),
# dirties its memory, probes its downtime from the host, and moves it to a
# second QEMU over QMP; compare reads the result. Needs root (make-guest
# extracts a kernel package) and qemu-system-x86.
. "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" -ne 0 ] || ! command -v qemu-system-x86_64 >/dev/null; then
	echo "1..0 # SKIP needs root and qemu-system-x86"
	exit 0
fi
port=$((20000 + $$ % 10000))	# below the ephemeral ports
G=${MMTESTS_GUEST_CACHE:-/var/tmp/mmtests-c-guest}-migration
run() {	# run NAME CONFIG-LINES...: run-mmtests with the migration shellpack
	local name=$1
	shift
	local cfg
	cfg=$(write_config "config-$name" 'export MMTESTS=migration MMTEST_ITERATIONS=1' \
		"export MIGRATION_GUEST=$G MIGRATION_PORT=$port MIGRATION_WARMUP=2 MIGRATION_SETTLE=1" "$@")
	"$RUN" -c "$cfg" "$name" > "$T/$name.out" 2>&1
}
val() {	# val RUN METRIC RATE
	awk -v m="$2" -v r="$3" '$1 == m && $2 == r {print $5}' "$MMTESTS_WORK/log/$1/iter-0/migration/parse-results.tsv"
}
t0=$(date +%s)
run mig 'export MIGRATION_DIRTY_RATES="0 20" MIGRATION_BANDWIDTH=100 MIGRATION_DOWNTIME_MS=300'
ok $? "two migrations, idle and dirtying 20 MB/s ($(( $(date +%s) - t0 )) s)"
L=$MMTESTS_WORK/log/mig/iter-0/migration/logs
for r in 0 20; do
	is "$(val mig converged $r)" 1 "rate $r: converged"
	# 300 ms is QEMU's target, which a loaded TCG host can overshoot: the
	# outcome checked is a downtime inside the migration, seen by the probe
	d=$(val mig downtime $r); p=$(val mig downtime-probe $r); tt=$(val mig total-time $r)
	ok "$(awk -v d="$d" -v p="$p" -v t="$tt" 'BEGIN {exit !(d > 0 && d < t && p >= d && p < t + 2000)}'; echo $?)" \
		"rate $r: QEMU's downtime $d ms, inside the migration's $tt ms; the probe's $p ms is no less"
	x=$(val mig transferred $r)
	ok "$(awk -v x="$x" 'BEGIN {exit !(x >= 50 && x < 1000)}'; echo $?)" "rate $r: $x MB transferred"
	e=$(val mig model-error-transferred $r)
	ok "$(awk -v e="$e" 'BEGIN {exit !(e > -50 && e < 50)}'; echo $?)" "rate $r: the model's data is within 50% ($e%)"
done
b=$(val mig bandwidth 20)
ok "$(awk -v b="$b" 'BEGIN {exit !(b > 50 && b <= 110)}'; echo $?)" "the 100 MB/s cap holds ($b MB/s)"
like "$(cat "$L/migration-20.log")" "^Integrity: held \([0-9]+ s of sequential checks" "mm_dirty's check held across the migration"
like "$(cat "$L/migration-20-mmdirty.log")" "^Pre-heat done" "mm_dirty's log came back from the destination"
like "$(cat "$L/migration-20-dst-console.log")" "Pubkey auth succeeded" "the guest answered SSH on the destination"
ok "$(grep -c MMTESTS-GUEST-READY "$L/migration-20-dst-console.log")" "which never booted: the guest came from the source"
like "$(cat "$L/migration-20.log")" "^Model: passes [0-9]+, total [0-9]+ ms, data [0-9.]+ MB, downtime [0-9]+ ms" "the model's prediction beside the measurement"
like "$(cat "$L/migration-20.log")" "^Downtime probe: [0-9]+ ms max gap" "and the probe's downtime"
cmp=$("$BUILD/bin/compare-mmtests" -d "$MMTESTS_WORK/log" -n mig 2>&1)
like "$cmp" "downtime-probe-20" "compare reads the run"
is "$(pgrep -fc "qmp unix:$MMTESTS_WORK" || true)" 0 "no QEMU left running"

# dirtying 40 MB/s against a 10 MB/s cap cannot converge: cancelled at the
# timeout, the guest still on the source, and the model agrees
run noconv 'export MIGRATION_DIRTY_RATES=40 MIGRATION_BANDWIDTH=10 MIGRATION_TIMEOUT=4'
ok $? "a migration that cannot converge is a result, not a failure"
is "$(val noconv converged 40)" 0 "converged 0"
L=$MMTESTS_WORK/log/noconv/iter-0/migration/logs
like "$(cat "$L/migration-40.log")" "^Model agrees with the measurement: did not converge" "the model agrees"
like "$(cat "$L/migration-40.log")" "^Integrity: held" "mm_dirty stopped on the source, its check held"

# through libvirt, to a second libvirt "host" on this machine (its own
# host UUID, sharing the images and loopback) and back
if command -v libvirtd >/dev/null && command -v virsh >/dev/null; then
	V="virsh -q -c qemu:///system"
	started=()
	if ! $V version >/dev/null 2>&1; then
		[ -c /dev/kvm ] && getent group kvm >/dev/null && chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
		pgrep -x virtlogd >/dev/null || { virtlogd >/dev/null 2>&1 & started+=($!); }
		taskset -c 0 libvirtd >/dev/null 2>&1 & started+=($!)
		for i in $(seq 100); do $V version >/dev/null 2>&1 && break; sleep 0.1; done
	fi
	"$SRC/tools/second-libvirtd" start "$T/hostb"
	ok $? "a second libvirtd with its own host UUID"
	B="qemu:///system?socket=$T/hostb/run/libvirt-sock"
	run lv "export MIGRATION_DIRTY_RATES=20 MIGRATION_DEST_URI='$B'"
	ok $? "a migration through libvirt to the other host and back"
	[ -e "$MMTESTS_WORK/log/lv/iter-0/migration/logs/migration-20.log" ] || tail -5 "$T/lv.out" | sed 's/^/#   /'
	Lv=$MMTESTS_WORK/log/lv/iter-0/migration/logs/migration-20.log
	like "$(cat "$Lv")" "^Migration by libvirt: from " "reported from libvirt's job information"
	is "$(val lv converged 20)" 1 "converged"
	x=$(val lv transferred 20); d=$(val lv downtime 20); tt=$(val lv total-time 20)
	ok "$(awk -v x="$x" -v d="$d" -v t="$tt" 'BEGIN {exit !(x >= 50 && x < 1000 && d > 0 && d < t)}'; echo $?)" \
		"$x MB in, $d ms of downtime inside the migration's $tt ms"
	like "$(cat "$Lv")" "^Model: passes [0-9]+, total [0-9]+ ms" "with the model beside it"
	like "$(cat "$Lv")" "^Migrated back to the source" "and back"
	like "$(cat "$Lv")" "^Integrity: held" "mm_dirty's check held across both"
	is "$($V list --name | grep -c mmt-migration; virsh -q -c "$B" list --name | grep -c mmt-migration)" "0
0" "the domain is gone from both hosts"
	is "$(ls /var/lib/libvirt/images/mmtests-c 2>/dev/null | grep -c mmt-migration)" 0 "and so is its kernel copy under libvirt's images"
	"$SRC/tools/second-libvirtd" stop "$T/hostb"
	for p in "${started[@]}"; do kill "$p" 2>/dev/null; done
fi

# bad input
run badwss 'export MIGRATION_WSS_MB=300 MIGRATION_MEMORY_MB=256'
is "$?" 1 "a working set above the guest's memory fails"
like "$(cat "$T/badwss.out")" "MIGRATION_WSS_MB=300 must be below MIGRATION_MEMORY_MB=256" "naming both"
"$BUILD/src/bench/mig-mon" vm -d -b 127.0.0.1 -p "$port" -D 30 >/dev/null 2>&1 &
blocker=$!
sleep 0.3
run busy 'export MIGRATION_DIRTY_RATES=0'
is "$?" 1 "the SSH port in use: fails"
like "$(cat "$T/busy.out")" "127.0.0.1:$port is in use by another program .* set MIGRATION_PORT to a free port" "naming the variable"
kill "$blocker"; wait "$blocker" 2>/dev/null
done_testing
