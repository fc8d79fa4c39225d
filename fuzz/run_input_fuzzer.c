/* run_input_fuzzer.c - libFuzzer target of ebpf-run's input readers (libebpfrun): the
 * first byte picks hex text (--data-hex), a pcap capture read by libpcap (--pcap), or a
 * --maps-in file applied to a loaded object's maps. Invariants: no crash, no leak, every
 * failure has a message, a success gives its outputs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/load.h"
#include "run_int.h"

#ifndef RUN_INPUT_FUZZER_OBJECT
#error "RUN_INPUT_FUZZER_OBJECT: the object whose maps --maps-in fills"
#endif

static struct ld_object *maps_object; /* loaded once into the emulator */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ld_load_opts opts = { .size = sizeof(opts), .keep_going = true };
	struct ld_diag diag = {{0}};

	(void)argc;
	(void)argv;
	setenv("EBPF_EMU_KERNEL_BTF", "builtin", 1);
	maps_object = ld_object__open_file(RUN_INPUT_FUZZER_OBJECT, &diag);
	if (!maps_object) {
		fprintf(stderr, "run_input_fuzzer: %s\n", diag.message);
		exit(1);
	}
	/* the maps are created before the programs: a rejected program leaves them usable */
	if (ld_object__load(maps_object, &ld_backend_emulator, &opts, &diag))
		fprintf(stderr, "run_input_fuzzer: (maps stay usable) %s\n", diag.message);
	return 0;
}

/* A memfd holding the input, named by its /proc path; -1 on failure. */
static int memory_file(const uint8_t *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("run_input_fuzzer", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

static void fuzz_hex(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size), err[256] = "";
	uint8_t *bytes = NULL;
	size_t count = 0;

	if (!text)
		return;
	if (input_parse_hex(text, &bytes, &count, err, sizeof(err)) == 0)
		free(bytes);
	else if (!err[0])
		abort(); /* a failure without a message */
	free(text);
}

static void fuzz_pcap(const uint8_t *data, size_t size)
{
	struct run_options opts = { 0 };
	char path[64], err[512] = "";
	int fd = memory_file(data, size, path, sizeof(path));

	if (fd < 0)
		return;
	if (input_read_pcap(path, &opts, err, sizeof(err)) && !err[0])
		abort();
	for (size_t i = 0; i < opts.input_count; i++) {
		free(opts.inputs[i].label);
		free(opts.inputs[i].data);
	}
	free(opts.inputs);
	close(fd);
}

static void fuzz_maps_in(const uint8_t *data, size_t size)
{
	char path[64], err[512] = "";
	int fd = memory_file(data, size, path, sizeof(path));

	if (fd < 0)
		return;
	if (maps_in_apply(path, maps_object, emu_config_cpus(), err, sizeof(err)) && !err[0])
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0: fuzz_hex(data + 1, size - 1); break;
	case 1: fuzz_pcap(data + 1, size - 1); break;
	default: fuzz_maps_in(data + 1, size - 1); break;
	}
	return 0;
}
