/* verifier_jmp.c - conditional jumps: deciding a branch from known ranges, forking the
 * state when both sides are possible, and what each side learns: scalar bounds from the
 * comparison, non-null pointers by id after a test against 0, and packet ranges from
 * comparisons with data_end. */
#include <errno.h>
#include <string.h>

#include "verifier_int.h"

#define MAX_PACKET_OFF 0xffff
#define JSET_REVERSED 0xf0 /* pseudo opcode: the false side of BPF_JSET */

struct cmp_view {
	struct tnum t;
	uint64_t umin, umax;
	int64_t smin, smax;
};

static struct cmp_view view(const struct vreg *reg, bool is32)
{
	if (is32)
		return (struct cmp_view){ tnum_subreg(reg->var_off), reg->u32_min, reg->u32_max,
					  reg->s32_min, reg->s32_max };
	return (struct cmp_view){ reg->var_off, reg->umin, reg->umax, reg->smin, reg->smax };
}

static bool is_const(const struct vreg *reg, bool is32)
{
	return reg->type == VREG_SCALAR &&
	       tnum_is_const(is32 ? tnum_subreg(reg->var_off) : reg->var_off);
}

static uint64_t const_value(const struct vreg *reg, bool is32)
{
	return is32 ? (uint32_t)reg->var_off.value : reg->var_off.value;
}

static uint8_t flip_opcode(uint8_t op)
{
	switch (op) {
	case BPF_JGT: return BPF_JLT;
	case BPF_JLT: return BPF_JGT;
	case BPF_JGE: return BPF_JLE;
	case BPF_JLE: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGE;
	default: return op;
	}
}

static uint8_t reverse_opcode(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	case BPF_JSET: return JSET_REVERSED;
	default: return BPF_JSET;
	}
}

static int scalar_branch_taken(const struct vreg *r1, const struct vreg *r2, uint8_t op,
			       bool is32)
{
	struct cmp_view a = view(r1, is32), b = view(r2, is32);

	switch (op) {
	case BPF_JEQ:
	case BPF_JNE: {
		int eq = -1;
		if (tnum_is_const(a.t) && tnum_is_const(b.t))
			eq = a.t.value == b.t.value;
		else if (a.umin > b.umax || a.umax < b.umin || a.smin > b.smax || a.smax < b.smin)
			eq = 0;
		else if (!is32 && (r1->u32_min > r2->u32_max || r1->u32_max < r2->u32_min ||
				   r1->s32_min > r2->s32_max || r1->s32_max < r2->s32_min))
			eq = 0;
		else if ((a.t.value ^ b.t.value) & ~(a.t.mask | b.t.mask))
			eq = 0;
		if (eq < 0)
			return -1;
		return op == BPF_JEQ ? eq : !eq;
	}
	case BPF_JSET:
		if (!is_const(r2, is32)) {
			struct cmp_view tmp = a;
			a = b;
			b = tmp;
			if (!is_const(r1, is32))
				return -1;
		}
		if ((~a.t.mask & a.t.value) & b.t.value)
			return 1;
		if (!((a.t.mask | a.t.value) & b.t.value))
			return 0;
		return -1;
	case BPF_JGT:
		return a.umin > b.umax ? 1 : a.umax <= b.umin ? 0 : -1;
	case BPF_JSGT:
		return a.smin > b.smax ? 1 : a.smax <= b.smin ? 0 : -1;
	case BPF_JLT:
		return a.umax < b.umin ? 1 : a.umin >= b.umax ? 0 : -1;
	case BPF_JSLT:
		return a.smax < b.smin ? 1 : a.smin >= b.smax ? 0 : -1;
	case BPF_JGE:
		return a.umin >= b.umax ? 1 : a.umax < b.umin ? 0 : -1;
	case BPF_JSGE:
		return a.smin >= b.smax ? 1 : a.smax < b.smin ? 0 : -1;
	case BPF_JLE:
		return a.umax <= b.umin ? 1 : a.umin > b.umax ? 0 : -1;
	case BPF_JSLE:
		return a.smax <= b.smin ? 1 : a.smin > b.smax ? 0 : -1;
	}
	return -1;
}

