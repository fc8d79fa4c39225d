/* ir_live.c - dataflow over the IR's CFG: the registers each instruction reads and
 * writes, liveness (backward, iterated to a fixed point), reachability, and webs:
 * every def-use web of a physical register or promoted slot becomes one virtual
 * register, fixed to its physical register where the calling convention names it or
 * inline asm wrote it (asm text names registers: they stay as written). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"

static void add_use(struct ir_operands *o, int *field)
{
	if (*field != IR_FP && *field != IR_NONE)
		o->use[o->use_count++] = field;
}

static void add_def(struct ir_operands *o, int *field)
{
	o->def[o->def_count++] = field;
}

static bool alu_operands(struct ir_insn *in, struct ir_operands *o)
{
	uint8_t op = in->code & 0xf0;

	o->pure = true;
	if (op != 0xb0) /* all but mov read dst */
		add_use(o, &in->dst);
	if (op != 0x80 && op != 0xd0)
		add_use(o, &in->src);
	add_def(o, &in->dst);
	return in->dst != IR_FP;
}

static bool store_operands(struct ir_insn *in, struct ir_operands *o)
{
	uint8_t mode = in->code & 0xe0;

	add_use(o, &in->dst);
	add_use(o, &in->src);
	if (mode == 0x60)
		return true;
	if (mode != 0xc0)
		return false;
	if (in->imm == 0xf1) { /* cmpxchg: r0 compared and loaded */
		add_use(o, &in->iuse[0]);
		add_def(o, &in->idef);
	} else if (in->imm & 1) { /* fetch: src receives the old value */
		add_def(o, &in->src);
	}
	return true;
}

static bool jump_operands(struct ir_insn *in, struct ir_operands *o)
{
	uint8_t op = in->code & 0xf0;

	if ((in->code & 7) == 0x06 && (op == 0x00 || op == 0x80 || op == 0x90))
		return false; /* gotol, JMP32 call/exit: never generated */
	if (op == 0x80) {
		for (int i = 0; i < in->iuse_count; i++)
			add_use(o, &in->iuse[i]);
		add_def(o, &in->idef);
		o->call = true;
	} else if (op == 0x90) {
		add_use(o, &in->iuse[0]);
	} else if (op != 0x00) {
		add_use(o, &in->dst);
		add_use(o, &in->src);
	}
	return true;
}

static bool operands(struct ir_insn *in, struct ir_operands *o)
{
	switch (in->code & 7) {
	case 0x04: case 0x07:
		return alu_operands(in, o);
	case 0x01:
		if ((in->code & 0xe0) != 0x60 && (in->code & 0xe0) != 0x80)
			return false;
		add_use(o, &in->src);
		add_def(o, &in->dst);
		o->pure = true; /* an unused load goes, relocated or not, as clang drops it */
		return true;
	case 0x02:
		add_use(o, &in->dst);
		return (in->code & 0xe0) == 0x60;
	case 0x03:
		return store_operands(in, o);
	case 0x00:
		if (in->code != 0x18)
			return false;
		add_def(o, &in->dst);
		o->pure = in->reloc < 0 && in->core < 0;
		return true;
	default:
		return jump_operands(in, o);
	}
}

/* Fills `o`; false for an instruction the IR does not model (ld_abs, ld_ind, ...). */
bool ir_operands(struct ir_insn *in, struct ir_operands *o)
{
	bool known;

	o->use_count = o->def_count = 0;
	o->call = o->pure = false;
	known = operands(in, o);
	o->pure = o->pure && !in->pinned;
	return known;
}

/* live-before = (live-after - defs) + uses */
static void transfer(struct ir_insn *in, uint64_t *live)
{
	struct ir_operands o;

	ir_operands(in, &o);
	for (int i = 0; i < o.def_count; i++)
		if (*o.def[i] >= 0)
			live[*o.def[i] / 64] &= ~(1ull << (*o.def[i] % 64));
	for (int i = 0; i < o.use_count; i++)
		live[*o.use[i] / 64] |= 1ull << (*o.use[i] % 64);
}

static int successors(const struct ir_func *f, int b, int succ[2])
{
	const struct ir_block *blk = &f->blocks[b];
	int n = 0;

	if (blk->count && ir_is_jump(&blk->insns[blk->count - 1]))
		succ[n++] = blk->insns[blk->count - 1].target;
	if (ir_falls_through(blk) && b + 1 < f->block_count)
		succ[n++] = b + 1;
	return n;
}

