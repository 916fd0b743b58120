/* migrate -J: a migration libvirt made (between hosts), reported like one
 * mig-mon drove: `virsh domjobinfo --completed DOMAIN` on either side holds
 * the time, downtime, data, iterations, zero ("constant") pages and
 * QEMU's dirty rate. It has no precopy/stop-and-copy split, so the
 * bandwidth is the data over the whole time. */
#include <errno.h>
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
		double x = strtod(v, NULL);
		if (!strcmp(k, "Job type")) {
			snprintf(o->status, sizeof(o->status), "%s",
				 !strncmp(v, "Completed", 9) ? "completed" : "not completed");
		} else if (!strcmp(k, "Time elapsed")) {
			o->total_ms = x;
		} else if (!strcmp(k, "Total downtime")) {
			o->downtime_ms = x;
		} else if (!strcmp(k, "Setup time")) {
			o->setup_ms = x;
		} else if (!strcmp(k, "Data processed") || !strcmp(k, "Memory total")) {
			double b = size_bytes(v);
			if (b < 0) {
				fprintf(stderr, "mig-mon migrate: %s:%d: '%s' is not a size\n", opt->jobinfo,
					lineno, v);
				goto out;
			}
			*(!strcmp(k, "Memory total") ? &o->ram_total : &o->transferred) = b;
		} else if (!strcmp(k, "Constant pages")) {
			o->duplicate = x;
		} else if (!strcmp(k, "Page size")) {
			o->page_size = x;
		} else if (!strcmp(k, "Iteration")) {
			o->syncs = x;
		} else if (!strcmp(k, "Dirty rate") && x > 0) {
			o->dirty_rate_sum = x;
			o->dirty_rates = 1;
		}
	}
	if (strcmp(o->status, "completed") || o->total_ms <= 0) {
		fprintf(stderr, "mig-mon migrate: %s: no completed migration (virsh domjobinfo --completed "
			"DOMAIN, on the destination)\n", opt->jobinfo);
		goto out;
	}
	o->elapsed_s = o->total_ms / 1000;
	FILE *json = opt->json ? fopen(opt->json, "w") : NULL;
	if (opt->json && !json)
		fprintf(stderr, "mig-mon migrate: cannot write %s\n", opt->json);
	printf("Migration by libvirt: from %s\n", opt->jobinfo);
	migrate_report(opt, o, json);
	if (json)
		fclose(json);
	ret = 0;
out:
	if (f)
		fclose(f);
	free(o);
	return ret;
}