static bool reg_not_null(const struct vreg *reg)
{
	if (reg->flags & VREG_MAYBE_NULL)
		return false;
	return reg->type == VREG_MAP_VALUE || reg->type == VREG_MAP_KEY ||
	       reg->type == VREG_MEM || reg->type == VREG_MAP_PTR ||
	       verifier_is_sock_type(reg->type) ||
	       (reg->type == VREG_BTF_ID && (reg->flags & VREG_TRUSTED));
}

static int pkt_end_branch_taken(const struct vreg *dst, const struct vreg *src, uint8_t op);

static int branch_taken(const struct vreg *r1, const struct vreg *r2, uint8_t op, bool is32)
{
	bool p1 = vreg_is_pointer(r1), p2 = vreg_is_pointer(r2);

	if (!is32 && (r1->type == VREG_PACKET || r1->type == VREG_PACKET_META ||
		      r1->type == VREG_PACKET_END) &&
	    (r2->type == VREG_PACKET || r2->type == VREG_PACKET_META ||
	     r2->type == VREG_PACKET_END))
		return pkt_end_branch_taken(r1, r2, op);

	if (!p1 && !p2)
		return scalar_branch_taken(r1, r2, op, is32);
	if (p1 && p2)
		return -1;
	const struct vreg *ptr = p1 ? r1 : r2, *k = p1 ? r2 : r1;
	if (!is_const(k, is32) || !reg_not_null(ptr) || const_value(k, is32) != 0)
		return -1;
	if (op == BPF_JEQ)
		return 0;
	if (op == BPF_JNE)
		return 1;
	return -1;
}

static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }

static void refine_eq(struct vreg *r1, struct vreg *r2, bool is32)
{
	if (is32) {
		r1->u32_min = (uint32_t)umax64(r1->u32_min, r2->u32_min);
		r1->u32_max = (uint32_t)umin64(r1->u32_max, r2->u32_max);
		r1->s32_min = (int32_t)smax64(r1->s32_min, r2->s32_min);
		r1->s32_max = (int32_t)smin64(r1->s32_max, r2->s32_max);
		r2->u32_min = r1->u32_min;
		r2->u32_max = r1->u32_max;
		r2->s32_min = r1->s32_min;
		r2->s32_max = r1->s32_max;
		struct tnum t = tnum_intersect(tnum_subreg(r1->var_off), tnum_subreg(r2->var_off));
		r1->var_off = tnum_with_subreg(r1->var_off, t);
		r2->var_off = tnum_with_subreg(r2->var_off, t);
		return;
	}
	r1->umin = umax64(r1->umin, r2->umin);
	r1->umax = umin64(r1->umax, r2->umax);
	r1->smin = smax64(r1->smin, r2->smin);
	r1->smax = smin64(r1->smax, r2->smax);
	r2->umin = r1->umin;
	r2->umax = r1->umax;
	r2->smin = r1->smin;
	r2->smax = r1->smax;
	r1->var_off = tnum_intersect(r1->var_off, r2->var_off);
	r2->var_off = r1->var_off;
}

static void refine_ne(struct vreg *r1, struct vreg *r2, bool is32)
{
	if (!is_const(r2, is32)) {
		struct vreg *tmp = r1;
		r1 = r2;
		r2 = tmp;
	}
	if (!is_const(r2, is32))
		return;
	uint64_t v = const_value(r2, is32);
	if (is32) {
		if (r1->u32_min == (uint32_t)v && r1->u32_min != UINT32_MAX)
			r1->u32_min++;
		if (r1->u32_max == (uint32_t)v && r1->u32_max != 0)
			r1->u32_max--;
		if (r1->s32_min == (int32_t)v && r1->s32_min != INT32_MAX)
			r1->s32_min++;
		if (r1->s32_max == (int32_t)v && r1->s32_max != INT32_MIN)
			r1->s32_max--;
		return;
	}
	if (r1->umin == v && r1->umin != UINT64_MAX)
		r1->umin++;
	if (r1->umax == v && r1->umax != 0)
		r1->umax--;
	if (r1->smin == (int64_t)v && r1->smin != INT64_MAX)
		r1->smin++;
	if (r1->smax == (int64_t)v && r1->smax != INT64_MIN)
		r1->smax--;
}

