# The barrier against hostile or broken clients (issue 15): an idle flood
# does not lock members out, one connection cannot speak for two members,
# garbage and control characters are refused (and never reach the log raw),
# members at different sync points are not released together, a member
# that dies while waiting releases the others. Outcomes only, no timings.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 0; }

serve() {	# serve MEMBERS LOG [OPTION...]: starts a barrier, sets $ep (tcp:ADDR:PORT) and $spid
	rm -f "$T/endpoint"
	MMTESTS_SYNC_SECRET=s3cret "$SYNC" --serve --members "$1" --log "$2" "${@:3}" > "$T/endpoint" 2>"$T/serve.err" &
	spid=$!
	for i in $(seq 200); do [ -s "$T/endpoint" ] && break; sleep 0.05; done
	ep=$(cat "$T/endpoint")
}
meet() {	# meet TOKEN WHAT: vm1 and vm2 arrive at TOKEN; both must be released
	member vm1 "$1"; p1=$mpid
	member vm2 "$1"; p2=$mpid
	wait $p1; r1=$?
	wait $p2; r2=$?
	is "$r1:$r2" "0:0" "$2"
}
member() {	# member NAME TOKEN: a real client, in the background; its pid in $mpid
	MMTESTS_SYNC=$ep MMTESTS_SYNC_NAME=$1 MMTESTS_SYNC_SECRET=s3cret MMTESTS_SYNC_TIMEOUT=120 \
		"$SYNC" "$2" > "$T/out-$1" 2>&1 &
	mpid=$!
}
out=$("$SYNC" --serve --members a --secret visible 2>&1); rc=$?
is "$rc" 2 "--secret on the command line is refused"
like "$out" "ps" "saying why (ps shows it)"

# 1. 2000 idle connections that never speak, then two real members.
serve vm1,vm2 "$T/b1.log"
python3 - "${ep##*:}" > "$T/flood.out" 2>&1 <<'PY' &
import resource, socket, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
held = []
for i in range(2000):
    try:
        held.append(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
    except OSError as e:
        print("connect %d: %s" % (i, e))
        break
print("open", len(held))
sys.stdout.flush()
time.sleep(60)
PY
fpid=$!
for i in $(seq 600); do grep -q '^open' "$T/flood.out" 2>/dev/null && break; sleep 0.1; done
like "$(cat "$T/flood.out")" '^open 2000$' "2000 idle connections are open"
meet test_do "both members are released in spite of the idle flood"
kill $fpid 2>/dev/null; wait $fpid 2>/dev/null

# 2. One connection that knows the secret says HELLO as vm1, arrives, then
# tries to be vm2 too: refused; the barrier waits for the real vm2.
python3 - "${ep##*:}" > "$T/imp.out" 2>&1 <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"HELLO vm1 s3cret\nARRIVE iteration_begin\nHELLO vm2 s3cret\nARRIVE iteration_begin\n")
s.settimeout(120)
data = b""
while not data.endswith(b"\n"):
    chunk = s.recv(100)
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace").strip())
PY
ipid=$!
wait $ipid
like "$(cat "$T/imp.out")" '^DENIED a connection speaks for one member' "a second HELLO on one connection is refused, not a release"
meet iteration_begin "the real members still meet at the next sync point"

# 3. Garbage: a line before HELLO, a token with control characters, a
# HELLO without a secret, a line of 5000 bytes.
python3 - "${ep##*:}" > "$T/garbage.out" 2>&1 <<'PY'
import socket, sys
def talk(payload):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.settimeout(30)
    s.sendall(payload)
    try:
        data = s.recv(200)
    except socket.timeout:
        data = b"(nothing)"
    print(repr(data))
    s.close()
talk(b"ARRIVE test_do\n")
talk(b"HELLO vm1 s3cret\nARRIVE te\x1b[2Jst\x01\n")
talk(b"HELLO vm1\n")
talk(b"HELLO vm1 s3cret\n" + b"x" * 5000 + b"\nSTATUS fine\n")
PY
g=$(cat "$T/garbage.out")
like "$(sed -n 1p <<< "$g")" "DENIED HELLO first" "a line before HELLO is refused"
like "$(sed -n 2p <<< "$g")" "DENIED bad token" "a token with control characters is refused"
like "$(sed -n 3p <<< "$g")" "DENIED wrong secret" "a HELLO without a secret is refused"
ok "$(LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f]' "$T/b1.log"; echo $((! $?)))" "no control character reached the log"

# 4. Out of step: vm1 waits at test_do, vm2 arrives at test_done: vm2 is
# refused (exit 1) and vm1 is not released by it.
member vm1 test_do; p1=$mpid
for i in $(seq 200); do grep -q 'arrive vm1 test_do' "$T/b1.log" && break; sleep 0.05; done
member vm2 test_done; p2=$mpid
wait $p2; r2=$?
is "$r2" 1 "a member at another sync point is refused"
like "$(cat "$T/out-vm2")" "out of step" "and told why"
ok "$(kill -0 $p1 2>/dev/null; echo $?)" "the waiting member was not released by it"
member vm2 test_do; p2=$mpid
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1:$r2" "0:0" "at the same sync point they are released"

# A member's STATUS line on its own connection while it waits (run-mmtests
# reports status that way) does not cost it its place.
member vm1 iteration_end; p1=$mpid
for i in $(seq 200); do grep -q 'arrive vm1 iteration_end' "$T/b1.log" && break; sleep 0.05; done
python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"HELLO vm1 s3cret\nSTATUS running\n"); s.close()' "${ep##*:}"
member vm2 iteration_end; p2=$mpid
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1:$r2" "0:0" "a STATUS connection of a waiting member leaves its arrival alone"
kill $spid; wait $spid 2>/dev/null

# 5. A member dies while waiting: the other is released (--serve has no
# one else to tell it).
serve d1,d2 "$T/b2.log"
member d1 test_done; p1=$mpid
for i in $(seq 200); do grep -q 'arrive d1 test_done' "$T/b2.log" && break; sleep 0.05; done
kill -KILL $p1; wait $p1 2>/dev/null
member d2 test_done; p2=$mpid
wait $p2; r2=$?
is "$r2" 0 "a member that died while waiting releases the other"
like "$(cat "$T/b2.log")" 'lost d1' "the log says it was lost"
kill $spid; wait $spid 2>/dev/null

# 6. A member dies between sync points (nothing open to notice): with
# --lose-after the others are released once it is that late; without, they wait.
serve s1,s2 "$T/b3.log" --lose-after 2
member s1 test_do; p1=$mpid
wait $p1; r1=$?
is "$r1" 0 "--lose-after: the member that came is released although the other never does"
like "$(cat "$T/b3.log")" 'lost s2: not arrived 2.0 s after the first member did' "the log says which was lost and why"
member s2 test_done; p2=$mpid
wait $p2; r2=$?
is "$r2" 1 "the lost member cannot come back"
member s1 test_done; p1=$mpid
wait $p1; r1=$?
is "$r1" 0 "and the rest go on without it"
kill $spid; wait $spid 2>/dev/null
serve s1,s2 "$T/b4.log"
member s1 test_do; p1=$mpid
sleep 4
ok "$(kill -0 $p1 2>/dev/null; echo $?)" "without --lose-after a late member is waited for"
member s2 test_do; p2=$mpid
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1:$r2" "0:0" "and both are released when it comes"
kill $spid; wait $spid 2>/dev/null
done_testing
