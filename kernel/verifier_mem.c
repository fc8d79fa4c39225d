/* verifier_mem.c - loads, stores and atomics: the access rules per pointer type (map
 * value and key, sized memory, context, stack, packet), the legacy packet loads, and
 * the register results of loads (zero- or sign-extended scalars, ctx pointer fields). */
#include <errno.h>
#include <string.h>

#include "verifier_int.h"

/* Kernel __check_mem_access: [off, off+size) within [0, mem_size). */
static int mem_in_range(struct verifier_env *env, uint32_t regno, int64_t off, int size,
			uint32_t mem_size, bool zero_size_ok, const char *kind)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	bool size_ok = size > 0 || (size == 0 && zero_size_ok);

	if (size_ok && off >= 0 && size <= (int64_t)mem_size - off)
		return 0;
	if (reg->type == VREG_PACKET || reg->type == VREG_PACKET_META ||
	    reg->type == VREG_PACKET_END)
		verbose(env, "invalid access to packet, off=%lld size=%d, R%u(id=%u,off=%lld,r=%u)\n",
			(long long)off, size, regno, reg->id, (long long)off, mem_size);
	else if (!strcmp(kind, "map key"))
		verbose(env, "invalid access to map key, key_size=%u off=%lld size=%d\n", mem_size,
			(long long)off, size);
	else if (!strcmp(kind, "map value"))
		verbose(env, "invalid access to map value, value_size=%u off=%lld size=%d\n",
			mem_size, (long long)off, size);
	else
		verbose(env, "invalid access to memory, mem_size=%u off=%lld size=%d\n", mem_size,
			(long long)off, size);
	return -EACCES;
}

/* Kernel check_mem_region_access: both ends of the variable offset must be inside. */
int verifier_check_mem_region(struct verifier_env *env, uint32_t regno, int32_t off,
			      int size, uint32_t mem_size, bool zero_size_ok, const char *kind)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	int64_t lo = reg->smin + off;

	if (reg->smin < 0 && (reg->smin == INT64_MIN || lo != (int32_t)lo || lo < 0)) {
		verbose(env, "R%u min value is negative, either use unsigned index or do a if "
			"(index >=0) check.\n", regno);
		return -EACCES;
	}
	if (mem_in_range(env, regno, lo, size, mem_size, zero_size_ok, kind)) {
		verbose(env, "R%u min value is outside of the allowed memory range\n", regno);
		return -EACCES;
	}
	if (reg->umax >= VERIFIER_MAX_VAR_OFF) {
		verbose(env, "R%u unbounded memory access, make sure to bounds check any such "
			"access\n", regno);
		return -EACCES;
	}
	if (mem_in_range(env, regno, (int64_t)reg->umax + off, size, mem_size, zero_size_ok,
			 kind)) {
		verbose(env, "R%u max value is outside of the allowed memory range\n", regno);
		return -EACCES;
	}
	if (reg->type == VREG_MAP_VALUE)
		return verifier_check_lock_field(env, regno, off, size);
	return 0;
}

int verifier_check_packet_access(struct verifier_env *env, uint32_t regno, int32_t off,
				 int size, bool zero_size_ok)
{
	const struct vreg *reg = &vcur_regs(env)[regno];

	if (reg->smin < 0) {
		verbose(env, "R%u min value is negative, either use unsigned index or do a if "
			"(index >=0) check.\n", regno);
		return -EACCES;
	}
	if (VREG_PKT_END_RANGE(reg->range)) { /* at or beyond data_end: nothing to read */
		verbose(env, "R%u offset is outside of the packet\n", regno);
		return -EINVAL;
	}
	if (mem_in_range(env, regno, off, size, reg->range, zero_size_ok, "packet")) {
		verbose(env, "R%u offset is outside of the packet\n", regno);
		return -EACCES;
	}
	return 0;
}

