/* verifier_state.c - abstract states: copying, the stack of unexplored branches, branch
 * counting (a state is "in progress" while paths below it are unexplored), and pruning
 * against states already proven safe at the same insn, with the kernel's checkpoint
 * heuristic and its infinite-loop detection. */
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "verifier_int.h"

struct vframe *vcur_frame(struct verifier_env *env)
{
	return env->cur->frames[env->cur->curframe];
}

struct vreg *vcur_regs(struct verifier_env *env)
{
	return vcur_frame(env)->regs;
}

/* Full-size frames given back by vstate_free, for copy_state to reuse: malloc and
 * free of ~9 KB blocks and the zeroing of each copy's unused slots were a fifth of the
 * verification time of branchy programs. A frame's bytes past its `allocated` slots
 * are zero (never written), so a reused frame needs zeroing only up to the old
 * frame's `dirty` end. One list per thread, emptied by verifier_free_states. */
struct spare_frame {
	struct spare_frame *next;
	size_t dirty; /* bytes from the frame's start that may be non-zero */
};
static _Thread_local struct spare_frame *spare_frames;

/* Bytes of `frame` that may be non-zero: the fixed part and its allocated slots. */
static size_t frame_used(const struct vframe *frame)
{
	return offsetof(struct vframe, stack) +
	       frame->allocated / 8 * sizeof(struct vstack_slot);
}

static void frame_release(struct vframe *frame)
{
	struct spare_frame *spare = (struct spare_frame *)frame;
	size_t dirty = frame_used(frame);

	spare->dirty = dirty;
	spare->next = spare_frames;
	spare_frames = spare;
}

/* A full-size frame whose bytes from `used` on are zero, or NULL. */
static struct vframe *frame_take(size_t used)
{
	struct spare_frame *spare = spare_frames;
	struct vframe *frame;

	if (!spare) {
		frame = malloc(sizeof(struct vframe));
		if (frame)
			memset((char *)frame + used, 0, sizeof(struct vframe) - used);
		return frame;
	}
	spare_frames = spare->next;
	if (spare->dirty > used)
		memset((char *)spare + used, 0, spare->dirty - used);
	return (struct vframe *)spare;
}

void verifier_release_spare_frames(void)
{
	while (spare_frames) {
		struct spare_frame *next = spare_frames->next;
		free(spare_frames);
		spare_frames = next;
	}
}

void vstate_free(struct vstate *st)
{
	if (!st)
		return;
	for (uint32_t i = 0; i < VERIFIER_MAX_FRAMES; i++) {
		if (st->frames[i] && !st->compact_frames)
			frame_release(st->frames[i]);
		else
			free(st->frames[i]);
	}
	free(st->hist);
	free(st);
}

/* `compact`: a checkpoint, which is only compared, printed and marked precise within
 * its allocated stack, keeps just those slots of each frame, as the kernel copies
 * allocated_stack bytes (deep call chains in a loop would otherwise take gigabytes). */
static struct vstate *copy_state(const struct vstate *src, bool compact)
{
	struct vstate *st = malloc(sizeof(*st));
	if (!st)
		return NULL;
	*st = *src;
	st->compact_frames = compact;
	memset(st->frames, 0, sizeof(st->frames));
	if (verifier_history_copy(st, src, compact ? 0 : src->hist_cnt) < 0) {
		free(st);
		return NULL;
	}
	for (uint32_t i = 0; i <= src->curframe; i++) {
		const struct vframe *from = src->frames[i];
		size_t used = frame_used(from);

		/* slots past `allocated` are never written: all zero */
		st->frames[i] = compact ? malloc(used) : frame_take(used);
		if (!st->frames[i]) {
			vstate_free(st);
			return NULL;
		}
		memcpy(st->frames[i], from, used);
	}
	return st;
}

struct vstate *vstate_copy(const struct vstate *src)
{
	return copy_state(src, false);
}

