/* verifier_kfunc.c - calls of kernel functions (BPF_PSEUDO_KFUNC_CALL, imm = the FUNC's
 * id in the kernel's BTF): the most used generic kfuncs with the kernel's flags -
 * bpf_rcu_read_lock/unlock (a section that must be closed before exit),
 * bpf_task_acquire/release, bpf_task_from_pid, bpf_cgroup_acquire/release (references
 * to trusted kernel objects) - checked against their BTF prototype. */
#include <errno.h>
#include <string.h>

#include "kbtf_int.h"
#include "verifier_int.h"

enum {
	KF_ACQUIRE = 1u << 0,    /* returns a reference to release */
	KF_RELEASE = 1u << 1,    /* releases its argument's reference */
	KF_RET_NULL = 1u << 2,   /* may return NULL */
	KF_RCU = 1u << 3,        /* its argument may be an RCU pointer */
	KF_RCU_LOCK = 1u << 4,   /* bpf_rcu_read_lock */
	KF_RCU_UNLOCK = 1u << 5, /* bpf_rcu_read_unlock */
	KF_GENERIC = 1u << 6,    /* in the generic set: not every program type */
};

struct kfunc_desc {
	const char *name;
	uint32_t flags;
};

static const struct kfunc_desc kfuncs[] = {
	{ "bpf_rcu_read_lock", KF_RCU_LOCK },
	{ "bpf_rcu_read_unlock", KF_RCU_UNLOCK },
	{ "bpf_task_acquire", KF_GENERIC | KF_ACQUIRE | KF_RCU | KF_RET_NULL },
	{ "bpf_task_release", KF_GENERIC | KF_RELEASE },
	{ "bpf_task_from_pid", KF_GENERIC | KF_ACQUIRE | KF_RET_NULL },
	{ "bpf_cgroup_acquire", KF_GENERIC | KF_ACQUIRE | KF_RCU | KF_RET_NULL },
	{ "bpf_cgroup_release", KF_GENERIC | KF_RELEASE },
};

/* Program types the kernel registers the generic kfunc set for (checked on 6.18). */
static bool generic_allowed(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_STRUCT_OPS:
	case BPF_PROG_TYPE_SYSCALL:
	case BPF_PROG_TYPE_LSM:
		return true;
	default:
		return false;
	}
}

static const struct objfmt_btf_type *kernel_func(int32_t id)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *t = btf && id > 0 ? objfmt_btf__type(btf, (uint32_t)id) : NULL;
	return t && t->kind == OBJFMT_BTF_FUNC ? t : NULL;
}

/* Before any path: every kfunc call names a FUNC of the kernel's BTF (kernel
 * add_kfunc_call). */
int verifier_check_kfunc_ids(struct verifier_env *env)
{
	for (uint32_t i = 0; i < env->insn_cnt; i++) {
		const struct objfmt_insn *insn = &env->insns[i];
		if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg != BPF_PSEUDO_KFUNC_CALL)
			continue;
		if (insn->off) {
			verbose(env, "kfunc offset > 0 without fd_array is invalid\n");
			return -EINVAL;
		}
		if (insn->imm && !kernel_func(insn->imm)) { /* 0: libbpf's unresolved weak */
			verbose(env, "kernel btf_id %d is not a function\n", insn->imm);
			return -EINVAL;
		}
	}
	return 0;
}

/* Kernel fixup_kfunc_call: an unresolved kfunc (imm 0) on some path is an error; one
 * in dead code is removed with it. */
int verifier_kfunc_fixup(struct verifier_env *env)
{
	for (uint32_t i = 0; i < env->insn_cnt; i++) {
		const struct objfmt_insn *insn = &env->insns[i];
		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_KFUNC_CALL &&
		    !insn->imm && env->aux[i].seen) {
			verbose(env, "invalid kernel function call not eliminated in verifier "
				     "pass\n");
			return -EINVAL;
		}
	}
	return 0;
}

/* The struct a pointer type points to (modifiers skipped), or NULL. */
static const struct objfmt_btf_type *pointee_struct(const struct objfmt_btf *btf, uint32_t type,
						    uint32_t *id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));
	if (!t || t->kind != OBJFMT_BTF_PTR)
		return NULL;
	*id = objfmt_btf__resolve(btf, t->type);
	t = objfmt_btf__type(btf, *id);
	return t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION) ? t : NULL;
}

/* Kernel check_kfunc_args for a pointer-to-struct argument. */
static int check_struct_arg(struct verifier_env *env, const char *fname, uint32_t arg,
			    uint32_t flags, const struct objfmt_btf_type *st, uint32_t st_id,
			    uint32_t *ref_obj_id)
{
	uint32_t regno = arg + 1;
	const struct vreg *reg = &vcur_regs(env)[regno];

	if (reg->type != VREG_BTF_ID) {
		verbose(env, "arg#%u pointer type STRUCT %s must point to scalar, or struct with "
			"scalar\n", arg, st->name);
		return -EINVAL;
	}
	if (reg->flags & VREG_MAYBE_NULL) {
		verbose(env, "Possibly NULL pointer passed to trusted arg%u\n", arg);
		return -EACCES;
	}
	if (!(reg->flags & VREG_TRUSTED) && !((flags & KF_RCU) && (reg->flags & VREG_RCU)) &&
	    !reg->ref_obj_id) {
		verbose(env, (flags & KF_RCU) ? "R%u must be a rcu pointer\n" :
						"R%u must be referenced or trusted\n", regno);
		return -EINVAL;
	}
	if (reg->off || !tnum_equals_const(reg->var_off, 0)) {
		verbose(env, "R%u must have zero offset when passed to release func or trusted arg "
			"to kfunc\n", regno);
		return -EINVAL;
	}
	if (reg->range != st_id) {
		verbose(env, "kernel function %s args#%u expected pointer to STRUCT %s but R%u has a "
			"pointer to STRUCT %s\n", fname, arg, st->name, regno,
			verifier_btf_type_name(reg->range));
		return -EINVAL;
	}
	if ((flags & KF_RELEASE) && !reg->ref_obj_id) {
		verbose(env, "release kernel function %s expects refcounted PTR_TO_BTF_ID\n", fname);
		return -EINVAL;
	}
	*ref_obj_id = reg->ref_obj_id;
	return 0;
}

