# graph: real gnuplot pictures of the right type and size.
. "$(dirname "$0")/../lib.sh"
make_home
G=$BUILD/bin/graph-mmtests
L=$T/log
add_shellpack thr 'true'
make_run "$L" a thr ops "100 101 99 100.5" lat "5 6 5.5 5.2"
make_run "$L" b thr ops "110 111 109 110.5" lat "5 6.5 5.1 5.9"
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }

command -v gnuplot >/dev/null || { echo "1..0 # SKIP gnuplot not installed"; exit 0; }
out=$("$G" -d "$L" -n a,b --output "$T/png" 2>&1)
ok $? "graph writes PNGs"
is "$out" "$T/png/thr.png" "prints the file it wrote"
is "$(od -An -c -N4 "$T/png/thr.png" | tr -d ' ')" '211PNG' "a real PNG"
is "$(png_size "$T/png/thr.png")" 1024x640 "default size 1024x640"
"$G" -d "$L" -n a,b --output "$T/png" --size 800x500 >/dev/null 2>&1
is "$(png_size "$T/png/thr.png")" 800x500 "--size 800x500"
ok $(( $(stat -c %s "$T/png/thr.png") < 5000 )) "the picture has content ($(stat -c %s "$T/png/thr.png") bytes)"
"$G" -d "$L" -n a,b --output "$T/svg" --format svg >/dev/null 2>&1
ok $? "graph writes SVG"
like "$(head -c 400 "$T/svg/thr.svg")" '<svg' "a real SVG"
like "$(cat "$T/svg/thr.svg")" 'thr \(value, higher is better\)' "titled from the metadata"
like "$(cat "$T/svg/thr.svg")" '>ops<' "labels on the axis"
ok "$(test ! -e "$T/svg/.thr.gnuplot"; echo $?)" "no script left behind on success"

# The other plot types of shellpack.conf.
for type in lines histogram; do
	d=$MMTESTS_HOME/shellpacks/p$type
	mkdir -p "$d"
	printf 'plot_type = "%s"\nunits = "ms"\nprefer = "lower"\n' "$type" > "$d/shellpack.conf"
	make_run "$L" a p$type lat "5 6 5.5 5.2"
	make_run "$L" b p$type lat "5 6.5 5.1 5.9"
	"$G" -d "$L" -n a,b -b p$type --output "$T/$type" >/dev/null 2>&1
	ok $? "plot_type $type"
	is "$(od -An -c -N4 "$T/$type/p$type.png" | tr -d ' ')" '211PNG' "$type: a real PNG"
done

# A monitor over time (vmstat logs of a real run): a panel per kind of
# value with its units, seconds on the x axis, a legend entry per label
# and run, and the columns that stayed 0 named instead of drawn.
M=$SRC/tests/fixtures/compare/by-mmtests/tree
"$G" -d "$M" -n 6.1-rc3-vanilla,6.1-rc3-patched -b stream --monitor vmstat --format svg --output "$T/mon" >/dev/null 2>&1
ok $? "graph --monitor vmstat"
S=$(cat "$T/mon/stream-vmstat.svg" 2>/dev/null)
for panel in processes memory "block IO" "interrupts and context switches" CPU; do
	like "$S" ">$panel( \\(always 0[^<]*\\))?<" "a panel: $panel"
done
like "$S" ">KiB<" "memory in KiB on its own axis"
like "$S" ">%<" "CPU in % on its own"
like "$S" ">seconds<" "time on the x axis, in seconds (the run's MONITOR_UPDATE_FREQUENCY)"
like "$S" ">us \\(6\\.1-rc3-vanilla\\)<" "legend entries name the label and the run"
like "$S" "always 0, not drawn: [^<]*si" "a column 0 throughout is named, not drawn"

# Bad input.
PATH=/nonexistent "$G" -d "$L" -n a,b --output "$T/x" > /dev/null 2>"$T/err"; rc=$?
is "$rc" 1 "no gnuplot: exit 1"
like "$(cat "$T/err")" 'gnuplot is not installed.*apt-get install gnuplot-nox' "says what to install"
"$G" -d "$L" -n a,b --format jpg >/dev/null 2>&1
is "$?" 2 "unknown format: usage error"
"$G" -d "$L" -n a,nope >/dev/null 2>&1
is "$?" 1 "unknown run: exit 1"
done_testing
