/* expr.c - constant expressions over numbers, symbols and ".": built by the grammar,
 * evaluated once every label is placed (or right away when they hold no symbol). */
#include <config.h>

#include <errno.h>

#include "asm_int.h"

static struct asm_expr *node(struct asm_context *ctx, enum asm_expr_kind kind,
			     struct asm_loc loc)
{
	struct asm_expr *e = asm_alloc(ctx, sizeof(*e));

	if (e) {
		e->kind = kind;
		e->loc = loc;
	}
	return e;
}

struct asm_expr *asm_expr_number(struct asm_context *ctx, uint64_t value, struct asm_loc loc)
{
	struct asm_expr *e = node(ctx, ASM_EXPR_NUMBER, loc);

	if (e)
		e->value = value;
	return e;
}

struct asm_expr *asm_expr_symbol(struct asm_context *ctx, const char *name, struct asm_loc loc)
{
	struct asm_expr *e = node(ctx, ASM_EXPR_SYMBOL, loc);

	if (e)
		e->name = name;
	return e;
}

struct asm_expr *asm_expr_dot(struct asm_context *ctx, struct asm_loc loc)
{
	struct asm_expr *e = node(ctx, ASM_EXPR_DOT, loc);
	struct asm_section *section = asm_current_section(ctx);

	if (e) {
		e->section = ctx->current;
		e->value = section ? section->size : 0;
	}
	return e;
}

struct asm_expr *asm_expr_unary(struct asm_context *ctx, enum asm_expr_kind kind,
				struct asm_expr *operand, struct asm_loc loc)
{
	struct asm_expr *e;

	if (!operand)
		return NULL;
	if (operand->kind == ASM_EXPR_NUMBER) { /* fold: keeps "-8" a plain number */
		operand->value = kind == ASM_EXPR_NEG ? (uint64_t)0 - operand->value : ~operand->value;
		operand->loc = loc;
		return operand;
	}
	e = node(ctx, kind, loc);
	if (e)
		e->left = operand;
	return e;
}

struct asm_expr *asm_expr_binary(struct asm_context *ctx, int op, struct asm_expr *left,
				 struct asm_expr *right, struct asm_loc loc)
{
	struct asm_expr *e;

	if (!left || !right)
		return NULL;
	e = node(ctx, ASM_EXPR_BINARY, loc);
	if (e) {
		e->op = op;
		e->left = left;
		e->right = right;
		e->loc = left->loc;
	}
	return e;
}

bool asm_expr_constant(const struct asm_expr *expr, int64_t *out)
{
	if (expr->kind != ASM_EXPR_NUMBER)
		return false;
	*out = (int64_t)expr->value;
	return true;
}

static int apply(struct asm_context *ctx, const struct asm_expr *e, struct asm_value a,
		 struct asm_value b, struct asm_value *out)
{
	uint64_t x = (uint64_t)a.addend, y = (uint64_t)b.addend;

	out->symbol = NULL;
	if (e->op == '+' && !(a.symbol && b.symbol)) {
		out->symbol = a.symbol ? a.symbol : b.symbol;
		out->addend = (int64_t)(x + y);
		return 0;
	}
	if (e->op == '-' && !b.symbol) {
		*out = a;
		out->addend = (int64_t)(x - y);
		return 0;
	}
	if (e->op == '-' && a.symbol && b.symbol && a.symbol->section == b.symbol->section &&
	    !a.symbol->is_constant && !b.symbol->is_constant) {
		out->addend = (int64_t)(a.symbol->value + x - b.symbol->value - y);
		return 0;
	}
	if (a.symbol || b.symbol) {
		asm_error(ctx, e->loc, "expression needs a constant: symbols can only be added to "
			  "or subtracted from (labels of one section)");
		return -EINVAL;
	}
	switch (e->op) {
	case '+': out->addend = (int64_t)(x + y); break;
	case '*': out->addend = (int64_t)(x * y); break;
	case '&': out->addend = (int64_t)(x & y); break;
	case '|': out->addend = (int64_t)(x | y); break;
	case '^': out->addend = (int64_t)(x ^ y); break;
	case '<': out->addend = y >= 64 ? 0 : (int64_t)(x << y); break;
	case '>': out->addend = y >= 64 ? 0 : (int64_t)(x >> y); break;
	case '/':
	case '%':
		if (y == 0) {
			asm_error(ctx, e->right->loc, "division by zero in expression");
			return -EINVAL;
		}
		out->addend = e->op == '/' ? a.addend / b.addend : a.addend % b.addend;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int eval_symbol(struct asm_context *ctx, const struct asm_expr *e, struct asm_value *out)
{
	struct asm_symbol *sym = asm_symbol_get(ctx, e->name, e->loc);
	int err;

	out->addend = 0;
	out->symbol = NULL;
	if (!sym)
		return -ENOMEM;
	sym->referenced = true;
	if (!sym->is_constant) {
		out->symbol = sym;
		return 0;
	}
	if (sym->evaluating) {
		asm_error(ctx, e->loc, "'%s' is defined in terms of itself", e->name);
		return -EINVAL;
	}
	sym->evaluating = true;
	err = asm_expr_eval(ctx, sym->set_expr, out);
	sym->evaluating = false;
	return err;
}

int asm_expr_eval(struct asm_context *ctx, const struct asm_expr *e, struct asm_value *out)
{
	struct asm_value a, b;
	int err;

	switch (e->kind) {
	case ASM_EXPR_NUMBER:
		out->addend = (int64_t)e->value;
		out->symbol = NULL;
		return 0;
	case ASM_EXPR_SYMBOL:
		return eval_symbol(ctx, e, out);
	case ASM_EXPR_DOT:
		out->symbol = asm_section_dot_symbol(ctx, e->section);
		out->addend = (int64_t)e->value;
		return out->symbol ? 0 : -ENOMEM;
	case ASM_EXPR_NEG:
	case ASM_EXPR_NOT:
		if ((err = asm_expr_eval(ctx, e->left, &a)))
			return err;
		if (a.symbol) {
			asm_error(ctx, e->loc, "cannot negate a symbol");
			return -EINVAL;
		}
		out->symbol = NULL;
		out->addend = e->kind == ASM_EXPR_NEG ? (int64_t)(0 - (uint64_t)a.addend) : ~a.addend;
		return 0;
	case ASM_EXPR_BINARY:
		if ((err = asm_expr_eval(ctx, e->left, &a)) || (err = asm_expr_eval(ctx, e->right, &b)))
			return err;
		return apply(ctx, e, a, b, out);
	}
	return -EINVAL;
}
