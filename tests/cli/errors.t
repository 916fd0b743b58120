# Bad input: a clear error naming file/line/value, a non-zero exit, and
# nothing already recorded lost.
. "$(dirname "$0")/../lib.sh"
make_home
add_shellpack trivial 'echo 5 > "$LOGDIR_RESULTS/sample-1"'

good=$(write_config config-good 'export MMTESTS="trivial"')

out=$("$RUN" -c "$T/nope" --directory "$T/log" r1 2>&1); rc=$?
ok $((rc == 0)) "missing config fails"
like "$out" "config $T/nope: No such file" "names the missing config"

mkdir -p "$T/config-dir"
out=$("$RUN" -c "$T/config-dir" --directory "$T/log" r1 2>&1); rc=$?
ok $((rc == 0)) "a directory given as config fails"
like "$out" "config-dir: [Ii]s a directory" "bash says it is a directory"

cfg=$(write_config config-unreadable 'export MMTESTS="trivial"')
chmod 000 "$cfg"
if [ "$(id -u)" -ne 0 ]; then
	out=$("$RUN" -c "$cfg" --directory "$T/log" r1 2>&1)
	ok $(( $? == 0 )) "unreadable config fails"
fi

# A failing command inside a config is a warning, as in MMTests (which
# sources configs into its own shell and carries on): cpupower missing,
# say. The rest of the config still counts.
cfg=$(write_config config-fails 'export MMTESTS="trivial"' 'export A=1' 'no_such_command_xyz --flag' 'export B=2' 'false')
out=$("$RUN" -c "$cfg" --directory "$T/log" rf 2>&1); rc=$?
is "$rc" 0 "a config with failing commands still loads and runs"
like "$out" "$cfg: line 3: no_such_command_xyz: command not found" "bash's own message with file and line"
like "$out" "config warning: $cfg: line 3: command .no_such_command_xyz --flag. failed with exit status 127" "our warning names file, line, command"
like "$out" "config warning: $cfg: line 5: command .false. failed" "a failing last line too"
is "$(grep -c 'called exit\|config error' <<< "$out")" 0 "no error, no misleading message"
is "$(jq -r '.config.B' "$T/log/rf/run.json")" 2 "what came after the failing command was set"

# MMTests's configs source others relative to its top directory.
mkdir -p "$T/mmt/configs"
printf 'export MMTESTS="trivial"\nexport FROM_BASE=yes\n' > "$T/mmt/configs/config-base"
printf 'source configs/config-base\nexport OWN=1\n' > "$T/mmt/configs/config-derived"
out=$(cd "$T" && "$RUN" -c mmt/configs/config-derived --directory "$T/log" rs 2>&1); rc=$?
is "$rc" 0 "a config sourcing configs/config-base (relative, as MMTests's do) loads"
is "$(jq -r '.config.FROM_BASE + .config.OWN' "$T/log/rs/run.json")" yes1 "with both configs' variables"

# No parameter is ignored silently: a variable with a benchmark's prefix
# that it does not read is named (MMTests's PGBENCH_MAX_TIME given to our
# pgbench ran the default 3 s without a word).
add_shellpack tuned 'echo "$TUNED_SIZE" > "$LOGDIR_RESULTS/sample-1"'
printf 'variable "TUNED_SIZE" { type = "int" default = "1" }\n' >> "$MMTESTS_HOME/shellpacks/tuned/shellpack.conf"
cfg=$(write_config config-unread 'export MMTESTS="tuned"' 'export TUNED_SIZE=4' 'export TUNED_MAX_TIME=120' 'export OTHER_THING=1')
out=$("$RUN" --check -c "$cfg" 2>&1); rc=$?
is "$rc" 0 "--check: the config is usable"
like "$out" "$cfg: TUNED_MAX_TIME is not a variable of benchmark tuned, so it has no effect here \(tuned reads: TUNED_SIZE\)" \
	"a variable with the benchmark's prefix that it does not read is named, with what it reads"
is "$(grep -c 'has no effect' <<< "$out")" 1 "and only that one (declared and unrelated variables are not)"
like "$out" "^config ok: 1 benchmark x 1 iteration: tuned$" "--check says what would run"
# a name MMTests's configs set that has no effect there either: named, with why
printf 'variable "TUNED_OLD" { ignored = "MMTests reads TUNED_NEW" }\n' >> "$MMTESTS_HOME/shellpacks/tuned/shellpack.conf"
cfg=$(write_config config-ignored 'export MMTESTS="tuned"' 'export TUNED_OLD=1' 'export TUNED_MAX_TIME=1')
out=$("$RUN" --check -c "$cfg" 2>&1)
like "$out" "$cfg: TUNED_OLD has no effect \(benchmark tuned: MMTests reads TUNED_NEW\)" "a variable declared ignored is named, with why"
like "$out" "TUNED_MAX_TIME is not a variable .* \(tuned reads: TUNED_SIZE\)" "and not listed among what the benchmark reads"
ok "$(test ! -e "$MMTESTS_WORK/log/check"; echo $?)" "--check creates no run"

