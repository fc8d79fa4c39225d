/* objdump_listing.c - the llvm-objdump views of ebpf-objdump: -d (with -r inline
 * relocations), -r, -h and -t, in llvm-objdump 14's layout. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "objdump_int.h"

bool objdump_is_code(const struct objfmt_section *sec)
{
	return (sec->flags & OBJFMT_SHF_EXECINSTR) && sec->kind == OBJFMT_SEC_PROGBITS;
}

const char *objdump_reloc_type_name(enum objfmt_reloc_type type)
{
	switch (type) {
	case OBJFMT_R_BPF_NONE: return "R_BPF_NONE";
	case OBJFMT_R_BPF_64_64: return "R_BPF_64_64";
	case OBJFMT_R_BPF_64_ABS64: return "R_BPF_64_ABS64";
	case OBJFMT_R_BPF_64_ABS32: return "R_BPF_64_ABS32";
	case OBJFMT_R_BPF_64_NODYLD32: return "R_BPF_64_NODYLD32";
	case OBJFMT_R_BPF_64_32: return "R_BPF_64_32";
	}
	return "Unknown";
}

const char *objdump_reloc_symbol_name(const struct objfmt_object *obj,
				      const struct objfmt_reloc *rel)
{
	const struct objfmt_symbol *sym = objfmt_object__symbol(obj, rel->symbol);
	const struct objfmt_section *sec;

	if (!sym)
		return "*ABS*";
	if (sym->type != OBJFMT_SYM_SECTION)
		return sym->name;
	sec = objfmt_object__section(obj, sym->section);
	return sec ? sec->name : "";
}

/* Relocations of `section`, sorted by offset (malloc'ed array of borrowed pointers). */
static const struct objfmt_reloc **section_relocs(const struct objfmt_object *obj,
						  size_t section, size_t *count)
{
	size_t total = objfmt_object__reloc_count(obj), i, n = 0, j;
	const struct objfmt_reloc **list = malloc((total + 1) * sizeof(*list));

	if (!list)
		return NULL;
	for (i = 0; i < total; i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(obj, i);

		if (rel->section != section)
			continue;
		/* insertion keeps equal offsets in file order; input is nearly sorted */
		for (j = n; j > 0 && list[j - 1]->offset > rel->offset; j--)
			list[j] = list[j - 1];
		list[j] = rel;
		n++;
	}
	*count = n;
	return list;
}

/* State of disassembling one section. */
struct listing {
	const struct objfmt_object *obj;
	const struct objfmt_section *sec;
	struct objdump_labels labels;
	const struct objfmt_reloc **relocs; /* NULL unless -r */
	size_t reloc_count, reloc_next;
	FILE *out;
};

/* llvm-objdump skips runs of at least 8 zero bytes (in steps of 4) as "...". */
static uint64_t skippable_zeros(const uint8_t *bytes, uint64_t size)
{
	uint64_t n = 0;

	while (n < size && bytes[n] == 0)
		n++;
	return n < 8 ? 0 : n & ~(uint64_t)3;
}

/* LLVM decodes register fields up to r11 (its scratch register) and fails above;
 * fields the form does not use are not looked at. */
static bool llvm_registers_valid(enum objfmt_op op, const struct objfmt_insn *insn)
{
	const struct objfmt_opinfo *row = objfmt_opinfo(op);
	bool dst = true, src = false;

	switch (row->form) {
	case OBJFMT_FORM_ALU_REG: case OBJFMT_FORM_LDX: case OBJFMT_FORM_STX:
	case OBJFMT_FORM_ATOMIC: case OBJFMT_FORM_JMP_REG:
		src = true;
		break;
	case OBJFMT_FORM_LD_IND:
		dst = false;
		src = true;
		break;
	case OBJFMT_FORM_LD_ABS: case OBJFMT_FORM_JA: case OBJFMT_FORM_CALL:
	case OBJFMT_FORM_EXIT:
		dst = false;
		break;
	default:
		break;
	}
	return (!dst || insn->dst_reg <= 11) && (!src || insn->src_reg <= 11);
}

