/* verifier_cfg.c - the structural pass run before any path is explored: opcodes known,
 * ld_imm64 pairs well formed and their maps resolved into prog->used_maps, subprogram
 * boundaries, jump ranges, last insn of each subprogram, and a depth-first walk of the
 * control-flow graph that finds unreachable insns and jumps into an ld_imm64. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

/* Whether the opcode byte `code` is in the ISA at all (kernel "unknown opcode"). */
static bool opcode_known(uint8_t code)
{
	static bool table[256];
	static bool filled;

	if (!filled) {
		for (int op = OBJFMT_OP_INVALID + 1; op < OBJFMT_OP__COUNT; op++) {
			const struct objfmt_opinfo *info = objfmt_opinfo((enum objfmt_op)op);
			if (info)
				table[info->code] = true;
		}
		filled = true;
	}
	return table[code];
}

static bool is_ld_imm64(const struct objfmt_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Remember `map` in prog->used_maps (once) and return the stored pointer. */
static struct emu_map *use_map(struct verifier_env *env, struct emu_map *map)
{
	struct emu_prog *prog = env->prog;

	for (uint32_t i = 0; i < prog->used_map_cnt; i++) {
		if (prog->used_maps[i] == map) {
			emu_map_put(map);
			return map;
		}
	}
	struct emu_map **maps = realloc(prog->used_maps,
					(prog->used_map_cnt + 1) * sizeof(*maps));
	if (!maps) {
		emu_map_put(map);
		return NULL;
	}
	maps[prog->used_map_cnt++] = map;
	prog->used_maps = maps;
	return map;
}

static int map_fd_of(struct verifier_env *env, const struct objfmt_insn *insn, int *fd)
{
	if (insn->src_reg == BPF_PSEUDO_MAP_IDX || insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) {
		const int *fd_array = (const int *)(uintptr_t)env->attr->fd_array;
		if (!fd_array) {
			verbose(env, "fd_idx without fd_array is invalid\n");
			return -EPROTO;
		}
		*fd = fd_array[insn->imm];
		return 0;
	}
	*fd = insn->imm;
	return 0;
}

/* Resolve one ld_imm64 referring to a map (fd or fd_array index, plain or value). */
static int resolve_map_ld(struct verifier_env *env, uint32_t i)
{
	struct objfmt_insn *insn = &env->insns[i];
	int fd, err = map_fd_of(env, insn, &fd);
	if (err)
		return err;
	struct emu_map *map = emu_map_get_by_fd(fd);
	if (!map) {
		verbose(env, "fd %d is not pointing to valid bpf_map\n", fd);
		return -EBADF;
	}
	map = use_map(env, map);
	if (!map)
		return -ENOMEM;
	env->aux[i].map = map;
	err = verifier_check_lock_map_use(env, map);
	if (!err)
		err = verifier_check_timer_map_use(env, map);
	if (err)
		return err;
	bool value = insn->src_reg == BPF_PSEUDO_MAP_VALUE ||
		     insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE;
	if (!value)
		return 0;
	const struct emu_map_desc *desc = emu_map_desc(map);
	uint32_t off = (uint32_t)insn[1].imm;
	if (desc->type != BPF_MAP_TYPE_ARRAY || desc->max_entries != 1) {
		verbose(env, "no direct value access support for this map type\n");
		return -EINVAL;
	}
	if (off >= desc->value_size) {
		verbose(env, "invalid access to map value pointer, value_size=%u off=%u\n",
			desc->value_size, off);
		return -EINVAL;
	}
	env->aux[i].map_value_off = off;
	return 0;
}

static int check_ld_imm64(struct verifier_env *env, uint32_t i)
{
	struct objfmt_insn *insn = &env->insns[i];

	if (i == env->insn_cnt - 1 || insn[1].code != 0 || insn[1].dst_reg != 0 ||
	    insn[1].src_reg != 0 || insn[1].off != 0) {
		verbose(env, "invalid bpf_ld_imm64 insn\n");
		return -EINVAL;
	}
	env->aux[i + 1].ld_imm64_second = true;
	switch (insn->src_reg) {
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		if (insn[1].imm != 0)
			break;
		return resolve_map_ld(env, i);
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		return resolve_map_ld(env, i);
	case 0:
	case BPF_PSEUDO_FUNC:
		return 0;
	case BPF_PSEUDO_BTF_ID:
		return verifier_ksym_resolve(env, i);
	default:
		break;
	}
	verbose(env, "unrecognized bpf_ld_imm64 insn\n");
	return -EINVAL;
}

int verifier_resolve_ld_imm64(struct verifier_env *env)
{
	for (uint32_t i = 0; i < env->insn_cnt; i++) {
		struct objfmt_insn *insn = &env->insns[i];
		uint8_t cls = OBJFMT_CLASS(insn->code);

		if (cls == BPF_LDX && ((BPF_MODE(insn->code) != BPF_MEM &&
					BPF_MODE(insn->code) != OBJFMT_MODE_MEMSX) || insn->imm != 0)) {
			verbose(env, "BPF_LDX uses reserved fields\n");
			return -EINVAL;
		}
		if (is_ld_imm64(insn)) {
			int err = check_ld_imm64(env, i);
			if (err)
				return err;
			i++;
			continue;
		}
		if (!opcode_known(insn->code)) {
			verbose(env, "unknown opcode %02x\n", insn->code);
			return -EINVAL;
		}
	}
	return 0;
}

static int add_subprog(struct verifier_env *env, int64_t off)
{
	if (off < 0 || off >= env->insn_cnt) {
		verbose(env, "call to invalid destination\n");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < env->subprog_cnt; i++)
		if (env->subprogs[i].start == off)
			return 0;
	if (env->subprog_cnt >= VERIFIER_MAX_SUBPROGS) {
		verbose(env, "too many subprograms\n");
		return -E2BIG;
	}
	env->subprogs[env->subprog_cnt++].start = (uint32_t)off;
	return 0;
}

static int cmp_subprog(const void *a, const void *b)
{
	const struct vsubprog *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Subprograms start at insn 0 and at every bpf-to-bpf call or function pointer target. */
static int find_subprogs(struct verifier_env *env)
{
	env->subprog_cnt = 0;
	int err = add_subprog(env, 0);
	for (uint32_t i = 0; !err && i < env->insn_cnt; i++) {
		const struct objfmt_insn *insn = &env->insns[i];
		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL)
			err = add_subprog(env, (int64_t)i + insn->imm + 1);
		else if (is_ld_imm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC)
			err = add_subprog(env, (int64_t)i + insn->imm + 1);
	}
	if (err)
		return err;
	qsort(env->subprogs, env->subprog_cnt, sizeof(env->subprogs[0]), cmp_subprog);
	for (uint32_t s = 0; s < env->subprog_cnt; s++) {
		env->subprogs[s].end = s + 1 < env->subprog_cnt ? env->subprogs[s + 1].start
								: env->insn_cnt;
		for (uint32_t i = env->subprogs[s].start; i < env->subprogs[s].end; i++)
			env->aux[i].subprogno = s;
	}
	env->subprogs[env->subprog_cnt].start = env->insn_cnt;
	return 0;
}

static int64_t jump_target(const struct objfmt_insn *insn, uint32_t i)
{
	if (insn->code == (BPF_JMP32 | BPF_JA))
		return (int64_t)i + insn->imm + 1;
	return (int64_t)i + insn->off + 1;
}

static bool is_jump(const struct objfmt_insn *insn)
{
	uint8_t cls = OBJFMT_CLASS(insn->code);
	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	uint8_t op = BPF_OP(insn->code);
	return op != BPF_EXIT && op != BPF_CALL;
}

/* Jumps stay within their subprogram; each subprogram ends with exit or ja. */
static int check_subprog_ranges(struct verifier_env *env)
{
	for (uint32_t s = 0; s < env->subprog_cnt; s++) {
		struct vsubprog *sp = &env->subprogs[s];
		for (uint32_t i = sp->start; i < sp->end; i++) {
			const struct objfmt_insn *insn = &env->insns[i];
			if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 &&
			    insn->imm == BPF_FUNC_tail_call)
				sp->has_tail_call = true;
			if (is_jump(insn)) {
				int64_t to = jump_target(insn, i);
				if (to < sp->start || to >= sp->end) {
					verbose(env, "jump out of range from insn %u to %lld\n", i,
						(long long)to);
					return -EINVAL;
				}
			}
			if (i == sp->end - 1 && insn->code != (BPF_JMP | BPF_EXIT) &&
			    insn->code != (BPF_JMP | BPF_JA) && insn->code != (BPF_JMP32 | BPF_JA)) {
				verbose(env, "last insn is not an exit or jmp\n");
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Successors of insn i: up to two. Returns how many. */
static int successors(const struct verifier_env *env, uint32_t i, int64_t out[2])
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code);
	int n = 0;

	if (cls == BPF_JMP || cls == BPF_JMP32) {
		uint8_t op = BPF_OP(insn->code);
		if (op == BPF_EXIT)
			return 0;
		if (op == BPF_CALL) {
			if (insn->src_reg == BPF_PSEUDO_CALL)
				out[n++] = (int64_t)i + insn->imm + 1;
			out[n++] = (int64_t)i + 1;
			return n;
		}
		out[n++] = jump_target(insn, i);
		if (op != BPF_JA)
			out[n++] = (int64_t)i + 1;
		return n;
	}
	if (is_ld_imm64(insn)) {
		if (insn->src_reg == BPF_PSEUDO_FUNC)
			out[n++] = (int64_t)i + insn->imm + 1;
		out[n++] = (int64_t)i + 2;
		return n;
	}
	out[n++] = (int64_t)i + 1;
	return n;
}

/* Prune and jump points as the kernel's check_cfg (visit_insn) marks them: a conditional
 * jump is a prune point, its target both; a ja target both; the insn after a call both;
 * a bpf-to-bpf call a prune point, its callee's start both; a callback-calling helper
 * both. Jump points are where the jump history records a non-linear predecessor. */
static void mark_point(struct verifier_env *env, int64_t i, bool jmp)
{
	if (i < 0 || i >= env->insn_cnt)
		return;
	env->aux[i].prune_point = true;
	env->aux[i].jmp_point |= jmp;
}

static void mark_prune_points(struct verifier_env *env, uint32_t i)
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code);

	if (is_ld_imm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC) { /* a callback's address */
		mark_point(env, i, false);
		mark_point(env, (int64_t)i + 2, true);
		mark_point(env, (int64_t)i + insn->imm + 1, true);
		return;
	}
	if (cls != BPF_JMP && cls != BPF_JMP32)
		return;
	switch (BPF_OP(insn->code)) {
	case BPF_EXIT:
		return;
	case BPF_CALL:
		mark_point(env, (int64_t)i + 1, true);
		if (insn->src_reg == BPF_PSEUDO_CALL) {
			mark_point(env, i, false);
			mark_point(env, (int64_t)i + insn->imm + 1, true);
		}
		if (verifier_is_callback_helper(insn)) { /* iterations stop at a seen state */
			mark_point(env, i, true);
			env->aux[i].calls_callback = true;
		}
		return;
	case BPF_JA:
		mark_point(env, jump_target(insn, i), true);
		return;
	default:
		mark_point(env, i, false);
		mark_point(env, jump_target(insn, i), true);
	}
}

