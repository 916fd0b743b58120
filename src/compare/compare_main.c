/* compare: MMTests's comparison tables, with sound significance, several
 * output formats and a regression gate for CI. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "gate.h"
#include "log.h"
#include "monitor_read.h"
#include "options.h"
#include "plot.h"
#include "render.h"
#include "report.h"
#include "selection.h"
#include "timestamps.h"
#include "tree.h"
#include "xalloc.h"

enum { EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_REGRESSION = 3 };

struct opts {
	struct selection sel;
	int ratio;
	int fairness;
	const char *monitor;
	enum out_format format;
	enum sig_method method;
	double gate;
	const char *junit;
};

static const struct opt_usage usage = {
	.program = "compare-mmtests",
	.synopsis = "[options] -n|--names A,B,...",
	.description =
"Compare runs (the first is the baseline) as MMTests's compare-mmtests.pl\n"
"does. Without -b every benchmark of the first run is compared in turn.\n",
	.epilog =
"--fairness: the runs are the VMs of one run-kvm run (RUN-vm1,RUN-vm2,...):\n"
"per label and iteration, the spread across them and Jain's index.\n"
"Notes (noise, too few samples, outliers) go to stderr.\n"
"Exit status: 0 ok, 1 results could not be read, 2 usage, 3 a metric is\n"
"significantly worse than --fail-on-regression allows.\n",
};

static const char *const formats[] = { "text", "html", "csv", "json", "report", NULL };	/* enum out_format */
static const char *const methods[] = { "sound", "mmtests", NULL };		/* enum sig_method */

static int parse(int argc, char **argv, struct opts *o)
{
	int format = FMT_TEXT, method = SIG_SOUND, first;
	const struct opt opts[] = {
		OPT_STRING('d', "directory", &o->sel.directory, "DIR", "where the runs are (default work/log)"),
		OPT_STRING('b', "benchmark", &o->sel.bench, "B", "only this benchmark"),
		OPT_STRING('n', "names", &o->sel.names_arg, "A,B,...", "the runs, the baseline first"),
		OPT_BOOL(0, "print-ratio", &o->ratio, "a Ratio row per label, Dmean/Dmin/Dmax and Gmean"),
		OPT_BOOL(0, "fairness", &o->fairness, "spread across the runs (VMs) per iteration"),
		OPT_STRING(0, "print-monitor", &o->monitor, "NAME", "a monitor (or duration) instead of results"),
		OPT_STRING(0, "sub-heading", &o->sel.subheading, "REGEX", "only the labels it matches"),
		OPT_CHOICE(0, "format", &format, "FMT", formats, "text, html, csv, json, or report (one\n"
			   "self-contained HTML page: systems, tables, pictures)"),
		OPT_CHOICE(0, "significance", &method, "HOW", methods,
			   "sound (Mann-Whitney and Welch, BH-corrected)\nor mmtests (MMTests's rule)"),
		OPT_NUMBER(0, "fail-on-regression", &o->gate, "PCT", 0, 100000,
			   "exit 3 on a significant regression beyond PCT %"),
		OPT_STRING(0, "junit", &o->junit, "FILE", "one JUnit testcase per metric"),
		OPT_END()
	};

	memset(o, 0, sizeof(*o));
	o->gate = -1;
	first = opt_parse(argc, argv, opts, &usage, 0);
	if (first == OPT_HELP)
		exit(0);
	if (first < 0)
		return -EINVAL;
	o->format = format;
	o->method = method;
	if (first != argc) {
		err_msg("unexpected argument '%s'", argv[first]);
		return -EINVAL;
	}
	if (!o->sel.names_arg) {
		err_msg("no runs given: use -n RUN[,RUN...] (compare --help lists the options)");
		return -EINVAL;
	}
	if (o->monitor && strcmp(o->monitor, "duration") && !monitor_readable(o->monitor)) {
		err_msg("--print-monitor %s: compare reads duration %s", o->monitor,
			monitor_readable_list());
		return -EINVAL;
	}
	return 0;
}

static int print_duration(struct opts *o, const char *bench, int many, int last)
{
	struct duration_row *d = xcalloc(o->sel.nnames, sizeof(*d));
	int found = 0;

	for (int r = 0; r < o->sel.nnames; r++) {
		d[r].run = o->sel.names[r];
		char *rundir = tree_run_dir(o->sel.logdir, d[r].run);
		ts_run_durations(rundir, bench, &d[r].user, &d[r].sys, &d[r].elapsed, &d[r].count);
		free(rundir);
		found += d[r].count > 0;
		if (!d[r].count)
			warn_msg("%s: run %s has no 'time :: %s' line in tests-timestamp",
				 bench, d[r].run, bench);
	}
	if (found) {
		int html = o->format == FMT_HTML;
		if (many)
			printf(html ? "<h3>%s</h3>\n" : "%s\n", bench);
		render_duration_text(stdout, d, o->sel.nnames, html);
		if (many && !last && !html)
			putchar('\n');
	}
	free(d);
	return found ? 0 : -ENOENT;
}

