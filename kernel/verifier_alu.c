/* verifier_alu.c - ALU and ALU64 insns: operand checks, pointer arithmetic rules (what
 * may be added to which pointer, variable offsets, forbidden operators) and scalar
 * range tracking per operator, in 64-bit or 32-bit (zero-extended) width. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "verifier_int.h"

static const char *const alu_string[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=",
	"endian", "?", "?",
};

/* Bounds of one width (64 or 32 bits) as plain numbers. */
struct sbounds {
	int64_t smin, smax;
	uint64_t umin, umax;
	struct tnum t;
	int width;
};

static uint64_t umax_of(int width) { return width == 64 ? UINT64_MAX : UINT32_MAX; }
static int64_t smin_of(int width) { return width == 64 ? INT64_MIN : INT32_MIN; }
static int64_t smax_of(int width) { return width == 64 ? INT64_MAX : INT32_MAX; }

static struct sbounds sb_get(const struct vreg *reg, int width)
{
	if (width == 64)
		return (struct sbounds){ reg->smin, reg->smax, reg->umin, reg->umax,
					 reg->var_off, 64 };
	return (struct sbounds){ reg->s32_min, reg->s32_max, reg->u32_min, reg->u32_max,
				 tnum_subreg(reg->var_off), 32 };
}

static void sb_put(struct vreg *reg, const struct sbounds *b)
{
	if (b->width == 64) {
		reg->smin = b->smin;
		reg->smax = b->smax;
		reg->umin = b->umin;
		reg->umax = b->umax;
		reg->var_off = b->t;
		vreg_subreg_unknown32(reg);
	} else {
		reg->s32_min = (int32_t)b->smin;
		reg->s32_max = (int32_t)b->smax;
		reg->u32_min = (uint32_t)b->umin;
		reg->u32_max = (uint32_t)b->umax;
		reg->var_off = tnum_subreg(b->t);
		vreg_zext32(reg);
	}
	vreg_bounds_sync(reg);
}

static bool s_overflows(int64_t v, int width)
{
	return width == 32 && (v < INT32_MIN || v > INT32_MAX);
}

static void sb_signed_from_unsigned(struct sbounds *d)
{
	int64_t lo = d->width == 64 ? (int64_t)d->umin : (int32_t)d->umin;
	int64_t hi = d->width == 64 ? (int64_t)d->umax : (int32_t)d->umax;
	if (lo <= hi) {
		d->smin = lo;
		d->smax = hi;
	} else {
		d->smin = smin_of(d->width);
		d->smax = smax_of(d->width);
	}
}

static void sb_add(struct sbounds *d, const struct sbounds *s)
{
	int64_t lo, hi;
	uint64_t ulo = d->umin + s->umin, uhi = d->umax + s->umax;
	bool sov = __builtin_add_overflow(d->smin, s->smin, &lo);

	sov |= __builtin_add_overflow(d->smax, s->smax, &hi); /* both sums are needed */
	if (sov || s_overflows(lo, d->width) || s_overflows(hi, d->width)) {
		d->smin = smin_of(d->width);
		d->smax = smax_of(d->width);
	} else {
		d->smin = lo;
		d->smax = hi;
	}
	/* every sum wraps or none does: the bounds stay ordered (6.16+); else unknown */
	bool min_ov = d->width == 64 ? ulo < d->umin : ulo > UINT32_MAX;
	bool max_ov = d->width == 64 ? uhi < d->umax : uhi > UINT32_MAX;
	if (min_ov != max_ov) {
		d->umin = 0;
		d->umax = umax_of(d->width);
	} else {
		d->umin = ulo & umax_of(d->width);
		d->umax = uhi & umax_of(d->width);
	}
	d->t = tnum_add(d->t, s->t);
}

