/* cfg.c - `ebpf-objdump --cfg=dot`: a Graphviz control-flow graph per program. Each
 * function symbol of a code section is a cluster of basic blocks; edges are branches
 * (taken/fallthrough), and dashed edges are calls to subprograms, helpers and kfuncs. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "objdump_int.h"

/* One function: [start, end) of a section, cut into blocks at `leaders`. */
struct cfg_function {
	const struct objfmt_object *obj;
	size_t section;
	const struct objfmt_section *sec;
	const char *name;
	uint64_t start, end;   /* byte offsets */
	bool *leader;          /* per slot of the function: a block starts here */
	FILE *out;
};

/* The instruction at byte `offset`, copied: symbols need not be 8-byte aligned. */
static struct objfmt_insn cfg_insn(const struct cfg_function *f, uint64_t offset)
{
	struct objfmt_insn insn;

	memcpy(&insn, f->sec->data + offset, sizeof(insn));
	return insn;
}

/* Decoded instruction at byte `offset` (lenient), with its slot count. */
static enum objfmt_op cfg_decode(const struct cfg_function *f, uint64_t offset, int *slots)
{
	struct objfmt_insn insn = cfg_insn(f, offset);
	enum objfmt_op op = objfmt_insn_identify(&insn);

	*slots = op == OBJFMT_OP_LDDW && offset + 16 <= f->end ? 2 : 1;
	return op;
}

static bool is_branch(const struct objfmt_opinfo *row)
{
	return row && (row->form == OBJFMT_FORM_JA || row->form == OBJFMT_FORM_JMP_IMM ||
		       row->form == OBJFMT_FORM_JMP_REG);
}

/* Byte offset a branch at `offset` goes to (may lie outside the function). */
static int64_t branch_target(const struct cfg_function *f, const struct objfmt_opinfo *row,
			     uint64_t offset)
{
	struct objfmt_insn insn = cfg_insn(f, offset);
	int64_t delta = row->code == 0x06 ? insn.imm : insn.off;

	return (int64_t)offset + 8 + delta * 8;
}

static void mark_leader(struct cfg_function *f, int64_t offset)
{
	if (offset >= (int64_t)f->start && offset < (int64_t)f->end)
		f->leader[(offset - (int64_t)f->start) / 8] = true;
}

static void find_leaders(struct cfg_function *f)
{
	uint64_t offset = f->start;
	int slots;

	mark_leader(f, (int64_t)f->start);
	while (offset + 8 <= f->end) {
		const struct objfmt_opinfo *row = objfmt_opinfo(cfg_decode(f, offset, &slots));
		uint64_t next = offset + 8 * (uint64_t)slots;

		if (is_branch(row)) {
			mark_leader(f, branch_target(f, row, offset));
			mark_leader(f, (int64_t)next);
		} else if (row && row->form == OBJFMT_FORM_EXIT) {
			mark_leader(f, (int64_t)next);
		}
		offset = next;
	}
}

/* DOT node id of the block starting at byte `offset` of `section`. */
static void node_id(size_t section, uint64_t offset, char *buf, size_t len)
{
	snprintf(buf, len, "s%zu_%" PRIu64, section, offset);
}

/* Where a call goes: a subprogram (section + offset) or a helper/kfunc node. */
static void print_call_edge(const struct cfg_function *f, uint64_t offset, const char *from)
{
	struct objfmt_insn copy = cfg_insn(f, offset);
	const struct objfmt_insn *insn = &copy;
	size_t i, count = objfmt_object__reloc_count(f->obj);
	size_t target_section = f->section;
	uint64_t target = offset + 8 + (uint64_t)((int64_t)insn->imm * 8);
	char to[48];

	if (insn->src_reg != OBJFMT_CALL_LOCAL) {
		const char *helper = objfmt_helper_name(insn->imm);

		if (insn->src_reg == OBJFMT_CALL_HELPER && helper)
			fprintf(f->out, "\t\"helper_%" PRId32 "\" [shape=ellipse, label=\"bpf_%s\"];\n",
				insn->imm, helper);
		else
			fprintf(f->out, "\t\"%s_%" PRId32 "\" [shape=ellipse, label=\"%s %" PRId32 "\"];\n",
				insn->src_reg == OBJFMT_CALL_KFUNC ? "kfunc" : "helper", insn->imm,
				insn->src_reg == OBJFMT_CALL_KFUNC ? "kfunc" : "helper", insn->imm);
		fprintf(f->out, "\t\"%s\" -> \"%s_%" PRId32 "\" [style=dashed, label=\"call\"];\n",
			from, insn->src_reg == OBJFMT_CALL_KFUNC ? "kfunc" : "helper", insn->imm);
		return;
	}
	for (i = 0; i < count; i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(f->obj, i);
		const struct objfmt_symbol *sym;

		if (rel->section != f->section || rel->offset != offset)
			continue;
		sym = objfmt_object__symbol(f->obj, rel->symbol);
		if (!sym || sym->section >= objfmt_object__section_count(f->obj))
			return;
		target_section = sym->section;
		target = sym->value + (uint64_t)(((int64_t)insn->imm + 1) * 8);
	}
	node_id(target_section, target, to, sizeof(to));
	fprintf(f->out, "\t\"%s\" -> \"%s\" [style=dashed, label=\"call\"];\n", from, to);
}

