/* live.c - live ranges of a function's locals for the AST walk's first choice of
 * registers (regalloc.c): statements are numbered in code-generation order and each
 * local's range spans the statements that mention it; a local declared before a loop
 * and used in it stays live through the whole loop (its value crosses the back edge).
 * Functions with goto have no ranges: the caller falls back to whole-function
 * assignment. The final allocation works on the IR (ir_live.c, ir_regalloc.c). */
#include <config.h>

#include <stdlib.h>

#include "codegen_int.h"

struct loop_span {
	int start, end;
};

struct live {
	int pos;
	bool has_goto;
	struct loop_span *loops;
	size_t loop_count, loop_capacity;
};

static void statement(struct live *lv, struct cc_node *n);

static void mention(struct live *lv, struct cc_var *v)
{
	if (!v->is_local)
		return;
	if (lv->pos < v->live_first)
		v->live_first = lv->pos;
	if (lv->pos > v->live_last)
		v->live_last = lv->pos;
}

static void expression(struct live *lv, struct cc_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case ND_VAR:
		mention(lv, n->var);
		return;
	case ND_STMT_EXPR:
		for (struct cc_node *s = n->body; s; s = s->next)
			statement(lv, s);
		return;
	case ND_CALL:
	case ND_BUILTIN:
		expression(lv, n->lhs);
		for (struct cc_node *a = n->args; a; a = a->next)
			expression(lv, a);
		return;
	case ND_COND:
		expression(lv, n->cond);
		break;
	default:
		break;
	}
	expression(lv, n->lhs);
	expression(lv, n->rhs);
}

static void add_loop(struct live *lv, int start, int end)
{
	if (lv->loop_count == lv->loop_capacity) {
		size_t cap = lv->loop_capacity ? lv->loop_capacity * 2 : 8;
		struct loop_span *p = realloc(lv->loops, cap * sizeof(*p));

		if (!p) {
			lv->has_goto = true; /* no ranges: the safe fallback */
			return;
		}
		lv->loops = p;
		lv->loop_capacity = cap;
	}
	lv->loops[lv->loop_count].start = start;
	lv->loops[lv->loop_count++].end = end;
}

static void loop(struct live *lv, struct cc_node *n)
{
	int start = ++lv->pos;

	if (n->kind == ND_FOR) {
		statement(lv, n->init);
		expression(lv, n->cond); /* tested before the first iteration */
	}
	statement(lv, n->body);
	lv->pos++;
	expression(lv, n->inc);
	expression(lv, n->cond); /* and after each */
	add_loop(lv, start, lv->pos);
}

static void statement(struct live *lv, struct cc_node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case ND_BLOCK:
		for (struct cc_node *s = n->body; s; s = s->next)
			statement(lv, s);
		return;
	case ND_DECL:
		lv->pos++;
		n->var->decl_pos = lv->pos;
		mention(lv, n->var);
		for (struct cc_node *l = n->init ? n->init->args : NULL; l; l = l->next)
			expression(lv, l);
		return;
	case ND_IF:
		lv->pos++;
		expression(lv, n->cond);
		statement(lv, n->then);
		statement(lv, n->els);
		return;
	case ND_FOR:
	case ND_DO:
		loop(lv, n);
		return;
	case ND_SWITCH:
		lv->pos++;
		expression(lv, n->cond);
		statement(lv, n->body);
		return;
	case ND_CASE:
		statement(lv, n->body);
		return;
	case ND_LABEL:
	case ND_GOTO:
		lv->has_goto = true;
		statement(lv, n->body);
		return;
	case ND_ASM:
		lv->pos++;
		for (struct cc_asm_operand *o = n->asm_stmt ? n->asm_stmt->outputs : NULL; o;
		     o = o->next)
			expression(lv, o->expr);
		for (struct cc_asm_operand *o = n->asm_stmt ? n->asm_stmt->inputs : NULL; o;
		     o = o->next)
			expression(lv, o->expr);
		return;
	default: /* expression statements, return, break, continue */
		lv->pos++;
		expression(lv, n->lhs);
		return;
	}
}

/* Extend ranges over the loops they cross, until nothing changes (nested loops). */
static void extend_over_loops(struct live *lv, struct cc_function *fn)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t i = 0; i < lv->loop_count; i++) {
			struct loop_span *l = &lv->loops[i];

			for (struct cc_var *v = fn->locals; v; v = v->next) {
				if (v->live_first > v->live_last || v->decl_pos >= l->start ||
				    v->live_last < l->start || v->live_first > l->end)
					continue;
				if (v->live_first > l->start || v->live_last < l->end) {
					v->live_first = v->live_first < l->start ? v->live_first
										  : l->start;
					v->live_last = v->live_last > l->end ? v->live_last : l->end;
					changed = true;
				}
			}
		}
	}
}

/* Fill live_first/live_last of every local of `fn`; false when the function has no
 * usable ranges (goto). */
bool gen_live_ranges(struct cc_function *fn)
{
	struct live lv = { 0 };

	for (struct cc_var *v = fn->locals; v; v = v->next) {
		v->live_first = INT32_MAX;
		v->live_last = -1;
		v->decl_pos = 0;
		if (v->is_param) { /* arrives in r1-r5 before the first statement */
			v->live_first = 0;
			v->live_last = 0;
		}
	}
	statement(&lv, fn->body);
	if (!lv.has_goto)
		extend_over_loops(&lv, fn);
	free(lv.loops);
	return !lv.has_goto;
}
