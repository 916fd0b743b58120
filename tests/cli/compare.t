# compare: significance, the CI gate, formats, and bad input.
. "$(dirname "$0")/../lib.sh"
make_home
CMP=$BUILD/bin/compare-mmtests
L=$T/log
add_shellpack thr 'true'		# higher is better
d=$MMTESTS_HOME/shellpacks/lat; mkdir -p "$d"
printf 'summary = "multiops"\nprefer = "lower"\ndecimal_places = 3\nmetric "lax" { threshold = 50 }\n' > "$d/shellpack.conf"

base="100 101 99 100.5 99.5 100.2 99.8 100.1 99.9 100.3"
up10="110 111 109 110.5 109.5 110.2 109.8 110.1 109.9 110.3"
make_run "$L" base thr ops "$base"
make_run "$L" better thr ops "$up10"
make_run "$L" worse thr ops "90 91 89 90.5 89.5 90.2 89.8 90.1 89.9 90.3"

out=$("$CMP" -d "$L" -n base,better -b thr 2>"$T/err"); rc=$?
is "$rc" 0 "compare exits 0"
like "$out" '^Hmean +ops +100\.03 \(   0\.00%\) +110\.03 \*  10\.00%\*$' "a clear 10% gain is starred (sound)"
like "$(cat "$T/err")" 'ops: better vs base: \+10\.00% is significant \(95% CI of the difference \[9\.[0-9]+, 10\.[0-9]+\]' "its bootstrap CI is shown (stderr)"
is "$(grep -c '\*' <<< "$out")" 1 "only the mean row is ever starred"
out=$("$CMP" -d "$L" -n base,better -b thr --significance mmtests 2>/dev/null)
like "$out" '^Hmean +ops .*\*  10\.00%\*$' "and by MMTests's rule"
out=$("$CMP" -d "$L" -n base,base -b thr 2>/dev/null)
like "$out" '^Hmean +ops +100\.03 \(   0\.00%\) +100\.03 \(   0\.00%\)$' "a run against itself: no change, no star"

# The gate.
"$CMP" -d "$L" -n base,worse -b thr --fail-on-regression 5 --junit "$T/j.xml" >/dev/null 2>"$T/err"; rc=$?
is "$rc" 3 "a significant 10% regression fails --fail-on-regression 5 with exit 3"
like "$(cat "$T/err")" '^REGRESSION thr ops: base 100\.03 -> worse 90\.03 \(-10\.00%, limit 5\.00%' "the offending row is printed"
like "$(cat "$T/j.xml")" '<testcase classname="thr" name="ops">' "JUnit testcase per metric, named benchmark/label (no run names: the same every night)"
like "$(cat "$T/j.xml")" '<system-out>worse against base: 100\.027 -&gt; 90\.027 \(-10\.00%\)</system-out>' "the runs in its output"
"$CMP" -d "$L" -n base,worse,better -b thr --fail-on-regression 5 --junit "$T/j3.xml" >/dev/null 2>&1
like "$(cat "$T/j3.xml")" '<testcase classname="thr" name="ops \[better\]">' "more than one run against the baseline: the run in the name"
# a big drop on too few samples to tell: said, not passed in silence
make_run "$L" six thr ops "100 101 99"
make_run "$L" six-drop thr ops "70 140 20"
"$CMP" -d "$L" -n six,six-drop -b thr --fail-on-regression 5 >/dev/null 2>"$T/err"
is "$?" 0 "a drop that is not significant does not fail the gate"
like "$(cat "$T/err")" '^NOT SIGNIFICANT thr ops: six 99\.99 -> six-drop 42\.00 \(-58\.00%, limit 5\.00%\), q [0-9.e-]+/[0-9.e-]+ with 3 and 3 samples: more iterations would tell$' "but it is said: beyond the limit, not significant, how many samples"
like "$(cat "$T/j.xml")" '<failure message="10\.00% worse \(limit 5\.00%\)">' "JUnit failure"
like "$(cat "$T/j.xml")" '<testsuite name="thr" tests="1" failures="1">' "JUnit counts"
"$CMP" -d "$L" -n base,worse -b thr --fail-on-regression 20 >/dev/null 2>&1
is "$?" 0 "within --fail-on-regression 20: exit 0"
"$CMP" -d "$L" -n base,better -b thr --fail-on-regression 0 --junit "$T/j2.xml" >/dev/null 2>&1
is "$?" 0 "an improvement never fails the gate"
like "$(cat "$T/j2.xml")" 'failures="0"' "JUnit without failures"
# lower-is-better metric with a per-metric threshold in shellpack.conf
make_run "$L" lbase lat lax "$base" strict "$base"
make_run "$L" lnew lat lax "$up10" strict "$up10"
"$CMP" -d "$L" -n lbase,lnew -b lat --fail-on-regression 5 >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 3 "lower-is-better: 10% more is a regression"
like "$(cat "$T/err")" 'REGRESSION lat strict' "the metric without a threshold fails"
is "$(grep -c 'REGRESSION lat lax' "$T/err")" 0 "metric \"lax\" { threshold = 50 } overrides the command line"
like "$(cat "$T/out")" '^Amean +lax +100\.030 \(   0\.00%\) +110\.030 \* -10\.00%\*$' "Amean, 3 decimal places, negative % is worse"

