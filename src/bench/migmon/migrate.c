/* migrate: drive one live migration between two QEMUs over QMP -- the
 * source running the guest, the destination started with -incoming defer
 * -- with a bandwidth cap and a downtime limit; report what QEMU measured
 * (total time, downtime, data, passes, bandwidth, dirty rate) and, beside
 * it, the precopy model's prediction from the measured dirty rate and
 * bandwidth, with the error between them. libvirt refuses a migration to
 * the same host, so this talks to QEMU directly. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migmon.h"
#include "options.h"
#include "migrate.h"
#include "qmp.h"

#define POLL_US 20000	/* query-migrate every 20 ms: a pass is rarely shorter */

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "mig-mon migrate: %s%s%s (mig-mon migrate --help lists the options)\n", msg,
		arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int parse_opts(int argc, char **argv, struct migrate_opts *o)
{
	static const struct opt_usage u = {
		"mig-mon migrate", "-s SRC_QMP -d DST_QMP -u URI [-b MB/s] [-t DOWNTIME_MS] [-T TIMEOUT_S]\n"
		"                       [-w WSS_MB] [-r DIRTY_MB/s] [-j JSON]\n"
		"       mig-mon migrate -J JOBINFO [-b MB/s] [-t DOWNTIME_MS] [-w WSS_MB] [-r DIRTY_MB/s] [-j JSON]",
		"Drive a live migration between two QEMUs over QMP (the destination started with\n"
		"-incoming defer) and put the precopy model's prediction beside what QEMU measured;\n"
		"-J reports a migration libvirt made (virsh domjobinfo --completed) the same way.\n",
		"Exit status: 0 completed, 4 did not converge within -T, 1 failed, 2 usage.\n" };
	const struct opt opts[] = {
		OPT_STRING('s', NULL, &o->src, "SRC_QMP", "the source QEMU's QMP socket"),
		OPT_STRING('d', NULL, &o->dst, "DST_QMP", "the destination QEMU's QMP socket"),
		OPT_STRING('u', NULL, &o->uri, "URI", "the migration URI (unix:PATH, tcp:HOST:PORT)"),
		OPT_POSITIVE('b', NULL, &o->bw_mbs, "MB/s", "bandwidth cap (default: QEMU's)"),
		OPT_POSITIVE('t', NULL, &o->downtime_ms, "DOWNTIME_MS", "downtime limit (default 300)"),
		OPT_POSITIVE('T', NULL, &o->timeout_s, "TIMEOUT_S", "cancel if not done by then (default 120)"),
		OPT_POSITIVE('w', NULL, &o->wss_mb, "WSS_MB", "the working set, for the model"),
		OPT_POSITIVE('r', NULL, &o->dirty_mbs, "DIRTY_MB/s", "the dirtier's rate, for the model"),
		OPT_STRING('j', NULL, &o->json, "JSON", "the report as JSON into this file"),
		OPT_STRING('J', NULL, &o->jobinfo, "JOBINFO", "report this libvirt job information instead"),
		OPT_END()
	};
	int first;

	*o = (struct migrate_opts){ .downtime_ms = 300, .timeout_s = 120 };
	first = opt_parse(argc, argv, opts, &u, 0);
	if (first == OPT_HELP)
		return -1;
	if (first < 0)
		return 2;
	if (first != argc)
		return usage_error("unexpected argument", argv[first]);
	if (o->jobinfo && (o->src || o->dst || o->uri))
		return usage_error("-J reports a migration libvirt made: no -s, -d or -u with it", NULL);
	if (!o->jobinfo && (!o->src || !o->dst || !o->uri))
		return usage_error("-s SRC_QMP, -d DST_QMP and -u URI are needed (or -J JOBINFO)", NULL);
	if (!o->uri)
		return 0;
	return 0;
}

/* Run a command (arguments stolen), print QEMU's error; 0 or -1. */
static int cmd_ok(struct qmp *q, const char *name, json_t *arguments, json_t **reply)
{
	char err[512];
	json_t *r = qmp_cmd(q, name, arguments, err, sizeof(err));

	if (!r) {
		fprintf(stderr, "mig-mon migrate: %s\n", err);
		return -1;
	}
	if (reply)
		*reply = r;
	else
		json_decref(r);
	return 0;
}

/* A number of o's key into *out; left as it was when absent. */
static void num(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (json_is_number(v))
		*out = json_number_value(v);
}

