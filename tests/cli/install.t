# make install with DESTDIR: programs under their own names, data and
# benchmark binaries beside them, and the installed copy runs.
. "$(dirname "$0")/../lib.sh"
D=$T/dest
make -s -C "$BUILD" install DESTDIR="$D" >/dev/null 2>&1
ok $? "make install DESTDIR=..."
bin=$(dirname "$(find "$D" -path '*/bin/run-mmtests' | head -1)")
data=$(find "$D" -type d -path '*/share/mmtests-c' | head -1)
lx=$(find "$D" -type d -path '*/libexec/mmtests-c' | head -1)
ok "$(test -x "$bin/run-mmtests" && test -x "$bin/mmtests-sync"; echo $?)" "programs installed under their own names"
ok "$(test -x "$data/shellpacks/stream/bench" && test -f "$data/configs/config-quick"; echo $?)" "shellpacks (executable) and configs installed"
ok "$(test -x "$lx/stream"; echo $?)" "stream benchmark binary installed"
ok "$(find "$D" -name run-mmtests.1 | grep -q .; echo $?)" "man page installed"
cfg=$(write_config config-inst 'export MMTESTS="stream"' 'export STREAM_SIZE=$((1048576 * 3))' 'export STREAM_ITERATIONS=1')
mkdir -p "$T/cwd"
(cd "$T/cwd" && unset MMTESTS_WORK && MMTESTS_HOME=$data MMTESTS_LIBEXEC=$lx "$bin/run-mmtests" -c "$cfg" inst >/dev/null 2>&1)
ok $? "the installed run-mmtests runs"
ok "$(test -f "$T/cwd/work/log/inst/iter-0/stream/parse-results.tsv"; echo $?)" "an installed copy writes ./work/log/RUNNAME"
done_testing
