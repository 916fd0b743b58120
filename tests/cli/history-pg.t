# mmtests-db's PostgreSQL store: history.t's tests again, in a real
# PostgreSQL server it starts on a unix socket.
HISTORY_STORE=pg exec bash "$(dirname "$0")/history.t"
