/* verifier_precise.c - precision tracking as the kernel's mark_chain_precision: scalars
 * start imprecise (for pruning, one value is as good as another); when a decision
 * depends on a scalar's exact range (a predicted branch, a pointer offset, a helper
 * size), the insns that produced it are walked backwards through the jump history and
 * the registers and stack slots it came from are marked precise in every checkpoint up
 * the parent chain, printing the kernel's "mark_precise:" lines at log level 2. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

#define ARG_REGS 0x3eu /* r1-r5 */

/* What is still looked for while walking backwards (kernel struct backtrack_state). */
struct vbacktrack {
	uint32_t frame;                              /* frame of the insn being walked */
	uint32_t regs[VERIFIER_MAX_FRAMES];          /* registers, per frame */
	uint64_t slots[VERIFIER_MAX_FRAMES];         /* stack slots (spi), per frame */
};

static bool bt_empty(const struct vbacktrack *bt)
{
	uint64_t any = 0;
	for (uint32_t f = 0; f <= bt->frame && f < VERIFIER_MAX_FRAMES; f++)
		any |= bt->regs[f] | bt->slots[f];
	return !any;
}

static bool bt_reg(const struct vbacktrack *bt, uint32_t regno)
{
	return bt->regs[bt->frame] & (1u << regno);
}

static void bt_set_reg(struct vbacktrack *bt, uint32_t regno)
{
	bt->regs[bt->frame] |= 1u << regno;
}

static void bt_clear_reg(struct vbacktrack *bt, uint32_t regno)
{
	bt->regs[bt->frame] &= ~(1u << regno);
}

/* ---- jump history ---- */

/* `spare`: room for that many more entries (a copy that will be explored further
 * grows its history; a checkpoint's never does). */
int verifier_history_copy(struct vstate *dst, const struct vstate *src, uint32_t spare)
{
	dst->hist = NULL;
	dst->hist_cap = 0;
	if (!src->hist_cnt)
		return 0;
	dst->hist = malloc((src->hist_cnt + spare) * sizeof(*dst->hist));
	if (!dst->hist)
		return -ENOMEM;
	memcpy(dst->hist, src->hist, src->hist_cnt * sizeof(*dst->hist));
	dst->hist_cap = src->hist_cnt + spare;
	return 0;
}

/* Record the current insn in the current state's history; a second record for the
 * same insn merges its flags (kernel push_jmp_history with env->cur_hist_ent). */
int verifier_push_history(struct verifier_env *env, uint32_t flags)
{
	struct vstate *st = env->cur;

	if (env->cur_hist >= 0 && (uint32_t)env->cur_hist < st->hist_cnt &&
	    st->hist[env->cur_hist].idx == env->insn_idx) {
		st->hist[env->cur_hist].flags |= flags;
		return 0;
	}
	if (st->hist_cnt == st->hist_cap) {
		uint32_t cap = st->hist_cap ? st->hist_cap * 2 : 8;
		struct vhist_entry *hist = realloc(st->hist, cap * sizeof(*hist));
		if (!hist)
			return -ENOMEM;
		st->hist = hist;
		st->hist_cap = cap;
	}
	st->hist[st->hist_cnt] = (struct vhist_entry){ env->insn_idx, st->last_insn_idx, flags, 0 };
	env->cur_hist = (int32_t)st->hist_cnt++;
	return 0;
}

static const struct vhist_entry *hist_entry(const struct vstate *st, uint32_t end, int32_t idx)
{
	if (end && st->hist[end - 1].idx == (uint32_t)idx)
		return &st->hist[end - 1];
	return NULL;
}

/* The insn before `i` on the state's path, -ENOENT at the start of its segment. */
static int64_t prev_insn(const struct vstate *st, int32_t i, uint32_t *end)
{
	if (i == st->first_insn_idx) {
		if (*end == 0)
			return -ENOENT;
		if (*end == 1 && st->hist[0].idx == (uint32_t)i)
			return -ENOENT;
	}
	if (*end && st->hist[*end - 1].idx == (uint32_t)i) {
		(*end)--;
		return st->hist[*end].prev_idx;
	}
	return (int64_t)i - 1;
}

/* ---- linked scalars (kernel linked_regs): up to 6 entries of 10 bits (frame 3, is a
 * register 1, regno or slot 6) after a 3-bit count ---- */