/* Entry state of the main program: r1 = ctx, r10 = frame pointer, the rest not init. */
struct vstate *vstate_new_initial(struct verifier_env *env)
{
	struct vstate *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->frames[0] = calloc(1, sizeof(struct vframe));
	if (!st->frames[0]) {
		free(st);
		return NULL;
	}
	struct vframe *frame = st->frames[0];
	for (int r = 0; r < VERIFIER_REG_COUNT; r++)
		vreg_mark_not_init(&frame->regs[r]);
	vreg_mark_const(&frame->regs[1], 0);
	frame->regs[1].type = VREG_CTX;
	vreg_mark_const(&frame->regs[VERIFIER_FP], 0);
	frame->regs[VERIFIER_FP].type = VREG_STACK;
	frame->callsite = -1;
	st->branches = 1;
	st->last_insn_idx = -1;
	return st;
}

int verifier_push_branch(struct verifier_env *env, uint32_t insn_idx, uint32_t prev_idx,
			 struct vstate **out)
{
	if (env->stack_len >= VERIFIER_JMP_SEQ_LIMIT) { /* the kernel counts the new one */
		verbose(env, "The sequence of %u jumps is too complex.\n", env->stack_len + 1);
		return -EFAULT; /* 6.18's push_stack returns NULL: EFAULT at a jump */
	}
	if (env->stack_len == env->stack_cap) {
		uint32_t cap = env->stack_cap ? env->stack_cap * 2 : 64;
		struct vpending *stack = realloc(env->stack, cap * sizeof(*stack));
		if (!stack)
			return -ENOMEM;
		env->stack = stack;
		env->stack_cap = cap;
	}
	struct vstate *st = vstate_copy(env->cur);
	if (!st)
		return -ENOMEM;
	st->branches = 1;
	if (st->parent)
		st->parent->branches++;
	env->stack[env->stack_len++] = (struct vpending){ st, insn_idx, prev_idx,
							  vlog_pos(&env->log) };
	if (out)
		*out = st;
	return 0;
}

/* Continue with the most recently pushed branch; -ENOENT when none is left. At log
 * level 1 the text of the path that just ended safely is dropped. */
int verifier_pop_branch(struct verifier_env *env, uint32_t *insn_idx, uint32_t *prev_idx)
{
	if (!env->stack_len)
		return -ENOENT;
	struct vpending *p = &env->stack[--env->stack_len];
	vstate_free(env->cur);
	env->cur = p->state;
	*insn_idx = p->insn_idx;
	*prev_idx = p->prev_insn_idx;
	if (!(env->log.level & VLOG_LEVEL2))
		vlog_reset(&env->log, p->log_pos);
	return 0;
}

/* A path below `st` ended: states whose every path ended are now proven safe. */
/* The loop a checkpoint is in, as the kernel names it (compute_scc_callchain): the
 * call sites of the frames up to the first one whose insn is on a cycle, then that
 * cycle's number; false when no frame is in a loop. */
static bool scc_chain(const struct verifier_env *env, const struct vstate *st, char *buf,
		      size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "(");
	for (uint32_t f = 0; f <= st->curframe; f++) {
		uint32_t at = f == st->curframe ? st->insn_idx
						: (uint32_t)st->frames[f + 1]->callsite;
		if (env->aux[at].scc) {
			snprintf(buf + n, size - n, "%u)", env->aux[at].scc);
			return true;
		}
		if (f == st->curframe)
			return false;
		n += (size_t)snprintf(buf + n, size - n, "%u,", at);
	}
	return false;
}

/* Level 2: "SCC enter (N)" when a checkpoint starts exploring a loop (kernel
 * maybe_enter_scc); the loop is left when that checkpoint is proven safe. */
static void scc_enter(struct verifier_env *env, struct vstate *st)
{
	char chain[48];

	if (!scc_chain(env, st, chain, sizeof(chain)))
		return;
	for (uint32_t i = 0; i < env->scc_entry_cnt; i++)
		if (!strcmp(env->scc_chain[i], chain))
			return;
	if (env->scc_entry_cnt == 16)
		return;
	env->scc_entry[env->scc_entry_cnt] = st;
	memcpy(env->scc_chain[env->scc_entry_cnt++], chain, sizeof(chain));
	if (env->log.level & VLOG_LEVEL2)
		verbose(env, "SCC enter %s\n", chain);
}