# TUNING_SYSCTL (MMTests's) is applied for the run and put back; a name
# this kernel lacks is named, the rest still applied.
mkdir -p "$T/fakesys/proc/sys/vm"
echo 20 > "$T/fakesys/proc/sys/vm/dirty_ratio"
add_shellpack sysctlseen "cat \"$T/fakesys/proc/sys/vm/dirty_ratio\" > \"\$LOGDIR_RESULTS/sample-1\""
cfg=$(write_config config-sysctl 'export MMTESTS="sysctlseen"' 'export TUNING_SYSCTL="vm.dirty_ratio=40 vm.no_such_knob=1"')
out=$(MMTESTS_SYSFS_ROOT=$T/fakesys "$RUN" -c "$cfg" --directory "$T/log" sy 2>&1); rc=$?
is "$rc" 0 "a config with TUNING_SYSCTL runs"
is "$(cut -f5 "$T/log/sy/iter-0/sysctlseen/parse-results.tsv")" 40 "the benchmark saw vm.dirty_ratio=40"
is "$(cat "$T/fakesys/proc/sys/vm/dirty_ratio")" 20 "and it was put back after"
like "$out" "TUNING_SYSCTL: this kernel has no vm.no_such_knob" "a sysctl this kernel lacks is named"

# MMTests's host facts and helpers are there for configs.
cfg=$(write_config config-facts 'export MMTESTS="trivial"' \
	'export F="$NUM_LOGICAL_CPUS $NUM_NODES $NUM_LLCS $MMTESTS_LIBDIR $SHELLPACK_SUCCESS $((NUM_LOGICAL_CPUS / NUM_LLCS))"' \
	'export NC=`nas-class.sh`' 'disable_transhuge' 'limit_memory $((1 << 30))')
mkdir -p "$T/fakesys/sys/kernel/mm/transparent_hugepage"
echo 'always [madvise] never' > "$T/fakesys/sys/kernel/mm/transparent_hugepage/enabled"
out=$(MMTESTS_SYSFS_ROOT=$T/fakesys "$RUN" -c "$cfg" --directory "$T/log" rh 2>&1); rc=$?
is "$rc" 0 "a config using MMTests's host facts and helpers loads"
like "$out" "transparent hugepages: never for the run" "disable_transhuge: THP set to never for the run"
is "$(cat "$T/fakesys/sys/kernel/mm/transparent_hugepage/enabled")" madvise "and put back to what it was after"
read -r lc nn nl ld ok0 w <<< "$(jq -r .config.F "$T/log/rh/run.json")"
is "$lc" "$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)" "NUM_LOGICAL_CPUS counts the CPUs as MMTests's ls does"
ok "$(test "$nn" -ge 1 && test "$nl" -ge 1 && test "$w" -ge 1; echo $?)" "NUM_NODES, NUM_LLCS and the LLC weight are set ($nn $nl $w)"
is "$ld $ok0" "lib64 0" "MMTESTS_LIBDIR and SHELLPACK_SUCCESS"
is "$(jq -r .config.NC "$T/log/rh/run.json")" C "nas-class.sh answers as MMTests's does (class C)"
is "$(jq -r .config.VM_TRANSPARENT_HUGEPAGES_DEFAULT "$T/log/rh/run.json")" never "disable_transhuge asks for THP never for the run"
like "$out" "limit_memory: not built" "limit_memory says plainly that it is not applied"

cfg=$(write_config config-syntax 'export MMTESTS="trivial"' 'if [ 1 ]; then' 'export A=1')
out=$("$RUN" -c "$cfg" --directory "$T/log" r1 2>&1); rc=$?
ok $((rc == 0)) "config with a syntax error fails"
like "$out" "$cfg: line [0-9]+: syntax error" "bash's syntax error with file and line"

cfg=$(write_config config-exits 'export MMTESTS="trivial"' 'exit 0')
out=$("$RUN" -c "$good" -c "$cfg" --directory "$T/log" r1 2>&1); rc=$?
ok $((rc == 0)) "config calling exit fails"
like "$out" "config error: $cfg called exit before it finished" "names the config that exited"

