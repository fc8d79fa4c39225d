/* fold.c - constant evaluation of typed expression trees: integer constant expressions
 * (array sizes, enumerators, case labels, __builtin_constant_p) and address constants
 * (&global + offset) for static initializers. */
#include <config.h>

#include "cc_int.h"

static int64_t wrap(int64_t v, struct cc_type *t)
{
	int64_t size = cc_type_size(t);
	bool uns = cc_type_is_unsigned(t);

	if (t->kind == TY_BOOL)
		return v != 0;
	if (size == 1)
		return uns ? (int64_t)(uint8_t)v : (int64_t)(int8_t)v;
	if (size == 2)
		return uns ? (int64_t)(uint16_t)v : (int64_t)(int16_t)v;
	if (size == 4)
		return uns ? (int64_t)(uint32_t)v : (int64_t)(int32_t)v;
	return v;
}

static bool binary(struct cc_unit *u, struct cc_node *n, int64_t *out)
{
	int64_t a, b;
	bool uns;

	if (!cc_const_eval(u, n->lhs, &a) || !cc_const_eval(u, n->rhs, &b))
		return false;
	uns = cc_type_is_unsigned(n->lhs->type);
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;

	switch (n->kind) {
	case ND_ADD: *out = (int64_t)(ua + ub); break;
	case ND_SUB: *out = (int64_t)(ua - ub); break;
	case ND_MUL: *out = (int64_t)(ua * ub); break;
	case ND_DIV:
		if (!b)
			return false;
		*out = uns ? (int64_t)(ua / ub) : b == -1 ? (int64_t)(0 - ua) : a / b;
		break;
	case ND_MOD:
		if (!b)
			return false;
		*out = uns ? (int64_t)(ua % ub) : b == -1 ? 0 : a % b;
		break;
	case ND_BITAND: *out = a & b; break;
	case ND_BITOR: *out = a | b; break;
	case ND_BITXOR: *out = a ^ b; break;
	case ND_SHL: *out = (int64_t)(ua << (ub & 63)); break;
	case ND_SHR: *out = uns ? (int64_t)(ua >> (ub & 63)) : a >> (ub & 63); break;
	case ND_EQ: *out = a == b; return true;
	case ND_NE: *out = a != b; return true;
	case ND_LT: *out = uns ? ua < ub : a < b; return true;
	case ND_LE: *out = uns ? ua <= ub : a <= b; return true;
	case ND_GT: *out = uns ? ua > ub : a > b; return true;
	case ND_GE: *out = uns ? ua >= ub : a >= b; return true;
	case ND_LOGAND: *out = a && b; return true;
	case ND_LOGOR: *out = a || b; return true;
	default: return false;
	}
	*out = wrap(*out, n->type);
	return true;
}

bool cc_const_eval(struct cc_unit *u, struct cc_node *n, int64_t *out)
{
	int64_t a;

	switch (n->kind) {
	case ND_NUM:
		*out = n->value;
		return true;
	case ND_CAST:
		if (!cc_type_is_scalar(n->type) || !cc_const_eval(u, n->lhs, &a))
			return false;
		*out = wrap(a, n->type);
		return true;
	case ND_NEG:
		if (!cc_const_eval(u, n->lhs, &a))
			return false;
		*out = wrap((int64_t)(0 - (uint64_t)a), n->type);
		return true;
	case ND_BITNOT:
		if (!cc_const_eval(u, n->lhs, &a))
			return false;
		*out = wrap(~a, n->type);
		return true;
	case ND_NOT:
		if (!cc_const_eval(u, n->lhs, &a))
			return false;
		*out = !a;
		return true;
	case ND_COND:
		if (!cc_const_eval(u, n->cond, &a))
			return false;
		return cc_const_eval(u, a ? n->lhs : n->rhs, out);
	case ND_COMMA: /* constant only when the left side has no effect either */
		return cc_const_eval(u, n->lhs, &a) && cc_const_eval(u, n->rhs, out);
	case ND_VAR:
	case ND_MEMBER:
	case ND_DEREF: /* const data whose initializer is known (code generation) */
		return u->fold_load && u->fold_load(u, n, out);
	case ND_LOGAND:
		if (!cc_const_eval(u, n->lhs, &a))
			return false;
		if (!a) {
			*out = 0;
			return true;
		}
		return binary(u, n, out);
	case ND_LOGOR:
		if (!cc_const_eval(u, n->lhs, &a))
			return false;
		if (a) {
			*out = 1;
			return true;
		}
		return binary(u, n, out);
	default:
		if (n->lhs && n->rhs && n->kind >= ND_ADD && n->kind <= ND_GE)
			return binary(u, n, out);
		return false;
	}
}

/* The address of an lvalue when it is constant: a global, its members and elements at
 * constant indexes. */
bool cc_const_lvalue(struct cc_unit *u, struct cc_node *n, struct cc_var **var, int64_t *offset)
{
	switch (n->kind) {
	case ND_VAR:
		if (n->var->is_local)
			return false;
		*var = n->var;
		*offset = 0;
		return true;
	case ND_MEMBER:
		if (!cc_const_lvalue(u, n->lhs, var, offset))
			return false;
		*offset += n->value;
		return true;
	case ND_DEREF:
		return cc_const_address(u, n->lhs, var, offset);
	default:
		return false;
	}
}

/* A pointer-valued constant: &lvalue (incl. array/function decay), casts of it, plus or
 * minus constants. A pointer variable's value is not constant. */
bool cc_const_address(struct cc_unit *u, struct cc_node *n, struct cc_var **var,
		      int64_t *offset)
{
	int64_t c;

	switch (n->kind) {
	case ND_ADDR:
		return cc_const_lvalue(u, n->lhs, var, offset);
	case ND_CAST:
		return n->type->kind == TY_PTR || cc_type_size(n->type) == 8
			? cc_const_address(u, n->lhs, var, offset) : false;
	case ND_ADD:
	case ND_SUB:
		if (n->type->kind != TY_PTR || !cc_const_address(u, n->lhs, var, offset) ||
		    !cc_const_eval(u, n->rhs, &c))
			return false;
		*offset += n->kind == ND_ADD ? c : -c;
		return true;
	default:
		return false;
	}
}
