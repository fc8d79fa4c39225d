/* ir_cse.c - one sum computed once: `rY = rA; rY += rB` after an earlier `rX = rA;
 * rX += rB` on the only path to it, with rA and rB unchanged, reuses that sum, so a
 * packet bounds check (`if data + off + N > end`) and the access (`p = data + off`)
 * share one pointer and the verifier's checked range reaches the dereference. */
#include <config.h>

#include <stdlib.h>

#include "ir.h"

enum {
	CSE_SCAN_LIMIT = 96, /* instructions looked back from each candidate */
	SUM_SPREAD = 3,      /* instructions from a sum's move to its add */
};

struct cse {
	struct ir_func *f;
	int *pred;          /* per block: its only predecessor, -1 for none or several */
	bool *temporary;    /* per name: a sum this pass introduced (never redefined) */
	int temporary_count;
};

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

/* No instruction strictly between i and k changes rA or rB. */
static bool between_clean(struct ir_block *blk, int i, int k, int a, int b)
{
	for (int m = i + 1; m < k; m++)
		if (clobbers(&blk->insns[m], a, b))
			return false;
	return true;
}

/* Whether `in` names `name` as an operand, read or written. */
static bool mentions(struct ir_insn *in, int name)
{
	struct ir_operands o;

	if (in->pinned || !ir_operands(in, &o) || o.call)
		return true;
	for (int u = 0; u < o.use_count; u++)
		if (*o.use[u] == name)
			return true;
	for (int d = 0; d < o.def_count; d++)
		if (*o.def[d] == name)
			return true;
	return false;
}

/* `rd = rA` at i then `rd += rB` a few instructions on (those between touch neither rd
 * nor define rA, rB): returns the add's index, -1 if there is no such sum. rd is a
 * free virtual name distinct from rA and rB. */
static int sum_at(struct ir_func *f, struct ir_block *b, int i)
{
	struct ir_insn *mov = &b->insns[i];
	int d = mov->dst, a = mov->src;

	if (mov->code != 0xbf || mov->pinned || d < IR_VREG || f->precolour[d] >= 0 ||
	    a == d || a < 0)
		return -1;
	for (int k = i + 1; k < b->count && k <= i + SUM_SPREAD; k++) {
		struct ir_insn *in = &b->insns[k];

		if (in->code == 0x0f && in->dst == d && !in->pinned)
			return in->src != d && in->src >= 0 && between_clean(b, i, k, a, in->src)
			       ? k : -1;
		if (mentions(in, d))
			return -1;
	}
	return -1;
}

static bool same_sum(struct ir_block *b1, int j, int k1, struct ir_block *b2, int i, int k2)
{
	return b1->insns[j].src == b2->insns[i].src && b1->insns[k1].src == b2->insns[k2].src;
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

/* The earlier sum the one at (b2, i..k) may reuse, at (b1, j..k1): found walking back
 * through b2 and its chain of unique predecessors; false at a change of rA or rB, a
 * call, or the limit. */
static bool find_earlier(struct cse *c, int b2, int i, int k, int *b1, int *j, int *k1)
{
	struct ir_block *target = &c->f->blocks[b2];
	int a = target->insns[i].src, b = target->insns[k].src, budget = CSE_SCAN_LIMIT;
	int blk = b2, at = i - 1;

	for (;;) {
		struct ir_block *cur = &c->f->blocks[blk];

		for (; at >= 0; at--) {
			int add;

			if (budget-- <= 0)
				return false;
			add = sum_at(c->f, cur, at);
			if (add >= 0 && (blk != b2 || add < i) &&
			    same_sum(cur, at, add, target, i, k)) {
				*b1 = blk;
				*j = at;
				*k1 = add;
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

/* The earlier sum at (b1, j..k1) goes to a fresh name that nothing redefines (its old
 * destination copies it, `inserted`); returns that name, or -1. */
static int keep_sum(struct cse *c, int b1, int j, int k1, bool *inserted)
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
	copy.orig = blk->insns[k1].orig;
	if (!ir_block_insert(blk, k1 + 1, &copy))
		return -1;
	blk->insns[j].dst = sum;
	blk->insns[k1].dst = sum;
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
			int b1, j, k1, k, sum;
			bool inserted;

			if ((k = sum_at(f, blk, i)) < 0 || !find_earlier(&c, b, i, k, &b1, &j, &k1))
				continue;
			if ((sum = keep_sum(&c, b1, j, k1, &inserted)) < 0)
				break;
			if (b1 == b && inserted) { /* the copy sits before this sum */
				i++;
				k++;
			}
			blk->insns[i].src = sum;
			ir_block_remove(blk, k);
		}
	}
	free(c.temporary);
	free(c.pred);
}
