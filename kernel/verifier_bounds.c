/* verifier_bounds.c - scalar value tracking: keeping the tnum and the four pairs of
 * bounds (signed/unsigned, 64/32-bit) consistent with each other after every change. */
#include <limits.h>
#include <string.h>

#include "verifier_int.h"

void vreg_mark_unbounded(struct vreg *reg)
{
	reg->smin = INT64_MIN;
	reg->smax = INT64_MAX;
	reg->umin = 0;
	reg->umax = UINT64_MAX;
	reg->s32_min = INT32_MIN;
	reg->s32_max = INT32_MAX;
	reg->u32_min = 0;
	reg->u32_max = UINT32_MAX;
}

void vreg_mark_unknown(struct vreg *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = VREG_SCALAR;
	reg->var_off = tnum_unknown();
	vreg_mark_unbounded(reg);
}

void vreg_mark_const(struct vreg *reg, uint64_t value)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = VREG_SCALAR;
	reg->var_off = tnum_const(value);
	reg->smin = reg->smax = (int64_t)value;
	reg->umin = reg->umax = value;
	reg->s32_min = reg->s32_max = (int32_t)value;
	reg->u32_min = reg->u32_max = (uint32_t)value;
}

void vreg_mark_not_init(struct vreg *reg)
{
	vreg_mark_unknown(reg);
	reg->type = VREG_NOT_INIT;
}

bool vreg_is_const(const struct vreg *reg)
{
	return reg->type == VREG_SCALAR && tnum_is_const(reg->var_off);
}

bool vreg_is_pointer(const struct vreg *reg)
{
	return reg->type != VREG_SCALAR && reg->type != VREG_NOT_INIT;
}

/* Bounds implied by the tnum alone. */
static void update_bounds32(struct vreg *reg)
{
	struct tnum var32 = tnum_subreg(reg->var_off);
	int32_t smin = (int32_t)(var32.value | (var32.mask & (1u << 31)));
	int32_t smax = (int32_t)(var32.value | (var32.mask & ~(1u << 31)));

	if (smin > reg->s32_min)
		reg->s32_min = smin;
	if (smax < reg->s32_max)
		reg->s32_max = smax;
	if ((uint32_t)var32.value > reg->u32_min)
		reg->u32_min = (uint32_t)var32.value;
	if ((uint32_t)(var32.value | var32.mask) < reg->u32_max)
		reg->u32_max = (uint32_t)(var32.value | var32.mask);
}

static void update_bounds64(struct vreg *reg)
{
	uint64_t sign = (uint64_t)1 << 63;
	int64_t smin = (int64_t)(reg->var_off.value | (reg->var_off.mask & sign));
	int64_t smax = (int64_t)(reg->var_off.value | (reg->var_off.mask & ~sign));

	if (smin > reg->smin)
		reg->smin = smin;
	if (smax < reg->smax)
		reg->smax = smax;
	if (reg->var_off.value > reg->umin)
		reg->umin = reg->var_off.value;
	if ((reg->var_off.value | reg->var_off.mask) < reg->umax)
		reg->umax = reg->var_off.value | reg->var_off.mask;
}

static int64_t max_s64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min_s64(int64_t a, int64_t b) { return a < b ? a : b; }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* 32-bit bounds from each other and from the 64-bit ones (kernel
 * __reg32_deduce_bounds). */
