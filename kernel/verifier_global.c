/* verifier_global.c - global (non-static) functions: found from BTF func_info, their
 * arguments typed from the prototype and its "arg:" decl tags (kernel
 * btf_prepare_func_args), checked at each call (btf_check_func_arg_match), verified
 * once on their own from an entry state built from those types, and only if called. */
#include <errno.h>
#include <string.h>

#include "verifier_int.h"

#define TYPE_DEPTH_MAX 32 /* modifier chains followed (a cyclic BTF stops there) */

/* "arg:" decl tags (kernel ARG_TAG_*). */
enum {
	ARG_TAG_CTX = 1u << 0,
	ARG_TAG_NONNULL = 1u << 1,
	ARG_TAG_TRUSTED = 1u << 2,
	ARG_TAG_UNTRUSTED = 1u << 3,
	ARG_TAG_NULLABLE = 1u << 4,
	ARG_TAG_ARENA = 1u << 5,
};

/* The struct a program type's ctx argument points to (kernel bpf_types.h), "" when the
 * type has none (only `void *ctx __arg_ctx` works there). */
static const char *ctx_struct_name(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
		return "__sk_buff";
	case BPF_PROG_TYPE_XDP: return "xdp_md";
	case BPF_PROG_TYPE_KPROBE: return "pt_regs";
	case BPF_PROG_TYPE_PERF_EVENT: return "bpf_perf_event_data";
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE: return "bpf_raw_tracepoint_args";
	case BPF_PROG_TYPE_CGROUP_SOCK: return "bpf_sock";
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR: return "bpf_sock_addr";
	case BPF_PROG_TYPE_SOCK_OPS: return "bpf_sock_ops";
	case BPF_PROG_TYPE_CGROUP_DEVICE: return "bpf_cgroup_dev_ctx";
	case BPF_PROG_TYPE_SK_MSG: return "sk_msg_md";
	case BPF_PROG_TYPE_CGROUP_SYSCTL: return "bpf_sysctl";
	case BPF_PROG_TYPE_CGROUP_SOCKOPT: return "bpf_sockopt";
	case BPF_PROG_TYPE_SK_REUSEPORT: return "sk_reuseport_md";
	case BPF_PROG_TYPE_SK_LOOKUP: return "bpf_sk_lookup";
	case 32: return "bpf_nf_ctx"; /* BPF_PROG_TYPE_NETFILTER */
	default: return "";
	}
}

static bool is_modifier(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_TYPEDEF || t->kind == OBJFMT_BTF_VOLATILE ||
		     t->kind == OBJFMT_BTF_CONST || t->kind == OBJFMT_BTF_RESTRICT ||
		     t->kind == OBJFMT_BTF_TYPE_TAG);
}

/* Type `id` with typedefs and qualifiers skipped; NULL for void. */
static const struct objfmt_btf_type *skip_modifiers(const struct objfmt_btf *btf, uint32_t id,
						    uint32_t *out_id)
{
	const struct objfmt_btf_type *t = id ? objfmt_btf__type(btf, id) : NULL;
	for (int depth = 0; is_modifier(t) && depth < TYPE_DEPTH_MAX; depth++) {
		id = t->type;
		t = id ? objfmt_btf__type(btf, id) : NULL;
	}
	if (out_id)
		*out_id = id;
	return t;
}

static bool is_struct(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION);
}

static bool is_scalar_type(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_INT || t->kind == OBJFMT_BTF_ENUM ||
		     t->kind == 19 /* ENUM64 */);
}

/* Kernel btf_type_str: the kind as a word for messages. */
static const char *kind_word(const struct objfmt_btf_type *t)
{
	static const char *const words[] = {
		"UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
		"VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT",
		"DECL_TAG", "TYPE_TAG", "ENUM64",
	};
	if (!t)
		return "UNKNOWN"; /* void, as the kernel's btf_type_str words it */
	return (unsigned)t->kind < sizeof(words) / sizeof(words[0]) ? words[t->kind] : "UNKNOWN";
}

