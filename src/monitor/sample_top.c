/* top: the batch output of procps's `top -b -d INTERVAL` (summary and the
 * task table, sorted by %CPU), with MMTests's "time: EPOCH full" line
 * before each frame. Per-task CPU comes from /proc/<pid>/stat deltas. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "log.h"
#include "sampler.h"
#include "xalloc.h"

struct task {
	int pid;
	char comm[32];
	char state;
	long prio, nice;
	unsigned long long vsize_kb, rss_kb, shr_kb;
	unsigned long long ticks;	/* utime + stime */
	double cpu;			/* % over the interval */
	unsigned uid;
};

struct top {
	int stat_fd, mem_fd, load_fd, up_fd;
	unsigned long long cpu_prev[8];
	struct task *prev;
	int nprev;
	long hz, page_kb;
	struct strbuf buf;
	struct { unsigned uid; char name[32]; } users[64];
	int nusers;
};

static const char *user_name(struct top *t, unsigned uid)
{
	for (int i = 0; i < t->nusers; i++)
		if (t->users[i].uid == uid)
			return t->users[i].name;
	int i = t->nusers < 64 ? t->nusers++ : 63;
	struct passwd *pw = getpwuid(uid);
	t->users[i].uid = uid;
	if (pw)
		snprintf(t->users[i].name, sizeof(t->users[i].name), "%s", pw->pw_name);
	else
		snprintf(t->users[i].name, sizeof(t->users[i].name), "%u", uid);
	return t->users[i].name;
}

/* Read a small /proc file; uid (when not NULL) gets the file's owner,
 * which for /proc/PID/stat is the task's uid. */
static int read_small(const char *path, char *buf, size_t size, unsigned *uid)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	struct stat st;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	if (uid && fstat(fd, &st) == 0)
		*uid = st.st_uid;
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static int read_task(struct top *t, int pid, struct task *k)
{
	char path[64], buf[1024], *p, *q;
	unsigned long long utime, stime, vsize, rss;
	struct stat_fields { char state; } s;

	unsigned uid = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof(buf), &uid) < 0)
		return -1;
	/* comm is in parentheses and may hold spaces: split at the last ')' */
	p = strchr(buf, '(');
	q = strrchr(buf, ')');
	if (!p || !q)
		return -1;
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->uid = uid;
	snprintf(k->comm, sizeof(k->comm), "%.*s", (int)(q - p - 1), p + 1);
	if (sscanf(q + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %ld %ld %*d %*d %*u %llu %llu",
		   &s.state, &utime, &stime, &k->prio, &k->nice, &vsize, &rss) != 7)
		return -1;
	k->state = s.state;
	k->ticks = utime + stime;
	k->vsize_kb = vsize / 1024;
	k->rss_kb = rss * t->page_kb;
	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	if (read_small(path, buf, sizeof(buf), NULL) > 0) {
		unsigned long long sz, res, shr;
		if (sscanf(buf, "%llu %llu %llu", &sz, &res, &shr) == 3)
			k->shr_kb = shr * t->page_kb;
	}
	return 0;
}

static int cmp_task(const void *a, const void *b)
{
	const struct task *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu > y->cpu ? -1 : 1;
	return x->pid - y->pid;
}

static void uptime_text(char *buf, size_t size, double up)
{
	long m = (long)up / 60, d = m / 1440, h = (m / 60) % 24;
	int n = 0;

	m %= 60;
	if (d)
		n = snprintf(buf, size, "%ld day%s, ", d, d == 1 ? "" : "s");
	if (h)
		snprintf(buf + n, size - n, "%2ld:%02ld", h, m);
	else
		snprintf(buf + n, size - n, "%ld min", m);
}

static int users_logged_in(void)
{
	struct utmpx *u;
	int n = 0;

	setutxent();
	while ((u = getutxent()))
		n += u->ut_type == USER_PROCESS;
	endutxent();
	return n;
}

