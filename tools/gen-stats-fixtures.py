#!/usr/bin/python3
# Regenerates tests/fixtures/stats/*.tsv: reference values computed with
# scipy/numpy (Debian's python3-scipy), independently of src/compare/stats.c.
# The unit tests read these files and need no Python.
#   /usr/bin/python3 tools/gen-stats-fixtures.py tests/fixtures/stats
import sys, os
import numpy as np
from scipy import stats, special

out = sys.argv[1]
rng = np.random.default_rng(20261123)

def fmt(v):
    return ",".join(repr(float(x)) for x in v)

samples = [
    ("exact-small", [1.1, 2.2, 3.3, 4.4], [5.5, 6.6, 7.7, 8.8]),
    ("exact-overlap", [10.0, 12.5, 11.2, 13.9, 9.8], [11.5, 14.2, 15.1, 12.9, 16.3, 13.3]),
    ("exact-3v3", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ("exact-8v9", list(rng.normal(100, 5, 8)), list(rng.normal(104, 5, 9))),
    ("ties-small", [1, 2, 2, 3, 4], [2, 3, 3, 5, 6]),
    ("asymp-20v20", list(rng.normal(50, 3, 20)), list(rng.normal(51, 3, 20))),
    ("asymp-ties", list(np.round(rng.normal(10, 2, 30))), list(np.round(rng.normal(11, 2, 25)))),
    ("stream-like", [29406.4, 29230.7, 29428.3, 29483.7, 29581.7, 29515.3], [28406.4, 28230.7, 28428.3, 28483.7, 28581.7, 28515.3]),
    ("hackbench-like", [0.052, 0.038, 0.039, 0.041, 0.044, 0.049], [0.061, 0.037, 0.043, 0.055, 0.058, 0.047]),
    ("identical", [5.0, 5.0, 5.0], [5.0, 5.0, 5.0]),
    ("skewed", list(rng.lognormal(0, 1, 15)), list(rng.lognormal(0.5, 1, 12))),
]

with open(os.path.join(out, "mannwhitney.tsv"), "w") as f:
    f.write("# name\tx\ty\tU(max)\tp(two-sided, method=auto)\n")
    for name, x, y in samples:
        r = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        n1 = len(x)
        u1 = r.statistic
        u = max(u1, n1 * len(y) - u1)
        f.write(f"{name}\t{fmt(x)}\t{fmt(y)}\t{u!r}\t{float(r.pvalue)!r}\n")

with open(os.path.join(out, "welch.tsv"), "w") as f:
    f.write("# name\tx\ty\tt\tdf\tp(two-sided)\n")
    for name, x, y in samples:
        if np.std(x) == 0 and np.std(y) == 0:
            continue
        r = stats.ttest_ind(x, y, equal_var=False)
        vx, vy = np.var(x, ddof=1) / len(x), np.var(y, ddof=1) / len(y)
        df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))
        f.write(f"{name}\t{fmt(x)}\t{fmt(y)}\t{float(r.statistic)!r}\t{float(df)!r}\t{float(r.pvalue)!r}\n")

with open(os.path.join(out, "summary.tsv"), "w") as f:
    f.write("# name\tx\tamean\thmean\tstddev(ddof=1)\thstddev\tgmean\tmedian\n")
    for name, x, y in samples:
        for tag, v in (("x", x), ("y", y)):
            v = np.array(v, dtype=float)
            h = stats.hmean(v)
            hsd = np.sqrt(np.sum((1 / v - 1 / h) ** 2) * h ** 4 / len(v))
            f.write(f"{name}-{tag}\t{fmt(v)}\t{float(np.mean(v))!r}\t{float(h)!r}\t"
                    f"{float(np.std(v, ddof=1))!r}\t{float(hsd)!r}\t{float(stats.gmean(v))!r}\t{float(np.median(v))!r}\n")

with open(os.path.join(out, "tdist.tsv"), "w") as f:
    f.write("# t\tdf\tsf\n")
    for t in (0.0, 0.5, 1.0, 1.96, 2.5, 4.0, 10.0, -1.5):
        for df in (1, 2.5, 4, 9.37, 30, 200):
            f.write(f"{t!r}\t{float(df)!r}\t{float(stats.t.sf(t, df))!r}\n")

with open(os.path.join(out, "betainc.tsv"), "w") as f:
    f.write("# a\tb\tx\tI_x(a,b)\n")
    for a, b in ((0.5, 0.5), (1, 1), (2, 3), (4.685, 0.5), (15, 0.5), (100, 0.5), (0.5, 7)):
        for x in (0.001, 0.1, 0.3, 0.5, 0.7, 0.95, 0.999):
            f.write(f"{float(a)!r}\t{float(b)!r}\t{x!r}\t{float(special.betainc(a, b, x))!r}\n")

with open(os.path.join(out, "bh.tsv"), "w") as f:
    f.write("# p\tq (Benjamini-Hochberg)\n")
    for p in ([0.01, 0.04, 0.03, 0.005], [0.5, 0.2, 0.001, 0.04, 0.049, 0.3, 0.9],
              list(rng.uniform(0, 0.2, 12))):
        p = np.array(p)
        order = np.argsort(p)
        m = len(p)
        q = np.empty(m)
        prev = 1.0
        for rank in range(m - 1, -1, -1):
            i = order[rank]
            prev = min(prev, p[i] * m / (rank + 1))
            q[i] = prev
        f.write(f"{fmt(p)}\t{fmt(q)}\n")