#define LINKED_MAX 6

static void linked_add(uint64_t *set, uint32_t frame, bool is_reg, uint32_t n)
{
	uint32_t cnt = (uint32_t)(*set & 7);
	*set = (*set & ~(uint64_t)7) | (cnt + 1);
	*set |= (uint64_t)((frame & 7) | (is_reg ? 8u : 0) | ((n & 63) << 4)) << (3 + 10 * cnt);
}

static void collect_linked(struct vstate *st, uint32_t id, uint64_t *set)
{
	id &= ~VREG_ADD_CONST;
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct vframe *frame = st->frames[f];
		for (uint32_t r = 0; r < VERIFIER_REG_COUNT + VERIFIER_STACK_SLOTS; r++) {
			bool is_reg = r < VERIFIER_REG_COUNT;
			uint32_t s = r - VERIFIER_REG_COUNT;
			if (!is_reg && (s >= frame->allocated / 8 || frame->stack[s].kind[7] != VSLOT_SPILL))
				continue;
			struct vreg *reg = is_reg ? &frame->regs[r] : &frame->stack[s].spill;
			if (reg->type != VREG_SCALAR || (reg->id & ~VREG_ADD_CONST) != id)
				continue;
			if ((*set & 7) < LINKED_MAX)
				linked_add(set, f, is_reg, is_reg ? r : s);
			else
				reg->id = 0;
		}
	}
}

/* Before a conditional jump forks: the scalars linked to its operands, so that
 * backtracking makes all of them precise when one is (kernel collect_linked_regs). */
int verifier_push_linked(struct verifier_env *env, const struct vreg *dst,
			 const struct vreg *src)
{
	uint64_t set = 0;

	if (src && src->type == VREG_SCALAR && src->id)
		collect_linked(env->cur, src->id, &set);
	if (dst->type == VREG_SCALAR && dst->id)
		collect_linked(env->cur, dst->id, &set);
	if ((set & 7) < 2)
		return 0;
	int err = verifier_push_history(env, 0);
	if (!err)
		env->cur->hist[env->cur_hist].linked = set;
	return err;
}

static void sync_linked(struct vbacktrack *bt, const struct vhist_entry *hist)
{
	if (!hist || !hist->linked)
		return;
	uint32_t cnt = (uint32_t)(hist->linked & 7);
	bool any = false;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < cnt; i++) {
			uint32_t e = (uint32_t)(hist->linked >> (3 + 10 * i)) & 0x3ff;
			uint32_t frame = e & 7, n = e >> 4;
			bool is_reg = e & 8;
			if (pass == 0)
				any |= is_reg ? (bt->regs[frame] >> n) & 1 : (bt->slots[frame] >> n) & 1;
			else if (is_reg)
				bt->regs[frame] |= 1u << n;
			else
				bt->slots[frame] |= (uint64_t)1 << n;
		}
		if (!any)
			return;
	}
}

/* ---- log ---- */

static void format_regs(char *buf, size_t size, uint32_t mask)
{
	size_t n = 0;
	buf[0] = 0;
	for (int r = 0; r < 32 && n < size; r++)
		if (mask & (1u << r))
			n += (size_t)snprintf(buf + n, size - n, "%sr%d", n ? "," : "", r);
}

static void format_slots(char *buf, size_t size, uint64_t mask)
{
	size_t n = 0;
	buf[0] = 0;
	for (int s = 0; s < 64 && n < size; s++)
		if (mask & ((uint64_t)1 << s))
			n += (size_t)snprintf(buf + n, size - n, "%s%d", n ? "," : "", -(s + 1) * 8);
}

static void log_before(struct verifier_env *env, const struct vbacktrack *bt, uint32_t idx)
{
	char regs[160], slots[400], text[160];

	if (!(env->log.level & VLOG_LEVEL2))
		return;
	format_regs(regs, sizeof(regs), bt->regs[bt->frame]);
	format_slots(slots, sizeof(slots), bt->slots[bt->frame]);
	verifier_format_insn(env, idx, text, sizeof(text));
	verbose(env, "mark_precise: frame%u: regs=%s stack=%s before %u: (%02x) %s\n", bt->frame,
		regs, slots, idx, env->insns[idx].code, text);
}