static void sb_sub(struct sbounds *d, const struct sbounds *s)
{
	int64_t lo, hi;
	bool sov = __builtin_sub_overflow(d->smin, s->smax, &lo);

	sov |= __builtin_sub_overflow(d->smax, s->smin, &hi); /* both differences are needed */
	if (sov || s_overflows(lo, d->width) || s_overflows(hi, d->width)) {
		d->smin = smin_of(d->width);
		d->smax = smax_of(d->width);
	} else {
		d->smin = lo;
		d->smax = hi;
	}
	/* every difference wraps (umax < s->umin) or none does (umin >= s->umax) */
	if (d->umin >= s->umax || d->umax < s->umin) {
		d->umin = (d->umin - s->umax) & umax_of(d->width);
		d->umax = (d->umax - s->umin) & umax_of(d->width);
	} else {
		d->umin = 0;
		d->umax = umax_of(d->width);
	}
	d->t = tnum_sub(d->t, s->t);
}

/* Unsigned and signed products computed independently; either is unbounded when a
 * product may overflow the width. */
static void sb_mul(struct sbounds *d, const struct sbounds *s)
{
	uint64_t lo, hi;
	int64_t p[4];

	d->t = tnum_mul(d->t, s->t);
	if (__builtin_mul_overflow(d->umin, s->umin, &lo) ||
	    __builtin_mul_overflow(d->umax, s->umax, &hi) || hi > umax_of(d->width)) {
		lo = 0;
		hi = umax_of(d->width);
	}
	bool sov = __builtin_mul_overflow(d->smin, s->smin, &p[0]);

	sov |= __builtin_mul_overflow(d->smin, s->smax, &p[1]); /* all four products */
	sov |= __builtin_mul_overflow(d->smax, s->smin, &p[2]);
	sov |= __builtin_mul_overflow(d->smax, s->smax, &p[3]);
	d->umin = lo;
	d->umax = hi;
	d->smin = smin_of(d->width);
	d->smax = smax_of(d->width);
	if (sov)
		return;
	int64_t mn = p[0], mx = p[0];
	for (int i = 1; i < 4; i++) {
		mn = p[i] < mn ? p[i] : mn;
		mx = p[i] > mx ? p[i] : mx;
	}
	if (!s_overflows(mn, d->width) && !s_overflows(mx, d->width)) {
		d->smin = mn;
		d->smax = mx;
	}
}

static void sb_bitwise(struct sbounds *d, const struct sbounds *s, uint8_t op)
{
	uint64_t umin_d = d->umin, umin_s = s->umin;
	uint64_t umax_d = d->umax, umax_s = s->umax;

	if (op == BPF_AND) {
		d->t = tnum_and(d->t, s->t);
		d->umin = d->t.value;
		d->umax = umax_d < umax_s ? umax_d : umax_s;
	} else if (op == BPF_OR) {
		d->t = tnum_or(d->t, s->t);
		d->umin = umin_d > umin_s ? umin_d : umin_s;
		d->umax = d->t.value | d->t.mask;
	} else {
		d->t = tnum_xor(d->t, s->t);
		d->umin = d->t.value;
		d->umax = d->t.value | d->t.mask;
	}
	d->t = tnum_cast(d->t, (uint8_t)(d->width / 8));
	d->umax &= umax_of(d->width);
	sb_signed_from_unsigned(d);
}

static void sb_shift(struct sbounds *d, uint8_t op, uint8_t k)
{
	if (op == BPF_LSH) {
		d->t = tnum_cast(tnum_lshift(d->t, k), (uint8_t)(d->width / 8));
		/* the kernel's test: the top bit may be shifted out (even for k == 0) */
		if (d->umax > ((uint64_t)1 << (d->width - 1 - k))) {
			d->umin = 0;
			d->umax = umax_of(d->width);
		} else {
			d->umin <<= k;
			d->umax <<= k;
		}
		d->smin = smin_of(d->width);
		d->smax = smax_of(d->width);
	} else if (op == BPF_RSH) {
		d->t = tnum_rshift(d->t, k);
		d->umin >>= k;
		d->umax >>= k;
		d->smin = smin_of(d->width);
		d->smax = smax_of(d->width);
	} else {
		d->t = tnum_cast(tnum_arshift(d->t, k, (uint8_t)d->width), (uint8_t)(d->width / 8));
		d->smin >>= k;
		d->smax >>= k;
		d->umin = 0;
		d->umax = umax_of(d->width);
	}
}

