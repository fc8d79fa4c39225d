/* verifier_timer.c - bpf_timer as the kernel checks it: the timer is the struct
 * bpf_timer the map's value BTF describes (constant offset, map with BTF), never
 * loaded or stored directly, not in tracing programs' maps; bpf_timer_set_callback's
 * callback is verified as an async callback: a fresh frame entered with (map, key,
 * value), no references, returning 0. */
#include <errno.h>
#include <stdlib.h>

#include "map_int.h" /* the timer offset the map side found in the value's BTF */
#include "verifier_int.h"

#define TIMER_SIZE 16 /* sizeof(struct bpf_timer) */

int32_t verifier_map_timer_off(const struct emu_map *map)
{
	/* an inner map template (map-in-map lookups) has no storage file */
	return map->file ? map->file->timer_off : -1;
}

/* Kernel check_map_prog_compatibility for maps holding a timer. */
int verifier_check_timer_map_use(struct verifier_env *env, const struct emu_map *map)
{
	if (verifier_map_timer_off(map) < 0)
		return 0;
	switch (env->prog->type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
		verbose(env, "tracing progs cannot use bpf_timer yet\n");
		return -EINVAL;
	default:
		return 0;
	}
}

/* Kernel check_map_access: the timer may not be loaded or stored directly. */
int verifier_check_timer_field(struct verifier_env *env, uint32_t regno, int32_t off, int size)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	int32_t timer_off = verifier_map_timer_off(reg->map);

	if (timer_off < 0)
		return 0;
	if (reg->smin + off < (int64_t)timer_off + TIMER_SIZE &&
	    (int64_t)timer_off < (int64_t)reg->umax + off + size) {
		verbose(env, "bpf_timer cannot be accessed directly by load/store\n");
		return -EACCES;
	}
	return 0;
}

/* Kernel process_timer_func: R`regno` points at the map value's struct bpf_timer;
 * *map receives the map. */
int verifier_timer_arg(struct verifier_env *env, uint32_t regno, struct emu_map **map)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	if (reg->type != VREG_MAP_VALUE || (reg->flags & VREG_MAYBE_NULL)) {
		verbose(env, "R%u type=%s expected=map_value\n", regno,
			vreg_type_name(reg, name, sizeof(name)));
		return -EACCES;
	}
	const struct emu_map_desc *desc = verifier_map_desc(reg->map);
	int32_t timer_off = verifier_map_timer_off(reg->map);
	if (!tnum_is_const(reg->var_off)) {
		verbose(env, "R%u doesn't have constant offset. bpf_timer has to be at the "
			"constant offset\n", regno);
		return -EINVAL;
	}
	if (!reg->map->file || !reg->map->file->btf_id) {
		verbose(env, "map '%s' has to have BTF in order to use bpf_timer\n", desc->name);
		return -EINVAL;
	}
	if (timer_off < 0) {
		verbose(env, "map '%s' has no valid bpf_timer\n", desc->name);
		return -EINVAL;
	}
	int64_t at = (int64_t)reg->var_off.value + reg->off;
	if (at != timer_off) {
		verbose(env, "off %lld doesn't point to 'struct bpf_timer' that is at %d\n",
			(long long)at, timer_off);
		return -EINVAL;
	}
	*map = reg->map;
	return 0;
}

/* Kernel push_async_cb + set_timer_callback_state: the callback is explored later
 * from a fresh state of its own (frame 0, empty stack, no references). */
int verifier_push_async_callback(struct verifier_env *env, uint32_t subprogno,
				 struct emu_map *map, uint32_t insn_idx)
{
	struct vstate *st;
	int err = verifier_push_branch(env, env->subprogs[subprogno].start, insn_idx, &st);
	if (err)
		return err;
	struct vframe *frame = calloc(1, sizeof(*frame));
	if (!frame)
		return -ENOMEM;
	for (uint32_t f = 0; f <= st->curframe; f++) {
		free(st->frames[f]);
		st->frames[f] = NULL;
	}
	if (st->parent) /* nothing of this path carries over */
		st->parent->branches--;
	st->parent = NULL;
	st->curframe = 0;
	st->frames[0] = frame;
	st->ref_count = 0;
	st->lock_held = false;
	st->callback_unroll_depth = 0;
	st->hist_cnt = 0;
	st->first_insn_idx = (int32_t)env->subprogs[subprogno].start;
	st->last_insn_idx = -1;
	for (int r = 0; r < VERIFIER_REG_COUNT; r++)
		vreg_mark_not_init(&frame->regs[r]);
	vreg_mark_const(&frame->regs[VERIFIER_FP], 0);
	frame->regs[VERIFIER_FP].type = VREG_STACK;
	vreg_mark_const(&frame->regs[1], 0);
	frame->regs[1].type = VREG_MAP_PTR;
	frame->regs[1].map = map;
	frame->regs[2] = frame->regs[1];
	frame->regs[2].type = VREG_MAP_KEY;
	frame->regs[3] = frame->regs[1];
	frame->regs[3].type = VREG_MAP_VALUE;
	frame->callsite = -1;
	frame->subprogno = subprogno;
	frame->in_async_callback = true;
	return 0;
}

/* Kernel check_return_code for an async callback: R0 == 0. */
int verifier_async_callback_exit(struct verifier_env *env)
{
	const struct vreg *r0 = &vcur_regs(env)[0];
	char name[48];

	if (r0->type != VREG_SCALAR) {
		verbose(env, "At async callback return the register R0 is not a known value (%s)\n",
			vreg_type_name(r0, name, sizeof(name)));
		return -EINVAL;
	}
	if (r0->smin == 0 && r0->smax == 0)
		return 0;
	verbose(env, "At async callback return the register R0 has");
	if (r0->smin > INT64_MIN)
		verbose(env, " smin=%lld", (long long)r0->smin);
	if (r0->smax < INT64_MAX)
		verbose(env, " smax=%lld", (long long)r0->smax);
	if (r0->smin == INT64_MIN && r0->smax == INT64_MAX)
		verbose(env, " unknown scalar value");
	verbose(env, " should have been in [0, 0]\n");
	return -EINVAL;
}
