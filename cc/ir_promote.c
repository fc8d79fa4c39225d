/* ir_promote.c - stack slots of non-escaping scalars (and codegen's own spill slots),
 * whose loads and stores codegen marked, become register names: a store is a move
 * into the slot's name, a load a move out of it; the allocator decides the rest. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"

enum { MAX_SLOTS = 512 };

struct slot {
	int16_t off;
	int size;
	bool bad;
	int name;
};

static int slot_of(struct slot *slots, int *count, int16_t off, int size)
{
	for (int i = 0; i < *count; i++)
		if (slots[i].off == off) {
			slots[i].bad |= slots[i].size != size;
			return i;
		}
	if (*count == MAX_SLOTS)
		return -1;
	slots[*count] = (struct slot){ off, size, false, -1 };
	return (*count)++;
}

/* The slot a marked access touches, -1 when its shape is not a plain r10 access. */
static int access_slot(struct ir_insn *in, struct slot *slots, int *count)
{
	uint8_t cls = in->code & 7;

	if ((in->code & 0xe0) != 0x60)
		return -1;
	if ((cls == 0x02 || cls == 0x03) && in->dst == IR_FP)
		return slot_of(slots, count, in->off, ir_store_size(in->code));
	if (cls == 0x01 && in->src == IR_FP)
		return slot_of(slots, count, in->off, ir_store_size(in->code));
	return -1;
}

/* A store becomes a move into the slot's name (narrow values zero-extended as the load
 * would read them), a load a move out of it; a narrow store's mask follows it. */
bool ir_slot_rewrite(struct ir_block *blk, int i, int name, int size)
{
	struct ir_insn *in = &blk->insns[i], mask;
	uint8_t cls = in->code & 7;
	int64_t low = size == 1 ? 0xff : 0xffff;

	if (cls == 0x01) {
		*in = (struct ir_insn){ .code = 0xbf, .dst = in->dst, .src = name, .target = -1,
					.orig = in->orig, .reloc = -1, .core = -1, .idef = IR_NONE };
		return true;
	}
	in->code = cls == 0x03 ? (size == 8 ? 0xbf : 0xbc) : (size == 8 ? 0xb7 : 0xb4);
	in->dst = name;
	in->off = 0;
	if (cls == 0x02) {
		in->src = IR_NONE;
		in->imm = size < 4 ? (in->imm & low) : in->imm;
		return true;
	}
	if (size >= 4)
		return true;
	mask = ir_make(0x54, name, IR_NONE, 0, low);
	mask.orig = in->orig;
	return ir_block_insert(blk, i + 1, &mask) != NULL;
}

bool ir_promote_slots(struct ir_func *f)
{
	struct slot *slots = calloc(MAX_SLOTS, sizeof(*slots));
	int count = 0;
	bool any = false;

	if (!slots)
		return false;
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_insn *in = &f->blocks[b].insns[i];

			if (in->promoted && access_slot(in, slots, &count) < 0)
				in->promoted = false;
		}
	for (int s = 0; s < count; s++)
		if (!slots[s].bad && (slots[s].name = ir_new_name(f, -1)) < 0)
			slots[s].bad = true;
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_insn *in = &f->blocks[b].insns[i];
			int s;

			if (!in->promoted)
				continue;
			in->promoted = false;
			s = access_slot(in, slots, &count);
			if (s >= 0 && !slots[s].bad &&
			    ir_slot_rewrite(&f->blocks[b], i, slots[s].name, slots[s].size))
				any = true;
		}
	free(slots);
	return any;
}
