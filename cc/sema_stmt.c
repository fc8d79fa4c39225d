/* sema_stmt.c - statements as the grammar reduces them: blocks, expression statements,
 * if/for/while/do (with #pragma unroll), switch with its cases (incl. GNU ranges),
 * labels, goto and return with the function's return type. */
#include <config.h>

#include "sema_int.h"

void node_list_append(struct node_list *list, struct cc_node *n)
{
	if (!n)
		return;
	if (list->tail)
		list->tail->next = n;
	else
		list->head = n;
	list->tail = n;
	while (list->tail->next) /* n may be a list itself */
		list->tail = list->tail->next;
}

struct cc_node *sema_stmt(struct cc_unit *u, enum cc_node_kind kind, struct cc_loc loc)
{
	return new_node(u, kind, loc);
}

struct cc_node *sema_expr_stmt(struct cc_unit *u, struct cc_node *e, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_EXPR_STMT, loc);

	n->lhs = e;
	return n;
}

/* The controlling expression of if/while/do/for/switch. */
struct cc_node *sema_condition(struct cc_unit *u, struct cc_node *c)
{
	c = decay(u, c);
	if (!cc_type_is_scalar(c->type))
		cc_error(u, c->loc, "statement requires expression of scalar type ('%s' invalid)",
			 cc_type_describe(u, c->type));
	return c;
}

struct cc_node *sema_block(struct cc_unit *u, struct node_list *items, struct cc_loc loc)
{
	struct cc_node *block = new_node(u, ND_BLOCK, loc);

	block->body = items ? items->head : NULL;
	return block;
}

struct cc_node *sema_declaration_stmt(struct cc_unit *u, struct declaration *d)
{
	(void)u;
	return d ? d->decls.head : NULL;
}

struct cc_node *sema_if(struct cc_unit *u, struct cc_node *cond, struct cc_node *then,
			struct cc_node *els, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_IF, loc);

	n->cond = sema_condition(u, cond);
	n->then = then;
	n->els = els;
	return n;
}

/* for (init; cond; inc) body, while (cond) body (ND_FOR), do body while (cond) (ND_DO);
 * cond is already converted (sema_condition, or decayed for `for`). */
struct cc_node *sema_loop(struct cc_unit *u, enum cc_node_kind kind, struct cc_token *keyword,
			  struct cc_node *init, struct cc_node *cond, struct cc_node *inc,
			  struct cc_node *body)
{
	struct cc_node *n = new_node(u, kind, keyword->loc);

	n->unroll = keyword->pragma_unroll;
	n->init = init;
	n->cond = cond;
	n->inc = inc;
	n->body = body;
	return n;
}

/* switch (cond): cases reduced until the matching sema_switch_end go to it. */
struct cc_node *sema_switch_begin(struct cc_unit *u, struct cc_node *cond, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_SWITCH, loc);

	n->cond = sema_condition(u, cond);
	if (!cc_type_is_integer(n->cond->type))
		cc_error(u, n->cond->loc, "statement requires expression of integer type");
	n->els = u->current_switch; /* restored at the end (els is unused by switches) */
	u->current_switch = n;
	return n;
}

struct cc_node *sema_switch_end(struct cc_unit *u, struct cc_node *sw, struct cc_node *body)
{
	sw->body = body;
	u->current_switch = sw->els;
	sw->els = NULL;
	return sw;
}

/* case low: / case low ... high: / default: (low NULL) */
struct cc_node *sema_case(struct cc_unit *u, struct cc_node *low, struct cc_node *high,
			  struct cc_node *body, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_CASE, loc);

	if (!u->current_switch)
		cc_error(u, loc, "'%s' statement not in switch statement", low ? "case" : "default");
	n->is_default = !low;
	if (low) {
		n->value = sema_const_value(u, low);
		n->value_high = high ? sema_const_value(u, high) : n->value;
	}
	if (u->current_switch) {
		n->case_next = u->current_switch->cases;
		u->current_switch->cases = n;
	}
	n->body = body;
	return n;
}

struct cc_node *sema_label(struct cc_unit *u, struct cc_token *name, struct cc_node *body)
{
	struct cc_node *n = new_node(u, ND_LABEL, name->loc);

	n->label = name->text;
	n->body = body;
	return n;
}

struct cc_node *sema_goto(struct cc_unit *u, struct cc_token *label, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_GOTO, loc);

	n->label = label->text;
	return n;
}

struct cc_node *sema_return(struct cc_unit *u, struct cc_node *e, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_RETURN, loc);
	struct cc_type *ret = u->current ? cc_type_base(u->current->var->type) : &cc_type_int;
	const char *name = u->current ? u->current->var->name : "";

	if (e) {
		if (ret->kind == TY_VOID) {
			if (e->type->kind != TY_VOID)
				cc_error(u, e->loc, "void function '%s' should not return a value",
					 name);
		} else {
			n->lhs = convert_for_assign(u, e, ret);
		}
	} else if (ret->kind != TY_VOID) {
		cc_error(u, loc, "non-void function '%s' should return a value", name);
	}
	return n;
}
