/* verifier_stack.c - the stack of a frame as 8-byte slots: bounds and alignment of
 * accesses through stack pointers, register spills and fills with their full state,
 * writes of data (misc/zero bytes), variable-offset accesses, and stack ranges handed
 * to helpers. Root semantics: reading never-written stack yields an unknown scalar. */
#include <errno.h>
#include <string.h>

#include "verifier_int.h"

static void grow_stack(struct vframe *frame, int32_t min_off)
{
	uint32_t need = (uint32_t)((-min_off + 7) & ~7);
	if (need > frame->allocated)
		frame->allocated = need;
}

/* Kernel check_stack_access_within_bounds: [min_off, max_off) must lie in the frame. */
static int stack_bounds(struct verifier_env *env, const struct vreg *reg, uint32_t regno,
			int32_t off, int size, const char *extra, struct vframe *frame)
{
	int64_t min_off, max_off;
	char tn[48];

	if (tnum_is_const(reg->var_off)) {
		min_off = (int64_t)reg->var_off.value + off;
		max_off = min_off + size;
	} else {
		if (reg->smax >= VERIFIER_MAX_VAR_OFF || reg->smin <= -VERIFIER_MAX_VAR_OFF) {
			verbose(env, "invalid unbounded variable-offset%s stack R%u\n", extra, regno);
			return -EACCES;
		}
		min_off = reg->smin + off;
		max_off = reg->smax + off + size;
	}
	int err = 0;
	if (min_off < -VERIFIER_STACK_SIZE || min_off > -1)
		err = -EACCES;
	else if (max_off > 0 || size < 0)
		err = -EINVAL;
	if (err) {
		if (tnum_is_const(reg->var_off)) {
			verbose(env, "invalid%s stack R%u off=%d size=%d\n", extra, regno, off, size);
		} else {
			snprintf(tn, sizeof(tn), "(0x%llx; 0x%llx)",
				 (unsigned long long)reg->var_off.value,
				 (unsigned long long)reg->var_off.mask);
			verbose(env, "invalid variable-offset%s stack R%u var_off=%s off=%d size=%d\n",
				extra, regno, tn, off, size);
		}
		return err;
	}
	grow_stack(frame, (int32_t)min_off);
	for (int64_t at = min_off; at < max_off; at++)
		frame->stack_scratched |= (uint64_t)1 << ((-at - 1) / 8);
	return 0;
}

static bool spillable(const struct vreg *reg)
{
	return reg->type != VREG_SCALAR && reg->type != VREG_NOT_INIT;
}

static void mark_slot_misc(uint8_t *kind)
{
	if (*kind == VSLOT_ZERO || *kind == VSLOT_INVALID) /* root: uninit reads are fine */
		return;
	*kind = VSLOT_MISC;
}

/* Kernel assign_scalar_id_before_mov: a scalar about to be copied gets an id (unless
 * constant) so that the copy and the original are linked. */
static void assign_scalar_id(struct verifier_env *env, struct vreg *reg)
{
	if (reg->type != VREG_SCALAR)
		return;
	if (reg->id & VREG_ADD_CONST) {
		reg->id = 0;
		reg->off = 0;
	}
	if (!reg->id && !tnum_is_const(reg->var_off))
		reg->id = verifier_new_id(env);
}

/* History flags of a spill to / fill from slot `spi` of `frame`, for backtracking. */
static uint32_t access_flags(const struct vframe *frame, int spi)
{
	return VHIST_STACK_ACCESS | (frame->frameno << 6) | (uint32_t)spi;
}

static void save_spill(struct vstack_slot *slot, const struct vreg *reg, int size)
{
	int i;
	slot->spill = *reg;
	slot->spill.written = false;
	for (i = 8; i > 8 - size; i--)
		slot->kind[i - 1] = VSLOT_SPILL;
	for (; i; i--)
		mark_slot_misc(&slot->kind[i - 1]);
}

