#include "sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"

static const struct sampler_ops *const all[] = {
	&sampler_vmstat, &sampler_mpstat, &sampler_iostat, &sampler_top, &sampler_df,
	&sampler_proc_vmstat, &sampler_proc_meminfo, &sampler_proc_interrupts,
	&sampler_proc_stat, &sampler_proc_buddyinfo, &sampler_proc_zoneinfo,
	&sampler_proc_net_dev, &sampler_proc_schedstat, &sampler_slabinfo,
	&sampler_numa_meminfo, NULL
};

const struct sampler_ops *sampler_find(const char *name)
{
	for (int i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

void sampler_list(struct strbuf *out)
{
	for (int i = 0; all[i]; i++)
		sb_addf(out, "%s%s", i ? " " : "", all[i]->name);
}

int proc_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int proc_read(int fd, struct strbuf *out)
{
	/* /proc files regenerate their text when read again from offset 0 */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	return read_fd(fd, out);
}

void time_line(struct strbuf *out, const char *suffix)
{
	sb_addf(out, "time: %ld%s%s\n", (long)time(NULL), suffix ? " " : "", suffix ? suffix : "");
}

void sysstat_banner(struct strbuf *out)
{
	struct utsname u;
	char host[256] = "";
	time_t t = time(NULL);
	struct tm tm;

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	localtime_r(&t, &tm);
	/* sysstat's C-locale date: two-digit year */
	sb_addf(out, "%s %s (%s) \t%02d/%02d/%02d \t_%s_\t(%ld CPU)\n\n", u.sysname, u.release,
		host, tm.tm_mon + 1, tm.tm_mday, tm.tm_year % 100, u.machine,
		sysconf(_SC_NPROCESSORS_ONLN));
}
