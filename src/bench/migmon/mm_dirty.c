/* mm_dirty: dirty SIZE of memory at RATE MB/s, one byte per 4 KiB page
 * (also on huge pages: hypervisors track dirtying at 4 KiB), in
 * one-second windows, after pre-heating every page with a non-zero value.
 * sequential: rounds over the range; each page must still hold the
 * previous round's value (an integrity check across a migration).
 * random: pages at random. once: every page once, then done. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "migmon.h"
#include "options.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define DIRTY_PAGE 4096
#define LAT_BUCKETS 64	/* log2 buckets of per-write latency in ns */

enum pattern { SEQUENTIAL, RANDOM, ONCE };

struct dirty {
	uint8_t *mem;
	uint64_t size, npages;
	double rate;		/* MB/s, 0: unlimited */
	double slice_ms;	/* pace each window in slices this long */
	enum pattern pattern;
	double duration;
	int latency;
	uint64_t lat_hist[LAT_BUCKETS], lat_count, lat_max;
	uint64_t win_hist[LAT_BUCKETS], win_count, win_max;	/* this window's, for its line */
	uint64_t total_pages;
	double worst_window;	/* seconds the slowest window took */
	int64_t end;		/* when the run's time ends, for its rate (us) */
	int64_t start;		/* after the pre-heat */
};

static void *map_memory(uint64_t size, const char *huge)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	if (huge) {
		int shift = !strcmp(huge, "2m") ? 21 : 30;
		flags |= MAP_HUGETLB | (shift << MAP_HUGE_SHIFT);
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		if (huge)
			fprintf(stderr, "mig-mon mm_dirty: cannot map %llu MB of %s huge pages: %s -- are enough "
				"reserved? (/sys/kernel/mm/hugepages/hugepages-%skB/nr_hugepages)\n",
				(unsigned long long)(size >> 20), huge, strerror(errno),
				!strcmp(huge, "2m") ? "2048" : "1048576");
		else
			fprintf(stderr, "mig-mon mm_dirty: cannot map %llu MB: %s\n",
				(unsigned long long)(size >> 20), strerror(errno));
		return NULL;
	}
	return p;
}

static inline uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void record_latency(struct dirty *d, int64_t ns)
{
	int b = 0;

	while (b < LAT_BUCKETS - 1 && (1LL << (b + 1)) <= ns)
		b++;
	d->lat_hist[b]++;
	d->lat_count++;
	if ((uint64_t)ns > d->lat_max)
		d->lat_max = ns;
	d->win_hist[b]++;
	d->win_count++;
	if ((uint64_t)ns > d->win_max)
		d->win_max = ns;
}

/* The window's latency as mig_mon prints it: ", lat (us): p50=A p99=B
 * max=C" (a percentile is its bucket's upper bound), then a fresh window. */
