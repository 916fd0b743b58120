# kernbench_source: the path of the kernel source tarball for
# KERNBENCH_VERSION, or die naming where it can come from.
kernbench_source() {
	local v=$KERNBENCH_VERSION f
	for f in "$SHELLPACK_MIRROR/linux-$v.tar.xz" "/usr/src/linux-source-$v.tar.xz"; do
		[ -r "$f" ] && { echo "$f"; return; }
	done
	die "no kernel source for KERNBENCH_VERSION=$v: put linux-$v.tar.xz (https://cdn.kernel.org/pub/linux/kernel/v${v%%.*}.x/linux-$v.tar.xz) in the mirror ($SHELLPACK_MIRROR), or install Debian's linux-source-$v, or set KERNBENCH_VERSION to a version there is (Debian 12 has 6.1)"
}