/* ---- one insn backwards (kernel backtrack_insn) ---- */

static int backtrack_alu(const struct objfmt_insn *insn, struct vbacktrack *bt)
{
	uint8_t op = BPF_OP(insn->code);

	if (!bt_reg(bt, insn->dst_reg) || op == BPF_END || op == BPF_NEG)
		return 0;
	if (op == BPF_MOV) {
		bt_clear_reg(bt, insn->dst_reg);
		if (BPF_SRC(insn->code) == BPF_X && insn->src_reg != VERIFIER_FP)
			bt_set_reg(bt, insn->src_reg);
	} else if (BPF_SRC(insn->code) == BPF_X && insn->src_reg != VERIFIER_FP) {
		bt_set_reg(bt, insn->src_reg);
	}
	return 0;
}

static int backtrack_mem(const struct objfmt_insn *insn, const struct vhist_entry *hist,
			 struct vbacktrack *bt)
{
	uint8_t cls = OBJFMT_CLASS(insn->code);
	bool stack = hist && (hist->flags & VHIST_STACK_ACCESS);
	uint32_t spi = hist ? hist->flags & 0x3f : 0, frame = hist ? (hist->flags >> 6) & 7 : 0;

	if (cls == BPF_LDX) {
		if (!bt_reg(bt, insn->dst_reg))
			return 0;
		bt_clear_reg(bt, insn->dst_reg);
		if (stack)
			bt->slots[frame] |= (uint64_t)1 << spi;
		return 0;
	}
	if (bt_reg(bt, insn->dst_reg))
		return -ENOTSUP; /* a scalar used as an address: pointer subtraction */
	if (!stack || !(bt->slots[frame] & ((uint64_t)1 << spi)))
		return 0;
	bt->slots[frame] &= ~((uint64_t)1 << spi);
	if (cls == BPF_STX)
		bt_set_reg(bt, insn->src_reg);
	return 0;
}

static int backtrack_call(struct verifier_env *env, const struct objfmt_insn *insn,
			  uint32_t idx, int64_t subseq_idx, struct vbacktrack *bt)
{
	if (insn->src_reg == BPF_PSEUDO_CALL) {
		uint32_t sub = env->aux[idx + insn->imm + 1].subprogno;
		if (env->subprogs[sub].is_global) {
			bt_clear_reg(bt, 0); /* r1-r5 were invalidated by the call */
			return (bt->regs[bt->frame] & ARG_REGS) ? -EFAULT : 0;
		}
		/* leaving the callee backwards: its r1-r5 are the caller's */
		if ((bt->regs[bt->frame] & ~ARG_REGS) || bt->slots[bt->frame] || !bt->frame)
			return -EFAULT;
		bt->regs[bt->frame - 1] |= bt->regs[bt->frame] & ARG_REGS;
		bt->regs[bt->frame] = 0;
		bt->frame--;
		return 0;
	}
	if (env->aux[idx].calls_callback && subseq_idx != (int64_t)idx + 1) {
		/* back out of a callback into the helper that ran it */
		if ((bt->regs[bt->frame] & ~ARG_REGS) || bt->slots[bt->frame] || !bt->frame)
			return -EFAULT;
		bt->regs[bt->frame] = 0;
		bt->frame--;
		return 0;
	}
	bt_clear_reg(bt, 0); /* a helper sets r0 */
	if (bt->regs[bt->frame] & ARG_REGS)
		return -EFAULT;
	return 0;
}

static int backtrack_exit(struct verifier_env *env, int64_t subseq_idx, struct vbacktrack *bt)
{
	if (subseq_idx >= 0 && env->aux[subseq_idx].calls_callback)
		bt->regs[bt->frame] &= ~ARG_REGS;
	if (bt->regs[bt->frame] & ARG_REGS)
		return -EFAULT;
	const struct objfmt_insn *call = subseq_idx >= 1 ? &env->insns[subseq_idx - 1] : NULL;
	bool r0 = call && call->code == (BPF_JMP | BPF_CALL) &&
		  call->src_reg == BPF_PSEUDO_CALL && bt_reg(bt, 0);
	bt_clear_reg(bt, 0);
	if (bt->frame + 1 >= VERIFIER_MAX_FRAMES)
		return -EFAULT;
	bt->frame++;
	bt->regs[bt->frame] = r0 ? 1u : 0;
	bt->slots[bt->frame] = 0;
	return 0;
}

