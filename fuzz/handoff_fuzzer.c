/* handoff_fuzzer.c - libFuzzer target for the token hand-off: arbitrary bytes as a C
 * source file through the integrated preprocessor straight into the compiler (as
 * `ebpf-cc -c` compiles, no system directories); must never crash, leak or loop. The
 * first byte selects -O0/-O2 and -g. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ebpf/cc.h>

#include "cpp.h"
#include "driver_int.h"

static void ignore(void *context, const char *text)
{
	(void)context;
	(void)text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const predefined[] = { "__bpf__=1", "__BPF__=1", NULL };
	struct cc_cpp_arg args[] = { { CC_CPP_DEFINE, "FUZZ(x)=x##_" } };
	struct cpp_options cpp = { .args = args, .arg_count = 1, .predefined = predefined,
				   .no_standard_dirs = true, .diagnostic = ignore };
	struct cc_options opts = { .size = sizeof(opts) };
	struct objfmt_object *obj = NULL;
	struct cc_diagnostics *diags = NULL;
	struct cpp_result result;
	char path[64];
	int fd;

	if (size < 1)
		return 0;
	opts.optimize = data[0] & 1 ? 2 : 0;
	opts.debug_info = data[0] & 2;
	fd = memfd_create("fuzz.c", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		cpp.input = path;
		cc_driver_compile_cpp(&cpp, &result, path, &opts, &obj, &diags);
		cpp_result_free(&result);
		objfmt_object__free(obj);
		cc_diagnostics__free(diags);
	}
	close(fd);
	return 0;
}
