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
done_testing