static void deduce_bounds32(struct vreg *reg)
{
	/* Upper halves equal across the 64-bit range: the low halves form a range. */
	if ((reg->umin >> 32) == (reg->umax >> 32)) {
		reg->u32_min = (uint32_t)max_u64(reg->u32_min, (uint32_t)reg->umin);
		reg->u32_max = (uint32_t)min_u64(reg->u32_max, (uint32_t)reg->umax);
		if ((int32_t)reg->umin <= (int32_t)reg->umax) {
			reg->s32_min = (int32_t)max_s64(reg->s32_min, (int32_t)reg->umin);
			reg->s32_max = (int32_t)min_s64(reg->s32_max, (int32_t)reg->umax);
		}
	}
	if ((reg->smin >> 32) == (reg->smax >> 32)) {
		if ((uint32_t)reg->smin <= (uint32_t)reg->smax) {
			reg->u32_min = (uint32_t)max_u64(reg->u32_min, (uint32_t)reg->smin);
			reg->u32_max = (uint32_t)min_u64(reg->u32_max, (uint32_t)reg->smax);
		}
		if ((int32_t)reg->smin <= (int32_t)reg->smax) {
			reg->s32_min = (int32_t)max_s64(reg->s32_min, (int32_t)reg->smin);
			reg->s32_max = (int32_t)min_s64(reg->s32_max, (int32_t)reg->smax);
		}
	}
	/* Upper halves two consecutive numbers, low halves crossing zero as s32. */
	if ((uint32_t)(reg->umin >> 32) + 1 == (uint32_t)(reg->umax >> 32) &&
	    (int32_t)reg->umin < 0 && (int32_t)reg->umax >= 0) {
		reg->s32_min = (int32_t)max_s64(reg->s32_min, (int32_t)reg->umin);
		reg->s32_max = (int32_t)min_s64(reg->s32_max, (int32_t)reg->umax);
	}
	if ((uint32_t)((uint64_t)reg->smin >> 32) + 1 == (uint32_t)((uint64_t)reg->smax >> 32) &&
	    (int32_t)reg->smin < 0 && (int32_t)reg->smax >= 0) {
		reg->s32_min = (int32_t)max_s64(reg->s32_min, (int32_t)reg->smin);
		reg->s32_max = (int32_t)min_s64(reg->s32_max, (int32_t)reg->smax);
	}
	/* Same sign bit across a range: signed and unsigned views agree. */
	if ((int32_t)reg->u32_min <= (int32_t)reg->u32_max) {
		reg->s32_min = (int32_t)max_s64(reg->s32_min, (int32_t)reg->u32_min);
		reg->s32_max = (int32_t)min_s64(reg->s32_max, (int32_t)reg->u32_max);
	}
	if ((uint32_t)reg->s32_min <= (uint32_t)reg->s32_max) {
		reg->u32_min = (uint32_t)max_u64(reg->u32_min, (uint32_t)reg->s32_min);
		reg->u32_max = (uint32_t)min_u64(reg->u32_max, (uint32_t)reg->s32_max);
	} else if (reg->u32_max < (uint32_t)reg->s32_min) {
		/* the s32 range wraps in u32 terms; the u32 range meets only its low part */
		reg->s32_min = (int32_t)reg->u32_min;
		reg->u32_max = (uint32_t)min_u64(reg->u32_max, (uint32_t)reg->s32_max);
	} else if ((uint32_t)reg->s32_max < reg->u32_min) {
		/* ... or only its high (negative) part */
		reg->s32_max = (int32_t)reg->u32_max;
		reg->u32_min = (uint32_t)max_u64(reg->u32_min, (uint32_t)reg->s32_min);
	}
}

/* Kernel __reg64_deduce_bounds. */
static void deduce_bounds64(struct vreg *reg)
{
	if ((int64_t)reg->umin <= (int64_t)reg->umax) {
		reg->smin = max_s64(reg->smin, (int64_t)reg->umin);
		reg->smax = min_s64(reg->smax, (int64_t)reg->umax);
	}
	if ((uint64_t)reg->smin <= (uint64_t)reg->smax) {
		reg->umin = max_u64(reg->umin, (uint64_t)reg->smin);
		reg->umax = min_u64(reg->umax, (uint64_t)reg->smax);
	} else if (reg->umax < (uint64_t)reg->smin) {
		/* the signed range wraps; the unsigned one overlaps only its low end */
		reg->smin = (int64_t)reg->umin;
		reg->umax = min_u64(reg->umax, (uint64_t)reg->smax);
	} else if ((uint64_t)reg->smax < reg->umin) {
		reg->smax = (int64_t)reg->umax;
		reg->umin = max_u64(reg->umin, (uint64_t)reg->smin);
	}
}

/* Kernel __reg_deduce_mixed_bounds: the 32-bit ranges as the low halves of the 64-bit
 * bounds. */