/* Exact result of op on constants, for the ops whose range the kernel does not track
 * (negation, byte swaps) when the operand is known. */
static uint64_t bswap_width(uint64_t v, int bits)
{
	if (bits == 16)
		return __builtin_bswap16((uint16_t)v);
	if (bits == 32)
		return __builtin_bswap32((uint32_t)v);
	return __builtin_bswap64(v);
}

static void put64_with32(struct vreg *dst, const struct sbounds *d64,
			 const struct sbounds *d32);

static void unary_op(struct vreg *dst, enum objfmt_op op, int width)
{
	const struct objfmt_opinfo *info = objfmt_opinfo(op);
	bool known = vreg_is_const(dst);
	uint64_t v = dst->var_off.value;
	int bits = info->width;

	if (dst->type != VREG_SCALAR) {
		/* a pointer operand: the kernel makes the whole register unknown, even for
		 * the 32-bit forms */
		vreg_mark_unknown(dst);
		return;
	}
	dst->id = 0; /* a new value: no longer equal to the registers it was copied to */
	dst->off = 0;
	if (op == OBJFMT_OP_NEG64 || op == OBJFMT_OP_NEG32) {
		/* dst = 0 - dst */
		struct vreg zero;
		vreg_mark_const(&zero, 0);
		struct sbounds d = sb_get(&zero, width), s = sb_get(dst, width);
		sb_sub(&d, &s);
		if (width == 64) {
			struct sbounds d32 = sb_get(&zero, 32), s32 = sb_get(dst, 32);
			sb_sub(&d32, &s32);
			put64_with32(dst, &d, &d32);
		} else {
			sb_put(dst, &d);
		}
		return;
	}
	bool to_le = BPF_SRC(info->code) == BPF_TO_LE && OBJFMT_CLASS(info->code) == BPF_ALU;
	if (to_le) {
		vreg_cast_size(dst, bits / 8);
		return;
	}
	if (known) {
		vreg_mark_const(dst, bswap_width(v, bits));
		return;
	}
	/* swap the known and unknown bits byte for byte; bounds follow from the tnum */
	struct tnum t = dst->var_off;
	vreg_mark_unknown(dst);
	dst->var_off = (struct tnum){ bswap_width(t.value, bits), bswap_width(t.mask, bits) };
	vreg_bounds_sync(dst);
}

static bool shift_ok(const struct sbounds *s, int width)
{
	return tnum_is_const(s->t) && s->umax < (uint64_t)width;
}

static bool sb_binary(struct sbounds *d, const struct sbounds *s, uint8_t op)
{
	switch (op) {
	case BPF_ADD:
		sb_add(d, s);
		return true;
	case BPF_SUB:
		sb_sub(d, s);
		return true;
	case BPF_MUL:
		sb_mul(d, s);
		return true;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		sb_bitwise(d, s, op);
		return true;
	default:
		return false;
	}
}

/* A 64-bit result whose low half was computed by the same op on the low halves (the
 * kernel runs its scalar32_* and scalar_* rules side by side). */
static void put64_with32(struct vreg *dst, const struct sbounds *d64, const struct sbounds *d32)
{
	dst->smin = d64->smin;
	dst->smax = d64->smax;
	dst->umin = d64->umin;
	dst->umax = d64->umax;
	dst->var_off = d64->t;
	dst->s32_min = (int32_t)d32->smin;
	dst->s32_max = (int32_t)d32->smax;
	dst->u32_min = (uint32_t)d32->umin;
	dst->u32_max = (uint32_t)d32->umax;
	vreg_bounds_sync(dst);
}

