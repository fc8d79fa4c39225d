/* ir_cse.c - one sum computed once: `rY = rA; rY += rB` after an earlier `rX = rA;
 * rX += rB` on the only path to it, with rA and rB unchanged, reuses that sum, so a
 * packet bounds check (`if data + off + N > end`) and the access (`p = data + off`)
 * share one pointer and the verifier's checked range reaches the dereference. And an
 * update `rA op= rB` where `rX = rA; rX op= rB` is available (computed on every path
 * to it, rA and rB unchanged since) copies that result: `if (off + len > max) ...;
 * off += len;` leaves `off` with the range the check gave it, as in clang's code (the
 * verifier then sees the same bounded offset on every path through a loop). A 64-bit
 * sum available on every path to a join is reused the same way: `if (data + off + 2 >
 * end) ...; if (c && p[off + 1]) ...; p[off]` dereferences the checked pointer. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

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

/* An ALU operation on two registers whose result depends on nothing else (not a move,
 * negation or byte swap). */
static bool binary_op(uint8_t code)
{
	uint8_t cls = code & 7, op = code & 0xf0;

	return (cls == 0x04 || cls == 0x07) && (code & 0x08) && op != 0xb0 && op != 0x80 &&
	       op != 0xd0;
}

/* `rd = rA` at i then `rd op= rB` a few instructions on (those between touch neither rd
 * nor define rA, rB), op an add unless `any_op`: returns the op's index, -1 if there
 * is no such computation. rd is a free virtual name distinct from rA and rB. */
static int computation_at(struct ir_func *f, struct ir_block *b, int i, bool any_op)
{
	struct ir_insn *mov = &b->insns[i];
	int d = mov->dst, a = mov->src;

	if (mov->code != 0xbf || mov->off || mov->pinned || d < IR_VREG ||
	    f->precolour[d] >= 0 || a == d || a < 0)
		return -1;
	for (int k = i + 1; k < b->count && k <= i + SUM_SPREAD; k++) {
		struct ir_insn *in = &b->insns[k];

		if ((any_op ? binary_op(in->code) : in->code == 0x0f) && in->dst == d &&
		    !in->pinned && !in->off)
			return in->src != d && in->src >= 0 && between_clean(b, i, k, a, in->src)
			       ? k : -1;
		if (mentions(in, d))
			return -1;
	}
	return -1;
}