# Notes: too few samples, noise, outliers, undefined Hmean, missing labels.
make_run "$L" few thr ops "100 101 99"
make_run "$L" few2 thr ops "200 201 199"
out=$("$CMP" -d "$L" -n few,few2 -b thr 2>"$T/err")
like "$(cat "$T/err")" 'fewer than 4 per side can never be significant' "warns: too few samples"
is "$(grep -c '\*' <<< "$out")" 0 "and does not star a 100% change on 3 samples (sound)"
make_run "$L" noisy thr ops "100 130 80 120 90 140 70 110 95 105"
"$CMP" -d "$L" -n base,noisy -b thr >/dev/null 2>"$T/err"
like "$(cat "$T/err")" 'run noisy is noisy \(CoeffVar [0-9.]+% >= 2\.5%\)' "warns: noisy run"
make_run "$L" outl thr ops "100 101 99 100.5 99.5 100.2 99.8 100.1 99.9 150"
"$CMP" -d "$L" -n base,outl -b thr >/dev/null 2>"$T/err"
like "$(cat "$T/err")" 'run outl has 1 outlier \(modified z-score > 3\.5\), kept' "warns: outlier, kept"
make_run "$L" zero thr ops "0 1 2 3"
out=$("$CMP" -d "$L" -n base,zero -b thr 2>"$T/err")
like "$(cat "$T/err")" 'run zero has values <= 0: Hmean is undefined and printed as 0' "says Hmean is undefined"
is "$(grep -ci nan <<< "$out")" 0 "no nan printed"
make_run "$L" mixed thr ops "$base" extra "1 2 3 4"
out=$("$CMP" -d "$L" -n base,mixed -b thr 2>"$T/err")
like "$(cat "$T/err")" 'extra: missing in run base' "mixed metric sets: says which label is missing where"
like "$out" '^Hmean +extra ' "and still shows the label"