/* dst = dst op src for two scalars. */
static void scalar_op(struct vreg *dst, const struct vreg *src, uint8_t op, int width)
{
	struct sbounds d = sb_get(dst, width), s = sb_get(src, width);

	if (s.smin > s.smax || s.umin > s.umax) {
		vreg_mark_unknown(dst);
		return;
	}
	if (width == 64) {
		struct sbounds d32 = sb_get(dst, 32), s32 = sb_get(src, 32);
		if (sb_binary(&d, &s, op) && sb_binary(&d32, &s32, op)) {
			put64_with32(dst, &d, &d32);
			return;
		}
	} else if (sb_binary(&d, &s, op)) {
		sb_put(dst, &d);
		return;
	}
	switch (op) {
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (!shift_ok(&s, width))
			goto unknown;
		sb_shift(&d, op, (uint8_t)s.umin);
		if (op == BPF_LSH && width == 64 && s.umin == 32 && s.umax == 32) {
			/* kernel __scalar64_min_max_lsh: the <<32 of a sign extension keeps
			 * the order of the s32 bounds, negative ones too (since 6.12) */
			d.smin = (int64_t)((uint64_t)(int64_t)dst->s32_min << 32);
			d.smax = (int64_t)((uint64_t)(int64_t)dst->s32_max << 32);
		}
		break;
	default: /* div, mod: not tracked */
		goto unknown;
	}
	sb_put(dst, &d);
	return;
unknown:
	/* like the kernel, even for a 32-bit op: the whole register is unknown */
	vreg_mark_unknown(dst);
}

/* dst += src for scalars in 64 bits (used to shift a linked register's bounds). */
void verifier_scalar_add(struct vreg *dst, const struct vreg *src)
{
	scalar_op(dst, src, BPF_ADD, 64);
}

static bool check_sane_offset(struct verifier_env *env, const struct vreg *reg,
			      const struct vreg *ptr)
{
	char name[48];
	bool known = tnum_is_const(reg->var_off);
	int64_t val = (int64_t)reg->var_off.value;
	bool bad_const = known && (val >= VERIFIER_MAX_VAR_OFF || val <= -VERIFIER_MAX_VAR_OFF);

	if (!bad_const && reg->off < VERIFIER_MAX_VAR_OFF && reg->off > -VERIFIER_MAX_VAR_OFF &&
	    reg->smin != INT64_MIN && reg->smin < VERIFIER_MAX_VAR_OFF &&
	    reg->smin > -VERIFIER_MAX_VAR_OFF)
		return true; /* the common case: no message, so no name to format */
	vreg_type_name(ptr, name, sizeof(name));
	if (bad_const) {
		verbose(env, "math between %s pointer and %lld is not allowed\n", name,
			(long long)val);
		return false;
	}
	if (reg->off >= VERIFIER_MAX_VAR_OFF || reg->off <= -VERIFIER_MAX_VAR_OFF) {
		verbose(env, "%s pointer offset %d is not allowed\n", name, reg->off);
		return false;
	}
	if (reg->smin == INT64_MIN) {
		verbose(env, "math between %s pointer and register with unbounded min value is "
			"not allowed\n", name);
		return false;
	}
	if (reg->smin >= VERIFIER_MAX_VAR_OFF || reg->smin <= -VERIFIER_MAX_VAR_OFF) {
		verbose(env, "value %lld makes %s pointer be out of bounds\n",
			(long long)reg->smin, name);
		return false;
	}
	return true;
}

static bool ptr_arith_allowed(const struct vreg *ptr, const struct vreg *off, uint8_t op)
{
	bool known = tnum_is_const(off->var_off);

	switch (ptr->type) {
	case VREG_MAP_VALUE: /* an XSKMAP's is the kernel's xdp_sock: no arithmetic */
		return !ptr->map || verifier_map_desc(ptr->map)->type != BPF_MAP_TYPE_XSKMAP;
	case VREG_CTX:
	case VREG_MAP_KEY:
	case VREG_STACK:
	case VREG_PACKET_META:
	case VREG_PACKET:
	case VREG_MEM:
	case VREG_FUNC:
	case VREG_BTF_ID:
		return true;
	case VREG_FLOW_KEYS:
		return known;
	case VREG_MAP_PTR:
		return known && off->smin == 0 && op == BPF_ADD;
	default:
		return false;
	}
}

