# TAP helpers for the shell CLI tests: . "$(dirname "$0")/../lib.sh"
set -u
SRC=${MMTESTS_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${MMTESTS_BUILD:-$SRC}
RUN=$BUILD/bin/run-mmtests
SYNC=$BUILD/bin/mmtests-sync
T=$(mktemp -d /tmp/mmtests-cli.XXXXXX)
trap '[ -n "${KEEP_TEST_DIR:-}" ] || rm -rf "$T"' EXIT	# KEEP_TEST_DIR=1: keep it to look at
export MMTESTS_WORK=$T/work
export MMTESTS_HOME=$SRC
export MMTESTS_CACHE=$T/cache	# compare's parse cache: never the user's
unset MMTESTS_SYNC MMTESTS_MIRROR
_n=0

ok() {	# ok COND-EXIT-STATUS DESCRIPTION
	local rc=$1
	shift
	_n=$((_n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $_n - $*"
	else
		echo "not ok $_n - $*"
	fi
}

is() {	# is GOT WANT DESCRIPTION
	local got=$1 want=$2
	shift 2
	[ "$got" = "$want" ]
	ok $? "$*"
	[ "$got" = "$want" ] || printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
}

like() {	# like TEXT REGEX DESCRIPTION
	local text=$1 re=$2
	shift 2
	grep -Eq -- "$re" <<< "$text"
	ok $? "$*"
	grep -Eq -- "$re" <<< "$text" || printf '#   no match for /%s/ in:\n%s\n' "$re" "$(sed 's/^/#     /' <<< "$text")"
}

unlike() {	# unlike TEXT REGEX DESCRIPTION: no line matches
	local text=$1 re=$2
	shift 2
	! grep -Eq -- "$re" <<< "$text"
	ok $? "$*"
	grep -Eq -- "$re" <<< "$text" && printf '#   unwanted match for /%s/:\n%s\n' "$re" "$(grep -E -- "$re" <<< "$text" | sed 's/^/#     /')"
	return 0
}

done_testing() {
	echo "1..$_n"
}

# A private MMTESTS_HOME: the real shellpacks plus test-only ones.
make_home() {
	local h=$T/home
	mkdir -p "$h/shellpacks"
	for f in "$SRC"/shellpacks/*; do
		ln -s "$f" "$h/shellpacks/${f##*/}"
	done
	export MMTESTS_HOME=$h
}

# add_shellpack NAME BENCH-BODY [PARSE-BODY] [INSTALL-BODY]
# The default parse-results reports each sample-<n> file as one "ops" value.
DEFAULT_PARSE='for f in sample-*; do printf "ops\t_\t_\t%s\t%s\n" "${f#sample-}" "$(cat "$f")"; done'
add_shellpack() {
	local d=$MMTESTS_HOME/shellpacks/$1
	mkdir -p "$d"
	printf 'summary = "multiops"\nprefer = "higher"\n' > "$d/shellpack.conf"
	printf '#!/bin/bash\n%s\n' "$2" > "$d/bench"
	printf '#!/bin/bash\ncd "$1" || exit 1\n%s\n' "${3:-$DEFAULT_PARSE}" > "$d/parse-results"
	chmod +x "$d/bench" "$d/parse-results"
	if [ -n "${4:-}" ]; then
		printf '#!/bin/bash\n%s\n' "$4" > "$d/install"
		chmod +x "$d/install"
	fi
}

# write_config NAME LINES...: a config file in $T
write_config() {
	local f=$T/$1
	shift
	printf '%s\n' "$@" > "$f"
	echo "$f"
}

# json FILE JQ-FILTER
json() {
	jq -r "$2" "$1"
}

# make_run LOGDIR RUN BENCH LABEL "V1 V2 ..." [LABEL "..."]...: a results
# tree as run-mmtests writes it (TSV cache), one iteration.
make_run() {
	local dir=$1/$2/iter-0/$3 label
	mkdir -p "$dir/logs"
	: > "$dir/parse-results.tsv"
	shift 3
	while [ $# -ge 2 ]; do
		label=$1
		local i=0
		for v in $2; do
			i=$((i + 1))
			printf '%s\t_\t_\t%d\t%s\t_\n' "$label" "$i" "$v" >> "$dir/parse-results.tsv"
		done
		shift 2
	done
}

# gz_readable FILE...: every file decompresses without a gzip error up to
# where it ends (a file cut short by a kill or a full disk is readable to
# its last flush; corrupt data is not).
gz_readable() {
	python3 - "$@" <<'PY'
import sys, zlib
bad = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    try:
        while data:
            d = zlib.decompressobj(31)
            d.decompress(data)
            data = d.unused_data
    except zlib.error as e:
        print("# %s: %s" % (path, e))
        bad = 1
sys.exit(bad)
PY
}

# shellpack_of NAME: the catalogue directory of a benchmark name or alias
# (aliases = { ... } may span lines).
shellpack_of() {
	local f
	[ -d "$SRC/shellpacks/$1" ] && { echo "$SRC/shellpacks/$1"; return; }
	for f in "$SRC"/shellpacks/*/shellpack.conf; do
		awk -v n="\"$1\"" '/^aliases *=/ {a = 1} a && index($0, n) {found = 1} a && /}/ {a = 0} END {exit !found}' "$f" &&
			{ dirname "$f"; return; }
	done
	return 1
}

# browser_checks PAGE WHAT: open PAGE in a real headless browser (Debian's
# chromium): it took a screenshot, printed no console message (errors,
# refused loads), and the screenshot is not blank (3 tests); its DOM is
# then in $T/dom. Without chromium: said, 1 returned, nothing tested.
browser_checks() {
	local page=$1 what=$2 browser
	browser=$(command -v chromium || command -v chromium-browser || true)
	if [ -z "$browser" ]; then
		echo "# no chromium here: $what is not opened in a browser"
		return 1
	fi
	HOME=$T timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
		--enable-logging=stderr --v=0 --window-size=1000,1400 --screenshot="$T/shot.png" "file://$page" > "$T/browser.out" 2>&1
	ok "$(test -s "$T/shot.png"; echo $?)" "$what: chromium took a screenshot"
	is "$(grep -c 'CONSOLE' "$T/browser.out")" 0 "$what: no console message (errors, refused loads)"
	is "$(python3 "$SRC/tests/png-ink.py" "$T/shot.png")" True "$what: the screenshot is not blank (many colours, ink on more than 2%)"
	HOME=$T timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --dump-dom "file://$page" > "$T/dom" 2>/dev/null
	return 0
}
