/* verifier_attach.c - the program's attach target as the kernel's check_attach_btf_id
 * and btf_ctx_access see it: BTF-attached types need a hook, only some types may be
 * sleepable (syscall programs must be), and a hook's ctx holds only its arguments. */
#include <errno.h>
#include <string.h>

#include "kbtf_int.h"
#include "verifier_attach.h"

#define TRACE_PREFIX "btf_trace_"
#define LSM_PREFIX "bpf_lsm_"

/* Kernel can_be_sleepable (6.18). */
static bool can_be_sleepable(const struct emu_prog *prog)
{
	if (prog->type == BPF_PROG_TYPE_TRACING)
		return prog->expected_attach_type == BPF_TRACE_FENTRY ||
		       prog->expected_attach_type == BPF_TRACE_FEXIT ||
		       prog->expected_attach_type == BPF_MODIFY_RETURN ||
		       prog->expected_attach_type == BPF_TRACE_ITER;
	return prog->type == BPF_PROG_TYPE_LSM || prog->type == BPF_PROG_TYPE_KPROBE ||
	       prog->type == BPF_PROG_TYPE_STRUCT_OPS;
}

/* The iterator targets 6.18 registers on this machine (bpf_iter_reg_target), and the
 * pointer arguments after the meta one that are never NULL (not in the target's
 * ctx_arg_info as PTR_TO_BTF_ID_OR_NULL): bit n for argument n. */
static const struct {
	const char *name;
	uint32_t non_null;
} iter_targets[] = {
	{ "bpf_iter_bpf_link", 0 },   { "bpf_iter_bpf_map", 0 },
	{ "bpf_iter_bpf_map_elem", 1u << 1 }, { "bpf_iter_bpf_prog", 0 },
	{ "bpf_iter_bpf_sk_storage_map", 1u << 1 }, { "bpf_iter_cgroup", 0 },
	{ "bpf_iter_dmabuf", 0 },     { "bpf_iter_ipv6_route", 0 },
	{ "bpf_iter_kmem_cache", 0 }, { "bpf_iter_ksym", 0 },
	{ "bpf_iter_netlink", 0 },    { "bpf_iter_sockmap", 1u << 1 },
	{ "bpf_iter_task", 0 },       { "bpf_iter_task_file", 0 },
	{ "bpf_iter_task_vma", 0 },   { "bpf_iter_tcp", 0 },
	{ "bpf_iter_udp", 0 },        { "bpf_iter_unix", 0 },
};

static int iter_target(const char *name)
{
	for (size_t i = 0; i < sizeof(iter_targets) / sizeof(iter_targets[0]); i++)
		if (!strcmp(iter_targets[i].name, name))
			return (int)i + 1;
	return 0;
}

bool verifier_iter_arg_may_be_null(const struct verifier_env *env, uint32_t arg)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *t = btf ? objfmt_btf__type(btf, env->prog->attach_btf_id)
					      : NULL;
	int target = t && t->name ? iter_target(t->name) : 0;

	if (env->prog->expected_attach_type != BPF_TRACE_ITER || !target || arg == 0)
		return false;
	return !(iter_targets[target - 1].non_null & (1u << arg));
}

/* The hook attach_btf_id names, for its attach type (bpf_check_attach_target, and
 * bpf_lsm_verify_prog for lsm programs). */
static int check_target(struct verifier_env *env)
{
	const struct emu_prog *prog = env->prog;
	const struct objfmt_btf *btf = emu_kbtf_get();
	uint32_t id = prog->attach_btf_id;
	const struct objfmt_btf_type *t = btf ? objfmt_btf__type(btf, id) : NULL;
	const struct objfmt_btf_type *proto;

	if (!t) {
		verbose(env, "attach_btf_id %u is invalid\n", id);
		return -EINVAL;
	}
	if (!t->name || !t->name[0]) {
		verbose(env, "attach_btf_id %u doesn't have a name\n", id);
		return -EINVAL;
	}
	switch (prog->expected_attach_type) {
	case BPF_TRACE_RAW_TP:
		if (t->kind != OBJFMT_BTF_TYPEDEF) {
			verbose(env, "attach_btf_id %u is not a typedef\n", id);
			return -EINVAL;
		}
		if (strncmp(t->name, TRACE_PREFIX, strlen(TRACE_PREFIX))) {
			verbose(env, "attach_btf_id %u points to wrong type name %s\n", id, t->name);
			return -EINVAL;
		}
		proto = objfmt_btf__type(btf, t->type);
		proto = proto && proto->kind == OBJFMT_BTF_PTR ? objfmt_btf__type(btf, proto->type)
							       : NULL;
		break;
	case BPF_TRACE_ITER:
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		if (t->kind != OBJFMT_BTF_FUNC) {
			verbose(env, "attach_btf_id %u is not a function\n", id);
			return -EINVAL;
		}
		proto = objfmt_btf__type(btf, t->type);
		break;
	default:
		return -EINVAL;
	}
	if (!proto || proto->kind != OBJFMT_BTF_FUNC_PROTO)
		return -EINVAL;
	if (prog->expected_attach_type == BPF_TRACE_ITER && !iter_target(t->name))
		return -EINVAL; /* bpf_iter_prog_supported: no such iterator target */
	if (prog->type == BPF_PROG_TYPE_LSM && !prog->gpl_compatible) {
		verbose(env, "LSM programs must have a GPL compatible license\n");
		return -EINVAL;
	}
	if (prog->type == BPF_PROG_TYPE_LSM && strncmp(t->name, LSM_PREFIX, strlen(LSM_PREFIX))) {
		verbose(env, "attach_btf_id %u points to wrong type name %s\n", id, t->name);
		return -EINVAL;
	}
	return 0;
}