int verifier_stack_write(struct verifier_env *env, struct vframe *frame, int32_t off,
			 int size, int value_regno, uint32_t insn_idx)
{
	int slot = -off - 1, spi = slot / 8;
	struct vstack_slot *s = &frame->stack[spi];
	const struct objfmt_insn *insn = &env->insns[insn_idx];
	const struct vreg *reg = value_regno >= 0 ? &vcur_regs(env)[value_regno] : NULL;
	bool is_st = OBJFMT_CLASS(insn->code) == BPF_ST;

	if (reg && !(off % 8) && reg->type == VREG_SCALAR) {
		bool fits = size == 8 || reg->umax <= (((uint64_t)1 << (size * 8)) - 1);
		if (fits) /* the slot and the register are linked */
			assign_scalar_id(env, &vcur_regs(env)[value_regno]);
		struct vreg copy = *reg;
		if (!fits) {
			copy.id = 0;
			copy.off = 0;
		}
		save_spill(s, &copy, size);
		return verifier_push_history(env, access_flags(frame, spi));
	} else if (!reg && !(off % 8) && is_st) {
		struct vreg imm;
		vreg_mark_const(&imm, (uint64_t)(int64_t)insn->imm);
		save_spill(s, &imm, size);
		return verifier_push_history(env, access_flags(frame, spi));
	} else if (reg && spillable(reg)) {
		if (size != 8) {
			verbose(env, "invalid size of register spill\n");
			return -EACCES;
		}
		if (frame != vcur_frame(env) && reg->type == VREG_STACK) {
			verbose(env, "cannot spill pointers to stack into stack frame of the caller\n");
			return -EINVAL;
		}
		save_spill(s, reg, size);
		return verifier_push_history(env, access_flags(frame, spi));
	} else {
		uint8_t kind = VSLOT_MISC;
		if (s->kind[7] == VSLOT_SPILL) /* kernel scrub_spilled_slot: zeros too */
			for (int i = 0; i < 8; i++)
				if (s->kind[i] != VSLOT_INVALID)
					s->kind[i] = VSLOT_MISC;
		vreg_mark_not_init(&s->spill);
		if ((reg && vreg_is_const(reg) && reg->var_off.value == 0) ||
		    (!reg && is_st && insn->imm == 0)) {
			/* zero bytes instead of a spill: the zero must stay exact */
			int err = value_regno >= 0 ? verifier_mark_precise(env, (uint32_t)value_regno) : 0;
			if (err)
				return err;
			kind = VSLOT_ZERO;
		}
		for (int i = 0; i < size; i++)
			s->kind[(slot - i) % 8] = kind;
	}
	return 0;
}

static bool narrow_fill_ok(int32_t off)
{
	return !(off % 8);
}

/* Returns 1 when the register was restored from a spill (a fill for backtracking). */
static int read_mixed(struct verifier_env *env, const struct vstack_slot *s, int slot,
		      int32_t off, int size, int dst_regno)
{
	int spill_cnt = 0, zero_cnt = 0;
	for (int i = 0; i < size; i++) {
		uint8_t kind = s->kind[(slot - i) % 8];
		if (kind == VSLOT_SPILL)
			spill_cnt++;
		else if (kind == VSLOT_ZERO)
			zero_cnt++;
	}
	if (dst_regno < 0)
		return 0;
	struct vreg *dst = &vcur_regs(env)[dst_regno];
	bool fill = spill_cnt == size && vreg_is_const(&s->spill) && s->spill.var_off.value == 0;
	if (fill || zero_cnt == size)
		vreg_mark_const(dst, 0);
	else
		vreg_mark_unknown(dst);
	dst->written = true;
	return fill;
}

