/* Where things are: the checkout or the installed data directory. */
#ifndef MMT_PATHS_H
#define MMT_PATHS_H

struct paths {
	char *bindir;		/* directory of our programs (mmtests-sync) */
	char *top;		/* holds shellpacks/, configs/, monitors/ */
	char *shellpacks;
	char *libexec;		/* our benchmark binaries (src/bench) */
	char *tools;		/* our helper scripts (tools/), beside the programs */
	char *work;		/* work/: sources, mirror, tmp, default log */
};

/* MMTESTS_HOME, MMTESTS_LIBEXEC and MMTESTS_WORK override discovery. */
int paths_discover(struct paths *p);
void paths_free(struct paths *p);
/* The PATH shellpacks run with (and --list looks in): our bin directory,
 * then the caller's PATH, then our libexec (our benchmarks, which shadow
 * nothing), /usr/games, then work/sources/<shellpack>-installed/bin of every shellpack
 * with an install script (what it built from source). A new string. */
char *paths_shellpack_path(const struct paths *p);

#endif