/* The "arg:" decl tags of parameter `arg` of BTF function `func_id`. */
static int arg_tags(struct verifier_env *env, uint32_t func_id, uint32_t arg, uint32_t *tags)
{
	static const struct { const char *name; uint32_t bit; } known[] = {
		{ "ctx", ARG_TAG_CTX }, { "trusted", ARG_TAG_TRUSTED },
		{ "untrusted", ARG_TAG_UNTRUSTED }, { "nonnull", ARG_TAG_NONNULL },
		{ "nullable", ARG_TAG_NULLABLE }, { "arena", ARG_TAG_ARENA },
	};
	const struct objfmt_btf *btf = env->prog->btf;
	uint32_t count = objfmt_btf__type_count(btf);

	*tags = 0;
	for (uint32_t id = 1; id <= count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		if (!t || t->kind != OBJFMT_BTF_DECL_TAG || t->type != func_id ||
		    t->component_idx != (int32_t)arg || !t->name || strncmp(t->name, "arg:", 4))
			continue;
		size_t k;
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (!strcmp(t->name + 4, known[k].name))
				break;
		if (k == sizeof(known) / sizeof(known[0])) {
			verbose(env, "arg#%u has unsupported set of tags\n", arg);
			return -EOPNOTSUPP;
		}
		*tags |= known[k].bit;
	}
	return 0;
}

/* Kernel btf_is_prog_ctx_type: a pointer to the program type's ctx struct (sk_buff and
 * xdp_buff count for their projections __sk_buff and xdp_md). */
static bool is_prog_ctx_pointer(const struct verifier_env *env, const struct objfmt_btf_type *ptr)
{
	const struct objfmt_btf *btf = env->prog->btf;
	const char *ctx = ctx_struct_name(env->prog->type);

	if (env->prog->type == BPF_PROG_TYPE_KPROBE) { /* the typedef counts before skipping */
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, ptr->type);
		for (int depth = 0; is_modifier(t) && depth < TYPE_DEPTH_MAX; depth++) {
			if (t->kind == OBJFMT_BTF_TYPEDEF && t->name &&
			    !strcmp(t->name, "bpf_user_pt_regs_t"))
				return true;
			t = objfmt_btf__type(btf, t->type);
		}
	}
	const struct objfmt_btf_type *t = skip_modifiers(btf, ptr->type, NULL);
	if (!is_struct(t) || !t->name || !*ctx)
		return false;
	return !strcmp(t->name, ctx) ||
	       (!strcmp(ctx, "__sk_buff") && !strcmp(t->name, "sk_buff")) ||
	       (!strcmp(ctx, "xdp_md") && !strcmp(t->name, "xdp_buff"));
}

/* Kernel btf_validate_prog_ctx_type for an `__arg_ctx` parameter. */
static int validate_tagged_ctx(struct verifier_env *env, const struct objfmt_btf_type *ptr,
			       uint32_t arg)
{
	const struct objfmt_btf *btf = env->prog->btf;
	const struct objfmt_btf_type *t = skip_modifiers(btf, ptr->type, NULL);
	const char *ctx = ctx_struct_name(env->prog->type);

	if (!t) /* void *ctx __arg_ctx: always valid */
		return 0;
	if (!t->name || !*t->name) {
		verbose(env, "arg#%u type doesn't have a name\n", arg);
		return -EINVAL;
	}
	if ((env->prog->type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	     env->prog->type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE) &&
	    t->kind == OBJFMT_BTF_INT && t->size == 8)
		return 0;
	if (!*ctx) {
		verbose(env, "arg#%u should be void pointer\n", arg);
		return -EINVAL;
	}
	if (!is_struct(t) || strcmp(t->name, ctx)) {
		verbose(env, "arg#%u should be `struct %s *`\n", arg, ctx);
		return -EINVAL;
	}
	return 0;
}

