/* elf_btf_fuzzer.c - libFuzzer target for the readers of untrusted objects: the ELF
 * reader (which also decodes .BTF/.BTF.ext) and, for inputs that are not ELF, the raw
 * .BTF and .BTF.ext decoders. Properties checked beyond "no crash, no leak, no hang":
 * a rejection always carries a one-line message, and whatever is accepted can be
 * written back, read again and gives the same sections and symbols. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

static void check_message(const struct objfmt_diag *diag)
{
	if (!diag->message[0] || strchr(diag->message, '\n') || strchr(diag->where, '\n'))
		abort(); /* a rejection must explain itself in one line */
}

static FILE *sink(void)
{
	static FILE *null_file;

	if (!null_file)
		null_file = fopen("/dev/null", "w");
	return null_file;
}

/* The accepted object writes back and reads again to the same sections and symbols. */
static void check_rewrite(const struct objfmt_object *obj)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_object *again;
	void *image = NULL;
	size_t size = 0;

	if (objfmt_elf_write_mem(obj, &image, &size, &diag) != 0)
		abort();
	again = objfmt_elf_read_mem(image, size, "rewritten.o", &diag);
	if (!again ||
	    objfmt_object__section_count(again) != objfmt_object__section_count(obj) ||
	    objfmt_object__symbol_count(again) != objfmt_object__symbol_count(obj) ||
	    objfmt_object__reloc_count(again) != objfmt_object__reloc_count(obj))
		abort();
	for (size_t i = 0; i < objfmt_object__section_count(obj); i++) {
		const struct objfmt_section *a = objfmt_object__section(obj, i);
		const struct objfmt_section *b = objfmt_object__section(again, i);

		if (a->size != b->size || strcmp(a->name, b->name) ||
		    (a->data && a->size && memcmp(a->data, b->data, a->size)))
			abort();
	}
	objfmt_object__free(again);
	free(image);
}

static void fuzz_elf(const uint8_t *data, size_t size)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_object *obj = objfmt_elf_read_mem(data, size, "fuzz.o", &diag);

	if (!obj) {
		check_message(&diag);
		return;
	}
	if (objfmt_object__btf(obj)) {
		objfmt_btf__validate(objfmt_object__btf(obj), &diag);
		objfmt_btf__dump(objfmt_object__btf(obj), sink());
	}
	check_rewrite(obj);
	objfmt_object__free(obj);
}

/* Input: u32 length L, L bytes of .BTF, then the .BTF.ext bytes. */
static void fuzz_btf(const uint8_t *data, size_t size)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct objfmt_btf *btf;
	struct objfmt_btf_ext *ext;
	uint32_t length;
	void *encoded = NULL;
	size_t encoded_size = 0;

	if (size < 4)
		return;
	memcpy(&length, data, 4);
	data += 4;
	size -= 4;
	if (length > size)
		length = (uint32_t)size;
	btf = objfmt_btf__decode(data, length, &diag);
	if (!btf) {
		check_message(&diag);
		return;
	}
	objfmt_btf__validate(btf, &diag);
	objfmt_btf__dump(btf, sink());
	ext = objfmt_btf_ext__decode(data + length, size - length, btf, &diag);
	if (ext && objfmt_btf_ext__encode(ext, btf, &encoded, &encoded_size) == 0)
		free(encoded);
	else if (!ext)
		check_message(&diag);
	if (objfmt_btf__encode(btf, &encoded, &encoded_size) == 0) {
		struct objfmt_btf *again = objfmt_btf__decode(encoded, encoded_size, &diag);

		if (!again)
			abort(); /* what we encode, we must decode */
		objfmt_btf__free(again);
		free(encoded);
	}
	objfmt_btf_ext__free(ext);
	objfmt_btf__free(btf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && memcmp(data, "\177ELF", 4) == 0)
		fuzz_elf(data, size);
	else
		fuzz_btf(data, size);
	return 0;
}