static void refine_jset(struct vreg *r1, struct vreg *r2, bool is32, bool taken)
{
	if (!is_const(r2, is32)) {
		struct vreg *tmp = r1;
		r1 = r2;
		r2 = tmp;
	}
	if (!is_const(r2, is32))
		return;
	uint64_t v = const_value(r2, is32);
	struct tnum base = is32 ? tnum_subreg(r1->var_off) : r1->var_off, t;
	if (taken) {
		if (!v || (v & (v - 1)))
			return;
		t = tnum_or(base, tnum_const(v));
	} else {
		/* the kernel forgets the ranges before narrowing the tnum (a dead branch
		 * must not violate invariants): only the tnum is left to bound it */
		vreg_mark_unbounded(r1);
		t = tnum_and(base, tnum_const(~v));
	}
	r1->var_off = is32 ? tnum_with_subreg(r1->var_off, t) : t;
}

/* r1 <= r2 (strict: r1 < r2), unsigned or signed. */
static void refine_le(struct vreg *r1, struct vreg *r2, bool is32, bool strict, bool sign)
{
	uint64_t d = strict ? 1 : 0;

	if (is32 && !sign) {
		r1->u32_max = (uint32_t)umin64(r1->u32_max, (uint64_t)r2->u32_max - d);
		r2->u32_min = (uint32_t)umax64((uint64_t)r1->u32_min + d, r2->u32_min);
	} else if (is32) {
		r1->s32_max = (int32_t)smin64(r1->s32_max, (int64_t)r2->s32_max - (int64_t)d);
		r2->s32_min = (int32_t)smax64((int64_t)r1->s32_min + (int64_t)d, r2->s32_min);
	} else if (!sign) {
		r1->umax = umin64(r1->umax, r2->umax - d);
		r2->umin = umax64(r1->umin + d, r2->umin);
	} else {
		r1->smax = smin64(r1->smax, r2->smax - (int64_t)d);
		r2->smin = smax64(r1->smin + (int64_t)d, r2->smin);
	}
}

static void refine(struct vreg *r1, struct vreg *r2, uint8_t op, bool is32)
{
	switch (op) {
	case BPF_JEQ:
		refine_eq(r1, r2, is32);
		break;
	case BPF_JNE:
		refine_ne(r1, r2, is32);
		break;
	case BPF_JSET:
		refine_jset(r1, r2, is32, true);
		break;
	case JSET_REVERSED:
		refine_jset(r1, r2, is32, false);
		break;
	case BPF_JLE:
	case BPF_JLT:
	case BPF_JSLE:
	case BPF_JSLT:
		refine_le(r1, r2, is32, op == BPF_JLT || op == BPF_JSLT,
			  op == BPF_JSLE || op == BPF_JSLT);
		break;
	default: /* GE/GT: the LE/LT rules with operands swapped */
		refine(r2, r1, flip_opcode(op), is32);
		break;
	}
}

static void set_min_max(struct vreg *t1, struct vreg *t2, struct vreg *f1, struct vreg *f2,
			uint8_t op, bool is32)
{
	if (f1->type != VREG_SCALAR || f2->type != VREG_SCALAR)
		return;
	refine(f1, f2, reverse_opcode(op), is32);
	vreg_bounds_sync(f1);
	vreg_bounds_sync(f2);
	refine(t1, t2, op, is32);
	vreg_bounds_sync(t1);
	vreg_bounds_sync(t2);
}

