# Every installed program has a man page that is true to it: NAME,
# SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES and EXIT STATUS sections, every
# option its --help lists, and groff renders it without a warning.
. "$(dirname "$0")/../lib.sh"
M=$SRC/man
prog_path() {	# the program a page documents, in the build
	case $1 in
	make-guest|make-guest-domain) echo "$SRC/bin/$1" ;;
	mig-mon|virtbench) echo "$BUILD/src/bench/$1" ;;
	mmtests-nightly) echo "$SRC/tools/nightly" ;;
	mmtests-bisect) echo "$SRC/tools/bisect" ;;
	*) echo "$BUILD/bin/$1" ;;
	esac
}
for p in run-mmtests run-kvm compare-mmtests graph-mmtests mmtests-sync mmtests-monitor make-guest make-guest-domain mig-mon virtbench mmtests-nightly mmtests-db mmtests-bisect; do
	page=$M/$p.1
	ok "$(test -f "$page"; echo $?)" "$p has a man page"
	[ -f "$page" ] || continue
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS"; do
		ok "$(grep -q "^\.SH \"\?$s\"\?$" "$page"; echo $?)" "$p.1: $s"
	done
	exe=$(prog_path "$p")
	export MMTESTS_BIN=$BUILD/bin	# (nightly's --version asks run-mmtests, from a build elsewhere too)
	[ -x "$exe" ] || { echo "# $p: not built here, its options not checked"; continue; }
	text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page")
	missing=
	for o in $("$exe" --help 2>&1 | grep -oE -- '(^|[ ,[])--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
		grep -qF -- "$o" <<< "$text" || missing+=" $o"
	done
	is "$missing" "" "$p.1 documents every option $p --help lists"
	like "$("$exe" --help 2>&1)" "[Ee]xit status" "$p --help says its exit status"
	warn=$(groff -ww -z -man "$page" 2>&1)
	is "$warn" "" "$p.1 renders without a warning"
done
done_testing