static void scc_exit(struct verifier_env *env, struct vstate *st)
{
	for (uint32_t i = 0; i < env->scc_entry_cnt; i++) {
		if (env->scc_entry[i] != st)
			continue;
		if (env->log.level & VLOG_LEVEL2)
			verbose(env, "SCC exit %s\n", env->scc_chain[i]);
		env->scc_entry_cnt--;
		env->scc_entry[i] = env->scc_entry[env->scc_entry_cnt];
		memcpy(env->scc_chain[i], env->scc_chain[env->scc_entry_cnt], sizeof(env->scc_chain[i]));
		return;
	}
}

void verifier_update_branch_counts(struct verifier_env *env, struct vstate *st)
{
	while (st) {
		if (--st->branches)
			break;
		scc_exit(env, st);
		struct vexplored *node = st->node;
		if (node && node->active) { /* proven safe: now usable for pruning */
			node->active = false;
			env->active_count[st->insn_idx]--;
			if (node->evicted) /* the kernel frees an evicted state now */
				env->cur_states--;
		}
		st = st->parent;
	}
}

/* Pairs of ids seen in old and cur states must map consistently. */
struct vidmap {
	uint32_t old_id[128], cur_id[128];
	uint32_t count;
	uint32_t tmp_gen; /* stand-ins for id 0 of scalars */
	bool range_within; /* imprecise scalars compared too (kernel RANGE_WITHIN) */
};

static bool check_ids(struct vidmap *map, uint32_t old_id, uint32_t cur_id)
{
	if (!old_id && !cur_id)
		return true;
	if (!old_id || !cur_id)
		return false;
	for (uint32_t i = 0; i < map->count; i++) {
		if (map->old_id[i] == old_id)
			return map->cur_id[i] == cur_id;
		if (map->cur_id[i] == cur_id)
			return false;
	}
	if (map->count == 128)
		return false;
	map->old_id[map->count] = old_id;
	map->cur_id[map->count++] = cur_id;
	return true;
}

/* Scalars: an unlinked register (id 0) gets a fresh stand-in, so linked registers in
 * the old state must be linked the same way in the current one (kernel
 * check_scalar_ids). */
static bool check_scalar_ids(struct vidmap *map, uint32_t old_id, uint32_t cur_id)
{
	old_id = old_id ? old_id : ++map->tmp_gen;
	cur_id = cur_id ? cur_id : ++map->tmp_gen;
	return check_ids(map, old_id, cur_id);
}

static bool range_within(const struct vreg *old, const struct vreg *cur)
{
	return old->umin <= cur->umin && old->umax >= cur->umax && old->smin <= cur->smin &&
	       old->smax >= cur->smax && old->u32_min <= cur->u32_min &&
	       old->u32_max >= cur->u32_max && old->s32_min <= cur->s32_min &&
	       old->s32_max >= cur->s32_max;
}

static bool regs_exact(const struct vreg *old, const struct vreg *cur, struct vidmap *ids)
{
	return old->type == cur->type && old->flags == cur->flags && old->off == cur->off &&
	       old->var_off.value == cur->var_off.value &&
	       old->var_off.mask == cur->var_off.mask && range_within(old, cur) &&
	       range_within(cur, old) && old->map == cur->map && old->range == cur->range &&
	       old->frameno == cur->frameno && old->subprogno == cur->subprogno &&
	       check_ids(ids, old->id, cur->id) && check_ids(ids, old->ref_obj_id, cur->ref_obj_id);
}

/* Is every concrete value `cur` may hold one that `old` covered? */
static bool regsafe(const struct vreg *old, const struct vreg *cur, struct vidmap *ids,
		    bool exact)
{
	if (exact)
		return regs_exact(old, cur, ids);
	if (old->type == VREG_NOT_INIT)
		return true;
	if (cur->type == VREG_NOT_INIT || old->type != cur->type || old->flags != cur->flags)
		return false;
	switch (old->type) {
	case VREG_SCALAR:
		if (!old->precise && !ids->range_within)
			return true; /* any value does: nothing relied on this one's range */
		return range_within(old, cur) && tnum_in(old->var_off, cur->var_off) &&
		       old->off == cur->off && check_scalar_ids(ids, old->id, cur->id);
	case VREG_PACKET:
	case VREG_PACKET_META:
		if (VREG_PKT_END_RANGE(old->range) || VREG_PKT_END_RANGE(cur->range)) {
			if (old->range != cur->range) /* at/beyond the end: the same only */
				return false;
		} else if (cur->range < old->range) {
			return false;
		}
		if (old->off != cur->off)
			return false;
		return range_within(old, cur) && tnum_in(old->var_off, cur->var_off) &&
		       check_ids(ids, old->id, cur->id);
	case VREG_CTX:
	case VREG_PACKET_END:
	case VREG_FLOW_KEYS:
		return old->off == cur->off && regs_exact(old, cur, ids);
	default:
		return old->off == cur->off && old->map == cur->map && old->range == cur->range &&
		       old->frameno == cur->frameno && old->subprogno == cur->subprogno &&
		       range_within(old, cur) && tnum_in(old->var_off, cur->var_off) &&
		       check_ids(ids, old->id, cur->id) &&
		       check_ids(ids, old->ref_obj_id, cur->ref_obj_id);
	}
}