static void read_stats(json_t *r, struct outcome *o)
{
	json_t *ram = json_object_get(r, "ram");
	const char *status = json_string_value(json_object_get(r, "status"));

	if (status)
		snprintf(o->status, sizeof(o->status), "%s", status);
	num(r, "total-time", &o->total_ms);
	num(r, "downtime", &o->downtime_ms);
	num(r, "setup-time", &o->setup_ms);
	if (!ram)
		return;
	num(ram, "total", &o->ram_total);
	num(ram, "duplicate", &o->duplicate);
	num(ram, "page-size", &o->page_size);
	num(ram, "transferred", &o->transferred);
	num(ram, "precopy-bytes", &o->precopy_bytes);
	num(ram, "downtime-bytes", &o->downtime_bytes);
	num(ram, "dirty-sync-count", &o->syncs);
	double rate = 0;
	/* QEMU measures it about once a second and each measure swings (a
	 * burst of the dirtier's, or none): their mean is reported */
	num(ram, "dirty-pages-rate", &rate);
	if (rate > 0 && rate != o->dirty_rate_last) {
		o->dirty_rate_last = rate;
		o->dirty_rate_sum += rate;
		o->dirty_rates++;
	}
}

static double dirty_mbs(const struct outcome *o, double rate)
{
	return rate * (o->page_size ? o->page_size : 4096) / MB;
}

/* Poll the source until the migration ends; cancel it at the timeout. */
static int follow(struct qmp *src, const struct migrate_opts *opt, struct outcome *o)
{
	int64_t start = now_us();
	double last_syncs = 0;
	int cancelled = 0;

	for (;;) {
		json_t *r;
		if (cmd_ok(src, "query-migrate", NULL, &r))
			return -1;
		read_stats(r, o);
		json_decref(r);
		o->elapsed_s = (now_us() - start) / 1e6;
		if (o->syncs != last_syncs && strcmp(o->status, "completed")) {
			printf("Sync %.0f at %.0f ms: %.1f MB sent, dirty rate %.1f MB/s (QEMU)\n", o->syncs,
			       o->elapsed_s * 1000, o->transferred / MB, dirty_mbs(o, o->dirty_rate_last));
			last_syncs = o->syncs;
			if (o->nsync < MAX_SYNCS) {
				o->sync_s[o->nsync] = o->elapsed_s;
				o->sync_bytes[o->nsync++] = o->transferred;
			}
		}
		if (!strcmp(o->status, "completed") || !strcmp(o->status, "failed") ||
		    !strcmp(o->status, "cancelled"))
			return cancelled;
		if (!cancelled && (o->elapsed_s > opt->timeout_s || migmon_stop)) {
			printf("Cancelling: %s after %.1f s\n", migmon_stop ? "interrupted" : "not converged",
			       o->elapsed_s);
			if (cmd_ok(src, "migrate_cancel", NULL, NULL))
				return -1;
			cancelled = 1;
		}
		usleep(POLL_US);
	}
}

static double dst_running_ms(struct qmp *dst)
{
	int64_t start = now_us();

	while (now_us() - start < 30000000) {
		json_t *r;
		if (cmd_ok(dst, "query-status", NULL, &r))
			return -1;
		int running = !strcmp(json_string_value(json_object_get(r, "status")) ?: "", "running");
		json_decref(r);
		if (running)
			return (now_us() - start) / 1000.0;
		usleep(1000);
	}
	fprintf(stderr, "mig-mon migrate: the destination is not running 30 s after the migration completed\n");
	return -1;
}

/* The dirty rate the passes saw: what pass i+1 sent was dirtied during
 * pass i. The first pass is left out (its successor is capped by the
 * working set) and so is the last (its successor is not seen whole). */
static double pass_dirty_mbs(const struct outcome *o)
{
	double sum = 0;
	int n = 0;

	for (int i = 1; i + 2 < o->nsync; i++) {
		double dur = o->sync_s[i + 1] - o->sync_s[i];
		if (dur > 0) {
			sum += (o->sync_bytes[i + 2] - o->sync_bytes[i + 1]) / MB / dur;
			n++;
		}
	}
	return n ? sum / n : -1;
}

static double pct(double model, double measured)
{
	return measured > 0 ? (model - measured) / measured * 100 : 0;
}