static int backtrack_insn(struct verifier_env *env, uint32_t idx, int64_t subseq_idx,
			  const struct vhist_entry *hist, struct vbacktrack *bt)
{
	const struct objfmt_insn *insn = &env->insns[idx];
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);

	if (env->aux[idx].ld_imm64_second)
		return 0;
	log_before(env, bt, idx);
	sync_linked(bt, hist); /* only conditional jumps record linked scalars */
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return backtrack_alu(insn, bt);
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return backtrack_mem(insn, hist, bt);
	case BPF_LD:
		if (!bt_reg(bt, insn->dst_reg))
			return 0;
		bt_clear_reg(bt, insn->dst_reg);
		return BPF_MODE(insn->code) == BPF_IMM ? 0 : -ENOTSUP;
	default: /* BPF_JMP, BPF_JMP32 */
		if (op == BPF_CALL)
			return backtrack_call(env, insn, idx, subseq_idx, bt);
		if (op == BPF_EXIT)
			return backtrack_exit(env, subseq_idx, bt);
		if (op != BPF_JA && BPF_SRC(insn->code) == BPF_X) {
			if (!bt_reg(bt, insn->dst_reg) && !bt_reg(bt, insn->src_reg))
				return 0;
			bt_set_reg(bt, insn->src_reg);
			bt_set_reg(bt, insn->dst_reg);
		}
		sync_linked(bt, hist);
		return 0;
	}
}

/* ---- marking ---- */

static bool is_spilled_scalar(const struct vstack_slot *slot)
{
	return slot->kind[7] == VSLOT_SPILL && slot->spill.type == VREG_SCALAR;
}

/* Kernel mark_all_scalars_precise: the fallback when backtracking cannot follow. */
static void mark_all_precise(struct verifier_env *env, struct vstate *start)
{
	if (env->log.level & VLOG_LEVEL2)
		verbose(env, "mark_precise: frame%u: falling back to forcing all scalars precise\n",
			start->curframe);
	for (struct vstate *st = start->parent; st; st = st->parent) {
		for (uint32_t f = 0; f <= st->curframe; f++) {
			struct vframe *frame = st->frames[f];
			for (int r = 0; r < VERIFIER_FP; r++) {
				struct vreg *reg = &frame->regs[r];
				if (reg->type != VREG_SCALAR || reg->precise)
					continue;
				reg->precise = true;
				if (env->log.level & VLOG_LEVEL2)
					verbose(env, "force_precise: frame%u: forcing r%d to be precise\n",
						f, r);
			}
			for (uint32_t s = 0; s < frame->allocated / 8; s++) {
				struct vreg *reg = &frame->stack[s].spill;
				if (!is_spilled_scalar(&frame->stack[s]) || reg->precise)
					continue;
				reg->precise = true;
				if (env->log.level & VLOG_LEVEL2)
					verbose(env, "force_precise: frame%u: forcing fp%d to be precise\n",
						f, -(int)(s + 1) * 8);
			}
		}
	}
}

void verifier_mark_all_imprecise(struct vstate *st)
{
	for (uint32_t f = 0; f <= st->curframe; f++) {
		struct vframe *frame = st->frames[f];
		for (int r = 0; r < VERIFIER_FP; r++)
			frame->regs[r].precise = false;
		for (uint32_t s = 0; s < VERIFIER_STACK_SLOTS; s++)
			frame->stack[s].spill.precise = false;
	}
}

/* Mark what `bt` asks for in checkpoint `st`; what was already precise there needs no
 * further walking. */