/* DOT-escaped copy of an instruction text (quotes and backslashes). */
static void dot_escape(const char *text, FILE *out)
{
	for (; *text; text++) {
		if (*text == '"' || *text == '\\')
			fputc('\\', out);
		fputc(*text == '\t' ? ' ' : *text, out);
	}
}

/* One block: its node with the instruction listing, then its outgoing edges. */
static uint64_t print_block(struct cfg_function *f, uint64_t offset)
{
	char id[48], to[48], text[160];
	uint64_t next = offset;
	const struct objfmt_opinfo *last = NULL;
	int slots = 1;

	node_id(f->section, offset, id, sizeof(id));
	fprintf(f->out, "\t\t\"%s\" [label=\"", id);
	do {
		struct objfmt_insn insns[2] = { cfg_insn(f, next), { 0 } };
		enum objfmt_op op = cfg_decode(f, next, &slots);

		if (slots == 2)
			insns[1] = cfg_insn(f, next + 8);
		objfmt_disasm_llvm(op == OBJFMT_OP_LDDW && slots < 2 ? OBJFMT_OP_INVALID : op, insns,
				   text, sizeof(text));
		fprintf(f->out, "%" PRIu64 ": ", next / 8);
		dot_escape(text, f->out);
		fputs("\\l", f->out);
		last = objfmt_opinfo(op);
		next += 8 * (uint64_t)slots;
	} while (next + 8 <= f->end && !f->leader[(next - f->start) / 8]);
	fputs("\"];\n", f->out);
	if (is_branch(last)) {
		int64_t target = branch_target(f, last, next - 8);

		node_id(f->section, (uint64_t)target, to, sizeof(to));
		fprintf(f->out, "\t\t\"%s\" -> \"%s\" [label=\"%s\"];\n", id, to,
			last->form == OBJFMT_FORM_JA ? "goto" : "true");
		if (last->form == OBJFMT_FORM_JA)
			return next;
	} else if (last && last->form == OBJFMT_FORM_EXIT) {
		return next;
	}
	if (next < f->end) {
		node_id(f->section, next, to, sizeof(to));
		fprintf(f->out, "\t\t\"%s\" -> \"%s\" [label=\"%s\"];\n", id, to,
			is_branch(last) ? "false" : "");
	}
	return next;
}

/* Call edges go after the cluster so that helper and callee nodes stay outside it. */
static void print_calls(const struct cfg_function *f)
{
	uint64_t offset, block = f->start;
	char id[48];
	int slots;

	for (offset = f->start; offset + 8 <= f->end; offset += 8) {
		if (f->leader[(offset - f->start) / 8])
			block = offset;
		if (cfg_decode(f, offset, &slots) != OBJFMT_OP_CALL)
			continue;
		node_id(f->section, block, id, sizeof(id));
		print_call_edge(f, offset, id);
	}
}

static int print_function(struct cfg_function *f)
{
	uint64_t offset = f->start;
	char id[48];

	f->leader = calloc((size_t)((f->end - f->start) / 8) + 1, sizeof(bool));
	if (!f->leader)
		return -ENOMEM;
	find_leaders(f);
	node_id(f->section, f->start, id, sizeof(id));
	fprintf(f->out, "\tsubgraph \"cluster_%s\" {\n\t\tlabel=\"%s: %s\";\n", id, f->sec->name,
		f->name);
	while (offset + 8 <= f->end)
		offset = print_block(f, offset);
	fputs("\t}\n", f->out);
	print_calls(f);
	free(f->leader);
	return 0;
}

/* Functions of a section: FUNC symbols, or the whole section under its first label. */
static int print_section(const struct objfmt_object *obj, size_t index, FILE *out)
{
	struct cfg_function f = { obj, index, objfmt_object__section(obj, index), NULL, 0, 0,
				  NULL, out };
	struct objdump_labels labels;
	uint64_t printed = UINT64_MAX;
	size_t i, j;
	int err = objdump_labels_build(obj, index, &labels);

	for (i = 0; !err && i < labels.count; i++) {
		/* the first label (maybe the synthesized one) also opens a function */
		if ((i > 0 && labels.items[i].type != OBJFMT_SYM_FUNC) ||
		    labels.items[i].address == printed)
			continue;
		f.name = labels.items[i].name;
		f.start = labels.items[i].address;
		f.end = f.sec->size;
		for (j = i + 1; j < labels.count; j++)
			if (labels.items[j].type == OBJFMT_SYM_FUNC &&
			    labels.items[j].address > f.start) {
				f.end = labels.items[j].address;
				break;
			}
		if (f.end > f.sec->size)
			f.end = f.sec->size;
		if (f.start >= f.end)
			continue;
		printed = f.start;
		err = print_function(&f);
	}
	objdump_labels_free(&labels);
	return err;
}

int objdump_print_cfg(const struct objfmt_object *obj, const char *path, FILE *out,
		      struct objfmt_diag *diag)
{
	size_t i, count = objfmt_object__section_count(obj);
	int err = 0;

	fputs("digraph \"", out);
	dot_escape(path, out);
	fputs("\" {\n\tnode [shape=box, fontname=\"monospace\"];\n", out);
	for (i = 0; i < count && !err; i++) {
		const struct objfmt_section *sec = objfmt_object__section(obj, i);

		if (objdump_is_code(sec) && sec->size >= 8)
			err = print_section(obj, i, out);
	}
	fputs("}\n", out);
	if (err)
		return objfmt_diag_set(diag, err, path, "out of memory");
	return 0;
}
