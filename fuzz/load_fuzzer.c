/* load_fuzzer.c - libFuzzer target of the loader into the emulated kernel: arbitrary
 * bytes opened as an object, loaded (BTF, maps, CO-RE against the emulator's BTF,
 * relocation, the verifier), and every accepted program test-run once. Invariants: no
 * crash, no leak, every failure has a message, what the verifier accepts runs cleanly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/load.h"

/* Pins go to a private directory, not the bpffs the team's tests share; the built-in
 * kernel BTF keeps CO-RE matching quick and the same on every machine, unless
 * EBPF_EMU_KERNEL_BTF already names another (e.g. /sys/kernel/btf/vmlinux). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[64];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/load_fuzzer-%ld", (long)getpid());
	setenv("EBPF_BPFFS", dir, 1);
	setenv("EBPF_EMU_KERNEL_BTF", "builtin", 0);
	return 0;
}

/* One test run of an accepted program on a small packet. */
static void run_program(const struct ld_object *obj, const struct ld_program *prog)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = ld_object__open_mem(data, size, "fuzz.o", &diag);

	if (!obj) {
		if (!diag.message[0])
			abort(); /* a failure without a message */
		return 0;
	}
	struct ld_load_opts opts = { sizeof(opts), 1, 4096, true, emu_kernel_btf_model() };
	int ret = ld_object__load(obj, &ld_backend_emulator, &opts, &diag);
	if (ret && !diag.message[0])
		abort();
	for (size_t i = 0; i < ld_object__program_count(obj); i++) {
		const struct ld_program *prog = ld_object__program(obj, i);
		if (ld_program__fd(prog) >= 0)
			run_program(obj, prog);
	}
	ld_object__free(obj);
	return 0;
}
