/* migrate: drive one live migration between two QEMUs over QMP -- the
 * source running the guest, the destination started with -incoming defer
 * -- with a bandwidth cap and a downtime limit; report what QEMU measured
 * (total time, downtime, data, passes, bandwidth, dirty rate) and, beside
 * it, the precopy model's prediction from the measured dirty rate and
 * bandwidth, with the error between them. libvirt refuses a migration to
 * the same host, so this talks to QEMU directly. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migmon.h"
#include "migrate.h"
#include "qmp.h"

#define POLL_US 20000	/* query-migrate every 20 ms: a pass is rarely shorter */

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "mig-mon migrate: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	fprintf(stderr, "usage: mig-mon migrate -s SRC_QMP -d DST_QMP -u URI [-b MB/s] [-t DOWNTIME_MS] "
		"[-T TIMEOUT_S] [-w WSS_MB] [-r DIRTY_MB/s] [-j JSON]\n"
		"       mig-mon migrate -J JOBINFO [-b MB/s] [-t DOWNTIME_MS] [-w WSS_MB] [-r DIRTY_MB/s] [-j JSON]\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct migrate_opts *o)
{
	int c;

	*o = (struct migrate_opts){ .downtime_ms = 300, .timeout_s = 120 };
	while ((c = getopt(argc, argv, "s:d:u:b:t:T:w:r:j:J:")) != -1) {
		double *v = NULL;
		switch (c) {
		case 's': o->src = optarg; break;
		case 'd': o->dst = optarg; break;
		case 'u': o->uri = optarg; break;
		case 'j': o->json = optarg; break;
		case 'J': o->jobinfo = optarg; break;
		case 'b': v = &o->bw_mbs; break;
		case 't': v = &o->downtime_ms; break;
		case 'T': v = &o->timeout_s; break;
		case 'w': v = &o->wss_mb; break;
		case 'r': v = &o->dirty_mbs; break;
		default: return usage_error("unknown option", NULL);
		}
		if (v && parse_positive(optarg, v)) {
			char what[64];
			snprintf(what, sizeof(what), "-%c needs a positive number", c);
			return usage_error(what, optarg);
		}
	}
	if (o->jobinfo && (o->src || o->dst || o->uri))
		return usage_error("-J reports a migration libvirt made: no -s, -d or -u with it", NULL);
	if (!o->jobinfo && (!o->src || !o->dst || !o->uri))
		return usage_error("-s SRC_QMP, -d DST_QMP and -u URI are needed (or -J JOBINFO)", NULL);
	if (!o->uri)
		return 0;
	if (strchr(o->uri, '"') || strchr(o->uri, '\\'))
		return usage_error("the URI may not hold quotes or backslashes", o->uri);
	return 0;
}

/* Run a command, print QEMU's error; 0 or -1. */
static int cmd_ok(struct qmp *q, const char *cmd, char **reply)
{
	char err[512];
	char *r = qmp_cmd(q, cmd, err, sizeof(err));

	if (!r) {
		fprintf(stderr, "mig-mon migrate: %s\n", err);
		return -1;
	}
	if (reply)
		*reply = r;
	else
		free(r);
	return 0;
}

