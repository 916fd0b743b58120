/* compare: MMTests's comparison tables, with sound significance, several
 * output formats and a regression gate for CI. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "gate.h"
#include "log.h"
#include "monitor_read.h"
#include "render.h"
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

static void usage(FILE *f)
{
	fprintf(f,
"usage: compare [-d|--directory DIR] [-b|--benchmark B] -n|--names A,B,...\n"
"               [--print-ratio] [--fairness] [--print-monitor NAME] [--sub-heading REGEX]\n"
"               [--format text|html|csv|json] [--significance sound|mmtests]\n"
"               [--fail-on-regression PCT] [--junit FILE]\n"
"Compare runs (the first is the baseline) as MMTests's compare-mmtests.pl\n"
"does. Without -b every benchmark of the first run is compared in turn.\n"
"--fairness: the runs are the VMs of one run-kvm run (RUN-vm1,RUN-vm2,...):\n"
"per label and iteration, the spread across them and Jain's index.\n"
"Notes (noise, too few samples, outliers) go to stderr.\n"
"Exit status: 0 ok, 1 results could not be read, 2 usage, 3 a metric is\n"
"significantly worse than --fail-on-regression allows.\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	enum { O_RATIO = 256, O_FAIR, O_MONITOR, O_SUB, O_FORMAT, O_SIG, O_GATE, O_JUNIT };
	static const struct option lo[] = {
		{ "directory", required_argument, NULL, 'd' },
		{ "benchmark", required_argument, NULL, 'b' },
		{ "names", required_argument, NULL, 'n' },
		{ "print-ratio", no_argument, NULL, O_RATIO },
		{ "fairness", no_argument, NULL, O_FAIR },
		{ "print-monitor", required_argument, NULL, O_MONITOR },
		{ "sub-heading", required_argument, NULL, O_SUB },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "significance", required_argument, NULL, O_SIG },
		{ "fail-on-regression", required_argument, NULL, O_GATE },
		{ "junit", required_argument, NULL, O_JUNIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	char *end;

	memset(o, 0, sizeof(*o));
	o->gate = -1;
	while ((c = getopt_long(argc, argv, "d:b:n:h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->sel.directory = optarg; break;
		case 'b': o->sel.bench = optarg; break;
		case 'n': o->sel.names_arg = optarg; break;
		case O_RATIO: o->ratio = 1; break;
		case O_FAIR: o->fairness = 1; break;
		case O_MONITOR: o->monitor = optarg; break;
		case O_SUB: o->sel.subheading = optarg; break;
		case O_FORMAT:
			if (!strcmp(optarg, "text")) o->format = FMT_TEXT;
			else if (!strcmp(optarg, "html")) o->format = FMT_HTML;
			else if (!strcmp(optarg, "csv")) o->format = FMT_CSV;
			else if (!strcmp(optarg, "json")) o->format = FMT_JSON;
			else {
				err_msg("--format %s: use text, html, csv or json", optarg);
				return -EINVAL;
			}
			break;
		case O_SIG:
			if (!strcmp(optarg, "sound")) o->method = SIG_SOUND;
			else if (!strcmp(optarg, "mmtests")) o->method = SIG_MMTESTS;
			else {
				err_msg("--significance %s: use sound or mmtests", optarg);
				return -EINVAL;
			}
			break;
		case O_GATE:
			o->gate = strtod(optarg, &end);
			if (*end || end == optarg || o->gate < 0) {
				err_msg("--fail-on-regression %s: give a percentage >= 0", optarg);
				return -EINVAL;
			}
			break;
		case O_JUNIT: o->junit = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (optind != argc) {
		err_msg("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (!o->sel.names_arg) {
		err_msg("no runs given: use -n RUN[,RUN...]");
		usage(stderr);
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
		if (many)
			printf("%s\n", bench);
		render_duration_text(stdout, d, o->sel.nnames);
		if (many && !last)
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

	log_set_program("compare");
	if (parse(argc, argv, &o))
		return EXIT_USAGE;
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
	if (o.format == FMT_HTML)
		puts("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mmtests compare</title></head><body>");
	int many = o.sel.nbenches > 1;
	for (int b = 0; b < o.sel.nbenches; b++) {
		const char *bench = o.sel.benches[b];
		struct run_results *runs;
		struct comparison c;

		if (o.monitor && !strcmp(o.monitor, "duration")) {
			failed |= print_duration(&o, bench, many, b + 1 == o.sel.nbenches) != 0;
			continue;
		}
		if (o.monitor) {
			if (selection_load_monitor(&o.sel, o.monitor, bench, &runs)) {
				failed = 1;
				continue;
			}
			struct shellpack_meta mm = { .summary = "multiops", .decimal_places = 2,
						     .units = "", .plot_type = "lines" };
			comparison_build(&c, bench, NULL, &mm, runs, o.sel.nnames, SIG_NONE, -1);
		} else {
			if (selection_load(&o.sel, bench, &runs)) {
				failed = 1;
				continue;
			}
			comparison_build(&c, bench, o.sel.paths.shellpacks, NULL, runs, o.sel.nnames,
					 o.method, o.gate);
		}
		switch (o.format) {
		case FMT_TEXT:
			if (many || o.monitor)
				printf("%s%s%s\n", bench, o.monitor ? " " : "", o.monitor ? o.monitor : "");
			if (o.fairness)
				render_fairness(stdout, &c);
			else
				render_text(stdout, &c, o.ratio);
			if (many && b + 1 < o.sel.nbenches)
				putchar('\n');
			break;
		case FMT_HTML: render_html(stdout, &c, o.ratio); break;
		case FMT_CSV: render_csv(stdout, &c, b == 0); break;
		case FMT_JSON: json_array_append_new(all, render_json(&c)); break;
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
	if (o.format == FMT_HTML)
		puts("</body></html>");
	if (all) {
		json_t *doc = json_pack("{s:s,s:o}", "tool", "compare", "benchmarks", all);
		json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
		putchar('\n');
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
