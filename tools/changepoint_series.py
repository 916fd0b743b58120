"""Synthetic metric histories for the change-point fixture generators
(tools/gen-changepoint-fixtures.py, tools/gen-changepoint-ttest-fixtures.py):
the same series from the same seed, whichever reference judges it."""
import random


def series(seed, n, level, cov, shifts):
    """n points around level with noise cov (%); shifts: {index: +pct}."""
    rnd = random.Random(seed)
    out, mean = [], level
    for i in range(n):
        if i in shifts:
            mean = mean * (1 + shifts[i] / 100)
        out.append(round(rnd.gauss(mean, mean * cov / 100), 4))
    return out