cfg=$(write_config config-unknown 'export MMTESTS="trivial nosuchbench"')
out=$("$RUN" -c "$cfg" --directory "$T/log" r1 2>&1); rc=$?
ok $((rc == 0)) "unknown benchmark fails"
like "$out" "no shellpack for benchmark 'nosuchbench'" "names the benchmark"
like "$out" "known: .*hackbench-process-pipes.*stream.*trivial|known: .*stream.*trivial" "lists the known ones"

cfg=$(write_config config-empty 'export FOO=1')
out=$("$RUN" -c "$cfg" --directory "$T/log" r1 2>&1); rc=$?
ok $((rc == 0)) "config without MMTESTS fails"
like "$out" "MMTESTS is empty" "says MMTESTS is empty"

for bad in 0 -1 abc 2x ""; do
	[ -z "$bad" ] && continue
	cfg=$(write_config config-iter 'export MMTESTS="trivial"' "export MMTEST_ITERATIONS=$bad")
	out=$("$RUN" -c "$cfg" --directory "$T/log" r1 2>&1); rc=$?
	ok $((rc == 0)) "MMTEST_ITERATIONS=$bad rejected"
	like "$out" "MMTEST_ITERATIONS='$bad' is not a whole number" "names the value $bad"
done

for name in "a/b" ".." "x..y" "bad$(printf '\t')tab" "bell$(printf '\a')" ""; do
	out=$("$RUN" -c "$good" --directory "$T/log" "$name" 2>&1); rc=$?
	ok $((rc != 2)) "RUNNAME $(printf %q "$name") rejected with usage status"
done
out=$("$RUN" -c "$good" --directory "$T/log" 2>&1); rc=$?
ok $((rc != 2)) "missing RUNNAME rejected"
like "$out" "RUNNAME is missing" "says RUNNAME is missing"
out=$("$RUN" --bogus -c "$good" r 2>&1); rc=$?
ok $((rc != 2)) "unknown option rejected"

# An existing run is never deleted.
"$RUN" -c "$good" --directory "$T/log" keep >/dev/null 2>&1
ok $? "first run of 'keep'"
echo precious > "$T/log/keep/iter-0/trivial/logs/marker"
out=$("$RUN" -c "$good" --directory "$T/log" keep 2>&1); rc=$?
ok $((rc == 0)) "second run with the same RUNNAME refused"
like "$out" "already exists; use --resume .* or --force" "explains --resume and --force"
is "$(cat "$T/log/keep/iter-0/trivial/logs/marker")" precious "the existing run is untouched"
out=$("$RUN" --force -c "$good" --directory "$T/log" keep 2>&1)
ok $? "--force starts afresh"

# A run whose install failed recorded nothing: the same command again
# starts afresh (the failed attempt is kept aside, nothing deleted).
add_shellpack flaky 'echo 1 > "$LOGDIR_RESULTS/sample-1"' "$DEFAULT_PARSE" '[ -e "$MMTESTS_WORK/fixed" ] || { echo "no network" >&2; exit 1; }; touch "$MMTESTS_WORK/installed-flaky"'
fl=$(write_config config-flaky 'export MMTESTS="flaky"')
"$RUN" -c "$fl" --directory "$T/log" retry >/dev/null 2>&1
is "$(jq -r .status "$T/log/retry/run.json")" failed "an install that fails fails the run"
touch "$MMTESTS_WORK/fixed"
out=$("$RUN" -c "$fl" --directory "$T/log" retry 2>&1); rc=$?
is "$rc" 0 "running the same command again, once fixed, works"
like "$out" "retry: its last attempt ran no benchmark; starting afresh \(that attempt is kept as .*retry.replaced-" "and says why it may"
is "$(jq -r .status "$T/log/retry/run.json")" finished "the new run finished"
ok "$(ls -d "$T/log"/retry.replaced-* >/dev/null 2>&1; echo $?)" "the failed attempt is kept aside"
kept=$(ls -d "$T"/log/keep.replaced-* 2>/dev/null | head -1)
is "$(cat "$kept/iter-0/trivial/logs/marker" 2>/dev/null)" precious "--force kept the old run as keep.replaced-*"
out=$("$RUN" --resume -c "$good" --directory "$T/log" never-ran 2>&1); rc=$?
ok $((rc == 0)) "--resume of a missing run fails"

# Unwritable / not-a-directory results location.
touch "$T/afile"
out=$("$RUN" -c "$good" --directory "$T/afile/sub" r2 2>&1); rc=$?
ok $((rc == 0)) "results directory under a file fails"
like "$out" "cannot create directory $T/afile" "names the path"

