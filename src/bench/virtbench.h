/* virtbench: the test table's shape and the network tests (virtbench_net.c). */
#ifndef MMT_VIRTBENCH_H
#define MMT_VIRTBENCH_H

#include <stddef.h>

#include "benchlib.h"

/* Each test: run n operations (n = 0: the harness alone). */
struct test {
	const char *name;
	const char *what;
	int (*run)(long n);
	size_t bytes;		/* moved per operation: the summary adds MB/s */
	int net;		/* talks to the sink */
};

/* The sink: forked on 127.0.0.1 when target is NULL, else HOST:PORT. */
int net_prepare(const char *target);
void net_cleanup(void);
int run_sink(const char *spec);
int t_tcp_bandwidth(long n);
int t_ping_pong(long n);
int t_sendfile(long n);
int t_udp_bandwidth(long n);
void udp_report(void);

#endif
