/* cpp_fuzzer.c - libFuzzer target for ebpf-cc's integrated preprocessor: arbitrary bytes
 * as a C source file (directives, macros, #if expressions), no system directories;
 * must never crash, leak or loop, and the output text has no NUL inside it. Inputs of
 * odd length run with -dD (definitions printed in the text). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpp.h"

static void ignore(void *context, const char *text)
{
	(void)context;
	(void)text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const predefined[] = { "__bpf__=1", "__BPF__=1", NULL };
	struct cc_cpp_arg args[] = { { CC_CPP_DEFINE, "FUZZ(x)=x##_" } };
	struct cpp_options opts = { .args = args, .arg_count = 1, .predefined = predefined,
				    .builtin_count = 1, .no_standard_dirs = true,
				    .diagnostic = ignore };
	struct cpp_result result;
	char path[64];
	int fd = memfd_create("fuzz.c", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		opts.input = path;
		opts.dump_defines = size & 1; /* -dD on half of the inputs */
		if (cpp_preprocess(&opts, &result) == 0 && strlen(result.text) != result.size)
			abort();
		cpp_result_free(&result);
	}
	close(fd);
	return 0;
}
