/* regalloc.c - the AST walk's registers: scalar locals whose address is never taken
 * go to r6-r9 (most used first, by live.c's ranges), the rest to 8-byte aligned stack
 * slots below r10; expression temporaries come from a pool (r1-r5, r0, then free
 * r6-r9), those in caller-saved registers spilled as full 64-bit values around calls.
 * At -O0 that is the final code; with optimisation it is only a first draft: the
 * IR back end (ir_*.c) promotes the slots marked here and allocates everything anew. */
#include <config.h>

#include <stdlib.h>

#include "codegen_int.h"

static bool register_candidate(struct cc_var *v)
{
	return !v->address_taken && cc_type_is_scalar(v->type) && cc_type_size(v->type) <= 8 &&
	       !v->type->is_volatile;
}

/* A stack-resident local the IR may promote to a virtual register: a scalar whose
 * address is never taken (its slot is read and written only where codegen marks it). */
bool gen_register_candidate(struct gen *g, struct cc_var *v)
{
	return g->u->opts->optimize > 0 && register_candidate(v);
}

static int by_uses(const void *a, const void *b)
{
	const struct cc_var *x = *(struct cc_var *const *)a, *y = *(struct cc_var *const *)b;

	return y->use_count - x->use_count;
}

static int by_start(const void *a, const void *b)
{
	const struct cc_var *x = *(struct cc_var *const *)a, *y = *(struct cc_var *const *)b;

	if (x->live_first != y->live_first)
		return x->live_first < y->live_first ? -1 : 1;
	return y->use_count - x->use_count;
}

/* Linear scan over live ranges: a register is reused once its variable's range has
 * ended (strictly before the next one's first statement). A candidate that finds no
 * free register evicts the active one that is used least, if it is used less. */
static void linear_scan(struct gen *g, struct cc_var **candidates, int n)
{
	struct cc_var *active[REG_COUNT] = { 0 }; /* r6-r9: current owner */

	qsort(candidates, (size_t)n, sizeof(candidates[0]), by_start);
	for (int i = 0; i < n; i++) {
		struct cc_var *v = candidates[i];
		int reg = -1, weakest = -1;

		for (int r = 6; r <= 9; r++)
			if (active[r] && active[r]->live_last < v->live_first)
				active[r] = NULL;
		for (int r = 6; r <= 9 && reg < 0; r++)
			if (!active[r])
				reg = r;
		if (reg < 0) {
			for (int r = 6; r <= 9; r++)
				if (weakest < 0 || active[r]->use_count < active[weakest]->use_count)
					weakest = r;
			if (active[weakest]->use_count >= v->use_count)
				continue; /* v goes to the stack */
			active[weakest]->reg = -1;
			reg = weakest;
		}
		v->reg = reg;
		active[reg] = v;
		g->var_reg[reg] = true;
	}
}

/* Registers r6-r9 for scalar locals (optimizing): by live ranges when the function
 * has them, else to the four most used; stack slots for the rest. */
void gen_assign_variables(struct gen *g)
{
	struct cc_var *candidates[64];
	int n = 0, next_reg = 6;

	for (struct cc_var *v = g->fn->locals; v; v = v->next) {
		v->reg = -1;
		if (g->u->opts->optimize > 0 && register_candidate(v) && v->use_count > 0 &&
		    n < (int)(sizeof(candidates) / sizeof(candidates[0])))
			candidates[n++] = v;
	}
	if (n && gen_live_ranges(g->fn)) {
		linear_scan(g, candidates, n);
	} else {
		qsort(candidates, (size_t)n, sizeof(candidates[0]), by_uses);
		for (int i = 0; i < n && next_reg <= 9; i++) {
			candidates[i]->reg = next_reg;
			g->var_reg[next_reg++] = true;
		}
	}
	for (struct cc_var *v = g->fn->locals; v; v = v->next) {
		int64_t size = cc_type_size(v->type);
		int align = cc_type_align(v->type);

		if (v->reg >= 0 || (!v->use_count && !v->address_taken))
			continue; /* unused locals and parameters take no stack */
		if (size <= 0)
			size = 1;
		/* scalars get a whole 8-byte slot: the verifier tracks the value of a spilled
		 * scalar only at 8-aligned offsets (a loop counter must stay bounded) */
		if (align < 8 && (size >= 8 || cc_type_is_scalar(v->type)))
			align = 8;
		g->frame = (int)((g->frame + size + align - 1) / align * align);
		v->stack_offset = -g->frame;
		gen_note_frame_object(g, v->stack_offset, (int)size);
	}
	g->frame = (g->frame + 7) & ~7;
	g->max_depth = g->frame;
	if (g->frame > STACK_LIMIT)
		gen_fail(g, g->fn->var->loc, "function '%s' needs %d bytes of stack; BPF allows %d",
			 g->fn->var->name, g->frame, STACK_LIMIT);
}

