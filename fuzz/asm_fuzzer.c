/* asm_fuzzer.c - libFuzzer target for libasm: arbitrary text in either dialect (first
 * byte picks it) must assemble or be rejected with diagnostics, never crash; what
 * assembles must serialize to ELF and read back. */
#include <stdint.h>
#include <stdlib.h>

#include <ebpf/asm.h>
#include <ebpf/objfmt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asm_options opts = { .size = sizeof(opts), .max_errors = 50 };
	struct objfmt_object *obj = NULL, *back;
	struct asm_diagnostics *diags = NULL;
	char line[1024];
	void *elf = NULL;
	size_t elf_size = 0;

	if (size == 0)
		return 0;
	opts.dialect = (enum asm_dialect)(data[0] % 3);
	if (asm_assemble_buffer((const char *)data + 1, size - 1, "fuzz.s", &opts, &obj,
				&diags) == 0) {
		if (asm_diagnostics__error_count(diags) != 0)
			abort(); /* success must mean no errors */
		if (objfmt_elf_write_mem(obj, &elf, &elf_size, NULL) == 0) {
			back = objfmt_elf_read_mem(elf, elf_size, "fuzz.o", NULL);
			if (!back)
				abort(); /* our own output must read back */
			objfmt_object__free(back);
			free(elf);
		}
	} else if (obj || asm_diagnostics__error_count(diags) == 0) {
		abort(); /* failure must leave no object and say why */
	}
	for (size_t i = 0; i < asm_diagnostics__count(diags); i++)
		asm_diagnostic__format(asm_diagnostics__get(diags, i), line, sizeof(line));
	asm_diagnostics__free(diags);
	objfmt_object__free(obj);
	return 0;
}