static int ctx_ptr_offset_ok(struct verifier_env *env, const struct vreg *reg,
			     uint32_t regno)
{
	char tn[48];

	if (reg->off < 0) {
		verbose(env, "negative offset ctx ptr R%u off=%d disallowed\n", regno, reg->off);
		return -EACCES;
	}
	if (reg->off) {
		verbose(env, "dereference of modified ctx ptr R%u off=%d disallowed\n", regno,
			reg->off);
		return -EACCES;
	}
	if (!tnum_is_const(reg->var_off) || reg->var_off.value) {
		snprintf(tn, sizeof(tn), "(0x%llx; 0x%llx)", (unsigned long long)reg->var_off.value,
			 (unsigned long long)reg->var_off.mask);
		verbose(env, "variable ctx access var_off=%s disallowed\n", tn);
		return -EACCES;
	}
	return 0;
}

static void mark_loaded_unknown(struct verifier_env *env, int value_regno)
{
	if (value_regno < 0)
		return;
	vreg_mark_unknown(&vcur_regs(env)[value_regno]);
	vcur_regs(env)[value_regno].written = true;
}

/* Kernel bpf_map_direct_read: a load at a constant offset of a frozen read-only array
 * map (.rodata) gives the value stored there (the caller narrows or sign-extends it). */
static bool map_value_known(const struct vreg *reg, int32_t off, int size, uint64_t *value)
{
	const struct emu_map_desc *desc = verifier_map_desc(reg->map);

	if (!tnum_is_const(reg->var_off) || !(desc->map_flags & BPF_F_RDONLY_PROG) ||
	    !desc->frozen)
		return false;
	int64_t at = (int64_t)reg->var_off.value + off;
	const uint8_t *bytes = at >= 0 ? emu_map_direct_value(reg->map, (uint32_t)at) : NULL;
	if (!bytes || (size != 1 && size != 2 && size != 4 && size != 8))
		return false;
	*value = 0;
	for (int i = size; i-- > 0;)
		*value = *value << 8 | bytes[i];
	return true;
}

/* An XSKMAP lookup gives the kernel's PTR_TO_XDP_SOCK: struct bpf_xdp_sock, whose only
 * field is the u32 queue_id, read-only (kernel check_sock_access and
 * bpf_xdp_sock_is_valid_access). */
static int xdp_sock_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			   bool write, int value_regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	int64_t at = (int64_t)reg->off + off;

	if (write) {
		verbose(env, "R%u cannot write into xdp_sock\n", regno);
		return -EACCES;
	}
	if (!tnum_equals_const(reg->var_off, 0) || at != 0 || size != 4) {
		verbose(env, "R%u invalid xdp_sock access off=%lld size=%d\n", regno,
			(long long)at, size);
		return -EACCES;
	}
	mark_loaded_unknown(env, value_regno);
	return 0;
}

static int map_value_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			    bool write, int value_regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	const struct emu_map_desc *desc = verifier_map_desc(reg->map);

	if (desc->type == BPF_MAP_TYPE_XSKMAP)
		return xdp_sock_access(env, regno, off, size, write, value_regno);

	if (write && (desc->map_flags & BPF_F_RDONLY_PROG)) {
		verbose(env, "write into map forbidden, value_size=%u off=%d size=%d\n",
			desc->value_size, off, size);
		return -EACCES;
	}
	if (!write && (desc->map_flags & BPF_F_WRONLY_PROG)) {
		verbose(env, "read from map forbidden, value_size=%u off=%d size=%d\n",
			desc->value_size, off, size);
		return -EACCES;
	}
	int err = verifier_check_mem_region(env, regno, off, size, desc->value_size, false,
					    "map value");
	uint64_t value;
	if (!err && !write && value_regno >= 0 && map_value_known(reg, off, size, &value)) {
		vreg_mark_const(&vcur_regs(env)[value_regno], value);
		vcur_regs(env)[value_regno].written = true;
	} else if (!err && !write) {
		mark_loaded_unknown(env, value_regno);
	}
	return err;
}

static int mem_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
		      bool write, int value_regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	if (reg->flags & VREG_MAYBE_NULL) {
		verbose(env, "R%u invalid mem access '%s'\n", regno,
			vreg_type_name(reg, name, sizeof(name)));
		return -EACCES;
	}
	if (write && (reg->flags & VREG_RDONLY)) {
		verbose(env, "R%u cannot write into %s\n", regno,
			vreg_type_name(reg, name, sizeof(name)));
		return -EACCES;
	}
	int err = verifier_check_mem_region(env, regno, off, size, reg->range, false, "mem");
	if (!err && !write)
		mark_loaded_unknown(env, value_regno);
	return err;
}

