/* What the machine was when something ran: one gzip file per fact
 * (kernel, cmdline, cpuinfo, meminfo, dmesg, governor, kconfig...). */
#ifndef MMT_SYSINFO_H
#define MMT_SYSINFO_H

int sysinfo_capture(const char *dir);

#endif