static bool reset_sets(struct ir_func *f)
{
	f->words = (f->names + 63) / 64;
	for (int b = 0; b < f->block_count; b++) {
		struct ir_block *blk = &f->blocks[b];

		free(blk->live_in);
		free(blk->live_out);
		blk->live_in = calloc((size_t)f->words + 1, sizeof(uint64_t));
		blk->live_out = calloc((size_t)f->words + 1, sizeof(uint64_t));
		if (!blk->live_in || !blk->live_out)
			return false;
	}
	return true;
}

bool ir_liveness(struct ir_func *f)
{
	bool changed = true;
	uint64_t *live;

	if (!reset_sets(f) || !(live = calloc((size_t)f->words + 1, sizeof(uint64_t))))
		return false;
	while (changed) {
		changed = false;
		for (int b = f->block_count - 1; b >= 0; b--) {
			struct ir_block *blk = &f->blocks[b];
			int succ[2], n = successors(f, b, succ);

			for (int w = 0; w < f->words; w++) {
				uint64_t out = 0;

				for (int s = 0; s < n; s++)
					out |= f->blocks[succ[s]].live_in[w];
				blk->live_out[w] = out;
			}
			memcpy(live, blk->live_out, (size_t)f->words * sizeof(uint64_t));
			for (int i = blk->count - 1; i >= 0; i--)
				transfer(&blk->insns[i], live);
			if (memcmp(live, blk->live_in, (size_t)f->words * sizeof(uint64_t))) {
				memcpy(blk->live_in, live, (size_t)f->words * sizeof(uint64_t));
				changed = true;
			}
		}
	}
	free(live);
	return true;
}

void ir_mark_reachable(struct ir_func *f)
{
	int *stack = malloc((size_t)(f->block_count + 1) * sizeof(int)), top = 0;

	for (int b = 0; b < f->block_count; b++)
		f->blocks[b].reachable = false;
	if (!stack || !f->block_count) {
		for (int b = 0; b < f->block_count; b++) /* cannot tell: keep all */
			f->blocks[b].reachable = true;
		free(stack);
		return;
	}
	f->blocks[0].reachable = true;
	stack[top++] = 0;
	while (top) {
		int b = stack[--top], succ[2], n = successors(f, b, succ);

		for (int s = 0; s < n; s++)
			if (!f->blocks[succ[s]].reachable) {
				f->blocks[succ[s]].reachable = true;
				stack[top++] = succ[s];
			}
	}
	free(stack);
}

/* ---- webs ---- */

/* Definition sites: 0..9 are the entry values of r0-r9, then one per def operand. */
struct webs {
	int *site_name;          /* register name each site defines */
	int *parent;             /* union-find over sites */
	bool *fixed;             /* site's register is fixed (entry value, implied operand) */
	int sites, capacity;
	uint64_t **of_name;      /* per name: bitset of its sites */
	int swords;              /* words of a site bitset */
	int names, blocks;       /* sizes of of_name and in */
	uint64_t **in;           /* per block: sites reaching its start */
};

static int find(struct webs *w, int s)
{
	while (w->parent[s] != s)
		s = w->parent[s] = w->parent[w->parent[s]];
	return s;
}

static void unite(struct webs *w, int a, int b)
{
	a = find(w, a);
	b = find(w, b);
	if (a != b)
		w->parent[b] = a;
	w->fixed[a] = w->fixed[a] || w->fixed[b];
}

static int add_site(struct webs *w, int name, bool fixed)
{
	if (w->sites == w->capacity) {
		int cap = w->capacity * 2 + 64;
		int *n = realloc(w->site_name, (size_t)cap * sizeof(int));
		int *p = n ? realloc(w->parent, (size_t)cap * sizeof(int)) : NULL;
		bool *x = p ? realloc(w->fixed, (size_t)cap * sizeof(bool)) : NULL;

		if (n)
			w->site_name = n;
		if (p)
			w->parent = p;
		if (!x)
			return -1;
		w->fixed = x;
		w->capacity = cap;
	}
	w->site_name[w->sites] = name;
	w->parent[w->sites] = w->sites;
	w->fixed[w->sites] = fixed;
	return w->sites++;
}

