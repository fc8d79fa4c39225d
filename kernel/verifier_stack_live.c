/* verifier_stack_live.c - which stack slots of a frame may still be read, per insn, so
 * that pruning ignores dead slots as the kernel's 6.18 stack liveness does. A static,
 * conservative approximation: a forward pass finds the registers that hold this frame's
 * pointer plus a known constant (others may be its pointer at an unknown offset, or
 * surely not); loads and atomics read the slots they address, a helper reads from each
 * stack pointer argument up to the frame's top, anything through a pointer of unknown
 * offset, a callback-running helper or a subprogram reached by a stack pointer every
 * slot; only full 8-byte stores at a known slot kill it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* A register's value as far as this frame's stack is concerned. */
#define PTR_NONE INT32_MIN          /* surely not a pointer into this frame */
#define PTR_ANY (INT32_MIN + 1)     /* perhaps one, offset unknown */
#define PTR_UNSEEN (INT32_MIN + 2)  /* insn not reached yet (no value) */
#define PTR_KNOWN(v) ((v) > PTR_UNSEEN) /* fp + v */

struct ptr_regs {
	int32_t r[VERIFIER_REG_COUNT];
	uint64_t ptr_slots; /* slots that may hold a pointer into this frame (spilled) */
	const struct emu_map *map[VERIFIER_REG_COUNT]; /* map pointer from ld_imm64, or NULL */
	int64_t value[VERIFIER_REG_COUNT]; /* constant, when its bit is set in is_const */
	uint16_t is_const;
};

static bool maybe_stack(int32_t v)
{
	return v != PTR_NONE && v != PTR_UNSEEN;
}

/* Slots a helper may read through argument value v: `size` bytes at fp+v, or (size < 0:
 * unknown) everything from there up to the frame's top. */
static uint64_t arg_slots(int32_t v, int64_t size)
{
	if (!maybe_stack(v))
		return 0;
	if (!PTR_KNOWN(v) || v >= 0)
		return ALL_SLOTS;
	if (size < 0 || size > VERIFIER_STACK_SIZE)
		size = -v;
	return slots_of(v, (int)size);
}

/* How many bytes a helper's argument `a` covers (kernel check_func_arg), -1 unknown. */
static int64_t arg_size(const struct helper_proto *proto, const struct ptr_regs *in, int a)
{
	const struct emu_map *map = NULL;
	for (int k = 0; k < 5; k++)
		if ((proto->args[k] & HELPER_ARG_KIND_MASK) == HELPER_ARG_CONST_MAP_PTR)
			map = in->map[k + 1];
	switch (proto->args[a] & HELPER_ARG_KIND_MASK) {
	case HELPER_ARG_MAP_KEY:
		return map ? (int64_t)verifier_map_desc(map)->key_size : -1;
	case HELPER_ARG_MAP_VALUE:
		return map ? (int64_t)verifier_map_desc(map)->value_size : -1;
	case HELPER_ARG_FIXED_MEM:
		return proto->fixed_size;
	case HELPER_ARG_DYNPTR:
	case HELPER_ARG_DYNPTR_UNINIT:
		return 16;
	case HELPER_ARG_MEM:
		if (a < 4 && ((proto->args[a + 1] & HELPER_ARG_KIND_MASK) == HELPER_ARG_CONST_SIZE ||
			      (proto->args[a + 1] & HELPER_ARG_KIND_MASK) ==
				      HELPER_ARG_CONST_SIZE_OR_ZERO) &&
		    (in->is_const >> (a + 2) & 1) && in->value[a + 2] >= 0)
			return in->value[a + 2];
		return -1;
	default:
		return -1;
	}
}

/* Slots addressed by [base + off, + size). */
static uint64_t addressed(int32_t base, int16_t off, int size)
{
	if (!maybe_stack(base))
		return 0;
	if (!PTR_KNOWN(base))
		return ALL_SLOTS;
	return slots_of(base + off, size);
}

static uint64_t call_use(const struct verifier_env *env, const struct objfmt_insn *insn,
			 const struct ptr_regs *in)
{
	uint64_t use = 0;
	if (insn->src_reg == BPF_PSEUDO_CALL || verifier_is_callback_helper(insn)) {
		/* the callee may load pointers spilled in this frame: any slot */
		for (int r = 1; r <= 5; r++)
			if (maybe_stack(in->r[r]))
				return ALL_SLOTS;
		return 0;
	}
	const struct helper_proto *proto = insn->src_reg ? NULL : helper_proto_get(insn->imm);
	for (int r = 1; r <= 5; r++) {
		if (!proto)
			use |= arg_slots(in->r[r], -1);
		else if (proto->args[r - 1])
			use |= arg_slots(in->r[r], arg_size(proto, in, r - 1));
	}
	(void)env;
	return use;
}

