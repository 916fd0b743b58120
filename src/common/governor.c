/* The run's system settings: --performance (cpufreq governor
 * "performance", turbo off) and the config's transparent hugepages mode;
 * whatever was there is put back on every exit path. */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "governor.h"
#include "xalloc.h"

struct saved {
	char *path;
	char *value;
};

static struct saved *saved;
static int nsaved;

static int write_sys(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(value, f) < 0)
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	return ret;
}

static int set_saving(const char *path, const char *value)
{
	struct strbuf old = STRBUF_INIT;
	int ret;

	if (read_file_if_exists(path, &old))
		return -ENOENT;
	sb_trim_trailing_newlines(&old);
	/* a choice file ("always [madvise] never") is restored by its choice */
	char *open = strchr(old.buf, '['), *close = open ? strchr(open, ']') : NULL;
	if (open && close) {
		*close = '\0';
		memmove(old.buf, open + 1, close - open);
		old.len = strlen(old.buf);
	}
	ret = write_sys(path, value);
	if (ret) {
		warn_msg("cannot set %s to %s: %s", path, value, strerror(-ret));
		sb_release(&old);
		return ret;
	}
	saved = xrealloc(saved, (nsaved + 1) * sizeof(*saved));
	saved[nsaved].path = xstrdup(path);
	saved[nsaved].value = sb_detach(&old);
	nsaved++;
	return 0;
}

/* MMTESTS_SYSFS_ROOT lets tests point this at a fake /sys. */
static char *sys_path(const char *rel)
{
	const char *root = getenv("MMTESTS_SYSFS_ROOT");

	return xasprintf("%s/sys/devices/system/cpu/%s", root ? root : "", rel);
}

int governor_set_performance(void)
{
	char *pattern = sys_path("cpu[0-9]*/cpufreq/scaling_governor");
	char *no_turbo = sys_path("intel_pstate/no_turbo");
	char *boost = sys_path("cpufreq/boost");
	glob_t g;
	int set = 0;

	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			set += set_saving(g.gl_pathv[i], "performance") == 0;
		globfree(&g);
	}
	if (!set) {
		info_msg("--performance: this machine has no cpufreq governor to set; going on");
	} else {
		info_msg("--performance: governor set to performance on %d CPUs", set);
		/* Turbo off: intel_pstate's no_turbo, or the generic boost knob. */
		if (set_saving(no_turbo, "1") && set_saving(boost, "0"))
			info_msg("--performance: no turbo control on this machine");
	}
	free(pattern);
	free(no_turbo);
	free(boost);
	return 0;
}

int thp_set_for_run(const char *mode)
{
	const char *root = getenv("MMTESTS_SYSFS_ROOT");
	char *path = xasprintf("%s/sys/kernel/mm/transparent_hugepage/enabled", root ? root : "");
	int ret = 0;

	if (strcmp(mode, "always") && strcmp(mode, "madvise") && strcmp(mode, "never")) {
		warn_msg("VM_TRANSPARENT_HUGEPAGES_DEFAULT='%s' ignored: use always, madvise, never or default", mode);
		ret = -EINVAL;
	} else if ((ret = set_saving(path, mode)) == -ENOENT) {
		warn_msg("the config asks for transparent hugepages '%s' but this kernel has none (%s)", mode, path);
	} else if (!ret) {
		info_msg("transparent hugepages: %s for the run", mode);
	}
	free(path);
	return ret;
}

int sysctl_set_for_run(const char *list)
{
	const char *root = getenv("MMTESTS_SYSFS_ROOT");
	char *copy = xstrdup(list), *save = NULL;
	int bad = 0;

	for (char *kv = strtok_r(copy, " \t\n", &save); kv; kv = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq || eq == kv || !eq[1]) {
			warn_msg("TUNING_SYSCTL: '%s' ignored: use name=value (vm.dirty_ratio=40)", kv);
			bad = -EINVAL;
			continue;
		}
		*eq = '\0';
		char *path = xasprintf("%s/proc/sys/%s", root ? root : "", kv);
		for (char *p = path + strlen(path) - strlen(kv); *p; p++)
			if (*p == '.')
				*p = '/';
		int ret = set_saving(path, eq + 1);
		if (ret == -ENOENT) {
			warn_msg("TUNING_SYSCTL: this kernel has no %s (%s): not set", kv, path);
			bad = ret;
		} else if (ret) {
			bad = ret;
		} else {
			info_msg("sysctl %s = %s for the run", kv, eq + 1);
		}
		free(path);
	}
	free(copy);
	return bad;
}

void governor_restore(void)
{
	for (int i = nsaved - 1; i >= 0; i--) {
		if (write_sys(saved[i].path, saved[i].value))
			warn_msg("cannot restore %s to %s", saved[i].path, saved[i].value);
		free(saved[i].path);
		free(saved[i].value);
	}
	free(saved);
	saved = NULL;
	nsaved = 0;
}