static unsigned long long mfield(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static int init(void *state, struct strbuf *out, double interval)
{
	struct top *t = state;
	const char *files[] = { "/proc/stat", "/proc/meminfo", "/proc/loadavg", "/proc/uptime" };
	int *fds[] = { &t->stat_fd, &t->mem_fd, &t->load_fd, &t->up_fd };

	sb_init(&t->buf);
	for (int i = 0; i < 4; i++) {
		*fds[i] = proc_open(files[i]);
		if (*fds[i] < 0) {
			int e = -*fds[i];
			for (int j = 0; j < i; j++)
				close(*fds[j]);
			return err_errno(e, "monitor top: cannot read %s", files[i]);
		}
	}
	t->hz = sysconf(_SC_CLK_TCK);
	t->page_kb = sysconf(_SC_PAGESIZE) / 1024;
	return 0;
}

static int sample(void *state, struct strbuf *out, double interval)
{
	struct top *t = state;
	struct task *tasks = NULL;
	int n = 0, cap = 0, counts[4] = { 0 };
	DIR *d = opendir("/proc");
	struct dirent *e;
	unsigned long long cpu[8] = { 0 }, dc[8], total = 0;
	char ts[16], up[64];
	time_t now = time(NULL);
	struct tm tm;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			tasks = xrealloc(tasks, cap * sizeof(*tasks));
		}
		if (read_task(t, (int)strtol(e->d_name, NULL, 10), &tasks[n]) == 0)	/* digits: checked above */
			n++;
	}
	closedir(d);
	for (int i = 0; i < n; i++) {
		struct task *k = &tasks[i];
		for (int j = 0; j < t->nprev; j++) {
			if (t->prev[j].pid == k->pid && t->prev[j].ticks <= k->ticks) {
				k->cpu = 100.0 * (k->ticks - t->prev[j].ticks) / t->hz / (interval > 0 ? interval : 1);
				break;
			}
		}
		switch (k->state) {
		case 'R': counts[0]++; break;
		case 'T': case 't': counts[2]++; break;
		case 'Z': counts[3]++; break;
		default: counts[1]++;
		}
	}
	qsort(tasks, n, sizeof(*tasks), cmp_task);

	sb_reset(&t->buf);
	proc_read(t->stat_fd, &t->buf);
	sscanf(t->buf.buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &cpu[0], &cpu[1], &cpu[2],
	       &cpu[3], &cpu[4], &cpu[5], &cpu[6], &cpu[7]);
	for (int i = 0; i < 8; i++) {
		dc[i] = cpu[i] - t->cpu_prev[i];
		total += dc[i];
	}
	memcpy(t->cpu_prev, cpu, sizeof(cpu));
	double ct = total ? (double)total : 1;

	sb_reset(&t->buf);
	proc_read(t->up_fd, &t->buf);
	uptime_text(up, sizeof(up), strtod(t->buf.buf, NULL));
	sb_reset(&t->buf);
	proc_read(t->load_fd, &t->buf);
	double l1 = 0, l5 = 0, l15 = 0;
	sscanf(t->buf.buf, "%lf %lf %lf", &l1, &l5, &l15);
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	int users = users_logged_in();

	time_line(out, "full");
	sb_addf(out, "top - %s up %s,  %d user%s,  load average: %.2f, %.2f, %.2f\n", ts, up, users,
		users == 1 ? "" : "s", l1, l5, l15);
	sb_addf(out, "Tasks: %3d total, %3d running, %3d sleeping, %3d stopped, %3d zombie\n", n,
		counts[0], counts[1], counts[2], counts[3]);
	sb_addf(out, "%%Cpu(s):%5.1f us,%5.1f sy,%5.1f ni,%5.1f id,%5.1f wa,%5.1f hi,%5.1f si,%5.1f st \n",
		100 * dc[0] / ct, 100 * dc[2] / ct, 100 * dc[1] / ct, 100 * dc[3] / ct,
		100 * dc[4] / ct, 100 * dc[5] / ct, 100 * dc[6] / ct, 100 * dc[7] / ct);
	sb_reset(&t->buf);
	proc_read(t->mem_fd, &t->buf);
	double mt = mfield(t->buf.buf, "MemTotal:") / 1024.0, mf = mfield(t->buf.buf, "MemFree:") / 1024.0;
	double bc = (mfield(t->buf.buf, "Buffers:") + mfield(t->buf.buf, "\nCached:") +
		     mfield(t->buf.buf, "SReclaimable:")) / 1024.0;
	double st = mfield(t->buf.buf, "SwapTotal:") / 1024.0, sf = mfield(t->buf.buf, "SwapFree:") / 1024.0;
	double avail = mfield(t->buf.buf, "MemAvailable:") / 1024.0;
	sb_addf(out, "MiB Mem : %8.1f total, %8.1f free, %8.1f used, %8.1f buff/cache     \n", mt, mf,
		mt - mf - bc, bc);
	sb_addf(out, "MiB Swap: %8.1f total, %8.1f free, %8.1f used. %8.1f avail Mem \n\n", st, sf,
		st - sf, avail);
	sb_adds(out, "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n");
	for (int i = 0; i < n; i++) {
		struct task *k = &tasks[i];
		unsigned long long cs = k->ticks * 100 / t->hz;	/* centiseconds */
		char tbuf[32], pr[24];
		snprintf(tbuf, sizeof(tbuf), "%llu:%02llu.%02llu", cs / 6000, cs / 100 % 60, cs % 100);
		if (k->prio < -99)
			snprintf(pr, sizeof(pr), "rt");
		else
			snprintf(pr, sizeof(pr), "%ld", k->prio);
		sb_addf(out, "%5d %-8.8s %3s %3ld %7llu %6llu %6llu %c %5.1f %5.1f %9s %s\n", k->pid,
			user_name(t, k->uid), pr, k->nice, k->vsize_kb, k->rss_kb, k->shr_kb, k->state,
			k->cpu, mt > 0 ? 100.0 * k->rss_kb / 1024.0 / mt : 0, tbuf, k->comm);
	}
	sb_addc(out, '\n');
	free(t->prev);
	t->prev = tasks;
	t->nprev = n;
	return 0;
}

static void fini(void *state)
{
	struct top *t = state;

	close(t->stat_fd);
	close(t->mem_fd);
	close(t->load_fd);
	close(t->up_fd);
	free(t->prev);
	sb_release(&t->buf);
}

const struct sampler_ops sampler_top = { "top", sizeof(struct top), init, sample, fini };