/* Every register (and spilled register) of every frame of `st`. */
#define FOR_EACH_REG(st, reg, body)                                                      \
	for (uint32_t f_ = 0; f_ <= (st)->curframe; f_++) {                                 \
		struct vframe *fr_ = (st)->frames[f_];                                      \
		for (int r_ = 0; r_ < VERIFIER_REG_COUNT; r_++) {                           \
			struct vreg *reg = &fr_->regs[r_];                                  \
			body                                                                \
		}                                                                           \
		for (uint32_t s_ = 0; s_ < fr_->allocated / 8; s_++) {                      \
			if (fr_->stack[s_].kind[7] != VSLOT_SPILL)                          \
				continue;                                                   \
			struct vreg *reg = &fr_->stack[s_].spill;                           \
			body                                                                \
		}                                                                           \
	}

/* Registers (and spills) sharing the id of `known` take its bounds (kernel
 * sync_linked_regs). */
static void sync_linked(struct vstate *st, const struct vreg *known)
{
	if (known->type != VREG_SCALAR || !known->id)
		return;
	struct vreg copy = *known;
	uint32_t base = copy.id & ~VREG_ADD_CONST;
	FOR_EACH_REG(st, reg, {
		if (reg->type != VREG_SCALAR || (reg->id & ~VREG_ADD_CONST) != base ||
		    reg == known)
			continue;
		bool written = reg->written;
		uint32_t id = reg->id;
		int32_t off = reg->off;
		if (!(id & VREG_ADD_CONST) && !(copy.id & VREG_ADD_CONST)) {
			*reg = copy;
		} else {
			/* reg = known + (reg's delta - known's delta) */
			struct vreg delta;
			vreg_mark_const(&delta, (uint64_t)(int64_t)((int64_t)off - copy.off));
			*reg = copy;
			verifier_scalar_add(reg, &delta);
		}
		reg->id = id;
		reg->off = off;
		reg->written = written;
	})
}

static void release_ref_only(struct vstate *st, uint32_t id)
{
	for (uint32_t i = 0; i < st->ref_count; i++) {
		if (st->refs[i].id != id)
			continue;
		st->refs[i] = st->refs[--st->ref_count];
		return;
	}
}

static void mark_ptr_or_null(struct vstate *st, uint32_t id, uint32_t ref_obj_id,
			     bool is_null)
{
	FOR_EACH_REG(st, reg, {
		if ((reg->flags & VREG_MAYBE_NULL) && reg->id == id) {
			if (is_null) {
				vreg_mark_const(reg, 0);
			} else {
				reg->flags &= ~VREG_MAYBE_NULL;
				/* a lock is told apart by the id of its value pointer */
				if (reg->type != VREG_MAP_VALUE || verifier_map_lock_off(reg->map) < 0)
					reg->id = 0;
			}
		}
	})
	if (is_null && ref_obj_id && ref_obj_id == id)
		release_ref_only(st, id);
}

static void find_good_pkt_pointers(struct vstate *st, const struct vreg *dst,
				   bool right_open)
{
	if (dst->off < 0 || (dst->off == 0 && right_open))
		return;
	if (dst->umax > MAX_PACKET_OFF || dst->umax + (uint64_t)dst->off > MAX_PACKET_OFF)
		return;
	uint32_t new_range = (uint32_t)dst->off;
	if (right_open)
		new_range++;
	enum vreg_type type = dst->type;
	uint32_t id = dst->id;
	FOR_EACH_REG(st, reg, {
		if (reg->type == type && reg->id == id &&
		    (reg->range < new_range || VREG_PKT_END_RANGE(reg->range)))
			reg->range = new_range; /* kernel max() of signed ranges */
	})
}

static bool is_pkt(const struct vreg *reg, enum vreg_type type)
{
	return reg->type == type;
}

static bool init_pkt(const struct vreg *reg, enum vreg_type type)
{
	return reg->type == type && reg->off == 0 && tnum_equals_const(reg->var_off, 0);
}

