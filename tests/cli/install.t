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
# (staged under DESTDIR, away from its prefix: found relative to the
# programs, with no MMTESTS_HOME or MMTESTS_LIBEXEC)
got=$("$bin/run-mmtests" --list | awk '/^Configs/ {exit} /^  (ready|no) / {n++} END {print n + 0}')
is "$got" "$want" "the installed --list shows every shellpack of the source tree"
ok "$(test -f "$data/shellpacks/postgres.sh" && test -x "$data/monitors/watch-dirty-rate" && test -f "$data/shellpacks/fio/README.md"; echo $?)" "helpers, monitors and READMEs installed"
ok "$(find "$D" -name run-mmtests.1 | grep -q .; echo $?)" "man page installed"
cfg=$(write_config config-inst 'export MMTESTS="stream"' 'export STREAM_SIZE=$((1048576 * 3))' 'export STREAM_ITERATIONS=1')
mkdir -p "$T/cwd"
(cd "$T/cwd" && unset MMTESTS_WORK && "$bin/run-mmtests" -c "$cfg" inst >/dev/null 2>&1)
ok $? "the installed run-mmtests runs, with no MMTESTS_* variables"
ok "$(test -f "$T/cwd/work/log/inst/iter-0/stream/parse-results.tsv"; echo $?)" "an installed copy writes ./work/log/RUNNAME"
# nightly, installed with the data, finds the installed programs on PATH
out=$(cd "$T/cwd" && unset MMTESTS_WORK && PATH=$bin:$PATH "$data/tools/nightly" -c "$cfg" -d "$T/cwd/nightly" 2>&1)
ok $? "the installed nightly runs the installed run-mmtests"
like "$out" "is the first run: it is the baseline now" "and keeps its baseline"
out=$(cd / && PATH=/usr/bin:/bin "$data/tools/nightly" -c "$cfg" 2>&1); rc=$?
is "$rc" 2 "nightly with no run-mmtests beside it or on PATH: exit 2"
like "$out" "cannot find run-mmtests .*set MMTESTS_BIN" "saying so"
out=$(cd "$T/cwd" && unset MMTESTS_WORK && "$bin/mmtests-nightly" -c "$cfg" -d "$T/cwd/nightly2" 2>&1)
ok $? "installed in bin as mmtests-nightly, it runs with what is beside it"
like "$out" "is the first run" "the same gate"
ok "$(test -x "$bin/mig-mon"; echo $?)" "mig-mon installed in bin, beside its man page"
for p in run-mmtests compare-mmtests graph-mmtests mmtests-sync mmtests-monitor mig-mon make-guest make-guest-domain mmtests-nightly mmtests-db mmtests-bisect; do
	[ -x "$bin/$p" ] || continue
	want="^$p \\(mmtests-c\\) [0-9]"
	[ "$p" = mig-mon ] && want="^Version: [0-9]"	# (as the original mig_mon prints it)
	like "$("$bin/$p" --version 2>&1)" "$want" "installed $p --version"
done
comp=$(find "$D" -path '*/bash-completion/completions/compare-mmtests' | head -1)
ok "$(test -f "$comp"; echo $?)" "bash completion installed"
mkdir -p "$T/cwd/work/log/base-run/iter-0" "$T/cwd/work/log/new-run/iter-0"
got=$(cd "$T/cwd" && unset MMTESTS_WORK && PATH=$bin:$PATH bash -c '. "$1"; COMP_WORDS=(compare-mmtests -n base-run,n); COMP_CWORD=2; _mmtests_c; echo "${COMPREPLY[*]}"' _ "$comp")
is "$got" "base-run,new-run" "it completes a run name after a comma in --names"
got=$(PATH=$bin:$PATH bash -c '. "$1"; COMP_WORDS=(run-mmtests --ch); COMP_CWORD=1; _mmtests_c; echo "${COMPREPLY[*]}"' _ "$comp")
is "$got" "--check" "and options, from the program's --help"
done_testing
