/* ir_jumps.c - the control flow's size: jumps to jumps threaded, conditions over a
 * lone goto inverted, jumps to the next instruction and unreachable blocks (the
 * kernel rejects them) removed, and exiting blocks that end alike sharing one tail. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* ---- jumps ---- */

/* The first non-empty block at or after `b` (block_count: the end). */
static int effective(const struct ir_func *f, int b)
{
	while (b < f->block_count && !f->blocks[b].count)
		b++;
	return b;
}

/* Where a jump to `b` really goes: through blocks that are a lone goto. */
static int thread(const struct ir_func *f, int b)
{
	for (int hops = 0; hops < 16; hops++) {
		int e = effective(f, b);

		if (e >= f->block_count || f->blocks[e].insns[0].code != 0x05)
			return b;
		b = f->blocks[e].insns[0].target;
	}
	return b;
}

/* The opcode of the opposite condition, 0 for none (jset). */
static uint8_t inverted(uint8_t code)
{
	static const uint8_t pairs[][2] = { { 0x10, 0x50 }, { 0x20, 0xb0 }, { 0x30, 0xa0 },
					    { 0x60, 0xd0 }, { 0x70, 0xc0 } };

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if ((code & 0xf0) == pairs[i][0])
			return (uint8_t)((code & 0x0f) | pairs[i][1]);
		if ((code & 0xf0) == pairs[i][1])
			return (uint8_t)((code & 0x0f) | pairs[i][0]);
	}
	return 0;
}

static bool is_target(const struct ir_func *f, int block)
{
	for (int b = 0; b < f->block_count; b++) {
		const struct ir_block *blk = &f->blocks[b];

		if (blk->count && ir_is_jump(&blk->insns[blk->count - 1]) &&
		    effective(f, blk->insns[blk->count - 1].target) == block)
			return true;
	}
	return false;
}

/* `if c goto L1; goto L2; L1:` becomes `if !c goto L2; L1:` when nothing else jumps
 * to the lone goto. */
static bool jump_over_goto(struct ir_func *f, int b)
{
	struct ir_block *blk = &f->blocks[b];
	struct ir_insn *last = &blk->insns[blk->count - 1];
	int next = effective(f, b + 1);
	uint8_t code = inverted(last->code);

	if (!code || last->code == 0x05 || next >= f->block_count ||
	    f->blocks[next].count != 1 || f->blocks[next].insns[0].code != 0x05 ||
	    effective(f, last->target) != effective(f, next + 1) || is_target(f, next))
		return false;
	last->code = code;
	last->target = f->blocks[next].insns[0].target;
	f->blocks[next].count = 0;
	return true;
}

void ir_clean_jumps(struct ir_func *f)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (int b = 0; b < f->block_count; b++) {
			struct ir_block *blk = &f->blocks[b];
			struct ir_insn *last = blk->count ? &blk->insns[blk->count - 1] : NULL;

			if (!last || !ir_is_jump(last))
				continue;
			last->target = thread(f, last->target);
			if (jump_over_goto(f, b))
				changed = true;
			if (effective(f, last->target) == effective(f, b + 1)) {
				ir_block_remove(blk, blk->count - 1);
				changed = true;
			}
		}
		ir_mark_reachable(f);
		for (int b = 0; b < f->block_count; b++)
			if (!f->blocks[b].reachable && f->blocks[b].count) {
				f->blocks[b].count = 0;
				changed = true;
			}
	}
}

/* ---- tails ---- */

static bool same_insn(const struct ir_insn *a, const struct ir_insn *b)
{
	if (a->pinned || b->pinned || a->code != b->code || a->dst != b->dst ||
	    a->src != b->src || a->off != b->off || a->imm != b->imm || a->pseudo != b->pseudo ||
	    a->core >= 0 || b->core >= 0 || (a->reloc >= 0) != (b->reloc >= 0))
		return false;
	if (a->reloc >= 0 && (a->reloc_target != b->reloc_target ||
			      a->reloc_addend != b->reloc_addend))
		return false;
	return !ir_is_jump(a) || a->target == b->target;
}

/* How many instructions blocks `a` and `b`, both ending in exit, end alike with. */
static int common_tail(const struct ir_block *a, const struct ir_block *b)
{
	int k = 0;

	if (!a->count || !b->count || a->insns[a->count - 1].code != 0x95 ||
	    b->insns[b->count - 1].code != 0x95)
		return 0;
	while (k < a->count && k < b->count &&
	       same_insn(&a->insns[a->count - 1 - k], &b->insns[b->count - 1 - k]))
		k++;
	return k;
}

/* Block `b` splits at instruction `at`: the rest becomes block b + 1, which `b` now
 * falls into; jumps to later blocks are renumbered. */
static bool split_block(struct ir_func *f, int b, int at)
{
	struct ir_block *blocks = realloc(f->blocks, (size_t)(f->block_count + 1) * sizeof(*blocks));
	struct ir_block *rest;

	if (!blocks)
		return false;
	f->blocks = blocks;
	memmove(&blocks[b + 2], &blocks[b + 1], (size_t)(f->block_count - b - 1) * sizeof(*blocks));
	f->block_count++;
	rest = &blocks[b + 1];
	memset(rest, 0, sizeof(*rest));
	rest->reachable = true;
	for (int i = at; i < blocks[b].count; i++)
		if (!ir_block_insert(rest, rest->count, &blocks[b].insns[i]))
			return false;
	blocks[b].count = at;
	for (int x = 0; x < f->block_count; x++)
		for (int i = 0; i < blocks[x].count; i++)
			if (blocks[x].insns[i].target > b)
				blocks[x].insns[i].target++;
	return true;
}

/* Cross-jumping: a block that ends like another exiting block jumps to that one's
 * tail instead (clang does the same; the jump is never a back edge, as the shared
 * tail only exits). Runs on physical registers, after allocation. */
int ir_merge_tails(struct ir_func *f)
{
	int saved = 0;

	for (int a = 0; a < f->block_count; a++)
		for (int b = 0; b < f->block_count; b++) {
			struct ir_insn jump;
			int k, tail = a;

			if (b == a || !f->blocks[a].reachable || !f->blocks[b].reachable ||
			    (k = common_tail(&f->blocks[a], &f->blocks[b])) < 2)
				continue;
			if (k < f->blocks[a].count) {
				if (!split_block(f, a, f->blocks[a].count - k))
					return saved;
				tail = a + 1;
				b += b > a;
			}
			jump = ir_make(0x05, IR_NONE, IR_NONE, 0, 0);
			jump.target = tail;
			jump.orig = f->blocks[b].insns[f->blocks[b].count - k].orig;
			for (int i = f->blocks[b].count - k; i < f->blocks[b].count; i++)
				saved += f->blocks[b].insns[i].code == 0x18 ? 2 : 1;
			saved--;
			f->blocks[b].count -= k;
			ir_block_insert(&f->blocks[b], f->blocks[b].count, &jump);
		}
	return saved;
}
