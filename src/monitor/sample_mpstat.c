/* mpstat: the layout of sysstat's `mpstat -P ALL -u INTERVAL` in the C
 * locale, with MMTests's "time: EPOCH" line after each blank line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sampler.h"
#include "xalloc.h"

#define NF 10	/* user nice system idle iowait irq softirq steal guest guest_nice */

struct cpu_row {
	int id;		/* -1: all */
	unsigned long long f[NF];
};

struct mpstat {
	int fd;
	struct cpu_row *prev;
	int nprev;
	struct strbuf buf;
};

static int parse(struct mpstat *m, struct cpu_row **rows)
{
	int n = 0, ret;
	char *save = NULL;

	sb_reset(&m->buf);
	if ((ret = proc_read(m->fd, &m->buf)))
		return ret;
	*rows = NULL;
	for (char *l = strtok_r(m->buf.buf, "\n", &save); l && !strncmp(l, "cpu", 3);
	     l = strtok_r(NULL, "\n", &save)) {
		struct cpu_row r;
		memset(&r, 0, sizeof(r));
		char *p = l + 3;
		r.id = *p == ' ' ? -1 : (int)strtol(p, &p, 10);
		for (int i = 0; i < NF; i++)
			r.f[i] = strtoull(p, &p, 10);
		*rows = xrealloc(*rows, (n + 1) * sizeof(**rows));
		(*rows)[n++] = r;
	}
	return n;
}

static void stamp(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
}

static const char header_cols[] =
	"    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  %gnice   %idle\n";

static int init(void *state, struct strbuf *out, double interval)
{
	struct mpstat *m = state;

	sb_init(&m->buf);
	m->fd = proc_open("/proc/stat");
	if (m->fd < 0)
		return err_errno(-m->fd, "monitor mpstat: cannot read /proc/stat");
	/* as MMTests's watch-mpstat.sh: "time:", mpstat's banner and blank
	 * line, then "time:" before each report (its ExtractMpstat.pm
	 * insists on that order). No previous sample: the first report
	 * covers the time since boot. */
	time_line(out, NULL);
	sysstat_banner(out);
	time_line(out, NULL);
	return 0;
}

static int sample(void *state, struct strbuf *out, double interval)
{
	struct mpstat *m = state;
	struct cpu_row *rows = NULL;
	int n = parse(m, &rows);
	char ts[16];

	if (n < 0)
		return n;
	stamp(ts, sizeof(ts));
	sb_addf(out, "%-11s  CPU%s", ts, header_cols);
	for (int i = 0; i < n; i++) {
		unsigned long long d[NF], total = 0;
		const struct cpu_row *p = NULL;
		for (int j = 0; j < m->nprev; j++)
			if (m->prev[j].id == rows[i].id)
				p = &m->prev[j];
		for (int k = 0; k < NF; k++)
			d[k] = rows[i].f[k] - (p && p->f[k] <= rows[i].f[k] ? p->f[k] : 0);
		/* guest time is already counted in user and nice */
		for (int k = 0; k < 8; k++)
			total += d[k];
		double t = total ? (double)total : 1;
		double usr = d[0] > d[8] ? d[0] - d[8] : 0, nice = d[1] > d[9] ? d[1] - d[9] : 0;
		if (rows[i].id < 0)
			sb_addf(out, "%-11s  all", ts);
		else
			sb_addf(out, "%-11s %4d", ts, rows[i].id);
		sb_addf(out, " %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f\n",
			100 * usr / t, 100 * nice / t, 100 * d[2] / t, 100 * d[4] / t,
			100 * d[5] / t, 100 * d[6] / t, 100 * d[7] / t, 100 * d[8] / t,
			100 * d[9] / t, 100 * d[3] / t);
	}
	sb_addc(out, '\n');
	time_line(out, NULL);
	free(m->prev);
	m->prev = rows;
	m->nprev = n;
	return 0;
}

static void fini(void *state)
{
	struct mpstat *m = state;

	close(m->fd);
	free(m->prev);
	sb_release(&m->buf);
}

const struct sampler_ops sampler_mpstat = { "mpstat", sizeof(struct mpstat), init, sample, fini };
