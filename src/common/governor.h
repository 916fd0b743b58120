/* --performance / run-kvm -p: cpufreq governor "performance" and turbo
 * off; whatever was there is put back by governor_restore(). */
#ifndef MMT_GOVERNOR_H
#define MMT_GOVERNOR_H

int governor_set_performance(void);
/* The config's VM_TRANSPARENT_HUGEPAGES_DEFAULT (always, madvise, never),
 * what MMTests's disable_transhuge and friends set: applied for the run,
 * put back by governor_restore() with the rest. */
int thp_set_for_run(const char *mode);
/* The config's TUNING_SYSCTL ("vm.dirty_ratio=40 kernel.x=y", MMTests's):
 * each set for the run, put back by governor_restore(). A name this kernel
 * lacks or a bad entry is warned about; the rest is applied. */
int sysctl_set_for_run(const char *list);
void governor_restore(void);

#endif
