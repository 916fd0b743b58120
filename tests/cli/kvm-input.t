# run-kvm's bad input and host-side options, fast: libvirt's test:///default
# driver (a running domain "test", no real guest), no VM boots here.
. "$(dirname "$0")/../lib.sh"
KVM=$BUILD/bin/run-kvm
if [ ! -x "$KVM" ]; then
	echo "1..0 # SKIP run-kvm not built"
	exit 0
fi
key=$T/id_test
printf 'not a real key\n' > "$key"
cfg=$(write_config config-x 'export MMTESTS="stream"')
inv() {	# inv FILE SECTION-BODY...: one vm per argument, "name|body"
	local f=$1
	shift
	: > "$f"
	for v in "$@"; do
		printf 'vm "%s" {\n%s\n}\n' "${v%%|*}" "${v#*|}" >> "$f"
	done
}
port=$((20000 + $$ % 10000))	# below the ephemeral ports

inv "$T/unknown.conf" "nosuch|uri = \"test:///default\"
key = \"$key\""
out=$("$KVM" --inventory "$T/unknown.conf" --ready-timeout 1 -- -c "$cfg" r1 2>&1); rc=$?
is "$rc" 1 "a domain libvirt does not know fails the run"
like "$out" "nosuch: no such domain at test:///default \(and no xml to define it\); known: test" \
	"and lists the domains libvirt knows"
is "$(jq -r '.vms.nosuch.status + " " + .vms.nosuch.reason' "$MMTESTS_WORK/log/r1-host/run.json")" \
	"failed it could not be started" "run.json says which VM failed and why"

inv "$T/uri.conf" "vm1|uri = \"qemu+unix:///system?socket=$T/no-such.sock\"
key = \"$key\""
out=$("$KVM" --inventory "$T/uri.conf" --ready-timeout 1 -- -c "$cfg" r2 2>&1); rc=$?
is "$rc" 1 "an unreachable libvirt URI fails the run"
like "$out" "vm1: cannot connect to libvirt at qemu\+unix:///system\?socket=$T/no-such.sock: .*no-such.sock" \
	"naming the URI and libvirt's reason"

printf '<domain type="test"><name>bad</name><memory>-5</memory></domain>\n' > "$T/bad.xml"
inv "$T/xml.conf" "bad|uri = \"test:///default\"
xml = \"$T/bad.xml\"
key = \"$key\""
out=$("$KVM" --inventory "$T/xml.conf" --ready-timeout 1 -- -c "$cfg" r3 2>&1); rc=$?
is "$rc" 1 "a domain XML libvirt rejects fails the run"
like "$out" "bad: libvirt rejected $T/bad.xml: .+" "with libvirt's message"

inv "$T/key.conf" "test|uri = \"test:///default\"
key = \"$T/missing_key\""
out=$("$KVM" --inventory "$T/key.conf" -- -c "$cfg" r4 2>&1); rc=$?
is "$rc" 2 "a missing SSH key is refused before anything starts"
like "$out" "$T/key.conf: vm test: SSH key $T/missing_key: No such file or directory" "naming the file, VM and key"
ok "$(test ! -e "$MMTESTS_WORK/log/r4-host"; echo $?)" "and nothing was written"

out=$("$KVM" --inventory "$T/key.conf" --vm other -- -c "$cfg" r5 2>&1); rc=$?
is "$rc" 2 "--vm naming a VM the inventory lacks is refused"
like "$out" "--vm other: not in $T/key.conf; it has: test" "listing the inventory's VMs"

# The barrier's TCP port already taken by another program.
MMTESTS_SYNC_SECRET=s "$SYNC" --serve --members x --listen "127.0.0.1:$port" >/dev/null 2>&1 &
holder=$!
for i in $(seq 50); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
inv "$T/port.conf" "test|uri = \"test:///default\"
key = \"$key\"
sync = \"tcp:127.0.0.1:$port\"
guest_sync = \"tcp:10.0.2.100:5000\""
out=$("$KVM" --inventory "$T/port.conf" --ready-timeout 1 -- -c "$cfg" r6 2>&1); rc=$?
kill "$holder" 2>/dev/null
is "$rc" 2 "a barrier port in use fails the run"
like "$out" "barrier: 127.0.0.1:$port is in use by another program" "and says so"

# -L: the host's system information; -p: governor set, then restored.
sys=$T/sysfs/sys/devices/system/cpu
mkdir -p "$sys/cpu0/cpufreq" "$sys/cpu1/cpufreq"
echo schedutil > "$sys/cpu0/cpufreq/scaling_governor"
echo powersave > "$sys/cpu1/cpufreq/scaling_governor"
inv "$T/ok.conf" "test|uri = \"test:///default\"
key = \"$key\"
port = $port"
out=$(MMTESTS_SYSFS_ROOT=$T/sysfs "$KVM" -p -L --inventory "$T/ok.conf" --ready-timeout 1 -- -c "$cfg" r7 2>&1); rc=$?
is "$rc" 1 "a guest that never answers fails the run"
like "$out" "test: booting failed: never became reachable \(ready timeout\)" "named with the stage it was in"
like "$out" "governor set to performance on 2 CPUs" "-p set the performance governor"
is "$(cat "$sys/cpu0/cpufreq/scaling_governor") $(cat "$sys/cpu1/cpufreq/scaling_governor")" \
	"schedutil powersave" "and put the old governors back"
H=$MMTESTS_WORK/log/r7-host
ok "$(gzip -t "$H/kernel-version.gz" "$H/cpuinfo.gz" 2>/dev/null; echo $?)" "-L recorded the host's system information"
is "$(jq -r '.status + " " + .vms.test.stage + " " + .vms.test.results_are' "$H/run.json")" \
	"failed booting none" "run.json: failed while booting, no results"
is "$(virsh -c test:///default domstate test 2>/dev/null | head -1)" "running" \
	"a domain found running is left running"

out=$("$KVM" --inventory "$T/ok.conf" --ready-timeout 1 -- -c "$cfg" r7 2>&1); rc=$?
is "$rc" 2 "a RUNNAME already used on this host is refused"
like "$out" "$H already exists; choose another RUNNAME \(nothing is deleted\)" "nothing is overwritten"
done_testing
