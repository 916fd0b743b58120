# mmtests-bisect: git bisect run with run-mmtests, each step decided
# statistically, on a repository made here whose program gets three times
# slower at a known commit (its CPU time: other load on the machine moves
# it little); and the answers when it cannot tell.
. "$(dirname "$0")/../lib.sh"
[ -x "$BUILD/bin/mmtests-db" ] || { echo "1..0 # SKIP mmtests-db not built (no libsqlite3-dev)"; exit 0; }
command -v gcc >/dev/null || { echo "1..0 # SKIP no gcc to build the test's program"; exit 0; }
make_home
export MMTESTS_BIN=$BUILD/bin
BISECT=$SRC/tools/bisect
# the benchmark: the installed program, timed by itself, 5 samples a run;
# and one that reads the installed values (the same at every commit)
add_shellpack prog 'for i in $(seq 5); do "$PROG_BIN" > "$LOGDIR_RESULTS/sample-$i"; done'
sed -i 's/prefer = "higher"/prefer = "lower"/' "$MMTESTS_HOME/shellpacks/prog/shellpack.conf"
add_shellpack fixed 'i=0; while read -r v; do i=$((i + 1)); echo "$v" > "$LOGDIR_RESULTS/sample-$i"; done < "$PROG_BIN.values"'
fixed=$(write_config config-fixed 'export MMTESTS="fixed"')
export PROG_BIN=$T/inst/prog
mkdir -p "$T/inst"
cfg=$(write_config config-prog 'export MMTESTS="prog"')

R=$T/repo
git init -q "$R"
cat > "$R/prog.c" <<'C'
#include <stdio.h>
#include <time.h>
#include "work.h"
int main(void)
{
	struct timespec a, b;
	volatile unsigned long x = 0;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (unsigned long i = 0; i < WORK; i++)
		x += i * i;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	printf("%.3f\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
	return 0;
}
C
commit() { git -C "$R" add -A && git -C "$R" -c user.name=t -c user.email=t@t commit -qm "$1" && git -C "$R" rev-parse HEAD; }
for n in 1 2 3 4 5 6 7 8 9; do
	work=$((n < 6 ? 4000000 : 12000000))	# three times the work from commit 6
	printf '#define WORK %dUL\n/* commit %d */\n' "$work" "$n" > "$R/work.h"
	printf '100\n103\n98\n101\n99\n' > "$R/values"
	sha[$n]=$(commit "commit $n")
done
build="gcc -O1 -o $PROG_BIN prog.c && cp values $PROG_BIN.values"

out=$("$BISECT" -r "$R" -g "${sha[1]}" -B "${sha[9]}" -c "$cfg" -b prog -s "$build" -w "$T/w" 2>&1)
is "$?" 0 "a slowdown between the ends: found"
like "$out" "^mmtests-bisect: the first bad commit: ${sha[6]} commit 6$" "the commit that made it slower"
like "$out" "^    prog ops: good [0-9.]+ \\([0-9]+ samples\\) -> bad [0-9.]+ \\([0-9]+ samples\\), \\+?-?[0-9.]+%, q .*, significant$" "the ends' numbers"
is "$(cat "$T/w/first-bad")" "${sha[6]}" "kept in the work directory"
like "$out" "^  good$" "steps decided good"
like "$out" "^  bad$" "and bad"
is "$(git -C "$R" rev-parse HEAD)" "${sha[9]}" "the repository is back where it was"
ok "$(test ! -e "$R/.git/BISECT_LOG"; echo $?)" "and not left bisecting"
runs=$("$BUILD/bin/mmtests-db" --db "$T/w/bisect.sqlite" runs | wc -l)
ok "$([ "$runs" -ge 4 ] && [ "$runs" -le 20 ]; echo $?)" "every measurement is in the bisection's history ($runs runs)"

# ends that do not differ: cannot tell, with the numbers
out=$("$BISECT" -r "$R" -g "${sha[1]}" -B "${sha[9]}" -c "$fixed" -b fixed -s "$build" -n 2 -w "$T/w2" 2>&1)
is "$?" 4 "ends alike: exit 4"
like "$out" "cannot tell: after 2 rounds the bad commit is not significantly worse than the good one" "it says it cannot tell"
like "$out" "^    fixed ops: good 100\\.[0-9]+ \\(10 samples\\) -> bad 100\\.[0-9]+ \\(10 samples\\), \\+0\\.00%, .*not significant$" "with the numbers"
is "$("$BUILD/bin/mmtests-db" --db "$T/w2/bisect.sqlite" runs | wc -l)" 4 "two rounds of each end"

# bad input
"$BISECT" -r "$R" -g "${sha[9]}" -B "${sha[1]}" -c "$cfg" -b prog >/dev/null 2>"$T/err"
is "$?" 2 "good after bad: usage error"
like "$(cat "$T/err")" "the good commit is not an ancestor of the bad one" "saying so"
"$BISECT" -r "$R" -g nosuch -B "${sha[9]}" -c "$cfg" -b prog >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "-g: no commit 'nosuch'" "an unknown commit named"
echo dirty >> "$R/prog.c"
"$BISECT" -r "$R" -g "${sha[1]}" -B "${sha[9]}" -c "$cfg" -b prog >/dev/null 2>"$T/err"
is "$?" 2 "uncommitted changes: refused"
like "$(cat "$T/err")" "uncommitted changes" "saying why"
git -C "$R" checkout -q prog.c
out=$("$BUILD/bin/mmtests-db" --db "$T/w/bisect.sqlite" judge -b prog -l ops --good "${sha[1]}" --bad "${sha[9]}" --test "${sha[1]}" 2>&1)
is "$(head -1 <<< "$out")" good "judge: the good end judged against both ends is good"
done_testing
