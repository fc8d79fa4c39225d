/* verifier.c - BPF_PROG_LOAD's safety check: the structural pass, then every path of the
 * program explored with abstract states (see verifier_int.h for the state model), one
 * insn at a time, then the rewrite for execution and the log's closing statistics.
 * Root semantics only: what the kernel allows to CAP_SYS_ADMIN/CAP_BPF callers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verifier_attach.h"
#include "verifier_int.h"

const struct emu_map_desc *verifier_map_desc(const struct emu_map *map)
{
	return emu_map_desc(map);
}

uint32_t verifier_new_id(struct verifier_env *env)
{
	return ++env->id_gen;
}

int verifier_check_reg_read(struct verifier_env *env, uint32_t regno)
{
	if (regno >= VERIFIER_REG_COUNT) {
		verbose(env, "R%u is invalid\n", regno);
		return -EINVAL;
	}
	if (vcur_regs(env)[regno].type == VREG_NOT_INIT) {
		verbose(env, "R%u !read_ok\n", regno);
		return -EACCES;
	}
	vcur_regs(env)[regno].written = true; /* touched: shown after the insn */
	return 0;
}

/* Check that `regno` may be written; marks it written for the per-insn log. */
int verifier_check_reg_write(struct verifier_env *env, uint32_t regno)
{
	if (regno >= VERIFIER_REG_COUNT) {
		verbose(env, "R%u is invalid\n", regno);
		return -EINVAL;
	}
	if (regno == VERIFIER_FP) {
		verbose(env, "frame pointer is read only\n");
		return -EACCES;
	}
	vcur_regs(env)[regno].written = true;
	return 0;
}

/* Reserved-field message for an insn objfmt_insn_decode refused, worded as the kernel
 * words it for the class. */
static int reserved_fields(struct verifier_env *env, const struct objfmt_insn *insn)
{
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);
	const char *what = "BPF_ALU";

	if (cls == BPF_ALU || cls == BPF_ALU64) {
		if (op == BPF_MOV)
			what = "BPF_MOV";
		else if (op == BPF_NEG)
			what = "BPF_NEG";
		else if (op == BPF_END)
			what = "BPF_END";
		if ((op == BPF_DIV || op == BPF_MOD) && insn->off > 1) {
			verbose(env, "invalid BPF_ALU opcode %x\n", op);
			return -EINVAL;
		}
	} else if (cls == BPF_LDX) {
		what = "BPF_LDX";
	} else if (cls == BPF_ST) {
		what = "BPF_ST";
	} else if (cls == BPF_STX) {
		if (BPF_MODE(insn->code) == BPF_ATOMIC) {
			verbose(env, "BPF_ATOMIC uses invalid atomic opcode %02x\n", insn->imm);
			return -EINVAL;
		}
		what = "BPF_STX";
	} else if (cls == BPF_LD) {
		what = "BPF_LD_[ABS|IND]";
	} else if (op == BPF_JA) {
		what = "BPF_JA";
	} else if (op == BPF_CALL) {
		what = "BPF_CALL";
	} else if (op == BPF_EXIT) {
		what = "BPF_EXIT";
	} else {
		what = "BPF_JMP/JMP32";
	}
	verbose(env, "%s uses reserved fields\n", what);
	return -EINVAL;
}

static int check_ld_imm64_insn(struct verifier_env *env, const struct objfmt_insn *insn,
			       uint32_t idx)
{
	int err = verifier_check_reg_write(env, insn->dst_reg);
	if (err)
		return err;
	struct vreg *dst = &vcur_regs(env)[insn->dst_reg];
	struct vinsn_aux *aux = &env->aux[idx];

	switch (insn->src_reg) {
	case 0:
		vreg_mark_const(dst, (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32));
		break;
	case BPF_PSEUDO_FUNC:
		if (!env->prog->func_info) {
			verbose(env, "missing btf func_info\n");
			return -EINVAL;
		}
		if (env->subprogs[env->aux[idx + insn->imm + 1].subprogno].is_global) {
			verbose(env, "callback function not static\n");
			return -EINVAL;
		}
		vreg_mark_const(dst, 0);
		dst->type = VREG_FUNC;
		dst->subprogno = env->aux[idx + insn->imm + 1].subprogno;
		break;
	case BPF_PSEUDO_BTF_ID:
		verifier_ksym_mark(env, idx, dst);
		break;
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		vreg_mark_const(dst, 0);
		dst->type = VREG_MAP_PTR;
		dst->map = aux->map;
		break;
	default: /* map value */
		vreg_mark_const(dst, 0);
		dst->type = VREG_MAP_VALUE;
		dst->off = (int32_t)aux->map_value_off;
		dst->map = aux->map;
		break;
	}
	dst->written = true;
	return 0;
}