/* use: slots insn i may read; def: slots it surely overwrites whole. */
static void use_def(const struct verifier_env *env, uint32_t i, const struct ptr_regs *in,
		    uint64_t *use, uint64_t *def)
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code), mode = BPF_MODE(insn->code);

	*use = *def = 0;
	if (cls == BPF_LDX) {
		*use = addressed(in->r[insn->src_reg], insn->off, access_size(insn));
	} else if ((cls == BPF_STX || cls == BPF_ST) && mode == BPF_ATOMIC) {
		*use = addressed(in->r[insn->dst_reg], insn->off, access_size(insn));
	} else if ((cls == BPF_STX || cls == BPF_ST) && mode == BPF_MEM) {
		int32_t base = in->r[insn->dst_reg];
		if (PTR_KNOWN(base) && access_size(insn) == 8 && !((base + insn->off) % 8))
			*def = slots_of(base + insn->off, 8);
	} else if ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_OP(insn->code) == BPF_CALL) {
		*use = call_use(env, insn, in);
	}
}

/* Register values after insn i (kernel semantics: 32-bit results, narrow loads and
 * call results are never stack pointers; a pointer cannot be stored into a caller's
 * frame, so what a load returns is this frame's pointer only if it read this frame). */
static void transfer_ptr(const struct objfmt_insn *insn, struct ptr_regs *st)
{
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);
	int32_t *dst = &st->r[insn->dst_reg % VERIFIER_REG_COUNT];
	int32_t src = st->r[insn->src_reg % VERIFIER_REG_COUNT];

	switch (cls) {
	case BPF_ALU64:
		if (op == BPF_MOV)
			*dst = BPF_SRC(insn->code) == BPF_K ? PTR_NONE
			       : insn->off ? (maybe_stack(src) ? PTR_ANY : PTR_NONE) : src;
		else if ((op == BPF_ADD || op == BPF_SUB) && BPF_SRC(insn->code) == BPF_K &&
			 PTR_KNOWN(*dst) && insn->imm > -4096 && insn->imm < 4096)
			*dst += op == BPF_ADD ? insn->imm : -insn->imm;
		else if (maybe_stack(*dst) || (BPF_SRC(insn->code) == BPF_X && maybe_stack(src)))
			*dst = PTR_ANY;
		else
			*dst = PTR_NONE;
		break;
	case BPF_ALU:
		*dst = PTR_NONE;
		break;
	case BPF_LDX: /* only a full fill of a slot holding one gives a pointer */
		*dst = access_size(insn) == 8 && (addressed(src, insn->off, 8) & st->ptr_slots)
		       ? PTR_ANY : PTR_NONE;
		break;
	case BPF_LD: /* ld_imm64, or LD_ABS/IND (r0, and r1-r5 clobbered) */
		if (BPF_MODE(insn->code) == BPF_IMM) {
			*dst = PTR_NONE;
			break;
		}
		for (int r = 0; r <= 5; r++)
			st->r[r] = PTR_NONE;
		break;
	case BPF_STX:
		if (BPF_MODE(insn->code) == BPF_ATOMIC) {
			if (insn->imm & BPF_FETCH)
				st->r[insn->imm == BPF_CMPXCHG ? 0 : insn->src_reg] = PTR_ANY;
		} else if (maybe_stack(src)) {
			st->ptr_slots |= addressed(*dst, insn->off, access_size(insn));
		} else if (PTR_KNOWN(*dst) && access_size(insn) == 8 &&
			   !((*dst + insn->off) % 8)) {
			st->ptr_slots &= ~addressed(*dst, insn->off, 8);
		}
		break;
	case BPF_ST:
		if (PTR_KNOWN(*dst) && access_size(insn) == 8 && !((*dst + insn->off) % 8))
			st->ptr_slots &= ~addressed(*dst, insn->off, 8);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL)
			for (int r = 0; r <= 5; r++)
				st->r[r] = PTR_NONE;
		break;
	default:
		break;
	}
}

/* Constants (for helper sizes) and map pointers: known through moves only. */
static void transfer(const struct verifier_env *env, uint32_t i, struct ptr_regs *st)
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);
	uint8_t dst = insn->dst_reg % VERIFIER_REG_COUNT, src = insn->src_reg % VERIFIER_REG_COUNT;
	const struct emu_map *map = NULL;
	bool known = false;
	int64_t value = 0;

	transfer_ptr(insn, st);
	bool defines = cls == BPF_ALU64 || cls == BPF_ALU || cls == BPF_LDX ||
		       (cls == BPF_LD && BPF_MODE(insn->code) == BPF_IMM);
	if ((cls == BPF_ALU64 || cls == BPF_ALU) && op == BPF_MOV && !insn->off) {
		if (BPF_SRC(insn->code) == BPF_K) {
			known = true;
			value = cls == BPF_ALU64 ? (int64_t)insn->imm : (int64_t)(uint32_t)insn->imm;
		} else if (cls == BPF_ALU64) {
			known = st->is_const >> src & 1;
			value = st->value[src];
			map = st->map[src];
		} else if (st->is_const >> src & 1) {
			known = true;
			value = (int64_t)(uint32_t)st->value[src];
		}
	} else if (cls == BPF_LD && BPF_MODE(insn->code) == BPF_IMM) {
		if (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_IDX)
			map = env->aux[i].map;
		else if (!insn->src_reg && i + 1 < env->insn_cnt) {
			known = true;
			value = (int64_t)((uint64_t)(uint32_t)insn->imm |
					  (uint64_t)(uint32_t)env->insns[i + 1].imm << 32);
		}
	}
	if (defines) {
		st->map[dst] = map;
		st->value[dst] = value;
		st->is_const = (uint16_t)((st->is_const & ~(1u << dst)) | (unsigned)known << dst);
	} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_CALL) {
		for (int r = 0; r <= 5; r++)
			st->map[r] = NULL;
		st->is_const &= (uint16_t)~0x3fu;
	} else if (cls == BPF_LD) { /* LD_ABS/IND */
		for (int r = 0; r <= 5; r++)
			st->map[r] = NULL;
		st->is_const &= (uint16_t)~0x3fu;
	} else if (cls == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC &&
		   (insn->imm & BPF_FETCH)) {
		uint8_t r = insn->imm == BPF_CMPXCHG ? 0 : src;
		st->map[r] = NULL;
		st->is_const &= (uint16_t)~(1u << r);
	}
}

