/* verifier_btf.c - pointers to kernel objects (PTR_TO_BTF_ID): a load through one is
 * checked by walking the object's struct in the emulated kernel's BTF (as the kernel's
 * btf_struct_walk), yields a scalar or a further BTF pointer, and runs as a
 * fault-tolerant BPF_PROBE_MEM load; stores are refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kbtf_int.h"
#include "verifier_attach.h"
#include "verifier_int.h"

#define WALK_MAX_DEPTH 32 /* nested struct/array levels (a cyclic BTF ends there) */

int32_t verifier_btf_struct_id(const char *name)
{
	const struct objfmt_btf *btf = emu_kbtf_get();

	return btf ? objfmt_btf__find(btf, OBJFMT_BTF_STRUCT, name) : -1;
}

const char *verifier_btf_type_name(uint32_t id)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *t = btf ? objfmt_btf__type(btf, id) : NULL;

	return t && t->name ? t->name : "";
}

static bool is_composite(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION);
}

/* A bitfield member read whole by an access covering its bytes: a scalar. */
static bool bitfield_covered(const struct objfmt_btf_member *m, uint32_t off, int size)
{
	uint32_t end_bit = m->bit_offset + m->bitfield;

	return off <= m->bit_offset / 8 && (end_bit + 7) / 8 <= off + (uint32_t)size;
}

/* An array member: narrow [moff, moff+msize) to the element holding `off` (arrays of
 * arrays too); *type becomes the element type. */
static void array_element(const struct objfmt_btf *btf, uint32_t off, uint32_t *moff,
			  uint32_t *msize, uint32_t *type)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, *type);

	for (int depth = 0; t && t->kind == OBJFMT_BTF_ARRAY && depth < WALK_MAX_DEPTH; depth++) {
		int64_t elem = objfmt_btf__size(btf, t->array_elem);
		if (elem <= 0 || !t->array_nelems)
			return;
		*moff += (off - *moff) / (uint32_t)elem * (uint32_t)elem;
		*msize = (uint32_t)elem;
		*type = objfmt_btf__resolve(btf, t->array_elem);
		t = objfmt_btf__type(btf, *type);
	}
}

/* Whether pointer type `ptr` points through a __rcu type tag. */
static bool rcu_tagged(const struct objfmt_btf *btf, uint32_t ptr)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, ptr);

	for (int depth = 0; t && depth < WALK_MAX_DEPTH; depth++) {
		t = objfmt_btf__type(btf, t->type);
		if (!t || (t->kind != OBJFMT_BTF_TYPE_TAG && t->kind != OBJFMT_BTF_CONST &&
			   t->kind != OBJFMT_BTF_VOLATILE && t->kind != OBJFMT_BTF_RESTRICT))
			return false;
		if (t->kind == OBJFMT_BTF_TYPE_TAG && t->name && !strcmp(t->name, "rcu"))
			return true;
	}
	return false;
}

/* Flags of a pointer member `member` loaded from a `root_flags` pointer to struct
 * `root` (kernel check_ptr_to_btf_access, non-sleepable programs: in an RCU section):
 * the task_struct members of BTF_TYPE_SAFE_RCU are RCU pointers, other __rcu tagged
 * ones may also be NULL, the rest lose trust. */
static uint32_t loaded_pointer_flags(const struct objfmt_btf *btf, uint32_t root_flags,
				     const char *root, const char *member, uint32_t ptr)
{
	static const char *const safe_rcu_task[] = { "real_parent", "group_leader", "cgroups",
						     "cpus_ptr" };

	if (!(root_flags & (VREG_TRUSTED | VREG_RCU)))
		return 0;
	for (size_t i = 0; !strcmp(root, "task_struct") && i < 4; i++)
		if (!strcmp(member, safe_rcu_task[i]))
			return VREG_RCU;
	return rcu_tagged(btf, ptr) ? VREG_RCU | VREG_MAYBE_NULL : 0;
}