static int packet_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			 bool write, int value_regno)
{
	if (write && !verifier_may_access_direct_pkt(env, true)) {
		verbose(env, "cannot write into packet\n");
		return -EACCES;
	}
	int err = verifier_check_packet_access(env, regno, off, size, false);
	if (!err && !write)
		mark_loaded_unknown(env, value_regno);
	return err;
}

static int ctx_access(struct verifier_env *env, uint32_t insn_idx, uint32_t regno,
		      int32_t off, int size, bool write, int value_regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	int err = ctx_ptr_offset_ok(env, reg, regno);
	if (err)
		return err;
	struct vreg *out = (!write && value_regno >= 0) ? &vcur_regs(env)[value_regno] : NULL;
	return verifier_check_ctx_access(env, insn_idx, off, size, write, out);
}

/* Kernel check_generic_ptr_alignment, for accesses that must be aligned (atomics;
 * the stack checks its own alignment). */
static int check_alignment(struct verifier_env *env, const struct vreg *reg, int32_t off,
			   int size)
{
	const char *desc = "";
	char tn[48];

	if (!env->strict_alignment || size == 1 || reg->type == VREG_STACK)
		return 0;
	if (reg->type == VREG_MAP_VALUE)
		desc = "value ";
	else if (reg->type == VREG_MAP_KEY)
		desc = "key ";
	else if (reg->type == VREG_CTX)
		desc = "context ";
	else if (reg->type == VREG_FLOW_KEYS)
		desc = "flow keys ";
	struct tnum at = tnum_add(reg->var_off, tnum_const((uint64_t)(int64_t)(reg->off + off)));
	if (tnum_is_aligned(at, (uint64_t)size))
		return 0;
	if (tnum_is_const(reg->var_off))
		snprintf(tn, sizeof(tn), "%lld", (long long)reg->var_off.value);
	else
		snprintf(tn, sizeof(tn), "(0x%llx; 0x%llx)", (unsigned long long)reg->var_off.value,
			 (unsigned long long)reg->var_off.mask);
	verbose(env, "misaligned %saccess off %s+%d+%d size %d\n", desc, tn, reg->off, off, size);
	return -EACCES;
}

int verifier_check_mem_access(struct verifier_env *env, uint32_t insn_idx, uint32_t regno,
			      int32_t off, int size, bool write, int value_regno,
			      bool sign_ext)
{
	struct vreg *regs = vcur_regs(env);
	const struct vreg *reg = &regs[regno];
	char name[48];
	int err = check_alignment(env, reg, off, size);

	if (err)
		return err;
	off += reg->off;
	if (reg->type == VREG_MAP_VALUE && !(reg->flags & VREG_MAYBE_NULL)) {
		err = map_value_access(env, regno, off, size, write, value_regno);
	} else if (reg->type == VREG_MAP_KEY) {
		if (write) {
			verbose(env, "write to change key R%u not allowed\n", regno);
			return -EACCES;
		}
		err = verifier_check_mem_region(env, regno, off, size,
						verifier_map_desc(reg->map)->key_size, false,
						"map key");
		if (!err)
			mark_loaded_unknown(env, value_regno);
	} else if (reg->type == VREG_MEM) {
		err = mem_access(env, regno, off, size, write, value_regno);
	} else if (reg->type == VREG_CTX) {
		err = ctx_access(env, insn_idx, regno, off - reg->off, size, write, value_regno);
	} else if (reg->type == VREG_STACK) {
		err = verifier_stack_access(env, regno, off, size, write, value_regno, insn_idx);
	} else if (reg->type == VREG_PACKET || reg->type == VREG_PACKET_META) {
		err = packet_access(env, regno, off, size, write, value_regno);
	} else if (reg->type == VREG_BTF_ID && !(reg->flags & VREG_MAYBE_NULL)) {
		err = verifier_btf_access(env, insn_idx, regno, off, size, write, value_regno);
	} else if (verifier_is_sock_type(reg->type) && !(reg->flags & VREG_MAYBE_NULL)) {
		err = verifier_sock_access(env, regno, off, size, write, value_regno);
	} else if (reg->type == VREG_FLOW_KEYS) { /* kernel check_flow_keys_access */
		if (size < 0 || off < 0 || (uint64_t)off + (uint64_t)size >
						    sizeof(struct bpf_flow_keys)) {
			verbose(env, "invalid access to flow keys off=%d size=%d\n", off, size);
			return -EACCES;
		}
		if (!write)
			mark_loaded_unknown(env, value_regno);
	} else {
		vreg_type_name(reg, name, sizeof(name));
		verbose(env, "R%u invalid mem access '%s'\n", regno, name);
		return -EACCES;
	}
	if (err || write || value_regno < 0 || size >= 8)
		return err;
	struct vreg *dst = &regs[value_regno];
	if (dst->type != VREG_SCALAR)
		return 0;
	if (sign_ext && dst->umax >= ((uint64_t)1 << (size * 8 - 1))) {
		dst->id = 0; /* the extension changes the value: no longer the slot's copy */
		dst->off = 0;
	}
	uint32_t id = dst->id;
	int32_t delta = dst->off;
	if (sign_ext)
		vreg_sext(dst, size);
	else
		vreg_cast_size(dst, size);
	dst->id = id; /* a value-preserving fill stays linked to its slot */
	dst->off = delta;
	dst->written = true;
	return 0;
}

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

