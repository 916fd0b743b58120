/* vmstat: the columns and widths of procps's `vmstat -n INTERVAL`. The
 * first line covers the time since boot, as vmstat's does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sampler.h"

struct counters {
	unsigned long long cpu[8];	/* user nice system idle iowait irq softirq steal */
	unsigned long long intr, ctxt, pswpin, pswpout, pgpgin, pgpgout;
	unsigned long running, blocked;
	unsigned long long memfree, buffers, cached, sreclaimable, swaptotal, swapfree;
};

struct vmstat {
	int stat_fd, mem_fd, vm_fd, up_fd;
	struct counters prev;
	int have_prev;
	unsigned long kb_per_page;
	struct strbuf buf;
};

static unsigned long long field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static int read_counters(struct vmstat *v, struct counters *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	sb_reset(&v->buf);
	if ((ret = proc_read(v->stat_fd, &v->buf)))
		return ret;
	sscanf(v->buf.buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &c->cpu[0], &c->cpu[1],
	       &c->cpu[2], &c->cpu[3], &c->cpu[4], &c->cpu[5], &c->cpu[6], &c->cpu[7]);
	c->intr = field(v->buf.buf, "\nintr ");
	c->ctxt = field(v->buf.buf, "\nctxt ");
	c->running = field(v->buf.buf, "\nprocs_running ");
	c->blocked = field(v->buf.buf, "\nprocs_blocked ");
	sb_reset(&v->buf);
	if ((ret = proc_read(v->mem_fd, &v->buf)))
		return ret;
	c->memfree = field(v->buf.buf, "MemFree:");
	c->buffers = field(v->buf.buf, "Buffers:");
	c->cached = field(v->buf.buf, "\nCached:");
	c->sreclaimable = field(v->buf.buf, "SReclaimable:");
	c->swaptotal = field(v->buf.buf, "SwapTotal:");
	c->swapfree = field(v->buf.buf, "SwapFree:");
	sb_reset(&v->buf);
	if ((ret = proc_read(v->vm_fd, &v->buf)))
		return ret;
	c->pswpin = field(v->buf.buf, "pswpin ");
	c->pswpout = field(v->buf.buf, "pswpout ");
	c->pgpgin = field(v->buf.buf, "pgpgin ");
	c->pgpgout = field(v->buf.buf, "pgpgout ");
	return 0;
}

static unsigned pct(unsigned long long part, unsigned long long total)
{
	return total ? (unsigned)((200 * part + total) / (2 * total)) : 0;	/* rounded */
}

static void line(struct vmstat *v, struct strbuf *out, const struct counters *c,
		 const struct counters *base, double secs)
{
	unsigned long long d[8], total = 0;

	for (int i = 0; i < 8; i++) {
		d[i] = c->cpu[i] - (base ? base->cpu[i] : 0);
		total += d[i];
	}
	if (secs <= 0)
		secs = 1;
#define RATE(f) ((unsigned long)((c->f - (base ? base->f : 0)) / secs + 0.5))
	sb_addf(out, "%2lu %2lu %6llu %6llu %6llu %6llu %4lu %4lu %5lu %5lu %4lu %4lu %2u %2u %2u %2u %2u\n",
		c->running, c->blocked, c->swaptotal - c->swapfree, c->memfree, c->buffers,
		c->cached + c->sreclaimable,
		(unsigned long)((c->pswpin - (base ? base->pswpin : 0)) * v->kb_per_page / secs + 0.5),
		(unsigned long)((c->pswpout - (base ? base->pswpout : 0)) * v->kb_per_page / secs + 0.5),
		RATE(pgpgin), RATE(pgpgout), RATE(intr), RATE(ctxt),
		pct(d[0] + d[1], total), pct(d[2] + d[5] + d[6], total), pct(d[3], total),
		pct(d[4], total), pct(d[7], total));
#undef RATE
}

static int init(void *state, struct strbuf *out, double interval)
{
	struct vmstat *v = state;
	const char *files[] = { "/proc/stat", "/proc/meminfo", "/proc/vmstat", "/proc/uptime" };
	int *fds[] = { &v->stat_fd, &v->mem_fd, &v->vm_fd, &v->up_fd };

	sb_init(&v->buf);
	for (int i = 0; i < 4; i++) {
		*fds[i] = proc_open(files[i]);
		if (*fds[i] < 0) {
			int e = -*fds[i];
			for (int j = 0; j < i; j++)
				close(*fds[j]);
			return err_errno(e, "monitor vmstat: cannot read %s", files[i]);
		}
	}
	v->kb_per_page = sysconf(_SC_PAGESIZE) / 1024;
	sb_adds(out, "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n"
		     " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n");
	return 0;
}

static int sample(void *state, struct strbuf *out, double interval)
{
	struct vmstat *v = state;
	struct counters c;
	int ret = read_counters(v, &c);

	if (ret)
		return ret;
	if (!v->have_prev) {
		double uptime = 1;
		sb_reset(&v->buf);
		if (proc_read(v->up_fd, &v->buf) == 0)
			uptime = strtod(v->buf.buf, NULL);
		line(v, out, &c, NULL, uptime);
		v->have_prev = 1;
	} else {
		line(v, out, &c, &v->prev, interval);
	}
	v->prev = c;
	return 0;
}

static void fini(void *state)
{
	struct vmstat *v = state;

	close(v->stat_fd);
	close(v->mem_fd);
	close(v->vm_fd);
	close(v->up_fd);
	sb_release(&v->buf);
}

const struct sampler_ops sampler_vmstat = { "vmstat", sizeof(struct vmstat), init, sample, fini };
