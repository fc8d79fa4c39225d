/* ld_open_fuzzer.c - libFuzzer target of the loader: open arbitrary bytes as an
 * object (ELF, BTF, .BTF.ext, maps, relocations) and, when that succeeds, load it
 * through a fake bpf() backend so CO-RE, linking and map/slot handling run too. Invariants:
 * no crash, no leak, and every failure comes with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/load.h"

/* fds far above any real descriptor: close() on them is a harmless EBADF */
#define FAKE_FD_BASE 1000000
static int next_fd;

static long fake_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	(void)attr;
	(void)size;
	if (cmd == BPF_BTF_LOAD || cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD)
		return FAKE_FD_BASE + next_fd++;
	return cmd == BPF_OBJ_GET_INFO_BY_FD ? -22 : 0;
}

static const struct ld_backend fake_backend = { "fuzz", fake_bpf };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_diag diag = {{0}};
	struct ld_object *obj = ld_object__open_mem(data, size, "fuzz.o", &diag);

	if (!obj) {
		if (!diag.message[0])
			abort(); /* a failure without a message */
		return 0;
	}
	next_fd = 0;
	/* the object's own BTF as CO-RE target exercises the relocation matcher */
	struct ld_load_opts opts = { sizeof(opts), 0, 4096, true, ld_object__btf(obj) };
	if (ld_object__load(obj, &fake_backend, &opts, &diag) && !diag.message[0])
		abort();
	ld_object__free(obj);
	return 0;
}
