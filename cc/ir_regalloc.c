/* ir_regalloc.c - register allocation by graph colouring (Chaitin-Briggs): an
 * interference graph over the IR's names from liveness, conservative (Briggs)
 * coalescing of 64-bit moves, simplify/select with optimistic colouring biased
 * towards move partners, and spilling of what found no colour to full 64-bit stack
 * slots (so the verifier keeps pointer types), repeated until everything fits.
 * Colouring rather than linear scan: the calling convention is a set of constraints
 * (precoloured arguments and results, r0-r5 forbidden across calls) that a graph
 * states directly, and coalescing removes the moves the front end emits. Needs
 * ir_rename_webs (or hand-built names) first; afterwards every operand is r0-r10. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"

enum { MAX_ROUNDS = 8 };

static const int preference[IR_COLOURS] = { 1, 2, 3, 4, 5, 0, 6, 7, 8, 9 };

struct move {
	int dst, src;
};

struct graph {
	int n, words;
	uint64_t *adj;        /* n rows of `words` */
	uint16_t *forbid;     /* registers a name may not take (r0-r5 across calls) */
	int *alias;           /* coalesced into (union-find) */
	int *colour;          /* -1 while uncoloured */
	int *occurs;          /* operand occurrences: the cost of spilling */
	int *degree;
	bool *removed, *spilled;
	struct move *moves;
	int move_count;
	int *partner_head, *partner_next; /* per root: moves it is in (after coalescing) */
};

static uint64_t *row(struct graph *g, int n)
{
	return g->adj + (size_t)n * (size_t)g->words;
}

static bool adjacent(struct graph *g, int a, int b)
{
	return row(g, a)[b / 64] >> (b % 64) & 1;
}

static void interfere(struct graph *g, int a, int b)
{
	if (a == b || a < 0 || b < 0)
		return;
	row(g, a)[b / 64] |= 1ull << (b % 64);
	row(g, b)[a / 64] |= 1ull << (a % 64);
}

static int find(struct graph *g, int n)
{
	while (g->alias[n] != n)
		n = g->alias[n] = g->alias[g->alias[n]];
	return n;
}

static void free_graph(struct graph *g)
{
	free(g->adj);
	free(g->forbid);
	free(g->alias);
	free(g->colour);
	free(g->occurs);
	free(g->degree);
	free(g->removed);
	free(g->spilled);
	free(g->moves);
	free(g->partner_head);
	free(g->partner_next);
	memset(g, 0, sizeof(*g));
}

static bool alloc_graph(struct graph *g, int n, int insns)
{
	g->n = n;
	g->words = (n + 63) / 64;
	g->adj = calloc((size_t)n * (size_t)g->words + 1, sizeof(uint64_t));
	g->forbid = calloc((size_t)n + 1, sizeof(uint16_t));
	g->alias = malloc(((size_t)n + 1) * sizeof(int));
	g->colour = malloc(((size_t)n + 1) * sizeof(int));
	g->occurs = calloc((size_t)n + 1, sizeof(int));
	g->degree = calloc((size_t)n + 1, sizeof(int));
	g->removed = calloc((size_t)n + 1, sizeof(bool));
	g->spilled = calloc((size_t)n + 1, sizeof(bool));
	g->moves = malloc(((size_t)insns + 1) * sizeof(struct move));
	if (!g->adj || !g->forbid || !g->alias || !g->colour || !g->occurs || !g->degree ||
	    !g->removed || !g->spilled || !g->moves)
		return false;
	for (int i = 0; i < n; i++) {
		g->alias[i] = i;
		g->colour[i] = -1;
	}
	return true;
}

static bool is_move(const struct ir_insn *in)
{
	return in->code == 0xbf && in->off == 0 && in->src != IR_FP && in->dst != IR_FP;
}

/* Interference: each def against everything live after it (a move's source
 * excepted); values live across a call may not take r0-r5. */
static void build_block(struct graph *g, struct ir_func *f, struct ir_block *blk,
			uint64_t *live)
{
	memcpy(live, blk->live_out, (size_t)f->words * sizeof(uint64_t));
	for (int i = blk->count - 1; i >= 0; i--) {
		struct ir_insn *in = &blk->insns[i];
		struct ir_operands o;
		bool mov = is_move(in);

		ir_operands(in, &o);
		for (int d = 0; d < o.def_count; d++)
			live[*o.def[d] / 64] &= ~(1ull << (*o.def[d] % 64));
		if (mov)
			g->moves[g->move_count++] = (struct move){ in->dst, in->src };
		for (int k = 0; k < f->words; k++)
			for (uint64_t m = live[k]; m; m &= m - 1) {
				int l = k * 64 + __builtin_ctzll(m);

				for (int d = 0; d < o.def_count; d++)
					if (!(mov && l == in->src))
						interfere(g, *o.def[d], l);
				if (o.call)
					g->forbid[l] |= IR_CALLER_SAVED;
			}
		for (int d = 0; d < o.def_count; d++) /* two defs of one insn interfere */
			for (int e = d + 1; e < o.def_count; e++)
				interfere(g, *o.def[d], *o.def[e]);
		for (int d = 0; d < o.def_count; d++)
			g->occurs[*o.def[d]]++;
		for (int u = 0; u < o.use_count; u++) {
			live[*o.use[u] / 64] |= 1ull << (*o.use[u] % 64);
			g->occurs[*o.use[u]]++;
		}
	}
}