static int check_ld_abs(struct verifier_env *env, const struct objfmt_insn *insn)
{
	struct vreg *regs = vcur_regs(env);
	uint32_t type = env->prog->type;

	if (type != BPF_PROG_TYPE_SOCKET_FILTER && type != BPF_PROG_TYPE_SCHED_CLS &&
	    type != BPF_PROG_TYPE_SCHED_ACT) {
		verbose(env, "BPF_LD_[ABS|IND] instructions not allowed for this program type\n");
		return -EINVAL;
	}
	if (insn->dst_reg != 0 || insn->off != 0 || BPF_SIZE(insn->code) == BPF_DW ||
	    (BPF_MODE(insn->code) == BPF_ABS && insn->src_reg != 0)) {
		verbose(env, "BPF_LD_[ABS|IND] uses reserved fields\n");
		return -EINVAL;
	}
	if (env->cur->lock_held) {
		verbose(env, "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region\n");
		return -EINVAL;
	}
	if (env->cur->ref_count) {
		verbose(env, "BPF_LD_[ABS|IND] cannot be mixed with socket references\n");
		return -EINVAL;
	}
	if (env->subprog_cnt > 1) {
		verbose(env, "BPF_LD_[ABS|IND] instructions cannot be mixed with bpf-to-bpf calls\n");
		return -EINVAL;
	}
	int err = verifier_check_reg_read(env, 6);
	if (err)
		return err;
	if (regs[6].type != VREG_CTX) {
		verbose(env, "at the time of BPF_LD_ABS|IND R6 != pointer to skb\n");
		return -EINVAL;
	}
	if (BPF_MODE(insn->code) == BPF_IND && (err = verifier_check_reg_read(env, insn->src_reg)))
		return err;
	for (int r = 1; r <= 5; r++)
		vreg_mark_not_init(&regs[r]);
	vreg_mark_unknown(&regs[0]);
	regs[0].written = true;
	vreg_cast_size(&regs[0], size_bytes(insn->code));
	return 0;
}

static bool atomic_target_ok(const struct vreg *reg)
{
	return reg->type == VREG_STACK || reg->type == VREG_MAP_VALUE || reg->type == VREG_MEM ||
	       reg->type == VREG_MAP_KEY || reg->type == VREG_SCALAR ||
	       reg->type == VREG_NOT_INIT;
}