static void clear_written(struct verifier_env *env)
{
	for (uint32_t f = 0; f <= env->cur->curframe; f++) {
		struct vframe *frame = env->cur->frames[f];
		for (int r = 0; r < VERIFIER_REG_COUNT; r++)
			frame->regs[r].written = false;
		frame->stack_scratched = 0;
	}
}

/* Remember the deepest stack each subprogram used (for the combined-size check). */
static void note_stack_depth(struct verifier_env *env)
{
	for (uint32_t f = 0; f <= env->cur->curframe; f++) {
		struct vframe *frame = env->cur->frames[f];
		struct vsubprog *sp = &env->subprogs[frame->subprogno];
		if (frame->allocated > sp->stack_depth)
			sp->stack_depth = frame->allocated;
	}
}

/* One insn; sets *next to the following insn index, *path_done at an exit that ended
 * the path. */
static int do_insn(struct verifier_env *env, uint32_t idx, uint32_t *next, bool *path_done)
{
	const struct objfmt_insn *insn = &env->insns[idx];
	/* decoded the first time the insn is reached (the walk does not change insns) */
	enum objfmt_op op = env->aux[idx].op ? env->aux[idx].op
			    : objfmt_insn_decode(insn, env->insn_cnt - idx, idx, NULL);
	uint8_t cls = OBJFMT_CLASS(insn->code);

	*next = idx + 1;
	if (op == OBJFMT_OP_INVALID && insn->code == (BPF_JMP | BPF_EXIT) && !insn->imm &&
	    !insn->src_reg && !insn->dst_reg)
		op = OBJFMT_OP_EXIT; /* the kernel does not look at an exit's off */
	if (op == OBJFMT_OP_INVALID)
		return reserved_fields(env, insn);
	env->aux[idx].op = op;
	const struct objfmt_opinfo *info = objfmt_opinfo(op);
	switch (info->form) {
	case OBJFMT_FORM_ALU_IMM:
	case OBJFMT_FORM_ALU_REG:
	case OBJFMT_FORM_UNARY:
		return verifier_check_alu(env, insn, op);
	case OBJFMT_FORM_LD_IMM64:
		*next = idx + 2;
		env->aux[idx + 1].seen = true;
		return check_ld_imm64_insn(env, insn, idx);
	case OBJFMT_FORM_LD_ABS:
	case OBJFMT_FORM_LD_IND:
	case OBJFMT_FORM_LDX:
	case OBJFMT_FORM_ST:
	case OBJFMT_FORM_STX:
	case OBJFMT_FORM_ATOMIC:
		return verifier_check_mem_insn(env, insn, op);
	case OBJFMT_FORM_JA:
		env->jmps_processed++;
		*next = (uint32_t)((int64_t)idx + 1 +
				   (cls == BPF_JMP32 ? insn->imm : insn->off));
		return 0;
	case OBJFMT_FORM_JMP_IMM:
	case OBJFMT_FORM_JMP_REG:
		env->jmps_processed++;
		return verifier_check_cond_jmp(env, insn, next);
	case OBJFMT_FORM_CALL:
		env->jmps_processed++;
		if (env->cur->lock_held && insn->src_reg == 0 && insn->imm != BPF_FUNC_spin_unlock) {
			verbose(env, "function calls are not allowed while holding a lock\n");
			return -EINVAL;
		}
		if (insn->src_reg == BPF_PSEUDO_CALL)
			return verifier_check_subprog_call(env, insn, next);
		if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
			return verifier_check_kfunc_call(env, insn, idx);
		int err = verifier_check_helper_call(env, insn, idx);
		if (!err) /* r0 is shown after a call, even when left not init */
			vcur_regs(env)[0].written = true;
		return err;
	case OBJFMT_FORM_CALLX:
		verbose(env, "unknown opcode %02x\n", insn->code);
		return -EINVAL;
	case OBJFMT_FORM_EXIT:
		env->jmps_processed++;
		return verifier_check_exit(env, next, path_done);
	}
	verbose(env, "unknown insn class %d\n", cls);
	return -EINVAL;
}

/* Log what happens before insn `idx` is checked: the state after a pop ("from X to
 * Y:"), every state at level 2, then the insn itself. */
static void log_before_insn(struct verifier_env *env, uint32_t idx, bool *print_state)
{
	if (!(env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2)))
		return;
	if (*print_state) {
		/* level 2 names the branch; then both print the state as "N:" (level 1 on
		 * the line where the abandoned path's text was cut) */
		if (env->path_started && (env->log.level & VLOG_LEVEL2)) {
			verbose(env, "\nfrom %u to %u:", env->prev_insn_idx, idx);
			verifier_print_state(env, env->cur, true);
		}
		if (!env->log_after_return) {
			verbose(env, "%u:", idx);
			verifier_print_state(env, env->cur, true);
		}
		env->log_after_return = false;
		*print_state = false;
	}
	verifier_print_insn(env, idx);
}

