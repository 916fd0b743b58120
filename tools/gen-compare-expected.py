#!/usr/bin/python3
# The golden output of our own default table (--significance sound, which
# MMTests does not have) for tests/cli/compare-golden.t, computed
# independently of src/compare: logs parsed here, statistics and the
# Mann-Whitney/Welch tests with numpy/scipy, in the layout MMTests prints
# (checked against the real compare-mmtests.pl in compare-mmtests.t:
# %-Ns stat, " %-Ns" label, "%18.Nf", " (%7.2f%%)" or " *%7.2f%%*", two
# "%29s" header lines). MMTests's own modes are checked against MMTests.
#   /usr/bin/python3 tools/gen-compare-expected.py TREE OUTDIR
import os, re, sys, math
import numpy as np
from scipy import stats

tree, out = sys.argv[1], sys.argv[2]
RUNS = ["5.10-rc3-vanilla", "5.10-rc3-patched"]
BENCH = {"stream": (True, 2), "hackbench-process-pipes": (False, 4)}

def iters(run):
    d = os.path.join(tree, run)
    return sorted((int(x[5:]) for x in os.listdir(d) if x.startswith("iter-")))

def samples(run, bench):
    data = {}
    order = []
    def add(label, v):
        if label not in data:
            data[label] = []
            order.append(label)
        data[label].append(v)
    for it in iters(run):
        logs = os.path.join(tree, run, f"iter-{it}", bench, "logs")
        if bench == "stream":
            files = sorted(os.listdir(logs), key=lambda f: (int(f.split("-")[1]), int(f.split("-")[3])))
            for f in files:
                threads = f.split("-")[1]
                for line in open(os.path.join(logs, f)):
                    w = line.split()
                    if w and w[0] in ("Copy:", "Scale:", "Add:", "Triad:"):
                        add(f"{w[0][:-1]}-{threads}", float(w[1]))
        else:
            files = sorted(os.listdir(logs), key=lambda f: (int(f.split("-")[1]), int(f.split("-")[2])))
            for f in files:
                groups = f.split("-")[1]
                for line in open(os.path.join(logs, f)):
                    if "Total time:" in line:
                        add(f"time-{groups}", float(line.split()[2]))
    return order, data

def pdiff(n, b):
    if n == b or n == 0: return 0.0
    if b == 0: return 100.0
    return n * 100 / b - 100

def pndiff(n, b):
    if n == b: return 0.0
    if n == 0: return 100.0
    if b == 0: return -99.0
    return 100 - n * 100 / b

def summary(v, higher):
    v = np.array(v, dtype=float)
    n = len(v)
    if higher:
        mean = stats.hmean(v)
        sd = math.sqrt(np.sum((1 / v - 1 / mean) ** 2) * mean ** 4 / n)
        best = np.sort(v)[::-1][:max(1, n * 95 // 100)]
        bmean = stats.hmean(best)
    else:
        mean = float(np.mean(v))
        sd = float(np.std(v, ddof=1))
        best = np.sort(v)[:max(1, n * 95 // 100)]
        bmean = float(np.mean(best))
    cov = sd * 100 / mean if mean else 0.0
    return [float(np.min(v)), float(mean), sd, cov, float(np.max(v)), float(bmean)]

def split(name):
    idx = name.find("-")
    if idx >= 0:
        sub = name[idx:idx + idx + 3]
        if re.search(r"-rc[0-9]", sub):
            idx += 4
    if idx < 0:
        return name[:-1], name
    return name[:idx], name[idx + 1:]

def headers(oplen, width):
    parts = [split(r) for r in RUNS]
    return "".join([" " * oplen] + ["%*s" % (width, p[0]) for p in parts]) + "\n" + \
           "".join([" " * oplen] + ["%*s" % (width, p[1]) for p in parts]) + "\n"

def pct_cell(p, sig):
    return (" *%7.2f%%*" if sig else " (%7.2f%%)") % p

def table(bench, method):
    higher, dp = BENCH[bench]
    order, base = samples(RUNS[0], bench)
    runs = [base] + [samples(r, bench)[1] for r in RUNS[1:]]
    sums = [{l: summary(d[l], higher) for l in order} for d in runs]
    names = ["Min", "Hmean", "HStddev", "HCoeffVar", "Max", "BHmean-95"] if higher else \
            ["Min", "Amean", "Stddev", "CoeffVar", "Max", "BAmean-95"]
    w2 = max(len(l) for l in order)
    # significance of the mean, per label and run
    sig = {}
    cid = {}
    pvals = []
    for l in order:
        for r in range(len(RUNS)):
            a, b = sums[0][l], sums[r][l]
            hw_a, hw_b = 1.959964 * a[2], 1.959964 * b[2]
            d = b[1] - a[1]
            cid[(l, r)] = d if hw_a + hw_b == 0 else d / (hw_a + hw_b)
            if r:
                pm = stats.mannwhitneyu(runs[0][l], runs[r][l], alternative="two-sided", method="auto").pvalue
                pw = stats.ttest_ind(runs[0][l], runs[r][l], equal_var=False).pvalue
                pvals.append(((l, r), pm, pw))
    def bh(ps):
        m = len(ps)
        order_ = np.argsort(ps)
        q = np.empty(m)
        prev = 1.0
        for rank in range(m - 1, -1, -1):
            i = order_[rank]
            prev = min(prev, ps[i] * m / (rank + 1))
            q[i] = prev
        return q
    qm = bh(np.array([p[1] for p in pvals]))
    qw = bh(np.array([p[2] for p in pvals]))
    for k, ((l, r), _, _) in enumerate(pvals):
        if method == "mmtests":
            sig[(l, r)] = abs(cid[(l, r)]) > 1
        else:
            a, b = sums[0][l], sums[r][l]
            ch = pdiff(b[1], a[1]) if higher else pndiff(b[1], a[1])
            sig[(l, r)] = qm[k] < 0.05 and qw[k] < 0.05 and abs(ch) > max(a[3], b[3])
    out = ""
    w1 = max(len(n) for n in names)
    out += headers(w1 + 1 + w2, 29)
    for row, name in enumerate(names):
        lower = row in (2, 3) or not higher
        for l in order:
            out += "%-*s %-*s" % (w1, name, w2, l)
            for r in range(len(RUNS)):
                v = sums[r][l][row]
                p = pndiff(v, sums[0][l][row]) if lower else pdiff(v, sums[0][l][row])
                out += "%18.*f" % (dp, v) + pct_cell(p, row == 1 and r > 0 and sig[(l, r)])
            out += "\n"
    return out

def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)

# A tree without run.json lists its benchmarks alphabetically.
write("all.sound", "hackbench-process-pipes\n" + table("hackbench-process-pipes", "sound") +
      "\nstream\n" + table("stream", "sound"))
