/* compile.c - .bpf.c inputs of ebpf-run: preprocessed and compiled in-process by libcc
 * (cc_compile_file: the integrated preprocessor with the BPF target's macros, as
 * `ebpf-cc -c` runs it) with -O2 -g into the object model the loader opens. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ebpf/cc.h"
#include "run_int.h"

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
	struct cc_options cc_opts = { .size = sizeof(cc_opts), .optimize = 2, .debug_info = true };
	struct objfmt_object *model = NULL;
	struct cc_diagnostics *list = NULL;
	int err = cc_compile_file(file, opts->cpp_flags, opts->cpp_flag_count, &cc_opts, &model,
				  &list);

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