static bool build(struct graph *g, struct ir_func *f)
{
	int insns = 0;
	uint64_t *live;

	for (int b = 0; b < f->block_count; b++)
		insns += f->blocks[b].count;
	if (!ir_liveness(f) || !alloc_graph(g, f->names, insns))
		return false;
	live = calloc((size_t)f->words + 1, sizeof(uint64_t));
	if (!live)
		return false;
	for (int b = 0; b < f->block_count; b++)
		build_block(g, f, &f->blocks[b], live);
	free(live);
	for (int n = 0; n < g->n; n++)
		if (f->precolour[n] >= 0)
			g->colour[n] = f->precolour[n];
	return true;
}

static int available(struct graph *g, int n)
{
	return IR_COLOURS - __builtin_popcount(g->forbid[n] & 0x3ff);
}

static int count_degree(struct graph *g, int n)
{
	int d = 0;

	for (int k = 0; k < g->words; k++)
		for (uint64_t m = row(g, n)[k]; m; m &= m - 1) {
			int x = k * 64 + __builtin_ctzll(m);

			d += g->alias[x] == x && g->occurs[x] && !g->removed[x];
		}
	return d;
}

/* Briggs: the merged node has fewer than K neighbours of significant degree; a fixed
 * register must be free of the other side's neighbours and forbidden set. */
static bool can_merge(struct graph *g, int a, int b)
{
	int colour = g->colour[a] >= 0 ? g->colour[a] : g->colour[b];
	uint16_t forbid = g->forbid[a] | g->forbid[b];
	int k = IR_COLOURS - __builtin_popcount(forbid & 0x3ff), significant = 0;

	if (g->colour[a] >= 0 && g->colour[b] >= 0) /* same register: the move vanishes anyway */
		return false;
	if (colour >= 0 && (forbid >> colour & 1))
		return false;
	for (int w = 0; w < g->words; w++)
		for (uint64_t m = row(g, a)[w] | row(g, b)[w]; m; m &= m - 1) {
			int x = w * 64 + __builtin_ctzll(m);

			if (g->alias[x] != x || !g->occurs[x])
				continue;
			if (colour >= 0 && g->colour[x] == colour)
				return false;
			if (g->colour[x] >= 0 || g->degree[x] >= available(g, x))
				significant++;
		}
	return significant < k;
}

static void merge(struct graph *g, int a, int b)
{
	if (g->colour[b] >= 0) { /* keep the fixed one as the representative */
		int t = a;

		a = b;
		b = t;
	}
	for (int w = 0; w < g->words; w++)
		for (uint64_t m = row(g, b)[w]; m; m &= m - 1) {
			int x = w * 64 + __builtin_ctzll(m);

			interfere(g, a, x);
			row(g, x)[b / 64] &= ~(1ull << (b % 64));
		}
	g->forbid[a] |= g->forbid[b];
	g->occurs[a] += g->occurs[b];
	g->alias[b] = a;
	g->degree[a] = count_degree(g, a);
	for (int w = 0; w < g->words; w++) /* a neighbour of both lost one */
		for (uint64_t m = row(g, a)[w]; m; m &= m - 1) {
			int x = w * 64 + __builtin_ctzll(m);

			g->degree[x] = count_degree(g, x);
		}
}

static void coalesce(struct graph *g)
{
	bool changed = true;

	for (int n = 0; n < g->n; n++)
		if (g->alias[n] == n && g->occurs[n])
			g->degree[n] = count_degree(g, n);
	while (changed) {
		changed = false;
		for (int i = 0; i < g->move_count; i++) {
			int a = find(g, g->moves[i].dst), b = find(g, g->moves[i].src);

			if (a == b || adjacent(g, a, b) || !can_merge(g, a, b))
				continue;
			merge(g, a, b);
			changed = true;
		}
	}
}

static bool candidate(struct graph *g, int n)
{
	return g->alias[n] == n && g->occurs[n] && g->colour[n] < 0 && !g->removed[n];
}

/* Simplify: remove nodes of low degree first (a worklist), else the cheapest to
 * spill (cost per degree; spill temporaries never); returns the removal order. */
