/* ir_cse.c - one sum computed once: `rY = rA; rY += rB` after an earlier `rX = rA;
 * rX += rB` on the only path to it, with rA and rB unchanged, reuses that sum, so a
 * packet bounds check (`if data + off + N > end`) and the access (`p = data + off`)
 * share one pointer and the verifier's checked range reaches the dereference. */
#include <config.h>

#include <stdlib.h>

#include "ir.h"

enum { CSE_SCAN_LIMIT = 96 }; /* instructions looked back from each candidate */

struct cse {
	struct ir_func *f;
	int *pred;          /* per block: its only predecessor, -1 for none or several */
	bool *temporary;    /* per name: a sum this pass introduced (never redefined) */
	int temporary_count;
};

/* `rd = rA` then `rd += rB` at i, i + 1, with a free virtual rd distinct from both. */
static bool is_sum(struct ir_func *f, const struct ir_block *b, int i)
{
	const struct ir_insn *mov, *add;

	if (i + 1 >= b->count)
		return false;
	mov = &b->insns[i];
	add = &b->insns[i + 1];
	return mov->code == 0xbf && add->code == 0x0f && !mov->pinned && !add->pinned &&
	       mov->dst >= IR_VREG && f->precolour[mov->dst] < 0 && add->dst == mov->dst &&
	       mov->src != mov->dst && add->src != mov->dst && mov->src >= 0 && add->src >= 0;
}

static bool same_sum(const struct ir_block *b1, int j, const struct ir_block *b2, int i)
{
	return b1->insns[j].src == b2->insns[i].src &&
	       b1->insns[j + 1].src == b2->insns[i + 1].src;
}

/* Whether `in` may change rA or rB (or is a call or an asm statement: stop there). */
static bool clobbers(struct ir_insn *in, int a, int b)
{
	struct ir_operands o;

	if (in->pinned || !ir_operands(in, &o) || o.call)
		return true;
	for (int d = 0; d < o.def_count; d++)
		if (*o.def[d] == a || *o.def[d] == b)
			return true;
	return false;
}

/* Unique predecessors from the CFG edges (an unreachable empty block counts too: that
 * only makes the pass more careful). */
static int *unique_predecessors(struct ir_func *f)
{
	int *count = calloc((size_t)f->block_count + 1, sizeof(int));
	int *pred = malloc(((size_t)f->block_count + 1) * sizeof(int));

	if (!count || !pred) {
		free(count);
		free(pred);
		return NULL;
	}
	for (int b = 0; b < f->block_count; b++)
		pred[b] = -1;
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];
		int succ[2], n = 0;

		if (blk->count && ir_is_jump(&blk->insns[blk->count - 1]))
			succ[n++] = blk->insns[blk->count - 1].target;
		if (ir_falls_through(blk) && b + 1 < f->block_count)
			succ[n++] = b + 1;
		for (int k = 0; k < n; k++) {
			if (succ[k] < 0 || succ[k] >= f->block_count)
				continue;
			pred[succ[k]] = count[succ[k]]++ ? -1 : b;
		}
	}
	for (int b = 0; b < f->block_count; b++)
		if (count[b] != 1)
			pred[b] = -1;
	free(count);
	return pred;
}

/* The earlier sum the one at (b2, i) may reuse: found walking back through b2 and its
 * chain of unique predecessors; false at a change of rA or rB, a call, or the limit. */
static bool find_earlier(struct cse *c, int b2, int i, int *b1, int *j)
{
	struct ir_block *target = &c->f->blocks[b2];
	int a = target->insns[i].src, b = target->insns[i + 1].src, budget = CSE_SCAN_LIMIT;
	int blk = b2, at = i - 1;

	for (;;) {
		struct ir_block *cur = &c->f->blocks[blk];

		for (; at >= 0; at--) {
			if (budget-- <= 0)
				return false;
			if (at + 1 < cur->count && (blk != b2 || at + 1 < i) &&
			    is_sum(c->f, cur, at) && same_sum(cur, at, target, i)) {
				*b1 = blk;
				*j = at;
				return true;
			}
			if (clobbers(&cur->insns[at], a, b))
				return false;
		}
		blk = c->pred[blk];
		if (blk < 0 || blk == b2)
			return false;
		at = c->f->blocks[blk].count - 1;
	}
}

static bool mark_temporary(struct cse *c, int name)
{
	bool *t = realloc(c->temporary, ((size_t)name + 1) * sizeof(bool));

	if (!t)
		return false;
	for (int k = c->temporary_count; k <= name; k++)
		t[k] = false;
	t[name] = true;
	c->temporary = t;
	c->temporary_count = name + 1;
	return true;
}

/* The earlier sum at (b1, j) goes to a fresh name that nothing redefines (its old
 * destination copies it, `inserted`); returns that name, or -1. */
static int keep_sum(struct cse *c, int b1, int j, bool *inserted)
{
	struct ir_block *blk = &c->f->blocks[b1];
	int old = blk->insns[j].dst, sum;
	struct ir_insn copy;

	*inserted = false;
	if (old < c->temporary_count && c->temporary[old])
		return old;
	sum = ir_new_name(c->f, -1);
	if (sum < 0 || !mark_temporary(c, sum))
		return -1;
	copy = ir_make(0xbf, old, sum, 0, 0);
	copy.orig = blk->insns[j + 1].orig;
	if (!ir_block_insert(blk, j + 2, &copy))
		return -1;
	blk->insns[j].dst = sum;
	blk->insns[j + 1].dst = sum;
	*inserted = true;
	return sum;
}

void ir_reuse_sums(struct ir_func *f)
{
	struct cse c = { .f = f };

	if (!(c.pred = unique_predecessors(f)))
		return;
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];

		for (int i = 0; i < blk->count; i++) {
			int b1, j, sum;
			bool inserted;

			if (!is_sum(f, blk, i) || !find_earlier(&c, b, i, &b1, &j))
				continue;
			if ((sum = keep_sum(&c, b1, j, &inserted)) < 0)
				break;
			if (b1 == b && inserted)
				i++; /* the copy keep_sum inserted sits before this sum */
			blk->insns[i].src = sum;
			ir_block_remove(blk, i + 1);
		}
	}
	free(c.temporary);
	free(c.pred);
}
