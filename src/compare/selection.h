/* The run selection compare and graph share: -d DIR, -n A,B,..., -b B,
 * --sub-heading REGEX. */
#ifndef MMT_SELECTION_H
#define MMT_SELECTION_H

#include <regex.h>

#include "paths.h"
#include "results.h"

struct selection {
	const char *directory;	/* -d, NULL: work/log */
	const char *names_arg;	/* -n A,B */
	const char *bench;	/* -b, NULL: every benchmark of the first run */
	const char *subheading;	/* --sub-heading */
	int monitors;		/* monitors are read: tests that never finished count too */
	/* resolved */
	struct paths paths;
	char *logdir;
	char **names;
	int nnames;
	char **benches;
	int nbenches;
	regex_t re;
	int have_re;
};

/* Fill in the resolved fields; reports errors. */
int selection_resolve(struct selection *s);
/* Load bench from every selected run (sub-heading applied). *runs is
 * nnames long on success. */
int selection_load(struct selection *s, const char *bench, struct run_results **runs);
/* The same for a monitor's log (compare/graph --print-monitor); field:
 * vmstat's one column read as MMTests reads it (monitor_load). */
int selection_load_monitor(struct selection *s, const char *monitor, const char *bench,
			   const char *field, struct run_results **runs);
/* Seconds between monitor samples in the first run (its run.json's
 * MONITOR_UPDATE_FREQUENCY, 10 by default); 0 when unknown (a tree
 * without run.json). */
double selection_monitor_seconds(const struct selection *s);
void selection_free(struct selection *s);

#endif