/* data' op data_end (and meta' op data): learn ranges on the safe side. */
/* The side where a packet pointer compared at or beyond data_end (kernel mark_pkt_end). */
static void mark_pkt_end(struct vstate *st, uint32_t regno, bool beyond)
{
	struct vreg *reg = &st->frames[st->curframe]->regs[regno];
	if (reg->type == VREG_PACKET)
		reg->range = beyond ? VREG_BEYOND_PKT_END : VREG_AT_PKT_END;
}

/* A comparison of a packet pointer known at or beyond data_end (kernel
 * is_pkt_ptr_branch_taken): 1 taken, 0 not, -1 unknown. */
static int pkt_end_branch_taken(const struct vreg *dst, const struct vreg *src, uint8_t op)
{
	const struct vreg *pkt;
	if (src->type == VREG_PACKET_END) {
		pkt = dst;
	} else if (dst->type == VREG_PACKET_END) {
		pkt = src;
		op = flip_opcode(op);
	} else {
		return -1;
	}
	if (!VREG_PKT_END_RANGE(pkt->range))
		return -1;
	if ((op == BPF_JLE || op == BPF_JGT) && pkt->range == VREG_BEYOND_PKT_END)
		return op == BPF_JGT;
	if (op == BPF_JLT || op == BPF_JGE)
		return op == BPF_JGE;
	return -1;
}

static bool match_pkt_pointers(const struct objfmt_insn *insn, const struct vreg *dst,
			       const struct vreg *src, struct vstate *this_branch,
			       struct vstate *other)
{
	if (OBJFMT_CLASS(insn->code) == BPF_JMP32 || BPF_SRC(insn->code) != BPF_X)
		return false;
	bool dst_first = (is_pkt(dst, VREG_PACKET) && is_pkt(src, VREG_PACKET_END)) ||
			 (is_pkt(dst, VREG_PACKET_META) && init_pkt(src, VREG_PACKET));
	bool src_first = (is_pkt(dst, VREG_PACKET_END) && is_pkt(src, VREG_PACKET)) ||
			 (init_pkt(dst, VREG_PACKET) && is_pkt(src, VREG_PACKET_META));
	uint8_t op = BPF_OP(insn->code);

	if (!dst_first && !src_first)
		return false;
	const struct vreg *pkt = dst_first ? dst : src;
	uint32_t pkt_regno = dst_first ? insn->dst_reg : insn->src_reg;
	if (src_first)
		op = flip_opcode(op);
	/* now: pkt op end; the other side learns the pointer is at or beyond the end */
	switch (op) {
	case BPF_JGT: /* pkt > end: fall-through has pkt <= end */
		find_good_pkt_pointers(this_branch, pkt, false);
		mark_pkt_end(other, pkt_regno, true);
		break;
	case BPF_JLT: /* pkt < end on the jump side */
		find_good_pkt_pointers(other, pkt, true);
		mark_pkt_end(this_branch, pkt_regno, false);
		break;
	case BPF_JGE: /* pkt >= end: fall-through has pkt < end */
		find_good_pkt_pointers(this_branch, pkt, true);
		mark_pkt_end(other, pkt_regno, false);
		break;
	case BPF_JLE: /* pkt <= end on the jump side */
		find_good_pkt_pointers(other, pkt, false);
		mark_pkt_end(this_branch, pkt_regno, true);
		break;
	default:
		return false;
	}
	return true;
}

/* A branch whose learned bounds are contradictory cannot be taken (the kernel skips
 * such dead branches after its invariant check). */
static bool bounds_violated(const struct vreg *reg)
{
	return reg->type == VREG_SCALAR &&
	       (reg->umin > reg->umax || reg->smin > reg->smax || reg->u32_min > reg->u32_max ||
		reg->s32_min > reg->s32_max);
}

/* Forget the branch just pushed: it cannot happen. */
static void drop_pushed_branch(struct verifier_env *env)
{
	struct vstate *st = env->stack[--env->stack_len].state;
	if (st->parent)
		st->parent->branches--;
	vstate_free(st);
}

