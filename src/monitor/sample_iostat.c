/* iostat: sysstat's `iostat -x INTERVAL` columns (avg-cpu and the
 * extended device table) computed from /proc/stat and /proc/diskstats.
 * Whole disks only (those in /sys/block), devices that never did I/O
 * skipped, as iostat does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sampler.h"
#include "xalloc.h"

#define NDF 17

struct disk {
	char name[32];
	unsigned long long f[NDF];
};

struct iostat {
	int disk_fd, stat_fd;
	struct disk *prev;
	int nprev;
	unsigned long long cpu_prev[8];
	int first;
	struct strbuf buf;
};

static int is_whole_disk(const char *name)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/block/%s", name);
	return stat(path, &st) == 0;
}

static int read_disks(struct iostat *s, struct disk **out)
{
	int n = 0, ret;
	char *save = NULL;

	sb_reset(&s->buf);
	if ((ret = proc_read(s->disk_fd, &s->buf)))
		return ret;
	*out = NULL;
	for (char *l = strtok_r(s->buf.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct disk d;
		unsigned maj, min;
		int used;
		memset(&d, 0, sizeof(d));
		if (sscanf(l, "%u %u %31s%n", &maj, &min, d.name, &used) < 3)
			continue;
		char *p = l + used;
		for (int i = 0; i < NDF; i++)
			d.f[i] = strtoull(p, &p, 10);
		if (!is_whole_disk(d.name) || (d.f[0] + d.f[4] + d.f[11] + d.f[15]) == 0)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = d;
	}
	return n;
}

static int read_cpu(struct iostat *s, unsigned long long cpu[8])
{
	int ret;

	sb_reset(&s->buf);
	if ((ret = proc_read(s->stat_fd, &s->buf)))
		return ret;
	memset(cpu, 0, 8 * sizeof(cpu[0]));
	sscanf(s->buf.buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &cpu[0], &cpu[1], &cpu[2],
	       &cpu[3], &cpu[4], &cpu[5], &cpu[6], &cpu[7]);
	return 0;
}

static int init(void *state, struct strbuf *out, double interval)
{
	struct iostat *s = state;

	sb_init(&s->buf);
	s->disk_fd = proc_open("/proc/diskstats");
	if (s->disk_fd < 0)
		return err_errno(-s->disk_fd, "monitor iostat: cannot read /proc/diskstats");
	s->stat_fd = proc_open("/proc/stat");
	if (s->stat_fd < 0) {
		close(s->disk_fd);
		return err_errno(-s->stat_fd, "monitor iostat: cannot read /proc/stat");
	}
	s->first = 1;
	sysstat_banner(out);
	return 0;
}

static double per(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static int sample(void *state, struct strbuf *out, double interval)
{
	struct iostat *s = state;
	unsigned long long cpu[8], d[8], total = 0;
	struct disk *disks = NULL;
	int n, ret;

	if ((ret = read_cpu(s, cpu)))
		return ret;
	for (int i = 0; i < 8; i++) {
		d[i] = cpu[i] - (s->first ? 0 : s->cpu_prev[i]);
		total += d[i];
	}
	memcpy(s->cpu_prev, cpu, sizeof(cpu));
	double t = total ? (double)total : 1;
	sb_addf(out, "avg-cpu:  %%user   %%nice %%system %%iowait  %%steal   %%idle\n"
		     "         %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f\n\n",
		100 * d[0] / t, 100 * d[1] / t, 100 * (d[2] + d[5] + d[6]) / t, 100 * d[4] / t,
		100 * d[7] / t, 100 * d[3] / t);

	n = read_disks(s, &disks);
	if (n < 0)
		return n;
	/* The first report covers the time since boot, as iostat's does. */
	double secs = interval;
	if (s->first) {
		FILE *f = fopen("/proc/uptime", "r");
		if (f) {
			if (fscanf(f, "%lf", &secs) != 1)
				secs = 1;
			fclose(f);
		}
	}
	sb_adds(out, "Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util\n");
	for (int i = 0; i < n; i++) {
		const struct disk *p = NULL;
		double x[NDF];
		for (int j = 0; j < s->nprev && !s->first; j++)
			if (!strcmp(s->prev[j].name, disks[i].name))
				p = &s->prev[j];
		for (int k = 0; k < NDF; k++)
			x[k] = (double)(disks[i].f[k] - (p && p->f[k] <= disks[i].f[k] ? p->f[k] : 0));
		/* reads 0 merged 1 sectors 2 ms 3; writes 4..7; inflight 8; io_ms 9;
		 * weighted 10; discards 11..14; flushes 15, 16 */
		sb_addf(out, "%-12s %8.2f %9.2f %8.2f %6.2f %7.2f %8.2f %7.2f %9.2f %8.2f %6.2f %7.2f %8.2f "
			     "%7.2f %9.2f %8.2f %6.2f %7.2f %8.2f %7.2f %7.2f %7.2f %6.2f\n",
			disks[i].name, x[0] / secs, x[2] / 2 / secs, x[1] / secs,
			100 * per(x[1], x[0] + x[1]), per(x[3], x[0]), per(x[2] / 2, x[0]),
			x[4] / secs, x[6] / 2 / secs, x[5] / secs, 100 * per(x[5], x[4] + x[5]),
			per(x[7], x[4]), per(x[6] / 2, x[4]),
			x[11] / secs, x[13] / 2 / secs, x[12] / secs, 100 * per(x[12], x[11] + x[12]),
			per(x[14], x[11]), per(x[13] / 2, x[11]),
			x[15] / secs, per(x[16], x[15]), x[10] / secs / 1000,
			x[9] / secs / 10 > 100 ? 100.0 : x[9] / secs / 10);
	}
	sb_addc(out, '\n');
	free(s->prev);
	s->prev = disks;
	s->nprev = n;
	s->first = 0;
	return 0;
}

static void fini(void *state)
{
	struct iostat *s = state;

	close(s->disk_fd);
	close(s->stat_fd);
	free(s->prev);
	sb_release(&s->buf);
}

const struct sampler_ops sampler_iostat = { "iostat", sizeof(struct iostat), init, sample, fini };