void migrate_report(const struct migrate_opts *opt, const struct outcome *o, const char *json)
{
	double page = o->page_size ? o->page_size : 4096;
	double mem = (o->ram_total - o->duplicate * page) / MB;
	double precopy_s = (o->total_ms - o->downtime_ms) / 1000;
	double bw = o->precopy_bytes > 0 && precopy_s > 0 ? o->precopy_bytes / MB / precopy_s :
		    o->total_ms > 0 ? o->transferred / MB / (o->total_ms / 1000) : 0;
	double qemu_dirty = o->dirty_rates ? dirty_mbs(o, o->dirty_rate_sum / o->dirty_rates) : 0;
	/* QEMU counts a page once per measuring period (about a second, the
	 * whole first pass at first): a sweep over a working set W reads as
	 * at most W per period, capped twice once the model caps by W too.
	 * So the dirtier's own rate (-r) goes first when there is one. */
	double dirty = opt->dirty_mbs > 0 ? opt->dirty_mbs : qemu_dirty;
	const char *dirty_from = opt->dirty_mbs > 0 ? "given with -r" : o->dirty_rates ? "QEMU's" : "none measured";
	int done = !strcmp(o->status, "completed");
	double passes = o->syncs > 1 ? o->syncs - 1 : o->syncs;

	if (mem <= 0)
		mem = o->ram_total / MB;
	printf("Migration: %s\n", done ? "completed" : !strcmp(o->status, "cancelled") ?
	       "not converged (cancelled)" : o->status);
	if (done) {
		printf("Total time: %.0f ms\n", o->total_ms);
		printf("Downtime: %.0f ms (QEMU)\n", o->downtime_ms);
		printf("Setup: %.0f ms\n", o->setup_ms);
		if (o->dst_running_ms >= 0)
			printf("Destination running: %.1f ms after completion was seen\n", o->dst_running_ms);
	} else {
		printf("Elapsed: %.1f s\n", o->elapsed_s);
	}
	int split = o->precopy_bytes > 0;	/* libvirt's job information has no split */
	if (split)
		printf("Transferred: %.1f MB (precopy %.1f MB, stop-and-copy %.1f MB)\n", o->transferred / MB,
		       o->precopy_bytes / MB, o->downtime_bytes / MB);
	else
		printf("Transferred: %.1f MB\n", o->transferred / MB);
	/* approximate: QEMU may sync once more to check the rest fits the limit */
	printf("Passes: %.0f (%.0f dirty-bitmap syncs less the setup one)\n", passes, o->syncs);
	if (done && split && o->downtime_ms > 0)
		printf("Stop-and-copy: %.1f MB in %.0f ms (%.0f MB/s: QEMU lifts the cap once the guest is paused)\n",
		       o->downtime_bytes / MB, o->downtime_ms, o->downtime_bytes / MB / (o->downtime_ms / 1000));
	printf("Bandwidth: %.1f MB/s %s (cap %.1f MB/s)\n", bw, split ? "during precopy" : "over the migration",
	       o->cap_bytes / MB);
	printf("Dirty rate: %.1f MB/s (%s; the model's D)\n", dirty, dirty_from);
	printf("Dirty rate by QEMU: %.1f MB/s (mean of %d measures, each page once a period)\n", qemu_dirty,
	       o->dirty_rates);
	double seen = pass_dirty_mbs(o);
	if (seen >= 0)
		printf("Dirty rate seen by the passes: %.1f MB/s (data of a pass / time of the one before)\n", seen);
	printf("Memory: %.1f MB, %.1f MB of it zero pages: M = %.1f MB\n", o->ram_total / MB,
	       o->duplicate * page / MB, mem);

	double wss = opt->wss_mb > 0 && opt->wss_mb < mem ? opt->wss_mb : mem;
	struct prediction p = bw > 0 ? predict(mem, dirty, bw, wss, o->limit_ms / 1000) :
				       (struct prediction){ 0 };
	if (bw <= 0)
		printf("Model: no prediction: no bandwidth was measured\n");
	else if (!p.converges)
		printf("Model: no convergence (D %.1f MB/s, B %.1f MB/s, W %.1f MB, limit %.0f ms)\n",
		       dirty, bw, wss, o->limit_ms);
	else
		printf("Model: passes %d, total %.0f ms, data %.1f MB, downtime %.0f ms (W %.1f MB)\n",
		       p.rounds + 1, p.seconds * 1000, p.data_mb, p.downtime_s * 1000, wss);
	if (bw > 0 && p.converges && done)
		printf("Model error: time %+.1f%%, data %+.1f%%, downtime %+.1f%%, passes %+.0f\n",
		       pct(p.seconds * 1000, o->total_ms), pct(p.data_mb, o->transferred / MB),
		       pct(p.downtime_s * 1000, o->downtime_ms), p.rounds + 1 - passes);
	else if (bw > 0)
		printf("Model %s the measurement: %s\n", p.converges == done ? "agrees with" : "disagrees with",
		       done ? "completed" : "did not converge");
	if (!json)
		return;
	json_t *model = json_pack("{s:b,s:i,s:o,s:o,s:o}", "converges", p.converges, "passes", p.rounds + 1,
				  "total_ms", json_fixed(p.seconds * 1000, 0),
				  "transferred_mb", json_fixed(p.data_mb, 2),
				  "downtime_ms", json_fixed(p.downtime_s * 1000, 1));
	json_write_file(json, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		"status", o->status, "total_ms", json_fixed(o->total_ms, 0),
		"downtime_ms", json_fixed(o->downtime_ms, 0), "setup_ms", json_fixed(o->setup_ms, 0),
		"dst_running_ms", json_fixed(o->dst_running_ms, 1),
		"transferred_mb", json_fixed(o->transferred / MB, 2), "passes", json_fixed(passes, 0),
		"syncs", json_fixed(o->syncs, 0), "bandwidth_mbs", json_fixed(bw, 2),
		"cap_mbs", json_fixed(o->cap_bytes / MB, 2), "downtime_limit_ms", json_fixed(o->limit_ms, 0),
		"dirty_mbs", json_fixed(dirty, 2), "dirty_qemu_mbs", json_fixed(qemu_dirty, 2),
		"memory_mb", json_fixed(mem, 2), "model", model));
}

