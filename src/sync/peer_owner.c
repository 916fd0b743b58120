#include "peer_owner.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xalloc.h"

/* The peer's end as /proc/net/tcp{,6} prints a socket's local address:
 * the address words in memory order as %08X, the port in host order. */
static int peer_key(int fd, char *key, size_t size, int *v6)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		*v6 = 0;
		snprintf(key, size, "%08X:%04X", a->sin_addr.s_addr, ntohs(a->sin_port));
		return 0;
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		uint32_t w[4];
		memcpy(w, &a->sin6_addr, sizeof(w));
		*v6 = 1;
		snprintf(key, size, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], ntohs(a->sin6_port));
		return 0;
	}
	return -1;
}

/* inode[i] = the inode of the socket whose local address is key[i]. */
static void find_inodes(const char *path, char (*key)[48], const int *v6, int want6,
			unsigned long *inode, int n)
{
	FILE *f = fopen(path, "re");
	char line[512], local[64];
	unsigned long ino;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, " %*s %63s %*s %*s %*s %*s %*s %*s %*s %lu", local, &ino) != 2)
			continue;
		for (int i = 0; i < n; i++)
			if (v6[i] == want6 && !inode[i] && !strcmp(key[i], local))
				inode[i] = ino;
	}
	fclose(f);
}

/* Does process pid hold a descriptor on socket inode? */
static int holds_socket(pid_t pid, const unsigned long *inode, int n, int *owner, int idx)
{
	char path[64], link[96], target[64];
	struct dirent *de;
	DIR *d;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d))) {
		ssize_t len;
		unsigned long ino;
		snprintf(link, sizeof(link), "%s/%.20s", path, de->d_name);
		if ((len = readlink(link, target, sizeof(target) - 1)) <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &ino) != 1)
			continue;
		for (int i = 0; i < n; i++)
			if (inode[i] == ino && owner[i] < 0) {
				owner[i] = idx;
				found++;
			}
	}
	closedir(d);
	return found;
}

void peer_owner(const int *fd, int nfd, const pid_t *pid, int npid, int *owner)
{
	char (*key)[48] = xcalloc(nfd ? nfd : 1, sizeof(*key));
	int *v6 = xcalloc(nfd ? nfd : 1, sizeof(int));
	unsigned long *inode = xcalloc(nfd ? nfd : 1, sizeof(*inode));

	for (int i = 0; i < nfd; i++) {
		owner[i] = -1;
		if (peer_key(fd[i], key[i], sizeof(key[i]), &v6[i]) < 0)
			key[i][0] = '\0';
	}
	find_inodes("/proc/net/tcp", key, v6, 0, inode, nfd);
	find_inodes("/proc/net/tcp6", key, v6, 1, inode, nfd);
	for (int p = 0; p < npid; p++)
		if (pid[p] > 0)
			holds_socket(pid[p], inode, nfd, owner, p);
	free(key);
	free(v6);
	free(inode);
}
