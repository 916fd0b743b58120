#!/usr/bin/python3
# Golden outputs for tests/cli/compare-golden.t, computed independently of
# src/compare: logs parsed here, statistics with numpy/scipy, the layout
# re-implemented from MMTests's Compare.pm/PrintGeneric.pm formats
# (%-Ns stat, " %-Ns" label, "%12.Nf", " (%7.2f%%)" or " *%7.2f%%*",
# two "%23s" header lines split as MMTests splits run names).
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

def table(bench, method, ratio):
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
    if not ratio:
        w1 = max(len(n) for n in names)
        out += headers(w1 + 1 + w2, 23)
        for row, name in enumerate(names):
            lower = row in (2, 3) or not higher
            for l in order:
                out += "%-*s %-*s" % (w1, name, w2, l)
                for r in range(len(RUNS)):
                    v = sums[r][l][row]
                    p = pndiff(v, sums[0][l][row]) if lower else pdiff(v, sums[0][l][row])
                    out += "%12.*f" % (dp, v) + pct_cell(p, row == 1 and r > 0 and sig[(l, r)])
                out += "\n"
    else:
        w1 = 5
        out += headers(w1 + 1 + w2, 23)
        ratios = {}
        for l in order:
            out += "%-*s %-*s" % (w1, "Ratio", w2, l)
            for r in range(len(RUNS)):
                a, b = sums[0][l][1], sums[r][l][1]
                ratios[(l, r)] = b / a if a else 0
                p = pdiff(b, a) if higher else pndiff(b, a)
                out += "%12.*f" % (dp, ratios[(l, r)]) + pct_cell(p, r > 0 and sig[(l, r)]) + " (%+7.2fs)" % cid[(l, r)]
            out += "\n"
        pref = "Higher" if higher else "Lower"
        for name in ("Dmean", "Dmin", "Dmax", "Gmean"):
            out += "%-*s %-*s" % (w1, name, w2, pref)
            for r in range(len(RUNS)):
                ds = [cid[(l, r)] for l in order]
                v = {"Dmean": np.mean(ds), "Dmin": min(ds), "Dmax": max(ds),
                     "Gmean": math.exp(np.mean([math.log(ratios[(l, r)]) for l in order]))}[name]
                out += "%12.*f" % (dp, v) + " " * 22
            out += "\n"
    return out

def duration(bench):
    out = ""
    parts = [split(r) for r in RUNS]
    out += " " * 16 + "".join("%12s" % p[0] for p in parts) + "\n"
    out += " " * 16 + "".join("%12s" % p[1] for p in parts) + "\n"
    tot = []
    for r in RUNS:
        u = s = e = 0.0
        for it in iters(r):
            for line in open(os.path.join(tree, r, f"iter-{it}", "tests-timestamp")):
                w = line.split()
                if line.startswith("time :: ") and w[2] == bench:
                    u += float(w[3]); s += float(w[5]); e += float(w[7])
        tot.append((u, s, e))
    for k, name in enumerate(("User", "System", "Elapsed")):
        out += "%-8s %-7s" % ("Duration", name) + "".join("%12.2f" % t[k] for t in tot) + "\n"
    return out

def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)

write("stream.mmtests", table("stream", "mmtests", False))
write("hackbench.mmtests", table("hackbench-process-pipes", "mmtests", False))
write("stream.ratio.mmtests", table("stream", "mmtests", True))
write("hackbench.ratio.mmtests", table("hackbench-process-pipes", "mmtests", True))
# A tree without run.json lists its benchmarks alphabetically.
write("all.sound", "hackbench-process-pipes\n" + table("hackbench-process-pipes", "sound", False) +
      "\nstream\n" + table("stream", "sound", False))
write("duration", "hackbench-process-pipes\n" + duration("hackbench-process-pipes") + "\nstream\n" +
      duration("stream"))
