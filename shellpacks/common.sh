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

# size_bytes SIZE: a config size (4096, 64k, 512m, 2g, 1t; what a "size"
# variable accepts) in bytes.
size_bytes() {
	local v=${1,,} m=1
	case $v in *k) m=1024 ;; *m) m=1048576 ;; *g) m=1073741824 ;; *t) m=1099511627776 ;; esac
	echo $((${v%[kmgt]} * m))
}

# unpack_source DIR NAME: for a benchmark built from upstream source: the
# source tarball from the mirror (verified; without it, says NAME is not
# packaged and what to put where), the build dependencies (packages)
# installed, and the tarball unpacked into a fresh DIR.
unpack_source() {
	local tb
	tb=$(fetch_source) || die "$2 is not packaged: put $SHELLPACK_SOURCE_FILE (sha256 $SHELLPACK_SOURCE_SHA256, from $SHELLPACK_SOURCE_URL) in ${SHELLPACK_MIRROR:-work/mirror}"
	"$SHELLPACK_TOPLEVEL/tools/install-deps" --packages $SHELLPACK_PACKAGES || die "cannot install the build dependencies: $SHELLPACK_PACKAGES"
	rm -rf "$1" && mkdir -p "$1" && tar -C "$1" --strip-components=1 -xzf "$tb" || die "cannot unpack $tb"
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
		pid=${SERVER_PIDS[$i]}	# -PGID: a process group
		kill -0 -- "$pid" 2>/dev/null || continue
		kill "-${SERVER_SIGS[$i]}" -- "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 -- "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	SERVER_PIDS=()
	SERVER_SIGS=()
	# then what was changed or made outside the run's directory
	for i in "${!RESTORE_SYSCTLS[@]}"; do
		sysctl -q -w "${RESTORE_SYSCTLS[$i]}" >/dev/null 2>&1
	done
	RESTORE_SYSCTLS=()
	for i in "${!RESTORE_FILES[@]}"; do
		echo "${RESTORE_FILES[$i]#*=}" > "${RESTORE_FILES[$i]%%=*}" 2>/dev/null
	done
	RESTORE_FILES=()
	[ ${#REMOVE_PATHS[@]} -eq 0 ] || rm -rf -- "${REMOVE_PATHS[@]}"
	REMOVE_PATHS=()
}
RESTORE_SYSCTLS=()
RESTORE_FILES=()
REMOVE_PATHS=()
trap 'server_stop_all' EXIT
trap 'server_stop_all; exit 130' INT
trap 'server_stop_all; exit 143' TERM

# server_register PID|-PGID [STOP-SIGNAL]: stop it (default TERM) when we exit.
server_register() {
	SERVER_PIDS+=("$1")
	SERVER_SIGS+=("${2:-TERM}")
}

# sysctl_for_run NAME VALUE: set a sysctl as MMTests's shellpack does, and
# put the old value back when the benchmark ends (MMTests leaves it).
# Not root, or a name this kernel lacks: said, and the run goes on.
sysctl_for_run() {
	local old
	old=$(sysctl -n "$1" 2>/dev/null) || { log_info "sysctl $1 is not on this kernel: left"; return 0; }
	[ "$old" = "$2" ] && return 0
	if sysctl -q -w "$1=$2" >/dev/null 2>&1; then
		RESTORE_SYSCTLS+=("$1=$old")
		log_info "sysctl $1=$2 for this benchmark (was $old)"
	else
		log_info "cannot set sysctl $1=$2 (not root?): left at $old"
	fi
}

# sysfs_for_run FILE VALUE: write a kernel setting (a /sys file whose
# current value is the word in [brackets], as transparent_hugepage/enabled,
# or the whole content) for this benchmark, and put it back when it ends.
# Not root or no such file: said, and the run goes on.
sysfs_for_run() {
	local old
	[ -w "$1" ] || { log_info "cannot set $1 to $2 (not root, or not on this kernel): left"; return 0; }
	old=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$1")
	[ -n "$old" ] || old=$(cat "$1")
	[ "$old" = "$2" ] && return 0
	if echo "$2" > "$1" 2>/dev/null; then
		RESTORE_FILES+=("$1=$old")
		log_info "$1: $2 for this benchmark (was $old)"
	else
		log_info "cannot set $1 to $2: left at $old"
	fi
}

# tmp_path NAME VARIABLE: set VARIABLE to /tmp/mmtests-NAME.<pid>, a path
# outside the run's directory (for what must be short, or reachable by
# another user) removed when the benchmark ends; first removes those a
# benchmark killed outright (SIGKILL: no trap runs) left behind, when
# their process is gone and they are ours. The caller creates it (mkdir
# or ln, which fail if the path is taken).
tmp_path() {
	local old pid
	for old in /tmp/mmtests-"$1".*; do
		pid=${old##*.}
		# (stat, not test -O: that follows a symbolic link)
		[[ $pid =~ ^[0-9]+$ ]] && [ "$(stat -c %u "$old" 2>/dev/null)" = "$EUID" ] &&
			! kill -0 "$pid" 2>/dev/null && rm -rf -- "$old"
	done
	REMOVE_PATHS+=("/tmp/mmtests-$1.$$")
	printf -v "$2" '%s' "/tmp/mmtests-$1.$$"
}

# httpd_start PORT VARIABLE: Apache httpd (Debian's apache2, as MMTests's
# own build of it: default modules, event MPM) on 127.0.0.1:PORT serving
# $HTTPD_DOCROOT, stopped when the benchmark ends. The document root is a
# fresh directory under /tmp, removed at the end: as root, Apache serves
# as nobody, who cannot enter a private run directory.
httpd_start() {
	local port=$1 dir user= bin pid i
	bin=$(PATH=$PATH:/usr/sbin command -v apache2) || die "apache2 is not installed (package apache2-bin)"
	port_free "$port" "$2"
	tmp_path httpd HTTPD_DOCROOT
	mkdir -m 755 "$HTTPD_DOCROOT" || die "cannot create the document root $HTTPD_DOCROOT"
	dir=$(server_dir httpd)
	[ "$(id -u)" = 0 ] && user="User nobody
Group $(id -gn nobody)"
	cat > "$dir/httpd.conf" <<CONF
ServerRoot $dir
ServerName localhost
Listen 127.0.0.1:$port
PidFile $dir/httpd.pid
ErrorLog $dir/error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
TypesConfig /etc/mime.types
DocumentRoot $HTTPD_DOCROOT
$user
CONF
	"$bin" -f "$dir/httpd.conf" -D FOREGROUND > "$dir/httpd.out" 2>&1 &
	pid=$!
	server_register "$pid"
	for ((i = 0; i < 100; i++)); do
		port_open "$port" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	port_open "$port" || die "Apache httpd did not start on 127.0.0.1:$port: $(cat "$dir/httpd.out" "$dir/error.log" 2>/dev/null | tail -3)"
	log_info "Apache httpd on 127.0.0.1:$port, serving $HTTPD_DOCROOT"
}

# background_loop WHAT LOG CMD...: CMD over and over, beside the benchmark,
# in its own process group (load generators fork: the whole group is
# stopped on exit); dies, showing LOG, when CMD fails at once.
background_loop() {
	local what=$1 log=$2
	shift 2
	setsid bash -c 'while "$@"; do :; done' loop "$@" > "$log" 2>&1 &
	local pg=$!
	server_register "-$pg"
	sleep 1
	kill -0 -- "-$pg" 2>/dev/null || die "the background $what stopped at once: $(tail -3 "$log")"
	log_info "background $what: $*"
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
port_open() {	# PORT [HOST]: something listens there (HOST: 127.0.0.1)
	(exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# port_listening PORT: something listens on TCP PORT -- without connecting,
# for a server that takes any connection as its one client (NPtcp)
port_listening() {
	ss -ltnH "sport = :$1" 2>/dev/null | grep -q .
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

# threads_stride MIN MAX [large]: the thread counts MMTests's
# generate-stride-range visits. Default: its topology walk, a few steps
# within each level of the machine (SMT siblings, LLC, node, machine, then
# 2x and 4x overcommitted, from SMT_WEIGHT, LLC_WEIGHT, NODE_WEIGHT,
# NUM_LOGICAL_CPUS); "large": its --stride-large list (3s to 8, 9s to 32,
# 31s beyond). Always MIN and MAX; nothing above MMTESTS_THREAD_CUTOFF.
# Strides are MMTests's: bc's one-decimal truncation, kept exact here by
# counting in tenths. tests/fixtures/mmtests-walks has what MMTests's own
# script visits for a range of topologies.
threads_stride() {
	local min=$1 max=$2 pattern=${3:-topology} cut=${MMTESTS_THREAD_CUTOFF:-$2}
	local n=${NUM_LOGICAL_CPUS:-1} vals="$1 $2" t last=
	[ "$max" -le 0 ] || [ "$min" -gt "$max" ] && return 0
	_stride_seq() {	# FROM STEP TO, like seq (integer STEP)
		local i
		for ((i = $1; i <= $3; i += $2)); do vals+=" $i"; done
	}
	if [ "$pattern" = large ]; then
		if [ "$max" -gt $((n * 8)) ]; then
			_stride_seq "$min" 3 8; _stride_seq 12 9 32; _stride_seq 48 31 "$n"
			local last_stride=$(((max - n * 2) / 8))
			[ "$last_stride" -le 0 ] && last_stride=31
			_stride_seq $((n * 2)) "$last_stride" "$max"
		elif [ "$max" -gt 32 ]; then
			_stride_seq "$min" 3 8; _stride_seq 12 9 32; _stride_seq 48 31 "$max"
		elif [ "$max" -gt 8 ]; then
			_stride_seq "$min" 2 8; _stride_seq 12 6 "$max"
		else
			_stride_seq "$min" 2 "$max"
		fi
	else
		local smt=${SMT_WEIGHT:-1} llc=${LLC_WEIGHT:-$n} node=${NODE_WEIGHT:-$n}
		local node_steps=3 level from to steps step10 v
		[ $((node / llc)) -gt 3 ] && node_steps=6
		for level in "1 $smt 4" "$smt $llc 4" "$llc $node $node_steps" "$node $n 2" \
			"$n $((n * 2)) 3" "$n $((n * 4)) 2" "$((n * 4)) $max 1"; do
			read -r from to steps <<< "$level"
			[ "$last" = "$from:$to" ] && continue
			[ "$from" = "$to" ] && continue
			last=$from:$to
			[ "$to" -lt "$from" ] && continue
			step10=$(((to - from) * 10 / steps))
			for ((v = from * 10; v <= to * 10; v += step10)); do vals+=" $((v / 10))"; done
		done
	fi
	unset -f _stride_seq
	for t in $(printf '%s\n' $vals | sort -n -u); do
		[ "$t" -ge "$min" ] && [ "$t" -le "$max" ] && [ "$t" -le "$cut" ] && printf '%s ' "$t"
	done | sed 's/ $//'
	echo
}

# _cpulist LIST: a sysfs CPU list (0-3,8) as words.
_cpulist() {
	local r out=
	for r in ${1//,/ }; do
		if [[ $r == *-* ]]; then out+=" $(seq "${r%-*}" "${r#*-}" | tr '\n' ' ')"; else out+=" $r"; fi
	done
	echo $out
}

# cpu_binding BINDING: MMTests's --bind-<BINDING> of its client/server
# benchmarks; sets TASKSET_SERVER, TASKSET_CLIENT and TASKSET_ALL ("taskset
# -c ..." prefixes; all empty for no binding). CPU A is node 0's first CPU;
# pinned: both on A; cross-ht: B is A's SMT sibling; cross-socket: B is the
# first other core sharing A's last-level cache (else A's node), as
# MMTests's list-cpu-siblings.pl picks it; cross-node: B is the last node's
# last CPU. A machine without such a CPU B is a host limit, said plainly.
cpu_binding() {
	local sys=/sys/devices/system cpu_a cpu_b= siblings nodes c
	TASKSET_SERVER= TASKSET_CLIENT= TASKSET_ALL=
	[ -z "$1" ] && return 0
	if [ -r $sys/node/node0/cpulist ]; then
		cpu_a=$(_cpulist "$(cat $sys/node/node0/cpulist)"); cpu_a=${cpu_a%% *}
	else
		cpu_a=0
	fi
	siblings=$(_cpulist "$(cat $sys/cpu/cpu$cpu_a/topology/thread_siblings_list 2>/dev/null)")
	case $1 in
	pinned) cpu_b=$cpu_a ;;
	cross-ht)
		for c in $siblings; do [ "$c" != "$cpu_a" ] && { cpu_b=$c; break; }; done
		[ -n "$cpu_b" ] || die "binding cross-ht: CPU $cpu_a has no SMT sibling on this machine (SMT off or absent)" ;;
	cross-socket)
		local node_cpus llc
		node_cpus=$(_cpulist "$(cat $sys/node/node0/cpulist 2>/dev/null || echo "$cpu_a")")
		llc=$(_cpulist "$(cat $sys/cpu/cpu$cpu_a/cache/index3/shared_cpu_list 2>/dev/null)")
		for c in $llc $node_cpus; do
			[ "$c" = "$cpu_a" ] && continue
			[[ " $siblings " == *" $c "* ]] && continue
			[[ " $node_cpus " == *" $c "* ]] || continue
			cpu_b=$c; break
		done
		[ -n "$cpu_b" ] || die "binding cross-socket: no other core than CPU $cpu_a's on this machine" ;;
	cross-node)
		nodes=$(ls -d $sys/node/node[0-9]* 2>/dev/null | sort -V | tail -1)
		cpu_b=$(_cpulist "$(cat "$nodes/cpulist" 2>/dev/null || echo "$cpu_a")"); cpu_b=${cpu_b##* } ;;
	*) die "binding '$1': use pinned, cross-ht, cross-socket or cross-node" ;;
	esac
	TASKSET_SERVER="taskset -c $cpu_a"
	TASKSET_CLIENT="taskset -c $cpu_b"
	TASKSET_ALL="taskset -c $cpu_a,$cpu_b"
	[ "$cpu_a" = "$cpu_b" ] && TASKSET_ALL="taskset -c $cpu_a"
	log_info "binding $1: server on CPU $cpu_a, client on CPU $cpu_b"
}