/* A slot read back as a 64-bit scalar: a full scalar spill, or 8 bytes of misc (or, for
 * root, never-written) data that a fill turns into an unknown scalar (kernel
 * scalar_reg_for_stack). */
static const struct vreg *stack_scalar(const struct vstack_slot *slot, struct vreg *unbound)
{
	if (slot->kind[0] == VSLOT_SPILL && slot->spill.type == VREG_SCALAR)
		return &slot->spill;
	for (int b = 0; b < 8; b++)
		if (slot->kind[b] != VSLOT_MISC && slot->kind[b] != VSLOT_INVALID)
			return NULL;
	vreg_mark_unknown(unbound);
	return unbound;
}

static bool stacksafe_exact(const struct vframe *old, const struct vframe *cur,
			    struct vidmap *ids)
{
	if (old->allocated != cur->allocated)
		return false;
	for (uint32_t s = 0; s < old->allocated / 8; s++) {
		const struct vstack_slot *o = &old->stack[s], *c = &cur->stack[s];
		if (memcmp(o->kind, c->kind, 8))
			return false;
		if (o->kind[7] == VSLOT_SPILL && !regsafe(&o->spill, &c->spill, ids, true))
			return false;
	}
	return true;
}

/* Kernel stacksafe for root (allow_uninit_stack): never-written or misc bytes of the
 * old state accept anything; scalars read back from a slot compare as registers. */
static bool stacksafe(const struct vframe *old, const struct vframe *cur, struct vidmap *ids,
		      bool exact, uint64_t slots_live)
{
	if (exact)
		return stacksafe_exact(old, cur, ids);
	for (uint32_t s = 0; s < old->allocated / 8; s++) {
		if (!((slots_live >> s) & 1))
			continue; /* never read again before written: its content is irrelevant */
		const struct vstack_slot *o = &old->stack[s], *c = &cur->stack[s];
		bool cur_has = s < cur->allocated / 8;
		for (int b = 7; b >= 0; b--) {
			uint8_t ok = o->kind[b];
			if (ok == VSLOT_INVALID || ok == VSLOT_MISC)
				continue;
			if (!cur_has)
				return false;
			struct vreg old_unbound, cur_unbound;
			const struct vreg *oreg = stack_scalar(o, &old_unbound);
			const struct vreg *creg = stack_scalar(c, &cur_unbound);
			if (oreg && creg) {
				if (!regsafe(oreg, creg, ids, false))
					return false;
				break; /* the whole slot compared */
			}
			if (ok != c->kind[b])
				return false;
			if (b == 7 && ok == VSLOT_SPILL && !regsafe(&o->spill, &c->spill, ids, false))
				return false;
		}
	}
	return true;
}

/* `live`: registers of this frame that may still be read (others are ignored). */
static bool frames_equal(const struct vframe *old, const struct vframe *cur,
			 struct vidmap *ids, bool exact, uint16_t live, uint64_t slots_live)
{
	if (old->callsite != cur->callsite || old->in_callback != cur->in_callback ||
	    old->callback_depth > cur->callback_depth)
		return false;
	for (int r = 0; r < VERIFIER_REG_COUNT; r++) {
		if (!exact && r != VERIFIER_FP && !(live & (1u << r)))
			continue;
		if (!regsafe(&old->regs[r], &cur->regs[r], ids, exact))
			return false;
	}
	return stacksafe(old, cur, ids, exact, slots_live);
}