static void window_latency(struct dirty *d)
{
	uint64_t pv[2];
	const double pct[2] = { 50, 99 };

	for (int k = 0; k < 2; k++) {
		uint64_t need = (uint64_t)(pct[k] / 100 * d->win_count), c = 0;
		int b = 0;
		while (b < LAT_BUCKETS - 1 && (c += d->win_hist[b]) <= need)
			b++;
		pv[k] = ((2ULL << b) + 999) / 1000;
	}
	printf(", lat (us): p50=%llu p99=%llu max=%llu", (unsigned long long)pv[0],
	       (unsigned long long)pv[1], (unsigned long long)(d->win_max + 999) / 1000);
	memset(d->win_hist, 0, sizeof(d->win_hist));
	d->win_count = d->win_max = 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The value round r writes: 1..255, never 0 (pre-heat writes 1). */
static uint8_t round_value(uint64_t r)
{
	return (uint8_t)(r % 255 + 1);
}

static int run(struct dirty *d)
{
	uint64_t per_window = d->rate > 0 ? (uint64_t)(d->rate * (1 << 20) / DIRTY_PAGE) : UINT64_MAX;
	/* mig_mon dirties a window's pages at once, then sleeps: bursts that a
	 * migration pass catches whole. Slices spread them over the second. */
	uint64_t slices = per_window != UINT64_MAX && d->slice_ms < 1000 ? (uint64_t)(1000 / d->slice_ms) : 1;
	uint64_t per_slice = per_window / slices ? per_window / slices : 1;
	uint64_t page = 0, round = 1, seed = (uint64_t)now_us() | 1;
	int64_t start = now_us(), win_start = start;
	int corrupt = 0;

	/* pre-heat: every page present and non-zero */
	for (uint64_t i = 0; i < d->npages; i++)
		d->mem[i * DIRTY_PAGE] = round_value(0);
	printf("Pre-heat done: %llu pages of %d bytes\n", (unsigned long long)d->npages, DIRTY_PAGE);
	start = win_start = d->start = now_us();
	while (!migmon_stop) {
		uint64_t done = 0;
		int64_t busy_from = now_us(), paced = 0;
		while (done < per_window && !migmon_stop) {
			uint64_t i = d->pattern == RANDOM ? xorshift(&seed) % d->npages : page;
			uint8_t *p = d->mem + i * DIRTY_PAGE;
			int64_t t = d->latency ? now_ns() : 0;
			if (d->pattern == SEQUENTIAL && *p != round_value(round - 1)) {
				fprintf(stderr, "mig-mon mm_dirty: memory corrupted: page %llu holds %u, round %llu "
					"wrote %u\n", (unsigned long long)i, *p, (unsigned long long)round - 1,
					round_value(round - 1));
				corrupt = 1;
				break;
			}
			*p = d->pattern == SEQUENTIAL ? round_value(round) : (uint8_t)(*p + 1) | 1;
			if (d->latency)
				record_latency(d, now_ns() - t);
			done++;
			if (slices > 1 && !(done % per_slice)) {
				int64_t due = win_start + (int64_t)(done / per_slice * 1000000 / slices) - now_us();
				if (due > 0) {
					usleep(due);
					paced += due;
				}
			}
			if (d->pattern != RANDOM && ++page == d->npages) {
				page = 0;
				round++;
				if (d->pattern == ONCE)
					break;
			}
			/* a window is a second at most: unlimited, or a rate the
			 * machine cannot reach */
			if (!(done & 1023) && now_us() - win_start >= 1000000)
				break;
		}
		d->total_pages += done;
		int64_t now = now_us();
		double busy = (now - busy_from - paced) / 1e6;
		/* signed: a window that overran leaves nothing to sleep */
		int64_t rest = win_start + 1000000 - now;
		if (rest > 0 && per_window != UINT64_MAX && !migmon_stop && !corrupt && d->pattern != ONCE)
			usleep(rest);
		now = now_us();
		double window = (now - win_start) / 1e6;
		if (busy > d->worst_window)
			d->worst_window = busy;
		/* mig_mon's line, so its plot_mm_dirty.py reads ours */
		printf("dirty-rate: %.0f (MB/s), time (ms): %lld, load: %.2f%%",
		       done * (double)DIRTY_PAGE / (1 << 20) / window, (long long)((now - win_start) / 1000),
		       100 * busy / window);
		if (d->latency && d->win_count)
			window_latency(d);
		putchar('\n');
		/* A window whose quota is done counts as its whole second even
		 * when Ctrl-C cuts its sleep short; one cut mid-quota counts
		 * until now. */
		d->end = done == per_window && migmon_stop ? win_start + 1000000 : now;
		/* Windows keep their own schedule: the next starts when this one
		 * was due to end, not when its sleep happened to end (that drift
		 * made the rate 1-3% low); only a window that overran moves it. */
		win_start = now - (win_start + 1000000) < 100000 ? win_start + 1000000 : now;
		if (corrupt || (d->pattern == ONCE && round > 1))
			break;
		if (d->duration > 0 && now - start >= d->duration * 1e6)
			break;
	}
	return corrupt;
}

static void report(struct dirty *d, double secs, const char *json)
{
	double achieved = d->total_pages * (double)DIRTY_PAGE / (1 << 20) / secs;

	printf("Total: %llu pages dirtied in %.1f s: %.1f MB/s", (unsigned long long)d->total_pages, secs, achieved);
	if (d->rate > 0)
		printf(" (target %.1f MB/s%s)", d->rate,
		       achieved < d->rate * 0.95 ? "; NOT reached: this is what the machine sustains" : "");
	printf("\n");
	double pct[] = { 50, 90, 99, 99.9 }, pv[4] = { 0 };
	if (d->latency && d->lat_count) {
		printf("Write latency histogram (ns, log2 buckets):\n");
		for (int b = 0; b < LAT_BUCKETS; b++)
			if (d->lat_hist[b])
				printf("  [%llu, %llu): %llu\n", 1ULL << b, 1ULL << (b + 1),
				       (unsigned long long)d->lat_hist[b]);
		for (int k = 0; k < 4; k++) {
			uint64_t need = (uint64_t)(pct[k] / 100 * d->lat_count), c = 0;
			for (int b = 0; b < LAT_BUCKETS; b++) {
				c += d->lat_hist[b];
				if (c >= need) {
					pv[k] = (double)(1ULL << (b + 1));
					break;
				}
			}
		}
		printf("Write latency (ns, bucket upper bound): p50 %.0f p90 %.0f p99 %.0f p99.9 %.0f max %llu\n",
		       pv[0], pv[1], pv[2], pv[3], (unsigned long long)d->lat_max);
	}
	if (json) {
		json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:I}", "size_mb", (json_int_t)(d->size >> 20),
				      "target_mb_s", json_fixed(d->rate, 1), "achieved_mb_s", json_fixed(achieved, 2),
				      "seconds", json_fixed(secs, 2), "pages", (json_int_t)d->total_pages);
		if (d->latency && d->lat_count)
			json_object_set_new(o, "latency_ns", json_pack("{s:o,s:o,s:o,s:o,s:I}",
					    "p50", json_fixed(pv[0], 0), "p90", json_fixed(pv[1], 0),
					    "p99", json_fixed(pv[2], 0), "p99.9", json_fixed(pv[3], 0),
					    "max", (json_int_t)d->lat_max));
		json_write_file(json, o);
	}
}

