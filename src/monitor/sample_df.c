/* df: `df -k` of the mounted real filesystems, after "time: EPOCH". */
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "log.h"
#include "sampler.h"

static const char *const virtual_fs[] = {
	"proc", "sysfs", "devpts", "cgroup", "cgroup2", "securityfs", "pstore", "debugfs",
	"tracefs", "mqueue", "hugetlbfs", "configfs", "fusectl", "bpf", "autofs", "binfmt_misc",
	"rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", NULL
};

static int is_virtual(const char *type)
{
	for (int i = 0; virtual_fs[i]; i++)
		if (!strcmp(type, virtual_fs[i]))
			return 1;
	return 0;
}

static int init(void *state, struct strbuf *out, double interval)
{
	FILE *f = setmntent("/proc/mounts", "r");

	if (!f)
		return err_errno(errno, "monitor df: cannot read /proc/mounts");
	endmntent(f);
	return 0;
}

static int sample(void *state, struct strbuf *out, double interval)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *m;

	if (!f)
		return -errno;
	time_line(out, NULL);
	sb_adds(out, "Filesystem     1K-blocks      Used Available Use% Mounted on\n");
	while ((m = getmntent(f))) {
		struct statvfs s;
		if (is_virtual(m->mnt_type) || statvfs(m->mnt_dir, &s) || !s.f_blocks)
			continue;
		unsigned long long k = s.f_frsize / 1024 ? s.f_frsize / 1024 : 1;
		unsigned long long size = s.f_blocks * k, avail = s.f_bavail * k;
		unsigned long long used = (s.f_blocks - s.f_bfree) * k;
		unsigned long long denom = used + avail;
		unsigned pct = denom ? (unsigned)((used * 100 + denom - 1) / denom) : 0;	/* df rounds up */
		sb_addf(out, "%-14s %9llu %9llu %9llu %3u%% %s\n", m->mnt_fsname, size, used, avail,
			pct, m->mnt_dir);
	}
	endmntent(f);
	return 0;
}

const struct sampler_ops sampler_df = { "df", 0, init, sample, NULL };
