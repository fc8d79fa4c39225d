/* objdump_mnemonic.c - `ebpf-objdump -d --dialect=mnemonic`: each code section as
 * assembly in the conformance suite's dialect that ebpf-as reads back: symbol labels
 * on their own lines, jump offsets as +N/-N, relocations as trailing comments. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "objdump_int.h"

/* Every symbol of the section at `offset` as a label line. */
static void print_labels_at(const struct objdump_labels *labels, uint64_t offset,
			    bool synthesized_first, FILE *out)
{
	size_t i;

	for (i = synthesized_first ? 1 : 0; i < labels->count; i++)
		if (labels->items[i].address == offset)
			fprintf(out, "%s:\n", labels->items[i].name);
}

/* " # R_BPF_64_64 counts" for each relocation inside [offset, end). */
static void print_reloc_comments(const struct objfmt_object *obj, size_t section,
				 uint64_t offset, uint64_t end, FILE *out)
{
	size_t i, count = objfmt_object__reloc_count(obj);

	for (i = 0; i < count; i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(obj, i);

		if (rel->section == section && rel->offset >= offset && rel->offset < end)
			fprintf(out, " # %s %s", objdump_reloc_type_name(rel->type),
				objdump_reloc_symbol_name(obj, rel));
	}
}

static int mnemonic_section(const struct objfmt_object *obj, size_t index, FILE *out)
{
	const struct objfmt_section *sec = objfmt_object__section(obj, index);
	struct objdump_labels labels;
	bool synthesized;
	uint64_t offset = 0;
	int err = objdump_labels_build(obj, index, &labels);

	if (err)
		return err;
	/* the label named after the section exists only when no symbol is at 0 */
	synthesized = labels.count > 0 && labels.items[0].name == sec->name;
	fprintf(out, "# section %s\n", sec->name);
	while (offset + 8 <= sec->size) {
		size_t remaining = (size_t)((sec->size - offset) / 8);
		struct objfmt_insn insns[2] = { { 0 } };
		struct objfmt_diag diag = { "", "" };
		char text[160];
		int slots;

		memcpy(insns, sec->data + offset, remaining >= 2 ? 16 : 8);
		print_labels_at(&labels, offset, synthesized, out);
		if (objfmt_disasm_insn(insns, remaining, OBJFMT_DIALECT_MNEMONIC, text,
				       sizeof(text), &diag) < 0) {
			fprintf(out, "# insn %" PRIu64 ": %s\n", offset / 8, diag.message);
			offset += 8;
			continue;
		}
		slots = objfmt_insn_slots(insns);
		fputs(text, out);
		print_reloc_comments(obj, index, offset, offset + 8 * (uint64_t)slots, out);
		fputc('\n', out);
		offset += 8 * (uint64_t)slots;
	}
	if (offset < sec->size)
		fprintf(out, "# %" PRIu64 " trailing bytes\n", sec->size - offset);
	objdump_labels_free(&labels);
	return 0;
}

int objdump_print_mnemonic(const struct objfmt_object *obj, const char *path, FILE *out,
			   struct objfmt_diag *diag)
{
	size_t i, count = objfmt_object__section_count(obj);
	int err;

	fprintf(out, "# %s: mnemonic dialect\n", path);
	for (i = 0; i < count; i++) {
		const struct objfmt_section *sec = objfmt_object__section(obj, i);

		if (!objdump_is_code(sec) || sec->size == 0)
			continue;
		err = mnemonic_section(obj, i, out);
		if (err)
			return objfmt_diag_set(diag, err, path, "out of memory");
	}
	return 0;
}