static int check_atomic(struct verifier_env *env, const struct objfmt_insn *insn,
			uint32_t idx)
{
	struct vreg *regs = vcur_regs(env);
	int size = size_bytes(insn->code);
	int err = verifier_check_reg_read(env, insn->src_reg);
	if (!err)
		err = verifier_check_reg_read(env, insn->dst_reg);
	if (!err && insn->imm == BPF_CMPXCHG)
		err = verifier_check_reg_read(env, 0);
	if (err)
		return err;
	if (!atomic_target_ok(&regs[insn->dst_reg])) {
		char name[48];
		vreg_type_name(&regs[insn->dst_reg], name, sizeof(name));
		verbose(env, "BPF_ATOMIC stores into R%u %s is not allowed\n", insn->dst_reg, name);
		return -EACCES;
	}
	int load_reg = -1;
	if (insn->imm & BPF_FETCH)
		load_reg = insn->imm == BPF_CMPXCHG ? 0 : insn->src_reg;
	if (load_reg >= 0 && (err = verifier_check_reg_write(env, (uint32_t)load_reg)))
		return err;
	struct vreg keep_src = regs[insn->src_reg];
	env->strict_alignment = true;
	err = verifier_check_mem_access(env, idx, insn->dst_reg, insn->off, size, false,
					load_reg, false);
	env->strict_alignment = false;
	if (err)
		return err;
	if (load_reg >= 0 && regs[load_reg].type != VREG_SCALAR) {
		/* a spilled pointer was fetched: root reads it as a scalar */
		vreg_mark_unknown(&regs[load_reg]);
		if (size == 4)
			vreg_cast_size(&regs[load_reg], 4);
	}
	struct vreg fetched;
	/* the kernel checks the store after the fetch: when the fetch overwrote the
	 * address register itself, the store goes through the fetched value */
	bool restore = load_reg >= 0 && (uint32_t)load_reg != insn->dst_reg;
	if (restore) {
		fetched = regs[load_reg];
		regs[load_reg] = keep_src;
	}
	/* the store: the slot gets unknown data */
	env->strict_alignment = true;
	err = verifier_check_mem_access(env, idx, insn->dst_reg, insn->off, size, true, -1,
					false);
	env->strict_alignment = false;
	if (restore)
		regs[load_reg] = fetched;
	return err;
}

/* Types an insn may not see both of with another (kernel reg_type_mismatch_ok): the
 * rewrite of such an access depends on the pointer. */
static bool rewritten_type(uint32_t ptr_type)
{
	uint32_t type = (ptr_type & 0xff) - 1;

	return type == VREG_CTX || type == VREG_BTF_ID;
}

/* Kernel save_aux_ptr_type: the memory insn at `idx` went through a `reg` pointer. */
static int save_ptr_type(struct verifier_env *env, uint32_t idx, const struct vreg *reg)
{
	uint32_t type = ((uint32_t)reg->type + 1) | reg->flags << 8;
	uint32_t *prev = &env->aux[idx].ptr_type;

	if (!*prev)
		*prev = type;
	else if (*prev != type && (rewritten_type(type) || rewritten_type(*prev))) {
		verbose(env, "same insn cannot be used with different pointers\n");
		return -EINVAL;
	}
	return 0;
}

int verifier_check_mem_insn(struct verifier_env *env, const struct objfmt_insn *insn,
			    enum objfmt_op op)
{
	uint32_t idx = env->insn_idx;
	uint8_t cls = OBJFMT_CLASS(insn->code);
	int size = size_bytes(insn->code);
	int err;
	(void)op;

	if (cls == BPF_LD)
		return check_ld_abs(env, insn);
	if (cls == BPF_LDX) {
		err = verifier_check_reg_read(env, insn->src_reg);
		if (!err)
			err = verifier_check_reg_write(env, insn->dst_reg);
		if (err)
			return err;
		struct vreg src = vcur_regs(env)[insn->src_reg];
		err = verifier_check_mem_access(env, idx, insn->src_reg, insn->off, size, false,
						insn->dst_reg,
						BPF_MODE(insn->code) == OBJFMT_MODE_MEMSX);
		return err ? err : save_ptr_type(env, idx, &src);
	}
	if (cls == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC)
		return check_atomic(env, insn, idx);
	if (cls == BPF_STX) {
		err = verifier_check_reg_read(env, insn->src_reg);
		if (!err)
			err = verifier_check_reg_read(env, insn->dst_reg);
		if (err)
			return err;
		err = verifier_check_mem_access(env, idx, insn->dst_reg, insn->off, size, true,
						insn->src_reg, false);
		return err ? err : save_ptr_type(env, idx, &vcur_regs(env)[insn->dst_reg]);
	}
	err = verifier_check_reg_read(env, insn->dst_reg);
	if (err)
		return err;
	err = verifier_check_mem_access(env, idx, insn->dst_reg, insn->off, size, true, -1,
					false);
	return err ? err : save_ptr_type(env, idx, &vcur_regs(env)[insn->dst_reg]);
}
