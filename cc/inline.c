/* inline.c - calls to always_inline functions are expanded in place, as clang does:
 * the arguments are stored in fresh stack slots of the caller's frame that stand for
 * the callee's parameters (its other locals get slots too), the callee's body is
 * generated there with `return` storing the result and jumping to the end, and goto
 * labels, break/continue targets and the result slot are per expansion. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "codegen_int.h"

enum { INLINE_DEPTH_MAX = 8, INLINE_KEEP_SLOTS = 320 };

static bool expanding(struct gen *g, struct cc_function *fn)
{
	for (struct gen_inline *f = g->inlining; f; f = f->outer)
		if (f->fn == fn)
			return true;
	return false;
}

/* Whether a call to `target` is expanded rather than made: every always_inline
 * function, as clang does (not itself, and not deeper than INLINE_DEPTH_MAX). A
 * helper returning a checked packet pointer only verifies inlined, and a call in a
 * loop makes the values live across it spill (tcp_mss: 7x the verifier's work). */
bool gen_should_inline(struct gen *g, struct cc_var *target)
{
	int depth = 0;

	for (struct gen_inline *f = g->inlining; f; f = f->outer)
		depth++;
	return target->function && target->attrs.always_inline &&
	       target->function != g->fn && depth < INLINE_DEPTH_MAX &&
	       !expanding(g, target->function);
}

/* Slots for every local of the callee, parameters first (stored from `args`). */
static void place_locals(struct gen *g, struct cc_function *fn, int *bytes)
{
	*bytes = 0;
	for (struct cc_var *v = fn->locals; v; v = v->next) {
		int64_t size = cc_type_size(v->type);

		v->reg = -1;
		if (size <= 0)
			size = 1;
		size = (size + 7) & ~7;
		v->stack_offset = gen_spill_slot(g, (int)size);
		*bytes += (int)size;
	}
}

static void store_argument(struct gen *g, struct cc_var *param, struct val v)
{
	struct place p = { 0 };

	p.reg = REG_FP;
	p.off = param->stack_offset;
	p.slot = gen_register_candidate(g, param);
	gen_store(g, p, param->type, v);
}

struct val gen_inline_call(struct gen *g, struct cc_node *call, struct cc_var *target)
{
	struct cc_function *fn = target->function;
	struct gen_inline frame = { .outer = g->inlining, .fn = fn };
	struct cc_type *ret = cc_type_base(target->type);
	int saved_break = g->break_label, saved_continue = g->continue_label, bytes;
	struct gen_goto_label *saved_gotos = g->gotos;
	size_t saved_goto_count = g->goto_count, saved_goto_capacity = g->goto_capacity;
	struct cc_var *param = fn->params;
	struct val result = { 0, false };

	/* arguments first, in the caller's context, then the callee's slots; a struct
	 * passed by value is copied from where it lives */
	struct val values[16];
	struct place records[16];
	int count = 0;

	for (struct cc_node *a = call->args; a; a = a->next) {
		if (count == 16) {
			gen_fail(g, a->loc, "too many arguments to inline");
			return result;
		}
		if (cc_type_is_aggregate(a->type))
			records[count] = gen_place(g, a);
		else
			values[count] = gen_expr(g, a);
		count++;
	}
	place_locals(g, fn, &bytes);
	struct cc_node *arg = call->args;

	for (int i = 0; i < count && param && param->is_param; i++, param = param->next) {
		if (cc_type_is_aggregate(arg->type)) {
			struct place slot = { .reg = REG_FP, .off = param->stack_offset,
					      .type = param->type };

			gen_copy_memory(g, slot, records[i], cc_type_size(param->type),
					cc_type_align(param->type));
			gen_release_place(g, records[i]);
			arg = arg->next;
			continue;
		}
		store_argument(g, param, values[i]);
		gen_release(g, values[i]);
		param->inline_const = param->type->is_const &&
				      gen_inline_constant(g, arg, &param->inline_value);
		arg = arg->next;
	}
	frame.end_label = gen_new_label(g);
	if (ret->kind != TY_VOID) {
		frame.result_slot = gen_spill_slot(g, 8);
		frame.has_result = true;
	}
	g->inlining = &frame;
	g->break_label = g->continue_label = -1;
	g->gotos = NULL;
	g->goto_count = g->goto_capacity = 0;
	g->hint = -1;
	gen_statement(g, fn->body);
	free(g->gotos);
	g->gotos = saved_gotos;
	g->goto_count = saved_goto_count;
	g->goto_capacity = saved_goto_capacity;
	g->break_label = saved_break;
	g->continue_label = saved_continue;
	g->inlining = frame.outer;
	for (param = fn->params; param && param->is_param; param = param->next)
		param->inline_const = false;
	gen_place_label(g, frame.end_label);
	if (frame.has_result) { /* stored as 64 bits: a pointer keeps its type */
		result = (struct val){ gen_alloc_reg(g), true };
		gen_mark_slot_access(g, gen_emit(g, OBJFMT_OP_LDXDW, result.reg, REG_FP,
						 frame.result_slot, 0));
		bytes += 8;
	}
	/* while the frame is small, the expansion's slots are not reused by later code: a
	 * slot accessed with one size only is promoted to a register by the IR */
	if (g->u->opts->optimize == 0 || g->frame + g->spill_depth > INLINE_KEEP_SLOTS)
		gen_free_spill(g, bytes);
	return result;
}

/* `return` inside an expansion: the value goes to the result slot, then to the end. */
void gen_inline_return(struct gen *g, struct cc_node *n)
{
	struct gen_inline *f = g->inlining;

	if (n->lhs && f->has_result) {
		struct val v = gen_expr(g, n->lhs);

		gen_mark_slot_access(g, gen_emit(g, OBJFMT_OP_STXDW, REG_FP, v.reg,
						 f->result_slot, 0));
		gen_release(g, v);
	} else if (n->lhs) {
		gen_discard(g, n->lhs);
	}
	gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, f->end_label);
}

/* The value of `n` when it is constant in this expansion: literals and constant
 * expressions, const parameters bound to constants, __builtin_constant_p of them. */
bool gen_inline_constant(struct gen *g, struct cc_node *n, int64_t *value)
{
	int64_t inner;

	switch (n->kind) {
	case ND_VAR:
		if (!n->var->inline_const)
			break;
		*value = n->var->inline_value;
		return true;
	case ND_BUILTIN:
		if (n->builtin != BI_CONSTANT_P)
			break;
		*value = gen_inline_constant(g, n->args, &inner);
		return true;
	case ND_NOT:
		if (!gen_inline_constant(g, n->lhs, &inner))
			return false;
		*value = !inner;
		return true;
	case ND_CAST:
		if (!cc_type_is_integer(n->type) || !gen_inline_constant(g, n->lhs, &inner))
			break;
		*value = cc_const_eval(g->u, n, value) ? *value : inner;
		return true;
	default:
		break;
	}
	return cc_const_eval(g->u, n, value);
}