int cmd_mm_dirty(int argc, char **argv)
{
	struct dirty d = { .size = 512ULL << 20 };
	const char *json = NULL, *size = NULL, *huge = NULL, *rate = NULL;
	/* the original mig_mon's spellings: its short forms seq/ran, page
	 * sizes in either case and 4k for normal pages */
	static const char *const patterns[] = { "sequential", "random", "once", "seq", "ran", NULL };
	static const char *const page_sizes[] = { "2m", "1g", "4k", "2M", "1G", "4K", NULL };
	static const struct opt_usage u = {
		"mig-mon mm_dirty", "[-m SIZE] [-r RATE] [-p sequential|random|once] [-P 4k|2m|1g] [-L] [-s SLICE_MS] "
		"[-D SECS] [-j JSON]",
		"Dirty memory at RATE MB/s; sequential rounds check the previous round's values.\n"
		"Takes the original mig_mon's command lines, e.g. mm_dirty -m 500M -r 100M -p random.\n", NULL };
	int pattern = SEQUENTIAL, page_idx = -1;
	const struct opt opts[] = {
		OPT_STRING('m', NULL, &size, "SIZE", "memory to dirty: MB, or with k/m/g/t (default 512)"),
		OPT_STRING('r', NULL, &rate, "RATE", "MB/s, or with m/g/t (100M, 1G) (default: as fast as it goes)"),
		OPT_CHOICE('p', NULL, &pattern, "PATTERN", patterns, "sequential (checked), random or once\n(seq, ran)"),
		OPT_CHOICE('P', NULL, &page_idx, "PAGE", page_sizes, "page size: 4k, or huge pages of 2m or 1g"),
		OPT_BOOL('L', NULL, &d.latency, "a write latency histogram"),
		OPT_NUMBER('s', NULL, &d.slice_ms, "SLICE_MS", 0.001, 1000, "pace the rate in slices (default 1000)"),
		OPT_POSITIVE('D', NULL, &d.duration, "SECS", "stop after SECS (default: at Ctrl-C)"),
		OPT_STRING('j', NULL, &json, "JSON", "the summary as JSON into this file"),
		OPT_END()
	};

	d.slice_ms = 1000;
	int first = opt_parse(argc, argv, opts, &u, 0);
	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (first != argc)
		return bench_usage_error("argument", argv[first], "mm_dirty takes no arguments");
	if (size && (parse_bytes(size, 1 << 20, &d.size) || d.size < DIRTY_PAGE))
		return bench_usage_error("-m", size, "a memory size (MB, or with k/m/g/t) of at least 4 KiB");
	if (rate) {	/* MB/s: a plain number (fractions too), or a size with its unit */
		uint64_t bytes;
		if (parse_positive(rate, &d.rate)) {
			if (parse_bytes(rate, 1 << 20, &bytes) || bytes < (1 << 20))
				return bench_usage_error("-r", rate, "MB/s: a number > 0, or 100M, 1G");
			d.rate = (double)bytes / (1 << 20);
		}
		if (d.rate > 1e12)	/* far beyond any machine; far before page counts overflow */
			return bench_usage_error("-r", rate, "at most 1000000000000 MB/s");
	}
	d.pattern = pattern == 3 ? SEQUENTIAL : pattern == 4 ? RANDOM : pattern;
	if (page_idx >= 0 && page_idx % 3 != 2)
		huge = page_idx % 3 == 0 ? "2m" : "1g";
	if (huge) {	/* the range must be whole huge pages */
		uint64_t hp = !strcmp(huge, "2m") ? 2ULL << 20 : 1ULL << 30;
		d.size = (d.size + hp - 1) / hp * hp;
	}
	d.npages = d.size / DIRTY_PAGE;
	d.mem = map_memory(d.size, huge);
	if (!d.mem)
		return 1;
	printf("Dirtying %llu MB at %p, %s, %s%s%s\n", (unsigned long long)(d.size >> 20), (void *)d.mem,
	       d.pattern == SEQUENTIAL ? "sequential" : d.pattern == RANDOM ? "random" : "once",
	       d.rate > 0 ? "rate-limited" : "unlimited rate", huge ? ", huge pages " : "", huge ? huge : "");
	if (d.rate > 0)
		printf("Target dirty rate: %.1f MB/s, in slices of %g ms\n", d.rate, d.slice_ms);
	int corrupt = run(&d);
	report(&d, ((d.end ? d.end : now_us()) - d.start) / 1e6, json);
	munmap(d.mem, d.size);
	return corrupt ? 3 : 0;
}