int verifier_check_attach(struct verifier_env *env)
{
	const struct emu_prog *prog = env->prog;
	bool sleepable = prog->prog_flags & BPF_F_SLEEPABLE;

	if (prog->type == BPF_PROG_TYPE_SYSCALL) {
		if (sleepable)
			return 0;
		verbose(env, "Syscall programs can only be sleepable\n");
		return -EINVAL;
	}
	if (sleepable && !can_be_sleepable(prog)) {
		verbose(env, "Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops "
			     "programs can be sleepable\n");
		return -EINVAL;
	}
	if (prog->type != BPF_PROG_TYPE_TRACING && prog->type != BPF_PROG_TYPE_LSM &&
	    prog->type != BPF_PROG_TYPE_EXT)
		return 0;
	if (!prog->attach_btf_id) { /* bpf_check_attach_target */
		verbose(env, "Tracing programs must provide btf_id\n");
		return -EINVAL;
	}
	return prog->type == BPF_PROG_TYPE_EXT ? 0 : check_target(env);
}

/* The hook's prototype: a FUNC's (fentry, fexit, lsm), or for tp_btf the one behind
 * typedef btf_trace_<name>, whose first parameter (void *__data) is no argument
 * (*skip = 1). *name is the hook's name as the kernel prints it. */
static const struct objfmt_btf_type *attach_proto(const struct objfmt_btf *btf,
						  const struct emu_prog *prog, uint32_t *skip,
						  const char **name)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, prog->attach_btf_id);

	*skip = 0;
	*name = t && t->name ? t->name : "";
	if (t && t->kind == OBJFMT_BTF_TYPEDEF) {
		if (!strncmp(*name, TRACE_PREFIX, strlen(TRACE_PREFIX)))
			*name += strlen(TRACE_PREFIX);
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

/* Bytes of ctx a value of type `id` takes: 8 for a pointer, else its size rounded up
 * to 8 (0 for void). */
static uint32_t slot_bytes(const struct objfmt_btf *btf, uint32_t id)
{
	uint32_t resolved = objfmt_btf__resolve(btf, id);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, resolved);
	if (!resolved || !t)
		return 0;
	if (t->kind == OBJFMT_BTF_PTR)
		return 8;
	int64_t size = objfmt_btf__size(btf, resolved);
	return size > 0 ? (uint32_t)(size + 7) / 8 * 8 : 0;
}

/* Kernel get_ctx_arg_idx: the parameter whose slots cover `off`; vlen for the return
 * value's slot, vlen + 1 beyond it. */
static uint32_t ctx_arg_index(const struct objfmt_btf *btf,
			      const struct objfmt_btf_type *proto, uint32_t off)
{
	uint32_t end = 0;

	for (uint32_t i = 0; i < proto->vlen; i++) {
		end += slot_bytes(btf, proto->members[i].type);
		if (off < end)
			return i;
	}
	end += slot_bytes(btf, proto->type);
	return off < end ? proto->vlen : proto->vlen + 1;
}

static bool is_small_int(const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, id));
	return t && t->kind == OBJFMT_BTF_INT && t->size <= 8;
}

