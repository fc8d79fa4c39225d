/* fuzz_load_run.h - the step the loader fuzzers share: open an ELF image, load it into
 * the emulated kernel and test-run every accepted program once on a small packet.
 * Invariants checked: every open/load failure carries a message. */
#ifndef FUZZ_LOAD_RUN_H
#define FUZZ_LOAD_RUN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/emu.h"
#include "ebpf/load.h"

/* One BPF_PROG_TEST_RUN of an accepted program on a zeroed 64-byte packet. */
static void fuzz_run_program(const struct ld_object *obj, const struct ld_program *prog)
{
	uint8_t packet[64] = { 0 }, out[256];
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)ld_program__fd(prog);
	attr.test.data_in = (uint64_t)(uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	attr.test.data_out = (uint64_t)(uintptr_t)out;
	attr.test.data_size_out = sizeof(out);
	attr.test.repeat = 1;
	ld_bpf(ld_object__backend(obj), BPF_PROG_TEST_RUN, &attr, sizeof(attr));
}

/* Open the image, load it (verifier log at log_level) and run what loaded; aborts
 * on a failure without a message. */
static void fuzz_load_and_run(const void *elf, size_t elf_size, uint32_t log_level)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = ld_object__open_mem(elf, elf_size, "fuzz.o", &diag);

	if (!obj) {
		if (!diag.message[0])
			abort(); /* a failure without a message */
		return;
	}
	struct ld_load_opts opts = { sizeof(opts), log_level, 4096, true,
				     emu_kernel_btf_model() };
	if (ld_object__load(obj, &ld_backend_emulator, &opts, &diag) && !diag.message[0])
		abort();
	for (size_t i = 0; i < ld_object__program_count(obj); i++) {
		const struct ld_program *prog = ld_object__program(obj, i);
		if (ld_program__fd(prog) >= 0)
			fuzz_run_program(obj, prog);
	}
	ld_object__free(obj);
}

#endif