static void mark_in_parent(struct verifier_env *env, struct vstate *st, struct vbacktrack *bt)
{
	char regs[160], slots[400];

	for (int f = (int)bt->frame; f >= 0; f--) {
		struct vframe *frame = st->frames[f];
		for (uint32_t left = bt->regs[f]; left; left &= left - 1) { /* set bits only */
			int r = __builtin_ctz(left);
			struct vreg *reg = &frame->regs[r];
			if (reg->type != VREG_SCALAR || reg->precise)
				bt->regs[f] &= ~(1u << r);
			else
				reg->precise = true;
		}
		for (uint64_t left = bt->slots[f]; left; left &= left - 1) {
			int s = __builtin_ctzll(left);
			struct vstack_slot *slot = &frame->stack[s];
			if ((uint32_t)s >= frame->allocated / 8 || !is_spilled_scalar(slot) ||
			    slot->spill.precise)
				bt->slots[f] &= ~((uint64_t)1 << s);
			else
				slot->spill.precise = true;
		}
		if (env->log.level & VLOG_LEVEL2) {
			format_regs(regs, sizeof(regs), bt->regs[f]);
			format_slots(slots, sizeof(slots), bt->slots[f]);
			verbose(env, "mark_precise: frame%d: parent state regs=%s stack=%s: ", f, regs,
				slots);
			verifier_print_frame(env, st, (uint32_t)f);
		}
	}
}

/* Whether backtrack_insn would leave `bt` as it is and log nothing for insn `idx`
 * without a history entry: most insns of a walk touch nothing being looked for. */
static bool backtrack_is_noop(const struct verifier_env *env, uint32_t idx,
			      const struct vbacktrack *bt)
{
	const struct objfmt_insn *insn = &env->insns[idx];
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);

	if (env->log.level & VLOG_LEVEL2)
		return false;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return !bt_reg(bt, insn->dst_reg) || op == BPF_END || op == BPF_NEG;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX: /* no history entry: not a stack access */
		return !bt_reg(bt, insn->dst_reg);
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL || op == BPF_EXIT)
			return false;
		return op == BPF_JA || BPF_SRC(insn->code) == BPF_K ||
		       (!bt_reg(bt, insn->dst_reg) && !bt_reg(bt, insn->src_reg));
	default:
		return false;
	}
}

/* Walk one state's segment backwards from last_idx; 1 when nothing is left to find.
 * `bt` is not empty on entry (mark_chain checks it). */
static int walk_segment(struct verifier_env *env, struct vstate *st, int32_t last_idx,
			int64_t *subseq_idx, bool skip_first, struct vbacktrack *bt)
{
	uint32_t end = st->hist_cnt;
	int64_t i = last_idx;

	for (;;) {
		const struct vhist_entry *hist = skip_first ? NULL : hist_entry(st, end, (int32_t)i);

		/* a step that changes nothing leaves `bt` non-empty */
		if (!skip_first && (hist || !backtrack_is_noop(env, (uint32_t)i, bt))) {
			int err = backtrack_insn(env, (uint32_t)i, *subseq_idx, hist, bt);
			if (err)
				return err;
			if (bt_empty(bt))
				return 1;
		}
		skip_first = false;
		*subseq_idx = i;
		i = prev_insn(st, (int32_t)i, &end);
		if (i == -ENOENT)
			return 0;
		if (i < 0 || i >= env->insn_cnt)
			return -EFAULT;
	}
}

/* Kernel __mark_chain_precision from `start` with what `bt` holds. */
static int mark_chain(struct verifier_env *env, struct vstate *start, struct vbacktrack *bt)
{
	struct vstate *st = start;
	int32_t first_idx = st->first_insn_idx, last_idx = (int32_t)st->insn_idx;
	int64_t subseq_idx = -1;
	bool skip_first = true;

	if (bt_empty(bt))
		return 0;
	for (;;) {
		if (env->log.level & VLOG_LEVEL2)
			verbose(env, "mark_precise: frame%u: last_idx %d first_idx %d subseq_idx %lld \n",
				bt->frame, last_idx, first_idx, (long long)subseq_idx);
		if (last_idx < 0) {
			/* entry of a global function: its arguments may stay as they are */
			if (st->curframe == 0 && st->frames[0]->subprogno > 0 && !bt->slots[0] &&
			    !(bt->regs[0] & ~ARG_REGS)) {
				for (int r = 1; r <= 5; r++)
					if ((bt->regs[0] & (1u << r)) &&
					    st->frames[0]->regs[r].type == VREG_SCALAR)
						st->frames[0]->regs[r].precise = true;
				return 0;
			}
			return -EFAULT;
		}
		int done = walk_segment(env, st, last_idx, &subseq_idx, skip_first, bt);
		skip_first = false;
		if (done == -ENOTSUP) {
			mark_all_precise(env, start);
			return 0;
		}
		if (done)
			return done < 0 ? done : 0;
		st = st->parent;
		if (!st)
			break;
		mark_in_parent(env, st, bt);
		if (bt_empty(bt))
			return 0;
		subseq_idx = first_idx;
		last_idx = st->last_insn_idx;
		first_idx = st->first_insn_idx;
	}
	if (!bt_empty(bt))
		mark_all_precise(env, start);
	return 0;
}

