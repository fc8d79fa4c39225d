/* ir_peephole.c - small rewrites clang's objects show: chained constant adds merged
 * (`r2 += 14; r2 += 40`), masks a narrower store makes useless (`w1 &= 65535` before
 * `*(u16 *)(r0 + 2) = r1`), and a reloaded value stored back into the slot that
 * still holds it (a map key around helper calls). */
#include <config.h>

#include <stdlib.h>

#include "ir.h"

static bool fits32(int64_t v)
{
	return v == (int32_t)v;
}

/* Whether `in` is `rX += K` or `wX += K` the IR may rewrite. */
static bool constant_add(const struct ir_insn *in)
{
	return (in->code == 0x07 || in->code == 0x04) && !in->pinned && !in->off &&
	       in->reloc < 0 && in->core < 0 && in->dst >= 0;
}

/* The next instruction of the block after `i` naming `name` (read or written), -1
 * for none or for one whose operands are not known. */
static int next_mention(struct ir_block *blk, int i, int name)
{
	for (int k = i + 1; k < blk->count; k++) {
		struct ir_operands o;

		if (blk->insns[k].pinned || !ir_operands(&blk->insns[k], &o))
			return -1;
		for (int u = 0; u < o.use_count; u++)
			if (*o.use[u] == name)
				return k;
		for (int d = 0; d < o.def_count; d++)
			if (*o.def[d] == name)
				return k;
	}
	return -1;
}

/* `r2 += 14` then `r2 += 40` with nothing reading r2 between: one `r2 += 54` (the
 * constant offsets of `data + 14 + sizeof(struct ipv6hdr)`). */
void ir_merge_adds(struct ir_func *f)
{
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];

		for (int i = 0; i < blk->count; i++) {
			struct ir_insn *first = &blk->insns[i], *second;
			int k;
			int64_t sum;

			if (!constant_add(first) || (k = next_mention(blk, i, first->dst)) < 0)
				continue;
			second = &blk->insns[k];
			sum = first->imm + second->imm;
			if (!constant_add(second) || second->code != first->code ||
			    second->dst != first->dst || (first->code == 0x07 && !fits32(sum)))
				continue;
			second->imm = (int32_t)sum;
			ir_block_remove(blk, i--);
		}
	}
}

/* Whether `name` is dead after instruction `at` of block `b` (liveness is current). */
static bool dead_after(struct ir_func *f, int b, int at, int name)
{
	struct ir_block *blk = &f->blocks[b];

	for (int k = at + 1; k < blk->count; k++) {
		struct ir_operands o;

		if (!ir_operands(&blk->insns[k], &o))
			return false;
		for (int u = 0; u < o.use_count; u++)
			if (*o.use[u] == name)
				return false;
		for (int d = 0; d < o.def_count; d++)
			if (*o.def[d] == name)
				return true;
	}
	return !(blk->live_out[name / 64] >> (name % 64) & 1);
}

/* `w1 &= 65535` whose value only a 1- or 2-byte store reads (`*(u16 *)(r0 + 2) =
 * r1`, then r1 dead): the store truncates anyway, the mask goes. */
static bool drop_store_masks(struct ir_func *f)
{
	bool dropped = false;

	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];

		for (int i = 0; i < blk->count; i++) {
			struct ir_insn *in = &blk->insns[i], *store;
			int k, width;

			if ((in->code != 0x54 && in->code != 0x57) || in->pinned || in->dst < 0 ||
			    (in->imm != 0xff && in->imm != 0xffff) ||
			    (k = next_mention(blk, i, in->dst)) < 0)
				continue;
			store = &blk->insns[k];
			width = in->imm == 0xff ? 1 : 2;
			if ((store->code & 7) != 0x03 || (store->code & 0xe0) != 0x60 ||
			    store->pinned || store->src != in->dst || store->dst == in->dst ||
			    ir_store_size(store->code) > width || !dead_after(f, b, k, in->dst))
				continue;
			ir_block_remove(blk, i--);
			dropped = true;
		}
	}
	return dropped;
}

/* Whether `in` may write memory (a store, an atomic, a call, inline asm). */
static bool writes_memory(struct ir_insn *in)
{
	uint8_t cls = in->code & 7;

	return in->pinned || cls == 0x02 || cls == 0x03 || in->code == 0x85;
}

/* The load `rX = *(size *)(r10 + off)` the store at (b, i) writes back, found walking
 * back through the block and its chain of unique predecessors with rX unchanged and
 * no memory written since. */
static bool stores_what_it_loaded(struct ir_func *f, const int *pred, int b, int i)
{
	struct ir_insn *store = &f->blocks[b].insns[i];
	uint8_t load_code = (uint8_t)((store->code & 0x18) | 0x61);
	int blk = b, at = i - 1, budget = 64;

	for (;;) {
		for (; at >= 0; at--) {
			struct ir_insn *in = &f->blocks[blk].insns[at];
			struct ir_operands o;

			if (budget-- <= 0 || !ir_operands(in, &o))
				return false;
			if (in->code == load_code && in->dst == store->src && in->src == IR_FP &&
			    in->off == store->off && !in->pinned)
				return true;
			if (writes_memory(in))
				return false;
			for (int d = 0; d < o.def_count; d++)
				if (*o.def[d] == store->src)
					return false;
		}
		blk = pred[blk];
		if (blk < 0 || blk == b)
			return false;
		at = f->blocks[blk].count - 1;
	}
}

/* `r5 = *(u32 *)(r10 - 32)` (a promoted key reloaded after a helper call), then on
 * the way to the next call `*(u32 *)(r10 - 32) = r5`: the slot holds that value
 * already, the store goes (and the load with it when nothing else reads it). */
static bool drop_restores(struct ir_func *f)
{
	int *pred = malloc(((size_t)f->block_count + 1) * sizeof(int));
	int *count = calloc((size_t)f->block_count + 1, sizeof(int));
	bool dropped = false;

	if (!pred || !count)
		goto out;
	for (int b = 0; b < f->block_count; b++)
		pred[b] = -1;
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];
		int succ[2], n = 0;

		if (blk->count && ir_is_jump(&blk->insns[blk->count - 1]))
			succ[n++] = blk->insns[blk->count - 1].target;
		if (ir_falls_through(blk) && b + 1 < f->block_count)
			succ[n++] = b + 1;
		for (int k = 0; k < n; k++)
			if (succ[k] >= 0 && succ[k] < f->block_count)
				pred[succ[k]] = count[succ[k]]++ ? -1 : b;
	}
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];

		if (count[b] != 1)
			pred[b] = -1;
		for (int i = 0; i < blk->count; i++) {
			struct ir_insn *in = &blk->insns[i];

			if ((in->code & 0xe7) != 0x63 || in->dst != IR_FP || in->pinned ||
			    in->src < 0 || !stores_what_it_loaded(f, pred, b, i))
				continue;
			ir_block_remove(blk, i--);
			dropped = true;
		}
	}
out:
	free(pred);
	free(count);
	return dropped;
}

bool ir_drop_stored_twice(struct ir_func *f)
{
	bool dropped = drop_store_masks(f);

	return drop_restores(f) || dropped;
}
