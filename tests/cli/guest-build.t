# tools/guest-build, as run-kvm runs it in a guest that cannot run the
# host's programs: from the release tarball, configure --disable-kvm (no
# libvirt, no libssh2), the guest's programs built and runnable.
. "$(dirname "$0")/../lib.sh"
make -s -C "$BUILD" dist-gzip >/dev/null 2>&1
tarball=$(ls -t "$BUILD"/mmtests-c-*.tar.gz | head -1)
ok "$(test -s "$tarball"; echo $?)" "a release tarball to push (${tarball##*/})"
mkdir -p "$T/guest/src"
tar -xzf "$tarball" -C "$T/guest/src"
out=$("$T"/guest/src/mmtests-c-*/tools/guest-build "$T/guest/opt" 2>&1); rc=$?
is "$rc" 0 "guest-build builds from the tarball"
like "$out" "guest-build: built mmtests-c for $(uname -m) into $T/guest/opt" "and says for which architecture"
grep -q "enable_kvm=no\|--disable-kvm" "$T"/guest/src/mmtests-c-*/config.log
ok $? "configured without run-kvm"
ok "$(test ! -e "$T"/guest/src/mmtests-c-*/bin/run-kvm; echo $?)" "so no libvirt/libssh2 program was built"
for p in run-mmtests mmtests-sync mmtests-monitor; do
	"$T/guest/opt/bin/$p" --help >/dev/null 2>&1
	ok $? "$p built and runs"
done
ok "$(test -x "$T/guest/opt/src/bench/stream"; echo $?)" "the stream benchmark built"
done_testing