# Formats.
"$CMP" -d "$L" -n base,better -b thr --format json > "$T/o.json" 2>/dev/null
ok $? "--format json"
is "$(jq -r '.benchmarks[0].labels[0].runs[1].samples | length' "$T/o.json")" 10 "json carries every sample"
is "$(jq -r '.benchmarks[0].labels[0].runs[1].significant' "$T/o.json")" true "json: significant"
like "$(jq -r '.benchmarks[0].labels[0].runs[1].p_mannwhitney' "$T/o.json")" '^[0-9.e-]+$' "json: Mann-Whitney p"
like "$(jq -r '.benchmarks[0].labels[0].runs[1].ci95_diff | join(" ")' "$T/o.json")" '^[0-9.]+ [0-9.]+$' "json: bootstrap CI of the difference"
"$CMP" -d "$L" -n base,better -b thr --format csv > "$T/o.csv" 2>/dev/null
is "$(head -1 "$T/o.csv")" "benchmark,label,run,kind,name,value$(printf '\r')" "csv header, CRLF line ends (RFC 4180)"
is "$(grep -c ',sample,' "$T/o.csv")" 20 "csv carries every sample"
is "$(awk -F, 'NF != 6' "$T/o.csv" | wc -l)" 0 "csv: 6 columns everywhere"
like "$(grep ',compare,significant,' "$T/o.csv")" 'thr,ops,better,compare,significant,1' "csv: significance"
# RFC 4180: a label with a comma or a quote is quoted; numbers are the
# shortest text that reads back as the same double
make_run "$L" odd1 thr 'ops, "fast"' "53019.1 0.1 1e-7 123456789.5"
make_run "$L" odd2 thr 'ops, "fast"' "53019.2 0.2 2e-7 123456789.25"
"$CMP" -d "$L" -n odd1,odd2 -b thr --format csv > "$T/odd.csv" 2>/dev/null
got=$(python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert all(len(r) == 6 for r in rows), "6 fields everywhere"
print(" ".join(r[5] for r in rows if r[3] == "sample" and r[2] == "odd1"), "|", {r[1] for r in rows[1:]})' "$T/odd.csv")
is "$got" "53019.1 0.1 1e-07 123456789.5 | {'ops, \"fast\"'}" "csv: a Python csv reader gets the label back whole and every sample as written"
like "$(grep -m1 ',sample,' "$T/odd.csv")" '^thr,"ops, ""fast""",odd1,sample,1,53019.1' "csv: the label quoted, its quotes doubled"
unlike "$(grep ',sample,' "$T/odd.csv")" '[0-9]{12}' "csv: no float noise in the samples (53019.099999999999)"
"$CMP" -d "$L" -n base,better,worse -b thr --format html > "$T/o.html" 2>/dev/null
like "$(cat "$T/o.html")" '^<table class="resultsTable">$' "html: MMTests's table (its layout: compare-mmtests.t)"
like "$(cat "$T/o.html")" '<td bgcolor="#A0FFA0"> \(  10\.00%\)</td>' "html: better cell green (by the sound test here)"
like "$(cat "$T/o.html")" '<td bgcolor="#FFA0A0"> \( -10\.00%\)</td>' "html: worse cell red"

# --sub-heading keeps labels that start with the regex.
out=$("$CMP" -d "$L" -n mixed,mixed -b thr --sub-heading ext 2>/dev/null)
is "$(grep -c ' ops ' <<< "$out")" 0 "--sub-heading drops other labels"
out2=$("$CMP" -d "$L" -n base,mixed -b thr --sub-heading ext 2>&1)
like "$out2" "no label of run 'base' starts with --sub-heading 'ext'" "a run without matching labels is named"
like "$out" '^Hmean +extra ' "and keeps matching ones"

# Bad input.
out=$("$CMP" -d "$L" -n base,nope -b thr 2>&1); rc=$?
is "$rc" 1 "unknown run: exit 1"
like "$out" "no run 'nope' in $L \(not found\); runs there:.* base.* better" "lists the runs that exist"
"$CMP" -d "$L" -b thr >/dev/null 2>&1
is "$?" 2 "no -n: usage error"
for bad in "--format xml" "--significance weak" "--fail-on-regression -3" "--print-monitor bogus" "--sub-heading (" ; do
	"$CMP" -d "$L" -n base,better -b thr $bad >/dev/null 2>&1
	is "$?" 2 "$bad: usage error"
done
out=$("$CMP" -d "$L" -n base,better --print-monitor bogus 2>&1)
like "$out" "compare reads duration vmstat mpstat proc-vmstat perf-time-stat" "an unknown monitor: says which it reads"
out=$("$CMP" -d "$L" -n base,better -b lat 2>&1); rc=$?
is "$rc" 1 "benchmark missing in a run: exit 1"
like "$out" "run 'base' has no results for lat" "names run and benchmark"
# a foreign tree whose parse-results prints junk or fails
add_shellpack junky 'true' 'echo "ops _ _ 1 12"'
mkdir -p "$L/f1/iter-0/junky/logs" "$L/f2/iter-0/junky/logs"
out=$("$CMP" -d "$L" -n f1,f2 -b junky 2>&1); rc=$?
is "$rc" 1 "parse-results printing junk: exit 1"
like "$out" 'junky/parse-results printed a malformed line 1: "ops _ _ 1 12" \(expected 5 or 6 tab-separated fields' "names the script, the line and why"
add_shellpack broken 'true' 'echo "cannot read logs" >&2; exit 4'
mkdir -p "$L/b1/iter-0/broken/logs"
out=$("$CMP" -d "$L" -n b1,b1 -b broken 2>&1)
like "$out" 'failed \(exit status 4\)' "parse-results failing: says so"
like "$out" '^cannot read logs$' "and shows its message"
printf 'ops\t_\t_\t1\tnotanumber\t_\n' > "$L/better/iter-0/thr/parse-results.tsv.bad"
cp "$L/better/iter-0/thr/parse-results.tsv" "$T/keep.tsv"
mv "$L/better/iter-0/thr/parse-results.tsv.bad" "$L/better/iter-0/thr/parse-results.tsv"
out=$("$CMP" -d "$L" -n base,better -b thr 2>&1)
like "$out" "better/iter-0/thr/parse-results.tsv: line 1: .*value is not a finite number" "a corrupt cache names file and line"
cp "$T/keep.tsv" "$L/better/iter-0/thr/parse-results.tsv"

# --fairness: per iteration, the spread across the VMs of one run.
make_run "$L" fair-vm1 thr ops "100 100"
make_run "$L" fair-vm2 thr ops "100 100"
for r in fair-vm1 fair-vm2; do
	mkdir -p "$L/$r/iter-1/thr/logs"
	v=100; [ $r = fair-vm2 ] && v=50
	printf 'ops\t_\t_\t1\t%s\t_\nops\t_\t_\t2\t%s\t_\n' $v $v > "$L/$r/iter-1/thr/parse-results.tsv"
done
out=$("$CMP" -d "$L" -n fair-vm1,fair-vm2 -b thr --fairness 2>/dev/null)
like "$out" '^ops +0 +100\.00 fair-vm1 +100\.00 fair-vm1 +0\.00  1\.0000$' "equal iteration: spread 0, Jain 1"
like "$out" '^ops +1 +50\.00 fair-vm2 +100\.00 fair-vm1 +66\.67  0\.9000$' "unequal iteration: the VMs named, spread 66.67%, Jain 0.9"
cp -a "$L/fair-vm1" "$L/BASELINE-v1-vm1"; cp -a "$L/fair-vm2" "$L/BASELINE-v1-vm2"
out=$("$CMP" -d "$L" -n BASELINE-v1-vm1,BASELINE-v1-vm2 -b thr --fairness 2>/dev/null)
like "$out" '^ops +1 +50\.00 BASELINE-v1-vm2 +100\.00 BASELINE-v1-vm1 ' "run names are shown whole (they share a long prefix)"

# Without -b: every benchmark of the first run, in run.json's order.
make_run "$L" two zzz ops "1 2 3 4"
make_run "$L" two thr ops "$base"
printf '{"mmtests": ["zzz", "thr"]}\n' > "$L/two/run.json"
add_shellpack zzz 'true'
out=$("$CMP" -d "$L" -n two,two 2>/dev/null)
is "$(grep -Ex 'zzz|thr' <<< "$out" | tr '\n' ' ')" "zzz thr " "benchmarks in run.json's order, each headed by its name"

# Hostile trees (issue 13): run.json names stay inside the tree; a FIFO or
# a device where a cache belongs is not read.
mkdir -p "$L/outside/iter-0/secret/logs"
printf 'ops\t_\t_\t1\t7\t_\n' > "$L/outside/iter-0/secret/parse-results.tsv"
make_run "$L" hostile thr ops "$base"
printf '{"mmtests": ["../outside/iter-0/secret", "thr"]}\n' > "$L/hostile/run.json"
out=$("$CMP" -d "$L" -n hostile 2>&1)
ok "$(grep -q secret <<< "$out"; echo $((! $?)))" "a run.json name with ../ leads nowhere outside the tree"
like "$out" '^Min +ops' "the tree's own benchmark is still compared"
make_run "$L" fifo thr ops "$base"
mkdir -p "$L/fifo/iter-1/thr/logs"
mkfifo "$L/fifo/iter-1/thr/parse-results.tsv"
ln -s /dev/zero "$L/fifo/iter-1/tests-timestamp"
out=$(timeout 60 "$CMP" -d "$L" -n fifo -b thr 2>&1); rc=$?
ok "$((rc == 124))" "a FIFO as the cache does not hang compare (exit $rc)"
out=$(timeout 60 "$CMP" -d "$L" -n fifo -b thr --print-monitor duration 2>&1); rc=$?
ok "$((rc == 124))" "nor does /dev/zero as tests-timestamp (exit $rc)"
# A tree of ours (run.json) whose test was interrupted in one iteration:
# its logs without a cache are not parsed, the done iterations compared.
make_run "$L" cut thr ops "$base"
printf '{"mmtests": ["thr", "zz"]}\n' > "$L/cut/run.json"
mkdir -p "$L/cut/iter-1/thr/logs" "$L/cut/iter-0/zz/logs"
add_shellpack thr 'true' 'echo "parse-results ran" >&2; exit 1'
out=$("$CMP" -d "$L" -n cut 2>&1); rc=$?
is "$rc" 0 "an interrupted iteration of our tree does not fail compare"
ok "$(grep -q 'parse-results ran' <<< "$out"; echo $((! $?)))" "its logs are not parsed (only finished tests, which have a cache, count)"
ok "$(grep -qx 'zz' <<< "$out"; echo $((! $?)))" "a test that never finished an iteration is not listed"
# Bounded sizes: a cache too big to be ours, a line too long to be a
# sample, a parse-results that never stops printing.
make_run "$L" big thr ops "$base"
mkdir -p "$L/big/iter-1/thr/logs" && truncate -s 300M "$L/big/iter-1/thr/parse-results.tsv"
out=$(timeout 60 "$CMP" -d "$L" -n big -b thr 2>&1); rc=$?
like "$out" "big/iter-1/thr/parse-results.tsv is 314572800 bytes, more than .*not read" "a 300 MB cache is refused, naming it"
make_run "$L" longline thr ops "$base"
printf 'ops\t%s\t_\t1\t7\n' "$(head -c 5000 /dev/zero | tr '\0' x)" > "$L/longline/iter-0/thr/parse-results.tsv"
out=$("$CMP" -d "$L" -n longline -b thr 2>&1); rc=$?
like "$out" "longline/iter-0/thr/parse-results.tsv: line 1: .*longer than 4096 bytes" "a 5000-byte line is refused, naming file and line"
add_shellpack endless 'true' 'yes'
mkdir -p "$L/endless/iter-0/endless/logs"
out=$(timeout 300 "$CMP" -d "$L" -n endless 2>&1); rc=$?
like "$out" "printed more than 512 MiB; stopped" "a parse-results that never stops printing is stopped (exit $rc)"
# A tree MMTests wrote is parsed once: the samples are cached outside the
# tree, keyed by the logs' names, sizes and mtimes, and parsed again when
# a log changes. parse-results counts its runs in $T/parses.
add_shellpack counted 'true' 'echo x >> "'"$T"'/parses"; for f in v-*; do printf "ops\t_\t_\t%s\t%s\n" "${f#v-}" "$(cat "$f")"; done'
for r in ca cb; do for i in 0 1 2; do
	mkdir -p "$L/$r/iter-$i/counted/logs"
	for k in 1 2 3; do echo $((100 + i + k)) > "$L/$r/iter-$i/counted/logs/v-$k"; done
done; done
chmod -R a-w "$L/ca" "$L/cb"
rm -f "$T/parses"
first=$("$CMP" -d "$L" -n ca,cb -b counted 2>&1)
is "$(wc -l < "$T/parses")" 6 "a first read parses each of 6 iterations once"
second=$("$CMP" -d "$L" -n ca,cb -b counted 2>&1)
is "$(wc -l < "$T/parses")" 6 "a second read parses nothing"
is "$second" "$first" "and prints the same"
ok "$(find "$L/ca" "$L/cb" -newer "$T/parses" | grep -q .; echo $((! $?)))" "nothing was written into the (read-only) tree"
chmod -R u+w "$L/cb"
echo 999 > "$L/cb/iter-2/counted/logs/v-3"
touch -d '2020-01-01' "$L/cb/iter-2/counted/logs/v-3"
third=$("$CMP" -d "$L" -n ca,cb -b counted 2>&1)
is "$(wc -l < "$T/parses")" 7 "a changed log is parsed again, only its iteration"
like "$third" '^Max +ops +[0-9.]+ +\( +0\.00%\) +999\.00' "and its new value is shown"
MMTESTS_CACHE=off "$CMP" -d "$L" -n ca,cb -b counted >/dev/null 2>&1
is "$(wc -l < "$T/parses")" 13 "MMTESTS_CACHE=off parses every iteration"
for f in "$T"/cache/*.tsv; do printf 'garbage\n' > "$f"; done
fourth=$("$CMP" -d "$L" -n ca,cb -b counted 2>&1)
is "$(wc -l < "$T/parses"):$fourth" "19:$third" "a cache file that does not hold its key is not trusted"
chmod -R u+w "$L/ca"
done_testing
