/* cc_fuzzer.c - libFuzzer target for libcc: arbitrary bytes as pre-processed C through
 * the lexer, parser, code generation and BTF; must never crash, leak or loop. The
 * first byte selects -O0/-O2 and -g. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <ebpf/cc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cc_options opts = { .size = sizeof(opts) };
	struct objfmt_object *obj = NULL;
	struct cc_diagnostics *diags = NULL;

	if (size < 1)
		return 0;
	opts.optimize = data[0] & 1 ? 2 : 0;
	opts.debug_info = data[0] & 2;
	cc_compile_buffer((const char *)data + 1, size - 1, "fuzz.c", &opts, &obj, &diags);
	objfmt_object__free(obj);
	cc_diagnostics__free(diags);
	return 0;
}
