/* ir_frame.c - scalar replacement of stack objects, as SROA and mem2reg do: addresses
 * r10 + c are followed through copies and constant adds over the CFG, and every access
 * through one becomes an access at r10 + offset. An object whose address serves only as
 * such a base has each of its (offset, size) slots replaced by a name. One that is also
 * given to helper calls (and read by the code) does too when its named slots hold a
 * value on every path to those calls: they are stored right before each call and read
 * back after it. Any other use of the address (passed to a BPF function or a dynptr
 * helper, stored, compared, arithmetic, inline asm) keeps the object in memory, as do
 * slots that overlap without being equal (a narrow store read back wider). The frame
 * then shrinks to what stays in memory. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ir.h"

/* A name's value at a program point: a frame offset (the name holds r10 + offset), or
 * one of these below every offset. MIXED: a frame address of more than one object or
 * not always one; using it for anything but a copy stops the pass. */
enum { V_UNDEF = INT32_MIN, V_OTHER, V_MIXED };

enum { FIRST_DYNPTR_HELPER = 197 };

struct object {
	int lo, hi;              /* bytes [lo, hi) relative to r10 */
	bool escapes;            /* its address is used for more than loads and stores */
	bool helpers;            /* ... or given to helper calls, and it is read */
	bool read;               /* loaded from directly */
};

struct slot {
	int off, size;
	int object;
	bool bad;                /* stays in memory */
	int name;
};

struct frame {
	struct ir_func *f;
	int *cand;               /* per name below `names`: its state index, or -1 */
	int names, cands;
	int32_t *in;             /* per block: `cands` values at its start */
	int32_t *state;          /* values at the current point */
	struct object *objects;
	int object_count;
	struct slot *slots;
	int slot_count, slot_capacity;
	bool stop;               /* a use the pass does not model: change nothing */
};

static bool is_frame(int32_t v)
{
	return v > V_MIXED;
}

static int32_t merge(int32_t a, int32_t b)
{
	if (a == V_UNDEF || a == b)
		return b;
	if (b == V_UNDEF)
		return a;
	return is_frame(a) || is_frame(b) || a == V_MIXED || b == V_MIXED ? V_MIXED : V_OTHER;
}

static bool is_mem(const struct ir_insn *in)
{
	uint8_t cls = in->code & 7;

	return cls >= 0x01 && cls <= 0x03 && (in->code & 0xe0) == 0x60;
}

/* A plain 64-bit register copy (not a sign-extending movsx, not inline asm). */
static bool is_copy(const struct ir_insn *in)
{
	return in->code == 0xbf && in->off == 0 && !in->pinned;
}

/* Names that may hold a frame address: copied from r10 or from such a name. */
static void find_candidates(struct frame *fr)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (int b = 0; b < fr->f->block_count; b++)
			for (int i = 0; i < fr->f->blocks[b].count; i++) {
				const struct ir_insn *in = &fr->f->blocks[b].insns[i];

				if (!is_copy(in) || in->dst < 0 || in->dst == IR_FP ||
				    (in->src != IR_FP && (in->src < 0 || fr->cand[in->src] < 0)) ||
				    fr->cand[in->dst] >= 0)
					continue;
				fr->cand[in->dst] = fr->cands++;
				changed = true;
			}
	}
}

static int32_t value_of(const struct frame *fr, int name)
{
	if (name == IR_FP)
		return 0;
	if (name < 0 || name >= fr->names || fr->cand[name] < 0)
		return V_OTHER;
	return fr->state[fr->cand[name]];
}

static void set_value(struct frame *fr, int name, int32_t v)
{
	if (name >= 0 && name < fr->names && fr->cand[name] >= 0)
		fr->state[fr->cand[name]] = v;
}

/* The value an instruction gives the name it defines. */
static int32_t defined_value(const struct frame *fr, const struct ir_insn *in)
{
	int32_t v = value_of(fr, in->dst);
	int64_t sum;

	if (in->pinned)
		return V_OTHER;
	if (is_copy(in))
		return value_of(fr, in->src);
	if ((in->code == 0x07 || in->code == 0x17) && v == V_MIXED)
		return V_MIXED;
	if ((in->code == 0x07 || in->code == 0x17) && is_frame(v)) {
		sum = in->code == 0x07 ? (int64_t)v + in->imm : (int64_t)v - in->imm;
		return sum > -32768 && sum < 32768 ? (int32_t)sum : V_MIXED;
	}
	return V_OTHER;
}

