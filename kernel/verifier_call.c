/* verifier_call.c - calls and exits: helper calls checked argument by argument against
 * the prototype table (register kinds, memory + size pairs, map arguments), the return
 * value, acquired references (ringbuf records) and their release, packet pointers
 * invalidated by helpers that change the packet, bpf-to-bpf calls (frames, argument
 * passing) and exits from subprograms and from the program (references, R0 range). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "verifier_attach.h"
#include "verifier_int.h"

#define MAX_VAR_SIZE (1 << 29)

/* What the checked arguments established, for the return value and the release. */
struct call_meta {
	struct emu_map *map;     /* map argument */
	uint32_t ref_obj_id;     /* reference carried by an argument */
	int release_regno;       /* argument released by the call, 0 if none */
	uint64_t mem_size;       /* CONST_ALLOC_SIZE value */
	int64_t const_key;       /* map key known from the stack, -1 if not */
	uint32_t subprogno;      /* HELPER_ARG_FUNC: the callback */
	uint32_t dynptr_ref;     /* HELPER_ARG_DYNPTR: the dynptr's reference */
	int dynptr_regno;        /* HELPER_ARG_DYNPTR(_UNINIT): register of the dynptr */
};

#define CALLBACK_ENOTSUPP 524 /* the kernel's internal ENOTSUPP, as user space sees it */

static const char *const mem_expected =
	"fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";
static const char *const sock_expected = "sock_common, sock, tcp_sock, xdp_sock";
static const char *const sock_release_expected =
	"sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_";

static void func_name(int32_t id, char *buf, size_t size)
{
	const char *name = objfmt_helper_name(id);
	snprintf(buf, size, "%s%s", name ? "bpf_" : "", name ? name : "unknown");
}

static int type_mismatch(struct verifier_env *env, uint32_t regno, const char *expected)
{
	char name[48];
	vreg_type_name(&vcur_regs(env)[regno], name, sizeof(name));
	verbose(env, "R%u type=%s expected=%s\n", regno, name, expected);
	return -EACCES;
}

/* Memory a helper may take; `nullable`: a maybe-NULL one too (kernel check_reg_type
 * lets a PTR_MAYBE_NULL argument take a maybe-NULL register of a listed type). */
static bool is_mem_type_nullable(const struct vreg *reg, bool nullable)
{
	switch (reg->type) {
	case VREG_STACK:
	case VREG_PACKET:
	case VREG_PACKET_META:
	case VREG_MAP_KEY:
	case VREG_MEM:
		return nullable || !(reg->flags & VREG_MAYBE_NULL);
	case VREG_MAP_VALUE: /* not an XSKMAP's (the kernel's xdp_sock) */
		if (reg->map && verifier_map_desc(reg->map)->type == BPF_MAP_TYPE_XSKMAP)
			return false;
		return nullable || !(reg->flags & VREG_MAYBE_NULL);
	default:
		return false;
	}
}

static bool is_mem_type(const struct vreg *reg)
{
	return is_mem_type_nullable(reg, false);
}

static bool is_null_const(const struct vreg *reg)
{
	return reg->type == VREG_SCALAR && tnum_equals_const(reg->var_off, 0);
}

/* Kernel check_helper_mem_access: `size` bytes at the pointer in `regno`. */
int verifier_helper_mem_access(struct verifier_env *env, uint32_t regno, int64_t size,
			       bool write, bool zero_size_ok)
{
	struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	switch (reg->type) {
	case VREG_PACKET:
	case VREG_PACKET_META:
		if (!verifier_may_access_direct_pkt(env, write)) {
			verbose(env, "helper access to the packet is not allowed\n");
			return -EACCES;
		}
		return verifier_check_packet_access(env, regno, reg->off, (int)size, zero_size_ok);
	case VREG_MAP_KEY:
		if (write) {
			vreg_type_name(reg, name, sizeof(name));
			verbose(env, "R%u cannot write into %s\n", regno, name);
			return -EACCES;
		}
		return verifier_check_mem_region(env, regno, reg->off, (int)size,
						 verifier_map_desc(reg->map)->key_size, false,
						 "map key");
	case VREG_MAP_VALUE: {
		const struct emu_map_desc *desc = verifier_map_desc(reg->map);
		if (write && (desc->map_flags & BPF_F_RDONLY_PROG)) {
			verbose(env, "write into map forbidden, value_size=%u off=%d size=%lld\n",
				desc->value_size, reg->off, (long long)size);
			return -EACCES;
		}
		return verifier_check_mem_region(env, regno, reg->off, (int)size,
						 desc->value_size, zero_size_ok, "map value");
	}
	case VREG_MEM:
		if (write && (reg->flags & VREG_RDONLY)) {
			vreg_type_name(reg, name, sizeof(name));
			verbose(env, "R%u cannot write into %s\n", regno, name);
			return -EACCES;
		}
		return verifier_check_mem_region(env, regno, reg->off, (int)size, reg->range,
						 zero_size_ok, "mem");
	case VREG_STACK:
		return verifier_check_stack_range(env, regno, 0, (int)size, zero_size_ok, write,
						  write ? " write to" : " read from");
	case VREG_BTF_ID: /* only read: check_btf_mem_arg refused writing helpers */
		return verifier_btf_helper_access(env, regno, (int)size);
	default:
		if (zero_size_ok && size == 0 && is_null_const(reg))
			return 0;
		vreg_type_name(reg, name, sizeof(name));
		verbose(env, "R%u type=%s expected=fp\n", regno, name);
		return -EACCES;
	}
}

