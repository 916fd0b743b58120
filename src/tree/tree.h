/* The results tree (docs/results-tree.md): every path under work/log is
 * spelled here and nowhere else. MMTests's layout, so either tool reads
 * the other's trees:
 *
 *   LOGDIR/RUN/run.json                       run_json.h
 *   LOGDIR/RUN/install/<shellpack>.log        install output
 *   LOGDIR/RUN/iter-N/tests-timestamp         timestamps.h
 *   LOGDIR/RUN/iter-N/<monitor>-<test>[.gz]   monitor output (+ .start)
 *   LOGDIR/RUN/iter-N/<test>/logs/            the benchmark's raw logs
 *   LOGDIR/RUN/iter-N/<test>/bench.log        the shellpack's own output
 *   LOGDIR/RUN/iter-N/<test>/parse-results.tsv  validated parse-results
 *   LOGDIR/RUN/iter-N/.incomplete/<test>.K    a test that did not finish
 *   LOGDIR/RUN-VM/                            a VM's tree, pulled by run-kvm
 *   LOGDIR/RUN-host/                          run-kvm's host side: run.json,
 *                                             barrier.log, host monitors
 *
 * Every function returns a new string (free it) unless it says otherwise.
 */
#ifndef MMT_TREE_H
#define MMT_TREE_H

/* WORK/log: where runs go unless --directory says otherwise. */
char *tree_logdir(const char *work);
char *tree_run_dir(const char *logdir, const char *run);
char *tree_run_json(const char *rundir);
char *tree_install_log(const char *rundir, const char *shellpack);
char *tree_iter_dir(const char *rundir, int iter);
char *tree_timestamps(const char *iterdir);
/* A test's directory, its raw logs, the shellpack's output and the
 * parse-results cache, in iteration directory iterdir. */
char *tree_test_dir(const char *iterdir, const char *test);
char *tree_test_logs(const char *iterdir, const char *test);
char *tree_test_output(const char *iterdir, const char *test);
char *tree_test_cache(const char *iterdir, const char *test);
/* Where an unfinished test is moved aside: iterdir/.incomplete, in it
 * <test>.K, K = 1, 2, ... */
char *tree_incomplete_dir(const char *iterdir);
char *tree_incomplete_test(const char *iterdir, const char *test, int k);
/* dir/<monitor>-<test>[.gz] and its dir/<monitor>-<test>.start stamp. */
char *tree_monitor_file(const char *dir, const char *monitor, const char *test, int gz);
char *tree_monitor_stamp(const char *dir, const char *monitor, const char *test);

/* run-kvm: RUN-VM, RUN-host, its barrier log, and the checkpoint of a
 * VM's tree (LOGDIR/.checkpoint-RUN-VM, hidden from readers). */
char *tree_vm_dir(const char *logdir, const char *run, const char *vm);
char *tree_host_dir(const char *logdir, const char *run);
char *tree_barrier_log(const char *hostdir);
char *tree_checkpoint_dir(const char *logdir, const char *run, const char *vm);

/* A run, test or monitor name that stays inside the tree: one path
 * component, not empty, not starting with '.' (run.json is data; a name
 * like ../../x read from it must not lead a reader out of the tree). */
int tree_name_ok(const char *name);

/* The run lock: an exclusive flock on rundir/.lock, held for the life of
 * the run by the one process writing the tree (run-mmtests, or run-kvm
 * for RUN-host); the file holds its PID. Returns the locked descriptor
 * (close-on-exec: a benchmark does not inherit it, so the lock dies with
 * its holder), -EBUSY when another process holds it (reported, naming its
 * PID), or -errno (reported). */
int tree_lock(const char *rundir);

/* The iteration numbers of rundir's iter-N directories, ascending, into
 * *iters (free it). Returns how many, or -errno when rundir cannot be
 * read (not reported). Names that are not exactly iter-<decimal> (iter-01,
 * iter-1x) are not iterations. */
int tree_iterations(const char *rundir, int **iters);
/* 1 when rundir is run-kvm's host directory (its run.json says so). */
int tree_is_host_dir(const char *rundir);

#endif
