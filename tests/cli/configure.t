# configure stops on a missing dependency and names the package to install
# on each distribution family.
. "$(dirname "$0")/../lib.sh"
[ -x "$SRC/configure" ] || { echo "1..0 # SKIP no generated configure"; exit 0; }
W=$T/conf
mkdir -p "$W/src/run" "$W/pc"
cp "$SRC/configure" "$W/"
cp -r "$SRC/build-aux" "$W/"
touch "$W/src/run/main.c"
prev=
for dep in "libconfuse libconfuse-dev libconfuse-devel" "libssh2 libssh2-1-dev libssh2-devel" \
	   "libvirt libvirt-dev libvirt-devel" "zlib zlib1g-dev zlib-devel" "jansson libjansson-dev jansson-devel"; do
	set -- $dep
	out=$(cd "$W" && PKG_CONFIG_LIBDIR=$W/pc PKG_CONFIG_PATH= ./configure 2>&1); rc=$?
	ok $((rc == 0)) "configure fails without $1"
	like "$out" "$1 not found" "names the missing $1"
	like "$out" "apt-get install $2" "Debian package $2"
	like "$out" "dnf install $3" "Fedora package $3"
	# Pretend it is there so the next check is reached.
	printf 'Name: %s\nDescription: fake\nVersion: 99\nLibs:\nCflags:\n' "$1" > "$W/pc/$1.pc"
done
done_testing