/* Iterative depth-first walk from insn 0 marking what is reachable. */
static int walk_cfg(struct verifier_env *env)
{
	uint32_t *todo = malloc(sizeof(*todo) * (env->insn_cnt + 1) * 2);
	uint32_t n = 0;
	if (!todo)
		return -ENOMEM;
	todo[n++] = 0;
	env->aux[0].seen = true;
	while (n) {
		uint32_t i = todo[--n];
		int64_t next[2];
		int count = successors(env, i, next);
		for (int k = 0; k < count; k++) {
			if (next[k] < 0 || next[k] >= env->insn_cnt) {
				verbose(env, "jump out of range from insn %u to %lld\n", i,
					(long long)next[k]);
				free(todo);
				return -EINVAL;
			}
			struct vinsn_aux *aux = &env->aux[next[k]];
			if (!aux->seen) {
				aux->seen = true;
				todo[n++] = (uint32_t)next[k];
			}
		}
		mark_prune_points(env, i);
	}
	free(todo);
	return 0;
}

static int check_reachability(struct verifier_env *env)
{
	for (uint32_t i = 0; i < env->insn_cnt; i++) {
		if (!env->aux[i].seen) {
			verbose(env, "unreachable insn %u\n", i);
			return -EINVAL;
		}
		if (is_ld_imm64(&env->insns[i])) {
			if (env->aux[i + 1].seen) {
				verbose(env, "jump into the middle of ldimm64 insn %u\n", i);
				return -EINVAL;
			}
			i++;
		}
	}
	for (uint32_t i = 0; i < env->insn_cnt; i++)
		env->aux[i].seen = false; /* reused by the path walk */
	return 0;
}

