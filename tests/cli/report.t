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
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	run_browser() {	# run_browser PAGE ARGS...
		local page=$1
		shift
		HOME=$T timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
			--enable-logging=stderr --v=0 "$@" "file://$page"
	}
	run_browser "$T/r.html" --window-size=1000,1400 --screenshot="$T/shot.png" > "$T/browser.out" 2>&1
	ok "$(test -s "$T/shot.png"; echo $?)" "chromium took a screenshot of the page"
	is "$(grep -c 'CONSOLE' "$T/browser.out")" 0 "no console message (errors, refused loads)"
	# not blank: the screenshot's colours, from the PNG itself
	got=$(python3 - "$T/shot.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
    elif kind == b"IDAT":
        idat += chunk
raw, bpp = zlib.decompress(idat), {6: 4, 2: 3}[ctype]
stride, prev, i, colours, ink, seen = w * bpp, bytearray(w * bpp), 0, set(), 0, 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 3 == 0:
        for k in range(0, stride, bpp * 3):
            px = bytes(line[k:k + 3])
            colours.add(px)
            seen += 1
            ink += px != b"\xff\xff\xff"
print(len(colours) > 50 and ink * 100 > seen * 2)
PY
)
	is "$got" True "the screenshot is not blank: many colours, and ink on more than 2% of it"
	dom=$(run_browser "$T/r.html" --dump-dom 2>/dev/null)
	like "$dom" "<h2 id=\"stream\">" "the browser's DOM has the benchmark's section"
	like "$dom" "<svg" "and its picture"
else
	echo "# no chromium here: the page is not opened in a browser"
fi
done_testing
