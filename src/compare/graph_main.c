/* graph: gnuplot pictures of the same run selection compare reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "comparison.h"
#include "fileio.h"
#include "log.h"
#include "monitor_read.h"
#include "plot.h"
#include "options.h"
#include "selection.h"
#include "spawn.h"
#include "xalloc.h"

static const struct opt_usage usage = {
	.program = "graph-mmtests",
	.synopsis = "[options] -n|--names A,B,...",
	.description =
"One picture per benchmark, DIR/<benchmark>.<format> (default DIR: .),\n"
"drawn by gnuplot as the shellpack's plot_type says.\n",
	.epilog = "Exit status: 0 ok, 1 results could not be read or drawn, 2 usage.\n",
};

static const char *const formats[] = { "png", "svg", NULL };	/* enum plot_format */

int main(int argc, char **argv)
{
	struct selection sel;
	int fmt = PLOT_PNG;
	const char *outdir = ".", *monitor = NULL, *size = NULL;
	int width = 1024, height = 640, failed = 0;

	log_set_program("graph-mmtests");
	memset(&sel, 0, sizeof(sel));
	const struct opt opts[] = {
		OPT_STRING('d', "directory", &sel.directory, "DIR", "where the runs are (default work/log)"),
		OPT_STRING('b', "benchmark", &sel.bench, "B", "only this benchmark"),
		OPT_STRING('n', "names", &sel.names_arg, "A,B,...", "the runs, the baseline first"),
		OPT_STRING(0, "sub-heading", &sel.subheading, "REGEX", "only the labels it matches"),
		OPT_CHOICE(0, "format", &fmt, "FMT", formats, "png or svg"),
		OPT_STRING(0, "output", &outdir, "DIR", "where the pictures go (default .)"),
		OPT_STRING(0, "size", &size, "WxH", "picture size in pixels (default 1024x640)"),
		OPT_STRING(0, "monitor", &monitor, "NAME", "draw a monitor over time instead"),
		OPT_END()
	};
	int first = opt_parse(argc, argv, opts, &usage, 0);
	if (first == OPT_HELP)
		return 0;
	if (first < 0)
		return 2;
	if (monitor && !monitor_readable(monitor)) {
		err_msg("--monitor %s: graph reads %s", monitor, monitor_readable_list());
		return 2;
	}
	char tail;
	if (size && (sscanf(size, "%dx%d%c", &width, &height, &tail) != 2 || width < 64 || height < 64 ||
		     width > 10000 || height > 10000)) {
		err_msg("--size %s: use WIDTHxHEIGHT, 64..10000 each", size);
		return 2;
	}
	if (first != argc) {
		err_msg("unexpected argument '%s'", argv[first]);
		return 2;
	}
	if (!sel.names_arg) {
		err_msg("no runs given: use -n RUN[,RUN...] (graph --help lists the options)");
		return 2;
	}
	if (!plot_available()) {
		err_msg("gnuplot is not installed; install it (Debian: apt-get install gnuplot-nox, "
			"Fedora: dnf install gnuplot-minimal, openSUSE: zypper install gnuplot)");
		return 1;
	}
	sel.monitors = monitor != NULL;
	if (selection_resolve(&sel) || mkdir_p(outdir, 0755)) {
		selection_free(&sel);
		return 1;
	}
	for (int b = 0; b < sel.nbenches; b++) {
		struct run_results *runs;
		struct comparison cmp;
		struct strbuf script = STRBUF_INIT;

		if (monitor) {
			/* A monitor over time: one line per label and run. */
			struct shellpack_meta mm = { .summary = "multiops", .decimal_places = 2,
						     .units = (char *)monitor, .plot_type = "lines" };
			if (selection_load_monitor(&sel, monitor, sel.benches[b], NULL, &runs)) {
				failed = 1;
				continue;
			}
			comparison_build(&cmp, sel.benches[b], NULL, &mm, runs, sel.nnames, SIG_NONE, -1);
			cmp.sample_seconds = selection_monitor_seconds(&sel);
		} else {
			if (selection_load(&sel, sel.benches[b], &runs)) {
				failed = 1;
				continue;
			}
			comparison_build(&cmp, sel.benches[b], sel.paths.shellpacks, NULL, runs,
					 sel.nnames, SIG_SOUND, -1);
		}
		char *out = monitor ? xasprintf("%s/%s-%s.%s", outdir, sel.benches[b], monitor,
						fmt == PLOT_SVG ? "svg" : "png")
				    : xasprintf("%s/%s.%s", outdir, sel.benches[b], fmt == PLOT_SVG ? "svg" : "png");
		plot_script(&script, &cmp, out, fmt, width, height);
		char *script_path = xasprintf("%s/.%s.gnuplot", outdir, sel.benches[b]);
		if (plot_draw(script.buf, script_path))
			failed = 1;
		else
			printf("%s\n", out);
		free(script_path);
		free(out);
		sb_release(&script);
		comparison_free(&cmp);
	}
	selection_free(&sel);
	return failed;
}