int main(int argc, char **argv)
{
	struct opts o;
	json_t *all = NULL;
	FILE *junit = NULL;
	int failed = 0, regressions = 0, ret;

	log_set_program("compare-mmtests");
	if (parse(argc, argv, &o))
		return EXIT_USAGE;
	o.sel.monitors = o.monitor != NULL;
	if ((ret = selection_resolve(&o.sel))) {
		selection_free(&o.sel);
		return ret == -EINVAL ? EXIT_USAGE : EXIT_ERROR;
	}
	if (o.junit && !(junit = fopen(o.junit, "w"))) {
		err_errno(errno, "cannot write %s", o.junit);
		selection_free(&o.sel);
		return EXIT_ERROR;
	}
	if (junit)
		junit_begin(junit);
	if (o.format == FMT_JSON)
		all = json_array();
	int draw = 0;
	if (o.format == FMT_REPORT) {
		draw = plot_available();
		report_begin(stdout, o.sel.logdir, o.sel.names, o.sel.nnames);
	}
	int many = o.sel.nbenches > 1;
	/* --significance mmtests: vmstat as MMTests shows it, one column */
	const char *field = NULL;
	if (o.monitor && o.method == SIG_MMTESTS) {
		if (!strcmp(o.monitor, "vmstat")) {
			field = o.sel.subheading ? o.sel.subheading : "sy";
			if (!vmstat_mmtests_field_ok(field)) {
				err_msg("--sub-heading %s: MMTests's vmstat shows one of r b swpd free buff "
					"cache si so bi bo in cs us sy id wa st ussy totalcpu", field);
				selection_free(&o.sel);
				return EXIT_USAGE;
			}
		} else if (strcmp(o.monitor, "duration")) {
			warn_msg("--significance mmtests: MMTests's layout is built for vmstat and "
				 "duration; %s is shown in ours", o.monitor);
		}
	}
	for (int b = 0; b < o.sel.nbenches; b++) {
		const char *bench = o.sel.benches[b];
		struct run_results *runs;
		struct comparison c;

		if (o.monitor && !strcmp(o.monitor, "duration")) {
			failed |= print_duration(&o, bench, many, b + 1 == o.sel.nbenches) != 0;
			continue;
		}
		if (o.monitor) {
			if (selection_load_monitor(&o.sel, o.monitor, bench, field, &runs)) {
				failed = 1;
				continue;
			}
			struct shellpack_meta mm = { .summary = "multiops", .decimal_places = 2,
						     .units = "", .plot_type = "lines" };
			comparison_build(&c, bench, NULL, &mm, runs, o.sel.nnames, SIG_NONE, -1);
			c.sample_seconds = selection_monitor_seconds(&o.sel);
		} else {
			if (selection_load(&o.sel, bench, &runs)) {
				failed = 1;
				if (o.format == FMT_REPORT)	/* the page says so too */
					report_unreadable(stdout, bench, log_last_error());
				continue;
			}
			comparison_build(&c, bench, o.sel.paths.shellpacks, NULL, runs, o.sel.nnames,
					 o.method, o.gate);
		}
		switch (o.format) {
		case FMT_TEXT:
			if (many || (o.monitor && !field))
				printf("%s%s%s\n", bench, o.monitor ? " " : "", o.monitor ? o.monitor : "");
			if (o.fairness)
				render_fairness(stdout, &c);
			else if (field)
				render_monitor_mmtests(stdout, &c, 0);
			else
				render_text(stdout, &c, o.ratio, 0);
			if (many && b + 1 < o.sel.nbenches)
				putchar('\n');
			break;
		case FMT_HTML:
			if (many)	/* MMTests prints one benchmark's table; several follow each other */
				printf("<h3>%s</h3>\n", bench);
			if (field)
				render_monitor_mmtests(stdout, &c, 1);
			else
				render_text(stdout, &c, o.ratio, 1);
			break;
		case FMT_CSV: render_csv(stdout, &c, b == 0); break;
		case FMT_JSON: json_array_append_new(all, render_json(&c)); break;
		case FMT_REPORT: report_bench(stdout, &c, draw); break;
		}
		fflush(stdout);
		for (char *p = c.warnings.buf; *p; ) {
			char *nl = strchr(p, '\n');
			fprintf(stderr, "compare: note: %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
			if (!nl)
				break;
			p = nl + 1;
		}
		gate_report(stderr, &c);
		regressions += c.regressions;
		if (junit)
			junit_add(junit, &c);
		comparison_free(&c);
	}
	if (o.format == FMT_REPORT)
		report_end(stdout, o.method == SIG_MMTESTS, draw);
	if (all) {
		/* format: docs/compare.schema.json's version of this document */
		json_t *doc = json_pack("{s:s,s:i,s:s,s:o}", "tool", "compare-mmtests", "format", 1,
					"version", PACKAGE_VERSION, "benchmarks", all);
		render_json_dump(stdout, doc);
		json_decref(doc);
	}
	if (junit) {
		junit_end(junit);
		if (fclose(junit)) {
			err_errno(errno, "cannot write %s", o.junit);
			failed = 1;
		}
	}
	selection_free(&o.sel);
	if (failed)
		return EXIT_ERROR;
	if (regressions) {
		fprintf(stderr, "compare: %d regression%s beyond --fail-on-regression %.2f%%\n",
			regressions, regressions == 1 ? "" : "s", o.gate);
		return EXIT_REGRESSION;
	}
	return 0;
}