/* The kernel's btf_type_str for the kinds a return type resolves to. */
static const char *kind_text(const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, id));

	switch (t && id ? t->kind : OBJFMT_BTF_UNKN) {
	case OBJFMT_BTF_INT:
		return "INT";
	case OBJFMT_BTF_PTR:
		return "PTR";
	case OBJFMT_BTF_STRUCT:
		return "STRUCT";
	case OBJFMT_BTF_UNION:
		return "UNION";
	case OBJFMT_BTF_ENUM:
		return "ENUM";
	case OBJFMT_BTF_ENUM64:
		return "ENUM64";
	case OBJFMT_BTF_FLOAT:
		return "FLOAT";
	case OBJFMT_BTF_ARRAY:
		return "ARRAY";
	case OBJFMT_BTF_FWD:
		return "FWD";
	case OBJFMT_BTF_FUNC_PROTO:
		return "FUNC_PROTO";
	default:
		return "UNKNOWN";
	}
}

/* The return value's slot: readable by fexit and lsm programs; fmod_ret's must be an
 * integer. */
static int check_return_slot(struct verifier_env *env, const struct objfmt_btf *btf,
			     const struct objfmt_btf_type *proto, const char *name,
			     uint32_t arg)
{
	switch (env->prog->expected_attach_type) {
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
	case BPF_TRACE_FEXIT:
		return 0;
	case BPF_MODIFY_RETURN:
		if (is_small_int(btf, proto->type))
			return 0;
		verbose(env, "ret type %s not allowed for fmod_ret\n", kind_text(btf, proto->type));
		return -EACCES;
	default:
		verbose(env, "func '%s' doesn't have %u-th argument\n", name, arg + 1);
		return -EACCES;
	}
}

/* The type read at the slot of `arg` (a parameter, or the return value): scalars of
 * any size, pointers only whole (btf_ctx_access). */
static int check_slot_type(struct verifier_env *env, const struct objfmt_btf *btf,
			   uint32_t type, const char *name, uint32_t arg, int size)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));
	enum objfmt_btf_kind kind = t && objfmt_btf__resolve(btf, type) ? t->kind
									: OBJFMT_BTF_UNKN;

	if ((kind == OBJFMT_BTF_INT && t->size <= 8) || kind == OBJFMT_BTF_ENUM ||
	    kind == OBJFMT_BTF_ENUM64 || kind == OBJFMT_BTF_STRUCT || kind == OBJFMT_BTF_UNION)
		return 0;
	if (kind != OBJFMT_BTF_PTR) {
		verbose(env, "func '%s' arg%u type %s is not a struct\n", name, arg,
			kind_text(btf, type));
		return -EACCES;
	}
	if (size != 8) {
		verbose(env, "func '%s' size %d must be 8\n", name, size);
		return -EACCES;
	}
	uint32_t pointee = objfmt_btf__resolve(btf, t->type);
	t = objfmt_btf__type(btf, pointee);
	kind = t && pointee ? t->kind : OBJFMT_BTF_UNKN;
	if (!pointee || kind == OBJFMT_BTF_INT || kind == OBJFMT_BTF_STRUCT ||
	    kind == OBJFMT_BTF_UNION)
		return 0; /* void and int pointers are scalars, the others kernel objects */
	verbose(env, "func '%s' arg%u type %s is not a struct\n", name, arg,
		kind_text(btf, pointee));
	return -EACCES;
}

int verifier_check_attach_ctx(struct verifier_env *env, int32_t off, int size)
{
	const struct emu_prog *prog = env->prog;
	const struct objfmt_btf *btf;
	const struct objfmt_btf_type *proto;
	const char *name;
	uint32_t skip;

	if ((prog->type != BPF_PROG_TYPE_TRACING && prog->type != BPF_PROG_TYPE_LSM) ||
	    !prog->attach_btf_id || off < 0 || !(btf = emu_kbtf_get()) ||
	    !(proto = attach_proto(btf, prog, &skip, &name)))
		return 0;
	if (prog->type == BPF_PROG_TYPE_TRACING && off % size)
		return -EACCES; /* tracing_prog_is_valid_access: nothing more in the log */
	if (off % 8) {
		verbose(env, "func '%s' offset %d is not multiple of 8\n", name, off);
		return -EACCES;
	}
	uint32_t arg = ctx_arg_index(btf, proto, (uint32_t)off);
	uint32_t nr_args = proto->vlen - skip;
	if (arg > nr_args) {
		verbose(env, "func '%s' doesn't have %u-th argument\n", name, arg + 1);
		return -EACCES;
	}
	if (arg < nr_args)
		return check_slot_type(env, btf, proto->members[arg + skip].type, name, arg, size);
	int err = check_return_slot(env, btf, proto, name, arg);
	return err ? err : check_slot_type(env, btf, proto->type, name, arg, size);
}

