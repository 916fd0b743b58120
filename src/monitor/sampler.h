/* Built-in monitors: sample /proc and /sys in-process, no child process.
 * Each writes the text the classic tool prints, so readers written for
 * MMTests's logs parse ours the same. */
#ifndef MMT_SAMPLER_H
#define MMT_SAMPLER_H

#include <stddef.h>

#include "strbuf.h"

struct sampler_ops {
	const char *name;
	size_t state_size;
	/* Set up; may write a header. -errno with a message when the data
	 * source is missing or not readable. */
	int (*init)(void *state, struct strbuf *out, double interval);
	/* Append this tick's text. */
	int (*sample)(void *state, struct strbuf *out, double interval);
	void (*fini)(void *state);
};

const struct sampler_ops *sampler_find(const char *name);
/* Space-separated names of the built-in monitors. */
void sampler_list(struct strbuf *out);

/* Helpers for samplers. */
int proc_open(const char *path);
/* Read the whole file at offset 0 (a kept-open /proc file) into out. */
int proc_read(int fd, struct strbuf *out);
void time_line(struct strbuf *out, const char *suffix);	/* "time: EPOCH[ suffix]\n" */
/* "Linux 6.1 (host) \t11/23/26 \t_x86_64_\t(2 CPU)" and a blank line. */
void sysstat_banner(struct strbuf *out);

extern const struct sampler_ops sampler_vmstat, sampler_mpstat, sampler_iostat, sampler_top,
	sampler_df, sampler_proc_vmstat, sampler_proc_meminfo, sampler_proc_interrupts,
	sampler_proc_stat, sampler_proc_buddyinfo, sampler_proc_zoneinfo, sampler_proc_net_dev,
	sampler_proc_schedstat, sampler_slabinfo, sampler_numa_meminfo;

#endif
