/* compile.c - .bpf.c inputs of ebpf-run: preprocessed by `ebpf-cc -E` (the system
 * preprocessor with the BPF target's predefined macros, as ebpf-cc runs it), then
 * compiled in-process by libcc with -O2 -g into the object model the loader opens.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ebpf/cc.h"
#include "run_int.h"

/* dir + suffix into path when it fits and names an executable. */
static bool executable_at(char *path, size_t size, const char *dir, const char *suffix)
{
	size_t dir_len = strlen(dir), suffix_len = strlen(suffix);

	if (dir_len + suffix_len + 1 > size)
		return false;
	memcpy(path, dir, dir_len);
	memcpy(path + dir_len, suffix, suffix_len + 1);
	return access(path, X_OK) == 0;
}

/* $EBPF_CC, else ebpf-cc next to this ebpf-run (build tree: ../cc/, installed: the same
 * bindir), else the PATH. */
static void find_ebpf_cc(char *path, size_t size)
{
	const char *env = getenv("EBPF_CC");
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (env && *env && strlen(env) < size) {
		memcpy(path, env, strlen(env) + 1);
		return;
	}
	if (len > 0) {
		self[len] = '\0';
		*strrchr(self, '/') = '\0';
		if (executable_at(path, size, self, "/../cc/ebpf-cc") ||
		    executable_at(path, size, self, "/ebpf-cc"))
			return;
	}
	snprintf(path, size, "%s", "ebpf-cc");
}

/* Run `ebpf-cc -E [cpp flags] FILE` and capture its output. */
static int preprocess(const char *file, const struct run_options *opts, char **text,
		      size_t *size, struct ld_diag *diag)
{
	const char *argv[2 * RUN_MAX_CPP_FLAGS + 4];
	char cc[PATH_MAX];
	int pipefd[2], argc = 0, status;
	FILE *out;

	find_ebpf_cc(cc, sizeof(cc));
	argv[argc++] = cc;
	argv[argc++] = "-E";
	for (size_t i = 0; i < opts->cpp_flag_count; i++)
		argv[argc++] = opts->cpp_flags[i];
	argv[argc++] = file;
	argv[argc] = NULL;
	if (pipe(pipefd))
		return run_diag(diag, -errno, "%s: pipe: %s", file, strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "ebpf-run: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	*text = NULL;
	*size = 0;
	FILE *collect = open_memstream(text, size);
	char buf[65536];
	size_t got;
	while (out && collect && (got = fread(buf, 1, sizeof(buf), out)) > 0)
		fwrite(buf, 1, got, collect);
	if (collect)
		fclose(collect);
	if (out)
		fclose(out);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(*text);
		*text = NULL;
		return run_diag(diag, -EINVAL, "%s: preprocessing with %s -E failed", file, cc);
	}
	return 0;
}

/* Compiler diagnostics, errors first, as one message. */
static void format_diagnostics(const struct cc_diagnostics *list, struct ld_diag *diag)
{
	size_t used = 0;

	for (size_t i = 0; i < cc_diagnostics__count(list) && used + 1 < sizeof(diag->message); i++) {
		const struct cc_diagnostic *d = cc_diagnostics__get(list, i);
		if (d->severity != CC_SEVERITY_ERROR)
			continue;
		int n = cc_diagnostic__format(d, diag->message + used, sizeof(diag->message) - used);
		used += n > 0 ? (size_t)n : 0;
		if (used >= sizeof(diag->message))
			used = sizeof(diag->message) - 1;
	}
	while (used > 0 && diag->message[used - 1] == '\n')
		diag->message[--used] = '\0';
}

struct ld_object *run_compile_c(const char *file, const struct run_options *opts,
				struct ld_diag *diag)
{
	struct cc_options cc_opts = { sizeof(cc_opts), 2, true, false, 0 };
	struct objfmt_object *model = NULL;
	struct cc_diagnostics *list = NULL;
	char *text;
	size_t size;
	int err = preprocess(file, opts, &text, &size, diag);

	if (err) {
		errno = -err;
		return NULL;
	}
	err = cc_compile_buffer(text, size, file, &cc_opts, &model, &list);
	free(text);
	if (err) {
		format_diagnostics(list, diag);
		if (!diag->message[0])
			run_diag(diag, err, "%s: compilation failed: %s", file, strerror(-err));
	}
	cc_diagnostics__free(list);
	if (err) {
		errno = -err;
		return NULL;
	}
	return ld_object__open_object(model, file, diag);
}
