# Installing from a source tarball in the mirror, checksum-verified:
# a local directory (default work/mirror), MMTESTS_MIRROR=DIR, or a URL.
. "$(dirname "$0")/../lib.sh"
make_home
# A tiny real source tree: C program + Makefile, built by install.
S=$T/src/counter-1.0
mkdir -p "$S"
cat > "$S/counter.c" <<'C'
#include <stdio.h>
int main(void) { unsigned long s = 0; for (unsigned long i = 0; i < 1000000; i++) s += i; printf("sum %lu\n", s); return 0; }
C
printf 'counter: counter.c\n\t$(CC) -O2 -o counter counter.c\n' > "$S/Makefile"
tar -C "$T/src" -czf "$T/counter-1.0.tar.gz" counter-1.0
sum=$(sha256sum "$T/counter-1.0.tar.gz" | cut -d' ' -f1)

add_shellpack counter \
	'"$SHELLPACK_SOURCES/counter-1.0-installed/counter" | awk "{print \$2}" > "$LOGDIR_RESULTS/sample-1"' \
	'' \
	'. "$SHELLPACK_INCLUDE/common.sh"
dst=$SHELLPACK_SOURCES/counter-1.0-installed
[ -x "$dst/counter" ] && exit 0
tb=$(fetch_source) || exit 1
rm -rf "$dst" && mkdir -p "$dst" && tar -C "$dst" --strip-components=1 -xzf "$tb" || die "cannot unpack $tb"
make -C "$dst" || die "build failed"'
conf=$MMTESTS_HOME/shellpacks/counter/shellpack.conf
set_source() { printf 'summary = "singleop"\nsource { file = "counter-1.0.tar.gz" sha256 = "%s" url = "https://example.org/counter-1.0.tar.gz" }\n' "$1" > "$conf"; }
set_source "$sum"
cfg=$(write_config config-counter 'export MMTESTS="counter"')

out=$("$RUN" -c "$cfg" --directory "$T/log" m1 2>&1); rc=$?
ok $((rc == 0)) "missing tarball fails the install"
like "$out" "counter-1.0.tar.gz is not in the mirror: put it at $MMTESTS_WORK/mirror/counter-1.0.tar.gz \(upstream: https://example.org/counter-1.0.tar.gz\)" "says exactly where to put it"
like "$out" "read $T/log/m1/install/counter.log" "names the install log"

mkdir -p "$MMTESTS_WORK/mirror"
cp "$T/counter-1.0.tar.gz" "$MMTESTS_WORK/mirror/"
set_source "$(printf '0%.0s' $(seq 64))"
out=$("$RUN" -c "$cfg" --directory "$T/log" m2 2>&1); rc=$?
ok $((rc == 0)) "checksum mismatch fails the install"
like "$out" "sha256 $sum does not match the expected 0{64}" "shows both checksums"
ok "$(test ! -e "$MMTESTS_WORK/sources/counter-1.0-installed/counter"; echo $?)" "nothing built from an unverified tarball"

set_source "$sum"
out=$("$RUN" -c "$cfg" --directory "$T/log" m3 2>&1)
ok $? "verified tarball from work/mirror builds and runs"
is "$(cut -f5 "$T/log/m3/iter-0/counter/parse-results.tsv")" 499999500000 "the built benchmark's result"
"$RUN" -c "$cfg" --directory "$T/log" m4 >/dev/null 2>&1
ok $? "install is idempotent (second run)"

rm -rf "$MMTESTS_WORK/sources" "$MMTESTS_WORK/mirror"
mkdir -p "$T/othermirror" && cp "$T/counter-1.0.tar.gz" "$T/othermirror/"
MMTESTS_MIRROR=$T/othermirror "$RUN" -c "$cfg" --directory "$T/log" m5 >/dev/null 2>&1
ok $? "MMTESTS_MIRROR=DIR"

# A program the install builds into work/sources/<shellpack>-installed/bin
# is on the bench's PATH (after the system's), and --list counts the
# shellpack ready when its tarball is in the mirror or it is built.
rm -rf "$MMTESTS_WORK/sources" "$MMTESTS_WORK/mirror"
add_shellpack tally 'tally > "$LOGDIR_RESULTS/sample-1"' '' \
	'. "$SHELLPACK_INCLUDE/common.sh"
dst=$SHELLPACK_SOURCES/tally-installed
[ -x "$dst/bin/tally" ] && exit 0
tb=$(fetch_source) || exit 1
mkdir -p "$dst/bin" "$dst/src" && tar -C "$dst/src" --strip-components=1 -xzf "$tb" && make -C "$dst/src" >&2 &&
	printf "#!/bin/sh\nexec %s | cut -d\" \" -f2\n" "$dst/src/counter" > "$dst/bin/tally" && chmod +x "$dst/bin/tally"'
printf 'summary = "singleop"\ncommands = { "tally" }\nsource { file = "counter-1.0.tar.gz" sha256 = "%s" url = "https://example.org/counter-1.0.tar.gz" }\n' "$sum" \
	> "$MMTESTS_HOME/shellpacks/tally/shellpack.conf"
like "$("$RUN" --list 2>&1)" "^  no +tally .* not available: no tally here \(not packaged\); put counter-1.0.tar.gz" "--list: not ready without the tarball"
mkdir -p "$MMTESTS_WORK/mirror" && cp "$T/counter-1.0.tar.gz" "$MMTESTS_WORK/mirror/"
like "$("$RUN" --list 2>&1)" "^  ready +tally .* -- builds from the mirror \($MMTESTS_WORK/mirror/counter-1.0.tar.gz\) at install" "--list: ready, built from the mirror at install"
tcfg=$(write_config config-tally 'export MMTESTS="tally"')
"$RUN" -c "$tcfg" --directory "$T/log" t1 >/dev/null 2>&1
ok $? "the built program runs from PATH"
is "$(cut -f5 "$T/log/t1/iter-0/tally/parse-results.tsv")" 499999500000 "its result"
rm -rf "$MMTESTS_WORK/mirror"
like "$("$RUN" --list 2>&1)" "^  ready +tally " "--list: ready once built, the tarball gone"

# A URL mirror, served on loopback.
if command -v python3 >/dev/null; then
	rm -rf "$MMTESTS_WORK/sources"
	port=$((20000 + RANDOM % 10000))	# below the ephemeral ports
	(cd "$T/othermirror" && exec python3 -m http.server --bind 127.0.0.1 "$port") >/dev/null 2>&1 &
	srv=$!
	for i in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
	MMTESTS_MIRROR=http://127.0.0.1:$port "$RUN" -c "$cfg" --directory "$T/log" m6 >/dev/null 2>&1
	ok $? "MMTESTS_MIRROR=URL (loopback http server)"
	ok "$(test -f "$MMTESTS_WORK/sources/counter-1.0.tar.gz"; echo $?)" "fetched into work/sources"
	kill $srv
fi
done_testing