/* The atomic row LLVM decodes from imm: it looks at the low byte only; xchg and
 * cmpxchg need it exact, the others match on the operation nibble, with fetch when
 * the low nibble is exactly 1. */
static enum objfmt_op llvm_atomic(uint8_t code, int32_t imm)
{
	static const uint8_t operations[] = { OBJFMT_ATOMIC_ADD, OBJFMT_ATOMIC_OR,
					      OBJFMT_ATOMIC_AND, OBJFMT_ATOMIC_XOR };
	struct objfmt_insn probe = { .code = code };
	uint8_t low = (uint8_t)imm;
	size_t i;

	probe.imm = low;
	if (low == OBJFMT_ATOMIC_XCHG || low == OBJFMT_ATOMIC_CMPXCHG)
		return objfmt_insn_identify(&probe);
	for (i = 0; i < sizeof(operations); i++)
		if ((low & 0xf0) == operations[i]) {
			probe.imm = operations[i] | ((low & 0x0f) == OBJFMT_ATOMIC_FETCH);
			return objfmt_insn_identify(&probe);
		}
	return OBJFMT_OP_INVALID;
}

/* Which row llvm-objdump prints for `insns`: LLVM ignores most unused fields (so the
 * strict decoder is too strict here) but fixes a few. Rules measured against
 * llvm-objdump 14 (and 19 for the v4 rows) one field at a time. */
static enum objfmt_op llvm_identify(const struct objfmt_insn *insns)
{
	struct objfmt_insn probe = insns[0];
	enum objfmt_op op;

	switch (insns->code) {
	case 0x34: case 0x37: case 0x3c: case 0x3f: /* LLVM 14 div ignores off unless 1 */
	case 0xb4: case 0xb7:                       /* LLVM 14 mov-imm ignores off */
		if (probe.off != 1 || insns->code == 0xb4 || insns->code == 0xb7)
			probe.off = 0;
		break;
	case 0xc3: case 0xdb:
		probe.imm = 0; /* identified below by llvm_atomic */
		break;
	case 0x95: /* exit: LLVM fixes imm to 0 */
		if (insns->imm != 0)
			return OBJFMT_OP_INVALID;
		break;
	case 0x18: /* ld_imm64: LLVM fixes off of the first slot to 0 */
		if (insns->off != 0)
			return OBJFMT_OP_INVALID;
		break;
	}
	op = objfmt_insn_identify(&probe);
	if (insns->code == 0xc3 || insns->code == 0xdb)
		op = llvm_atomic(insns->code, insns->imm);
	if (op == OBJFMT_OP_LDABSDW || op == OBJFMT_OP_LDINDDW)
		return OBJFMT_OP_INVALID; /* not in the ISA; LLVM does not know them either */
	if (op != OBJFMT_OP_INVALID && !llvm_registers_valid(op, insns))
		return OBJFMT_OP_INVALID;
	return op;
}

/* Bytes consumed and text of the instruction at `offset`; LLVM's lenient decoding. */
static uint64_t listing_decode(const struct listing *l, uint64_t offset, char *text,
			       size_t len, enum objfmt_op *op_out)
{
	uint64_t left = l->sec->size - offset;
	struct objfmt_insn insns[2];
	enum objfmt_op op;

	*op_out = OBJFMT_OP_INVALID;
	if (left < 8) {
		snprintf(text, len, "<unknown>");
		return 1;
	}
	memcpy(insns, l->sec->data + offset, left >= 16 ? 16 : 8);
	op = llvm_identify(insns);
	if (op == OBJFMT_OP_LDDW && left < 16) {
		snprintf(text, len, "<unknown>");
		return 1;
	}
	objfmt_disasm_llvm(op, insns, text, len);
	*op_out = op;
	return op == OBJFMT_OP_LDDW ? 16 : 8;
}