static void deduce_mixed_bounds(struct vreg *reg)
{
	uint64_t new_umin = (reg->umin & ~(uint64_t)UINT32_MAX) | reg->u32_min;
	uint64_t new_umax = (reg->umax & ~(uint64_t)UINT32_MAX) | reg->u32_max;
	reg->umin = max_u64(reg->umin, new_umin);
	reg->umax = min_u64(reg->umax, new_umax);
	int64_t new_smin = (int64_t)(((uint64_t)reg->smin & ~(uint64_t)UINT32_MAX) | reg->u32_min);
	int64_t new_smax = (int64_t)(((uint64_t)reg->smax & ~(uint64_t)UINT32_MAX) | reg->u32_max);
	reg->smin = max_s64(reg->smin, new_smin);
	reg->smax = min_s64(reg->smax, new_smax);
	if (reg->s32_min >= 0 && reg->smin >= INT32_MIN && reg->smax <= INT32_MAX) {
		reg->smin = reg->s32_min;
		reg->smax = reg->s32_max;
		reg->umin = (uint64_t)reg->s32_min;
		reg->umax = (uint64_t)reg->s32_max;
		reg->var_off = tnum_intersect(reg->var_off,
					      tnum_range((uint64_t)reg->smin, (uint64_t)reg->smax));
	}
}

void vreg_deduce_bounds(struct vreg *reg)
{
	deduce_bounds32(reg);
	deduce_bounds64(reg);
	deduce_mixed_bounds(reg);
}

/* Tighten the tnum from the bounds. */
void vreg_bounds_from_var_off(struct vreg *reg)
{
	struct tnum var64 = tnum_intersect(reg->var_off, tnum_range(reg->umin, reg->umax));
	struct tnum var32 = tnum_intersect(tnum_subreg(var64),
					   tnum_range(reg->u32_min, reg->u32_max));
	reg->var_off = tnum_or(tnum_clear_subreg(var64), var32);
}

/* When exactly one value agrees with both the tnum and [umin, umax], the register is
 * that constant (as the kernel concludes, e.g. x | 63 with x < 100 is 63). */
static void single_value(struct vreg *reg)
{
	uint64_t x1, x2;

	if (tnum_is_const(reg->var_off) || reg->umin > reg->umax ||
	    !tnum_min_ge(reg->var_off, reg->umin, &x1) || x1 > reg->umax)
		return;
	if (x1 != UINT64_MAX && tnum_min_ge(reg->var_off, x1 + 1, &x2) && x2 <= reg->umax)
		return;
	reg->var_off = tnum_const(x1);
	reg->smin = reg->smax = (int64_t)x1;
	reg->umin = reg->umax = x1;
	reg->s32_min = reg->s32_max = (int32_t)x1;
	reg->u32_min = reg->u32_max = (uint32_t)x1;
}

/* Whether the bounds and tnum, all vreg_deduce_bounds reads and writes, are equal. */
static bool same_bounds(const struct vreg *a, const struct vreg *b)
{
	return a->smin == b->smin && a->smax == b->smax && a->umin == b->umin &&
	       a->umax == b->umax && a->s32_min == b->s32_min && a->s32_max == b->s32_max &&
	       a->u32_min == b->u32_min && a->u32_max == b->u32_max &&
	       a->var_off.value == b->var_off.value && a->var_off.mask == b->var_off.mask;
}

void vreg_bounds_sync(struct vreg *reg)
{
	update_bounds32(reg);
	update_bounds64(reg);
	/* Three rounds as the kernel; a round that changes nothing is a fixed point of
	 * the deduction, so the rounds after it would change nothing either. */
	for (int round = 0; round < 3; round++) {
		struct vreg before = *reg;
		vreg_deduce_bounds(reg);
		if (same_bounds(&before, reg))
			break;
	}
	vreg_bounds_from_var_off(reg);
	update_bounds32(reg);
	update_bounds64(reg);
	single_value(reg);
}

/* The 32-bit subregister as an unknown value; upper bits unchanged. */
void vreg_subreg_unknown32(struct vreg *reg)
{
	reg->s32_min = INT32_MIN;
	reg->s32_max = INT32_MAX;
	reg->u32_min = 0;
	reg->u32_max = UINT32_MAX;
}