/* `__arg_trusted`: the pointee must be a struct the kernel's BTF knows by name. */
static int trusted_arg(struct verifier_env *env, const struct objfmt_btf_type *ptr, uint32_t arg,
		       uint32_t tags, struct vglobal_arg *out)
{
	const struct objfmt_btf_type *t = skip_modifiers(env->prog->btf, ptr->type, NULL);
	if (tags & ~(ARG_TAG_TRUSTED | ARG_TAG_NULLABLE)) {
		verbose(env, "arg#%u has invalid combination of tags\n", arg);
		return -EINVAL;
	}
	/* found by name and kind in the kernel's BTF (a forward declaration never is) */
	int32_t id = t && t->kind == OBJFMT_BTF_STRUCT && t->name ? verifier_btf_struct_id(t->name)
								 : -1;
	if (id <= 0) {
		verbose(env, "arg#%u reference type('%s %s') has no matches\n", arg, kind_word(t),
			t && t->name ? t->name : "");
		return -ENOENT;
	}
	out->kind = VGLOBAL_ARG_BTF_ID;
	out->btf_id = (uint32_t)id;
	out->nullable = (tags & ARG_TAG_NULLABLE) != 0;
	return 0;
}

/* One parameter of a global function: its kind from the tags and the BTF type. */
static int prepare_arg(struct verifier_env *env, uint32_t func_id, uint32_t type_id,
		       uint32_t arg, struct vglobal_arg *out)
{
	const struct objfmt_btf *btf = env->prog->btf;
	uint32_t tags;
	int err = arg_tags(env, func_id, arg, &tags);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	const struct objfmt_btf_type *t = skip_modifiers(btf, type_id, NULL);
	if (!t || t->kind != OBJFMT_BTF_PTR) {
		if (tags) {
			verbose(env, "arg#%u has pointer tag, but is not a pointer type\n", arg);
			return -EINVAL;
		}
		if (is_scalar_type(t)) {
			out->kind = VGLOBAL_ARG_SCALAR;
			return 0;
		}
		verbose(env, "Arg#%u type %s in %s() is not supported yet.\n", arg, kind_word(t),
			objfmt_btf__type(btf, func_id)->name);
		return -EINVAL;
	}
	if ((tags & ARG_TAG_CTX) || is_prog_ctx_pointer(env, t)) {
		if (tags & ~ARG_TAG_CTX) {
			verbose(env, "arg#%u has invalid combination of tags\n", arg);
			return -EINVAL;
		}
		if ((tags & ARG_TAG_CTX) && validate_tagged_ctx(env, t, arg))
			return -EINVAL;
		out->kind = VGLOBAL_ARG_CTX;
		return 0;
	}
	if (tags & ARG_TAG_TRUSTED)
		return trusted_arg(env, t, arg, tags, out);
	if (tags & (ARG_TAG_UNTRUSTED | ARG_TAG_ARENA)) {
		verbose(env, "arg#%u untrusted and arena pointers are not supported here\n", arg);
		return -EOPNOTSUPP;
	}
	if (tags & ARG_TAG_NULLABLE) {
		verbose(env, "arg#%u has invalid combination of tags\n", arg);
		return -EINVAL;
	}
	uint32_t pointee;
	const struct objfmt_btf_type *ref = skip_modifiers(btf, t->type, &pointee);
	int64_t size = ref ? objfmt_btf__size(btf, pointee) : -1;
	if (!ref || size < 0 || ref->kind == OBJFMT_BTF_FWD || ref->kind == OBJFMT_BTF_FUNC_PROTO) {
		verbose(env, "arg#%u reference type('%s %s') size cannot be determined: %d\n", arg,
			kind_word(ref), ref && ref->name ? ref->name : "", -EINVAL);
		return -EINVAL;
	}
	out->kind = VGLOBAL_ARG_MEM;
	out->size = (uint32_t)size;
	out->nullable = !(tags & ARG_TAG_NONNULL);
	return 0;
}