/* The current side cannot happen: continue with the pushed one instead. */
static void take_pushed_branch(struct verifier_env *env)
{
	struct vstate *st = env->stack[--env->stack_len].state;
	if (st->parent)
		st->parent->branches--;
	vstate_free(env->cur);
	env->cur = st;
}

int verifier_check_cond_jmp(struct verifier_env *env, const struct objfmt_insn *insn,
			    uint32_t *insn_idx)
{
	uint32_t idx = env->insn_idx;
	uint8_t op = BPF_OP(insn->code);
	bool is32 = OBJFMT_CLASS(insn->code) == BPF_JMP32;
	struct vreg *regs = vcur_regs(env);
	struct vreg src_k;
	int err;

	if (BPF_SRC(insn->code) == BPF_X && (err = verifier_check_reg_read(env, insn->src_reg)))
		return err;
	if ((err = verifier_check_reg_read(env, insn->dst_reg)))
		return err;
	if (BPF_SRC(insn->code) == BPF_K)
		vreg_mark_const(&src_k, (uint64_t)(int64_t)insn->imm);
	struct vreg *dst = &regs[insn->dst_reg];
	struct vreg *src = BPF_SRC(insn->code) == BPF_X ? &regs[insn->src_reg] : &src_k;
	uint32_t target = (uint32_t)((int64_t)idx + 1 + insn->off);

	int pred = branch_taken(dst, src, op, is32);
	if (pred >= 0) { /* the decision relied on these ranges: keep them exact */
		if (!vreg_is_pointer(dst))
			err = verifier_mark_precise(env, insn->dst_reg);
		if (!err && BPF_SRC(insn->code) == BPF_X && !vreg_is_pointer(src))
			err = verifier_mark_precise(env, insn->src_reg);
		if (err)
			return err;
	}
	if (pred == 1) {
		*insn_idx = target;
		return 0;
	}
	if (pred == 0)
		return 0;
	err = verifier_push_linked(env, dst, BPF_SRC(insn->code) == BPF_X ? src : NULL);
	if (err)
		return err;
	struct vstate *other;
	err = verifier_push_branch(env, target, idx, &other);
	if (err)
		return err;
	struct vreg *oregs = other->frames[other->curframe]->regs;
	if (BPF_SRC(insn->code) == BPF_X) {
		set_min_max(&oregs[insn->dst_reg], &oregs[insn->src_reg], dst, src, op, is32);
	} else {
		struct vreg k1 = src_k, k2 = src_k;
		set_min_max(&oregs[insn->dst_reg], &k1, dst, &k2, op, is32);
	}
	sync_linked(env->cur, dst);
	sync_linked(other, &oregs[insn->dst_reg]);
	if (BPF_SRC(insn->code) == BPF_X) {
		sync_linked(env->cur, src);
		sync_linked(other, &oregs[insn->src_reg]);
	}
	bool other_dead = bounds_violated(&oregs[insn->dst_reg]) ||
			  (BPF_SRC(insn->code) == BPF_X && bounds_violated(&oregs[insn->src_reg]));
	bool this_dead = bounds_violated(dst) ||
			 (BPF_SRC(insn->code) == BPF_X && bounds_violated(src));
	if (other_dead && !this_dead) {
		drop_pushed_branch(env);
		return 0;
	}
	if (this_dead && !other_dead) {
		take_pushed_branch(env);
		*insn_idx = target;
		return 0;
	}
	if (!is32 && BPF_SRC(insn->code) == BPF_K && insn->imm == 0 &&
	    (op == BPF_JEQ || op == BPF_JNE) && (dst->flags & VREG_MAYBE_NULL)) {
		uint32_t id = dst->id, ref = dst->ref_obj_id;
		mark_ptr_or_null(env->cur, id, ref, op == BPF_JNE);
		mark_ptr_or_null(other, id, ref, op == BPF_JEQ);
		vcur_regs(env)[insn->dst_reg].written = true; /* read: shown after the insn */
	} else {
		match_pkt_pointers(insn, dst, src, env->cur, other);
	}
	return 0;
}
