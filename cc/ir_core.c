/* ir_core.c - CO-RE-relocated values computed once per function, as clang's GVN and
 * MachineCSE leave them: a relocated constant (mov or ld_imm64 carrying a CO-RE record)
 * whose identical twin dominates it reads the twin's register instead, and so does a
 * relocated address (`d = off; d += base`) over the same base. Needs webs (ir_rename_webs)
 * and runs before copy propagation, which removes the moves it leaves. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* Dominator sets, one bitset of blocks per block, iterated to a fixed point. */
struct dominators {
	int words;
	uint64_t *sets; /* block b's dominators: sets[b * words ...] */
};

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

/* Dom(entry) = {entry}; Dom(b) = {b} + intersection of Dom(p) over predecessors p. */
static bool dominators_compute(const struct ir_func *f, struct dominators *d)
{
	int words = (f->block_count + 63) / 64, succ[2];
	uint64_t *next = calloc((size_t)words * (size_t)f->block_count + 1, sizeof(uint64_t));
	bool changed = true;

	d->words = words;
	d->sets = malloc(((size_t)words * (size_t)f->block_count + 1) * sizeof(uint64_t));
	if (!next || !d->sets) {
		free(next);
		return false;
	}
	memset(d->sets, 0xff, (size_t)words * (size_t)f->block_count * sizeof(uint64_t));
	memset(d->sets, 0, (size_t)words * sizeof(uint64_t));
	d->sets[0] = 1;
	while (changed) {
		changed = false;
		memset(next, 0xff, (size_t)words * (size_t)f->block_count * sizeof(uint64_t));
		for (int b = 0; b < f->block_count; b++)
			for (int s = 0, n = block_successors(f, b, succ); s < n; s++)
				for (int w = 0; w < words; w++)
					next[succ[s] * words + w] &= d->sets[b * words + w];
		for (int b = 1; b < f->block_count; b++) {
			next[b * words + b / 64] |= 1ull << (b % 64);
			if (memcmp(&next[b * words], &d->sets[b * words], (size_t)words * 8)) {
				memcpy(&d->sets[b * words], &next[b * words], (size_t)words * 8);
				changed = true;
			}
		}
	}
	free(next);
	return true;
}

static bool dominates(const struct dominators *d, int a, int b)
{
	return d->sets[b * d->words + a / 64] >> (a % 64) & 1;
}

/* Where an instruction sits. */
struct site {
	int block, index;
};

static struct ir_insn *at(struct ir_func *f, struct site s)
{
	return &f->blocks[s.block].insns[s.index];
}

static bool before(const struct dominators *d, struct site a, struct site b)
{
	if (a.block == b.block)
		return a.index < b.index;
	return dominates(d, a.block, b.block);
}

/* A relocated constant: its value is the record's, whatever the registers. */
static bool relocated_constant(const struct ir_insn *in)
{
	return in->core >= 0 && !in->pinned && in->reloc < 0 && in->src == IR_NONE &&
	       (in->code == 0xb7 || in->code == 0xb4 || in->code == 0x18);
}

static bool same_constant(const struct ir_insn *a, const struct ir_insn *b)
{
	return a->code == b->code && a->imm == b->imm && a->pseudo == b->pseudo &&
	       a->core_kind == b->core_kind && a->core_type == b->core_type &&
	       a->core_access && b->core_access && !strcmp(a->core_access, b->core_access);
}

/* `d = off; d += base` with base a web of one def: the relocated address base+off,
 * held by d from the add on when d has no other def (and d is free to keep it:
 * address_name). */
static bool relocated_address(struct ir_func *f, struct site s, const int *defs,
			      const struct site *where, const struct dominators *d)
{
	struct ir_block *blk = &f->blocks[s.block];
	struct ir_insn *mov = at(f, s), *add;

	if (s.index + 1 >= blk->count || mov->code != 0xb7)
		return false;
	add = &blk->insns[s.index + 1];
	return add->code == 0x0f && add->dst == mov->dst && add->src != mov->dst &&
	       add->src >= IR_VREG && defs[add->src] == 1 && defs[mov->dst] == 2 &&
	       !add->pinned && add->reloc < 0 && add->core < 0 && before(d, where[add->src], s);
}

/* How many instructions write each name, and where the last of them is. */
static int *count_defs(struct ir_func *f, struct site *where)
{
	int *defs = calloc((size_t)f->names + 1, sizeof(int));

	for (int b = 0; defs && b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_operands o;

			ir_operands(&f->blocks[b].insns[i], &o);
			for (int d = 0; d < o.def_count; d++) {
				defs[*o.def[d]]++;
				where[*o.def[d]] = (struct site){ b, i };
			}
		}
	return defs;
}

static struct ir_insn copy_of(int dst, int src, int orig)
{
	struct ir_insn copy = ir_make(0xbf, dst, src, 0, 0);

	copy.orig = orig;
	return copy;
}

/* Makes `first` hold its value in a name of its own that nothing else writes:
 * `n = value; d = n` (`*inserted`). Returns that name, or -1. */