static int sum_at(struct ir_func *f, struct ir_block *b, int i)
{
	return computation_at(f, b, i, false);
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

/* ---- 32-bit results and 64-bit sums reused where available ---- */

/* A 32-bit `wX op= wB` whose value is `wA op wB` (a computation `rX = rA; wX op= wB`:
 * mov at j, op at k; or `wA op= wB` in place, j = -1), or a 64-bit sum `rX = rA;
 * rX += rB` (computations only). */
struct occurrence {
	int block, j, k;
	uint8_t code;
	int a, b;
	int sum;                /* generators: the fresh name keeping it, -1 while unused */
	bool reused;            /* its op became a copy of another's result */
};

struct updates {
	struct ir_func *f;
	struct occurrence *o;
	int count, capacity;
	int words;              /* uint64_t words of a bitset over occurrences */
	uint64_t *in;           /* per block: generators available at its start */
};

static bool is_update(const struct ir_insn *in)
{
	return binary_op(in->code) && (in->code & 7) == 0x04 && !in->pinned && !in->off &&
	       in->dst >= 0 && in->src >= 0 && in->dst != in->src;
}

static bool add_occurrence(struct updates *u, struct occurrence o)
{
	if (u->count == u->capacity) {
		int cap = u->capacity ? u->capacity * 2 : 16;
		struct occurrence *p = realloc(u->o, (size_t)cap * sizeof(*p));

		if (!p)
			return false;
		u->o = p;
		u->capacity = cap;
	}
	u->o[u->count++] = o;
	return true;
}

static bool same_key(const struct occurrence *x, const struct occurrence *y)
{
	return x->code == y->code && x->a == y->a && x->b == y->b;
}

static int by_position(const void *x, const void *y)
{
	const struct occurrence *p = x, *q = y;

	return p->block != q->block ? (p->block > q->block) - (p->block < q->block)
				    : (p->k > q->k) - (p->k < q->k);
}

/* Whether an earlier computation of this block ends at `k`. */
static bool ends_computation(const struct updates *u, int b, int k)
{
	for (int c = u->count - 1; c >= 0 && u->o[c].block == b; c--)
		if (u->o[c].j >= 0 && u->o[c].k == k)
			return true;
	return false;
}

/* Every occurrence in order of position, then only those whose value occurs twice or
 * more; false when out of memory. */
static bool find_occurrences(struct updates *u)
{
	struct ir_func *f = u->f;
	int kept = 0;

	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_block *blk = &f->blocks[b];
			struct ir_insn *in = &blk->insns[i];
			int k = computation_at(f, blk, i, true);
			struct occurrence o;

			if (k >= 0 && ((blk->insns[k].code & 7) == 0x04 || blk->insns[k].code == 0x0f))
				o = (struct occurrence){ b, i, k, blk->insns[k].code, in->src,
							 blk->insns[k].src, -1, false };
			else if (is_update(in) && !ends_computation(u, b, i))
				o = (struct occurrence){ b, -1, i, in->code, in->dst, in->src, -1, false };
			else
				continue;
			if (!add_occurrence(u, o))
				return false;
		}
	for (int x = 0; x < u->count; x++) {
		bool twice = false;

		for (int y = 0; y < u->count && !twice; y++)
			twice = y != x && same_key(&u->o[x], &u->o[y]);
		if (twice)
			u->o[kept++] = u->o[x];
	}
	u->count = kept;
	if (u->count > 1)
		qsort(u->o, (size_t)u->count, sizeof(*u->o), by_position);
	return true;
}

/* Availability through one instruction: a change of rA or rB (a call, asm) ends a
 * generator; a computation's op starts it. */
static void available_step(struct updates *u, int b, int i, uint64_t *set)
{
	struct ir_insn *in = &u->f->blocks[b].insns[i];
	struct ir_operands o = { .def_count = 0 };
	bool all = in->pinned || !ir_operands(in, &o) || o.call;

	for (int c = 0; c < u->count; c++) {
		struct occurrence *oc = &u->o[c];
		bool killed = all;

		for (int d = 0; d < o.def_count && !killed; d++)
			killed = *o.def[d] == oc->a || *o.def[d] == oc->b;
		if (killed)
			set[c / 64] &= ~(1ull << (c % 64));
		if (oc->j >= 0 && oc->block == b && oc->k == i)
			set[c / 64] |= 1ull << (c % 64);
	}
}

static int block_successors(const struct ir_func *f, int b, int succ[2])
{
	const struct ir_block *blk = &f->blocks[b];
	int n = 0;

	if (blk->count && ir_is_jump(&blk->insns[blk->count - 1]))
		succ[n++] = blk->insns[blk->count - 1].target;
	if (ir_falls_through(blk) && b + 1 < f->block_count)
		succ[n++] = b + 1;
	return n;
}

/* Forward, must: a block's start has what every predecessor's end has (the entry
 * nothing; blocks not reached yet everything). */
