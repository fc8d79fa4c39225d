/* verifier_stack_live.c - which stack slots of a frame may still be read, per insn, so
 * that pruning ignores dead slots as the kernel's 6.18 stack liveness does. A static,
 * conservative approximation: exact for r10-relative accesses, any other load, atomic
 * or call may read every slot; only full 8-byte r10 stores kill a slot. */
#include <errno.h>
#include <stdlib.h>

#include "verifier_int.h"

#define ALL_SLOTS (~(uint64_t)0)

/* Slots covering bytes [off, off + size) below the frame pointer. */
static uint64_t slots_of(int32_t off, int size)
{
	uint64_t mask = 0;
	for (int32_t at = off; at < off + size; at++) {
		if (at >= 0 || at < -VERIFIER_STACK_SIZE)
			return ALL_SLOTS; /* refused anyway; stay conservative */
		mask |= (uint64_t)1 << ((-at - 1) / 8);
	}
	return mask;
}

static int access_size(const struct objfmt_insn *insn)
{
	static const int sizes[4] = { 4, 2, 1, 8 }; /* BPF_W, BPF_H, BPF_B, BPF_DW */
	return sizes[BPF_SIZE(insn->code) >> 3];
}

/* use: slots insn i may read; def: slots it surely overwrites whole. */
static void use_def(const struct verifier_env *env, uint32_t i, uint64_t *use, uint64_t *def)
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code), mode = BPF_MODE(insn->code);

	*use = *def = 0;
	if (cls == BPF_LDX) {
		*use = insn->src_reg == VERIFIER_FP ? slots_of(insn->off, access_size(insn))
						    : ALL_SLOTS; /* perhaps a stack pointer */
	} else if ((cls == BPF_STX || cls == BPF_ST) && mode == BPF_ATOMIC) {
		*use = insn->dst_reg == VERIFIER_FP ? slots_of(insn->off, access_size(insn))
						    : ALL_SLOTS;
	} else if ((cls == BPF_STX || cls == BPF_ST) && mode == BPF_MEM) {
		if (insn->dst_reg == VERIFIER_FP && access_size(insn) == 8 && !(insn->off % 8))
			*def = slots_of(insn->off, 8);
	} else if ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_OP(insn->code) == BPF_CALL) {
		*use = ALL_SLOTS; /* helpers and subprograms read through stack pointers */
	}
}

/* Successors inside the function (a call continues after itself, an exit ends it). */
static int successors(const struct verifier_env *env, uint32_t i, int64_t out[2])
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);

	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
		out[0] = (int64_t)i + 2;
		return 1;
	}
	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL) {
		out[0] = (int64_t)i + 1;
		return 1;
	}
	if (op == BPF_EXIT)
		return 0;
	out[0] = (int64_t)i + 1 + (cls == BPF_JMP32 && op == BPF_JA ? insn->imm : insn->off);
	if (op == BPF_JA)
		return 1;
	out[1] = (int64_t)i + 1;
	return 2;
}

/* Backward dataflow to a fixed point: live = use | (live after & ~def). */
int verifier_compute_stack_liveness(struct verifier_env *env)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (uint32_t i = env->insn_cnt; i-- > 0;) {
			if (env->aux[i].ld_imm64_second)
				continue;
			uint64_t use, def, out = 0;
			int64_t next[2];
			int n = successors(env, i, next);
			for (int k = 0; k < n; k++)
				if (next[k] >= 0 && next[k] < env->insn_cnt)
					out |= env->aux[next[k]].stack_live;
			use_def(env, i, &use, &def);
			uint64_t in = use | (out & ~def);
			if (in != env->aux[i].stack_live) {
				env->aux[i].stack_live = in;
				changed = true;
			}
		}
	}
	return 0;
}
