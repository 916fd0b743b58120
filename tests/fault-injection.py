#!/usr/bin/env python3
"""Fault injection for run-mmtests (tests/cli/faults.t sets the scene).

Environment: RUN (run-mmtests), CMP (compare), CFG (a config of two
tests, fa and fb, 2 iterations, 3 samples each, gzip monitors), LOG (the
results directory), FAULT_SEED (optional: repeat a run's random points).
Prints TAP. Outcomes are asserted, never durations: the random points
only decide where a fault lands.
"""
import fcntl
import glob
import json
import os
import random
import signal
import subprocess
import sys
import time
import zlib

RUN, CMP, CFG, LOG = (os.environ[k] for k in ("RUN", "CMP", "CFG", "LOG"))
TESTS, ITERATIONS, SAMPLES = ("fa", "fb"), 2, 3
n_tests = 0


def ok(cond, desc, diag=""):
    global n_tests
    n_tests += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n_tests, desc))
    if not cond and diag:
        print("".join("#   %s\n" % line for line in diag.rstrip().splitlines()), end="")
    sys.stdout.flush()
    return cond


def start(name, *extra):
    return subprocess.Popen([RUN, "-c", CFG, "--directory", LOG, *extra, name],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(p):
    out = p.communicate()[0].decode(errors="replace")
    return p.returncode, out


def rundir(name):
    return os.path.join(LOG, name)


def load_json(name):
    try:
        with open(os.path.join(rundir(name), "run.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def gz_problems(paths):
    """Files that do not decompress up to where they end (a cut is fine)."""
    bad = []
    for path in paths:
        data = open(path, "rb").read()
        try:
            while data:
                d = zlib.decompressobj(31)
                d.decompress(data)
                data = d.unused_data
        except zlib.error as e:
            bad.append("%s: %s" % (path, e))
    return bad


def gz_files(name):
    return sorted(glob.glob(os.path.join(rundir(name), "**", "*.gz"), recursive=True))


def lock_free(name):
    path = os.path.join(rundir(name), ".lock")
    if not os.path.exists(path):
        return True
    with open(path) as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False


def processes_of(name):
    """Processes whose environment names this run's directory: anything the
    run started (configs, installs, benches, monitors) inherits it."""
    needle = ("MMTESTS_RUNDIR=%s\0" % rundir(name)).encode()
    found = []
    for env in glob.glob("/proc/[0-9]*/environ"):
        try:
            with open(env, "rb") as f:
                if needle in f.read():
                    found.append(env.split("/")[2])
        except OSError:
            pass
    return found


def wait_gone(name):
    """After a SIGKILL the keepers stop what is left (TERM, KILL after a
    grace); --resume waits for that itself, this is for the report."""
    for _ in range(300):
        if not processes_of(name):
            return []
        time.sleep(0.1)
    return processes_of(name)


def samples_ok(name):
    """Every iteration of every test: SAMPLES lines, all from one writer,
    and the parse-results cache holds exactly them."""
    problems = []
    for it in range(ITERATIONS):
        for t in TESTS:
            d = os.path.join(rundir(name), "iter-%d" % it, t)
            try:
                lines = open(os.path.join(d, "logs", "samples")).read().split("\n")[:-1]
                cache = open(os.path.join(d, "parse-results.tsv")).read().split("\n")[:-1]
            except OSError as e:
                problems.append("iter-%d/%s: %s" % (it, t, e))
                continue
            writers = {line.split()[0] for line in lines}
            if len(lines) != SAMPLES or len(writers) != 1 or len(cache) != SAMPLES:
                problems.append("iter-%d/%s: %d samples from %d writers, %d cached"
                                % (it, t, len(lines), len(writers), len(cache)))
    return problems


def statuses(rec):
    return [t["status"] for r in rec["results"] for t in r["tests"]]


def check_consistent(name, rc, out, what):
    """What any stopped run must leave: a valid run.json (when it got that
    far) with no test still 'running', readable gzip files, no process,
    a free lock, and a tree compare reads when a test finished."""
    rec = load_json(name)
    if rec is not None:
        sts = statuses(rec)
        ok("running" not in sts and rec["status"] != "running",
           "%s: run.json is final (%s: %s)" % (what, rec["status"], ",".join(sts)))
        if "done" in sts:
            c = subprocess.run([CMP, "-d", LOG, "--names", name], capture_output=True, text=True)
            ok(c.returncode == 0, "%s: compare reads the tree" % what, c.stderr)
    bad = gz_problems(gz_files(name))
    ok(not bad, "%s: every gzip file readable to its last flush" % what, "\n".join(bad))
    left = processes_of(name)
    ok(not left, "%s: nothing of the run is left running" % what, " ".join(left))
    ok(lock_free(name), "%s: the run lock is free" % what)
    return rec


def resume_and_check(name, what, snapshot):
    rc, out = finish(start(name, "--resume"))
    rec = load_json(name)
    if rec is None and rc == 2 and "there is no run" in out:
        ok(True, "%s: killed before the run existed; --resume says so" % what)
        return
    ok(rc == 0 and rec and rec["status"] == "finished",
       "%s: --resume finishes the run (exit %d)" % (what, rc), out)
    problems = samples_ok(name)
    ok(not problems, "%s: no corrupted iteration after --resume" % what, "\n".join(problems + [out]))
    missing = []
    for path in snapshot:
        rel = os.path.relpath(path, rundir(name))
        it, base = rel.split("/")[0], os.path.basename(rel)
        if not os.path.exists(path) and not glob.glob(
                os.path.join(rundir(name), it, ".incomplete", "*", base)):
            missing.append(rel)
    ok(not missing, "%s: every gzip file written before the kill is still there (%d)"
       % (what, len(snapshot)), "\n".join(missing))
    bad = gz_problems(gz_files(name))
    ok(not bad, "%s: and every gzip file is readable" % what, "\n".join(bad))


def main():
    seed = int(os.environ.get("FAULT_SEED") or time.time_ns() % (1 << 31))
    print("# seed %d (FAULT_SEED=%d repeats these points)" % (seed, seed))
    rng = random.Random(seed)

    # How long a run takes here: the random points spread over it.
    t0 = time.monotonic()
    rc, out = finish(start("calibrate"))
    span = time.monotonic() - t0
    ok(rc == 0 and not samples_ok("calibrate"), "an undisturbed run finishes with every sample", out)
    print("# a run takes %.2f s here; faults land in [0, %.2f] s" % (span, span))

    honoured = sent = 0
    for i in range(30):
        sig = signal.SIGINT if i % 2 == 0 else signal.SIGTERM
        name, delay = "sig-%d" % i, rng.uniform(0, span)
        what = "%s after %.2f s (%s)" % (sig.name, delay, name)
        p = start(name)
        time.sleep(delay)
        if p.poll() is not None:     # it ended first: not a fault
            finish(p)
            continue
        p.send_signal(sig)
        sent += 1
        rc, out = finish(p)
        # (a signal that lands as run-mmtests exits, its work all done and
        # recorded, has nothing left to interrupt: exit 0 is right then)
        rec = load_json(name)
        after_end = rc == 0 and rec is not None and rec["status"] == "finished" and \
            all(s == "done" for s in statuses(rec)) and "finished:" in out
        good = rc in (130, -sig) or after_end
        honoured += good
        ok(good, "%s: honoured (exit %d%s)" % (what, rc, ", after the run's end" if after_end else ""), out)
        rec = check_consistent(name, rc, out, what)
        if rec is not None and rc == 130:
            sts = statuses(rec)
            ok(rec["status"] == "interrupted" or (rec["status"] == "finished" and
                                                  all(s == "done" for s in sts)),
               "%s: run.json says interrupted (or all was done): %s" % (what, rec["status"]))
        if rec is not None:
            resume_and_check(name, what, gz_files(name))
    print("# %d of %d signals sent while run-mmtests ran were honoured" % (honoured, sent))

    killed = 0
    for i in range(30):
        name, delay = "kill-%d" % i, rng.uniform(0, span)
        what = "SIGKILL after %.2f s (%s)" % (delay, name)
        p = start(name)
        time.sleep(delay)
        if p.poll() is not None:
            finish(p)
            continue
        p.kill()
        finish(p)
        killed += 1
        snapshot = gz_files(name)
        bad = gz_problems(snapshot)
        ok(not bad, "%s: every gzip file readable to its last flush" % what, "\n".join(bad))
        resume_and_check(name, what, snapshot)     # at once: it waits for leftovers
        left = wait_gone(name)
        ok(not left, "%s: nothing of the killed run is left" % what, " ".join(left))
    print("# %d runs killed at random points and resumed" % killed)

    for i in range(5):
        name = "twice-%d" % i
        a = start(name)
        time.sleep(rng.uniform(0, 0.3))
        b = start(name)
        (ra, oa), (rb, ob) = finish(a), finish(b)
        ok(sorted([ra, rb]) == [0, 2] and ("already exists" in oa + ob or "in use by" in oa + ob),
           "two runs of %s started together: one runs, the other is refused (exit %d, %d)"
           % (name, ra, rb), oa + ob)
        problems = samples_ok(name)
        ok(not problems, "%s: the run that ran has every sample, one writer each" % name,
           "\n".join(problems))

    print("1..%d" % n_tests)


main()