/* 64-bit bounds recomputed from the 32-bit ones after a zero-extending op. */
void vreg_zext32(struct vreg *reg)
{
	reg->var_off = tnum_subreg(reg->var_off);
	reg->umin = reg->u32_min;
	reg->umax = reg->u32_max;
	reg->smin = reg->u32_min;
	reg->smax = reg->u32_max;
}

/* 64-bit bounds from the tnum only (after an op that only computed the tnum). */
void vreg_set_range64(struct vreg *reg)
{
	reg->smin = INT64_MIN;
	reg->smax = INT64_MAX;
	reg->umin = 0;
	reg->umax = UINT64_MAX;
}

/* Truncate to `size` bytes (zero-extending load or narrow move). */
void vreg_cast_size(struct vreg *reg, int size)
{
	uint64_t mask;

	reg->var_off = tnum_cast(reg->var_off, (uint8_t)size);
	if (size >= 8)
		return;
	mask = ((uint64_t)1 << (size * 8)) - 1;
	if ((reg->umin & ~mask) == (reg->umax & ~mask)) {
		reg->umin &= mask;
		reg->umax &= mask;
	} else {
		reg->umin = 0;
		reg->umax = mask;
	}
	reg->smin = (int64_t)reg->umin;
	reg->smax = (int64_t)reg->umax;
	if (size >= 4) {
		reg->u32_min = (uint32_t)reg->umin;
		reg->u32_max = (uint32_t)reg->umax;
		reg->s32_min = INT32_MIN;
		reg->s32_max = INT32_MAX;
		if ((int32_t)reg->u32_min <= (int32_t)reg->u32_max) {
			reg->s32_min = (int32_t)reg->u32_min;
			reg->s32_max = (int32_t)reg->u32_max;
		}
	} else {
		reg->u32_min = (uint32_t)reg->umin;
		reg->u32_max = (uint32_t)reg->umax;
		reg->s32_min = (int32_t)reg->umin;
		reg->s32_max = (int32_t)reg->umax;
	}
	vreg_bounds_sync(reg);
}

/* Sign-extend the low `size` bytes to 64 bits. */
void vreg_sext(struct vreg *reg, int size)
{
	int bits = size * 8;
	uint64_t top = (uint64_t)1 << (bits - 1);
	uint64_t low = top * 2 - 1;

	if (tnum_is_const(reg->var_off)) {
		uint64_t v = reg->var_off.value & low;
		int64_t s = (int64_t)((v ^ top) - top);
		vreg_mark_const(reg, (uint64_t)s);
		return;
	}
	struct tnum t = tnum_cast(reg->var_off, (uint8_t)size);
	uint64_t umin = 0, umax = low;
	bool same_range = (reg->umax >> (bits - 1)) == (reg->umin >> (bits - 1)) &&
			  reg->umax <= low;
	if (same_range) {
		umin = reg->umin;
		umax = reg->umax;
	}
	vreg_mark_unknown(reg);
	if (same_range && !(umin & top)) {
		reg->smin = (int64_t)umin;
		reg->smax = (int64_t)umax;
	} else if (same_range) {
		reg->smin = (int64_t)((umin ^ top) - top);
		reg->smax = (int64_t)((umax ^ top) - top);
	} else {
		reg->smin = -(int64_t)top;
		reg->smax = (int64_t)top - 1;
	}
	if (!(t.mask & top))
		reg->var_off = (t.value & top) ? tnum_or((struct tnum){ ~low, 0 }, t) : t;
	vreg_bounds_sync(reg);
}

/* Sign-extend the low `size` bytes into the 32-bit subregister (upper 32 bits zero). */
void vreg_sext32(struct vreg *reg, int size)
{
	vreg_sext(reg, size);
	int64_t smin = reg->smin, smax = reg->smax;
	struct tnum t = tnum_subreg(reg->var_off);
	vreg_mark_unknown(reg);
	reg->var_off = t;
	reg->s32_min = (int32_t)smin;
	reg->s32_max = (int32_t)smax;
	reg->umax = UINT32_MAX;
	reg->smin = 0;
	reg->smax = UINT32_MAX;
	vreg_bounds_sync(reg);
}