/* Encoded in an operand field between the two passes: site s is -(s + 2). */
static int encode(int site) { return -(site + 2); }
static int decode(int field) { return -field - 2; }

static bool is_implied(struct ir_insn *in, int *field)
{
	return field == &in->idef || (field >= in->iuse && field < in->iuse + 5);
}

/* Whether the register in `field` must stay as it is: implied by the opcode, or named
 * by inline asm text (not an operand the compiler placed). Reads the physical name. */
static bool is_fixed(struct ir_insn *in, int *field)
{
	if (is_implied(in, field))
		return true;
	return in->pinned && !(*field >= 0 && *field < 16 && (in->operand_regs >> *field & 1) &&
			       (field == &in->dst || field == &in->src));
}

/* Def sites are numbered in code order; the first pass only counts them. */
static bool collect_sites(struct ir_func *f, struct webs *w)
{
	for (int r = 0; r < 10; r++)
		if (add_site(w, r, true) < 0)
			return false;
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_insn *in = &f->blocks[b].insns[i];
			struct ir_operands o;

			if (!ir_operands(in, &o))
				return false;
			for (int d = 0; d < o.def_count; d++)
				if (add_site(w, *o.def[d], is_fixed(in, o.def[d])) < 0)
					return false;
		}
	return true;
}

static bool alloc_site_sets(struct ir_func *f, struct webs *w)
{
	w->swords = (w->sites + 63) / 64 + 1;
	w->names = f->names;
	w->blocks = f->block_count;
	w->of_name = calloc((size_t)f->names, sizeof(*w->of_name));
	w->in = calloc((size_t)f->block_count + 1, sizeof(*w->in));
	if (!w->of_name || !w->in)
		return false;
	for (int n = 0; n < f->names; n++)
		if (!(w->of_name[n] = calloc((size_t)w->swords, sizeof(uint64_t))))
			return false;
	for (int b = 0; b < f->block_count; b++)
		if (!(w->in[b] = calloc((size_t)w->swords, sizeof(uint64_t))))
			return false;
	for (int s = 0; s < w->sites; s++)
		w->of_name[w->site_name[s]][s / 64] |= 1ull << (s % 64);
	for (int r = 1; r <= f->params && r <= 5; r++) /* other registers hold nothing */
		w->in[0][r / 64] |= 1ull << r;
	return true;
}

/* Reaching definitions forward through one block; `site` is the first def site of
 * the block. With `link`, uses join the webs of the defs reaching them. */
static void walk_block(struct ir_func *f, struct webs *w, int b, uint64_t *cur, int site,
		       bool link)
{
	struct ir_block *blk = &f->blocks[b];

	for (int i = 0; i < blk->count; i++) {
		struct ir_insn *in = &blk->insns[i];
		struct ir_operands o;
		int use_site[8];

		ir_operands(in, &o);
		for (int u = 0; u < o.use_count && link; u++) {
			int name = *o.use[u], first = -1;

			for (int k = 0; k < w->swords; k++) {
				uint64_t m = cur[k] & w->of_name[name][k];

				for (; m; m &= m - 1) {
					int s = k * 64 + __builtin_ctzll(m);

					if (first < 0)
						first = s;
					else
						unite(w, first, s);
				}
			}
			if (first < 0 && is_implied(in, o.use[u])) { /* not an argument after all */
				*o.use[u] = IR_NONE;                 /* (a call in inline asm) */
				use_site[u] = -1;
				continue;
			}
			if (first < 0) /* no def reaches: a web of its own */
				first = add_site(w, name, false);
			if (first >= 0 && is_fixed(in, o.use[u]))
				w->fixed[find(w, first)] = true;
			use_site[u] = first;
		}
		for (int d = 0; d < o.def_count; d++, site++) {
			int name = *o.def[d];

			for (int k = 0; k < w->swords; k++)
				cur[k] &= ~w->of_name[name][k];
			cur[site / 64] |= 1ull << (site % 64);
			for (int u = 0; u < o.use_count && link; u++)
				if (o.use[u] == o.def[d] && use_site[u] >= 0)
					unite(w, site, use_site[u]);
			if (link)
				*o.def[d] = encode(site);
		}
		for (int r = 1; r <= 5 && o.call; r++) /* a call leaves nothing in r1-r5 */
			for (int k = 0; k < w->swords; k++)
				cur[k] &= ~w->of_name[r][k];
		for (int u = 0; u < o.use_count && link; u++)
			if (*o.use[u] >= 0 && use_site[u] >= 0) /* rmw fields already encoded */
				*o.use[u] = encode(use_site[u]);
	}
}