/* The names an instruction writes (ir_live.c's operands, without building them). */
static void transfer(struct frame *fr, struct ir_insn *in)
{
	uint8_t cls = in->code & 7;

	if (in->code == 0x85) {
		for (int r = 0; r <= 5; r++)
			set_value(fr, r, V_OTHER);
	} else if (cls == 0x04 || cls == 0x07 || cls == 0x01 || in->code == 0x18) {
		set_value(fr, in->dst, defined_value(fr, in));
	} else if (cls == 0x03 && (in->code & 0xe0) == 0xc0) {
		set_value(fr, in->imm == 0xf1 ? 0 : in->src, V_OTHER); /* cmpxchg, fetch */
	}
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

/* Forward to a fixed point: the values at each block's start. A block is visited
 * again only when what flows into it changed. */
static bool solve(struct frame *fr)
{
	size_t width = (size_t)fr->cands;
	int blocks = fr->f->block_count, pending = 1;
	bool *dirty = calloc((size_t)blocks, sizeof(bool));

	if (!dirty)
		return false;
	for (size_t k = 0; k < (size_t)blocks * width; k++)
		fr->in[k] = V_UNDEF;
	for (size_t k = 0; k < width; k++)
		fr->in[k] = V_OTHER; /* entry: whatever the caller left */
	dirty[0] = true;
	while (pending)
		for (int b = 0; b < blocks; b++) {
			int succ[2], n;

			if (!dirty[b])
				continue;
			dirty[b] = false;
			pending--;
			memcpy(fr->state, &fr->in[(size_t)b * width], width * sizeof(int32_t));
			for (int i = 0; i < fr->f->blocks[b].count; i++)
				transfer(fr, &fr->f->blocks[b].insns[i]);
			n = successors(fr->f, b, succ);
			for (int s = 0; s < n; s++)
				for (size_t k = 0; k < width; k++) {
					int32_t *at = &fr->in[(size_t)succ[s] * width + k];
					int32_t m = merge(*at, fr->state[k]);

					if (m != *at && !dirty[succ[s]]) {
						dirty[succ[s]] = true;
						pending++;
					}
					*at = m;
				}
		}
	free(dirty);
	return true;
}

/* Codegen's objects, overlapping ones joined, by offset. */
static int by_offset(const void *a, const void *b)
{
	const struct ir_frame_object *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

static bool gather_objects(struct frame *fr)
{
	struct ir_func *f = fr->f;

	if (!f->object_count)
		return false;
	fr->objects = calloc((size_t)f->object_count, sizeof(*fr->objects));
	if (!fr->objects)
		return false;
	qsort(f->objects, (size_t)f->object_count, sizeof(*f->objects), by_offset);
	for (int k = 0; k < f->object_count; k++) {
		struct object *last = fr->object_count ? &fr->objects[fr->object_count - 1] : NULL;
		int lo = f->objects[k].off, hi = lo + f->objects[k].size;

		if (last && lo < last->hi) {
			last->hi = hi > last->hi ? hi : last->hi;
			continue;
		}
		fr->objects[fr->object_count++] = (struct object){ lo, hi, false, false, false };
	}
	return true;
}

static int object_at(const struct frame *fr, int lo, int hi)
{
	for (int k = 0; k < fr->object_count; k++)
		if (fr->objects[k].lo <= lo && hi <= fr->objects[k].hi)
			return k;
	return -1;
}

static void escape(struct frame *fr, int32_t at)
{
	int k = is_frame(at) ? object_at(fr, at, at + 1) : -1;

	if (k < 0)
		fr->stop = true;
	else
		fr->objects[k].escapes = true;
}

static int slot_index(const struct frame *fr, int off, int size)
{
	for (int s = 0; s < fr->slot_count; s++)
		if (fr->slots[s].off == off && fr->slots[s].size == size)
			return s;
	return -1;
}

static void note_access(struct frame *fr, int off, int size, bool load)
{
	int k = object_at(fr, off, off + size), s = slot_index(fr, off, size);

	if (k < 0) {
		fr->stop = true;
		return;
	}
	fr->objects[k].read |= load;
	if (s < 0) {
		if (fr->slot_count == fr->slot_capacity) {
			int cap = fr->slot_capacity ? fr->slot_capacity * 2 : 16;
			struct slot *p = realloc(fr->slots, (size_t)cap * sizeof(*p));

			if (!p) {
				fr->stop = true;
				return;
			}
			fr->slots = p;
			fr->slot_capacity = cap;
		}
		s = fr->slot_count++;
		fr->slots[s] = (struct slot){ off, size, k, false, -1 };
	}
}

/* The base register field of a load or store, else NULL. */
static int *base_field(struct ir_insn *in)
{
	uint8_t cls = in->code & 7;

	if (cls == 0x01)
		return &in->src;
	if (cls == 0x02 || cls == 0x03)
		return &in->dst;
	return NULL;
}

/* r10 may be a load or store base or the source of a copy; elsewhere (stored,
 * compared, written) it stops us. */
static void check_fp(struct frame *fr, struct ir_insn *in)
{
	int *base = base_field(in);
	bool fp_base = base && *base == IR_FP;

	if ((in->dst == IR_FP && base != &in->dst) ||
	    (in->src == IR_FP && base != &in->src && !is_copy(in)))
		fr->stop = true;
	else if (fp_base && (!is_mem(in) || in->pinned))
		escape(fr, in->off);
	else if (fp_base)
		note_access(fr, in->off, ir_store_size(in->code), (in->code & 7) == 0x01);
}

/* A helper that reads or writes memory through its pointer arguments only while it
 * runs (the dynptr helpers, from 197 on, keep the pointer: an escape). */
static bool helper_call(const struct ir_insn *in)
{
	return in->code == 0x85 && in->pseudo == 0 && !in->pinned && in->imm > 0 &&
	       in->imm < FIRST_DYNPTR_HELPER;
}

/* How one use of a name holding `v` treats the address. */
static void classify_use(struct frame *fr, struct ir_insn *in, int *field, int32_t v)
{
	int *base = base_field(in);

	if (in->pinned) {
		fr->stop |= v == V_MIXED;
		escape(fr, v);
	} else if (is_copy(in) || ((in->code == 0x07 || in->code == 0x17) &&
		   field == &in->dst)) {
		return; /* followed by the dataflow */
	} else if (v == V_MIXED) {
		fr->stop = true;
	} else if (field == base && is_mem(in)) {
		note_access(fr, v + in->off, ir_store_size(in->code), (in->code & 7) == 0x01);
	} else if (field == base) {
		escape(fr, v + in->off); /* atomics, sign-extending loads */
	} else if (helper_call(in) && object_at(fr, v, v + 1) >= 0) {
		fr->objects[object_at(fr, v, v + 1)].helpers = true;
	} else {
		escape(fr, v); /* BPF functions may store it in the caller's frame */
	}
}

static void analyse_block(struct frame *fr, int b)
{
	struct ir_block *blk = &fr->f->blocks[b];

	if (fr->cands)
		memcpy(fr->state, &fr->in[(size_t)b * (size_t)fr->cands],
		       (size_t)fr->cands * sizeof(int32_t));
	for (int i = 0; i < blk->count && !fr->stop; i++) {
		struct ir_insn *in = &blk->insns[i];
		struct ir_operands o;

		if (!ir_operands(in, &o)) {
			fr->stop = true;
			break;
		}
		check_fp(fr, in);
		for (int u = 0; u < o.use_count; u++) {
			int32_t v = value_of(fr, *o.use[u]);

			if (is_frame(v) || v == V_MIXED)
				classify_use(fr, in, o.use[u], v);
		}
		transfer(fr, in);
	}
}

/* Slots of escaping objects and slots overlapping unequal ones stay in memory; the
 * others get names. */
static bool choose_slots(struct frame *fr)
{
	bool any = false;

	for (int s = 0; s < fr->slot_count; s++) {
		struct slot *a = &fr->slots[s];

		a->bad |= fr->objects[a->object].escapes ||
			  (fr->objects[a->object].helpers && !fr->objects[a->object].read);
		for (int t = s + 1; t < fr->slot_count; t++) {
			struct slot *c = &fr->slots[t];

			if (a->off < c->off + c->size && c->off < a->off + a->size)
				a->bad = c->bad = true;
		}
	}
	for (int s = 0; s < fr->slot_count; s++)
		if (!fr->slots[s].bad) {
			fr->slots[s].name = ir_new_name(fr->f, -1);
			fr->slots[s].bad = fr->slots[s].name < 0;
			any |= !fr->slots[s].bad;
		}
	return any;
}

/* The object a helper call's argument points into, when it is given to helpers only
 * (its named slots are then stored before the call and read back after it). */
static int given_object(const struct frame *fr, const struct ir_insn *call, int arg)
{
	int32_t v = value_of(fr, call->iuse[arg]);
	int k = is_frame(v) ? object_at(fr, v, v + 1) : -1;

	return k >= 0 && fr->objects[k].helpers && !fr->objects[k].escapes ? k : -1;
}

/* The named slot a store at the current point writes, -1 for none. */
static int stored_slot(const struct frame *fr, struct ir_insn *in)
{
	int *base = base_field(in);
	int32_t v;

	if (!base || (in->code & 7) == 0x01 || !is_mem(in) || in->pinned)
		return -1;
	v = value_of(fr, *base);
	return is_frame(v) ? slot_index(fr, v + in->off, ir_store_size(in->code)) : -1;
}

/* One walk of block b with the slots stored on every path to its start (`set`); at
 * each helper call, `check` makes an object escape when one of its named slots may
 * hold nothing yet (it could not be stored before the call). */
static void defined_walk(struct frame *fr, int b, uint64_t *set, bool check)
{
	struct ir_block *blk = &fr->f->blocks[b];

	if (fr->cands)
		memcpy(fr->state, &fr->in[(size_t)b * (size_t)fr->cands],
		       (size_t)fr->cands * sizeof(int32_t));
	for (int i = 0; i < blk->count; i++) {
		struct ir_insn *in = &blk->insns[i];
		int s = stored_slot(fr, in);

		if (s >= 0)
			set[s / 64] |= 1ull << (s % 64);
		for (int a = 0; check && helper_call(in) && a < in->iuse_count; a++) {
			int k = given_object(fr, in, a);

			for (int t = 0; k >= 0 && t < fr->slot_count; t++)
				if (fr->slots[t].object == k && !fr->slots[t].bad &&
				    !(set[t / 64] >> (t % 64) & 1))
					fr->objects[k].escapes = true;
		}
		transfer(fr, in);
	}
}

/* Forward, must: the named slots stored on every path to each helper call; objects
 * given to a helper while a slot may be unset stay in memory. False: out of memory. */
static bool defined_at_calls(struct frame *fr)
{
	size_t words = ((size_t)fr->slot_count + 63) / 64, blocks = (size_t)fr->f->block_count;
	uint64_t *in, *set;
	bool changed = true, any = false;

	for (int t = 0; t < fr->slot_count && !any; t++)
		any = !fr->slots[t].bad && fr->objects[fr->slots[t].object].helpers;
	if (!any)
		return true; /* no named slot of an object given to helpers */
	in = malloc((blocks * words + 1) * sizeof(uint64_t));
	set = malloc((words + 1) * sizeof(uint64_t));
	if (!in || !set) {
		free(in);
		free(set);
		return false;
	}
	memset(in, 0xff, blocks * words * sizeof(uint64_t));
	memset(in, 0, words * sizeof(uint64_t));
	while (changed) {
		changed = false;
		for (int b = 0; b < fr->f->block_count; b++) {
			int succ[2], n;

			memcpy(set, &in[(size_t)b * words], words * sizeof(uint64_t));
			defined_walk(fr, b, set, false);
			n = successors(fr->f, b, succ);
			for (int k = 0; k < n; k++)
				for (size_t w = 0; w < words; w++) {
					uint64_t *at = &in[(size_t)succ[k] * words + w];

					changed |= (*at & set[w]) != *at;
					*at &= set[w];
				}
		}
	}
	for (int b = 0; b < fr->f->block_count; b++) {
		memcpy(set, &in[(size_t)b * words], words * sizeof(uint64_t));
		defined_walk(fr, b, set, true);
	}
	for (int t = 0; t < fr->slot_count; t++)
		fr->slots[t].bad |= fr->objects[fr->slots[t].object].escapes;
	free(in);
	free(set);
	return true;
}

static const uint8_t load_code[9] = { [1] = 0x71, [2] = 0x69, [4] = 0x61, [8] = 0x79 };
static const uint8_t store_code[9] = { [1] = 0x73, [2] = 0x6b, [4] = 0x63, [8] = 0x7b };

/* Around a helper call at i given objects: their named slots stored before it, read
 * back after it (the helper may write them; unused reloads die). Returns the index
 * of the last instruction added after the call, -1 on failure. */
static int materialise(struct frame *fr, struct ir_block *blk, int i, int *materialised)
{
	int objects[5], count = 0, call = i, added = 0;

	for (int a = 0; a < blk->insns[i].iuse_count && a < 5; a++) {
		int k = given_object(fr, &blk->insns[i], a);
		bool seen = false;

		for (int c = 0; c < count; c++)
			seen |= objects[c] == k;
		if (k >= 0 && !seen)
			objects[count++] = k;
	}
	for (int c = 0; c < count; c++)
		for (int t = 0; t < fr->slot_count; t++) {
			struct slot *sl = &fr->slots[t];
			struct ir_insn st, ld;

			if (sl->object != objects[c] || sl->bad)
				continue;
			st = ir_make(store_code[sl->size], IR_FP, sl->name, (int16_t)sl->off, 0);
			ld = ir_make(load_code[sl->size], sl->name, IR_FP, (int16_t)sl->off, 0);
			st.orig = ld.orig = blk->insns[call].orig;
			if (!ir_block_insert(blk, call++, &st) ||
			    !ir_block_insert(blk, call + 1 + added++, &ld))
				return -1;
			*materialised += 2;
		}
	transfer(fr, &blk->insns[call]);
	return call + added;
}

/* Canonical r10 + offset for an access through a tracked address, then a named
 * slot's load or store becomes a move (counted in `rewritten`). Returns the
 * instructions added, -1 on failure. */
static int rewrite_access(struct frame *fr, struct ir_block *blk, int i, int *rewritten)
{
	struct ir_insn *in = &blk->insns[i];
	int *base = base_field(in), before = blk->count, s;

	if (!base || !is_mem(in) || in->pinned)
		return 0;
	if (is_frame(value_of(fr, *base))) {
		in->off = (int16_t)(in->off + value_of(fr, *base));
		*base = IR_FP;
	}
	s = *base == IR_FP ? slot_index(fr, in->off, ir_store_size(in->code)) : -1;
	if (s < 0 || fr->slots[s].bad)
		return 0;
	++*rewritten;
	return ir_slot_rewrite(blk, i, fr->slots[s].name, fr->slots[s].size) ?
	       blk->count - before : -1;
}

static bool rewrite_block(struct frame *fr, int b, int *rewritten, int *materialised)
{
	struct ir_block *blk = &fr->f->blocks[b];

	if (fr->cands)
		memcpy(fr->state, &fr->in[(size_t)b * (size_t)fr->cands],
		       (size_t)fr->cands * sizeof(int32_t));
	for (int i = 0; i < blk->count; i++) {
		int added;

		if (helper_call(&blk->insns[i])) {
			if ((i = materialise(fr, blk, i, materialised)) < 0)
				return false;
			continue;
		}
		added = rewrite_access(fr, blk, i, rewritten);
		if (added < 0)
			return false;
		transfer(fr, &blk->insns[i]); /* a load's move defines what the load did */
		i += added;
	}
	return true;
}

/* Bytes of stack still used: objects whose address escapes, every access left at
 * r10 + offset. */
static void shrink_frame(struct frame *fr)
{
	int depth = 0;

	for (int k = 0; k < fr->object_count; k++)
		if ((fr->objects[k].escapes || fr->objects[k].helpers) && -fr->objects[k].lo > depth)
			depth = -fr->objects[k].lo;
	for (int b = 0; b < fr->f->block_count; b++)
		for (int i = 0; i < fr->f->blocks[b].count; i++) {
			struct ir_insn *in = &fr->f->blocks[b].insns[i];
			int *base = base_field(in);

			if (base && *base == IR_FP && -in->off > depth)
				depth = -in->off;
		}
	depth = (depth + 7) & ~7;
	if (depth < fr->f->frame)
		fr->f->frame = depth;
}

static void frame_free(struct frame *fr)
{
	free(fr->cand);
	free(fr->in);
	free(fr->state);
	free(fr->objects);
	free(fr->slots);
}

int ir_promote_frame(struct ir_func *f, int *materialised)
{
	struct frame fr = { .f = f, .names = f->names };
	int result = -1, added = 0;

	fr.cand = malloc((size_t)f->names * sizeof(int));
	if (!fr.cand)
		goto out;
	result = 0;
	if (!gather_objects(&fr))
		goto out; /* no objects (or no memory for them): nothing to do */
	memset(fr.cand, 0xff, (size_t)f->names * sizeof(int));
	find_candidates(&fr);
	fr.in = malloc(((size_t)f->block_count * (size_t)fr.cands + 1) * sizeof(int32_t));
	fr.state = malloc(((size_t)fr.cands + 1) * sizeof(int32_t));
	if (!fr.in || !fr.state) {
		result = -1;
		goto out;
	}
	if (fr.cands && !solve(&fr)) {
		result = -1;
		goto out;
	}
	for (int b = 0; b < f->block_count && !fr.stop; b++)
		analyse_block(&fr, b);
	if (fr.stop)
		goto out;
	choose_slots(&fr);
	if (!defined_at_calls(&fr)) {
		result = -1;
		goto out;
	}
	for (int b = 0; b < f->block_count; b++)
		if (!rewrite_block(&fr, b, &result, &added)) {
			result = -1; /* out of memory midway: the caller gives up on this IR */
			goto out;
		}
	shrink_frame(&fr);
out:
	if (materialised)
		*materialised = added;
	frame_free(&fr);
	return result;
}