# Install failure: names the log to read.
add_shellpack badinstall 'exit 0' '' 'echo "fetching widget"; echo "widget not found" >&2; exit 3'
cfg=$(write_config config-badinstall 'export MMTESTS="badinstall"')
out=$("$RUN" -c "$cfg" --directory "$T/log" r3 2>&1); rc=$?
ok $((rc == 0)) "failing install fails the run"
like "$out" "installing badinstall failed \(exit status 3\); read $T/log/r3/install/badinstall.log" "names the install log"
like "$out" "widget not found" "shows the log's last lines"
is "$(json "$T/log/r3/run.json" .status)" failed "run.json says failed"

# Bench failure: named log; the other test's result is kept.
add_shellpack badbench 'echo "starting"; echo "segfault in widget" >&2; exit 4'
cfg=$(write_config config-badbench 'export MMTESTS="trivial badbench"' 'export MMTEST_ITERATIONS=2')
out=$("$RUN" -c "$cfg" --directory "$T/log" r4 2>&1); rc=$?
is "$rc" 1 "failing benchmark: exit status 1"
like "$out" "badbench \(iter-0\) failed with exit status 4; read $T/log/r4/iter-0/badbench/bench.log" "names the bench log"
like "$out" "segfault in widget" "shows the failure"
is "$(json "$T/log/r4/run.json" '.results[1].tests[0].status')" done "other tests still ran and were recorded"
is "$(json "$T/log/r4/run.json" '.results[0].tests[1].status')" failed "failure recorded per test"
is "$(cat "$T/log/r4/iter-1/trivial/parse-results.tsv" | cut -f5)" 5 "results of good tests cached"

# parse-results printing malformed lines: names the line.
add_shellpack badparse 'echo 1 > "$LOGDIR_RESULTS/x"' 'printf "ops\t_\t_\t1\t10\nops _ _ 2 11\n"'
cfg=$(write_config config-badparse 'export MMTESTS="badparse"')
out=$("$RUN" -c "$cfg" --directory "$T/log" r5 2>&1); rc=$?
is "$rc" 1 "malformed parse-results output fails"
like "$out" "parse-results printed a malformed line 2: \"ops _ _ 2 11\" \(expected 5 or 6 tab-separated fields\)" "names the line and why"
is "$(json "$T/log/r5/run.json" '.results[0].tests[0].status')" parse-failed "recorded as parse-failed"
ok "$(test -f "$T/log/r5/iter-0/badparse/logs/x"; echo $?)" "raw logs kept"
ok "$(test ! -e "$T/log/r5/iter-0/badparse/parse-results.tsv"; echo $?)" "no cache written from bad output"

add_shellpack noparse 'echo 1 > "$LOGDIR_RESULTS/x"' 'true'
cfg=$(write_config config-noparse 'export MMTESTS="noparse"')
out=$("$RUN" -c "$cfg" --directory "$T/log" r6 2>&1)
like "$out" "printed no samples" "parse-results with no output is an error"

# A full disk: a 1 MiB tmpfs (needs root and mount).
if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=1m tmpfs "$T/full" 2>/dev/null; then
	add_shellpack filler 'dd if=/dev/zero of="$LOGDIR_RESULTS/big" bs=64k count=64 2>/dev/null; echo 7 > "$LOGDIR_RESULTS/sample-1"'
	cfg=$(write_config config-full 'export MMTESTS="filler"' 'export MMTEST_ITERATIONS=2')
	out=$("$RUN" -c "$cfg" --directory "$T/full" r7 2>&1); rc=$?
	ok $((rc == 0)) "a full disk fails the run"
	like "$out" "No space left on device" "says the disk is full"
	umount "$T/full"
fi

# A benchmark stands in the run's temporary directory, so what it writes
# where it stands (fs_mark's fs_log.txt) does not land where the user is.
add_shellpack wherever 'pwd > "$LOGDIR_RESULTS/cwd"; echo "$SHELLPACK_TEMP" > "$LOGDIR_RESULTS/tmp"; touch stray-file; echo 1 > "$LOGDIR_RESULTS/sample-1"'
cfg=$(write_config config-wherever 'export MMTESTS=wherever')
(cd "$T" && "$RUN" -c "$cfg" --directory "$T/log" wherever >/dev/null 2>&1)
ok $? "a benchmark writing where it stands runs"
W=$T/log/wherever/iter-0/wherever/logs
is "$(cat "$W/cwd" 2>/dev/null)" "$(cat "$W/tmp" 2>/dev/null)" "it stands in \$SHELLPACK_TEMP"
ok "$(test ! -e "$T/stray-file"; echo $?)" "and nothing it wrote there is in the directory run-mmtests was started from"
done_testing