static int simplify(struct graph *g, int *order, int first_temporary)
{
	int count = 0, *low = malloc(((size_t)g->n + 1) * sizeof(int)), top = 0;
	bool *queued = calloc((size_t)g->n + 1, sizeof(bool));

	if (!low || !queued)
		goto out;
	for (int n = 0; n < g->n; n++)
		if (candidate(g, n)) {
			g->degree[n] = count_degree(g, n);
			if (g->degree[n] < available(g, n))
				low[top++] = n, queued[n] = true;
		}
	for (;;) {
		int pick = -1;
		double best = 0;
		bool found;

		while (top && pick < 0)
			if (candidate(g, low[--top]))
				pick = low[top];
		found = pick >= 0; /* else the cheapest to spill goes (optimistically) */
		for (int n = 0; n < g->n && !found; n++) {
			double cost;

			if (!candidate(g, n))
				continue;
			cost = (double)g->occurs[n] / (g->degree[n] + 1) + (n >= first_temporary) * 1e9;
			if (pick < 0 || cost < best)
				pick = n, best = cost;
		}
		if (pick < 0)
			break;
		g->removed[pick] = true;
		order[count++] = pick;
		for (int w = 0; w < g->words; w++)
			for (uint64_t m = row(g, pick)[w]; m; m &= m - 1) {
				int x = w * 64 + __builtin_ctzll(m);

				if (candidate(g, x) && --g->degree[x] < available(g, x) && !queued[x]) {
					low[top++] = x;
					queued[x] = true;
				}
			}
	}
out:
	free(low);
	free(queued);
	return count;
}

/* Lists each root's moves (entry 2i: move i's dst side, 2i+1: its src side). */
static bool link_partners(struct graph *g)
{
	g->partner_head = malloc(((size_t)g->n + 1) * sizeof(int));
	g->partner_next = malloc(((size_t)g->move_count * 2 + 1) * sizeof(int));
	if (!g->partner_head || !g->partner_next)
		return false;
	memset(g->partner_head, 0xff, ((size_t)g->n + 1) * sizeof(int));
	for (int e = 0; e < g->move_count * 2; e++) {
		int n = find(g, e & 1 ? g->moves[e / 2].src : g->moves[e / 2].dst);

		g->partner_next[e] = g->partner_head[n];
		g->partner_head[n] = e;
	}
	return true;
}

static int choose(struct graph *g, int n, unsigned avail)
{
	for (int e = g->partner_head[n]; e >= 0; e = g->partner_next[e]) {
		const struct move *mv = &g->moves[e / 2]; /* a move partner's register first */
		int other = find(g, e & 1 ? mv->dst : mv->src);

		if (g->colour[other] >= 0 && (avail >> g->colour[other] & 1))
			return g->colour[other];
	}
	for (int i = 0; i < IR_COLOURS; i++)
		if (avail >> preference[i] & 1)
			return preference[i];
	return -1;
}

/* Select: colour in reverse removal order; false when some node was spilled. */
static bool select_colours(struct graph *g, int *order, int count)
{
	bool all = true;

	for (int i = count - 1; i >= 0; i--) {
		int n = order[i];
		unsigned avail = 0x3ffu & ~(unsigned)g->forbid[n];

		for (int w = 0; w < g->words; w++)
			for (uint64_t m = row(g, n)[w]; m; m &= m - 1) {
				int x = w * 64 + __builtin_ctzll(m);

				if (g->alias[x] == x && g->colour[x] >= 0)
					avail &= ~(1u << g->colour[x]);
			}
		g->colour[n] = avail ? choose(g, n, avail) : -1;
		if (!avail) {
			g->spilled[n] = true;
			all = false;
		}
	}
	return all;
}

/* Fixed registers must not collide with each other or with a call's clobbers. */
static bool fixed_consistent(struct graph *g)
{
	for (int n = 0; n < g->n; n++) {
		if (g->alias[n] != n || !g->occurs[n] || g->colour[n] < 0)
			continue;
		if (g->forbid[n] >> g->colour[n] & 1)
			return false;
		for (int x = n + 1; x < g->n; x++)
			if (g->alias[x] == x && g->occurs[x] && g->colour[x] == g->colour[n] &&
			    adjacent(g, n, x))
				return false;
	}
	return true;
}

static void rename_all(struct ir_func *f, struct graph *g, bool to_colour)
{
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_operands o;

			ir_operands(&f->blocks[b].insns[i], &o);
			for (int u = 0; u < o.use_count; u++) {
				int r = find(g, *o.use[u]);

				*o.use[u] = to_colour ? g->colour[r] : r;
			}
			for (int d = 0; d < o.def_count; d++) {
				int r = find(g, *o.def[d]);

				*o.def[d] = to_colour ? g->colour[r] : r;
			}
		}
}