/* Kernel check_mem_size_reg: the size in `regno` bounds the memory in regno - 1. */
static int check_size_arg(struct verifier_env *env, uint32_t regno, uint32_t mem_arg,
			  bool zero_size_ok)
{
	const struct vreg *reg = &vcur_regs(env)[regno];

	if (reg->type != VREG_SCALAR)
		return type_mismatch(env, regno, "scalar");
	if (reg->smin < 0) {
		verbose(env, "R%u min value is negative, either use unsigned or 'var &= const'\n",
			regno);
		return -EACCES;
	}
	if (reg->umin == 0 && !zero_size_ok) {
		verbose(env, "R%u invalid zero-sized read: u64=[%llu,%llu]\n", regno,
			(unsigned long long)reg->umin, (unsigned long long)reg->umax);
		return -EACCES;
	}
	if (reg->umax >= MAX_VAR_SIZE) {
		verbose(env, "R%u unbounded memory access, use 'var &= const' or 'if (var < "
			"const)'\n", regno);
		return -EACCES;
	}
	const struct vreg *mem = &vcur_regs(env)[regno - 1];
	if ((mem_arg & HELPER_ARG_MAYBE_NULL) && is_null_const(mem)) {
		if (reg->umax == 0)
			return 0;
	}
	bool write = (mem_arg & HELPER_ARG_WRITE) != 0;
	if (reg->umin == 0 && reg->umax == 0)
		return verifier_helper_mem_access(env, regno - 1, 0, write, true);
	env->stack_clobber = !tnum_is_const(reg->var_off); /* kernel: no raw mode then */
	int err = verifier_helper_mem_access(env, regno - 1, (int64_t)reg->umax, write,
					     zero_size_ok);
	env->stack_clobber = false;
	return err;
}

static int check_const_str(struct verifier_env *env, uint32_t regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];

	if (reg->type != VREG_MAP_VALUE || (reg->flags & VREG_MAYBE_NULL))
		return type_mismatch(env, regno, "map_value");
	const struct emu_map_desc *desc = verifier_map_desc(reg->map);
	if (!(desc->map_flags & BPF_F_RDONLY_PROG) || !desc->frozen) {
		verbose(env, "R%u does not point to a readonly map'\n", regno);
		return -EACCES;
	}
	if (!tnum_is_const(reg->var_off)) {
		verbose(env, "R%u is not a constant address'\n", regno);
		return -EACCES;
	}
	uint64_t off = reg->var_off.value + (uint64_t)reg->off;
	const char *text = emu_map_direct_value(reg->map, 0);
	if (!text || off >= desc->value_size || !memchr(text + off, 0, desc->value_size - off)) {
		verbose(env, "string is not zero-terminated\n");
		return -EINVAL;
	}
	return 0;
}

/* Kernel get_constant_map_key: a key on the stack whose value is known (zeroed bytes,
 * or a spilled constant of exactly the key's size). -1 when not known. */
static int64_t constant_map_key(struct verifier_env *env, const struct vreg *key,
				uint32_t key_size)
{
	if (key->type != VREG_STACK || !tnum_is_const(key->var_off))
		return -1;
	int64_t stack_off = key->off + (int64_t)key->var_off.value;
	int slot = (int)(-stack_off - 1), spi = slot / 8, off = slot % 8;
	if (stack_off >= 0 || spi >= VERIFIER_STACK_SLOTS)
		return -1;
	const struct vstack_slot *s = &env->cur->frames[key->frameno]->stack[spi];
	uint32_t zero = 0, spill = 0;
	for (int i = off; i >= 0 && s->kind[i] == VSLOT_ZERO; i--)
		zero++;
	if (zero >= key_size)
		return 0;
	if (s->kind[7] != VSLOT_SPILL || s->spill.type != VREG_SCALAR)
		return -1;
	for (int i = off; i >= 0 && s->kind[i] == VSLOT_SPILL; i--)
		spill++;
	if (spill != key_size || !tnum_is_const(s->spill.var_off))
		return -1;
	/* the nullness decision relies on this constant: keep the slot precise */
	if (verifier_mark_precise_slot(env, key->frameno, (uint32_t)spi) < 0)
		return -1;
	return (int64_t)s->spill.var_off.value;
}

/* The map side of check_map_func_compatibility for the XDP redirect maps: the helpers
 * these maps may be passed to (everything else: "cannot pass map_type"). */
static bool redirect_map_allows(uint32_t type, int32_t func)
{
	switch (type) {
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_XSKMAP:
		return func == BPF_FUNC_redirect_map || func == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_CPUMAP:
		return func == BPF_FUNC_redirect_map;
	default:
		return true;
	}
}

static int check_map_arg(struct verifier_env *env, uint32_t regno, struct call_meta *meta,
			 const struct helper_proto *proto)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	if (reg->type != VREG_MAP_PTR || (reg->flags & VREG_MAYBE_NULL))
		return type_mismatch(env, regno, "map_ptr");
	if (meta->map && meta->map != reg->map) { /* bpf_timer_init: the timer's own map */
		verbose(env, "timer pointer in R1 map_uid=0 doesn't match map pointer in R%u "
			"map_uid=0\n", regno);
		return -EINVAL;
	}
	meta->map = reg->map;
	if (proto->id == BPF_FUNC_for_each_map_elem)
		return 0; /* the callback set-up refuses maps it cannot walk, first */
	const struct emu_map_desc *desc = verifier_map_desc(reg->map);
	uint32_t type = desc->type;
	bool ok = proto->map_types ? (type < 32 && (proto->map_types & (1u << type))) :
		  (type != BPF_MAP_TYPE_RINGBUF && type != BPF_MAP_TYPE_PROG_ARRAY &&
		   type != BPF_MAP_TYPE_PERF_EVENT_ARRAY && type != BPF_MAP_TYPE_QUEUE &&
		   type != BPF_MAP_TYPE_STACK);
	ok = ok && redirect_map_allows(type, proto->id);
	/* kernel record_func_map (after the arguments there, before the compatibility
	 * check): a BPF_F_RDONLY_PROG map, such as every DEVMAP, is not changed by helpers */
	if ((desc->map_flags & BPF_F_RDONLY_PROG) &&
	    (proto->id == BPF_FUNC_map_update_elem || proto->id == BPF_FUNC_map_delete_elem ||
	     proto->id == BPF_FUNC_map_push_elem || proto->id == BPF_FUNC_map_pop_elem)) {
		verbose(env, "write into map forbidden\n");
		return -EACCES;
	}
	if (!ok && proto->id == BPF_FUNC_tail_call) { /* kernel record_func_key, no newline */
		verbose(env, "expected prog array map for tail call");
		return -EINVAL;
	}
	if (!ok) {
		char name[64];
		func_name(proto->id, name, sizeof(name));
		verbose(env, "cannot pass map_type %u into func %s#%d\n", type, name, proto->id);
		return -EINVAL;
	}
	return 0;
}