static bool solve_available(struct updates *u)
{
	size_t words = (size_t)u->words, blocks = (size_t)u->f->block_count;
	uint64_t *set = malloc(words * sizeof(uint64_t));
	bool changed = true;

	u->in = malloc(blocks * words * sizeof(uint64_t));
	if (!set || !u->in) {
		free(set);
		return false;
	}
	memset(u->in, 0xff, blocks * words * sizeof(uint64_t));
	memset(u->in, 0, words * sizeof(uint64_t));
	while (changed) {
		changed = false;
		for (int b = 0; b < u->f->block_count; b++) {
			int succ[2], n;

			memcpy(set, &u->in[(size_t)b * words], words * sizeof(uint64_t));
			for (int i = 0; i < u->f->blocks[b].count; i++)
				available_step(u, b, i, set);
			n = block_successors(u->f, b, succ);
			for (int s = 0; s < n; s++)
				for (size_t w = 0; w < words; w++) {
					uint64_t *at = &u->in[(size_t)succ[s] * words + w];

					changed |= (*at & set[w]) != *at;
					*at &= set[w];
				}
		}
	}
	free(set);
	return true;
}

/* The generator occurrence x may copy: available in `set`, same value, not itself
 * reused; -1 for none. */
static int generator_for(struct updates *u, int x, const uint64_t *set)
{
	for (int c = 0; c < u->count; c++)
		if (c != x && u->o[c].j >= 0 && (set[c / 64] >> (c % 64) & 1) &&
		    !u->o[c].reused && same_key(&u->o[c], &u->o[x]))
			return c;
	return -1;
}

/* Each occurrence with an equal generator available becomes a copy of the result the
 * generator keeps in a fresh name (a computation's move is then dead); false when out
 * of memory. */
static bool rewrite_occurrences(struct updates *u)
{
	uint64_t *set = malloc((size_t)u->words * sizeof(uint64_t));
	int next = 0; /* occurrences are in block and instruction order */

	if (!set)
		return false;
	for (int b = 0; b < u->f->block_count; b++) {
		memcpy(set, &u->in[(size_t)b * (size_t)u->words], (size_t)u->words * sizeof(uint64_t));
		for (int i = 0; i < u->f->blocks[b].count; i++) {
			struct ir_insn *in = &u->f->blocks[b].insns[i];
			int x = -1, g;

			while (next < u->count && (u->o[next].block < b ||
			       (u->o[next].block == b && u->o[next].k < i)))
				next++;
			for (int c = next; c < u->count && u->o[c].block == b && u->o[c].k == i; c++)
				x = c;
			g = x >= 0 && u->o[x].sum < 0 ? generator_for(u, x, set) : -1;
			if (g >= 0) {
				if (u->o[g].sum < 0 && (u->o[g].sum = ir_new_name(u->f, -1)) < 0)
					break;
				*in = (struct ir_insn){ .code = 0xbf, .dst = in->dst, .src = u->o[g].sum,
							.target = -1, .orig = in->orig, .reloc = -1,
							.core = -1, .idef = IR_NONE };
				u->o[x].reused = true;
			}
			available_step(u, b, i, set);
		}
	}
	free(set);
	return true;
}

/* A generator someone copies computes into its fresh name, its old destination
 * copying that after the op; edited from the last one back so indices hold. */
static bool keep_generators(struct updates *u)
{
	for (int c = u->count - 1; c >= 0; c--) {
		struct occurrence *oc = &u->o[c];
		struct ir_block *blk = &u->f->blocks[oc->block];
		struct ir_insn copy;

		if (oc->sum < 0)
			continue;
		copy = ir_make(0xbf, blk->insns[oc->j].dst, oc->sum, 0, 0);
		copy.orig = blk->insns[oc->k].orig;
		blk->insns[oc->j].dst = oc->sum;
		blk->insns[oc->k].dst = oc->sum;
		if (!ir_block_insert(blk, oc->k + 1, &copy))
			return false;
	}
	return true;
}

bool ir_reuse_updates(struct ir_func *f)
{
	struct updates u = { .f = f };
	bool ok = find_occurrences(&u);

	if (ok && u.count) {
		u.words = (u.count + 63) / 64;
		ok = solve_available(&u) && rewrite_occurrences(&u) && keep_generators(&u);
	}
	free(u.o);
	free(u.in);
	return ok;
}