/* Spill code for the names with a slot (`off_of` non-zero): a load into a fresh name
 * before each use, a store from a fresh name after each def, both full 64-bit. */
static bool spill(struct ir_func *f, const int16_t *off_of, int names)
{
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];

		for (int i = 0; i < blk->count; i++) {
			int stores = 0;

			for (;;) { /* once per spilled name the instruction names */
				struct ir_insn *in = &blk->insns[i], load, store;
				struct ir_operands o;
				int temp, name = -1;
				bool used = false, defined = false;

				ir_operands(in, &o);
				for (int u = 0; u < o.use_count && name < 0; u++)
					if (*o.use[u] < names && off_of[*o.use[u]])
						name = *o.use[u];
				for (int d = 0; d < o.def_count && name < 0; d++)
					if (*o.def[d] < names && off_of[*o.def[d]])
						name = *o.def[d];
				if (name < 0)
					break;
				if (is_move(in) && in->src < names && in->dst < names &&
				    off_of[in->src] == off_of[in->dst]) {
					ir_block_remove(blk, i--); /* both in one slot already */
					break;
				}
				if ((temp = ir_new_name(f, -1)) < 0)
					return false;
				for (int u = 0; u < o.use_count; u++) /* an rmw field is both */
					used |= *o.use[u] == name;
				for (int d = 0; d < o.def_count; d++)
					defined |= *o.def[d] == name;
				for (int u = 0; u < o.use_count; u++)
					if (*o.use[u] == name)
						*o.use[u] = temp;
				for (int d = 0; d < o.def_count; d++)
					if (*o.def[d] == name)
						*o.def[d] = temp;
				load = ir_make(0x79, temp, IR_FP, off_of[name], 0);
				store = ir_make(0x7b, IR_FP, temp, off_of[name], 0);
				load.orig = store.orig = in->orig;
				if (defined && !ir_block_insert(blk, i + 1, &store))
					return false;
				if (used && !ir_block_insert(blk, i++, &load))
					return false;
				stores += defined;
			}
			i += stores;
		}
	}
	return true;
}

/* Slots for the spilled names: names that never interfere share one (greedily, in
 * name order), so the frame grows by the most spilled values live at once. */
static bool spill_all(struct ir_func *f, struct graph *g, int first_temporary)
{
	int *slot_of = malloc(((size_t)g->n + 1) * sizeof(int)), slots = 0, base = f->frame;
	int16_t *off_of = calloc((size_t)g->n + 1, sizeof(int16_t));
	bool ok = slot_of && off_of;

	for (int n = 0; ok && n < g->n; n++) {
		int s;

		if (!g->spilled[n])
			continue;
		if (n >= first_temporary) { /* a spill temporary found no register */
			ok = false;
			break;
		}
		for (s = 0; s < slots; s++) { /* the first slot no holder of interferes with */
			bool clash = false;

			for (int m = 0; m < n && !clash; m++)
				clash = g->spilled[m] && slot_of[m] == s && adjacent(g, n, m);
			if (!clash)
				break;
		}
		if (s == slots && base + 8 * ++slots > f->stack_limit)
			ok = false;
		slot_of[n] = s;
		off_of[n] = (int16_t)-(base + 8 * (s + 1));
	}
	ok = ok && spill(f, off_of, g->n);
	if (ok)
		f->frame = base + 8 * slots;
	free(slot_of);
	free(off_of);
	return ok;
}

static void drop_self_moves(struct ir_func *f)
{
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_insn *in = &f->blocks[b].insns[i];

			if (is_move(in) && in->dst == in->src && !in->pinned)
				ir_block_remove(&f->blocks[b], i--);
		}
}

/* One round: build, coalesce, colour. 1 done, 0 spilled (retry), -1 failed. */
static int round_once(struct ir_func *f, int first_temporary)
{
	struct graph g = { 0 };
	int *order = NULL, count, result = -1;

	if (!build(&g, f) || !fixed_consistent(&g))
		goto out;
	coalesce(&g);
	order = malloc(((size_t)g.n + 1) * sizeof(int));
	if (!order || !link_partners(&g))
		goto out;
	count = simplify(&g, order, first_temporary);
	if (select_colours(&g, order, count)) {
		rename_all(f, &g, true);
		drop_self_moves(f);
		result = 1;
		goto out;
	}
	rename_all(f, &g, false); /* keep the merges: they were safe */
	result = spill_all(f, &g, first_temporary) ? 0 : -1;
out:
	free(order);
	free_graph(&g);
	return result;
}

bool ir_allocate(struct ir_func *f)
{
	int first_temporary = f->names;

	for (int round = 0; round < MAX_ROUNDS; round++) {
		int r = round_once(f, first_temporary);

		if (r)
			return r > 0;
	}
	return false;
}
