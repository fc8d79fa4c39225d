/* load_fuzzer.c - libFuzzer target of the loader into the emulated kernel: arbitrary
 * bytes opened as an object, loaded (BTF, maps, CO-RE against the emulator's BTF,
 * relocation, the verifier), and every accepted program test-run once. Invariants: no
 * crash, no leak, every failure has a message, what the verifier accepts runs cleanly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_load_run.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load_and_run(data, size, 1);
	return 0;
}