/* A kernel object pointer where memory is expected (kernel mem_types lists
 * PTR_TO_BTF_ID | PTR_TRUSTED): only for helpers that just read it, at a fixed offset.
 * 1: not such a pointer, 0: accepted, else the error. */
static int check_btf_mem_arg(struct verifier_env *env, uint32_t regno, uint32_t arg,
			     const struct helper_proto *proto)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[64], type[48];

	if (reg->type != VREG_BTF_ID || (reg->flags & (VREG_MAYBE_NULL | VREG_RCU)) ||
	    !(reg->flags & VREG_TRUSTED))
		return 1;
	vreg_type_name(reg, type, sizeof(type));
	if (!(arg & HELPER_ARG_RDONLY)) {
		func_name(proto->id, name, sizeof(name));
		verbose(env, "%s() may write into memory pointed by R%u type=%s\n", name, regno,
			type);
		return -EACCES;
	}
	if (!tnum_is_const(reg->var_off) || reg->var_off.value) {
		verbose(env, "variable %s access var_off=(0x%llx; 0x%llx) disallowed\n", type,
			(unsigned long long)reg->var_off.value,
			(unsigned long long)reg->var_off.mask);
		return -EACCES;
	}
	return 0;
}

/* Kernel check_ptr_alignment with strict set (MEM_ALIGNED arguments): the pointer is
 * aligned to `size` whatever its variable part (NET_IP_ALIGN is 0 on x86). */
static int check_arg_alignment(struct verifier_env *env, uint32_t regno, int size)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	struct tnum at = tnum_add(reg->var_off, tnum_const((uint64_t)(int64_t)reg->off));
	const char *desc = reg->type == VREG_STACK ? "stack " : reg->type == VREG_MAP_VALUE ?
			   "value " : reg->type == VREG_MAP_KEY ? "key " : "";
	char tn[48];

	if (size == 1 || tnum_is_aligned(at, (uint64_t)size))
		return 0;
	snprintf(tn, sizeof(tn), "(%#llx; %#llx)", (unsigned long long)reg->var_off.value,
		 (unsigned long long)reg->var_off.mask);
	if (reg->type == VREG_PACKET || reg->type == VREG_PACKET_META)
		verbose(env, "misaligned packet access off 0+%s+%d+0 size %d\n", tn, reg->off,
			size);
	else
		verbose(env, "misaligned %saccess off %s+%d+0 size %d\n", desc, tn, reg->off, size);
	return -EACCES;
}

/* bpf_sk_release's argument: a socket (or kernel struct sock) holding a reference. */
static int check_sock_release_arg(struct verifier_env *env, uint32_t regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];

	if ((reg->flags & (VREG_MAYBE_NULL | VREG_RCU)) ||
	    (!verifier_is_sock_type(reg->type) && reg->type != VREG_BTF_ID))
		return type_mismatch(env, regno, sock_release_expected);
	if (reg->type == VREG_BTF_ID) { /* only struct sock_common and what embeds it */
		verbose(env, "R%u is of type %s but sock_common is expected\n", regno,
			verifier_btf_type_name(reg->range));
		return -EACCES;
	}
	if (!reg->ref_obj_id) {
		verbose(env, "R%u must be referenced when passed to release function\n", regno);
		return -EINVAL;
	}
	return 0;
}