/* Registers of frame `f` of explored state `old` that may still be read. */
static uint16_t frame_live(const struct verifier_env *env, const struct vstate *old, uint32_t f)
{
	if (f == old->curframe)
		return env->aux[old->insn_idx].live_in;
	if (old->frames[f + 1]->in_callback) /* the call runs again */
		return env->aux[old->frames[f + 1]->callsite].live_in | 0x3ff;
	/* a caller's registers: what is live after its call returns */
	return env->aux[old->frames[f + 1]->callsite + 1].live_in | (1u << 6) | (1u << 7) |
	       (1u << 8) | (1u << 9);
}

/* Stack slots of frame `f` of `old` that may still be read: per insn in its own frame,
 * every slot in a caller's. */
static uint64_t frame_slots_live(const struct verifier_env *env, const struct vstate *old,
				 uint32_t f)
{
	return f == old->curframe ? env->aux[old->insn_idx].stack_live : ~(uint64_t)0;
}

/* exact: every field (infinite loops); range: imprecise scalars compared by range too. */
static bool states_equal(const struct verifier_env *env, const struct vstate *old,
			 const struct vstate *cur, bool exact, bool range)
{
	struct vidmap ids;

	ids.count = 0;
	ids.tmp_gen = 0x80000000u;
	ids.range_within = range;

	if (old->curframe != cur->curframe || old->ref_count != cur->ref_count ||
	    old->lock_held != cur->lock_held || old->lock_map != cur->lock_map ||
	    old->rcu_held != cur->rcu_held)
		return false;
	if (old->lock_held && !check_ids(&ids, old->lock_id, cur->lock_id))
		return false;
	for (uint32_t i = 0; i < old->ref_count; i++)
		if (!check_ids(&ids, old->refs[i].id, cur->refs[i].id))
			return false;
	for (uint32_t f = 0; f <= old->curframe; f++) {
		uint16_t live = frame_live(env, old, f);
		if (!frames_equal(old->frames[f], cur->frames[f], &ids, exact, live,
				  frame_slots_live(env, old, f)))
			return false;
	}
	return true;
}

/* Whether the current frames' registers agree on what an exact comparison looks at
 * first (type, var_off, smin, umax, off, dead registers included), so that in-progress
 * loop states are told apart without walking them. Checkpoints never change these. */
static bool same_frame_registers(const struct vstate *a, const struct vstate *b)
{
	if (a->curframe != b->curframe)
		return false;
	const struct vreg *x = a->frames[a->curframe]->regs, *y = b->frames[b->curframe]->regs;

	for (int r = 0; r < VERIFIER_REG_COUNT; r++, x++, y++)
		if (x->type != y->type || x->var_off.value != y->var_off.value ||
		    x->var_off.mask != y->var_off.mask || x->smin != y->smin ||
		    x->umax != y->umax || x->off != y->off)
			return false;
	return true;
}

static int remember_state(struct verifier_env *env, struct vstate *st)
{
	if (env->all_count == env->all_cap) {
		uint32_t cap = env->all_cap ? env->all_cap * 2 : 256;
		struct vstate **all = realloc(env->all_states, cap * sizeof(*all));
		if (!all)
			return -ENOMEM;
		env->all_states = all;
		env->all_cap = cap;
	}
	env->all_states[env->all_count++] = st;
	return 0;
}

/* The kernel keeps checkpoints in a hash table of insn_cnt lists keyed by the insn and
 * the current frame's call site (explored_state()); states of other insns sharing a
 * list count towards max_states_per_insn, those of another call site live elsewhere. */
static uint32_t state_bucket(const struct verifier_env *env, const struct vstate *st,
			     uint32_t insn_idx)
{
	uint32_t key = (uint32_t)((int32_t)insn_idx ^ st->frames[st->curframe]->callsite);

	return key % env->insn_cnt;
}