/* Variable-offset part of ptr +/- scalar. */
static void ptr_var_add(struct vreg *dst, const struct vreg *ptr, const struct vreg *off,
			bool sub)
{
	struct sbounds p = sb_get(ptr, 64), o = sb_get(off, 64);
	if (sub)
		sb_sub(&p, &o);
	else
		sb_add(&p, &o);
	dst->smin = p.smin;
	dst->smax = p.smax;
	dst->umin = p.umin;
	dst->umax = p.umax;
	dst->var_off = p.t;
}

int verifier_adjust_ptr_scalar(struct verifier_env *env, const struct objfmt_insn *insn,
			       struct vreg *dst, const struct vreg *ptr_in,
			       const struct vreg *off_in, uint8_t op)
{
	struct vreg ptr = *ptr_in, off = *off_in;
	bool known = tnum_is_const(off.var_off);
	char name[48];
	uint32_t d = insn->dst_reg;

	if (OBJFMT_CLASS(insn->code) != BPF_ALU64) {
		if (op == BPF_SUB) {
			vreg_mark_unknown(dst);
			return 0;
		}
		verbose(env, "R%u 32-bit pointer arithmetic prohibited\n", d);
		return -EACCES;
	}
	if (ptr.flags & VREG_MAYBE_NULL) {
		verbose(env, "R%u pointer arithmetic on %s prohibited, null-check it first\n", d,
			vreg_type_name(&ptr, name, sizeof(name)));
		return -EACCES;
	}
	if (!ptr_arith_allowed(&ptr, &off, op)) {
		verbose(env, "R%u pointer arithmetic on %s prohibited\n", d,
			vreg_type_name(&ptr, name, sizeof(name)));
		return -EACCES;
	}
	if ((known && (off.smin != off.smax || off.umin != off.umax)) || off.smin > off.smax ||
	    off.umin > off.umax) {
		vreg_mark_unknown(dst);
		return 0;
	}
	if (!check_sane_offset(env, &off, &ptr) || !check_sane_offset(env, &ptr, &ptr))
		return -EINVAL;
	*dst = ptr;
	vreg_subreg_unknown32(dst);
	bool pkt = ptr.type == VREG_PACKET || ptr.type == VREG_PACKET_META;
	int64_t k = off.smin, fixed;
	switch (op) {
	case BPF_ADD:
		if (known && !__builtin_add_overflow((int64_t)ptr.off, k, &fixed) &&
		    fixed == (int32_t)fixed) {
			dst->off = (int32_t)fixed;
			break;
		}
		ptr_var_add(dst, &ptr, &off, false);
		if (pkt) {
			dst->id = verifier_new_id(env);
			dst->range = 0;
		}
		break;
	case BPF_SUB:
		if (dst == off_in) {
			verbose(env, "R%u tried to subtract pointer from scalar\n", d);
			return -EACCES;
		}
		if (ptr.type == VREG_STACK) {
			verbose(env, "R%u subtraction from stack pointer prohibited\n", d);
			return -EACCES;
		}
		if (known && !__builtin_sub_overflow((int64_t)ptr.off, k, &fixed) &&
		    fixed == (int32_t)fixed) {
			dst->off = (int32_t)fixed;
			break;
		}
		ptr_var_add(dst, &ptr, &off, true);
		if (pkt) {
			dst->id = verifier_new_id(env);
			if (off.smin < 0)
				dst->range = 0;
		}
		break;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		verbose(env, "R%u bitwise operator %s on pointer prohibited\n", d,
			alu_string[op >> 4]);
		return -EACCES;
	default:
		verbose(env, "R%u pointer arithmetic with %s operator prohibited\n", d,
			alu_string[op >> 4]);
		return -EACCES;
	}
	if (!check_sane_offset(env, dst, &ptr))
		return -EINVAL;
	vreg_bounds_sync(dst);
	return 0;
}

