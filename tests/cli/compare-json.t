# compare-mmtests --format json against the schema it ships
# (docs/compare.schema.json), on every kind of tree the fixtures hold:
# Multiops, Normalisedops and Singleops summaries, MMTests's own trees, a
# monitor; and the validator refuses a document that breaks it.
. "$(dirname "$0")/../lib.sh"
python3 -c 'import jsonschema' 2>/dev/null || { echo "1..0 # SKIP needs python3-jsonschema"; exit 0; }
F=$SRC/tests/fixtures/compare
validate() {	# validate JSON-FILE: "valid" or the validator's complaint
	python3 - "$SRC/docs/compare.schema.json" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
try:
    jsonschema.validate(json.load(open(sys.argv[2])), schema, cls=jsonschema.Draft202012Validator)
    print("valid")
except jsonschema.ValidationError as e:
    print("invalid:", e.message)
PY
}
n=0
while IFS='|' read -r tree args; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # args is a word list
	"$BUILD/bin/compare-mmtests" -d "$F/$tree" $args --format json > "$T/doc-$n.json" 2>/dev/null
	ok $? "compare --format json on $tree ($args)"
	is "$(validate "$T/doc-$n.json")" valid "it matches the schema"
done <<'EOF2'
by-mmtests/tree|-n 6.1-rc3-vanilla,6.1-rc3-patched,6.1-rc4-fast
by-mmtests/tree|-n 6.1-rc3-vanilla,6.1-rc3-patched --print-ratio
by-mmtests/tree|-n 6.1-rc3-vanilla,6.1-rc3-patched --print-monitor vmstat
normalised-tree|-n 5.10-rc3-vanilla,5.10-rc3-patched
singleops-tree|-n 5.10-rc3-vanilla,5.10-rc3-patched
mmtests-tree|-n 5.10-rc3-vanilla,5.10-rc3-patched
EOF2
is "$(jq -r '[.benchmarks[].labels[] | select(.better == "higher") | .mean] | unique | join(",")' "$T/doc-1.json")" harmonic \
	"mean says what stats.mean is: harmonic where higher is better"
jq '.benchmarks[0].labels[0].better = "sideways"' "$T/doc-1.json" > "$T/bad.json"
like "$(validate "$T/bad.json")" "^invalid: 'sideways' is not one of" "a document that breaks the schema is refused"
jq '.benchmarks[0].labels[0].runs[0].samples[0] = "12"' "$T/doc-1.json" > "$T/bad.json"
like "$(validate "$T/bad.json")" "^invalid: '12' is not of type 'number'" "a sample written as a string is refused"
done_testing