/* Add a checkpoint for the current state at insn_idx. */
static int add_checkpoint(struct verifier_env *env, uint32_t insn_idx)
{
	struct vexplored *node = malloc(sizeof(*node));
	verifier_mark_all_imprecise(env->cur);
	struct vstate *st = copy_state(env->cur, true);
	if (!node || !st || remember_state(env, st) < 0) {
		free(node);
		vstate_free(st);
		return -ENOMEM;
	}
	st->insn_idx = insn_idx;
	st->branches = 1;
	st->node = node;
	env->cur->parent = st;
	env->cur->first_insn_idx = (int32_t)insn_idx;
	env->cur->dfs_depth = st->dfs_depth + 1;
	env->cur->hist_cnt = 0; /* the checkpoint keeps the history up to here */
	env->cur_hist = -1;
	node->state = st;
	node->hits = node->misses = 0;
	uint32_t bucket = state_bucket(env, st, insn_idx);
	node->next = env->explored[bucket]; /* newest first, as the kernel's list */
	env->explored[bucket] = node;
	node->active = true;
	node->evicted = false;
	env->active_count[insn_idx]++;
	node->all_next = env->all_nodes;
	env->all_nodes = node;
	env->total_states++;
	env->cur_states++;
	if (env->cur_states > env->peak_states)
		env->peak_states = env->cur_states;
	env->prev_jmps_processed = env->jmps_processed;
	env->prev_insn_processed = env->insn_processed;
	scc_enter(env, st);
	return 0;
}

/* Pruned against `old`: what was precise there becomes precise on this path. */
static int prune_hit(struct verifier_env *env, const struct vstate *old, uint32_t insn_idx)
{
	uint16_t live[VERIFIER_MAX_FRAMES];
	uint64_t slots_live[VERIFIER_MAX_FRAMES];
	int err = 0;

	for (uint32_t f = 0; f <= old->curframe; f++) {
		live[f] = frame_live(env, old, f);
		slots_live[f] = frame_slots_live(env, old, f);
	}
	if (env->aux[insn_idx].jmp_point)
		err = verifier_push_history(env, 0);
	if (!err)
		err = verifier_propagate_precision(env, old, live, slots_live);
	return err ? err : 1;
}

/* An in-progress checkpoint met again: a callback iteration within one still being
 * explored converged (1), an equal state is an infinite loop (-EINVAL), else 0. */
static int check_in_progress(struct verifier_env *env, struct vexplored *node,
			     uint32_t insn_idx)
{
	struct vstate *old = node->state;

	if (env->aux[insn_idx].calls_callback)
		return states_equal(env, old, env->cur, false, true) ? 1 : 0;
	if (!same_frame_registers(old, env->cur) ||
	    old->callback_unroll_depth != env->cur->callback_unroll_depth ||
	    !states_equal(env, old, env->cur, true, true))
		return 0;
	verbose(env, "infinite loop detected at insn %u\n", insn_idx);
	verbose(env, "cur state:");
	verifier_print_state(env, env->cur, true);
	verbose(env, "old state:");
	verifier_print_state(env, old, true);
	return -EINVAL;
}

/* Kernel is_state_visited: walk the checkpoints at insn_idx, newest first. Returns 1 if
 * the current state is covered by a state proven safe there (the path can stop), 0 to
 * continue (perhaps after adding a checkpoint), or a negative errno (infinite loop). A
 * checkpoint that keeps missing is evicted as in the kernel (misses > 3 * hits + 3,
 * counted only while a new state would be added). */
