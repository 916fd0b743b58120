# Helpers for shellpack scripts: . "$SHELLPACK_INCLUDE/common.sh"

die() {
	echo "ERROR: $*" >&2
	exit 1
}

log_info() {
	echo "INFO: $*"
}

# Wait at a barrier point (no-op outside a run-kvm run).
mmtests_sync() {
	mmtests-sync "$1" || die "sync point $1 failed"
}

# install_declared: make shellpack.conf's commands available by
# installing its packages (SHELLPACK_COMMANDS, SHELLPACK_PACKAGES; Debian
# names, tools/pkgmap maps them for dnf/zypper). Nothing to do when every
# command is on PATH.
install_declared() {
	local cmd missing=
	for cmd in $SHELLPACK_COMMANDS; do
		command -v "$cmd" >/dev/null 2>&1 || missing+=" $cmd"
	done
	[ -n "$missing" ] || return 0
	[ -n "$SHELLPACK_PACKAGES" ] || die "missing:$missing, and shellpack.conf names no package that provides it"
	local installer="$SHELLPACK_TOPLEVEL/tools/install-deps"
	[ -x "$installer" ] || die "missing:$missing; install package(s): $SHELLPACK_PACKAGES"
	[ "$(id -u)" -eq 0 ] || die "missing:$missing, and installing needs root: install package(s): $SHELLPACK_PACKAGES"
	log_info "installing $SHELLPACK_PACKAGES for$missing"
	# shellcheck disable=SC2086 # a list of package names
	"$installer" --packages $SHELLPACK_PACKAGES || die "installing $SHELLPACK_PACKAGES failed"
	for cmd in $missing; do
		command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after installing $SHELLPACK_PACKAGES"
	done
}

# mirror_fetch FILE SHA256: print the path of FILE from the mirror, its
# checksum verified. The mirror is a directory (default work/mirror) or a
# URL (MMTESTS_MIRROR=http...), fetched into work/sources.
mirror_fetch() {
	local file=$1 sum=$2 mirror=${SHELLPACK_MIRROR:-}
	local path
	case "$mirror" in
	http://*|https://*|ftp://*)
		mkdir -p "$SHELLPACK_SOURCES" || die "cannot create $SHELLPACK_SOURCES"
		path=$SHELLPACK_SOURCES/$file
		if [ ! -e "$path" ]; then
			if command -v curl >/dev/null 2>&1; then
				curl -fsSL -o "$path.part" "$mirror/$file" || die "cannot fetch $mirror/$file"
			else
				wget -q -O "$path.part" "$mirror/$file" || die "cannot fetch $mirror/$file"
			fi
			mv "$path.part" "$path"
		fi
		;;
	*)
		path=$mirror/$file
		if [ ! -e "$path" ]; then
			local from=
			[ -n "${SHELLPACK_SOURCE_URL:-}" ] && from=" (upstream: $SHELLPACK_SOURCE_URL)"
			die "$file is not in the mirror: put it at $path$from, or set MMTESTS_MIRROR to a directory or URL holding it"
		fi
		;;
	esac
	local got
	got=$(sha256sum "$path" | cut -d' ' -f1)
	[ "$got" = "$sum" ] || die "$path: sha256 $got does not match the expected $sum"
	echo "$path"
}

# fetch_source: the tarball shellpack.conf's source { file sha256 } names,
# verified; prints its path.
fetch_source() {
	[ -n "${SHELLPACK_SOURCE_FILE:-}" ] || die "shellpack.conf has no source { file = ... sha256 = ... }"
	mirror_fetch "$SHELLPACK_SOURCE_FILE" "$SHELLPACK_SOURCE_SHA256"
}

# monitor_pre_hook / monitor_post_hook LOGDIR SUBTEST: call the config's
# MONITOR_HOOKS NAME_monitor-pre/-post around each subtest, as MMTests's
# shellpacks do.
monitor_pre_hook() {
	local h
	for h in $MONITOR_HOOKS; do
		if declare -F "${h}_monitor-pre" >/dev/null; then "${h}_monitor-pre" "$@"; fi
	done
}

monitor_post_hook() {
	local h
	for h in $MONITOR_HOOKS; do
		if declare -F "${h}_monitor-post" >/dev/null; then "${h}_monitor-post" "$@"; fi
	done
}

# Servers a shellpack starts (PostgreSQL, redis, memcached, iperf3...):
# registered ones are stopped on every exit path -- the benchmark
# finishing, failing, or run-mmtests stopping it (TERM/INT).
SERVER_PIDS=()
SERVER_SIGS=()
server_stop_all() {
	local i pid
	for i in "${!SERVER_PIDS[@]}"; do
		pid=${SERVER_PIDS[$i]}
		kill -0 "$pid" 2>/dev/null || continue
		kill "-${SERVER_SIGS[$i]}" "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	SERVER_PIDS=()
	SERVER_SIGS=()
}
trap 'server_stop_all' EXIT
trap 'server_stop_all; exit 130' INT
trap 'server_stop_all; exit 143' TERM

# server_register PID [STOP-SIGNAL]: stop it (default TERM) when we exit.
server_register() {
	SERVER_PIDS+=("$1")
	SERVER_SIGS+=("${2:-TERM}")
}

# port_free PORT VARIABLE: die, naming the variable to change, when
# something already listens on 127.0.0.1:PORT.
port_free() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		die "127.0.0.1:$1 is in use by another program (ss -ltnp 'sport = :$1' shows which); set $2 to a free port"
	fi
}

# wait_for WHAT SECONDS CMD...: poll CMD until it succeeds.
wait_for() {
	local what=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	die "$what did not come up within $secs s"
}

# port_open PORT: is something listening on 127.0.0.1:PORT?
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# server_dir NAME: a fresh directory for a server's data, under the run's
# temporary directory (removed with it).
server_dir() {
	local d=$SHELLPACK_TEMP/$1
	rm -rf "$d" && mkdir -p "$d" || die "cannot create $d"
	echo "$d"
}

# list_of VALUE: a config list (spaces or commas) as words.
list_of() {
	echo "${1//,/ }"
}

# threads_powertwo MIN MAX: the thread counts MMTests's powertwo walk
# visits -- MIN, then doubling while within MAX, then MAX itself if the
# doubling missed it, each at most MAX (MIN 0: just 0, "one per CPU" to
# most tools). MMTESTS_THREAD_CUTOFF, when set, takes MAX's place, as in
# MMTests. tests/fixtures/mmtests-walks has what MMTests's own walk visits.
threads_powertwo() {
	local min=${1:-1} max=${MMTESTS_THREAD_CUTOFF:-$2} n list last out=
	list=$min last=$min
	if [ "$min" -ne 0 ]; then
		for ((n = min * 2; n <= max; n *= 2)); do
			list="$list $n" last=$n
		done
		[ "$last" -ne "$max" ] && list="$list $max"
	fi
	for n in $list; do
		out="$out${out:+ }$((n > max ? max : n))"
	done
	echo "$out"
}
