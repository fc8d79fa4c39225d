/* open.c - ebpf-run's inputs as loader objects: ELF objects are opened directly; the
 * report's error helper lives here too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

struct ld_object *run_open_object(const char *path, struct ld_diag *diag)
{
	if (has_suffix(path, ".c")) {
		run_diag(diag, -ENOTSUP,
			 "%s: compiling C in-process needs the ebpf-cc library, which this build "
			 "does not include yet; compile it first (ebpf-cc or clang -O2 -g -target bpf -c)",
			 path);
		errno = ENOTSUP;
		return NULL;
	}
	return ld_object__open_file(path, diag);
}