static int check_ptr_arg(struct verifier_env *env, uint32_t regno, uint32_t arg,
			 const struct helper_proto *proto, struct call_meta *meta)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	uint32_t kind = arg & HELPER_ARG_KIND_MASK;
	int err;

	switch (kind) {
	case HELPER_ARG_MAP_KEY:
	case HELPER_ARG_MAP_VALUE:
		if ((err = check_btf_mem_arg(env, regno, arg, proto)) <= 0)
			return err ? err : -EFAULT; /* map args are never read-only */
		if (!is_mem_type(reg))
			return type_mismatch(env, regno, mem_expected);
		if (kind == HELPER_ARG_MAP_KEY) {
			uint32_t key_size = verifier_map_desc(meta->map)->key_size;
			int err = verifier_helper_mem_access(env, regno, key_size, false, false);
			uint32_t type = verifier_map_desc(meta->map)->type;
			if (!err && (type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY))
				meta->const_key = constant_map_key(env, reg, key_size);
			return err;
		}
		return verifier_helper_mem_access(env, regno, verifier_map_desc(meta->map)->value_size,
					 arg & HELPER_ARG_WRITE, false);
	case HELPER_ARG_MEM: /* the size argument checks the access */
		if ((err = check_btf_mem_arg(env, regno, arg, proto)) <= 0)
			return err;
		return is_mem_type_nullable(reg, arg & HELPER_ARG_MAYBE_NULL) ? 0 :
		       type_mismatch(env, regno, mem_expected);
	case HELPER_ARG_FIXED_MEM:
		if ((err = check_btf_mem_arg(env, regno, arg, proto)) < 0)
			return err;
		if (err && !is_mem_type(reg))
			return type_mismatch(env, regno, mem_expected);
		err = verifier_helper_mem_access(env, regno, proto->fixed_size, arg & HELPER_ARG_WRITE,
						 false);
		return err || !(arg & HELPER_ARG_ALIGNED) ? err :
		       check_arg_alignment(env, regno, (int)proto->fixed_size);
	case HELPER_ARG_CTX:
		if (reg->type != VREG_CTX)
			return type_mismatch(env, regno, "ctx");
		if (reg->off || !tnum_equals_const(reg->var_off, 0)) {
			verbose(env, "dereference of modified ctx ptr R%u off=%d disallowed\n", regno,
				reg->off);
			return -EACCES;
		}
		return 0;
	case HELPER_ARG_RINGBUF_MEM:
		if (reg->type != VREG_MEM || !(reg->flags & VREG_RINGBUF) ||
		    (reg->flags & VREG_MAYBE_NULL))
			return type_mismatch(env, regno, "ringbuf_mem");
		if (reg->off || !tnum_equals_const(reg->var_off, 0)) {
			verbose(env, "R%u must have zero offset when passed to release func\n", regno);
			return -EINVAL;
		}
		return 0;
	case HELPER_ARG_CONST_STR:
		return check_const_str(env, regno);
	case HELPER_ARG_FUNC:
		if (reg->type != VREG_FUNC)
			return type_mismatch(env, regno, "func");
		meta->subprogno = reg->subprogno;
		return 0;
	case HELPER_ARG_STACK:
		return reg->type == VREG_STACK ? 0 : type_mismatch(env, regno, "fp");
	case HELPER_ARG_SPIN_LOCK:
		if (reg->type != VREG_MAP_VALUE || (reg->flags & VREG_MAYBE_NULL))
			return type_mismatch(env, regno, "map_value, ptr_");
		return verifier_process_spin_lock(env, regno, proto->id == BPF_FUNC_spin_lock);
	case HELPER_ARG_SOCK_COMMON:
		if (!verifier_is_sock_type(reg->type) || (reg->flags & VREG_MAYBE_NULL))
			return type_mismatch(env, regno, sock_expected);
		return 0;
	case HELPER_ARG_SOCK_RELEASE:
		return check_sock_release_arg(env, regno);
	case HELPER_ARG_TIMER:
		return verifier_timer_arg(env, regno, &meta->map);
	case HELPER_ARG_DYNPTR_UNINIT:
		meta->dynptr_regno = (int)regno;
		return verifier_dynptr_init(env, regno, env->insn_idx);
	case HELPER_ARG_DYNPTR: /* its state is shown after the call too */
		meta->dynptr_regno = (int)regno;
		return verifier_dynptr_arg(env, regno, proto->releases_ref, &meta->dynptr_ref);
	}
	return 0;
}

static int check_arg(struct verifier_env *env, const struct helper_proto *proto, int i,
		     struct call_meta *meta)
{
	uint32_t arg = proto->args[i], kind = arg & HELPER_ARG_KIND_MASK;
	uint32_t regno = (uint32_t)i + 1;
	int err = verifier_check_reg_read(env, regno);
	if (err)
		return err;
	const struct vreg *reg = &vcur_regs(env)[regno];
	if (kind == HELPER_ARG_ANYTHING)
		return 0;
	/* kernel check_func_arg: only helpers marked pkt_access take packet pointers */
	if ((reg->type == VREG_PACKET || reg->type == VREG_PACKET_META) &&
	    (!proto->pkt_access || !verifier_may_access_direct_pkt(env, false))) {
		verbose(env, "helper access to the packet is not allowed\n");
		return -EACCES;
	}
	if (kind == HELPER_ARG_RINGBUF_MEM || kind == HELPER_ARG_SOCK_RELEASE ||
	    (kind == HELPER_ARG_DYNPTR && proto->releases_ref))
		meta->release_regno = (int)regno;
	if (reg->ref_obj_id) {
		if (meta->ref_obj_id) {
			verbose(env, "more than one arg with ref_obj_id R%u %u %u", regno,
				reg->ref_obj_id, meta->ref_obj_id);
			return -EACCES;
		}
		meta->ref_obj_id = reg->ref_obj_id;
	}
	if ((arg & HELPER_ARG_MAYBE_NULL) && is_null_const(reg))
		return 0;
	switch (kind) {
	case HELPER_ARG_CONST_MAP_PTR:
		return check_map_arg(env, regno, meta, proto);
	case HELPER_ARG_CONST_SIZE:
	case HELPER_ARG_CONST_SIZE_OR_ZERO:
		err = check_size_arg(env, regno, proto->args[i - 1],
				     kind == HELPER_ARG_CONST_SIZE_OR_ZERO);
		return err ? err : verifier_mark_precise(env, regno); /* size relied on */
	case HELPER_ARG_CONST_ALLOC_SIZE:
		if (reg->type != VREG_SCALAR)
			return type_mismatch(env, regno, "scalar");
		if (!tnum_is_const(reg->var_off)) {
			verbose(env, "R%u is not a known constant'\n", regno);
			return -EACCES;
		}
		meta->mem_size = reg->var_off.value;
		return verifier_mark_precise(env, regno);
	default:
		return check_ptr_arg(env, regno, arg, proto, meta);
	}
}

int verifier_acquire_ref(struct verifier_env *env, uint32_t insn_idx)
{
	struct vstate *st = env->cur;
	if (st->ref_count == VERIFIER_MAX_REFS) {
		verbose(env, "too many acquired references\n");
		return -ENOMEM;
	}
	uint32_t id = verifier_new_id(env);
	st->refs[st->ref_count++] = (struct vref){ id, insn_idx };
	return (int)id;
}