static const int pool[] = { 1, 2, 3, 4, 5, 0, 6, 7, 8, 9 };

int gen_alloc_reg(struct gen *g)
{
	int hint = g->hint;

	g->hint = -1;
	if (hint >= 0 && !g->busy[hint] && (!g->var_reg[hint] || g->hint_variable)) {
		g->busy[hint] = true;
		return hint;
	}
	for (size_t i = 0; i < sizeof(pool) / sizeof(pool[0]); i++) {
		int r = pool[i];

		if (!g->busy[r] && !g->var_reg[r]) {
			g->busy[r] = true;
			return r;
		}
	}
	for (int r = REG_EXTRA; r < REG_COUNT && g->u->opts->optimize > 0; r++)
		if (!g->busy[r]) {
			g->busy[r] = true;
			return r;
		}
	gen_fail(g, g->fn->var->loc, "expression too complex: out of registers");
	return 0;
}

void gen_release(struct gen *g, struct val v)
{
	if (v.owned)
		g->busy[v.reg] = false;
}

/* A value the caller may overwrite: borrowed ones are copied into a temporary. */
struct val gen_own(struct gen *g, struct val v)
{
	struct val r;

	if (v.owned)
		return v;
	r.reg = gen_alloc_reg(g);
	r.owned = true;
	gen_emit(g, OBJFMT_OP_MOV64_REG, r.reg, v.reg, 0, 0);
	return r;
}

int gen_spill_slot(struct gen *g, int size)
{
	g->spill_depth += (size + 7) & ~7;
	if (g->frame + g->spill_depth > g->max_depth)
		g->max_depth = g->frame + g->spill_depth;
	if (g->max_depth > STACK_LIMIT)
		gen_fail(g, g->fn->var->loc, "function '%s' needs more than %d bytes of stack",
			 g->fn->var->name, STACK_LIMIT);
	gen_note_frame_object(g, -(g->frame + g->spill_depth), (size + 7) & ~7);
	return -(g->frame + g->spill_depth);
}

void gen_free_spill(struct gen *g, int size)
{
	g->spill_depth -= (size + 7) & ~7;
}

/* Before a call: store live temporaries of r0-r5 and free their registers. */
void gen_spill_caller_saved(struct gen *g, struct spill_set *set)
{
	set->count = 0;
	for (int r = 0; r <= 5; r++) {
		if (!g->busy[r])
			continue;
		int slot = gen_spill_slot(g, 8);

		gen_mark_slot_access(g, gen_emit(g, OBJFMT_OP_STXDW, REG_FP, r, (int16_t)slot, 0));
		set->reg[set->count] = r;
		set->slot[set->count++] = slot;
		g->busy[r] = false;
	}
}

/* After the call: reload them into the same registers (in reverse order of slots). */
void gen_restore(struct gen *g, struct spill_set *set)
{
	for (int i = set->count - 1; i >= 0; i--) {
		gen_mark_slot_access(g, gen_emit(g, OBJFMT_OP_LDXDW, set->reg[i], REG_FP,
						 (int16_t)set->slot[i], 0));
		g->busy[set->reg[i]] = true;
		gen_free_spill(g, 8);
	}
}
