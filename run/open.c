/* open.c - ebpf-run's inputs as loader objects: ELF objects are opened directly,
 * assembly (.s) is assembled in-process by libasm, C goes to compile.c; the error
 * helper lives here too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ebpf/asm.h"
#include "run_int.h"

int run_diag(struct ld_diag *diag, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
	va_end(ap);
	return err;
}

static bool has_suffix(const char *path, const char *suffix)
{
	size_t len = strlen(path), slen = strlen(suffix);
	return len >= slen && strcmp(path + len - slen, suffix) == 0;
}

/* Assemble `path`; diagnostics (compiler style, with source line and caret) go into
 * diag, errors first. */
static struct ld_object *open_assembly(const char *path, struct ld_diag *diag)
{
	struct objfmt_object *model = NULL;
	struct asm_diagnostics *list = NULL;
	int err = asm_assemble_file(path, NULL, &model, &list);
	size_t used = 0;

	for (size_t i = 0; err && i < asm_diagnostics__count(list) && used < sizeof(diag->message); i++) {
		int n = asm_diagnostic__format(asm_diagnostics__get(list, i), diag->message + used,
					       sizeof(diag->message) - used);
		used += n > 0 ? (size_t)n : 0;
		if (used >= sizeof(diag->message))
			used = sizeof(diag->message) - 1;
	}
	while (used > 0 && diag->message[used - 1] == '\n') /* the tool adds the last one */
		diag->message[--used] = '\0';
	asm_diagnostics__free(list);
	if (err) {
		if (!used)
			run_diag(diag, err, "%s: %s", path, strerror(-err));
		errno = -err;
		return NULL;
	}
	return ld_object__open_object(model, path, diag);
}

struct ld_object *run_open_object(const char *path, const struct run_options *opts,
				  struct ld_diag *diag)
{
	if (has_suffix(path, ".s") || has_suffix(path, ".S"))
		return open_assembly(path, diag);
	if (has_suffix(path, ".c"))
		return run_compile_c(path, opts, diag);
	return ld_object__open_file(path, diag);
}