/* Kernel btf_prepare_func_args for global subprogram `s` (cached once it succeeds;
 * a failure is reported again at every call, as the kernel does). */
int verifier_global_prepare(struct verifier_env *env, uint32_t s)
{
	struct vsubprog *sp = &env->subprogs[s];
	const struct objfmt_btf *btf = env->prog->btf;

	if (sp->args_ready)
		return 0;
	const struct objfmt_btf_type *func = objfmt_btf__type(btf, sp->btf_func_id);
	const struct objfmt_btf_type *proto = func ? objfmt_btf__type(btf, func->type) : NULL;
	if (!proto || proto->kind != OBJFMT_BTF_FUNC_PROTO) {
		verbose(env, "Invalid type of function %s()\n", sp->name);
		return -EFAULT;
	}
	if (proto->vlen > 5) {
		verbose(env, "Global function %s() with %u > 5 args. Buggy compiler.\n", sp->name,
			proto->vlen);
		return -EINVAL;
	}
	if (!is_scalar_type(skip_modifiers(btf, proto->type, NULL))) {
		verbose(env, "Global function %s() doesn't return scalar. Only those are "
			"supported.\n", sp->name);
		return -EINVAL;
	}
	for (uint32_t a = 0; a < proto->vlen; a++) {
		int err = prepare_arg(env, sp->btf_func_id, proto->members[a].type, a, &sp->args[a]);
		if (err)
			return err;
	}
	sp->nargs = proto->vlen;
	sp->args_ready = true;
	return 0;
}

/* Subprograms whose BTF FUNC (func_info) has global linkage. */
int verifier_find_global_subprogs(struct verifier_env *env)
{
	const struct emu_prog *prog = env->prog;

	if (!prog->func_info || !prog->btf || prog->func_info_rec_size < sizeof(struct bpf_func_info))
		return 0;
	for (uint32_t i = 0; i < prog->func_info_cnt; i++) {
		const struct bpf_func_info *fi = (const void *)((const char *)prog->func_info +
							       (size_t)i * prog->func_info_rec_size);
		const struct objfmt_btf_type *func = objfmt_btf__type(prog->btf, fi->type_id);
		if (!func || func->kind != OBJFMT_BTF_FUNC || func->linkage != OBJFMT_BTF_FUNC_GLOBAL ||
		    fi->insn_off >= env->insn_cnt)
			continue;
		uint32_t s = env->aux[fi->insn_off].subprogno;
		if (!s || env->subprogs[s].start != fi->insn_off)
			continue;
		struct vsubprog *sp = &env->subprogs[s];
		sp->is_global = true;
		sp->name = func->name;
		sp->btf_func_id = fi->type_id;
	}
	return 0;
}

/* Kernel __check_ptr_off_reg for an argument that must point at its object's start. */
static int check_zero_offset(struct verifier_env *env, uint32_t regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	vreg_type_name(reg, name, sizeof(name));
	if (reg->off) {
		verbose(env, "dereference of modified %s ptr R%u off=%d disallowed\n", name, regno,
			reg->off);
		return -EACCES;
	}
	if (!tnum_is_const(reg->var_off) || reg->var_off.value) {
		verbose(env, "variable %s access var_off=(0x%llx; 0x%llx) disallowed\n", name,
			(unsigned long long)reg->var_off.value,
			(unsigned long long)reg->var_off.mask);
		return -EACCES;
	}
	return 0;
}

/* Kernel check_func_arg_reg_off(ARG_DONTCARE): memory pointers may carry offsets. */
static int check_arg_offset(struct verifier_env *env, uint32_t regno)
{
	const struct vreg *reg = &vcur_regs(env)[regno];

	switch (reg->type) {
	case VREG_STACK:
	case VREG_PACKET:
	case VREG_PACKET_META:
	case VREG_MAP_KEY:
	case VREG_SCALAR:
		return 0;
	case VREG_MAP_VALUE:
	case VREG_MEM:
		return (reg->flags & VREG_MAYBE_NULL) ? check_zero_offset(env, regno) : 0;
	case VREG_BTF_ID:
		return (reg->flags & VREG_MAYBE_NULL) ? check_zero_offset(env, regno) : 0;
	default:
		return check_zero_offset(env, regno);
	}
}