/* Outcome of one member: -1 keep looking, 0 done (*out set), else a negative errno. */
static int walk_member(struct verifier_env *env, const struct objfmt_btf *btf,
		       const struct vreg *src, const struct objfmt_btf_type *st,
		       const struct objfmt_btf_member *m, uint32_t *off, int size, uint32_t *id,
		       bool untrusted, struct vreg *out)
{
	uint32_t moff = m->bit_offset / 8, type = objfmt_btf__resolve(btf, m->type);
	int64_t size64 = objfmt_btf__size(btf, type);
	uint32_t msize = size64 > 0 ? (uint32_t)size64 : 0;

	if (m->bitfield) {
		if (!bitfield_covered(m, *off, size))
			return -1;
		vreg_mark_unknown(out);
		return 0;
	}
	if (*off < moff || *off >= moff + msize)
		return -1;
	uint32_t true_end = moff + msize; /* scalars may span the whole array (skb->cb[]) */
	array_element(btf, *off, &moff, &msize, &type);
	const struct objfmt_btf_type *mt = objfmt_btf__type(btf, type);
	if (is_composite(mt)) { /* descend: the caller walks the inner struct */
		*off -= moff;
		*id = type;
		return 1;
	}
	if (mt && mt->kind == OBJFMT_BTF_PTR)
		true_end = moff + msize;
	if (*off + (uint32_t)size > true_end && !untrusted) { /* a union's scratch: any size */
		verbose(env, "access beyond the end of member %s (mend:%u) in struct %s with off %u size %u\n",
			m->name, true_end, st->name, *off, size);
		return -EACCES;
	}
	if (mt && mt->kind == OBJFMT_BTF_PTR) {
		if (*off != moff || size != 8) {
			verbose(env, "cannot access ptr member %s with moff %u in struct %s with off %u size %u\n",
				m->name, moff, st->name, *off, size);
			return -EACCES;
		}
		uint32_t target = objfmt_btf__resolve(btf, mt->type);
		vreg_mark_unknown(out);
		if (is_composite(objfmt_btf__type(btf, target))) {
			vreg_mark_const(out, 0);
			out->type = VREG_BTF_ID;
			out->range = target;
			out->flags = untrusted ? 0 : /* through a union: no trust */
				     loaded_pointer_flags(btf, src->flags,
							  verifier_btf_type_name(src->range),
							  m->name, type);
			if (out->flags & VREG_MAYBE_NULL)
				out->id = verifier_new_id(env);
		}
		return 0;
	}
	vreg_mark_unknown(out);
	return 0;
}

/* An access past the end of struct `st`: allowed into a trailing flexible array
 * (kernel btf_struct_walk). 0: a scalar, 1: walk on in *id at *off, else an error. */
static int flexible_tail(struct verifier_env *env, const struct objfmt_btf *btf,
			 const struct objfmt_btf_type *st, uint32_t *off, int size, uint32_t *id,
			 struct vreg *out)
{
	const struct objfmt_btf_member *last = st->vlen ? &st->members[st->vlen - 1] : NULL;
	const struct objfmt_btf_type *arr = last ?
		objfmt_btf__type(btf, objfmt_btf__resolve(btf, last->type)) : NULL;
	if (arr && arr->kind == OBJFMT_BTF_ARRAY && !arr->array_nelems &&
	    *off >= last->bit_offset / 8) {
		uint32_t elem_id = objfmt_btf__resolve(btf, arr->array_elem);
		const struct objfmt_btf_type *elem = objfmt_btf__type(btf, elem_id);
		if (elem && elem->kind == OBJFMT_BTF_INT) {
			vreg_mark_unknown(out);
			return 0;
		}
		if (is_composite(elem) && elem->size) {
			*off = (*off - last->bit_offset / 8) % elem->size;
			*id = elem_id;
			return 1;
		}
	}
	verbose(env, "access beyond struct %s at off %u size %u\n", st->name, *off, size);
	return -EACCES;
}

/* Kernel btf_struct_walk: what an access of `size` bytes at `off` in the struct `src`
 * points to reads. Inside a union of several members nothing is trusted, and a
 * scalar may extend past its member. */
static int struct_walk(struct verifier_env *env, const struct vreg *src, uint32_t off,
		       int size, struct vreg *out)
{
	uint32_t id = src->range;
	const struct objfmt_btf *btf = emu_kbtf_get();
	bool untrusted = false;

	for (int depth = 0; btf && depth < WALK_MAX_DEPTH; depth++) {
		const struct objfmt_btf_type *st = objfmt_btf__type(btf, id);
		if (!is_composite(st)) {
			verbose(env, "Type '%s' is not a struct\n", st && st->name ? st->name : "");
			return -EINVAL;
		}
		if (st->kind == OBJFMT_BTF_UNION && st->vlen != 1)
			untrusted = true;
		if (off + (uint32_t)size > st->size) {
			int tail = flexible_tail(env, btf, st, &off, size, &id, out);
			if (tail == 1)
				continue;
			return tail;
		}
		int ret = -1;
		for (uint32_t i = 0; i < st->vlen && ret < 0; i++) {
			ret = walk_member(env, btf, src, st, &st->members[i], &off, size, &id,
					  untrusted, out);
			if (ret < -1)
				return ret;
		}
		if (ret == 0)
			return 0;
		if (ret < 0) {
			verbose(env, "struct %s doesn't have field at offset %u\n", st->name, off);
			return -EINVAL;
		}
	}
	verbose(env, "kernel BTF is missing\n");
	return -EINVAL;
}