int cmd_migrate(int argc, char **argv)
{
	struct migrate_opts opt;
	struct outcome o = { 0 };
	struct qmp *src = malloc(sizeof(*src)), *dst = malloc(sizeof(*dst));
	char err[512];
	json_t *r;
	int ret = 1;

	if (!src || !dst)
		goto out;
	src->fd = dst->fd = -1;
	if ((ret = parse_opts(argc, argv, &opt))) {
		ret = ret < 0 ? 0 : ret;	/* --help */
		goto out;
	}
	if (opt.jobinfo) {
		ret = migrate_report_jobinfo(&opt);
		goto out;
	}
	ret = 1;
	if (qmp_open(src, opt.src, err, sizeof(err)) || qmp_open(dst, opt.dst, err, sizeof(err))) {
		fprintf(stderr, "mig-mon migrate: %s\n", err);
		goto out;
	}
	if (cmd_ok(dst, "migrate-incoming", json_pack("{s:s}", "uri", opt.uri), NULL)) {
		fprintf(stderr, "mig-mon migrate: the destination must be a QEMU started with -incoming defer\n");
		goto out;
	}
	json_t *params = json_pack("{s:I}", "downtime-limit", (json_int_t)llround(opt.downtime_ms));
	if (opt.bw_mbs > 0)
		json_object_set_new(params, "max-bandwidth", json_integer((json_int_t)llround(opt.bw_mbs * MB)));
	if (cmd_ok(src, "migrate-set-parameters", params, NULL) ||
	    cmd_ok(src, "query-migrate-parameters", NULL, &r))
		goto out;
	/* what QEMU will use: its default cap when -b is not given */
	num(r, "max-bandwidth", &o.cap_bytes);
	num(r, "downtime-limit", &o.limit_ms);
	json_decref(r);
	printf("Migrating %s -> %s over %s: cap %.1f MB/s, downtime limit %.0f ms\n", opt.src, opt.dst, opt.uri,
	       o.cap_bytes / MB, o.limit_ms);
	if (cmd_ok(src, "migrate", json_pack("{s:s}", "uri", opt.uri), NULL))
		goto out;
	int cancelled = follow(src, &opt, &o);
	if (cancelled < 0)
		goto out;
	if (!strcmp(o.status, "completed") && (o.dst_running_ms = dst_running_ms(dst)) < 0)
		goto out;
	migrate_report(&opt, &o, opt.json);
	if (!strcmp(o.status, "completed"))
		ret = 0;
	else if (cancelled && !migmon_stop)
		ret = 4;	/* did not converge: a result, not a failure */
	else
		fprintf(stderr, "mig-mon migrate: the migration %s\n", o.status);
out:
	if (src)
		qmp_close(src);
	if (dst)
		qmp_close(dst);
	free(src);
	free(dst);
	return ret;
}