/* The current state's scalar `regno` must keep its exact range (kernel
 * mark_chain_precision); pointers need nothing. */
int verifier_mark_precise(struct verifier_env *env, uint32_t regno)
{
	struct vbacktrack bt;

	if (regno >= VERIFIER_FP)
		return 0;
	memset(&bt, 0, sizeof(bt));
	bt.frame = env->cur->curframe;
	if (vcur_regs(env)[regno].type != VREG_SCALAR)
		return 0;
	bt_set_reg(&bt, regno);
	int err = mark_chain(env, env->cur, &bt);
	if (err == -EFAULT)
		verbose(env, "verifier bug: backtracking\n");
	return err;
}

/* A spilled stack slot whose value a decision relied on (constant map keys). */
int verifier_mark_precise_slot(struct verifier_env *env, uint32_t frameno, uint32_t spi)
{
	struct vbacktrack bt;

	memset(&bt, 0, sizeof(bt));
	bt.frame = env->cur->curframe;
	bt.slots[frameno] |= (uint64_t)1 << spi;
	return mark_chain(env, env->cur, &bt);
}

/* After pruning against `old`: what was precise there must be precise on the current
 * path too (kernel propagate_precision). Dead registers of `old` are skipped, as the
 * kernel's cleaned explored states hold them as NOT_INIT. */
int verifier_propagate_precision(struct verifier_env *env, const struct vstate *old,
				 const uint16_t *live, const uint64_t *slots_live)
{
	struct vbacktrack bt;

	memset(&bt, 0, sizeof(bt));
	bt.frame = old->curframe;
	for (int f = (int)old->curframe; f >= 0; f--) {
		const struct vframe *frame = old->frames[f];
		bool first = true;
		for (int r = 0; r < VERIFIER_FP; r++) {
			const struct vreg *reg = &frame->regs[r];
			if (reg->type != VREG_SCALAR || !reg->precise || !(live[f] & (1u << r)))
				continue;
			if ((env->log.level & VLOG_LEVEL2) && first)
				verbose(env, "frame %d: propagating r%d", f, r);
			else if (env->log.level & VLOG_LEVEL2)
				verbose(env, ",r%d", r);
			bt.regs[f] |= 1u << r;
			first = false;
		}
		for (uint32_t s = 0; s < frame->allocated / 8; s++) {
			if (!is_spilled_scalar(&frame->stack[s]) || !frame->stack[s].spill.precise ||
			    !((slots_live[f] >> s) & 1))
				continue;
			if ((env->log.level & VLOG_LEVEL2) && first)
				verbose(env, "frame %d: propagating fp%d", f, -(int)(s + 1) * 8);
			else if (env->log.level & VLOG_LEVEL2)
				verbose(env, ",fp%d", -(int)(s + 1) * 8);
			bt.slots[f] |= (uint64_t)1 << s;
			first = false;
		}
		if (!first && (env->log.level & VLOG_LEVEL2))
			verbose(env, "\n");
	}
	return mark_chain(env, env->cur, &bt);
}

/* ---- loops: where imprecise scalars may not be taken as equal ---- */

/* Successors of insn i inside its function (a call continues after itself). */
static int loop_successors(const struct verifier_env *env, uint32_t i, int64_t out[2])
{
	const struct objfmt_insn *insn = &env->insns[i];
	uint8_t cls = OBJFMT_CLASS(insn->code), op = BPF_OP(insn->code);

	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
		out[0] = (int64_t)i + 2;
		return 1;
	}
	if (cls != BPF_JMP && cls != BPF_JMP32) {
		out[0] = (int64_t)i + 1;
		return 1;
	}
	if (op == BPF_EXIT)
		return 0;
	if (op == BPF_CALL) {
		out[0] = (int64_t)i + 1;
		return 1;
	}
	int64_t target = (int64_t)i + 1 + (cls == BPF_JMP32 && op == BPF_JA ? insn->imm : insn->off);
	out[0] = target;
	if (op == BPF_JA)
		return 1;
	out[1] = (int64_t)i + 1;
	return 2;
}