static int own_name(struct ir_func *f, struct site first, const int *defs, bool *inserted)
{
	struct ir_insn *in = at(f, first), copy;
	int n;

	*inserted = false;
	if (defs[in->dst] == 1 && f->precolour[in->dst] < 0 && in->dst >= IR_VREG)
		return in->dst;
	if ((n = ir_new_name(f, -1)) < 0)
		return -1;
	in = at(f, first);
	copy = copy_of(in->dst, n, in->orig);
	in->dst = n;
	if (!ir_block_insert(&f->blocks[first.block], first.index + 1, &copy))
		return -1;
	*inserted = true;
	return n;
}

/* The name holding `first`'s address: its own, or, when that is a fixed register
 * (a call's argument, clobbered by the call), a new one computed in its place:
 * `n = off; n += base; d = n` (`*inserted`). */
static int address_name(struct ir_func *f, struct site first, bool *inserted)
{
	struct ir_insn copy;
	int n, dst = at(f, first)->dst;

	*inserted = false;
	if (f->precolour[dst] < 0)
		return dst;
	if ((n = ir_new_name(f, -1)) < 0)
		return -1;
	at(f, first)->dst = n;
	f->blocks[first.block].insns[first.index + 1].dst = n;
	copy = copy_of(dst, n, f->blocks[first.block].insns[first.index + 1].orig);
	if (!ir_block_insert(&f->blocks[first.block], first.index + 2, &copy))
		return -1;
	*inserted = true;
	return n;
}

/* Replaces `second` (and, for an address, its add) by a copy of what `first` holds. */
static bool reuse(struct ir_func *f, struct site first, struct site second, bool address,
		  const int *defs)
{
	struct ir_insn *in = at(f, second);
	int dst = in->dst, orig = in->orig, name;
	bool inserted = false;

	name = address ? address_name(f, first, &inserted)
		       : own_name(f, first, defs, &inserted);
	if (name < 0)
		return false;
	if (first.block == second.block && inserted)
		second.index++; /* a copy was inserted before it */
	if (address)
		ir_block_remove(&f->blocks[second.block], second.index + 1);
	*at(f, second) = copy_of(dst, name, orig);
	return true;
}

/* clang's MachineCSE heuristics for a cheap instruction (mov, ld_imm64): the twin
 * is in the same block or an immediate predecessor (else the value would live long
 * and raise register pressure), and the later value has a use other than a copy
 * (a value only copied into a call's argument register is rematerialised). */
static bool profitable(struct ir_func *f, struct site first, struct site second)
{
	int succ[2], n = block_successors(f, first.block, succ), dst = at(f, second)->dst;
	struct ir_block *blk = &f->blocks[second.block];
	struct ir_insn *next = second.index + 1 < blk->count ? &blk->insns[second.index + 1] : NULL;
	bool near = first.block == second.block;

	for (int s = 0; s < n; s++)
		near |= succ[s] == second.block;
	if (!near)
		return false;
	if (next && next->dst == dst && (next->code & 7) == 0x07 && (next->code & 0xf0) != 0xb0)
		return true; /* `d op= x` reads it: with SSA names that is a use by the op */
	if (f->precolour[dst] >= 0)
		return false;
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_insn *in = &f->blocks[b].insns[i];
			struct ir_operands o;

			ir_operands(in, &o);
			for (int u = 0; u < o.use_count; u++)
				if (*o.use[u] == dst && !(in->code == 0xbf && !in->off))
					return true;
		}
	return false;
}

/* Finds one pair to merge: the earliest dominating twin of a later relocated value. */
static bool merge_one(struct ir_func *f, const struct dominators *d)
{
	struct site *where = calloc((size_t)f->names + 1, sizeof(*where));
	int *defs = where ? count_defs(f, where) : NULL;
	bool merged = false;

	if (!defs) {
		free(where);
		return false;
	}
	for (int b = 0; b < f->block_count && !merged; b++)
		for (int i = 0; i < f->blocks[b].count && !merged; i++) {
			struct site second = { b, i };

			if (!relocated_constant(at(f, second)))
				continue;
			for (int fb = 0; fb < f->block_count && !merged; fb++)
				for (int fi = 0; fi < f->blocks[fb].count && !merged; fi++) {
					struct site first = { fb, fi };
					bool address;

					if ((fb == b && fi == i) || !relocated_constant(at(f, first)) ||
					    !same_constant(at(f, first), at(f, second)) ||
					    !before(d, first, second) || !profitable(f, first, second))
						continue;
					address = relocated_address(f, first, defs, where, d) &&
						  relocated_address(f, second, defs, where, d) &&
						  f->blocks[fb].insns[fi + 1].src ==
						  f->blocks[b].insns[i + 1].src;
					merged = reuse(f, first, second, address, defs);
					if (!merged)
						goto out;
				}
		}
out:
	free(defs);
	free(where);
	return merged;
}

void ir_reuse_relocated(struct ir_func *f)
{
	struct dominators d = { 0, NULL };

	ir_mark_reachable(f);
	if (!dominators_compute(f, &d)) {
		free(d.sets);
		return;
	}
	while (merge_one(f, &d))
		;
	free(d.sets);
}
