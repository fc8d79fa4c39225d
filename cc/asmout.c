/* asmout.c - `ebpf-cc -S`: the object printed in the LLVM assembly dialect, code
 * through libobjfmt's disassembler with relocated operands spelled as symbols, data as
 * directives, so that ebpf-as reads it back into the same object. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
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

static const char *symbol_name(const struct objfmt_object *obj, size_t index)
{
	struct objfmt_symbol *s = objfmt_object__symbol(obj, index);

	if (s->type == OBJFMT_SYM_SECTION)
		return objfmt_object__section(obj, s->section)->name;
	return s->name;
}

static void print_symbols_at(const struct objfmt_object *obj, size_t sec, uint64_t offset,
			     FILE *out)
{
	for (size_t i = 0; i < objfmt_object__symbol_count(obj); i++) {
		struct objfmt_symbol *s = objfmt_object__symbol(obj, i);

		if (s->section != sec || s->value != offset || s->type == OBJFMT_SYM_SECTION ||
		    s->type == OBJFMT_SYM_FILE)
			continue;
		if (s->bind != OBJFMT_BIND_LOCAL)
			fprintf(out, "\t.%s\t%s\n", s->bind == OBJFMT_BIND_WEAK ? "weak" : "globl",
				s->name);
		fprintf(out, "\t.type\t%s,@%s\n", s->name,
			s->type == OBJFMT_SYM_FUNC ? "function" : "object");
		fprintf(out, "\t.size\t%s, %" PRIu64 "\n", s->name, s->size);
		fprintf(out, "%s:\n", s->name);
	}
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
			fprintf(out, "\tr%d = %s ll\n", insns[i].dst_reg, symbol_name(obj, r->symbol));
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

	fprintf(out, "\t.section\t%s,\"a%s\",@%s\n", sec->name,
		sec->flags & OBJFMT_SHF_WRITE ? "w" : "", nobits ? "nobits" : "progbits");
	fprintf(out, "\t.p2align\t%d\n", __builtin_ctzll(sec->align ? sec->align : 1));
	for (uint64_t off = 0; off < sec->size;) {
		const struct objfmt_reloc *r = reloc_at(obj, sec_index, off);

		print_symbols_at(obj, sec_index, off, out);
		if (r) {
			fprintf(out, "\t.quad\t%s\n", symbol_name(obj, r->symbol));
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
	return ferror(out) ? -EIO : 0;
}