/* Kernel check_mem_reg: `size` bytes readable and writable behind the pointer (a
 * NULL constant passes; a maybe-NULL pointer is checked as if it were not NULL). */
static int check_mem_arg(struct verifier_env *env, uint32_t regno, uint32_t size)
{
	struct vreg *reg = &vcur_regs(env)[regno];

	if (reg->type == VREG_SCALAR && tnum_equals_const(reg->var_off, 0))
		return 0;
	uint32_t flags = reg->flags;
	reg->flags &= ~VREG_MAYBE_NULL;
	int err = verifier_helper_mem_access(env, regno, size, false, true);
	env->stack_clobber = true; /* not raw mode: check_mem_reg passes no meta */
	if (!err)
		err = verifier_helper_mem_access(env, regno, size, true, true);
	env->stack_clobber = false;
	reg->flags = flags;
	return err;
}

/* Kernel check_reg_type for ARG_PTR_TO_BTF_ID: a kernel object pointer of that type. */
static int check_btf_arg(struct verifier_env *env, uint32_t regno, const struct vglobal_arg *arg)
{
	const struct vreg *reg = &vcur_regs(env)[regno];
	char name[48];

	if (arg->nullable && reg->type == VREG_SCALAR && tnum_equals_const(reg->var_off, 0))
		return 0;
	if (reg->type != VREG_BTF_ID) {
		verbose(env, "R%u type=%s expected=ptr_, trusted_ptr_, rcu_ptr_\n", regno,
			vreg_type_name(reg, name, sizeof(name)));
		return -EACCES;
	}
	if ((reg->flags & VREG_MAYBE_NULL) && !arg->nullable) {
		verbose(env, "Possibly NULL pointer passed to helper arg%u\n", regno);
		return -EACCES;
	}
	if (reg->range != arg->btf_id || reg->off) {
		verbose(env, "R%u is of type %s but %s is expected\n", regno,
			verifier_btf_type_name(reg->range), verifier_btf_type_name(arg->btf_id));
		return -EACCES;
	}
	return check_arg_offset(env, regno);
}

static int check_one_arg(struct verifier_env *env, uint32_t a, const struct vglobal_arg *arg)
{
	uint32_t regno = a + 1;
	const struct vreg *reg = &vcur_regs(env)[regno];
	int err;

	switch (arg->kind) {
	case VGLOBAL_ARG_SCALAR:
		if (reg->type == VREG_SCALAR)
			return 0;
		verbose(env, "R%u is not a scalar\n", regno);
		return -EINVAL;
	case VGLOBAL_ARG_CTX:
		if ((err = check_arg_offset(env, regno)))
			return err;
		if (reg->type == VREG_CTX)
			return 0;
		verbose(env, "arg#%u expects pointer to ctx\n", a);
		return -EINVAL;
	case VGLOBAL_ARG_MEM:
		if ((err = check_arg_offset(env, regno)))
			return err;
		if (check_mem_arg(env, regno, arg->size))
			return -EINVAL;
		if (!arg->nullable && (reg->flags & VREG_MAYBE_NULL)) {
			verbose(env, "arg#%u is expected to be non-NULL\n", a);
			return -EINVAL;
		}
		return 0;
	case VGLOBAL_ARG_BTF_ID:
		return check_btf_arg(env, regno, arg);
	}
	return -EFAULT;
}

/* Whether subprogram `s` or one it calls may change packet data (kernel
 * mark_subprog_changes_pkt_data, propagated to callers): calls of global functions
 * then invalidate the caller's packet pointers. `seen` bounds the walk. */