int verifier_stack_read(struct verifier_env *env, struct vframe *frame, int32_t off,
			int size, int dst_regno)
{
	int slot = -off - 1, spi = slot / 8;
	struct vstack_slot *s = &frame->stack[spi];

	if (s->kind[7] != VSLOT_SPILL) {
		int err = read_mixed(env, s, slot, off, size, dst_regno);
		return err < 0 ? err : 0;
	}
	uint32_t flags = access_flags(frame, spi);
	int spill_size = 1;
	for (int i = 7; i > 0 && s->kind[i - 1] == VSLOT_SPILL; i--)
		spill_size++;
	if (size != 8 || spill_size != 8) {
		if (s->spill.type != VREG_SCALAR) {
			verbose(env, "invalid size of register fill\n");
			return -EACCES;
		}
		if (dst_regno < 0)
			return 0;
		if (size <= spill_size && narrow_fill_ok(off)) {
			struct vreg *dst = &vcur_regs(env)[dst_regno];
			if (size == 4 && spill_size == 4 && s->spill.umax <= UINT32_MAX)
				assign_scalar_id(env, &s->spill); /* a u32 fill links too */
			*dst = s->spill;
			if (size < 8 && !(dst->umax <= (((uint64_t)1 << (size * 8)) - 1))) {
				dst->id = 0; /* a narrowing fill breaks the link */
				dst->off = 0;
			}
			dst->written = true;
			return verifier_push_history(env, flags);
		}
		int fill = read_mixed(env, s, slot, off, size, dst_regno);
		return fill > 0 ? verifier_push_history(env, flags) : fill;
	}
	if (dst_regno >= 0) {
		assign_scalar_id(env, &s->spill);
		vcur_regs(env)[dst_regno] = s->spill;
		vcur_regs(env)[dst_regno].written = true;
	}
	return verifier_push_history(env, flags);
}

/* A variable-offset store writes zero (kernel writing_zero). */
static bool writes_zero(struct verifier_env *env, int value_regno)
{
	const struct objfmt_insn *insn = &env->insns[env->insn_idx];
	if (value_regno >= 0) {
		const struct vreg *value = &vcur_regs(env)[value_regno];
		return value->type == VREG_SCALAR && tnum_equals_const(value->var_off, 0);
	}
	return OBJFMT_CLASS(insn->code) == BPF_ST && insn->imm == 0;
}

/* Variable-offset access: every byte that may be touched. A store (kernel
 * check_stack_write_var_off, as 6.18 behaves for root) turns each spilled slot it may
 * touch into misc bytes, pointers included, except that zero written over a spilled
 * zero or over zero bytes keeps them (the zero is then needed precise). */
int verifier_stack_var_access(struct verifier_env *env, const struct vreg *reg, int32_t off,
			      int size, bool write, int dst_regno)
{
	struct vframe *frame = env->cur->frames[reg->frameno];
	int64_t min_off = reg->smin + off, max_off = reg->smax + off + size;
	bool zero = write && writes_zero(env, dst_regno), zero_used = false;

	for (int64_t i = min_off; write && i < max_off; i++) {
		int slot = (int)(-i - 1), spi = slot / 8;
		struct vstack_slot *s = &frame->stack[spi];
		uint8_t *kind = &s->kind[slot % 8];
		bool spilled = s->kind[7] == VSLOT_SPILL;
		if (zero && spilled && *kind == VSLOT_SPILL && s->spill.type == VREG_SCALAR &&
		    tnum_equals_const(s->spill.var_off, 0)) {
			zero_used = true;
			continue;
		}
		if (spilled) {
			for (int b = 0; b < 8; b++)
				if (s->kind[b] != VSLOT_INVALID)
					s->kind[b] = VSLOT_MISC;
			vreg_mark_not_init(&s->spill);
		}
		if (zero && *kind == VSLOT_ZERO)
			zero_used = true;
		else
			*kind = VSLOT_MISC;
	}
	if (zero_used && dst_regno >= 0) {
		int err = verifier_mark_precise(env, (uint32_t)dst_regno);
		if (err)
			return err;
	}
	if (!write && dst_regno >= 0) {
		vreg_mark_unknown(&vcur_regs(env)[dst_regno]);
		vcur_regs(env)[dst_regno].written = true;
	}
	return 0;
}