/* Drop reference `id` and turn every pointer carrying it into an unknown scalar. */
int verifier_release_ref(struct verifier_env *env, uint32_t id)
{
	struct vstate *st = env->cur;
	uint32_t i;
	for (i = 0; i < st->ref_count && st->refs[i].id != id; i++)
		;
	if (i == st->ref_count)
		return -EINVAL;
	memmove(&st->refs[i], &st->refs[i + 1], (st->ref_count - i - 1) * sizeof(st->refs[0]));
	st->ref_count--;
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct vframe *fr = st->frames[f];
		for (int r = 0; r < VERIFIER_REG_COUNT; r++)
			if (fr->regs[r].ref_obj_id == id)
				vreg_mark_unknown(&fr->regs[r]);
		for (uint32_t s = 0; s < fr->allocated / 8; s++)
			if (verifier_slot_is_dynptr(&fr->stack[s]) &&
			    fr->stack[s].spill.ref_obj_id == id) { /* released: invalid again */
				for (int b = 0; b < 8; b++)
					fr->stack[s].kind[b] = VSLOT_INVALID;
				vreg_mark_not_init(&fr->stack[s].spill);
			} else if (fr->stack[s].kind[7] == VSLOT_SPILL &&
				   fr->stack[s].spill.ref_obj_id == id) {
				vreg_mark_unknown(&fr->stack[s].spill);
			}
	}
	return 0;
}

void verifier_clear_packet_pointers(struct verifier_env *env)
{
	struct vstate *st = env->cur;
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct vframe *fr = st->frames[f];
		for (int r = 0; r < VERIFIER_REG_COUNT; r++) {
			enum vreg_type t = fr->regs[r].type;
			if (t == VREG_PACKET || t == VREG_PACKET_META || t == VREG_PACKET_END)
				vreg_mark_unknown(&fr->regs[r]);
		}
		for (uint32_t s = 0; s < fr->allocated / 8; s++) {
			struct vreg *sp = &fr->stack[s].spill;
			if (fr->stack[s].kind[7] == VSLOT_SPILL &&
			    (sp->type == VREG_PACKET || sp->type == VREG_PACKET_META ||
			     sp->type == VREG_PACKET_END))
				vreg_mark_unknown(sp);
		}
	}
}

/* A socket or NULL in r0: a lookup's result holds a new reference (its id, so the
 * NULL branch drops it), a cast's (sk_fullsock, tcp_sock) the argument's. */
static int set_return_sock(struct verifier_env *env, const struct helper_proto *proto,
			   const struct call_meta *meta, uint32_t insn_idx)
{
	struct vreg *r0 = &vcur_regs(env)[0];

	vreg_mark_const(r0, 0);
	r0->type = proto->ret == HELPER_RET_SOCKET_OR_NULL ? VREG_SOCK :
		   proto->ret == HELPER_RET_SOCK_COMMON_OR_NULL ? VREG_SOCK_COMMON : VREG_TCP_SOCK;
	r0->flags = VREG_MAYBE_NULL;
	r0->id = verifier_new_id(env);
	if (proto->acquires_ref) {
		int id = verifier_acquire_ref(env, insn_idx);
		if (id < 0)
			return id;
		r0->id = r0->ref_obj_id = (uint32_t)id;
	} else if (proto->ptr_cast) {
		r0->ref_obj_id = meta->ref_obj_id;
	}
	r0->written = true;
	return 0;
}

static int set_return(struct verifier_env *env, const struct helper_proto *proto,
		      const struct call_meta *meta, uint32_t insn_idx)
{
	struct vreg *r0 = &vcur_regs(env)[0];

	switch (proto->ret) {
	case HELPER_RET_INTEGER:
		vreg_mark_unknown(r0);
		break;
	case HELPER_RET_VOID: /* r0 is not readable after a void helper */
		vreg_mark_not_init(r0);
		return 0;
	case HELPER_RET_MAP_VALUE_OR_NULL: {
		const struct emu_map_desc *desc = verifier_map_desc(meta->map);
		vreg_mark_const(r0, 0);
		if (desc->inner_map_meta) {
			r0->type = VREG_MAP_PTR;
			r0->map = (struct emu_map *)desc->inner_map_meta;
		} else {
			r0->type = VREG_MAP_VALUE;
			r0->map = meta->map;
		}
		/* an array lookup with a known in-range key cannot fail; one id either way,
		 * as the kernel numbers them */
		bool nonnull = (desc->type == BPF_MAP_TYPE_ARRAY ||
				desc->type == BPF_MAP_TYPE_PERCPU_ARRAY) &&
			       meta->const_key >= 0 && (uint64_t)meta->const_key < desc->max_entries;
		r0->flags = nonnull ? 0 : VREG_MAYBE_NULL;
		r0->id = !nonnull || verifier_map_lock_off(meta->map) >= 0 ? verifier_new_id(env) : 0;
		break;
	}
	case HELPER_RET_BTF_ID_TASK: {
		int32_t task = verifier_btf_struct_id("task_struct");
		vreg_mark_unknown(r0);
		if (task > 0) {
			vreg_mark_const(r0, 0);
			r0->type = VREG_BTF_ID;
			r0->flags = VREG_TRUSTED;
			r0->range = (uint32_t)task;
		}
		break;
	}
	case HELPER_RET_SOCKET_OR_NULL:
	case HELPER_RET_SOCK_COMMON_OR_NULL:
	case HELPER_RET_TCP_SOCK_OR_NULL:
		return set_return_sock(env, proto, meta, insn_idx);
	case HELPER_RET_DYNPTR_MEM_OR_NULL: /* dies with the dynptr's reference */
		vreg_mark_const(r0, 0);
		r0->type = VREG_MEM;
		r0->flags = VREG_MAYBE_NULL;
		r0->range = (uint32_t)meta->mem_size;
		r0->id = verifier_new_id(env);
		r0->ref_obj_id = meta->dynptr_ref;
		break;
	case HELPER_RET_RINGBUF_MEM_OR_NULL: {
		vreg_mark_const(r0, 0);
		r0->type = VREG_MEM;
		r0->flags = VREG_MAYBE_NULL | VREG_RINGBUF;
		r0->range = (uint32_t)meta->mem_size;
		r0->id = verifier_new_id(env);
		int id = verifier_acquire_ref(env, insn_idx);
		if (id < 0)
			return id;
		r0->id = r0->ref_obj_id = (uint32_t)id;
		break;
	}
	}
	r0->written = true;
	return 0;
}

