/* proc-* monitors: "time: EPOCH" then the file, as MMTests's
 * watch-proc-*.sh (`echo time: $(date +%s); cat /proc/...`). */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sampler.h"

#define MAXFILES 64

struct procfile {
	int fd[MAXFILES];
	int n;
};

static int open_pattern(struct procfile *p, const char *pattern, const char *name)
{
	glob_t g;

	p->n = 0;
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && p->n < MAXFILES; i++) {
			int fd = proc_open(g.gl_pathv[i]);
			if (fd < 0) {
				err_errno(-fd, "monitor %s: cannot read %s", name, g.gl_pathv[i]);
				while (p->n)
					close(p->fd[--p->n]);
				globfree(&g);
				return fd;
			}
			p->fd[p->n++] = fd;
		}
		globfree(&g);
	}
	if (!p->n) {
		err_msg("monitor %s: %s does not exist on this machine", name, pattern);
		return -ENOENT;
	}
	return 0;
}

static int sample(void *state, struct strbuf *out, double interval)
{
	struct procfile *p = state;

	time_line(out, NULL);
	for (int i = 0; i < p->n; i++) {
		int ret = proc_read(p->fd[i], out);
		if (ret)
			return ret;
	}
	return 0;
}

static void fini(void *state)
{
	struct procfile *p = state;

	for (int i = 0; i < p->n; i++)
		close(p->fd[i]);
}

#define PROCFILE(sym, mname, path)						\
	static int init_##sym(void *state, struct strbuf *out, double interval) \
	{									\
		return open_pattern(state, path, mname);			\
	}									\
	const struct sampler_ops sampler_##sym = {				\
		mname, sizeof(struct procfile), init_##sym, sample, fini	\
	}

PROCFILE(proc_vmstat, "proc-vmstat", "/proc/vmstat");
PROCFILE(proc_meminfo, "proc-meminfo", "/proc/meminfo");
PROCFILE(proc_interrupts, "proc-interrupts", "/proc/interrupts");
PROCFILE(proc_stat, "proc-stat", "/proc/stat");
PROCFILE(proc_buddyinfo, "proc-buddyinfo", "/proc/buddyinfo");
PROCFILE(proc_zoneinfo, "proc-zoneinfo", "/proc/zoneinfo");
PROCFILE(proc_net_dev, "proc-net-dev", "/proc/net/dev");
PROCFILE(proc_schedstat, "proc-schedstat", "/proc/schedstat");
PROCFILE(slabinfo, "slabinfo", "/proc/slabinfo");
PROCFILE(numa_meminfo, "numa-meminfo", "/sys/devices/system/node/node[0-9]*/meminfo");
