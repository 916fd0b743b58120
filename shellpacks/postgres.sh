# A private PostgreSQL server for a shellpack: . "$SHELLPACK_INCLUDE/postgres.sh"
# pg_start DIR starts one with its data and its unix socket in DIR (no TCP
# port, so nothing to collide with), owned by the postgres user when we
# are root; it is stopped (fast shutdown) on every exit path.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -z "$PG_BIN" ] && command -v initdb >/dev/null && PG_BIN=$(dirname "$(command -v initdb)")

pg_as() {	# run as the server's owner
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	local dir=$1
	[ -x "$PG_BIN/initdb" ] || die "PostgreSQL is not installed (package postgresql)"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "no postgres user to run the server as (package postgresql creates it)"
		chown postgres: "$dir" || die "cannot give $dir to postgres"
		# the server must reach its directory: every parent searchable
		local p=$dir
		while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null; done
	fi
	pg_as "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres > "$dir/initdb.log" 2>&1 ||
		die "initdb failed: $(tail -3 "$dir/initdb.log")"
	# a plain command in the background: $! is the postmaster itself
	local as=
	[ "$(id -u)" -eq 0 ] && as="setpriv --reuid=postgres --regid=postgres --init-groups --"
	$as "$PG_BIN/postgres" -D "$dir/data" -k "$dir" -c listen_addresses= \
		-c shared_buffers="${PG_SHARED_BUFFERS:-128MB}" > "$dir/server.log" 2>&1 &
	server_register $! INT
	wait_for "PostgreSQL in $dir" 30 pg_isready -q -h "$dir" -U postgres
	PGHOST=$dir
	export PGHOST PGUSER=postgres
}