int verifier_is_state_visited(struct verifier_env *env, uint32_t insn_idx)
{
	bool force = env->cur->hist_cnt > 40 || env->aux[insn_idx].calls_callback;
	bool add_new_state = force || (env->jmps_processed - env->prev_jmps_processed >= 2 &&
				       env->insn_processed - env->prev_insn_processed >= 8);
	uint32_t count = 0;

	if (!env->aux[insn_idx].prune_point)
		return 0;
	struct vexplored **link = &env->explored[state_bucket(env, env->cur, insn_idx)];
	while (*link) {
		struct vexplored *node = *link;
		count++;
		if (node->state->insn_idx != insn_idx) {
			link = &node->next;
			continue;
		}
		if (node->active) {
			int err = check_in_progress(env, node, insn_idx);
			if (err < 0)
				return err;
			if (err) {
				node->hits++;
				return prune_hit(env, node->state, insn_idx);
			}
			if (!force && env->jmps_processed - env->prev_jmps_processed < 20 &&
			    env->insn_processed - env->prev_insn_processed < 100)
				add_new_state = false;
		} else if (states_equal(env, node->state, env->cur, false,
					env->aux[insn_idx].in_loop)) {
			node->hits++;
			return prune_hit(env, node->state, insn_idx);
		}
		if (add_new_state)
			node->misses++;
		/* kernel: 64 only at a forced checkpoint (is_force_checkpoint) in progress */
		uint32_t n = env->aux[insn_idx].calls_callback && node->active ? 64 : 3;
		if (node->misses > node->hits * n + n) { /* unlikely to be useful: drop it */
			*link = node->next;
			node->evicted = true;
			if (!node->active)
				env->cur_states--;
			continue;
		}
		link = &node->next;
	}
	if (count > env->max_states_per_insn) /* every visit of a prune point counts */
		env->max_states_per_insn = count;
	if (!add_new_state)
		return 0;
	return add_checkpoint(env, insn_idx);
}

void verifier_free_states(struct verifier_env *env)
{
	while (env->all_nodes) {
		struct vexplored *next = env->all_nodes->all_next;
		free(env->all_nodes);
		env->all_nodes = next;
	}
	free(env->explored);
	env->explored = NULL;
	free(env->active_count);
	env->active_count = NULL;
	for (uint32_t i = 0; i < env->all_count; i++)
		vstate_free(env->all_states[i]);
	free(env->all_states);
	env->all_states = NULL;
	while (env->stack_len)
		vstate_free(env->stack[--env->stack_len].state);
	free(env->stack);
	env->stack = NULL;
	vstate_free(env->cur);
	env->cur = NULL;
	verifier_release_spare_frames();
}

/* Kernel find_prev_entry: the newest checkpoint at insn_idx still being explored, with
 * the current state's call sites, above it on the path (smaller dfs_depth). */
static const struct vstate *find_prev_entry(const struct verifier_env *env,
					    const struct vstate *cur, uint32_t insn_idx)
{
	const struct vexplored *node = env->explored[state_bucket(env, cur, insn_idx)];

	for (; node; node = node->next) {
		const struct vstate *st = node->state;
		bool same = node->active && st->insn_idx == insn_idx &&
			    st->curframe == cur->curframe &&
			    st->dfs_depth < cur->dfs_depth;
		for (uint32_t f = 0; same && f <= cur->curframe; f++)
			same = st->frames[f]->callsite == cur->frames[f]->callsite;
		if (same)
			return st;
	}
	return NULL;
}

/* Kernel maybe_widen_reg: an imprecise scalar that changed since the last iteration
 * forgets its range, so that a callback's iterations converge. */
static void widen_reg(const struct vreg *old, struct vreg *cur, struct vidmap *ids)
{
	if (old->type != VREG_SCALAR || cur->type != VREG_SCALAR)
		return;
	if (old->precise || cur->precise || regs_exact(old, cur, ids))
		return;
	bool written = cur->written;
	vreg_mark_unknown(cur);
	cur->written = written;
}

/* Kernel prepare_func_exit of a callback (widen_imprecise_scalars): back at the call,
 * the registers and spilled scalars are widened against the previous entry. */
int verifier_widen_callback(struct verifier_env *env, uint32_t insn_idx)
{
	const struct vstate *old = find_prev_entry(env, env->cur, insn_idx);
	struct vidmap ids = { .count = 0 };

	if (!old)
		return 0;
	for (uint32_t f = 0; f <= old->curframe; f++) {
		const struct vframe *fold = old->frames[f];
		struct vframe *fcur = env->cur->frames[f];
		for (int r = 0; r < VERIFIER_REG_COUNT; r++)
			widen_reg(&fold->regs[r], &fcur->regs[r], &ids);
		uint32_t slots = (fold->allocated < fcur->allocated ? fold->allocated
								     : fcur->allocated) / 8;
		for (uint32_t i = 0; i < slots; i++)
			if (fold->stack[i].kind[7] == VSLOT_SPILL &&
			    fcur->stack[i].kind[7] == VSLOT_SPILL)
				widen_reg(&fold->stack[i].spill, &fcur->stack[i].spill, &ids);
	}
	return 0;
}