int verifier_btf_access(struct verifier_env *env, uint32_t insn_idx, uint32_t regno,
			int32_t off, int size, bool write, int value_regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	const char *name = verifier_btf_type_name(reg->range);
	struct vreg result = { 0 };
	char tn[48];

	if (off < 0) {
		verbose(env, "R%u is ptr_%s invalid negative access: off=%d\n", regno, name, off);
		return -EACCES;
	}
	if (!tnum_is_const(reg->var_off) || reg->var_off.value) {
		snprintf(tn, sizeof(tn), "(0x%llx; 0x%llx)", (unsigned long long)reg->var_off.value,
			 (unsigned long long)reg->var_off.mask);
		verbose(env, "R%u is ptr_%s invalid variable offset: off=%d, var_off=%s\n", regno,
			name, off, tn);
		return -EACCES;
	}
	if (reg->flags & VREG_PERCPU) { /* only through bpf_this_cpu_ptr/bpf_per_cpu_ptr */
		verbose(env, "R%u is ptr_%s access percpu memory: off=%d\n", regno, name, off);
		return -EACCES;
	}
	if (write) {
		verbose(env, "only read is supported\n");
		return -EACCES;
	}
	int err = struct_walk(env, reg, (uint32_t)off, size, &result);
	if (err)
		return err;
	env->aux[insn_idx].probe_mem = true;
	if (value_regno >= 0) {
		struct vreg *dst = &vcur_regs(env)[value_regno];
		*dst = result;
		dst->written = true;
	}
	return 0;
}

/* Kernel check_helper_mem_access for PTR_TO_BTF_ID: a helper reads `size` bytes at
 * the pointer's fixed offset, walked like a load of that size (one member, or within
 * an array of scalars). */
int verifier_btf_helper_access(struct verifier_env *env, uint32_t regno, int size)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	struct vreg result = { 0 };

	if (reg->off < 0) {
		verbose(env, "R%u is ptr_%s invalid negative access: off=%d\n", regno,
			verifier_btf_type_name(reg->range), reg->off);
		return -EACCES;
	}
	return struct_walk(env, reg, (uint32_t)reg->off, size, &result);
}

/* The FUNC_PROTO of a tracing program's hook: a FUNC (fentry/fexit), or for tp_btf the
 * typedef btf_trace_<name> = pointer to a proto whose first parameter (void *__data)
 * is not a program argument (*skip = 1). NULL when there is none. */
static const struct objfmt_btf_type *hook_proto(const struct objfmt_btf *btf,
						const struct emu_prog *prog, uint32_t *skip)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, prog->attach_btf_id);

	*skip = 0;
	if (t && t->kind == OBJFMT_BTF_TYPEDEF) {
		t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, t->type));
		if (!t || t->kind != OBJFMT_BTF_PTR)
			return NULL;
		*skip = 1;
	} else if (!t || t->kind != OBJFMT_BTF_FUNC) {
		return NULL;
	}
	t = objfmt_btf__type(btf, t->type);
	return t && t->kind == OBJFMT_BTF_FUNC_PROTO ? t : NULL;
}

bool verifier_btf_ctx_arg(struct verifier_env *env, int32_t off, int size, struct vreg *out)
{
	const struct emu_prog *prog = env->prog;
	const struct objfmt_btf *btf;
	uint32_t skip;

	/* the kernel's BTF only for a tracing program's arguments: decoding it costs more
	 * than verifying a socket filter */
	if (prog->type != BPF_PROG_TYPE_TRACING || !prog->attach_btf_id || size != 8 ||
	    off < 0 || off % 8 || !(btf = emu_kbtf_get()))
		return false;
	const struct objfmt_btf_type *proto = hook_proto(btf, prog, &skip);
	uint32_t arg = (uint32_t)off / 8 + skip;
	if (!proto || arg >= proto->vlen)
		return false; /* fexit's return value, or no such argument: a scalar */
	const struct objfmt_btf_type *t =
		objfmt_btf__type(btf, objfmt_btf__resolve(btf, proto->members[arg].type));
	if (!t || t->kind != OBJFMT_BTF_PTR)
		return false;
	uint32_t target = objfmt_btf__resolve(btf, t->type);
	if (!is_composite(objfmt_btf__type(btf, target)))
		return false; /* void and int pointers read as scalars (is_void_or_int_ptr) */
	vreg_mark_const(out, 0);
	out->type = VREG_BTF_ID;
	out->flags = VREG_TRUSTED;
	out->range = target;
	/* most iterator objects after the meta argument and some tracepoint arguments
	 * may be NULL (PTR_TO_BTF_ID_OR_NULL, raw_tp_null_args) */
	if (verifier_iter_arg_may_be_null(env, arg) ||
	    verifier_tp_arg_may_be_null(env, arg - skip)) {
		out->flags |= VREG_MAYBE_NULL;
		out->id = verifier_new_id(env);
	}
	return true;
}
