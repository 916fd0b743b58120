/* model: the precopy live-migration model of Hirofuchi et al. (CloudCom
 * 2013): X0 = M, Xk = min(D * X(k-1) / B, W); stop when Xk <= B * tau,
 * whose last round is sent while the guest is paused. Total time = sum
 * X / B, data = sum X, downtime ~ Xn / B. When the rounds stop shrinking
 * (D >= B with W above B * tau) it never converges. */
#include <stdio.h>
#include <string.h>

#include "migmon.h"
#include "options.h"

struct prediction predict(double mem, double dirty, double bw, double wss, double tau)
{
	struct prediction p = { 0 };
	double x = mem, limit = bw * tau;

	p.data_mb = x;
	while (x > limit) {
		double next = dirty * x / bw;
		if (next > wss)
			next = wss;
		if (next >= x || p.rounds > 10000)
			return p;	/* not shrinking: never fits the downtime */
		x = next;
		p.data_mb += x;
		p.rounds++;
	}
	p.converges = 1;
	p.seconds = p.data_mb / bw;
	p.downtime_s = x / bw;
	return p;
}

int cmd_model(int argc, char **argv)
{
	double mem = 0, dirty = -1, bw = 0, wss = 0, tau_ms = 300;
	static const struct opt_usage u = {
		"mig-mon model", "-m MEMORY_MB -d DIRTY_MB/s -b BANDWIDTH_MB/s [-w WSS_MB] [-t DOWNTIME_MS]",
		"Predict a precopy migration (Hirofuchi et al. 2013): rounds, time, data and\n"
		"downtime, or that it does not converge.\n", NULL };
	const struct opt opts[] = {
		OPT_POSITIVE('m', NULL, &mem, "MEMORY_MB", "the guest's memory"),
		OPT_NUMBER('d', NULL, &dirty, "DIRTY_MB/s", 0, 1e12, "the dirty rate (0: an idle guest)"),
		OPT_POSITIVE('b', NULL, &bw, "BANDWIDTH_MB/s", "the migration bandwidth"),
		OPT_POSITIVE('w', NULL, &wss, "WSS_MB", "the working set (default: all memory)"),
		OPT_POSITIVE('t', NULL, &tau_ms, "DOWNTIME_MS", "the downtime limit (default 300)"),
		OPT_END()
	};
	int first = opt_parse(argc, argv, opts, &u, 0);

	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (first != argc)
		return bench_usage_error("argument", argv[first], "model takes no arguments");
	if (mem <= 0 || dirty < 0 || bw <= 0) {
		fprintf(stderr, "mig-mon model: -m MEMORY_MB -d DIRTY_MB/s -b BANDWIDTH_MB/s are needed "
			"([-w WORKING_SET_MB] [-t MAX_DOWNTIME_MS, 300])\n");
		return 2;
	}
	if (wss <= 0 || wss > mem)
		wss = mem;
	struct prediction p = predict(mem, dirty, bw, wss, tau_ms / 1000);
	if (!p.converges) {
		printf("model: no convergence: dirty rate %.1f MB/s >= bandwidth %.1f MB/s and the working set "
		       "%.1f MB exceeds what %.0f ms of downtime can send (%.1f MB)\n",
		       dirty, bw, wss, tau_ms, bw * tau_ms / 1000);
		return 0;
	}
	printf("model: rounds %d, total %.3f s, data %.1f MB, downtime %.1f ms\n",
	       p.rounds, p.seconds, p.data_mb, p.downtime_s * 1000);
	return 0;
}