#define MAX_ERRNO 4095

/* LSM hooks returning a bool (the kernel's bool_lsm_hooks set). */
static bool bool_hook(const char *name)
{
	static const char *const hooks[] = { "bpf_lsm_xfrm_state_pol_flow_match",
					     "bpf_lsm_audit_rule_known",
					     "bpf_lsm_inode_xattr_skipcap" };

	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (!strcmp(name, hooks[i]))
			return true;
	return false;
}

bool verifier_lsm_return_range(const struct verifier_env *env, int32_t *lo, int32_t *hi,
			       bool *is32)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *proto;
	const char *name;
	uint32_t skip;

	*is32 = false;
	if (!btf || !(proto = attach_proto(btf, env->prog, &skip, &name)))
		return false;
	if (env->prog->expected_attach_type == BPF_LSM_CGROUP) {
		*lo = proto->type ? 0 : 1; /* a void hook's return value must stay as it is */
		*hi = 1;
		return true;
	}
	if (!proto->type) /* void hooks: nothing to check */
		return false;
	*is32 = true;
	*lo = bool_hook(name) ? 0 : -MAX_ERRNO;
	*hi = bool_hook(name) ? 1 : 0;
	return true;
}

/* Tracepoint arguments 6.18 passes as maybe-NULL (its raw_tp_null_args table, as
 * this machine's vmlinux has them): argument `arg` of tp_btf hook `name`. */
static const struct {
	const char *name;
	uint8_t arg;
} nullable_tp_args[] = {
	{ "sched_pi_setprio", 1 },
	{ "sched_stick_numa", 2 },
	{ "sched_swap_numa", 2 },
	{ "tmigr_update_events", 0 },
	{ "mm_page_alloc", 0 },
	{ "mm_page_alloc_zone_locked", 0 },
	{ "mm_page_pcpu_drain", 0 },
	{ "mm_khugepaged_scan_pmd", 1 },
	{ "mm_collapse_huge_page_isolate", 0 },
	{ "mm_khugepaged_scan_file", 1 },
	{ "mm_khugepaged_collapse_file", 1 },
	{ "ext4_mballoc_discard", 1 },
	{ "ext4_mballoc_free", 1 },
	{ "hugetlbfs_alloc_inode", 1 },
	{ "xfs_inodegc_flush", 0 },
	{ "xfs_inodegc_push", 0 },
	{ "xfs_inodegc_start", 0 },
	{ "xfs_inodegc_stop", 0 },
	{ "xfs_inodegc_queue", 0 },
	{ "xfs_inodegc_throttle", 0 },
	{ "xfs_fs_sync_fs", 0 },
	{ "xfs_blockgc_start", 0 },
	{ "xfs_blockgc_stop", 0 },
	{ "xfs_blockgc_worker", 0 },
	{ "xfs_blockgc_flush_all", 0 },
	{ "xfs_map_blocks_found", 4 },
	{ "xfs_map_blocks_alloc", 4 },
	{ "xfs_defer_create_intent", 0 },
	{ "xfs_defer_cancel_list", 0 },
	{ "xfs_defer_pending_finish", 0 },
	{ "xfs_defer_pending_abort", 0 },
	{ "xfs_defer_relog_intent", 0 },
	{ "xfs_defer_isolate_paused", 0 },
	{ "xfs_defer_item_pause", 0 },
	{ "xfs_defer_item_unpause", 0 },
	{ "xfs_defer_add_item", 0 },
	{ "xfs_defer_cancel_item", 0 },
	{ "xfs_defer_finish_item", 0 },
	{ "xfs_ioc_free_eofblocks", 1 },
	{ "xfs_blockgc_free_space", 1 },
	{ "kfree_skb", 3 },
	{ "tcp_send_reset", 0 },
};

bool verifier_tp_arg_may_be_null(const struct verifier_env *env, uint32_t arg)
{
	const struct objfmt_btf *btf = emu_kbtf_get();
	const struct objfmt_btf_type *proto;
	const char *name;
	uint32_t skip;

	if (env->prog->expected_attach_type != BPF_TRACE_RAW_TP || !btf ||
	    !(proto = attach_proto(btf, env->prog, &skip, &name)))
		return false;
	for (size_t i = 0; i < sizeof(nullable_tp_args) / sizeof(nullable_tp_args[0]); i++)
		if (nullable_tp_args[i].arg == arg && !strcmp(nullable_tp_args[i].name, name))
			return true;
	return false;
}