static int check_args(struct verifier_env *env, const char *fname, uint32_t flags,
		      const struct objfmt_btf_type *proto, uint32_t *ref_obj_id)
{
	const struct objfmt_btf *btf = emu_kbtf_get();

	for (uint32_t a = 0; a < proto->vlen && a < 5; a++) {
		int err = verifier_check_reg_read(env, a + 1);
		if (err)
			return err;
		uint32_t st_id;
		const struct objfmt_btf_type *st = pointee_struct(btf, proto->members[a].type, &st_id);
		if (st) {
			err = check_struct_arg(env, fname, a, flags, st, st_id, ref_obj_id);
		} else if (vcur_regs(env)[a + 1].type != VREG_SCALAR) {
			verbose(env, "R%u is not a scalar\n", a + 1);
			err = -EINVAL;
		}
		if (err)
			return err;
	}
	return 0;
}

/* r0 after the call: void, a scalar, or a trusted kernel object (maybe NULL,
 * holding a new reference for acquiring kfuncs). */
static int set_kfunc_return(struct verifier_env *env, uint32_t flags,
			    const struct objfmt_btf_type *proto, uint32_t insn_idx)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	struct vreg *r0 = &vcur_regs(env)[0];
	uint32_t st_id;

	if (!proto->type)
		return 0; /* void: r0 stays unreadable */
	vreg_mark_unknown(r0);
	r0->written = true;
	if (!pointee_struct(btf, proto->type, &st_id))
		return 0;
	vreg_mark_const(r0, 0);
	r0->type = VREG_BTF_ID;
	r0->flags = VREG_TRUSTED;
	r0->range = st_id;
	if (flags & KF_RET_NULL) {
		r0->flags |= VREG_MAYBE_NULL;
		r0->id = verifier_new_id(env);
	}
	if (flags & KF_ACQUIRE) {
		int id = verifier_acquire_ref(env, insn_idx);
		if (id < 0)
			return id;
		if (flags & KF_RET_NULL)
			r0->id = (uint32_t)id;
		r0->ref_obj_id = (uint32_t)id;
	}
	r0->written = true; /* shown after the call */
	return 0;
}

static int rcu_section(struct verifier_env *env, const char *name, uint32_t flags)
{
	if ((flags & KF_RCU_LOCK) && env->cur->rcu_held) {
		verbose(env, "nested rcu read lock (kernel function %s)\n", name);
		return -EINVAL;
	}
	if ((flags & KF_RCU_UNLOCK) && !env->cur->rcu_held) {
		verbose(env, "unmatched rcu read unlock (kernel function %s)\n", name);
		return -EINVAL;
	}
	env->cur->rcu_held = (flags & KF_RCU_LOCK) != 0;
	return 0;
}

int verifier_check_kfunc_call(struct verifier_env *env, const struct objfmt_insn *insn,
			      uint32_t insn_idx)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *func = kernel_func(insn->imm);
	const struct kfunc_desc *desc = NULL;
	uint32_t ref_obj_id = 0;

	if (!insn->imm) { /* refused after the walk unless dead (verifier_kfunc_fixup) */
		vcur_regs(env)[0].written = true; /* shown after the call, unchanged */
		return 0;
	}

	for (size_t i = 0; func && i < sizeof(kfuncs) / sizeof(kfuncs[0]); i++)
		if (!strcmp(func->name, kfuncs[i].name))
			desc = &kfuncs[i];
	if (!desc || ((desc->flags & KF_GENERIC) && !generic_allowed(env->prog->type))) {
		verbose(env, "calling kernel function %s is not allowed\n", func ? func->name : "");
		return -EACCES;
	}
	const struct objfmt_btf_type *proto = objfmt_btf__type(btf, func->type);
	if (!proto || proto->kind != OBJFMT_BTF_FUNC_PROTO) {
		verbose(env, "kernel function %s is not a function\n", func->name);
		return -EINVAL;
	}
	int err = check_args(env, func->name, desc->flags, proto, &ref_obj_id);
	if (!err && (desc->flags & (KF_RCU_LOCK | KF_RCU_UNLOCK)))
		err = rcu_section(env, func->name, desc->flags);
	if (!err && (desc->flags & KF_RELEASE))
		err = verifier_release_ref(env, ref_obj_id);
	if (err)
		return err;
	struct vreg *regs = vcur_regs(env);
	for (int r = 0; r <= 5; r++) {
		vreg_mark_not_init(&regs[r]);
		regs[r].written = r == 0;
	}
	return set_kfunc_return(env, desc->flags, proto, insn_idx);
}
