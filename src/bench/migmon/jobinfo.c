/* migrate -J: a migration libvirt made (between hosts), reported like one
 * mig-mon drove: `virsh domjobinfo --completed DOMAIN` on either side holds
 * the time, downtime, data, iterations, zero ("constant") pages and
 * QEMU's dirty rate. It has no precopy/stop-and-copy split, so the
 * bandwidth is the data over the whole time. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migmon.h"
#include "migrate.h"

/* "101.735 MiB" -> bytes; -1 when not a size */
static double size_bytes(const char *v)
{
	static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	char *end;
	double x = strtod(v, &end), mult = 1;

	if (end == v)
		return -1;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++, mult *= 1024)
		if (!strncmp(end, units[i], strlen(units[i])))
			return x * mult;
	return -1;
}

/* The job information's lines this reads: a number or a size. */
static const struct {
	const char *key;
	size_t off;
	int size;
} fields[] = {
	{ "Time elapsed", offsetof(struct outcome, total_ms), 0 },
	{ "Total downtime", offsetof(struct outcome, downtime_ms), 0 },
	{ "Setup time", offsetof(struct outcome, setup_ms), 0 },
	{ "Data processed", offsetof(struct outcome, transferred), 1 },
	{ "Memory total", offsetof(struct outcome, ram_total), 1 },
	{ "Constant pages", offsetof(struct outcome, duplicate), 0 },	/* zero pages */
	{ "Page size", offsetof(struct outcome, page_size), 0 },
	{ "Iteration", offsetof(struct outcome, syncs), 0 },
	{ "Dirty rate", offsetof(struct outcome, dirty_rate_sum), 0 },	/* pages/s */
};

int migrate_report_jobinfo(const struct migrate_opts *opt)
{
	FILE *f = fopen(opt->jobinfo, "r");
	struct outcome *o = calloc(1, sizeof(*o));
	char line[512];
	int lineno = 0, ret = 1;

	if (!f || !o) {
		fprintf(stderr, "mig-mon migrate: %s: %s\n", opt->jobinfo, strerror(errno));
		goto out;
	}
	o->dst_running_ms = -1;		/* libvirt does not say */
	o->cap_bytes = opt->bw_mbs * MB;
	o->limit_ms = opt->downtime_ms;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		lineno++;
		if (!colon)
			continue;
		*colon = 0;
		char *v = colon + 1, *end = v + strlen(v);
		const char *k = line;
		while (end > v && (end[-1] == '\n' || end[-1] == ' '))
			*--end = 0;
		while (*v == ' ')
			v++;
		if (!strcmp(k, "Job type")) {
			snprintf(o->status, sizeof(o->status), "%s",
				 !strncmp(v, "Completed", 9) ? "completed" : "not completed");
			continue;
		}
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			if (strcmp(k, fields[i].key))
				continue;
			double x = fields[i].size ? size_bytes(v) : strtod(v, NULL);
			if (x < 0) {
				fprintf(stderr, "mig-mon migrate: %s:%d: '%s' is not a size\n", opt->jobinfo,
					lineno, v);
				goto out;
			}
			*(double *)((char *)o + fields[i].off) = x;
		}
	}
	/* libvirt gives QEMU's last dirty-rate measure */
	o->dirty_rates = o->dirty_rate_sum > 0;
	if (strcmp(o->status, "completed") || o->total_ms <= 0) {
		fprintf(stderr, "mig-mon migrate: %s: no completed migration (virsh domjobinfo --completed "
			"DOMAIN, on the destination)\n", opt->jobinfo);
		goto out;
	}
	o->elapsed_s = o->total_ms / 1000;
	printf("Migration by libvirt: from %s\n", opt->jobinfo);
	migrate_report(opt, o, opt->json);
	ret = 0;
out:
	if (f)
		fclose(f);
	free(o);
	return ret;
}
