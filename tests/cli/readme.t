# The README's commands are what CI and users run.
. "$(dirname "$0")/../lib.sh"
test_cmd=$(grep -A3 'Install, build and run the whole test suite' "$SRC/README.md" | grep -m1 '^tools/install-deps')
ok $((! ${#test_cmd})) "README has the test command"
grep -qxF -- "$test_cmd" "$SRC/.ci/run"
ok $? ".ci/run runs the README's test command exactly"
run_cmd=$(grep -A3 'run the default configuration' "$SRC/README.md" | grep -m1 '^tools/install-deps')
like "$run_cmd" 'run-mmtests --config configs/config-quick quick-1 && .*run-mmtests --config configs/config-quick quick-2 && ./bin/compare --names quick-1,quick-2$' "README's run command runs config-quick twice and compares"
ok "$(test -f "$SRC/configs/config-quick"; echo $?)" "configs/config-quick exists"
"$SRC/tools/install-deps" --help | grep -q -- --packages
ok $? "install-deps --help"
"$SRC/tools/install-deps" --bogus >/dev/null 2>&1
is "$?" 2 "install-deps rejects unknown options"
"$SRC/tools/install-deps" --packages gzip
ok $? "install-deps --packages with an installed package is a no-op"
"$RUN" --help | grep -q -- '--resume'
ok $? "run-mmtests --help"
# The documentation is in the project, and its links lead somewhere.
for f in architecture configs shellpacks results-tree run-json monitors sync-protocol; do
	ok "$(grep -q "(docs/$f.md)" "$SRC/README.md"; echo $?)" "README links docs/$f.md"
done
broken=
for md in "$SRC/README.md" "$SRC"/docs/*.md; do
	for link in $(grep -o '](\([^)#:]*\))' "$md" | sed 's/^](//; s/)$//'); do
		[ -e "$(dirname "$md")/$link" ] || broken+=" ${md#"$SRC"/}:$link"
	done
done
is "$broken" "" "every relative link in README.md and docs/ resolves"
ok "$(grep -rqs '\.\./shared' "$SRC/README.md" "$SRC/docs" "$SRC/src"; echo $((! $?)))" "nothing points outside the project for its design"
done_testing
