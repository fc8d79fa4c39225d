/* asmout.c - `ebpf-cc -S`: the object printed in the LLVM assembly dialect, code
 * through libobjfmt's disassembler with relocated operands spelled as symbols, data as
 * directives, so that ebpf-as reads it back into the same object. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "driver_int.h"

/* The relocation patching byte `offset` of section `sec`, or NULL. */
static const struct objfmt_reloc *reloc_at(const struct objfmt_object *obj, size_t sec,
					   uint64_t offset)
{
	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++) {
		const struct objfmt_reloc *r = objfmt_object__reloc(obj, i);

		if (r->section == sec && r->offset == offset)
			return r;
	}
	return NULL;
}

/* Symbol names that are words of the assembly language are printed quoted, as
 * llvm-mc reads them ("lock" is a map name in real programs). */
static const char *spelled(const char *name, char *buf, size_t size)
{
	static const char *const words[] = {
		"lock", "ll", "call", "callx", "goto", "gotol", "if", "exit", "may_goto",
		"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
		"w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10",
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(name, words[i])) {
			snprintf(buf, size, "\"%s\"", name);
			return buf;
		}
	return name;
}

/* A named symbol of `section` at `offset` (the spelling of a local reference the
 * object records as section symbol + offset), or NULL. */
static const char *symbol_at(const struct objfmt_object *obj, size_t section, uint64_t offset,
			     enum objfmt_sym_type type)
{
	for (size_t i = 0; i < objfmt_object__symbol_count(obj); i++) {
		struct objfmt_symbol *s = objfmt_object__symbol(obj, i);

		if (s->section == section && s->value == offset && s->type == type && s->name[0])
			return s->name;
	}
	return NULL;
}

/* The assembler-local label of unnamed data at section+offset: a string literal
 * starting there is `.L.str`, `.L.str.1`, ... by its place in .rodata.str1.1, as
 * clang names them; anything else `.L<section>.<offset>`. */
static void local_label(const struct objfmt_object *obj, size_t section, uint64_t offset,
			char *buf, size_t size)
{
	struct objfmt_section *sec = objfmt_object__section(obj, section);
	size_t index = 0;

	if (strcmp(sec->name, ".rodata.str1.1") || offset >= sec->size ||
	    (offset && sec->data[offset - 1])) {
		snprintf(buf, size, ".L%s.%" PRIu64, sec->name, offset);
		return;
	}
	for (uint64_t i = 0; i < offset; i++)
		index += !sec->data[i];
	if (index)
		snprintf(buf, size, ".L.str.%zu", index);
	else
		snprintf(buf, size, ".L.str");
}

/* How an operand relocated against symbol `index` with `offset` is spelled. */
static void reference(const struct objfmt_object *obj, size_t index, int64_t offset,
		      enum objfmt_sym_type type, char *buf, size_t size)
{
	struct objfmt_symbol *s = objfmt_object__symbol(obj, index);
	const char *name;

	char quoted[256];

	if (s->type != OBJFMT_SYM_SECTION) {
		snprintf(buf, size, "%s", spelled(s->name, quoted, sizeof(quoted)));
		return;
	}
	name = symbol_at(obj, s->section, (uint64_t)offset, type);
	if (!name && type == OBJFMT_SYM_OBJECT) /* a static function's address (callback) */
		name = symbol_at(obj, s->section, (uint64_t)offset, OBJFMT_SYM_FUNC);
	if (name)
		snprintf(buf, size, "%s", spelled(name, quoted, sizeof(quoted)));
	else
		local_label(obj, s->section, (uint64_t)offset, buf, size);
}

/* Whether some instruction or datum refers to unnamed data at section+offset, which
 * then needs an assembler-local label there. */
