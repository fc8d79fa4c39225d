/* verifier_dynptr.c - dynptrs over ring buffer records (bpf_ringbuf_reserve_dynptr):
 * a struct bpf_dynptr is two stack slots holding a spilled VREG_DYNPTR (`off` 0 in the
 * lower slot, 1 in the upper one) that carries the record's reference. It must be
 * submitted or discarded on every path, is never read, overwritten or handed to a
 * helper as plain memory, and bpf_dynptr_data's memory dies with it. */
#include <errno.h>

#include "verifier_int.h"

#define DYNPTR_SLOTS 2

bool verifier_slot_is_dynptr(const struct vstack_slot *slot)
{
	return slot->kind[7] == VSLOT_SPILL && slot->spill.type == VREG_DYNPTR;
}

/* Kernel dynptr_get_spi: the dynptr's lower slot, at a constant 8-aligned offset. */
static int dynptr_slot(struct verifier_env *env, uint32_t regno, const struct vreg *reg)
{
	if (!tnum_is_const(reg->var_off)) {
		verbose(env, "dynptr has to be at a constant offset\n");
		return -EINVAL;
	}
	int64_t off = reg->off + (int64_t)reg->var_off.value;
	if (off % 8) {
		verbose(env, "cannot pass in dynptr at an offset=%lld\n", (long long)off);
		return -EINVAL;
	}
	int64_t spi = (-off - 1) / 8;
	(void)regno;
	if (off >= 0 || spi < 1 || spi >= VERIFIER_STACK_SLOTS)
		return -ERANGE; /* the two slots are not both in the frame */
	return (int)spi;
}

/* Plain accesses that meet a dynptr's bytes (kernel check_stack_read_fixed_off,
 * destroy_if_dynptr_stack_slot, check_stack_range_initialized). */
int verifier_dynptr_stack_check(struct verifier_env *env, const struct vframe *frame,
				uint32_t regno, int64_t min_off, int64_t max_off, bool write,
				bool helper)
{
	for (int64_t i = min_off; i < max_off; i++) {
		int slot = (int)(-i - 1), spi = slot / 8;
		if (spi < 0 || spi >= VERIFIER_STACK_SLOTS || !verifier_slot_is_dynptr(&frame->stack[spi]))
			continue;
		if (write && helper)
			verbose(env, "potential write to dynptr at off=%lld disallowed\n", (long long)i);
		else if (write)
			verbose(env, "cannot overwrite referenced dynptr\n");
		else if (helper)
			verbose(env, "invalid read from stack R%u off %lld+%lld size %lld\n", regno,
				(long long)min_off, (long long)(i - min_off),
				(long long)(max_off - min_off));
		else
			verbose(env, "invalid read from stack off %lld+%lld size %lld\n",
				(long long)min_off, (long long)(i - min_off),
				(long long)(max_off - min_off));
		return write && !helper ? -EINVAL : -EACCES;
	}
	return 0;
}

/* bpf_ringbuf_reserve_dynptr's dynptr (MEM_UNINIT): make the two slots a ring buffer
 * dynptr holding a new reference acquired at `insn_idx`. */
int verifier_dynptr_init(struct verifier_env *env, uint32_t regno, uint32_t insn_idx)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	if (reg->type != VREG_STACK) {
		verbose(env, "R%u type=%s expected=fp, dynptr_ptr\n", regno,
			vreg_type_name(reg, name, sizeof(name)));
		return -EACCES;
	}
	int spi = dynptr_slot(env, regno, reg);
	if (spi < 0) { /* after dynptr_slot's own line for a misplaced one, as 6.18 logs */
		verbose(env, "Dynptr has to be an uninitialized dynptr\n");
		return -EINVAL;
	}
	struct vframe *frame = env->cur->frames[reg->frameno];
	int64_t low = -8 * (int64_t)(spi + 1);
	int err = verifier_dynptr_stack_check(env, frame, regno, low, low + 16, true, false);
	if (err)
		return err;
	uint32_t id = verifier_new_id(env);
	int ref = verifier_acquire_ref(env, insn_idx);
	if (ref < 0)
		return ref;
	for (int k = 0; k < DYNPTR_SLOTS; k++) {
		struct vstack_slot *s = &frame->stack[spi - k];
		vreg_mark_const(&s->spill, 0);
		s->spill.type = VREG_DYNPTR;
		s->spill.off = k;
		s->spill.id = id;
		s->spill.ref_obj_id = (uint32_t)ref;
		for (int b = 0; b < 8; b++)
			s->kind[b] = VSLOT_SPILL;
	}
	if (frame->allocated < (uint32_t)(spi + 1) * 8)
		frame->allocated = (uint32_t)(spi + 1) * 8;
	return 0;
}

/* An initialised dynptr argument (read, write, data; submit and discard `release` it):
 * its reference through *ref_obj_id. */
int verifier_dynptr_arg(struct verifier_env *env, uint32_t regno, bool release,
			uint32_t *ref_obj_id)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	if (reg->type != VREG_STACK) {
		verbose(env, "R%u type=%s expected=fp, dynptr_ptr\n", regno,
			vreg_type_name(reg, name, sizeof(name)));
		return -EACCES;
	}
	int spi = dynptr_slot(env, regno, reg);
	/* a misplaced one gets dynptr_slot's line, then this one, as 6.18 logs */
	if (spi < 0 && release) {
		verbose(env, "arg %u is an unacquired reference\n", regno);
		return -EINVAL;
	}
	if (spi < 0) {
		verbose(env, "Expected an initialized dynptr as arg #%u\n", regno - 1);
		return -EINVAL;
	}
	const struct vframe *frame = env->cur->frames[reg->frameno];
	const struct vstack_slot *low = &frame->stack[spi], *high = &frame->stack[spi - 1];
	if (release && (!verifier_slot_is_dynptr(low) || !low->spill.ref_obj_id)) {
		verbose(env, "arg %u is an unacquired reference\n", regno);
		return -EINVAL;
	}
	if (!verifier_slot_is_dynptr(low) || !verifier_slot_is_dynptr(high) ||
	    low->spill.off != 0 || high->spill.off != 1 || low->spill.id != high->spill.id) {
		verbose(env, "Expected an initialized dynptr as arg #%u\n", regno - 1);
		return -EINVAL;
	}
	*ref_obj_id = low->spill.ref_obj_id;
	return 0;
}