static int block_defs(struct ir_block *blk)
{
	int n = 0;

	for (int i = 0; i < blk->count; i++) {
		struct ir_operands o;

		ir_operands(&blk->insns[i], &o);
		n += o.def_count;
	}
	return n;
}

static bool reaching_definitions(struct ir_func *f, struct webs *w, int *start)
{
	uint64_t *cur = calloc((size_t)w->swords, sizeof(uint64_t));
	bool changed = true;

	if (!cur)
		return false;
	while (changed) {
		changed = false;
		for (int b = 0; b < f->block_count; b++) {
			int succ[2], n = successors(f, b, succ);

			memcpy(cur, w->in[b], (size_t)w->swords * sizeof(uint64_t));
			walk_block(f, w, b, cur, start[b], false);
			for (int s = 0; s < n; s++)
				for (int k = 0; k < w->swords; k++)
					if (cur[k] & ~w->in[succ[s]][k]) {
						w->in[succ[s]][k] |= cur[k];
						changed = true;
					}
		}
	}
	free(cur);
	return true;
}

/* Final names: one virtual register per web root; fixed webs keep their register. */
static bool name_webs(struct ir_func *f, struct webs *w)
{
	int *web = malloc((size_t)w->sites * sizeof(int)), count = 0;
	int *colour = malloc((size_t)w->sites * sizeof(int));

	if (!web || !colour) {
		free(web);
		free(colour);
		return false;
	}
	for (int s = 0; s < w->sites; s++)
		web[s] = -1;
	for (int s = 0; s < w->sites; s++) {
		int root = find(w, s);

		if (web[root] < 0) {
			web[root] = IR_VREG + count++;
			colour[web[root] - IR_VREG] = w->fixed[root] && w->site_name[root] < 10 ?
						       w->site_name[root] : -1;
		}
	}
	free(f->precolour);
	f->names = IR_VREG + count;
	f->precolour = malloc((size_t)f->names * sizeof(int));
	for (int n = 0; f->precolour && n < f->names; n++)
		f->precolour[n] = n < IR_VREG ? (n < 10 ? n : -1) : colour[n - IR_VREG];
	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			struct ir_operands o;
			struct ir_insn *in = &f->blocks[b].insns[i];

			ir_operands(in, &o);
			for (int u = 0; u < o.use_count; u++)
				if (*o.use[u] < IR_NONE)
					*o.use[u] = web[find(w, decode(*o.use[u]))];
			for (int d = 0; d < o.def_count; d++)
				if (*o.def[d] < IR_NONE)
					*o.def[d] = web[find(w, decode(*o.def[d]))];
		}
	free(web);
	free(colour);
	return f->precolour != NULL;
}

static void free_webs(struct webs *w)
{
	for (int n = 0; w->of_name && n < w->names; n++)
		free(w->of_name[n]);
	for (int b = 0; w->in && b < w->blocks; b++)
		free(w->in[b]);
	free(w->of_name);
	free(w->in);
	free(w->site_name);
	free(w->parent);
	free(w->fixed);
}

/* Renames every register name but r10 into web names. Unreachable blocks must be gone
 * (their defs would join webs no path uses). */
bool ir_rename_webs(struct ir_func *f)
{
	struct webs w = { 0 };
	int *start = malloc((size_t)(f->block_count + 1) * sizeof(int));
	uint64_t *cur = NULL;
	bool ok = start && collect_sites(f, &w) && alloc_site_sets(f, &w);

	for (int b = 0; ok && b < f->block_count; b++)
		start[b] = b ? start[b - 1] + block_defs(&f->blocks[b - 1]) : 10;
	ok = ok && reaching_definitions(f, &w, start);
	if (ok)
		ok = (cur = calloc((size_t)w.swords, sizeof(uint64_t))) != NULL;
	for (int b = 0; ok && b < f->block_count; b++) {
		memcpy(cur, w.in[b], (size_t)w.swords * sizeof(uint64_t));
		walk_block(f, &w, b, cur, start[b], true);
	}
	free(cur);
	ok = ok && name_webs(f, &w);
	free_webs(&w);
	free(start);
	return ok;
}