static bool needs_local_label(const struct objfmt_object *obj, size_t section, uint64_t offset)
{
	if (symbol_at(obj, section, offset, OBJFMT_SYM_OBJECT))
		return false;
	for (size_t i = 0; i < objfmt_object__reloc_count(obj); i++) {
		const struct objfmt_reloc *r = objfmt_object__reloc(obj, i);
		struct objfmt_symbol *s = objfmt_object__symbol(obj, r->symbol);
		struct objfmt_section *code = objfmt_object__section(obj, r->section);

		if (s->type != OBJFMT_SYM_SECTION || s->section != section ||
		    r->type != OBJFMT_R_BPF_64_64)
			continue;
		if ((uint64_t)(uint32_t)((const struct objfmt_insn *)(code->data + r->offset))->imm ==
		    offset)
			return true;
	}
	return false;
}

static void print_symbols_at(const struct objfmt_object *obj, size_t sec, uint64_t offset,
			     FILE *out)
{
	for (size_t i = 0; i < objfmt_object__symbol_count(obj); i++) {
		struct objfmt_symbol *s = objfmt_object__symbol(obj, i);

		if (s->section != sec || s->value != offset || s->type == OBJFMT_SYM_SECTION ||
		    s->type == OBJFMT_SYM_FILE)
			continue;
		char quoted[256];
		const char *name = spelled(s->name, quoted, sizeof(quoted));

		if (s->bind != OBJFMT_BIND_LOCAL)
			fprintf(out, "\t.%s\t%s\n", s->bind == OBJFMT_BIND_WEAK ? "weak" : "globl",
				name);
		if (s->vis == OBJFMT_VIS_HIDDEN)
			fprintf(out, "\t.hidden\t%s\n", name);
		fprintf(out, "\t.type\t%s,@%s\n", name,
			s->type == OBJFMT_SYM_FUNC ? "function" : "object");
		fprintf(out, "\t.size\t%s, %" PRIu64 "\n", name, s->size);
		fprintf(out, "%s:\n", name);
	}
}

/* The function a call resolved within its own section lands on (no relocation). */
static const char *local_call_target(const struct objfmt_object *obj, size_t sec_index,
				     int64_t offset)
{
	for (size_t i = 0; i < objfmt_object__symbol_count(obj); i++) {
		struct objfmt_symbol *s = objfmt_object__symbol(obj, i);

		if (s->section == sec_index && (int64_t)s->value == offset &&
		    s->type == OBJFMT_SYM_FUNC)
			return s->name;
	}
	return NULL;
}

static int print_code(const struct objfmt_object *obj, size_t sec_index, FILE *out)
{
	struct objfmt_section *sec = objfmt_object__section(obj, sec_index);
	const struct objfmt_insn *insns = (const struct objfmt_insn *)sec->data;
	size_t count = sec->size / sizeof(*insns);

	fprintf(out, "\t.section\t%s,\"ax\",@progbits\n", sec->name);
	for (size_t i = 0; i < count;) {
		char text[128];
		const struct objfmt_reloc *r = reloc_at(obj, sec_index, i * sizeof(*insns));
		int slots = objfmt_insn_slots(&insns[i]);

		print_symbols_at(obj, sec_index, i * sizeof(*insns), out);
		if (r && insns[i].code == 0x18) {
			reference(obj, r->symbol, insns[i].imm, OBJFMT_SYM_OBJECT, text, sizeof(text));
			fprintf(out, "\tr%d = %s ll\n", insns[i].dst_reg, text);
		} else if (r && insns[i].code == 0x85) {
			reference(obj, r->symbol, ((int64_t)insns[i].imm + 1) * 8, OBJFMT_SYM_FUNC, text,
				  sizeof(text));
			fprintf(out, "\tcall %s\n", text);
		} else if (insns[i].code == 0x85 && insns[i].src_reg == 1 &&
			   local_call_target(obj, sec_index,
					     ((int64_t)i + 1 + insns[i].imm) * 8)) {
			const char *target = local_call_target(obj, sec_index,
							       ((int64_t)i + 1 + insns[i].imm) * 8);

			fprintf(out, "\tcall %s\n", spelled(target, text, sizeof(text)));
		} else if (objfmt_disasm_insn(&insns[i], count - i, OBJFMT_DIALECT_LLVM, text,
					      sizeof(text), NULL) < 0) {
			return -EINVAL;
		} else {
			fprintf(out, "\t%s\n", text);
		}
		i += (size_t)slots;
	}
	return 0;
}

