/* objdump_mnemonic.c - `ebpf-objdump -d --dialect=mnemonic`: each code section as
 * assembly in the conformance suite's dialect that ebpf-as reads back: symbol labels
 * on their own lines, jump offsets as +N/-N, bpf-to-bpf calls to labels (a symbol, or
 * a synthesized call_<insn>), relocations as trailing comments. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
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

/* Byte offset a bpf-to-bpf call at `offset` targets, or UINT64_MAX when it lies
 * outside the section (a relocated call into another section, or a bad offset). */
static uint64_t local_call_target(const struct objfmt_section *sec, uint64_t offset,
				  const struct objfmt_insn *insn)
{
	int64_t target = (int64_t)offset + 8 + (int64_t)insn->imm * 8;

	if (insn->code != 0x85 || insn->src_reg != OBJFMT_CALL_LOCAL || target < 0 ||
	    (uint64_t)target + 8 > sec->size)
		return UINT64_MAX;
	return (uint64_t)target;
}

/* Name of the label at `offset`: a symbol there, else a synthesized "call_<insn>". */
static const char *target_label(const struct objdump_labels *labels, bool synthesized,
				uint64_t offset, char *buf, size_t len)
{
	size_t i;

	for (i = synthesized ? 1 : 0; i < labels->count; i++)
		if (labels->items[i].address == offset)
			return labels->items[i].name;
	snprintf(buf, len, "call_%" PRIu64, offset / 8);
	return buf;
}

/* Mark the slots local calls go to, so they get a label line. */
static bool *find_call_targets(const struct objfmt_section *sec)
{
	size_t slots = (size_t)(sec->size / 8);
	bool *targets = calloc(slots + 1, sizeof(bool));
	uint64_t offset;

	for (offset = 0; targets && offset + 8 <= sec->size; offset += 8) {
		struct objfmt_insn insn;
		uint64_t target;

		memcpy(&insn, sec->data + offset, sizeof(insn));
		target = local_call_target(sec, offset, &insn);
		if (target != UINT64_MAX)
			targets[target / 8] = true;
	}
	return targets;
}

static int mnemonic_section(const struct objfmt_object *obj, size_t index, FILE *out)
{
	const struct objfmt_section *sec = objfmt_object__section(obj, index);
	struct objdump_labels labels;
	bool synthesized;
	uint64_t offset = 0;
	int err = objdump_labels_build(obj, index, &labels);
	bool *call_targets;
	char name[48];

	if (err)
		return err;
	call_targets = find_call_targets(sec);
	if (!call_targets) {
		objdump_labels_free(&labels);
		return -ENOMEM;
	}
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
		if (offset % 8 == 0 && call_targets[offset / 8] &&
		    target_label(&labels, synthesized, offset, name, sizeof(name)) == name)
			fprintf(out, "%s:\n", name);
		if (objfmt_disasm_insn(insns, remaining, OBJFMT_DIALECT_MNEMONIC, text,
				       sizeof(text), &diag) < 0) {
			fprintf(out, "# insn %" PRIu64 ": %s\n", offset / 8, diag.message);
			offset += 8;
			continue;
		}
		slots = objfmt_insn_slots(insns);
		if (local_call_target(sec, offset, insns) != UINT64_MAX)
			snprintf(text, sizeof(text), "call local %s",
				 target_label(&labels, synthesized,
					      local_call_target(sec, offset, insns), name,
					      sizeof(name)));
		fputs(text, out);
		print_reloc_comments(obj, index, offset, offset + 8 * (uint64_t)slots, out);
		fputc('\n', out);
		offset += 8 * (uint64_t)slots;
	}
	if (offset < sec->size)
		fprintf(out, "# %" PRIu64 " trailing bytes\n", sec->size - offset);
	free(call_targets);
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