static bool merge(struct ptr_regs *into, const struct ptr_regs *from)
{
	if (into->r[VERIFIER_FP] == PTR_UNSEEN) { /* first path to reach it */
		*into = *from;
		return true;
	}
	bool changed = false;
	for (int r = 0; r < VERIFIER_REG_COUNT; r++) {
		int32_t a = into->r[r], b = from->r[r];
		int32_t m = a == PTR_UNSEEN ? b : b == PTR_UNSEEN || a == b ? a : PTR_ANY;
		changed |= m != a;
		into->r[r] = m;
	}
	for (int r = 0; r < VERIFIER_REG_COUNT; r++) {
		if (into->map[r] != from->map[r] && into->map[r]) {
			into->map[r] = NULL;
			changed = true;
		}
		if ((into->is_const >> r & 1) &&
		    (!(from->is_const >> r & 1) || from->value[r] != into->value[r])) {
			into->is_const &= (uint16_t)~(1u << r);
			changed = true;
		}
	}
	uint64_t slots = into->ptr_slots | from->ptr_slots;
	changed |= slots != into->ptr_slots;
	into->ptr_slots = slots;
	return changed;
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

/* Forward pass: the pointer values of the registers before each insn. Rounds over
 * all insns until nothing changes; an insn whose input did not change since it was
 * last visited is passed over: merge is a join, so its output, already merged into
 * its successors, would change nothing (the rounds and the result are the same). */
static int compute_ptr_regs(struct verifier_env *env, struct ptr_regs *in)
{
	bool *dirty = calloc(env->insn_cnt, sizeof(*dirty));

	if (!dirty)
		return -ENOMEM;
	memset(in, 0, env->insn_cnt * sizeof(*in));
	for (uint32_t i = 0; i < env->insn_cnt; i++)
		for (int r = 0; r < VERIFIER_REG_COUNT; r++)
			in[i].r[r] = PTR_UNSEEN;
	for (uint32_t s = 0; s < env->subprog_cnt; s++) {
		struct ptr_regs *entry = &in[env->subprogs[s].start];
		for (int r = 0; r < VERIFIER_REG_COUNT; r++)
			entry->r[r] = r == VERIFIER_FP ? 0 : PTR_NONE; /* args: caller frames */
		dirty[env->subprogs[s].start] = true;
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (uint32_t i = 0; i < env->insn_cnt; i++) {
			if (!dirty[i] || env->aux[i].ld_imm64_second ||
			    in[i].r[VERIFIER_FP] == PTR_UNSEEN)
				continue;
			dirty[i] = false;
			struct ptr_regs out = in[i];
			int64_t next[2];
			transfer(env, i, &out);
			out.r[VERIFIER_FP] = 0;
			int n = successors(env, i, next);
			for (int k = 0; k < n; k++)
				if (next[k] >= 0 && next[k] < env->insn_cnt &&
				    merge(&in[next[k]], &out)) {
					changed = true;
					dirty[next[k]] = true;
				}
		}
	}
	free(dirty);
	return 0;
}

/* Backward dataflow to a fixed point: live = use | (live after & ~def). */
int verifier_compute_stack_liveness(struct verifier_env *env)
{
	struct ptr_regs *in = malloc(env->insn_cnt * sizeof(*in));
	bool changed = true;

	if (!in || compute_ptr_regs(env, in)) {
		free(in);
		return -ENOMEM;
	}
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
			if (in[i].r[VERIFIER_FP] == PTR_UNSEEN) /* unreachable: be conservative */
				use = ALL_SLOTS, def = 0;
			else
				use_def(env, i, &in[i], &use, &def);
			uint64_t live = use | (out & ~def);
			if (live != env->aux[i].stack_live) {
				env->aux[i].stack_live = live;
				changed = true;
			}
		}
	}
	free(in);
	return 0;
}