int verifier_check_structure(struct verifier_env *env)
{
	int err = find_subprogs(env);
	if (!err)
		err = check_subprog_ranges(env);
	if (!err)
		err = walk_cfg(env);
	if (!err)
		err = check_reachability(env);
	if (!err)
		err = verifier_compute_liveness(env);
	if (!err)
		err = verifier_find_global_subprogs(env);
	return err;
}

static uint32_t round_stack(uint32_t depth)
{
	return (depth + 15) & ~15u;
}

/* Deepest chain of frames from subprogram `s` (kernel check_max_stack_depth): the sum
 * of each frame's stack, rounded to 16 bytes as the JIT lays frames out. */
static int stack_depth_from(struct verifier_env *env, uint32_t s, uint32_t frame,
			    uint32_t depth)
{
	depth += round_stack(env->subprogs[s].stack_depth);
	if (depth > VERIFIER_STACK_SIZE) {
		verbose(env, "combined stack size of %u calls is %u. Too large\n", frame + 1, depth);
		return -EACCES;
	}
	for (uint32_t i = env->subprogs[s].start; i < env->subprogs[s].end; i++) {
		const struct objfmt_insn *insn = &env->insns[i];
		bool callback = is_ld_imm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC;
		if (!callback &&
		    (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg != BPF_PSEUDO_CALL))
			continue;
		uint32_t callee = env->aux[i + insn->imm + 1].subprogno;
		if (frame + 1 >= VERIFIER_MAX_FRAMES) {
			verbose(env, "the call stack of %u frames is too deep !\n", frame + 2);
			return -E2BIG;
		}
		int err = stack_depth_from(env, callee, frame + 1, depth);
		if (err)
			return err;
	}
	return 0;
}