bool verifier_is_callback_helper(const struct objfmt_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
	       (insn->imm == BPF_FUNC_loop || insn->imm == BPF_FUNC_for_each_map_elem);
}

/* Whether for_each_map_elem can walk this map (kernel map_set_for_each_callback_args). */
static bool map_has_for_each(const struct emu_map *map)
{
	switch (verifier_map_desc(map)->type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return true;
	default:
		return false;
	}
}

/* The callback's arguments (kernel set_loop_callback_state and
 * set_map_elem_callback_state): loop (index, ctx); for_each (map, key, value, ctx). */
static int set_callback_args(struct verifier_env *env, int32_t id, const struct vframe *caller,
			     struct vframe *callee)
{
	if (id == BPF_FUNC_loop) {
		vreg_mark_unknown(&callee->regs[1]);
		callee->regs[2] = caller->regs[3];
		return 0;
	}
	struct emu_map *map = caller->regs[1].map;
	if (!map_has_for_each(map)) {
		verbose(env, "callback function not allowed for map\n");
		return -CALLBACK_ENOTSUPP;
	}
	callee->regs[1] = caller->regs[1];
	vreg_mark_const(&callee->regs[2], 0);
	callee->regs[2].type = VREG_MAP_KEY;
	callee->regs[2].map = map;
	vreg_mark_const(&callee->regs[3], 0);
	callee->regs[3].type = VREG_MAP_VALUE;
	callee->regs[3].map = map;
	callee->regs[4] = caller->regs[3];
	return 0;
}

/* Kernel push_callback_call: the callback runs on a pushed copy of the state (its exit
 * returns to the call, which may run it again); this path goes on after the call. */
static int push_callback(struct verifier_env *env, int32_t id, uint32_t subprogno,
			 uint32_t insn_idx)
{
	struct vstate *st;

	if (env->cur->curframe + 1 >= VERIFIER_MAX_FRAMES) {
		verbose(env, "the call stack of %u frames is too deep\n", env->cur->curframe + 2);
		return -E2BIG;
	}
	int err = verifier_push_branch(env, env->subprogs[subprogno].start, insn_idx, &st);
	if (err) /* 6.18 push_callback_call: a failed push_stack is ENOMEM */
		return err == -EFAULT ? -ENOMEM : err;
	struct vframe *caller = st->frames[st->curframe];
	struct vframe *callee = calloc(1, sizeof(*callee));
	if (!callee)
		return -ENOMEM;
	st->frames[st->curframe + 1] = callee;
	for (int r = 0; r < VERIFIER_REG_COUNT; r++)
		vreg_mark_not_init(&callee->regs[r]);
	vreg_mark_const(&callee->regs[VERIFIER_FP], 0);
	callee->regs[VERIFIER_FP].type = VREG_STACK;
	callee->regs[VERIFIER_FP].frameno = st->curframe + 1;
	callee->callsite = (int32_t)insn_idx;
	callee->frameno = st->curframe + 1;
	callee->subprogno = subprogno;
	callee->in_callback = true;
	err = set_callback_args(env, id, caller, callee);
	if (err)
		return err;
	for (int r = 1; r <= 5; r++)
		callee->regs[r].written = false;
	st->curframe++;
	st->callback_unroll_depth++;
	caller->callback_depth++;
	vcur_frame(env)->callback_depth = 0;
	return 0;
}

/* bpf_loop runs its callback at most R1 times: stop once that many were explored. */
static int schedule_callback(struct verifier_env *env, int32_t id, const struct call_meta *meta,
			     uint32_t insn_idx)
{
	struct vframe *frame = vcur_frame(env);
	/* the kernel marks R1 precise here; a pointer trips its internal check (6.18) */
	if (id == BPF_FUNC_loop && frame->regs[1].type != VREG_SCALAR) {
		verbose(env, "verifier bug: backtracking misuse\n");
		return -EFAULT;
	}
	if (id == BPF_FUNC_loop && frame->callback_depth >= frame->regs[1].umax) {
		frame->callback_depth = 0;
		if (env->log.level & VLOG_LEVEL2)
			verbose(env, "frame%u bpf_loop iteration limit reached\n", env->cur->curframe);
		return 0;
	}
	return push_callback(env, id, meta->subprogno, insn_idx);
}

#define BPRINTF_MAX_ARGS 12 /* kernel MAX_BPRINTF_VARARGS */

/* Kernel check_bpf_snprintf_call: the data is an array of u64 (another length fails
 * without a message) and the constant format must be valid for that many arguments,
 * checked with the rules the helper formats by. */
static int check_snprintf_format(struct verifier_env *env)
{
	static const uint64_t zeros[BPRINTF_MAX_ARGS];
	const struct vreg *fmt = &vcur_regs(env)[3], *len = &vcur_regs(env)[5];
	uint64_t num_args = len->var_off.value / 8;

	if (len->var_off.value % 8)
		return -EINVAL;
	const struct emu_map_desc *desc = verifier_map_desc(fmt->map);
	uint64_t off = fmt->var_off.value + (uint64_t)fmt->off;
	const char *text = emu_map_direct_value(fmt->map, 0);
	if (num_args > BPRINTF_MAX_ARGS)
		num_args = BPRINTF_MAX_ARGS;
	if (!text || off >= desc->value_size ||
	    emu_helpers_format(NULL, 0, text + off, (uint32_t)(desc->value_size - off), zeros,
			       (uint32_t)num_args) < 0) {
		verbose(env, "Invalid format string\n");
		return -EINVAL;
	}
	return 0;
}