/* The state after an insn; at level 2 a call into a subprogram prints the callee's
 * entry as "N: frame1: ...", and a return names its way back ("from X to Y:"). */
static void log_after_insn(struct verifier_env *env, uint32_t frame_before, uint32_t next,
			   bool *print_state)
{
	uint32_t frame = env->cur->curframe;
	if (!(env->log.level & VLOG_LEVEL2) || frame == frame_before) {
		verifier_print_insn_state(env, env->cur);
	} else if (frame > frame_before) {
		verbose(env, "%u:", next);
		verifier_print_state(env, env->cur, true);
	} else {
		*print_state = true;
		env->log_after_return = true;
	}
}

static int end_path(struct verifier_env *env, uint32_t *idx, bool *print_state)
{
	verifier_update_branch_counts(env, env->cur);
	int err = verifier_pop_branch(env, idx, &env->prev_insn_idx);
	if (err)
		return err; /* -ENOENT: every path explored */
	*print_state = true; /* prev_linfo stays: the kernel resets it per subprogram only */
	return 0;
}

/* Explore every path from the entry of the main program. */
/* Explore every path from insn `idx` with the state in env->cur. */
static int do_check(struct verifier_env *env, uint32_t idx)
{
	bool print_state = true;
	bool pending_state = false; /* state after the last insn: printed if the path goes on */

	env->prev_insn_idx = idx;
	env->path_started = false;
	env->cur->first_insn_idx = (int32_t)idx;
	for (;;) {
		if (idx >= env->insn_cnt) {
			verbose(env, "invalid insn idx %u insn_cnt %u\n", idx, env->insn_cnt);
			return -EFAULT;
		}
		if (++env->insn_processed > VERIFIER_INSN_LIMIT) {
			verbose(env, "BPF program is too large. Processed %u insn\n",
				env->insn_processed);
			return -E2BIG;
		}
		env->insn_idx = idx;
		env->cur->insn_idx = idx;
		env->cur->last_insn_idx = env->path_started ? (int32_t)env->prev_insn_idx : -1;
		env->cur_hist = -1;
		int err = verifier_is_state_visited(env, idx);
		if (err < 0)
			return err;
		if (err == 1) {
			pending_state = false;
			if (print_state)
				verbose(env, "\nfrom %u to %u: safe\n", env->prev_insn_idx, idx);
			else if (env->log.level & VLOG_LEVEL2)
				verbose(env, "%u: safe\n", idx);
			err = end_path(env, &idx, &print_state);
			if (err == -ENOENT)
				return 0;
			if (err)
				return err;
			continue;
		}
		if (env->aux[idx].jmp_point ||
		    (idx && env->subprogs[env->aux[idx].subprogno].start == idx)) {
			err = verifier_push_history(env, 0); /* reached non-linearly */
			if (err)
				return err;
		}
		if (pending_state)
			verifier_print_insn_state(env, env->cur);
		pending_state = false;
		env->aux[idx].seen = true;
		log_before_insn(env, idx, &print_state);
		env->path_started = true;
		clear_written(env);
		uint32_t next, frame_before = env->cur->curframe;
		bool path_done = false;
		err = do_insn(env, idx, &next, &path_done);
		if (err)
			return err;
		note_stack_depth(env);
		if (path_done) {
			err = end_path(env, &idx, &print_state);
			if (err == -ENOENT)
				return 0;
			if (err)
				return err;
			continue;
		}
		/* like the kernel, a conditional jump prints its state at once, any other insn
		 * when the next one is not pruned */
		uint8_t op = BPF_OP(env->insns[idx].code), cls = OBJFMT_CLASS(env->insns[idx].code);
		bool cond = (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA &&
			    op != BPF_CALL && op != BPF_EXIT;
		if (env->cur->curframe == frame_before && !cond)
			pending_state = true;
		else
			log_after_insn(env, frame_before, next, &print_state);
		env->prev_insn_idx = idx;
		idx = next;
	}
}

/* Entry state of a global subprogram: its arguments as its prototype types them. */
static int global_entry_state(struct verifier_env *env, uint32_t s)
{
	vstate_free(env->cur);
	env->cur = vstate_new_initial(env);
	if (!env->cur)
		return -ENOMEM;
	return verifier_global_entry(env, s, env->cur->frames[0]);
}

/* Level 1 keeps only a failing path: a verified function's log is dropped. */
static void drop_safe_log(struct verifier_env *env)
{
	if (!(env->log.level & VLOG_LEVEL2))
		vlog_reset(&env->log, 0);
}

/* The program from insn 0, then each global subprogram that a verified path calls, on
 * its own, until no new one is called (kernel do_check_main / do_check_subprogs). */
static int do_check_all(struct verifier_env *env)
{
	env->cur = vstate_new_initial(env);
	if (!env->cur)
		return -ENOMEM;
	env->root_subprog = 0;
	for (uint32_t s = 1; s < env->subprog_cnt; s++) /* the kernel types them up front */
		if (env->subprogs[s].is_global)
			(void)verifier_global_prepare(env, s);
	int err = do_check(env, 0);
	bool again = !err;
	while (again) {
		again = false;
		for (uint32_t s = 1; !err && s < env->subprog_cnt; s++) {
			struct vsubprog *sp = &env->subprogs[s];
			if (!sp->is_global || !sp->called || sp->verified)
				continue;
			drop_safe_log(env);
			env->root_subprog = s;
			if (env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2))
				verbose(env, "Validating %s() func#%u...\n", sp->name, s);
			err = global_entry_state(env, s);
			if (!err)
				err = do_check(env, sp->start);
			if (err)
				return err;
			drop_safe_log(env);
			if (env->log.level & (VLOG_LEVEL1 | VLOG_LEVEL2))
				verbose(env, "Func#%u ('%s') is safe for any args that match its "
					"prototype\n", s, sp->name);
			sp->verified = true;
			again = true;
		}
	}
	if (!err && env->root_subprog == 0)
		drop_safe_log(env);
	return err;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Kernel print_verification_stats: time and per-subprogram stack with BPF_LOG_STATS,
 * then the processed line. */
static void print_stats(struct verifier_env *env, uint64_t elapsed_ns)
{
	if (!env->log.level)
		return;
	uint32_t level = env->log.level;
	env->log.level |= VLOG_LEVEL1;
	if (level & VLOG_STATS) {
		vlog_printf(env, "verification time %llu usec\nstack depth ",
			    (unsigned long long)(elapsed_ns / 1000));
		for (uint32_t s = 0; s < env->subprog_cnt; s++)
			vlog_printf(env, "%u%s", env->subprogs[s].stack_depth,
				    s + 1 < env->subprog_cnt ? "+" : "");
		vlog_printf(env, "\n");
	}
	vlog_printf(env, "processed %u insns (limit %u) max_states_per_insn %u total_states %u "
		    "peak_states %u mark_read 0\n", env->insn_processed, VERIFIER_INSN_LIMIT,
		    env->max_states_per_insn, env->total_states, env->peak_states);
	env->log.level = level;
}

static int env_init(struct verifier_env *env, struct emu_prog *prog,
		    const union bpf_attr *attr, struct emu_log *log)
{
	memset(env, 0, sizeof(*env));
	env->prog = prog;
	env->attr = attr;
	env->insns = prog->insns;
	env->insn_cnt = prog->insn_cnt;
	int err = vlog_init(&env->log, log);
	if (err)
		return err;
	env->aux = calloc(env->insn_cnt + 1, sizeof(*env->aux));
	env->explored = calloc(env->insn_cnt + 1, sizeof(*env->explored));
	env->active_count = calloc(env->insn_cnt + 1, sizeof(*env->active_count));
	if (!env->aux || !env->explored || !env->active_count)
		return -ENOMEM;
	return 0;
}

static int verify(struct verifier_env *env)
{
	if (env->insn_cnt == 0 || env->insn_cnt > VERIFIER_INSN_LIMIT)
		return -EINVAL;
	int err = verifier_check_attach(env);
	if (!err)
		err = verifier_resolve_ld_imm64(env);
	if (!err)
		err = verifier_check_structure(env);
	if (!err)
		err = verifier_check_btf_line(env);
	if (!err)
		err = verifier_check_kfunc_ids(env);
	if (!err)
		err = verifier_find_loops(env);
	if (!err)
		err = verifier_compute_stack_liveness(env);
	if (!err && (env->log.level & VLOG_LEVEL2))
		for (uint32_t s = 0; s < env->subprog_cnt; s++)
			verbose(env, "func#%u @%u\n", s, env->subprogs[s].start);
	if (!err)
		verifier_print_live_regs(env);
	if (!err)
		err = do_check_all(env);
	if (!err)
		err = verifier_check_stack_depth(env);
	if (!err)
		err = verifier_rewrite(env);
	return err;
}

int emu_verifier_run(struct emu_prog *prog, const union bpf_attr *attr, struct emu_log *log)
{
	struct verifier_env env;
	int err = env_init(&env, prog, attr, log);

	if (!err) {
		uint64_t start = now_ns();
		err = verify(&env);
		print_stats(&env, now_ns() - start);
		prog->verified_insns = env.insn_processed;
		int log_err = vlog_finalize(&env.log);
		if (log_err)
			err = log_err;
	}
	verifier_free_states(&env);
	vlog_free(&env.log);
	free(env.aux);
	return err;
}