static bool changes_pkt_data(const struct verifier_env *env, uint32_t s, uint8_t *seen)
{
	if (seen[s])
		return false;
	seen[s] = 1;
	for (uint32_t i = env->subprogs[s].start; i < env->subprogs[s].end; i++) {
		const struct objfmt_insn *insn = &env->insns[i];
		if (insn->code != (BPF_JMP | BPF_CALL))
			continue;
		if (insn->src_reg == 0) {
			const struct helper_proto *proto = helper_proto_get(insn->imm);
			if (proto && proto->changes_pkt_data)
				return true;
		} else if (insn->src_reg == BPF_PSEUDO_CALL) {
			int64_t target = (int64_t)i + insn->imm + 1;
			if (target >= 0 && target < env->insn_cnt &&
			    changes_pkt_data(env, env->aux[target].subprogno, seen))
				return true;
		}
	}
	return false;
}

/* A call to global subprogram `s` (kernel check_func_call for a global callee): the
 * arguments match its prototype; the body is verified on its own after the program. */
int verifier_global_call(struct verifier_env *env, uint32_t s)
{
	struct vsubprog *sp = &env->subprogs[s];
	struct vreg *regs = vcur_regs(env);

	if (env->cur->lock_held) {
		verbose(env, "global function calls are not allowed while holding a lock,\n"
			"use static function instead\n");
		return -EINVAL;
	}
	int err = verifier_global_prepare(env, s);
	for (uint32_t a = 0; !err && a < sp->nargs; a++) {
		err = verifier_check_reg_read(env, a + 1);
		if (!err)
			err = check_one_arg(env, a, &sp->args[a]);
	}
	if (err) {
		verbose(env, "Caller passes invalid args into func#%u ('%s')\n", s, sp->name);
		return err;
	}
	if (env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2))
		verbose(env, "Func#%u ('%s') is global and assumed valid.\n", s, sp->name);
	sp->called = true;
	uint8_t seen[VERIFIER_MAX_SUBPROGS + 1] = { 0 };
	if (changes_pkt_data(env, s, seen))
		verifier_clear_packet_pointers(env);
	for (int r = 0; r <= 5; r++)
		vreg_mark_not_init(&regs[r]);
	vreg_mark_unknown(&regs[0]);
	regs[0].written = true;
	return 0;
}

/* Entry registers of global subprogram `s` verified on its own (kernel
 * do_check_common): each argument as its prototype types it. */
int verifier_global_entry(struct verifier_env *env, uint32_t s, struct vframe *frame)
{
	const struct vsubprog *sp = &env->subprogs[s];
	int err = verifier_global_prepare(env, s);
	if (err)
		return err;
	vreg_mark_not_init(&frame->regs[1]);
	for (uint32_t a = 0; a < sp->nargs; a++) {
		const struct vglobal_arg *arg = &sp->args[a];
		struct vreg *reg = &frame->regs[a + 1];
		vreg_mark_unknown(reg);
		if (arg->kind == VGLOBAL_ARG_SCALAR)
			continue;
		vreg_mark_const(reg, 0);
		if (arg->kind == VGLOBAL_ARG_CTX) {
			reg->type = VREG_CTX;
			continue;
		}
		reg->type = arg->kind == VGLOBAL_ARG_MEM ? VREG_MEM : VREG_BTF_ID;
		reg->range = arg->kind == VGLOBAL_ARG_MEM ? arg->size : arg->btf_id;
		if (arg->kind == VGLOBAL_ARG_BTF_ID) {
			reg->flags = VREG_TRUSTED | (arg->nullable ? VREG_MAYBE_NULL : 0);
			reg->id = verifier_new_id(env);
		} else if (arg->nullable) {
			reg->flags = VREG_MAYBE_NULL;
			reg->id = verifier_new_id(env);
		}
	}
	frame->subprogno = s;
	return 0;
}
