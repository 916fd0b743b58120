/* run-mmtests --list: every benchmark and config, one line each, and
 * whether it can run here -- and if not, exactly what is missing. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "run.h"
#include "shellpack_run.h"
#include "xalloc.h"

static const char *mirror_dir(const struct paths *p, char **owned)
{
	const char *m = getenv("MMTESTS_MIRROR");

	*owned = NULL;
	if (m && *m)
		return m;
	return *owned = path_join(p->work, "mirror");
}

/* "ready", or what is missing, into out; returns 1 when ready. */
static int availability(const struct paths *p, const struct shellpack_meta *m, struct strbuf *out)
{
	struct strbuf missing = STRBUF_INIT;
	int ready;

	char *path = paths_shellpack_path(p);
	ready = !shellpack_missing_commands(m, path, &missing);
	free(path);
	if (ready) {
		/* nothing to say */
	} else if (m->source_file) {
		char *owned;
		const char *mirror = mirror_dir(p, &owned);
		char *file = path_join(mirror, m->source_file);
		/* the install builds it: as good as there */
		if (strstr(mirror, "://"))
			ready = 1, sb_addf(out, "builds from %s/%s at install", mirror, m->source_file);
		else if (is_file(file))
			ready = 1, sb_addf(out, "builds from the mirror (%s) at install", file);
		else
			sb_addf(out, "not available: no %s here%s%s; put %s (sha256 %.12s...) in %s",
				missing.buf, m->npackages ? " nor installable" : "",
				m->npackages ? "" : " (not packaged)", m->source_file, m->source_sha256, mirror);
		free(file);
		free(owned);
	} else if (m->npackages) {
		sb_adds(out, "installable: tools/install-deps --packages");
		for (int i = 0; i < m->npackages; i++)
			sb_addf(out, " %s", m->packages[i]);
	} else {
		sb_addf(out, "not available: %s missing", missing.buf);
	}
	sb_release(&missing);
	return ready;
}

static int list_benchmarks(const struct paths *p, int *nready)
{
	struct dirent **ents;
	int n = scandir(p->shellpacks, &ents, NULL, alphasort), total = 0;

	if (n < 0)
		return err_errno(errno, "cannot list %s", p->shellpacks);
	printf("Benchmarks (%s), ready to run here or not:\n", p->shellpacks);
	for (int i = 0; i < n; i++) {
		struct shellpack_meta m;
		char *dir = path_join(p->shellpacks, ents[i]->d_name);
		char *conf = path_join(dir, "shellpack.conf");
		if (ents[i]->d_name[0] != '.' && is_file(conf) &&
		    shellpack_meta_load(dir, ents[i]->d_name, &m) == 0) {
			struct strbuf st = STRBUF_INIT;
			int ok = availability(p, &m, &st);
			*nready += ok;
			total++;
			printf("  %-5s", ok ? "ready" : "no");
			printf("  %-16s %s", m.name, m.description);
			for (int a = 0; a < m.naliases; a++)
				printf("%s%s", a ? ", " : " (also as ", m.aliases[a]);
			printf("%s%s%s\n", m.naliases ? ")" : "", st.len ? " -- " : "", st.buf);
			sb_release(&st);
			shellpack_meta_free(&m);
		}
		free(conf);
		free(dir);
		free(ents[i]);
	}
	free(ents);
	return total;
}

/* A config's first "###" comment line and its MMTESTS list, read from the
 * text (evaluating every config would be slow and may need facts). */
static void config_summary(const char *file, struct strbuf *title, struct strbuf *benches)
{
	struct strbuf b = STRBUF_INIT;

	if (read_file(file, &b))
		return;
	char *save = NULL;
	for (char *l = strtok_r(b.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!title->len && !strncmp(l, "###", 3))
			sb_adds(title, l + 3 + strspn(l + 3, " "));
		const char *e = strstr(l, "MMTESTS=");
		if (!benches->len && e && !strncmp(l + strspn(l, " \t"), "export ", 7)) {
			e += 8;
			size_t len = strlen(e);
			if (*e == '"' || *e == '\'')
				e++, len -= 2;
			sb_add(benches, e, len);
		}
	}
	sb_release(&b);
}

static void list_configs(const struct paths *p)
{
	char *dir = path_join(p->top, "configs");
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	if (n < 0) {
		free(dir);
		return;
	}
	printf("Configs (%s):\n", dir);
	for (int i = 0; i < n; i++) {
		if (!strncmp(ents[i]->d_name, "config-", 7)) {
			struct strbuf title = STRBUF_INIT, benches = STRBUF_INIT, notready = STRBUF_INIT;
			char *file = path_join(dir, ents[i]->d_name);
			config_summary(file, &title, &benches);
			char *copy = xstrdup(benches.buf), *save = NULL;
			for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
				struct shellpack_meta m;
				struct strbuf st = STRBUF_INIT;
				memset(&m, 0, sizeof(m));
				if (shellpack_lookup(p->shellpacks, t, &m))
					sb_addf(&notready, " %s(no shellpack)", t);
				else if (!availability(p, &m, &st))
					sb_addf(&notready, " %s", t);
				shellpack_meta_free(&m);
				sb_release(&st);
			}
			printf("  %-5s %-24s %s [%s]%s%s\n", notready.len ? "no" : "ready", ents[i]->d_name,
			       title.buf, benches.buf, notready.len ? " -- not ready:" : "", notready.buf);
			free(copy);
			free(file);
			sb_release(&title);
			sb_release(&benches);
			sb_release(&notready);
		}
		free(ents[i]);
	}
	free(ents);
	free(dir);
}

int list_catalogue(const struct paths *p)
{
	int ready = 0, total = list_benchmarks(p, &ready);

	if (total < 0)
		return total;
	list_configs(p);
	printf("%d of %d benchmarks can run here now\n", ready, total);
	return 0;
}
