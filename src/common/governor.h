/* --performance / run-kvm -p: cpufreq governor "performance" and turbo
 * off; whatever was there is put back by governor_restore(). */
#ifndef MMT_GOVERNOR_H
#define MMT_GOVERNOR_H

int governor_set_performance(void);
void governor_restore(void);

#endif
