/* verifier_lock.c - bpf_spin_lock/unlock as the kernel checks them: the lock is the
 * struct bpf_spin_lock the map's value BTF describes, one lock is held at a time, and
 * while it is held no helper call, exit or direct access to the lock word is allowed. */
#include <errno.h>

#include "map_int.h" /* the lock offset the map side found in the value's BTF */
#include "verifier_int.h"

#define LOCK_SIZE 4 /* sizeof(struct bpf_spin_lock) */

int32_t verifier_map_lock_off(const struct emu_map *map)
{
	/* an inner map template (map-in-map lookups) has no storage file */
	return map->file ? map->file->spin_lock_off : -1;
}

/* Kernel check_map_access: the lock word may not be loaded or stored directly. */
int verifier_check_lock_field(struct verifier_env *env, uint32_t regno, int32_t off, int size)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	int32_t lock_off = verifier_map_lock_off(reg->map);

	if (lock_off < 0)
		return verifier_check_timer_field(env, regno, off, size);
	if (reg->smin + off < (int64_t)lock_off + LOCK_SIZE &&
	    (int64_t)lock_off < (int64_t)reg->umax + off + size) {
		verbose(env, "bpf_spin_lock cannot be accessed directly by load/store\n");
		return -EACCES;
	}
	return verifier_check_timer_field(env, regno, off, size);
}

/* Kernel check_map_prog_compatibility for maps holding a lock. */
int verifier_check_lock_map_use(struct verifier_env *env, const struct emu_map *map)
{
	if (verifier_map_lock_off(map) < 0)
		return 0;
	switch (env->prog->type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
		verbose(env, "socket filter progs cannot use bpf_spin_lock yet\n");
		return -EINVAL;
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
		verbose(env, "tracing progs cannot use bpf_spin_lock yet\n");
		return -EINVAL;
	default:
		return 0;
	}
}

static int lock_location(struct verifier_env *env, uint32_t regno, const struct vreg *reg)
{
	const struct emu_map_desc *desc = verifier_map_desc(reg->map);
	int32_t lock_off = verifier_map_lock_off(reg->map);

	if (!tnum_is_const(reg->var_off)) {
		verbose(env, "R%u doesn't have constant offset. bpf_spin_lock has to be at the "
			"constant offset\n", regno);
		return -EINVAL;
	}
	if (!desc->btf_value_type_id) {
		verbose(env, "map '%s' has to have BTF in order to use bpf_spin_lock\n", desc->name);
		return -EINVAL;
	}
	if (lock_off < 0) {
		verbose(env, "map '%s' has no valid bpf_spin_lock\n", desc->name);
		return -EINVAL;
	}
	int64_t val = (int64_t)reg->var_off.value + reg->off;
	if (val != lock_off) {
		verbose(env, "off %lld doesn't point to 'struct bpf_spin_lock' that is at %d\n",
			(long long)val, lock_off);
		return -EINVAL;
	}
	return 0;
}

/* Kernel process_spin_lock: take (`lock`) or release the lock R`regno` points to. */
int verifier_process_spin_lock(struct verifier_env *env, uint32_t regno, bool lock)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	struct vstate *st = env->cur;
	int err = lock_location(env, regno, reg);

	if (err)
		return err;
	if (lock) {
		if (st->lock_held) {
			verbose(env, "Locking two bpf_spin_locks are not allowed\n");
			return -EINVAL;
		}
		st->lock_held = true;
		st->lock_id = reg->id;
		st->lock_map = reg->map;
		return 0;
	}
	if (!st->lock_held) {
		verbose(env, "bpf_spin_unlock without taking a lock\n");
		return -EINVAL;
	}
	if (st->lock_id != reg->id || st->lock_map != reg->map) {
		verbose(env, "bpf_spin_unlock of different lock\n");
		return -EINVAL;
	}
	st->lock_held = false;
	st->lock_id = 0;
	st->lock_map = NULL;
	return 0;
}
