/* mmap-latency: what an allocating application feels while the rest of
 * the machine is under memory and writeback pressure (MMTests's stutterp).
 * Every DELAY ms it maps PAGES anonymous pages, writes each once and unmaps
 * them, until SIGTERM or SIGINT. Each latency runs from the end of one
 * map-write-unmap to the end of the next, so the pause is in every figure
 * (MMTests's measure); a line "COUNT MEAN-NS" is printed whenever one
 * reaches DELAY, COUNT being the rounds it averages. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "options.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static const struct opt_usage usage = {
	.program = "mmap-latency",
	.synopsis = "[-p PAGES] [-d MSECS]",
	.description = "Every MSECS (5) map, write and unmap PAGES (32768) anonymous pages until\n"
		       "SIGTERM/SIGINT; print \"COUNT MEAN-NS\" when a round's latency reaches MSECS.\n",
	.epilog = "Exit status: 0 stopped by a signal, 1 mmap failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	int pages = 32768, delay_ms = 5;
	const struct opt opts[] = {
		OPT_INT('p', "pages", &pages, "PAGES", 1, 1 << 26, "pages per round (default 32768)"),
		OPT_INT('d', "delay", &delay_ms, "MSECS", 1, 60000, "pause between rounds (default 5)"),
		OPT_END()
	};
	int status;

	bench_set_program("mmap-latency");
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	const size_t page = (size_t)sysconf(_SC_PAGESIZE), len = (size_t)pages * page;
	const struct timespec pause = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
	const uint64_t threshold = (uint64_t)delay_ms * 1000000u;
	uint64_t last = now_ns(), sum = 0;
	unsigned long count = 0;

	while (!stop) {
		nanosleep(&pause, NULL);
		char *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED) {
			bench_warn("mmap of %zu bytes: %m", len);
			return 1;
		}
		for (size_t off = 0; off < len; off += page)
			*(volatile uint64_t *)(map + off) = last;
		munmap(map, len);
		uint64_t end = now_ns(), latency = end - last;
		last = end;
		sum += latency;
		count++;
		if (latency >= threshold) {
			printf("%lu %llu\n", count, (unsigned long long)(sum / count));
			fflush(stdout);	/* a line per round: the log is whole when stopped */
			sum = 0;
			count = 0;
		}
	}
	return 0;
}
