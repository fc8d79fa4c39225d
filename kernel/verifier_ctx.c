/* verifier_ctx.c - context accesses as the verifier sees them: the program type's
 * field table (progtype.h, shared with the execution side) decides what may be read or
 * written and which loads yield packet pointers; the result is kept per insn for the
 * rewrite to the runtime ctx layout. Also: which types may touch packet data. */
#include <errno.h>
#include <stddef.h>

#include "progtype.h"
#include "verifier_attach.h"
#include "verifier_int.h"

static enum vreg_type kind_to_type(enum emu_ctx_kind kind)
{
	switch (kind) {
	case EMU_CTX_PKT:
		return VREG_PACKET;
	case EMU_CTX_PKT_END:
		return VREG_PACKET_END;
	case EMU_CTX_PKT_META:
		return VREG_PACKET_META;
	case EMU_CTX_FLOW_KEYS:
		return VREG_FLOW_KEYS;
	case EMU_CTX_SOCK_OR_NULL:
		return VREG_SOCK_COMMON;
	case EMU_CTX_SOCK:
		return VREG_SOCK;
	default: /* BTF pointers of other types are not modelled: loaded as scalars */
		return VREG_SCALAR;
	}
}

int verifier_check_ctx_access(struct verifier_env *env, uint32_t insn_idx, int32_t off,
			      int size, bool write, struct vreg *out)
{
	const struct emu_progtype *pt = emu_progtype_get(env->prog->type);
	struct emu_ctx_access access;

	/* fields some attach types only may read (xdp_md.egress_ifindex: devmap programs) */
	if (!pt || emu_progtype_ctx_access_attach(pt, env->prog->expected_attach_type, off,
						  (uint32_t)size, write, &access) < 0) {
		verbose(env, "invalid bpf_context access off=%d size=%d\n", off, size);
		return -EACCES;
	}
	if (!write && verifier_check_attach_ctx(env, off, size)) { /* no such hook argument */
		verbose(env, "invalid bpf_context access off=%d size=%d\n", off, size);
		return -EACCES;
	}
	env->aux[insn_idx].ctx_access = access;
	env->aux[insn_idx].is_ctx_access = true;
	if (write || !out)
		return 0;
	enum vreg_type type = kind_to_type(access.kind);
	if (type == VREG_SCALAR && verifier_btf_ctx_arg(env, off, size, out)) {
		/* a pointer argument of a fentry/fexit/tp_btf hook: a kernel object */
	} else if (type == VREG_SCALAR) {
		vreg_mark_unknown(out);
	} else {
		vreg_mark_const(out, 0);
		out->type = type;
		if (access.kind == EMU_CTX_SOCK_OR_NULL) { /* __sk_buff.sk: null-check by id */
			out->flags = VREG_MAYBE_NULL;
			out->id = verifier_new_id(env);
		}
	}
	out->written = true;
	return 0;
}

/* Whether the program type may read (or write) packet data directly. */
bool verifier_may_access_direct_pkt(const struct verifier_env *env, bool write)
{
	switch (env->prog->type) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
		return true;
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SK_REUSEPORT:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
	case BPF_PROG_TYPE_CGROUP_SKB:
		return !write;
	default:
		return false;
	}
}
