#include "shellpack_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expand.h"
#include "fileio.h"
#include "log.h"
#include "tsv.h"
#include "units.h"
#include "xalloc.h"

static void set_list(struct env *e, const char *name, char **v, int n)
{
	struct strbuf b = STRBUF_INIT;

	for (int i = 0; i < n; i++)
		sb_addf(&b, "%s%s", i ? " " : "", v[i]);
	env_set(e, name, b.len ? b.buf : "");
	sb_release(&b);
}

int shellpack_env(const struct shellpack_meta *m, const struct env *base, struct env *out)
{
	int ret = 0;

	*out = (struct env)ENV_INIT;
	env_copy(out, base);
	env_set(out, "SHELLPACK_ROOT", m->dir);
	set_list(out, "SHELLPACK_PACKAGES", m->packages, m->npackages);
	set_list(out, "SHELLPACK_COMMANDS", m->commands, m->ncommands);
	if (m->source_file) {
		env_set(out, "SHELLPACK_SOURCE_FILE", m->source_file);
		env_set(out, "SHELLPACK_SOURCE_SHA256", m->source_sha256);
		env_set(out, "SHELLPACK_SOURCE_URL", m->source_url ? m->source_url : "");
	}
	/* In declaration order, so a default may use an earlier one's value. */
	for (int i = 0; i < m->nvars; i++) {
		const struct shellpack_var *v = &m->vars[i];
		const char *cur = env_get(out, v->name), *why;
		struct strbuf val = STRBUF_INIT;

		if (!v->def || (cur && *cur))
			continue;
		if (expand_default(v->def, out, &val, &why)) {
			err_msg("%s/shellpack.conf: the default of %s, \"%s\", has %s", m->dir, v->name,
				v->def, why);
			ret = -EINVAL;
		} else {
			env_set(out, v->name, val.buf);
		}
		sb_release(&val);
	}
	return ret;
}

static int open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		err_errno(errno, "cannot write %s", path);
	return fd;
}

/* script with its output in log, in its own process group: the exit
 * code, or -errno. */
static int run_script(const char *script, struct env *env, const char *log,
		      struct spawn_result *res, double timeout,
		      void (*tick)(void *, double), void *tick_arg)
{
	char *argv[] = { (char *)script, NULL };
	struct spawn sp;
	int fd, ret;

	memset(res, 0, sizeof(*res));
	fd = open_log(log);
	if (fd < 0)
		return fd;
	spawn_init(&sp, argv);
	sp.envp = env_vector(env);
	/* in the run's temporary directory: what a benchmark writes where it
	 * stands (fs_mark's fs_log.txt) must not land in the user's */
	sp.cwd = env_get(env, "SHELLPACK_TEMP");
	if (sp.cwd && !is_dir(sp.cwd))
		sp.cwd = NULL;
	sp.stdout_fd = fd;
	sp.stderr_fd = fd;
	sp.new_pgrp = 1;
	sp.timeout = timeout;
	sp.tick = tick;
	sp.tick_arg = tick_arg;
	sp.tick_every = 1.0;
	ret = spawn_run(&sp, res);
	close(fd);
	return ret ? ret : spawn_exit_code(res->status);
}

int shellpack_run_install(const struct shellpack_meta *m, struct env *env, const char *log,
			  struct spawn_result *res, double timeout)
{
	char *script = path_join(m->dir, "install");
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (!is_executable(script) && m->npackages) {
		free(script);
		script = path_join(env_get(env, "SHELLPACK_INCLUDE") ?: ".", "install-packages");
	}
	if (is_executable(script))
		ret = run_script(script, env, log, res, timeout, NULL, NULL);
	free(script);
	return ret;
}

int shellpack_run_bench(const struct shellpack_meta *m, struct env *env, const char *log,
			struct spawn_result *res, double timeout,
			void (*tick)(void *, double), void *tick_arg)
{
	char *script = path_join(m->dir, "bench");
	int ret = run_script(script, env, log, res, timeout, tick, tick_arg);

	free(script);
	return ret;
}

/* Every line of out must be a sample: the cache must be trustworthy. */
static int check_samples(const char *script, const char *out)
{
	int lineno = 0, rows = 0, ret = 0;

	for (const char *p = out; *p && !ret; ) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		struct tsv_row row;
		const char *why;

		lineno++;
		if (len && tsv_parse_line(line, &row, &why)) {
			err_msg("%s printed a malformed line %d: \"%.*s\" (%s)", script, lineno,
				(int)len, p, why);
			ret = -EINVAL;
		}
		rows += len != 0;
		free(line);
		p = nl ? nl + 1 : p + len;
	}
	return ret ? ret : rows ? 0 : -ENODATA;
}

int shellpack_parse_results(const struct shellpack_meta *m, const char *logdir,
			    char *const *envp, struct strbuf *tsv, double timeout)
{
	char *script = path_join(m->dir, "parse-results");
	char *argv[] = { script, (char *)logdir, NULL };
	struct strbuf err = STRBUF_INIT;
	int status, ret;

	ret = spawn_capture_kept(argv, envp, tsv, &err, &status, timeout);
	if (ret == -ETIMEDOUT)
		err_msg("%s %s ran past %g s and was stopped", script, logdir, timeout);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		err_msg("%s %s failed (exit status %d)%s%s", script, logdir,
			spawn_exit_code(status), err.len ? ":\n" : "", err.buf);
		ret = -EIO;
	}
	if (!ret)
		ret = check_samples(script, tsv->buf);
	sb_release(&err);
	free(script);
	return ret;
}

static int on_path(const char *cmd, const char *path)
{
	char *dirs = xstrdup(path), *save = NULL;
	int found = 0;

	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = path_join(d, cmd);
		found = is_executable(f);
		free(f);
	}
	free(dirs);
	return found;
}

int shellpack_bench_timeout(const struct shellpack_meta *m, const struct env *env, double *secs)
{
	struct strbuf val = STRBUF_INIT;
	const char *why = NULL;
	int ret = 0;

	*secs = 0;
	if (!m->timeout)
		return 0;
	if (expand_default(m->timeout, env, &val, &why) || parse_positive(val.buf, secs)) {
		err_msg("%s/shellpack.conf: timeout \"%s\" %s%s%s", m->dir, m->timeout,
			why ? "has " : "is not a number of seconds > 0: \"", why ? why : val.buf,
			why ? "" : "\"");
		ret = -EINVAL;
	}
	sb_release(&val);
	return ret;
}

int shellpack_missing_commands(const struct shellpack_meta *m, const char *path,
			       struct strbuf *missing)
{
	int n = 0;

	for (int i = 0; i < m->ncommands; i++)
		if (!on_path(m->commands[i], path)) {
			sb_addf(missing, "%s%s", n ? ", " : "", m->commands[i]);
			n++;
		}
	return n;
}
