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
ok "$(test -x "$lx/stream" && test -x "$lx/mig-mon" && test -x "$lx/virtbench"; echo $?)" "our benchmark binaries installed (stream, mig-mon, virtbench)"
want=$(ls -d "$SRC"/shellpacks/*/ | wc -l)
got=$(MMTESTS_HOME=$data MMTESTS_LIBEXEC=$lx "$bin/run-mmtests" --list | awk '/^Configs/ {exit} /^  (ready|no) / {n++} END {print n + 0}')
is "$got" "$want" "the installed --list shows every shellpack of the source tree"
ok "$(test -f "$data/shellpacks/postgres.sh" && test -x "$data/monitors/watch-dirty-rate" && test -f "$data/shellpacks/fio/README.md"; echo $?)" "helpers, monitors and READMEs installed"
ok "$(find "$D" -name run-mmtests.1 | grep -q .; echo $?)" "man page installed"
cfg=$(write_config config-inst 'export MMTESTS="stream"' 'export STREAM_SIZE=$((1048576 * 3))' 'export STREAM_ITERATIONS=1')
mkdir -p "$T/cwd"
(cd "$T/cwd" && unset MMTESTS_WORK && MMTESTS_HOME=$data MMTESTS_LIBEXEC=$lx "$bin/run-mmtests" -c "$cfg" inst >/dev/null 2>&1)
ok $? "the installed run-mmtests runs"
ok "$(test -f "$T/cwd/work/log/inst/iter-0/stream/parse-results.tsv"; echo $?)" "an installed copy writes ./work/log/RUNNAME"
done_testing
