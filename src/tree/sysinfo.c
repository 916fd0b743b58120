/* What the machine was when the iteration ran, one gzip file per fact. */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "fileio.h"
#include "gzfile.h"
#include "log.h"
#include "sysinfo.h"
#include "spawn.h"
#include "xalloc.h"

enum { SRC_FILE, SRC_CMD, SRC_FUNC };

struct fact {
	const char *name;	/* <name>.gz in the iteration directory */
	int kind;
	const char *arg;	/* file path, or command line for SRC_CMD */
	int (*fn)(struct strbuf *out);
};

static int get_dmesg(struct strbuf *out)
{
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */

	if (size > 0) {
		sb_grow(out, size);
		int n = klogctl(3, out->buf + out->len, size);	/* READ_ALL */
		if (n >= 0) {
			out->len += n;
			out->buf[out->len] = '\0';
			return 0;
		}
	}
	return -errno;
}

static int get_kernel(struct strbuf *out)
{
	struct utsname u;

	if (uname(&u) < 0)
		return -errno;
	sb_addf(out, "%s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
	return read_file_if_exists("/proc/version", out) == 0 ? 0 : 0;
}

static int get_governor(struct strbuf *out)
{
	glob_t g;

	if (glob("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor", 0, NULL, &g)) {
		sb_adds(out, "no cpufreq: this machine exposes no scaling_governor\n");
		return 0;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct strbuf v = STRBUF_INIT;
		if (read_file_if_exists(g.gl_pathv[i], &v) == 0)
			sb_addf(out, "%s: %s", g.gl_pathv[i], v.buf);
		sb_release(&v);
	}
	globfree(&g);
	return 0;
}

/* /sys/devices/system/cpu/cpuN/<file> as a number, or def. */
static long read_long(int cpu, const char *file, long def)
{
	char path[160];
	struct strbuf v = STRBUF_INIT;
	long r = def;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/%s", cpu, file);
	if (read_file_if_exists(path, &v) == 0 && v.len)
		r = strtol(v.buf, NULL, 10);
	sb_release(&v);
	return r;
}

static int cmp_cpu(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* cpu-topology-mmtests.txt as MMTests's list-cpu-toplogy.sh writes it,
 * "node N socket S core C thread T cpu X llc LIST" per CPU (MMTests's
 * mpstat reader needs it), from sysfs: socket the package id, core the
 * core id, thread the CPU's place among its thread siblings, llc the CPUs
 * sharing its last cache level. */
static int get_topology(struct strbuf *out)
{
	glob_t g;
	int *cpus, n = 0;

	if (glob("/sys/devices/system/cpu/cpu[0-9]*", 0, NULL, &g))
		return -ENOENT;
	cpus = xcalloc(g.gl_pathc + 1, sizeof(int));
	for (size_t i = 0; i < g.gl_pathc; i++)
		cpus[n++] = atoi(strrchr(g.gl_pathv[i], '/') + 4);
	globfree(&g);
	qsort(cpus, n, sizeof(int), cmp_cpu);
	for (int i = 0; i < n; i++) {
		int c = cpus[i], node = 0, thread = 0;
		char path[128];
		struct strbuf sib = STRBUF_INIT, llc = STRBUF_INIT;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/node[0-9]*", c);
		if (glob(path, 0, NULL, &g) == 0) {
			node = atoi(strrchr(g.gl_pathv[0], '/') + 5);
			globfree(&g);
		}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", c);
		if (read_file_if_exists(path, &sib) == 0)	/* "0-1" or "0,4": ours is the k-th */
			for (char *p = sib.buf; *p && atoi(p) != c; thread++) {
				p += strcspn(p, ",-");
				if (*p)
					p++;
			}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index[0-9]*/shared_cpu_list", c);
		if (glob(path, 0, NULL, &g) == 0) {
			read_file_if_exists(g.gl_pathv[g.gl_pathc - 1], &llc);
			globfree(&g);
		}
		llc.len = strcspn(llc.buf ? llc.buf : "", "\n");
		sb_addf(out, "node %d socket %ld core %ld thread %d cpu %d llc %.*s\n", node,
			read_long(c, "topology/physical_package_id", 0),
			read_long(c, "topology/core_id", c), thread, c,
			(int)llc.len, llc.len ? llc.buf : "");
		sb_release(&sib);
		sb_release(&llc);
	}
	free(cpus);
	return 0;
}

static const struct fact facts[] = {
	{ "dmesg", SRC_FUNC, NULL, get_dmesg },
	{ "kernel-version", SRC_FUNC, NULL, get_kernel },
	{ "cmdline", SRC_FILE, "/proc/cmdline", NULL },
	{ "os-release", SRC_FILE, "/etc/os-release", NULL },
	{ "cpuinfo", SRC_FILE, "/proc/cpuinfo", NULL },
	{ "meminfo", SRC_FILE, "/proc/meminfo", NULL },
	{ "mounts", SRC_FILE, "/proc/mounts", NULL },
	{ "modules", SRC_FILE, "/proc/modules", NULL },
	{ "cpufreq-governor", SRC_FUNC, NULL, get_governor },
	{ "lscpu", SRC_CMD, "lscpu", NULL },
	{ "numactl", SRC_CMD, "numactl --hardware", NULL },
	{ "cpu-topology-mmtests.txt", SRC_FUNC, NULL, get_topology },
};

static int run_cmd(const char *cmdline, struct strbuf *out)
{
	char *copy = xstrdup(cmdline), *argv[8], *save = NULL;
	struct strbuf err = STRBUF_INIT;
	int argc = 0, status, ret;

	for (char *t = strtok_r(copy, " ", &save); t && argc < 7; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	ret = spawn_capture(argv, NULL, out, &err, &status);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status)))
		ret = -ENOENT;	/* not installed (127) or failed: skip the fact */
	sb_release(&err);
	free(copy);
	return ret;
}

/* The kernel config: /proc/config.gz is already gzip and is copied as is. */
static int capture_kconfig(const char *iterdir)
{
	struct strbuf b = STRBUF_INIT;
	struct utsname u;
	char *dst = path_join(iterdir, "kconfig.gz");
	int ret = -ENOENT;

	if (read_file_if_exists("/proc/config.gz", &b) == 0) {
		ret = write_file_atomic(dst, b.buf, b.len);
	} else if (uname(&u) == 0) {
		char *boot = xasprintf("/boot/config-%s", u.release);
		if (read_file_if_exists(boot, &b) == 0)
			ret = gz_write_file(dst, b.buf, b.len);
		free(boot);
	}
	sb_release(&b);
	free(dst);
	return ret == -ENOENT ? 0 : ret;
}

int sysinfo_capture(const char *iterdir)
{
	int ret = 0;

	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]) && !ret; i++) {
		const struct fact *f = &facts[i];
		struct strbuf b = STRBUF_INIT;
		int got;

		if (f->kind == SRC_FILE)
			got = read_file_if_exists(f->arg, &b);
		else if (f->kind == SRC_CMD)
			got = run_cmd(f->arg, &b);
		else
			got = f->fn(&b);
		if (got == 0) {
			char *name = xasprintf("%s.gz", f->name);
			char *path = path_join(iterdir, name);
			ret = gz_write_file(path, b.buf, b.len);
			free(path);
			free(name);
		}
		sb_release(&b);
	}
	if (!ret)
		ret = capture_kconfig(iterdir);
	return ret;
}