/* " <name+0x18>" for branches, like llvm-objdump's target annotation. */
static void branch_annotation(const struct listing *l, enum objfmt_op op, uint64_t offset,
			      char *buf, size_t len)
{
	const struct objfmt_opinfo *row = objfmt_opinfo(op);
	const struct objdump_label *label;
	struct objfmt_insn insn;
	int64_t delta;
	uint64_t target;

	buf[0] = '\0';
	if (!row || (row->form != OBJFMT_FORM_JA && row->form != OBJFMT_FORM_JMP_IMM &&
		     row->form != OBJFMT_FORM_JMP_REG))
		return;
	memcpy(&insn, l->sec->data + offset, sizeof(insn));
	delta = row->code == 0x06 ? insn.imm : insn.off;
	target = offset + 8 + (uint64_t)(delta * 8);
	label = objdump_labels_find(&l->labels, target);
	if (!label)
		return;
	if (target == label->address)
		snprintf(buf, len, " <%s>", label->name);
	else
		snprintf(buf, len, " <%s+0x%" PRIx64 ">", label->name, target - label->address);
}

static void print_instruction(struct listing *l, uint64_t offset, uint64_t size,
			      const char *text, const char *annotation)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *bytes = l->sec->data + offset;
	char column[16 * 3 + 1];
	uint64_t i;

	for (i = 0; i < size; i++) {
		column[i * 3] = hex[bytes[i] >> 4];
		column[i * 3 + 1] = hex[bytes[i] & 15];
		column[i * 3 + 2] = ' ';
	}
	column[size * 3 - 1] = '\0';
	fprintf(l->out, "%8" PRIu64 ":\t%s\t%s%s\n", offset / 8, column, text, annotation);
}

/* Relocations patching bytes before `end` go right after the instruction. */
static void print_inline_relocs(struct listing *l, uint64_t end)
{
	while (l->relocs && l->reloc_next < l->reloc_count &&
	       l->relocs[l->reloc_next]->offset < end) {
		const struct objfmt_reloc *rel = l->relocs[l->reloc_next++];

		fprintf(l->out, "\t\t%016" PRIx64 ":  %s\t%s\n", rel->offset,
			objdump_reloc_type_name(rel->type), objdump_reloc_symbol_name(l->obj, rel));
	}
}

/* Zero bytes that may be skipped at `offset`, stopping at the next relocation. */
static uint64_t listing_zeros(const struct listing *l, uint64_t offset, uint64_t end)
{
	uint64_t limit = end - offset;

	if (l->relocs && l->reloc_next < l->reloc_count &&
	    l->relocs[l->reloc_next]->offset >= offset &&
	    l->relocs[l->reloc_next]->offset - offset < limit)
		limit = l->relocs[l->reloc_next]->offset - offset;
	return skippable_zeros(l->sec->data + offset, limit);
}

static void listing_range(struct listing *l, const struct objdump_label *label, uint64_t end)
{
	uint64_t offset = label->address;
	char text[160], annotation[300];

	fprintf(l->out, "\n%016" PRIx64 " <%s>:\n", label->address, label->name);
	while (offset < end) {
		uint64_t zeros = listing_zeros(l, offset, end), size;
		enum objfmt_op op;

		if (zeros) {
			fputs("\t\t...\n", l->out);
			offset += zeros;
			continue;
		}
		size = listing_decode(l, offset, text, sizeof(text), &op);
		branch_annotation(l, op, offset, annotation, sizeof(annotation));
		print_instruction(l, offset, size, text, annotation);
		print_inline_relocs(l, offset + size);
		offset += size;
	}
}

