/* verifier_rewrite.c - after a program is accepted: context loads and stores are
 * rewritten for the runtime ctx layout of progtype.h (pointer fields become 8-byte
 * host pointers), as the kernel's convert_ctx_accesses does, and fields the kernel
 * ignores (an exit's off) are cleared; loads through kernel object pointers become
 * BPF_PROBE_MEM (0x20) / BPF_PROBE_MEMSX (0x40) loads; insns no path reaches become
 * "goto -1" (kernel sanitize_dead_code). Map fds and helper ids stay as loaded: the
 * execution side resolves them (interp_prepare.c). */
#include <errno.h>

#include "verifier_int.h"

int verifier_rewrite(struct verifier_env *env)
{
	if (env->ctx_conversion_bug) { /* what 6.18 does with such a load */
		verbose(env, "verifier bug: error during ctx access conversion (0)\n");
		return -EFAULT;
	}
	int err = verifier_kfunc_fixup(env);
	if (err)
		return err;
	for (uint32_t i = 0; i < env->insn_cnt; i++) {
		struct objfmt_insn *insn = &env->insns[i];
		if (env->aux[i].is_ctx_access)
			emu_progtype_ctx_convert(&env->aux[i].ctx_access, insn);
		if (env->aux[i].probe_mem) /* kernel: BPF_PROBE_MEM(SX), a fault reads 0 */
			insn->code = (uint8_t)((insn->code & ~0xe0) |
					       (BPF_MODE(insn->code) == OBJFMT_MODE_MEMSX ? 0x40 : 0x20));
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) && insn->src_reg == BPF_PSEUDO_BTF_ID)
			insn->src_reg = 0; /* the symbol's address, resolved before the walk */
		if (insn->code == (BPF_JMP | BPF_EXIT))
			insn->off = 0; /* ignored by the kernel, refused by the decoder */
		if (!env->aux[i].seen) /* dead code: never runs, need not decode */
			*insn = (struct objfmt_insn){ .code = BPF_JMP | BPF_JA, .off = -1 };
	}
	return 0;
}