static void print_data(const struct objfmt_object *obj, size_t sec_index, FILE *out)
{
	struct objfmt_section *sec = objfmt_object__section(obj, sec_index);
	bool nobits = sec->kind == OBJFMT_SEC_NOBITS;

	if (sec->flags & OBJFMT_SHF_MERGE) /* mergeable strings: flags and entry size */
		fprintf(out, "\t.section\t%s,\"aM%s\",@progbits,%" PRIu64 "\n", sec->name,
			sec->flags & OBJFMT_SHF_STRINGS ? "S" : "", sec->entsize);
	else
		fprintf(out, "\t.section\t%s,\"a%s\",@%s\n", sec->name,
			sec->flags & OBJFMT_SHF_WRITE ? "w" : "", nobits ? "nobits" : "progbits");
	fprintf(out, "\t.p2align\t%d\n", __builtin_ctzll(sec->align ? sec->align : 1));
	for (uint64_t off = 0; off < sec->size;) {
		const struct objfmt_reloc *r = reloc_at(obj, sec_index, off);

		print_symbols_at(obj, sec_index, off, out);
		if (needs_local_label(obj, sec_index, off)) {
			char label[64];

			local_label(obj, sec_index, off, label, sizeof(label));
			fprintf(out, "%s:\n", label);
		}
		if (r) {
			char name[256];

			reference(obj, r->symbol, 0, OBJFMT_SYM_FUNC, name, sizeof(name));
			fprintf(out, "\t.quad\t%s\n", name);
			off += 8;
		} else if (nobits) {
			fprintf(out, "\t.zero\t1\n");
			off++;
		} else {
			fprintf(out, "\t.byte\t%u\n", sec->data[off]);
			off++;
		}
	}
}

/* .BTF and .BTF.ext as bytes, encoded exactly as the ELF writer encodes them. */
static int print_btf(const struct objfmt_object *obj, FILE *out)
{
	struct objfmt_btf *btf = objfmt_object__btf(obj);
	struct objfmt_btf_ext *ext = objfmt_object__btf_ext(obj);
	void *bytes[2] = { NULL, NULL };
	size_t sizes[2] = { 0, 0 };
	static const char *const names[2] = { ".BTF", ".BTF.ext" };
	int err = 0;

	if (!btf)
		return 0;
	if (ext)
		err = objfmt_btf_ext__encode(ext, btf, &bytes[1], &sizes[1]);
	if (!err)
		err = objfmt_btf__encode(btf, &bytes[0], &sizes[0]);
	for (int s = 0; !err && s < 2; s++) {
		if (!bytes[s])
			continue;
		fprintf(out, "\t.section\t%s,\"\",@progbits\n\t.p2align\t2\n", names[s]);
		for (size_t i = 0; i < sizes[s]; i++)
			fprintf(out, "%s%u%s", i % 16 ? "," : "\t.byte\t",
				((unsigned char *)bytes[s])[i], i % 16 == 15 || i + 1 == sizes[s]
				? "\n" : "");
	}
	free(bytes[0]);
	free(bytes[1]);
	return err;
}

int cc_driver_write_assembly(const struct objfmt_object *obj, FILE *out)
{

	for (size_t i = 0; i < objfmt_object__section_count(obj); i++) {
		struct objfmt_section *sec = objfmt_object__section(obj, i);

		if (sec->flags & OBJFMT_SHF_EXECINSTR) {
			if (print_code(obj, i, out))
				return -EINVAL;
		} else {
			print_data(obj, i, out);
		}
	}
	if (print_btf(obj, out))
		return -EINVAL;
	return ferror(out) ? -EIO : 0;
}