static void read_stats(const char *r, struct outcome *o)
{
	const char *ram = strstr(r, "\"ram\"");

	json_str(r, "status", o->status, sizeof(o->status));
	json_num(r, "total-time", &o->total_ms);
	json_num(r, "downtime", &o->downtime_ms);
	json_num(r, "setup-time", &o->setup_ms);
	if (!ram)
		return;
	json_num(ram, "total", &o->ram_total);
	json_num(ram, "duplicate", &o->duplicate);
	json_num(ram, "page-size", &o->page_size);
	json_num(ram, "transferred", &o->transferred);
	json_num(ram, "precopy-bytes", &o->precopy_bytes);
	json_num(ram, "downtime-bytes", &o->downtime_bytes);
	json_num(ram, "dirty-sync-count", &o->syncs);
	double rate;
	/* QEMU measures it about once a second and each measure swings (a
	 * burst of the dirtier's, or none): their mean is reported */
	if (!json_num(ram, "dirty-pages-rate", &rate) && rate > 0 && rate != o->dirty_rate_last) {
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
		char *r;
		if (cmd_ok(src, "{\"execute\": \"query-migrate\"}", &r))
			return -1;
		read_stats(r, o);
		free(r);
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
			if (cmd_ok(src, "{\"execute\": \"migrate_cancel\"}", NULL))
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
		char *r;
		char status[32] = "";
		if (cmd_ok(dst, "{\"execute\": \"query-status\"}", &r))
			return -1;
		json_str(r, "status", status, sizeof(status));
		free(r);
		if (!strcmp(status, "running"))
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

void migrate_report(const struct migrate_opts *opt, const struct outcome *o, FILE *json)
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
	fprintf(json, "{\"status\": \"%s\", \"total_ms\": %.0f, \"downtime_ms\": %.0f, \"setup_ms\": %.0f, "
		"\"dst_running_ms\": %.1f, \"transferred_mb\": %.2f, \"passes\": %.0f, \"syncs\": %.0f, "
		"\"bandwidth_mbs\": %.2f, \"cap_mbs\": %.2f, \"downtime_limit_ms\": %.0f, \"dirty_mbs\": %.2f, "
		"\"dirty_qemu_mbs\": %.2f, \"memory_mb\": %.2f, \"model\": {\"converges\": %s, \"passes\": %d, \"total_ms\": %.0f, "
		"\"transferred_mb\": %.2f, \"downtime_ms\": %.1f}}\n",
		o->status, o->total_ms, o->downtime_ms, o->setup_ms, o->dst_running_ms, o->transferred / MB,
		passes, o->syncs, bw, o->cap_bytes / MB, o->limit_ms, dirty, qemu_dirty, mem,
		p.converges ? "true" : "false", p.rounds + 1, p.seconds * 1000, p.data_mb, p.downtime_s * 1000);
}

int cmd_migrate(int argc, char **argv)
{
	struct migrate_opts opt;
	struct outcome o = { 0 };
	struct qmp *src = malloc(sizeof(*src)), *dst = malloc(sizeof(*dst));
	char err[512], cmd[512], *r;
	int ret = 1;

	if (!src || !dst)
		goto out;
	src->fd = dst->fd = -1;
	if ((ret = parse_opts(argc, argv, &opt)))
		goto out;
	if (opt.jobinfo) {
		ret = migrate_report_jobinfo(&opt);
		goto out;
	}
	ret = 1;
	if (qmp_open(src, opt.src, err, sizeof(err)) || qmp_open(dst, opt.dst, err, sizeof(err))) {
		fprintf(stderr, "mig-mon migrate: %s\n", err);
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"%s\"}}", opt.uri);
	if (cmd_ok(dst, cmd, NULL)) {
		fprintf(stderr, "mig-mon migrate: the destination must be a QEMU started with -incoming defer\n");
		goto out;
	}
	if (opt.bw_mbs > 0)
		snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate-set-parameters\", \"arguments\": "
			 "{\"max-bandwidth\": %.0f, \"downtime-limit\": %.0f}}", opt.bw_mbs * MB, opt.downtime_ms);
	else
		snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate-set-parameters\", \"arguments\": "
			 "{\"downtime-limit\": %.0f}}", opt.downtime_ms);
	if (cmd_ok(src, cmd, NULL) ||
	    cmd_ok(src, "{\"execute\": \"query-migrate-parameters\"}", &r))
		goto out;
	/* what QEMU will use: its default cap when -b is not given */
	json_num(r, "max-bandwidth", &o.cap_bytes);
	json_num(r, "downtime-limit", &o.limit_ms);
	free(r);
	printf("Migrating %s -> %s over %s: cap %.1f MB/s, downtime limit %.0f ms\n", opt.src, opt.dst, opt.uri,
	       o.cap_bytes / MB, o.limit_ms);
	snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"%s\"}}", opt.uri);
	if (cmd_ok(src, cmd, NULL))
		goto out;
	int cancelled = follow(src, &opt, &o);
	if (cancelled < 0)
		goto out;
	if (!strcmp(o.status, "completed") && (o.dst_running_ms = dst_running_ms(dst)) < 0)
		goto out;
	FILE *json = opt.json ? fopen(opt.json, "w") : NULL;
	if (opt.json && !json)
		fprintf(stderr, "mig-mon migrate: cannot write %s\n", opt.json);
	migrate_report(&opt, &o, json);
	if (json)
		fclose(json);
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
