/* memory-hog: anonymous-memory pressure for MMTests's stutterp. Maps BYTES
 * (anonymous, or shared on FILE -- a tmpfs file, removed at once) and
 * writes every page over and over until SIGTERM or SIGINT, printing each
 * pass's duration in ms; with --pause, a steady background user of its
 * memory instead (MMTests's postmark consumer: a pass every 15 s). */
#include <fcntl.h>
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

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + ts.tv_nsec / 1000000;
}

static const struct opt_usage usage = {
	.program = "memory-hog",
	.synopsis = "-s BYTES [-f FILE] [-p SECONDS]",
	.description = "Write every page of a BYTES mapping (anonymous, or shared on FILE) over and\n"
		       "over until SIGTERM/SIGINT, pausing SECONDS between passes; print each\n"
		       "pass's duration in ms.\n",
	.epilog = "Exit status: 0 stopped by a signal, 1 mapping failed, 2 bad usage.\n",
};

int main(int argc, char **argv)
{
	const char *size_arg = NULL, *file = NULL;
	int pause_s = 0;
	const struct opt opts[] = {
		OPT_STRING('s', "size", &size_arg, "BYTES", "the mapping (k, m, g)"),
		OPT_STRING('f', "file", &file, "FILE", "map this file (created, sized, removed) instead"),
		OPT_INT('p', "pause", &pause_s, "SECONDS", 0, 86400, "sleep between passes (default 0)"),
		OPT_END()
	};
	uint64_t size;
	int status, fd = -1, flags = MAP_PRIVATE | MAP_ANONYMOUS;

	bench_set_program("memory-hog");
	if (bench_options(argc, argv, opts, &usage, 1, &status) < 0)
		return status;
	if (!size_arg || parse_bytes(size_arg, 1, &size) || size == 0)
		return bench_usage_error("--size", size_arg ? size_arg : "(none)", "a size of at least 1 byte (k, m, g)");
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (file) {
		fd = open(file, O_CREAT | O_TRUNC | O_RDWR, 0600);
		if (fd < 0 || ftruncate(fd, (off_t)size)) {
			bench_warn("%s: %m", file);
			return 1;
		}
		unlink(file);	/* the mapping keeps it */
		flags = MAP_SHARED;
	}
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (map == MAP_FAILED) {
		bench_warn("mmap of %llu bytes: %m", (unsigned long long)size);
		return 1;
	}
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	while (!stop) {
		uint64_t t0 = now_ms();
		for (size_t off = 0; off < size && !stop; off += page)
			*(volatile uintptr_t *)(map + off) = (uintptr_t)(map + off);
		printf("%llu\n", (unsigned long long)(now_ms() - t0));
		fflush(stdout);
		for (int i = 0; i < pause_s && !stop; i++)
			sleep(1);	/* (a signal ends the sleep early) */
	}
	munmap(map, size);
	if (fd >= 0)
		close(fd);
	return 0;
}
