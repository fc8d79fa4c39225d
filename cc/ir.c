/* ir.c - the IR's building blocks: making instructions (with the registers a call or
 * exit implies), inserting and removing them in blocks, fresh names, and a dump in
 * the LLVM dialect with names for virtual registers (for tests and debugging). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

struct ir_insn ir_make(uint8_t code, int dst, int src, int16_t off, int64_t imm)
{
	struct ir_insn insn = { .code = code, .dst = dst, .src = src, .off = off, .imm = imm,
				.target = -1, .orig = 0, .reloc = -1, .core = -1 };

	ir_set_implicit(&insn);
	return insn;
}

struct ir_insn ir_make_call(int32_t helper, int args)
{
	struct ir_insn insn = ir_make(0x85, IR_NONE, IR_NONE, 0, helper);

	insn.args = args;
	ir_set_implicit(&insn);
	return insn;
}

/* Calls read r1..r<args> and write r0; exit reads r0; cmpxchg reads and writes r0. */
void ir_set_implicit(struct ir_insn *insn)
{
	insn->iuse_count = 0;
	insn->idef = IR_NONE;
	if (insn->code == 0x85) {
		for (int i = 1; i <= insn->args && i <= 5; i++)
			insn->iuse[insn->iuse_count++] = i;
		insn->idef = 0;
	} else if (insn->code == 0x95) {
		insn->iuse[insn->iuse_count++] = 0;
	} else if ((insn->code == 0xdb || insn->code == 0xc3) && insn->imm == 0xf1) {
		insn->iuse[insn->iuse_count++] = 0;
		insn->idef = 0;
	}
}

struct ir_insn *ir_block_insert(struct ir_block *b, int at, const struct ir_insn *insn)
{
	if (b->count == b->capacity) {
		int cap = b->capacity ? b->capacity * 2 : 8;
		struct ir_insn *p = realloc(b->insns, (size_t)cap * sizeof(*p));

		if (!p)
			return NULL;
		b->insns = p;
		b->capacity = cap;
	}
	memmove(&b->insns[at + 1], &b->insns[at], (size_t)(b->count - at) * sizeof(*insn));
	b->insns[at] = *insn;
	b->count++;
	return &b->insns[at];
}

void ir_block_remove(struct ir_block *b, int at)
{
	memmove(&b->insns[at], &b->insns[at + 1], (size_t)(b->count - at - 1) * sizeof(b->insns[0]));
	b->count--;
}

/* Bytes a load or store of `code` moves. */
int ir_store_size(uint8_t code)
{
	static const int sizes[4] = { 4, 2, 1, 8 };

	return sizes[(code >> 3) & 3];
}

bool ir_is_jump(const struct ir_insn *insn)
{
	uint8_t cls = insn->code & 7, op = insn->code & 0xf0;

	return (cls == 0x05 || cls == 0x06) && op != 0x80 && op != 0x90;
}

bool ir_ends_block(const struct ir_insn *insn)
{
	return ir_is_jump(insn) || insn->code == 0x95;
}

/* Whether control can continue into the next block. */
bool ir_falls_through(const struct ir_block *b)
{
	const struct ir_insn *last = b->count ? &b->insns[b->count - 1] : NULL;

	return !last || (last->code != 0x05 && last->code != 0x95);
}

int ir_new_name(struct ir_func *f, int precolour)
{
	int *p = realloc(f->precolour, (size_t)(f->names + 1) * sizeof(*p));

	if (!p)
		return -1;
	f->precolour = p;
	p[f->names] = precolour;
	return f->names++;
}

void ir_func_free(struct ir_func *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->block_count; i++) {
		free(f->blocks[i].insns);
		free(f->blocks[i].live_in);
		free(f->blocks[i].live_out);
	}
	free(f->blocks);
	free(f->precolour);
	free(f->objects);
	free(f);
}

static void name(char *buf, size_t size, int reg)
{
	if (reg < IR_VREG)
		snprintf(buf, size, "r%d", reg);
	else
		snprintf(buf, size, "v%d", reg - IR_VREG);
}

/* One line per instruction, "bN:" before each block: opcode byte and operands. */
int ir_dump(const struct ir_func *f, char *buf, size_t size)
{
	size_t used = 0;

	for (int b = 0; b < f->block_count; b++) {
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "b%d:\n", b);
		for (int i = 0; i < f->blocks[b].count; i++) {
			const struct ir_insn *in = &f->blocks[b].insns[i];
			char d[16] = "-", s[16] = "-";

			if (in->dst != IR_NONE)
				name(d, sizeof(d), in->dst);
			if (in->src != IR_NONE)
				name(s, sizeof(s), in->src);
			used += (size_t)snprintf(buf + used, used < size ? size - used : 0,
						 "  %02x %s %s %d %lld%s%d\n", in->code, d, s, in->off,
						 (long long)in->imm, in->target >= 0 ? " ->b" : " ",
						 in->target);
		}
	}
	return (int)used;
}
