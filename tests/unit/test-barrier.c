/* The barrier over real sockets (TCP, unix) and a pty standing in for a
 * virtio-serial port, with many guests arriving at once. */
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "barrier.h"
#include "spawn.h"
#include "sync_client.h"
#include "tap.h"
#include "xalloc.h"

struct guest {
	struct sync_endpoint ep;
	char name[16];
	const char *secret;
	int rounds;
	int failures;
};

static void *guest_run(void *arg)
{
	struct guest *g = arg;
	const char *toks[] = { "mmtests_start", "test_do", "iteration_begin", "iteration_end", "test_done" };

	for (int i = 0; i < g->rounds; i++)
		if (sync_wait(&g->ep, g->name, g->secret, toks[i % 5]))
			g->failures++;
	return NULL;
}

static int run_guests(struct sync_endpoint *ep, int n, int rounds, const char *secret)
{
	pthread_t *t = xcalloc(n, sizeof(*t));
	struct guest *g = xcalloc(n, sizeof(*g));
	int failures = 0;

	for (int i = 0; i < n; i++) {
		g[i].ep = *ep;
		snprintf(g[i].name, sizeof(g[i].name), "g%d", i);
		g[i].secret = secret;
		g[i].rounds = rounds;
		pthread_create(&t[i], NULL, guest_run, &g[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		failures += g[i].failures;
	}
	free(t);
	free(g);
	return failures;
}

struct waiter {
	struct sync_endpoint ep;
	int ret;
	double released;
};

static void *wait_one(void *arg)
{
	struct waiter *w = arg;

	w->ret = sync_wait(&w->ep, "a", "s3cret", "test_do");
	w->released = monotonic_now();
	return NULL;
}

int main(void)
{
	struct sync_endpoint ep;
	unsigned port;
	char spec[128];

	/* 3 guests, 10 sync points over TCP */
	struct barrier *b = barrier_new("s3cret", NULL);
	for (int i = 0; i < 64; i++) {
		char n[16];
		snprintf(n, sizeof(n), "g%d", i);
		if (i < 3)
			barrier_add_member(b, n, NULL);
	}
	ok(barrier_listen_tcp(b, "127.0.0.1", 0, &port) == 0, "listen on 127.0.0.1:%u", port);
	ok(barrier_start(b) == 0, "server thread");
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	ok(sync_endpoint_parse(spec, &ep) == 0, "parse %s", spec);
	is_num(run_guests(&ep, 3, 10, "s3cret"), 0, 0, "3 guests pass 10 barriers");
	is_num(barrier_releases(b), 10, 0, "10 releases, none lost, none extra");
	ok(sync_wait(&ep, "g1", "wrong", "test_do") == -EACCES, "a wrong secret is refused");
	ok(sync_wait(&ep, "g99", "s3cret", "test_do") == -EACCES, "an unknown VM is refused");
	barrier_free(b);

	/* 64 guests arriving together, 20 times: nothing lost */
	b = barrier_new("s3cret", NULL);
	for (int i = 0; i < 64; i++) {
		char n[16];
		snprintf(n, sizeof(n), "g%d", i);
		barrier_add_member(b, n, NULL);
	}
	barrier_listen_tcp(b, "127.0.0.1", 0, &port);
	barrier_start(b);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	sync_endpoint_parse(spec, &ep);
	is_num(run_guests(&ep, 64, 20, "s3cret"), 0, 0, "64 simultaneous guests pass 20 barriers");
	is_num(barrier_releases(b), 20, 0, "exactly 20 releases");
	barrier_free(b);

	/* a lost member releases the others */
	b = barrier_new("s3cret", NULL);
	barrier_add_member(b, "a", NULL);
	barrier_add_member(b, "b", NULL);
	char sock[] = "/tmp/mmt-barrier-XXXXXX";
	int tmpfd = mkstemp(sock);
	close(tmpfd);
	ok(barrier_listen_unix(b, sock) == 0, "listen on a unix socket");
	barrier_start(b);
	snprintf(spec, sizeof(spec), "unix:%s", sock);
	struct waiter w;
	sync_endpoint_parse(spec, &w.ep);
	pthread_t t;
	pthread_create(&t, NULL, wait_one, &w);
	usleep(200 * 1000);
	double lost_at = monotonic_now();
	barrier_member_lost(b, "b", "test: VM destroyed");
	pthread_join(t, NULL);
	ok(w.ret == 0, "the waiting guest is released when the other VM is lost");
	ok(w.released - lost_at < 0.5, "within %.3f s", w.released - lost_at);
	ok(sync_wait(&w.ep, "b", "s3cret", "test_do") == -EACCES, "the lost VM cannot come back");
	barrier_free(b);
	unlink(sock);

	/* a pty stands in for a virtio-serial port: one persistent stream */
	int master, slave;
	char devname[64];
	ok(openpty(&master, &slave, devname, NULL, NULL) == 0, "pty for the serial transport");
	struct termios tio;
	tcgetattr(slave, &tio);
	cfmakeraw(&tio);
	tcsetattr(slave, TCSANOW, &tio);
	b = barrier_new("s3cret", NULL);
	barrier_add_member(b, "ser", NULL);
	barrier_add_member(b, "net", NULL);
	barrier_listen_tcp(b, "127.0.0.1", 0, &port);
	ok(barrier_attach(b, "ser", master) == 0, "attach the channel to VM ser");
	barrier_start(b);
	struct sync_endpoint sep, tep;
	snprintf(spec, sizeof(spec), "serial:%s", devname);
	sync_endpoint_parse(spec, &sep);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	sync_endpoint_parse(spec, &tep);
	struct guest gs = { .ep = sep, .name = "ser", .secret = "s3cret", .rounds = 5 };
	struct guest gn = { .ep = tep, .name = "net", .secret = "s3cret", .rounds = 5 };
	pthread_t t1, t2;
	pthread_create(&t1, NULL, guest_run, &gs);
	pthread_create(&t2, NULL, guest_run, &gn);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	ok(gs.failures == 0 && gn.failures == 0, "serial and TCP guests pass 5 barriers together");
	is_num(barrier_releases(b), 5, 0, "5 releases over mixed transports");
	barrier_free(b);
	close(slave);

	/* Secrets are per member: one member's cannot speak for another. */
	b = barrier_new("", NULL);
	barrier_add_member(b, "a", "sa");
	barrier_add_member(b, "b", "sb");
	barrier_listen_tcp(b, "127.0.0.1", 0, &port);
	barrier_start(b);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	sync_endpoint_parse(spec, &ep);
	ok(sync_wait(&ep, "b", "sa", "test_do") == -EACCES, "a's secret does not make a connection b");
	barrier_free(b);

	/* QEMU's guestfwd: a connection opened when the VM starts that says
	 * nothing until the guest runs. A silent connection whose peer is the
	 * member's QEMU (here: this process) is kept past the HELLO timeout
	 * and speaks for that member only; a stranger's is closed. */
	b = barrier_new("s", NULL);
	barrier_add_member(b, "net", NULL);
	barrier_add_member(b, "other", NULL);
	barrier_listen_tcp(b, "127.0.0.1", 0, &port);
	ok(barrier_member_qemu(b, "net", getpid()) == 0, "net's QEMU is this process");
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	sync_endpoint_parse(spec, &ep);
	int fwd = sync_endpoint_try(&ep);
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return 1;
	pid_t stranger = fork();
	if (stranger == 0) {	/* its own connection, silent; says whether it was closed */
		int s = sync_endpoint_try(&ep);
		char x;
		ssize_t n = read(s, &x, 1);
		if (write(pipefd[1], n == 0 ? "closed\n" : "other\n", n == 0 ? 7 : 6) < 0)
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	barrier_start(b);
	char got[32] = "";
	ssize_t sn = read(pipefd[0], got, sizeof(got) - 1);	/* after the HELLO timeout (10 s) */
	got[sn > 0 ? sn : 0] = '\0';
	is_str(got, "closed\n", "a stranger's silent connection is closed after the HELLO timeout");
	waitpid(stranger, NULL, 0);
	char reply[80] = "";
	const char *msg = "HELLO other s\nARRIVE test_do\n";
	ok(write(fwd, msg, strlen(msg)) == (ssize_t)strlen(msg), "the QEMU connection, silent past the timeout, is open");
	ssize_t rn = read(fwd, reply, sizeof(reply) - 1);
	reply[rn > 0 ? rn : 0] = '\0';
	is_str(reply, "DENIED a connection speaks for one member\n", "it cannot speak for another member");
	barrier_member_lost(b, "other", "test: only net takes part");
	msg = "HELLO net s\nARRIVE test_do\n";
	if (write(fwd, msg, strlen(msg)) < 0)
		return 1;
	rn = read(fwd, reply, sizeof(reply) - 1);
	reply[rn > 0 ? rn : 0] = '\0';
	is_str(reply, "RELEASE test_do\n", "net is released through it");
	barrier_free(b);
	close(fwd);

	ok(sync_endpoint_parse("tcp:host", &ep) != 0, "tcp without port rejected");
	ok(sync_endpoint_parse("udp:1.2.3.4:5", &ep) != 0, "unknown transport rejected");
	ok(sync_endpoint_parse("vsock:3:5000", &ep) == 0 && ep.cid == 3 && ep.port == 5000, "vsock CID:PORT");
	ok(sync_endpoint_parse("tcp:[::1]:7000", &ep) == 0 && !strcmp(ep.host, "::1"), "IPv6 literal");

	/* vsock: the listener only -- no vhost-vsock or vsock loopback here
	 * to carry a guest's connection. */
	int vs = socket(AF_VSOCK, SOCK_STREAM, 0);
	if (vs < 0) {
		ok(1, "# SKIP no AF_VSOCK on this host");
	} else {
		close(vs);
		b = barrier_new("s", NULL);
		ok(barrier_listen_vsock(b, 40000 + getpid() % 20000) == 0, "listen on a vsock port");
		barrier_free(b);
	}
	return done_testing();
}