static int listing_section(const struct objfmt_object *obj, size_t index,
			   const struct objdump_options *options, FILE *out)
{
	struct listing l = { .obj = obj, .sec = objfmt_object__section(obj, index), .out = out };
	size_t i;
	int err;

	fprintf(out, "\nDisassembly of section %s:\n", l.sec->name);
	err = objdump_labels_build(obj, index, &l.labels);
	if (err)
		return err;
	if (options->relocations) {
		l.relocs = section_relocs(obj, index, &l.reloc_count);
		if (!l.relocs) {
			objdump_labels_free(&l.labels);
			return -ENOMEM;
		}
	}
	for (i = 0; i < l.labels.count; i++) {
		const struct objdump_label *label = &l.labels.items[i];
		uint64_t end = i + 1 < l.labels.count ? l.labels.items[i + 1].address : l.sec->size;

		if (end > l.sec->size)
			end = l.sec->size;
		if (label->address < end)
			listing_range(&l, label, end);
	}
	free(l.relocs);
	objdump_labels_free(&l.labels);
	return 0;
}

int objdump_print_disassembly(const struct objfmt_object *obj, const char *path,
			      const struct objdump_options *options, FILE *out,
			      struct objfmt_diag *diag)
{
	size_t i, count = objfmt_object__section_count(obj);
	int err;

	for (i = 0; i < count; i++) {
		const struct objfmt_section *sec = objfmt_object__section(obj, i);

		if (!objdump_is_code(sec) || sec->size == 0)
			continue;
		err = listing_section(obj, i, options, out);
		if (err)
			return objfmt_diag_set(diag, err, path, "out of memory");
	}
	return 0;
}

int objdump_print_relocations(const struct objfmt_object *obj, FILE *out)
{
	size_t i, j, n, count = objfmt_object__section_count(obj);

	for (i = 0; i < count; i++) {
		const struct objfmt_reloc **relocs = section_relocs(obj, i, &n);

		if (!relocs)
			return -ENOMEM;
		if (n)
			fprintf(out, "\nRELOCATION RECORDS FOR [%s]:\n"
				     "OFFSET           TYPE                     VALUE\n",
				objfmt_object__section(obj, i)->name);
		for (j = 0; j < n; j++)
			fprintf(out, "%016" PRIx64 " %-24s %s\n", relocs[j]->offset,
				objdump_reloc_type_name(relocs[j]->type),
				objdump_reloc_symbol_name(obj, relocs[j]));
		free(relocs);
	}
	return 0;
}

/* The section column of -t: its name, *ABS* or *UND*. */
static const char *symbol_section_name(const struct objfmt_object *obj,
				       const struct objfmt_symbol *sym)
{
	const struct objfmt_section *sec;

	if (sym->section == OBJFMT_SECTION_UNDEF)
		return "*UND*";
	if (sym->section == OBJFMT_SECTION_ABS)
		return "*ABS*";
	sec = objfmt_object__section(obj, sym->section);
	return sec ? sec->name : "*UND*";
}

void objdump_print_symbols(const struct objfmt_object *obj, FILE *out)
{
	size_t i, count = objfmt_object__symbol_count(obj);

	fputs("\nSYMBOL TABLE:\n", out);
	for (i = 0; i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj, i);
		bool weak = sym->bind == OBJFMT_BIND_WEAK;
		bool defined = sym->section != OBJFMT_SECTION_UNDEF;
		char scope = !defined || weak ? ' ' : sym->bind == OBJFMT_BIND_LOCAL ? 'l' : 'g';
		bool debug = sym->type == OBJFMT_SYM_SECTION || sym->type == OBJFMT_SYM_FILE;
		char kind = sym->type == OBJFMT_SYM_FILE ? 'f' : sym->type == OBJFMT_SYM_FUNC ? 'F'
			  : sym->type == OBJFMT_SYM_OBJECT ? 'O' : ' ';
		const char *name = sym->name;

		if (sym->type == OBJFMT_SYM_SECTION)
			name = symbol_section_name(obj, sym);
		fprintf(out, "%016" PRIx64 " %c%c   %c%c %s\t%016" PRIx64 " %s%s\n", sym->value,
			scope, weak ? 'w' : ' ', debug ? 'd' : ' ', kind,
			symbol_section_name(obj, sym), sym->size,
			sym->vis == OBJFMT_VIS_HIDDEN ? ".hidden " : "", name);
	}
}
