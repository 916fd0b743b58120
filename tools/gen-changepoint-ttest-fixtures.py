#!/usr/bin/python3
"""Expected change points for the t-test method of tests/unit/test-changepoint.c,
from the reference: Apache Otava (formerly DataStax's Hunter), whose
compute_change_points() runs E-Divisive in sliding windows with a Student
t-test, then merges weak change points -- not from our code. Series are
synthetic with known shifts, made from fixed seeds; Otava's method has no
randomness, so one run is its answer.

Columns: name, window, max p-value, min magnitude (a fraction), series,
then the change points as index:p -- index the first point of a new
segment, p the reference's t-test p-value between the final segments
either side (TTestSignificanceTester.compare).

Usage (the reference is not part of this project): with a checkout of
github.com/apache/otava and python3-numpy python3-scipy installed,
  PYTHONPATH=<checkout> /usr/bin/python3 tools/gen-changepoint-ttest-fixtures.py > tests/fixtures/changepoint/ttest-cases.tsv
"""
import os
import sys
from otava.analysis import compute_change_points, TTestSignificanceTester

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from changepoint_series import series  # noqa: E402


# name, seed, n, level, cov %, shifts, window, max p, min magnitude
CASES = [
    ("step-20pct", 1, 100, 100.0, 2, {50: 20}, 50, 0.001, 0.0),
    ("drop-30pct-late", 2, 60, 5000.0, 3, {48: -30}, 50, 0.001, 0.0),
    ("two-steps", 3, 90, 10.0, 2, {30: 15, 60: -25}, 50, 0.001, 0.0),
    ("no-change", 4, 80, 100.0, 2, {}, 50, 0.001, 0.0),
    ("small-noisy-none", 5, 40, 100.0, 10, {}, 50, 0.001, 0.0),
    ("step-10pct-cov1", 6, 120, 250.0, 1, {70: 10}, 50, 0.001, 0.0),
    ("three-steps", 7, 150, 1.0, 3, {40: 20, 80: -20, 120: 30}, 50, 0.001, 0.0),
    ("early-step", 8, 60, 100.0, 2, {6: -40}, 50, 0.001, 0.0),
    ("long-five-steps", 9, 600, 1000.0, 2, {100: 5, 220: -8, 300: 15, 450: -10, 520: 6}, 50, 0.001, 0.0),
    ("long-no-change", 10, 500, 50.0, 3, {}, 50, 0.001, 0.0),
    ("creep-5pct-steps", 11, 300, 100.0, 1, {60: -5, 120: -5, 180: -5, 240: -5}, 50, 0.001, 0.0),
    ("newest-run-drop", 12, 80, 100.0, 1, {79: -30}, 50, 0.001, 0.0),
    ("last-three-drop", 13, 80, 100.0, 2, {77: -15}, 50, 0.001, 0.0),
    ("window-30", 14, 200, 100.0, 2, {70: 10, 140: -10}, 30, 0.001, 0.0),
    ("lenient-p", 15, 120, 100.0, 5, {60: 6}, 50, 0.05, 0.0),
    ("min-magnitude", 16, 200, 100.0, 1, {50: 2, 100: 10, 150: -3}, 50, 0.001, 0.05),
    ("tiny", 17, 6, 100.0, 1, {3: 50}, 50, 0.001, 0.0),
    ("noisy-step", 18, 200, 100.0, 10, {100: 15}, 50, 0.001, 0.0),
    ("long-3000", 19, 3000, 100.0, 2, {2000: -10}, 50, 0.001, 0.0),
    ("long-3000-min-change", 19, 3000, 100.0, 2, {2000: -10}, 50, 0.001, 0.03),
]

tester = TTestSignificanceTester(1.0)
print("# name\twindow\tmax p\tmin magnitude\tseries\tchange points (index:p, Otava's)")
for name, seed, n, level, cov, shifts, window, maxp, minmag in CASES:
    x = series(seed, n, level, cov, shifts)
    cps, _ = compute_change_points(x, window_len=window, max_pvalue=maxp, min_magnitude=minmag)
    idx = [c.index for c in cps]
    ends = [0] + idx + [len(x)]
    out = []
    for k, i in enumerate(idx):
        p = tester.compare(x[ends[k]:i], x[i:ends[k + 2]]).pvalue
        out.append("%d:%.6g" % (i, p))
    print("%s\t%d\t%g\t%g\t%s\t%s" % (name, window, maxp, minmag,
                                      ",".join(repr(v) for v in x), ",".join(out) or "-"))