/* `dst += K` or `dst -= K` (64-bit, K a signed 32-bit constant) keeps dst linked to
 * its copies with a known delta in `off` (6.18 BPF_ADD_CONST); a second delta, a
 * wider constant or any other change of a scalar breaks the link. */
static void link_add_const(struct vreg *dst, const struct vreg *src, uint8_t op, int width)
{
	if ((op == BPF_ADD || op == BPF_SUB) && width == 64 && dst->id && vreg_is_const(src) &&
	    !(dst->id & VREG_ADD_CONST)) {
		int64_t k = (int64_t)src->var_off.value;
		if (k >= INT32_MIN && k <= INT32_MAX && !(op == BPF_SUB && k == INT32_MIN)) {
			dst->id |= VREG_ADD_CONST;
			dst->off = op == BPF_SUB ? -(int32_t)k : (int32_t)k;
			return;
		}
	}
	dst->id = 0;
	dst->off = 0;
}

static int check_mov(struct verifier_env *env, const struct objfmt_insn *insn, int width)
{
	struct vreg *regs = vcur_regs(env);
	struct vreg *dst = &regs[insn->dst_reg];

	if (BPF_SRC(insn->code) == BPF_K) {
		uint64_t v = width == 64 ? (uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm;
		vreg_mark_const(dst, v);
		return 0;
	}
	if (insn->off == 0 && width == 64) {
		/* a copy of an unknown scalar: both registers share an id, so bounds learned
		 * on one later apply to the other (kernel find_equal_scalars) */
		struct vreg *from = &regs[insn->src_reg];
		if (from->type == VREG_SCALAR && (from->id & VREG_ADD_CONST)) {
			/* kernel assign_scalar_id_before_mov: one delta per link, so the
			 * source leaves its base's link and the copy links to it afresh */
			from->id = 0;
			from->off = 0;
		}
		if (from->type == VREG_SCALAR && !from->id && !tnum_is_const(from->var_off))
			from->id = verifier_new_id(env);
		*dst = *from;
		dst->written = true;
		return 0;
	}
	struct vreg src = regs[insn->src_reg];
	if (src.type != VREG_SCALAR) { /* part of a pointer: an unknown number for root */
		vreg_mark_unknown(dst);
		if (width == 32) {
			vreg_zext32(dst);
			vreg_bounds_sync(dst);
		}
		dst->written = true;
		return 0;
	}
	/* linked like a plain copy when the value cannot change: w1 = w2 of a 32-bit
	 * value, a sign extension of a value below the sign bit (kernel check_alu_op) */
	struct vreg *from = &regs[insn->src_reg];
	bool same = insn->off == 0 ? from->umax <= UINT32_MAX
				   : from->umax < ((uint64_t)1 << (insn->off - 1));
	if (same && (from->id & VREG_ADD_CONST)) { /* kernel assign_scalar_id_before_mov */
		from->id = 0;
		from->off = 0;
	}
	if (same && !from->id && !tnum_is_const(from->var_off))
		from->id = verifier_new_id(env);
	*dst = *from;
	if (!same) { /* a truncated or extended copy is not linked */
		dst->id = 0;
		dst->off = 0;
	}
	uint32_t id = dst->id;
	int32_t delta = dst->off;
	if (insn->off == 0)
		vreg_cast_size(dst, 4);
	else if (width == 64)
		vreg_sext(dst, insn->off / 8);
	else
		vreg_sext32(dst, insn->off / 8);
	dst->id = id; /* the extension recomputes the bounds, the link stays */
	dst->off = delta;
	dst->written = true;
	return 0;
}

static int check_operands(struct verifier_env *env, const struct objfmt_insn *insn,
			  uint8_t op, int width)
{
	int err;

	if (BPF_SRC(insn->code) == BPF_X) {
		err = verifier_check_reg_read(env, insn->src_reg);
		if (err)
			return err;
	}
	if (op != BPF_MOV) {
		err = verifier_check_reg_read(env, insn->dst_reg);
		if (err)
			return err;
	}
	err = verifier_check_reg_write(env, insn->dst_reg);
	if (err)
		return err;
	if (BPF_SRC(insn->code) == BPF_K && (op == BPF_DIV || op == BPF_MOD) && insn->imm == 0) {
		verbose(env, "div by zero\n");
		return -EINVAL;
	}
	if (BPF_SRC(insn->code) == BPF_K &&
	    (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) &&
	    (insn->imm < 0 || insn->imm >= width)) {
		verbose(env, "invalid shift %d\n", insn->imm);
		return -EINVAL;
	}
	return 0;
}

static int check_alu(struct verifier_env *env, const struct objfmt_insn *insn,
		     enum objfmt_op op);

int verifier_check_alu(struct verifier_env *env, const struct objfmt_insn *insn,
		       enum objfmt_op op)
{
	int err = check_alu(env, insn, op);
	if (!err)
		vcur_regs(env)[insn->dst_reg].written = true;
	return err;
}

static int check_alu(struct verifier_env *env, const struct objfmt_insn *insn,
		     enum objfmt_op op)
{
	uint8_t opcode = BPF_OP(insn->code);
	int width = OBJFMT_CLASS(insn->code) == BPF_ALU64 ? 64 : 32;
	struct vreg *regs = vcur_regs(env);
	int err;

	if (opcode == BPF_NEG || opcode == BPF_END) {
		err = verifier_check_reg_read(env, insn->dst_reg);
		if (!err)
			err = verifier_check_reg_write(env, insn->dst_reg);
		if (err)
			return err;
		unary_op(&regs[insn->dst_reg], op, width);
		regs[insn->dst_reg].written = true;
		return 0;
	}
	err = check_operands(env, insn, opcode, width);
	if (err)
		return err;
	if (opcode == BPF_MOV)
		return check_mov(env, insn, width);

	struct vreg *dst = &regs[insn->dst_reg];
	struct vreg src;
	if (BPF_SRC(insn->code) == BPF_X)
		src = regs[insn->src_reg];
	else
		vreg_mark_const(&src, width == 64 ? (uint64_t)(int64_t)insn->imm
						  : (uint32_t)insn->imm);
	dst->written = true;
	if (dst->type != VREG_SCALAR && src.type != VREG_SCALAR) {
		if (opcode == BPF_SUB) {
			vreg_mark_unknown(dst);
			return 0;
		}
		verbose(env, "R%u pointer %s pointer prohibited\n", insn->dst_reg,
			alu_string[opcode >> 4]);
		return -EACCES;
	}
	bool reg_src = BPF_SRC(insn->code) == BPF_X;
	if (reg_src && (dst->type != VREG_SCALAR || src.type != VREG_SCALAR || dst->precise)) {
		/* a pointer offset, or a precise result: the scalar operand's range counts */
		err = verifier_mark_precise(env, src.type == VREG_SCALAR ? insn->src_reg
									: insn->dst_reg);
		if (err)
			return err;
	}
	if (dst->type != VREG_SCALAR)
		return verifier_adjust_ptr_scalar(env, insn, dst, dst, &src, opcode);
	if (src.type != VREG_SCALAR) {
		struct vreg off = *dst;
		if (opcode == BPF_SUB && OBJFMT_CLASS(insn->code) == BPF_ALU64) {
			verbose(env, "R%u tried to subtract pointer from scalar\n", insn->dst_reg);
			return -EACCES;
		}
		return verifier_adjust_ptr_scalar(env, insn, dst, &src, &off, opcode);
	}
	link_add_const(dst, &src, opcode, width);
	scalar_op(dst, &src, opcode, width);
	dst->written = true;
	return 0;
}
