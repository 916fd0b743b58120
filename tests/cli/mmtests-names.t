# MMTests's names for benchmarks we have: MMTESTS="stressng" with its
# STRESSNG_* variables runs MMTests's stressng (its test names, its
# powertwo walk of instance counts, its log names), and compare reads it.
. "$(dirname "$0")/../lib.sh"
command -v stress-ng >/dev/null || { echo "1..0 # SKIP stress-ng not installed"; exit 0; }
cfg=$(write_config config-workload-stressng-context 'export MMTESTS="stressng"' \
	'export STRESSNG_MIN_THREADS=1' 'export STRESSNG_MAX_THREADS=3' 'export STRESSNG_RUNTIME=1' \
	'export STRESSNG_ITERATIONS=2' 'export STRESSNG_TESTNAME=context')
out=$("$RUN" --check -c "$cfg" 2>&1); rc=$?
is "$rc" 0 "--check: MMTests's stressng config is understood"
is "$(grep -c 'has no effect' <<< "$out")" 0 "none of its variables is left unread"
out=$("$RUN" -c "$cfg" sng 2>&1); rc=$?
is "$rc" 0 "it runs"
L=$MMTESTS_WORK/log/sng/iter-0/stressng/logs
is "$(cd "$L" && ls stressng-*.log | sort -V | tr '\n' ' ')" \
	"stressng-1-1.log stressng-1-2.log stressng-2-1.log stressng-2-2.log stressng-3-1.log stressng-3-2.log " \
	"instances 1 2 3 (MMTests's walk from 1 to 3), 2 samples each, under MMTests's log names"
like "$(cat "$L/stressng-2-1.log")" "metrc: .* context +[0-9]+" "each ran stress-ng --context"
P=$MMTESTS_WORK/log/sng/iter-0/stressng/parse-results.tsv
is "$(cut -f1,2 "$P" | sort -u | tr '\t\n' ': ')" "bops-context:1 bops-context:2 bops-context:3 " "parse-results: bops-context per instance count, as MMTests names them"
is "$(wc -l < "$P")" 6 "one row per sample"
cmp=$("$BUILD/bin/compare-mmtests" -d "$MMTESTS_WORK/log" -n sng 2>&1)
like "$cmp" "Hmean +bops-context-3 " "compare reads it"
bad=$(write_config config-bad 'export MMTESTS="stressng"' 'export STRESSNG_TESTNAME=nosuch')
out=$("$RUN" --check -c "$bad" 2>&1); rc=$?
is "$rc" 2 "an unknown MMTests stressng test name is refused before anything runs"
like "$out" "STRESSNG_TESTNAME='nosuch' is not one of the accepted values" "naming it"
done_testing
