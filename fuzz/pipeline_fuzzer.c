/* pipeline_fuzzer.c - libFuzzer target of the whole toolchain: text through libcc
 * (pre-processed C) or libasm (first byte: bit 0 picks asm, bit 1 -O2 / the LLVM
 * dialect), the result written as ELF, read back, loaded into the emulated kernel and
 * every accepted program test-run once. Invariants: no crash, no leak, what a front end
 * accepts writes and reads back as ELF, every loader failure has a message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/asm.h"
#include "ebpf/cc.h"
#include "fuzz_load_run.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[64];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/pipeline_fuzzer-%ld", (long)getpid());
	setenv("EBPF_BPFFS", dir, 1);
	setenv("EBPF_EMU_KERNEL_BTF", "builtin", 1);
	return 0;
}

/* The front end's object, or NULL when it rejected the text. */
static struct objfmt_object *translate(uint8_t mode, const char *text, size_t size)
{
	struct objfmt_object *obj = NULL;

	if (mode & 1) {
		struct asm_options opts = { .size = sizeof(opts) };
		struct asm_diagnostics *diags = NULL;
		opts.dialect = mode & 2 ? ASM_DIALECT_LLVM : ASM_DIALECT_AUTO;
		asm_assemble_buffer(text, size, "fuzz.s", &opts, &obj, &diags);
		asm_diagnostics__free(diags);
	} else {
		struct cc_options opts = { .size = sizeof(opts), .debug_info = true };
		struct cc_diagnostics *diags = NULL;
		opts.optimize = mode & 2 ? 2 : 0;
		cc_compile_buffer(text, size, "fuzz.c", &opts, &obj, &diags);
		cc_diagnostics__free(diags);
	}
	return obj;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *elf = NULL;
	size_t elf_size = 0;

	if (size == 0)
		return 0;
	struct objfmt_object *obj = translate(data[0], (const char *)data + 1, size - 1);
	if (!obj)
		return 0;
	if (objfmt_elf_write_mem(obj, &elf, &elf_size, NULL))
		abort(); /* a front end built what the ELF writer cannot write */
	objfmt_object__free(obj);
	struct objfmt_object *back = objfmt_elf_read_mem(elf, elf_size, "fuzz.o", NULL);
	if (!back)
		abort(); /* our own output must read back */
	objfmt_object__free(back);
	fuzz_load_and_run(elf, elf_size, 0);
	free(elf);
	return 0;
}