int verifier_check_stack_depth(struct verifier_env *env)
{
	return stack_depth_from(env, 0, 0, 0);
}

#define REG_BIT(r) ((uint16_t)(1u << (r)))
#define ARG_REGS (REG_BIT(1) | REG_BIT(2) | REG_BIT(3) | REG_BIT(4) | REG_BIT(5))
#define CALLER_SAVED (REG_BIT(0) | ARG_REGS)

/* Registers insn i reads (use) and writes (def), for the liveness pass. */
static void use_def(const struct objfmt_insn *insn, uint16_t *use, uint16_t *def)
{
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);
	uint16_t dst = REG_BIT(insn->dst_reg & 0xf), src = REG_BIT(insn->src_reg & 0xf);

	*use = *def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		*use = (BPF_SRC(insn->code) == BPF_X && op != BPF_NEG && op != BPF_END ? src : 0) |
		       (op == BPF_MOV ? 0 : dst);
		*def = dst;
		return;
	case BPF_LDX:
		*use = src;
		*def = dst;
		return;
	case BPF_ST:
		*use = dst;
		return;
	case BPF_STX:
		*use = dst | src;
		if (BPF_MODE(insn->code) == OBJFMT_MODE_ATOMIC && insn->imm == BPF_CMPXCHG) {
			*use |= REG_BIT(0);
			*def = REG_BIT(0);
		} else if (BPF_MODE(insn->code) == OBJFMT_MODE_ATOMIC && (insn->imm & BPF_FETCH)) {
			*def = src;
		}
		return;
	case BPF_LD:
		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			*def = dst;
			return;
		}
		*use = REG_BIT(6) | (BPF_MODE(insn->code) == BPF_IND ? src : 0);
		*def = CALLER_SAVED;
		return;
	default: /* JMP, JMP32 */
		if (op == BPF_EXIT) {
			*use = REG_BIT(0);
		} else if (op == BPF_CALL) {
			const struct helper_proto *proto = insn->src_reg == 0 ?
							   helper_proto_get(insn->imm) : NULL;
			*use = ARG_REGS; /* subprograms and unknown helpers: every argument */
			if (proto) {
				*use = 0;
				for (int a = 0; a < 5 && proto->args[a]; a++)
					*use |= REG_BIT(a + 1);
			}
			*def = CALLER_SAVED;
		} else if (op != BPF_JA) {
			*use = dst | (BPF_SRC(insn->code) == BPF_X ? src : 0);
		}
		return;
	}
}

/* Backward dataflow to a fixed point: live_in = use | (live_out & ~def), live_out the
 * union over successors (a call's successor is the insn after it; the callee is
 * analysed on its own). Pruning ignores registers that are not live: every path from
 * there writes them before reading them. */
int verifier_compute_liveness(struct verifier_env *env)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (uint32_t i = env->insn_cnt; i-- > 0;) {
			const struct objfmt_insn *insn = &env->insns[i];
			if (env->aux[i].ld_imm64_second)
				continue;
			uint16_t use, def, out = 0;
			int64_t next[2];
			int count = successors(env, i, next);
			use_def(insn, &use, &def);
			for (int k = 0; k < count; k++) {
				if (insn->code == (BPF_JMP | BPF_CALL) && next[k] != (int64_t)i + 1)
					continue; /* the callee's entry */
				if (is_ld_imm64(insn) && next[k] != (int64_t)i + 2)
					continue; /* a function pointer's target */
				if (next[k] >= 0 && next[k] < env->insn_cnt)
					out |= env->aux[next[k]].live_in;
			}
			uint16_t in = use | (out & ~def);
			if (in != env->aux[i].live_in) {
				env->aux[i].live_in = in;
				changed = true;
			}
		}
	}
	return 0;
}
