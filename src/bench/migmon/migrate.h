/* mig-mon migrate's measurement and its report, shared by the QMP driver
 * (migrate.c) and the reader of libvirt's job information (jobinfo.c). */
#ifndef MMT_MIGRATE_H
#define MMT_MIGRATE_H

#include <stdio.h>

#define MB (1024.0 * 1024.0)
#define MAX_SYNCS 4096

struct migrate_opts {
	const char *src, *dst, *uri, *json;
	const char *jobinfo;	/* a migration libvirt made: virsh domjobinfo --completed */
	double bw_mbs, downtime_ms, timeout_s, wss_mb, dirty_mbs;
};

/* What query-migrate said last, and what the run saw. */
struct outcome {
	char status[32];
	double total_ms, downtime_ms, setup_ms;
	double ram_total, duplicate, page_size, transferred, precopy_bytes, downtime_bytes;
	double syncs, cap_bytes, limit_ms;
	double dirty_rate_last, dirty_rate_sum;	/* pages/s: QEMU's measures */
	int dirty_rates;
	double dst_running_ms;	/* completion seen -> destination running */
	int nsync;		/* when each sync was seen, and the data sent by then */
	double sync_s[MAX_SYNCS], sync_bytes[MAX_SYNCS];
	double elapsed_s;
};

/* Print the measurement, the model's prediction and its error (and the
 * same as JSON into the file json, unless NULL). */
void migrate_report(const struct migrate_opts *opt, const struct outcome *o, const char *json);
/* -J: read `virsh domjobinfo --completed` into an outcome and report it. */
int migrate_report_jobinfo(const struct migrate_opts *opt);

#endif