int verifier_check_helper_call(struct verifier_env *env, const struct objfmt_insn *insn,
			       uint32_t insn_idx)
{
	int32_t id = insn->imm;
	const struct helper_proto *proto = helper_proto_get(id);
	struct call_meta meta = { .const_key = -1 };
	char name[64];
	int err;

	env->raw_scratched = 0;
	func_name(id, name, sizeof(name));
	if (!objfmt_helper_name(id)) {
		verbose(env, "invalid func %s#%d\n", name, id);
		return -EINVAL;
	}
	if (!proto || !helper_proto_allowed(proto, env->prog->type)) {
		verbose(env, "program of this type cannot use helper %s#%d\n", name, id);
		return -EINVAL;
	}
	if (!env->prog->gpl_compatible && proto->gpl_only) {
		verbose(env, "cannot call GPL-restricted function from non-GPL compatible "
			"program\n");
		return -EINVAL;
	}
	for (int i = 0; i < 5 && proto->args[i]; i++)
		if ((err = check_arg(env, proto, i, &meta)))
			return err;
	if (meta.release_regno && meta.dynptr_ref)
		meta.ref_obj_id = meta.dynptr_ref;
	if (meta.release_regno) {
		if (!meta.ref_obj_id || verifier_release_ref(env, meta.ref_obj_id)) {
			verbose(env, "func %s#%d reference has not been acquired before\n", name, id);
			return -EINVAL;
		}
	}
	if (id == BPF_FUNC_tail_call && env->cur->ref_count) {
		verbose(env, "tail_call would lead to reference leak\n");
		return -EINVAL;
	}
	if (id == BPF_FUNC_snprintf && (err = check_snprintf_format(env)))
		return err;
	if (verifier_is_callback_helper(insn) && (err = schedule_callback(env, id, &meta, insn_idx)))
		return err;
	if (id == BPF_FUNC_timer_set_callback &&
	    (err = verifier_push_async_callback(env, meta.subprogno, meta.map, insn_idx)))
		return err;
	struct vreg *regs = vcur_regs(env);
	/* helper memory is not shown, but raw-mode stores are (the kernel makes them
	 * byte stores after the argument checks) */
	vcur_frame(env)->stack_scratched = env->raw_scratched;
	if (meta.dynptr_regno) { /* but a new dynptr is */
		const struct vreg *fp = &vcur_regs(env)[meta.dynptr_regno];
		uint32_t spi = (uint32_t)((-(fp->off + (int64_t)fp->var_off.value) - 1) / 8);
		if (fp->frameno == env->cur->curframe)
			vcur_frame(env)->stack_scratched |= (uint64_t)3 << (spi - 1);
	}
	for (int r = 0; r <= 5; r++) {
		vreg_mark_not_init(&regs[r]);
		regs[r].written = r == 0;
	}
	err = set_return(env, proto, &meta, insn_idx);
	if (err)
		return err;
	if (proto->changes_pkt_data)
		verifier_clear_packet_pointers(env);
	return 0;
}

int verifier_check_subprog_call(struct verifier_env *env, const struct objfmt_insn *insn,
				uint32_t *insn_idx)
{
	struct vstate *st = env->cur;
	uint32_t idx = env->insn_idx;
	uint32_t target = (uint32_t)((int64_t)idx + insn->imm + 1);

	if (env->subprogs[env->aux[target].subprogno].is_global)
		return verifier_global_call(env, env->aux[target].subprogno);

	if (st->curframe + 1 >= VERIFIER_MAX_FRAMES) {
		verbose(env, "the call stack of %u frames is too deep\n", st->curframe + 2);
		return -E2BIG;
	}
	struct vframe *caller = st->frames[st->curframe];
	struct vframe *callee = calloc(1, sizeof(*callee));
	if (!callee)
		return -ENOMEM;
	for (int r = 0; r < VERIFIER_REG_COUNT; r++)
		vreg_mark_not_init(&callee->regs[r]);
	for (int r = 1; r <= 5; r++) {
		callee->regs[r] = caller->regs[r];
		callee->regs[r].written = false;
	}
	vreg_mark_const(&callee->regs[VERIFIER_FP], 0);
	callee->regs[VERIFIER_FP].type = VREG_STACK;
	callee->regs[VERIFIER_FP].frameno = st->curframe + 1;
	callee->callsite = (int32_t)idx;
	callee->frameno = st->curframe + 1;
	callee->subprogno = env->aux[target].subprogno;
	for (int r = 0; r <= 5; r++) /* kernel clear_caller_saved_regs: r0-r5 */
		vreg_mark_not_init(&caller->regs[r]);
	st->frames[++st->curframe] = callee;
	*insn_idx = target;
	if (env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2)) {
		verbose(env, "caller:\n");
		verifier_print_frame(env, st, st->curframe - 1);
		verbose(env, "callee:\n");
		verifier_print_frame(env, st, st->curframe);
	}
	return 0;
}

/* Kernel check_return_code: the range R0 must have at program exit, per type. */
static bool return_range(const struct verifier_env *env, int32_t *lo, int32_t *hi,
			 bool *is32)
{
	*is32 = false;
	*lo = 0;
	*hi = 1;
	switch (env->prog->type) {
	case BPF_PROG_TYPE_CGROUP_SKB:
		if (env->prog->expected_attach_type == BPF_CGROUP_INET_EGRESS)
			*hi = 3;
		return true;
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		switch (env->prog->expected_attach_type) {
		case BPF_CGROUP_UDP4_RECVMSG:
		case BPF_CGROUP_UDP6_RECVMSG:
		case 51: /* BPF_CGROUP_UNIX_RECVMSG (UAPI 6.7) */
		case BPF_CGROUP_INET4_GETPEERNAME:
		case BPF_CGROUP_INET6_GETPEERNAME:
		case 52: /* BPF_CGROUP_UNIX_GETPEERNAME */
		case BPF_CGROUP_INET4_GETSOCKNAME:
		case BPF_CGROUP_INET6_GETSOCKNAME:
		case 53: /* BPF_CGROUP_UNIX_GETSOCKNAME */
			*lo = 1;
			break;
		default:
			break;
		}
		return true;
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case 32: /* BPF_PROG_TYPE_NETFILTER: NF_DROP..NF_ACCEPT */
		return true;
	case BPF_PROG_TYPE_RAW_TRACEPOINT: /* a BTF hook only (never, as PROG_LOAD is) */
		*hi = 0;
		return env->prog->attach_btf_id != 0;
	case BPF_PROG_TYPE_LSM:
		return verifier_lsm_return_range(env, lo, hi, is32);
	case BPF_PROG_TYPE_TRACING:
		switch (env->prog->expected_attach_type) {
		case BPF_TRACE_FENTRY:
		case BPF_TRACE_FEXIT:
			*hi = 0;
			return true;
		case BPF_TRACE_ITER:
			return true;
		default: /* tp_btf, fmod_ret: any value */
			return false;
		}
	default:
		return false;
	}
}