/* Access through stack pointer register `regno` (insn off already includes reg->off). */
int verifier_stack_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			  bool write, int value_regno, uint32_t insn_idx)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	struct vframe *frame = env->cur->frames[reg->frameno];
	struct tnum at = tnum_add(reg->var_off, tnum_const((uint64_t)(int64_t)off));
	char tn[48];

	if (!tnum_is_aligned(at, (uint64_t)size)) {
		if (tnum_is_const(reg->var_off))
			snprintf(tn, sizeof(tn), "%lld", (long long)reg->var_off.value);
		else
			snprintf(tn, sizeof(tn), "(0x%llx; 0x%llx)",
				 (unsigned long long)reg->var_off.value,
				 (unsigned long long)reg->var_off.mask);
		verbose(env, "misaligned stack access off %s+%d+%d size %d\n", tn, reg->off,
			off - reg->off, size);
		return -EACCES;
	}
	int err = stack_bounds(env, reg, regno, off, size, write ? " write to" : " read from",
			       frame);
	if (err)
		return err;
	int64_t lo = tnum_is_const(reg->var_off) ? (int64_t)reg->var_off.value + off : reg->smin + off;
	int64_t hi = (tnum_is_const(reg->var_off) ? lo : reg->smax + off) + size;
	if ((err = verifier_dynptr_stack_check(env, frame, regno, lo, hi, write, false)))
		return err;
	if (!tnum_is_const(reg->var_off))
		return verifier_stack_var_access(env, reg, off, size, write, value_regno);
	int32_t at_off = (int32_t)((int64_t)reg->var_off.value + off);
	if (write)
		return verifier_stack_write(env, frame, at_off, size, value_regno, insn_idx);
	return verifier_stack_read(env, frame, at_off, size, value_regno);
}

/* A stack range passed to a helper (kernel check_stack_range_initialized): in bounds;
 * written by the helper (write) or readable. Root may pass uninitialised stack. */
int verifier_check_stack_range(struct verifier_env *env, uint32_t regno, int32_t off,
			       int size, bool zero_size_ok, bool write, const char *what)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	struct vframe *frame = env->cur->frames[reg->frameno];

	if (size == 0 && zero_size_ok)
		return 0;
	int err = stack_bounds(env, reg, regno, off + reg->off, size, what, frame);
	if (err)
		return err;
	if (!write) {
		int64_t lo = reg->smin + reg->off + off, hi = reg->smax + reg->off + off + size;
		return verifier_dynptr_stack_check(env, frame, regno, lo, hi, false, true);
	}
	int64_t min_off, max_off;
	if (tnum_is_const(reg->var_off)) {
		min_off = (int64_t)reg->var_off.value + reg->off + off;
		max_off = min_off + size;
	} else {
		min_off = reg->smin + reg->off + off;
		max_off = reg->smax + reg->off + off + size;
	}
	if ((err = verifier_dynptr_stack_check(env, frame, regno, min_off, max_off, true, true)))
		return err;
	for (int64_t i = min_off; i < max_off; i++) {
		int slot = (int)(-i - 1), spi = slot / 8;
		struct vstack_slot *s = &frame->stack[spi];
		/* kernel raw mode (constant size, MEM_UNINIT): byte stores, each scrubbing
		 * a spilled slot it touches; with clobber (check_stack_range_initialized)
		 * only a spilled byte does, so a narrow spill beside the range stays */
		bool raw = !env->stack_clobber && tnum_is_const(reg->var_off);
		if (raw)
			env->raw_scratched |= (uint64_t)1 << spi;
		if ((raw || s->kind[slot % 8] == VSLOT_SPILL) && s->kind[7] == VSLOT_SPILL) {
			for (int b = 0; b < 8; b++)
				if (s->kind[b] != VSLOT_INVALID)
					s->kind[b] = VSLOT_MISC;
			vreg_mark_not_init(&s->spill);
		}
		s->kind[slot % 8] = VSLOT_MISC;
	}
	return 0;
}
