/* link_fuzzer.c - libFuzzer target of the static linker: 1-3 arbitrary ELF objects
 * (split at LINK_SEPARATOR) read, added and linked. Invariants: no crash, no leak, every
 * failure has a message, and a linked object writes as ELF, reads back and opens in
 * the loader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/link.h"
#include "ebpf/load.h"
#include "ebpf/objfmt.h"

#define LINK_SEPARATOR "\n--LINK-NEXT--\n"
#define LINK_MAX_INPUTS 3

/* Add one input; returns 0 when the linker may go on. */
static int add_input(struct ld_linker *linker, const uint8_t *data, size_t size,
		     const char *name, struct ld_diag *diag)
{
	struct objfmt_object *obj = objfmt_elf_read_mem(data, size, name, NULL);

	if (!obj)
		return 1; /* not an object: nothing for the linker to see */
	int ret = ld_linker__add_object(linker, obj, name, diag);
	objfmt_object__free(obj);
	if (ret && !diag->message[0])
		abort(); /* a failure without a message */
	return ret;
}

/* The linked object must serialize, read back and open in the loader. */
static void check_output(struct objfmt_object *linked)
{
	struct ld_diag diag = {{0}};
	void *elf = NULL;
	size_t elf_size = 0;

	if (objfmt_elf_write_mem(linked, &elf, &elf_size, NULL))
		abort(); /* the linker built something the ELF writer cannot write */
	struct objfmt_object *back = objfmt_elf_read_mem(elf, elf_size, "linked.o", NULL);
	if (!back)
		abort(); /* our own output must read back */
	objfmt_object__free(back);
	struct ld_object *opened = ld_object__open_mem(elf, elf_size, "linked.o", &diag);
	if (!opened && !diag.message[0])
		abort();
	ld_object__free(opened);
	free(elf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char names[LINK_MAX_INPUTS][8] = { "a.o", "b.o", "c.o" };
	const size_t sep_len = strlen(LINK_SEPARATOR);
	struct ld_linker *linker = ld_linker__new();
	struct ld_diag diag = {{0}};
	int added = 0;

	if (!linker)
		return 0;
	for (int i = 0; i < LINK_MAX_INPUTS && size; i++) {
		const uint8_t *end = i + 1 < LINK_MAX_INPUTS ?
			memmem(data, size, LINK_SEPARATOR, sep_len) : NULL;
		size_t part = end ? (size_t)(end - data) : size;
		int ret = add_input(linker, data, part, names[i], &diag);
		if (ret < 0)
			goto out; /* the linker is unusable now */
		added += ret == 0;
		if (!end)
			break;
		data = end + sep_len;
		size -= part + sep_len;
	}
	if (added) {
		struct objfmt_object *linked = ld_linker__finish(linker, &diag);
		if (linked) {
			check_output(linked);
			objfmt_object__free(linked);
		} else if (!diag.message[0]) {
			abort();
		}
	}
out:
	ld_linker__free(linker);
	return 0;
}