static int invalid_scalar(struct verifier_env *env, const struct vreg *r0, const char *where,
			  int32_t lo, int32_t hi);

static int check_return_code(struct verifier_env *env)
{
	const struct vreg *r0 = &vcur_regs(env)[0];
	int32_t lo, hi;
	char name[48];
	bool is32;

	if (!return_range(env, &lo, &hi, &is32))
		return 0;
	if (r0->type != VREG_SCALAR) {
		vreg_type_name(r0, name, sizeof(name));
		verbose(env, "At program exit the register R0 is not a known value (%s)\n", name);
		return -EINVAL;
	}
	int err = verifier_mark_precise(env, 0); /* the range check relies on it */
	if (err)
		return err;
	if (is32 ? r0->s32_min >= lo && r0->s32_max <= hi : r0->smin >= lo && r0->smax <= hi)
		return 0;
	return invalid_scalar(env, r0, "At program exit", lo, hi);
}

/* Kernel verbose_invalid_scalar: R0 outside [lo, hi]. */
static int invalid_scalar(struct verifier_env *env, const struct vreg *r0, const char *where,
			  int32_t lo, int32_t hi)
{
	verbose(env, "%s the register R0 has", where);
	bool unknown = true;
	if (r0->smin > INT64_MIN) {
		verbose(env, " smin=%lld", (long long)r0->smin);
		unknown = false;
	}
	if (r0->smax < INT64_MAX) {
		verbose(env, " smax=%lld", (long long)r0->smax);
		unknown = false;
	}
	if (unknown)
		verbose(env, " unknown scalar value");
	verbose(env, " should have been in [%d, %d]\n", lo, hi);
	return -EINVAL;
}

static int exit_from_subprog(struct verifier_env *env, uint32_t *insn_idx)
{
	struct vstate *st = env->cur;
	struct vframe *callee = st->frames[st->curframe];
	struct vframe *caller = st->frames[st->curframe - 1];
	struct vreg *r0 = &callee->regs[0];

	if (r0->type == VREG_STACK) { /* even one into a caller's frame, as the kernel */
		verbose(env, "cannot return stack pointer to the caller\n");
		return -EINVAL;
	}
	if (callee->in_callback) { /* back to the call, which may run the callback again */
		if (r0->type != VREG_SCALAR) {
			verbose(env, "R0 not a scalar value\n");
			return -EACCES;
		}
		int err = verifier_mark_precise(env, 0);
		if (err)
			return err;
		if (r0->smin < 0 || r0->smax > 1)
			return invalid_scalar(env, r0, "At callback return", 0, 1);
		*insn_idx = (uint32_t)callee->callsite;
	} else {
		caller->regs[0] = *r0;
		caller->regs[0].written = true;
		*insn_idx = (uint32_t)callee->callsite + 1;
	}
	if (env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2)) {
		verbose(env, "returning from callee:\n");
		verifier_print_frame(env, st, st->curframe);
		verbose(env, "to caller at %u:\n", *insn_idx);
		verifier_print_frame(env, st, st->curframe - 1);
	}
	bool in_callback = callee->in_callback;
	free(callee);
	st->frames[st->curframe--] = NULL;
	return in_callback ? verifier_widen_callback(env, *insn_idx) : 0;
}

int verifier_check_exit(struct verifier_env *env, uint32_t *insn_idx, bool *path_done)
{
	/* a static subprogram may return without setting r0: the caller's r0 is then
	 * not readable (the kernel checks r0 only at the program's exit) */
	if (env->cur->curframe > 0)
		return exit_from_subprog(env, insn_idx);
	if (env->cur->lock_held) {
		verbose(env, "BPF_EXIT instruction in main prog cannot be used inside "
			"bpf_spin_lock-ed region\n");
		return -EINVAL;
	}
	if (env->cur->rcu_held) {
		verbose(env, "BPF_EXIT instruction in main prog cannot be used inside "
			"bpf_rcu_read_lock-ed region\n");
		return -EINVAL;
	}
	int err = verifier_check_reg_read(env, 0);
	if (err)
		return err;
	for (uint32_t i = 0; i < env->cur->ref_count; i++)
		verbose(env, "Unreleased reference id=%u alloc_insn=%u\n", env->cur->refs[i].id,
			env->cur->refs[i].insn_idx);
	if (env->cur->ref_count) {
		verbose(env, "BPF_EXIT instruction in main prog would lead to reference leak\n");
		return -EINVAL;
	}
	if (vcur_frame(env)->in_async_callback) {
		err = verifier_async_callback_exit(env);
		*path_done = !err;
		return err;
	}
	if (env->root_subprog) { /* a global subprogram returns a scalar */
		const struct vreg *r0 = &vcur_regs(env)[0];
		char name[48];
		if (r0->type != VREG_SCALAR) {
			vreg_type_name(r0, name, sizeof(name));
			verbose(env, "At subprogram exit the register R0 is not a scalar value (%s)\n",
				name);
			return -EINVAL;
		}
		*path_done = true;
		return 0;
	}
	err = check_return_code(env);
	if (err)
		return err;
	*path_done = true;
	return 0;
}
