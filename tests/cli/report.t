# compare-mmtests --format report: one self-contained HTML page, opened in
# a real headless browser (Debian's chromium): it renders (a screenshot
# with content), logs nothing to the console, loads nothing from outside,
# and holds the runs' systems, each benchmark's table with units and
# significance, its picture as inline SVG, and the notes.
. "$(dirname "$0")/../lib.sh"
cfg=$(write_config config-rep 'export MMTESTS="stream"' 'export MMTEST_ITERATIONS=2' \
	'export STREAM_SIZE=$((1048576 * 3)) STREAM_ITERATIONS=3')
for r in before after; do "$RUN" -c "$cfg" --directory "$T/log" "$r" >/dev/null 2>&1 || echo "# run $r failed"; done
"$BUILD/bin/compare-mmtests" -d "$T/log" -n before,after --format report > "$T/r.html" 2>"$T/err"
ok $? "compare --format report"
R=$(cat "$T/r.html")
like "$R" "^<!DOCTYPE html>" "an HTML page"
like "$R" "<style>" "with its CSS inline"
unlike "$R" "<script|<link |<iframe| (src|href)=\"(https?:|//|file:|[a-z])" "nothing loaded from outside: no script, link or external src/href"
like "$R" "<th class=\"l\">kernel</th><td class=\"l\">$(uname -r)</td>" "each run's kernel, from its run.json"
model=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*:[[:space:]]*//')
[ -n "$model" ] && like "$R" "CPU model</th><td class=\"l\">$(sed 's/[][\.*^$(){}?+|/]/\\&/g' <<< "$model")" "its CPU model, from the run's cpuinfo"
like "$R" "<h2 id=\"stream\">stream</h2>" "a section per benchmark"
like "$R" "<td class=\"l\">Hmean</td><td class=\"l\">Copy-[0-9]+</td><td class=\"l\">MB/sec" "its table, with units"
if command -v gnuplot >/dev/null; then
	like "$R" "<figure>" "its picture"
	like "$(sed -n '/<figure>/,/<\/figure>/p' "$T/r.html" | head -3)" "^<svg" "inline SVG, no file beside the page"
fi
like "$R" "<ul class=\"notes\">" "the notes compare prints to stderr are in the page too"
like "$R" "Significance: Mann-Whitney U" "and how significance was decided"
# a significant change is marked: a baseline against a copy of it 10% better
make_run "$T/log2" base thr ops "100 101 99 100.5 99.5 100.2 99.8 100.1 99.9 100.3"
make_run "$T/log2" new thr ops "110 111 109 110.5 109.5 110.2 109.8 110.1 109.9 110.3"
"$BUILD/bin/compare-mmtests" -d "$T/log2" -n base,new --format report > "$T/sig.html" 2>/dev/null
like "$(cat "$T/sig.html")" "<td class=\"better\">110\\.[0-9]+<span class=\"pct\">\\+10\\.00%</span>" "a significant gain is marked better"
like "$(cat "$T/sig.html")" "no run.json" "a tree without run.json (MMTests's) says so instead of a system"
# a run lacking the baseline's benchmark: exit 1 as for text, and the page says which and why
make_run "$T/log2" other lat ops "5 6"
"$BUILD/bin/compare-mmtests" -d "$T/log2" -n base,other --format report > "$T/miss.html" 2>/dev/null
is "$?" 1 "a benchmark that cannot be compared: exit 1"
like "$(cat "$T/miss.html")" "<h2 id=\"thr\">thr</h2>" "its section is there"
like "$(cat "$T/miss.html")" "Not compared: run 'other' has no results for thr" "saying why"
like "$(tail -1 "$T/miss.html")" "</body></html>" "and the page is whole"

# the browser
if browser_checks "$T/r.html" "the report"; then
	like "$(cat "$T/dom")" "<h2 id=\"stream\">" "the browser's DOM has the benchmark's section"
	like "$(cat "$T/dom")" "<svg" "and its picture"
fi
done_testing
