#!/usr/bin/python3
"""Expected change points for tests/unit/test-changepoint.c, from the
reference: MongoDB's signal-processing-algorithms (the E-Divisive means its
CI runs), not from our code. Series are synthetic with known shifts, made
from fixed seeds; a case is kept only when the reference gives the same
answer in 5 runs of its (unseeded) permutation test.

Usage (the reference is not part of this project): in a checkout of
github.com/mongodb/signal-processing-algorithms, build its C helper
(gcc -O2 -shared -fPIC -o src/signal_processing_algorithms/energy_statistics/_e_divisive.so
 src/signal_processing_algorithms/energy_statistics/e_divisive.c), install
python3-numpy python3-scipy python3-structlog python3-more-itertools, then
  PYTHONPATH=<checkout>/src /usr/bin/python3 tools/gen-changepoint-fixtures.py > tests/fixtures/changepoint/cases.tsv
"""
import os
import sys
from signal_processing_algorithms.energy_statistics import energy_statistics as es

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from changepoint_series import series  # noqa: E402


CASES = [
    ("step-20pct", 1, 100, 100.0, 2, {50: 20}),
    ("drop-30pct-late", 2, 60, 5000.0, 3, {48: -30}),
    ("two-steps", 3, 90, 10.0, 2, {30: 15, 60: -25}),
    ("no-change", 4, 80, 100.0, 2, {}),
    ("small-noisy-none", 5, 40, 100.0, 10, {}),
    ("step-10pct-cov1", 6, 120, 250.0, 1, {70: 10}),
    ("three-steps", 7, 150, 1.0, 3, {40: 20, 80: -20, 120: 30}),
    ("early-step", 8, 60, 100.0, 2, {6: -40}),
]

print("# name\tseries\tchange points (the reference's, 0-based first index of each new segment)")
for name, seed, n, level, cov, shifts in CASES:
    x = series(seed, n, level, cov, shifts)
    answers = {tuple(sorted(es.e_divisive(x, pvalue=0.05, permutations=100))) for _ in range(5)}
    if len(answers) != 1:
        continue  # the reference itself is not sure: not a test
    cps = answers.pop()
    print("%s\t%s\t%s" % (name, ",".join("%g" % v for v in x), ",".join(str(c) for c in cps) or "-"))