struct tarjan {
	uint32_t *index, *low, *stack, *work, *edge;
	bool *on_stack;
	uint32_t next_index, sp, wp;
	uint32_t scc_count;
};

static void tarjan_close(struct verifier_env *env, struct tarjan *t, uint32_t v)
{
	uint32_t size = 0, w;
	bool self = false;
	int64_t next[2];
	int n = loop_successors(env, v, next);

	for (int k = 0; k < n; k++)
		self |= next[k] == v;
	uint32_t base = t->sp;
	do {
		w = t->stack[--base];
		size++;
	} while (w != v);
	if (size > 1 || self)
		t->scc_count++;
	for (uint32_t k = base; k < t->sp; k++) {
		t->on_stack[t->stack[k]] = false;
		if (size > 1 || self)
			env->aux[t->stack[k]].scc = t->scc_count;
	}
	t->sp = base;
}

/* Iterative Tarjan over insn `root`'s reachable graph. */
static void tarjan_from(struct verifier_env *env, struct tarjan *t, uint32_t root)
{
	t->work[t->wp++] = root;
	t->edge[root] = 0;
	t->index[root] = t->low[root] = ++t->next_index;
	t->stack[t->sp++] = root;
	t->on_stack[root] = true;
	while (t->wp) {
		uint32_t v = t->work[t->wp - 1];
		int64_t next[2];
		int n = loop_successors(env, v, next);
		if (t->edge[v] < (uint32_t)n) {
			int64_t w = next[t->edge[v]++];
			if (w < 0 || w >= env->insn_cnt)
				continue;
			if (!t->index[w]) {
				t->index[w] = t->low[w] = ++t->next_index;
				t->stack[t->sp++] = (uint32_t)w;
				t->on_stack[w] = true;
				t->edge[w] = 0;
				t->work[t->wp++] = (uint32_t)w;
			} else if (t->on_stack[w] && t->index[w] < t->low[v]) {
				t->low[v] = t->index[w];
			}
			continue;
		}
		t->wp--;
		if (t->wp) {
			uint32_t parent = t->work[t->wp - 1];
			if (t->low[v] < t->low[parent])
				t->low[parent] = t->low[v];
		}
		if (t->low[v] == t->index[v])
			tarjan_close(env, t, v);
	}
}

/* Number the loops (strongly connected components of the CFG, as the kernel's
 * compute_scc) and mark every insn of a callback subprogram: a callback's states may
 * meet states of an unfinished iteration, whose precision marks are incomplete (the
 * kernel propagates them along SCC backedges; here such insns compare every scalar by
 * range). Plain loops prune like the kernel: only against completed states. */
int verifier_find_loops(struct verifier_env *env)
{
	struct tarjan t;
	uint32_t n = env->insn_cnt;

	memset(&t, 0, sizeof(t));
	t.index = calloc(n, sizeof(uint32_t));
	t.low = calloc(n, sizeof(uint32_t));
	t.stack = calloc(n, sizeof(uint32_t));
	t.work = calloc(n, sizeof(uint32_t));
	t.edge = calloc(n, sizeof(uint32_t));
	t.on_stack = calloc(n, sizeof(bool));
	int err = 0;
	if (!t.index || !t.low || !t.stack || !t.work || !t.edge || !t.on_stack)
		err = -ENOMEM;
	for (uint32_t i = 0; !err && i < n; i++)
		if (!t.index[i] && !env->aux[i].ld_imm64_second)
			tarjan_from(env, &t, i);
	for (uint32_t i = 0; !err && i + 1 < n; i++) {
		const struct objfmt_insn *insn = &env->insns[i];
		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW) || insn->src_reg != BPF_PSEUDO_FUNC)
			continue;
		int64_t start = (int64_t)i + insn->imm + 1;
		if (start < 0 || start >= n)
			continue;
		const struct vsubprog *sp = &env->subprogs[env->aux[start].subprogno];
		for (uint32_t k = sp->start; k < sp->end && k < n; k++)
			env->aux[k].in_loop = true;
	}
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.work);
	free(t.edge);
	free(t.on_stack);
	return err;
}
