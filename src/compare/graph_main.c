/* graph: gnuplot pictures of the same run selection compare reads. */
#include <errno.h>
#include <getopt.h>
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
#include "selection.h"
#include "spawn.h"
#include "xalloc.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: graph [-d|--directory DIR] [-b|--benchmark B] -n|--names A,B,...\n"
"             [--sub-heading REGEX] [--format png|svg] [--output DIR]\n"
"             [--size WIDTHxHEIGHT] [--monitor vmstat|mpstat|proc-vmstat|perf-time-stat]\n"
"One picture per benchmark, DIR/<benchmark>.<format> (default DIR: .),\n"
"drawn by gnuplot as the shellpack's plot_type says.\n");
}

static int gnuplot_available(void)
{
	char *argv[] = { "gnuplot", "--version", NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int status = 0, ok;

	ok = spawn_capture(argv, NULL, &out, &err, &status) == 0 && WIFEXITED(status) &&
	     WEXITSTATUS(status) == 0;
	sb_release(&out);
	sb_release(&err);
	return ok;
}

static int draw(const char *script_text, const char *outdir, const char *bench)
{
	char *script = xasprintf("%s/.%s.gnuplot", outdir, bench);
	char *argv[] = { "gnuplot", script, NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int status, ret;

	ret = write_file_atomic(script, script_text, strlen(script_text));
	if (!ret)
		ret = spawn_capture(argv, NULL, &out, &err, &status);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("gnuplot failed on %s:\n%s", script, err.buf);
		ret = -EIO;
	} else if (!ret) {
		unlink(script);
	}
	sb_release(&out);
	sb_release(&err);
	free(script);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "directory", required_argument, NULL, 'd' },
		{ "benchmark", required_argument, NULL, 'b' },
		{ "names", required_argument, NULL, 'n' },
		{ "sub-heading", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "monitor", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct selection sel;
	enum plot_format fmt = PLOT_PNG;
	const char *outdir = ".", *monitor = NULL;
	int width = 1024, height = 640, c, failed = 0;

	log_set_program("graph");
	memset(&sel, 0, sizeof(sel));
	while ((c = getopt_long(argc, argv, "d:b:n:h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': sel.directory = optarg; break;
		case 'b': sel.bench = optarg; break;
		case 'n': sel.names_arg = optarg; break;
		case 'S': sel.subheading = optarg; break;
		case 'f':
			if (!strcmp(optarg, "png")) fmt = PLOT_PNG;
			else if (!strcmp(optarg, "svg")) fmt = PLOT_SVG;
			else {
				err_msg("--format %s: use png or svg", optarg);
				return 2;
			}
			break;
		case 'o': outdir = optarg; break;
		case 'm':
			if (!monitor_readable(optarg)) {
				err_msg("--monitor %s: graph reads %s", optarg, monitor_readable_list());
				return 2;
			}
			monitor = optarg;
			break;
		case 's':
			if (sscanf(optarg, "%dx%d", &width, &height) != 2 || width < 64 || height < 64 ||
			    width > 10000 || height > 10000) {
				err_msg("--size %s: use WIDTHxHEIGHT, 64..10000 each", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || !sel.names_arg) {
		err_msg(optind != argc ? "unexpected argument" : "no runs given: use -n RUN[,RUN...]");
		usage(stderr);
		return 2;
	}
	if (!gnuplot_available()) {
		err_msg("gnuplot is not installed; install it (Debian: apt-get install gnuplot-nox, "
			"Fedora: dnf install gnuplot-minimal, openSUSE: zypper install gnuplot)");
		return 1;
	}
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
			if (selection_load_monitor(&sel, monitor, sel.benches[b], &runs)) {
				failed = 1;
				continue;
			}
			comparison_build(&cmp, sel.benches[b], NULL, &mm, runs, sel.nnames, SIG_NONE, -1);
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
		if (draw(script.buf, outdir, sel.benches[b]))
			failed = 1;
		else
			printf("%s\n", out);
		free(out);
		sb_release(&script);
		comparison_free(&cmp);
	}
	selection_free(&sel);
	return failed;
}
