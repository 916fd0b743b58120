# parse-results of our shellpacks against captured real logs, in our
# layout and in MMTests's.
. "$(dirname "$0")/../lib.sh"
F=$SRC/tests/fixtures
SP=$SRC/shellpacks

out=$("$SP/stream/parse-results" "$F/stream/mmtests-c")
ok $? "stream parse-results exits 0"
is "$(wc -l <<< "$out")" 12 "3 logs x 4 operations"
is "$(cut -f1 <<< "$out" | sort -u | tr '\n' ' ')" "Add Copy Scale Triad " "operations"
is "$(cut -f2,4 <<< "$out" | sort -u | tr '\n' ' ')" "1	1 1	2 2	1 " "threads and samples from the file names"
copy=$(awk '$1 == "Copy:" {print $2}' "$F/stream/mmtests-c/benchlog-1-_-2")
is "$(awk -F'\t' '$1 == "Copy" && $2 == 1 && $4 == 2 {print $5}' <<< "$out")" "$copy" "value is the best rate"
is "$(awk -F'\t' 'NF != 6 || $5 !~ /^[0-9.]+$/' <<< "$out" | wc -l)" 0 "well-formed lines"
is "$(head -1 <<< "$out" | cut -f2)" 1 "sorted by thread count first"

out=$("$SP/hackbench/parse-results" "$F/hackbench/mmtests-c")
ok $? "hackbench parse-results (our logs)"
is "$(wc -l <<< "$out")" 6 "2 group counts x 3 samples"
is "$(cut -f4 <<< "$out" | tr '\n' ' ')" "1 2 3 1 2 3 " "samples numbered per group"
want=$(awk '/Total time/ {print $3}' "$F/hackbench/mmtests-c/hackbench-2" | tr '\n' ' ')
is "$(awk -F'\t' '$2 == 2 {print $5}' <<< "$out" | tr '\n' ' ')" "$want" "values in order"

out=$("$SP/hackbench/parse-results" "$F/hackbench/mmtests")
ok $? "hackbench parse-results (MMTests's hackbench-<groups>-<sample> logs)"
is "$(wc -l <<< "$out")" 6 "2 group counts x 3 samples"
is "$(cut -f2 <<< "$out" | tr '\n' ' ')" "1 1 1 4 4 4 " "groups sorted numerically"
want=$(awk '/Total time/ {print $3}' "$F/hackbench/mmtests/hackbench-4-3")
is "$(awk -F'\t' '$2 == 4 && $4 == 3 {print $5}' <<< "$out")" "$want" "value from perf bench output"

empty=$(mktemp -d "$T/empty.XXXX")
is "$("$SP/stream/parse-results" "$empty")" "" "no logs: no output"
"$SP/stream/parse-results" "$T/does-not-exist" >/dev/null 2>&1
ok $((! $?)) "missing directory: non-zero exit"

# xfstests: the cases the captured run lacks, in check's -T line formats
# (check's own echo sequence): an output mismatch of a test that exited 0,
# an expunged test, and the test an interrupt cut short (one timestamp)
X=$T/xfstests && mkdir -p "$X"
printf '%s\n' 'generic/001         [10:00:01] [10:00:03] 2s' \
	'generic/002         [10:00:03] [10:00:04]- output mismatch (see /r/generic/002.out.bad)' \
	'    --- tests/generic/002.out' \
	'generic/003         [expunged]' \
	'btrfs/010           [10:00:04][failed, exit status 12] [10:00:05]- output mismatch (see /r/btrfs/010.out.bad)' \
	'generic/004         [10:00:05]' > "$X/xfstests-default.log"
is "$("$SP/xfstests/parse-results" "$X" | cut -f1,5 | tr '\t\n' ': ')" "generic/001:0 generic/002:1 btrfs/010:12 " \
	"xfstests: passed 0, a mismatch 1, an exit status itself; expunged and unfinished tests are no result"
done_testing
