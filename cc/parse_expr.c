/* parse_expr.c - expressions by precedence climbing, typed as they are built: integer
 * promotions, usual arithmetic conversions, pointer arithmetic scaling, lvalue checks,
 * array/function decay, constant folding of constant operands, and the builtins. */
#include <config.h>

#include <string.h>

#include "parse_int.h"

static struct cc_node *parse_cast(struct cc_unit *u);
static struct cc_node *parse_unary(struct cc_unit *u);
static struct cc_node *parse_assign_inner(struct cc_unit *u);

struct cc_node *new_node(struct cc_unit *u, enum cc_node_kind kind, struct cc_loc loc)
{
	struct cc_node *n = cc_alloc(u->arena, sizeof(*n));

	n->kind = kind;
	n->loc = loc;
	return n;
}

/* Wrap `value` to the width and signedness of `type`. */
static int64_t normalize(int64_t value, struct cc_type *type)
{
	int64_t size = cc_type_size(type);
	bool uns = cc_type_is_unsigned(type);

	if (type->kind == TY_BOOL)
		return value != 0;
	switch (size) {
	case 1: return uns ? (int64_t)(uint8_t)value : (int64_t)(int8_t)value;
	case 2: return uns ? (int64_t)(uint16_t)value : (int64_t)(int16_t)value;
	case 4: return uns ? (int64_t)(uint32_t)value : (int64_t)(int32_t)value;
	default: return value;
	}
}

struct cc_node *new_num(struct cc_unit *u, int64_t value, struct cc_type *type,
			struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_NUM, loc);

	n->type = type;
	n->value = normalize(value, type);
	return n;
}

struct cc_node *new_cast(struct cc_unit *u, struct cc_node *expr, struct cc_type *type)
{
	struct cc_node *n;

	if (expr->kind == ND_NUM && cc_type_is_scalar(type)) {
		n = new_num(u, expr->value, type, expr->loc);
		return n;
	}
	n = new_node(u, ND_CAST, expr->loc);
	n->lhs = expr;
	n->type = type;
	return n;
}

struct cc_node *new_var_ref(struct cc_unit *u, struct cc_var *var, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_VAR, loc);

	n->var = var;
	n->type = var->type;
	var->use_count++;
	if (cc_type_is_aggregate(var->type))
		var->address_taken = true;
	return n;
}

static struct cc_node *address_of(struct cc_unit *u, struct cc_node *n, struct cc_type *pointee)
{
	struct cc_node *a = new_node(u, ND_ADDR, n->loc);

	a->lhs = n;
	a->type = cc_type_pointer(u, pointee);
	if (n->kind == ND_VAR)
		n->var->address_taken = true;
	return a;
}

/* Arrays become pointers to their first element, functions pointers to themselves. */
struct cc_node *decay(struct cc_unit *u, struct cc_node *n)
{
	if (n->type->kind == TY_ARRAY)
		return address_of(u, n, cc_type_base(n->type));
	if (n->type->kind == TY_FUNC)
		return address_of(u, n, n->type);
	return n;
}

static bool is_lvalue(struct cc_node *n)
{
	return n->kind == ND_VAR || n->kind == ND_DEREF || n->kind == ND_MEMBER;
}

static struct cc_type *promote_type(struct cc_node *n)
{
	struct cc_type *t = n->type;

	if (n->kind == ND_MEMBER && n->member->is_bitfield && n->member->bit_width < 32)
		return &cc_type_int;
	if (t->kind == TY_ENUM)
		return cc_type_size(t) == 8 ? (cc_type_is_unsigned(t) ? &cc_type_ulong : &cc_type_long)
					    : (cc_type_is_unsigned(t) ? &cc_type_uint : &cc_type_int);
	if (cc_type_is_integer(t) && cc_type_size(t) < 4)
		return &cc_type_int;
	return t;
}

static struct cc_node *promote(struct cc_unit *u, struct cc_node *n)
{
	struct cc_type *t = promote_type(n);

	return t == n->type ? n : new_cast(u, n, t);
}

static struct cc_type *common_type(struct cc_type *a, struct cc_type *b)
{
	int64_t sa = cc_type_size(a), sb = cc_type_size(b);
	bool ua = cc_type_is_unsigned(a), ub = cc_type_is_unsigned(b);

	if (sa == sb && ua == ub)
		return sa == 8 ? (ua ? &cc_type_ulong : &cc_type_long) : a;
	if (sa == sb)
		return sa == 8 ? &cc_type_ulong : &cc_type_uint;
	if (sa > sb)
		return sa == 8 ? (ua ? &cc_type_ulong : &cc_type_long) : a;
	return sb == 8 ? (ub ? &cc_type_ulong : &cc_type_long) : b;
}

static void usual_conversions(struct cc_unit *u, struct cc_node **lhs, struct cc_node **rhs)
{
	struct cc_type *t;

	*lhs = promote(u, *lhs);
	*rhs = promote(u, *rhs);
	t = common_type((*lhs)->type, (*rhs)->type);
	if (cc_type_root((*lhs)->type) != cc_type_root(t))
		*lhs = new_cast(u, *lhs, t);
	if (cc_type_root((*rhs)->type) != cc_type_root(t))
		*rhs = new_cast(u, *rhs, t);
}

static bool fold(enum cc_node_kind kind, int64_t a, int64_t b, bool uns, int64_t *out)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;

	switch (kind) {
	case ND_ADD: *out = (int64_t)(ua + ub); return true;
	case ND_SUB: *out = (int64_t)(ua - ub); return true;
	case ND_MUL: *out = (int64_t)(ua * ub); return true;
	case ND_DIV:
		if (!b)
			return false;
		*out = uns ? (int64_t)(ua / ub) : (b == -1 ? (int64_t)(0 - ua) : a / b);
		return true;
	case ND_MOD:
		if (!b)
			return false;
		*out = uns ? (int64_t)(ua % ub) : (b == -1 ? 0 : a % b);
		return true;
	case ND_BITAND: *out = a & b; return true;
	case ND_BITOR: *out = a | b; return true;
	case ND_BITXOR: *out = a ^ b; return true;
	case ND_SHL: *out = (int64_t)(ua << (ub & 63)); return true;
	case ND_SHR: *out = uns ? (int64_t)(ua >> (ub & 63)) : a >> (ub & 63); return true;
	case ND_EQ: *out = a == b; return true;
	case ND_NE: *out = a != b; return true;
	case ND_LT: *out = uns ? ua < ub : a < b; return true;
	case ND_LE: *out = uns ? ua <= ub : a <= b; return true;
	case ND_GT: *out = uns ? ua > ub : a > b; return true;
	case ND_GE: *out = uns ? ua >= ub : a >= b; return true;
	default: return false;
	}
}

static struct cc_node *binary(struct cc_unit *u, enum cc_node_kind kind, struct cc_node *lhs,
			      struct cc_node *rhs, struct cc_type *type, struct cc_loc loc)
{
	struct cc_node *n;
	int64_t v;

	if (lhs->kind == ND_NUM && rhs->kind == ND_NUM && cc_type_is_integer(lhs->type) &&
	    fold(kind, lhs->value, rhs->value, cc_type_is_unsigned(lhs->type), &v))
		return new_num(u, v, type, loc);
	n = new_node(u, kind, loc);
	n->lhs = lhs;
	n->rhs = rhs;
	n->type = type;
	return n;
}

static void check_arith(struct cc_unit *u, struct cc_node *n, const char *op)
{
	if (!cc_type_is_integer(n->type) && n->type->kind != TY_PTR)
		cc_error(u, n->loc, "invalid operand of type '%s' to '%s'",
			 cc_type_describe(u, n->type), op);
	if (n->type->kind == TY_FLOAT || n->type->kind == TY_DOUBLE)
		cc_error(u, n->loc, "floating point arithmetic is not supported on BPF");
}

/* lhs op rhs for the arithmetic and bitwise operators (not + and -). */
static struct cc_node *arith(struct cc_unit *u, enum cc_node_kind kind, struct cc_node *lhs,
			     struct cc_node *rhs, struct cc_loc loc)
{
	check_arith(u, lhs, "binary operator");
	check_arith(u, rhs, "binary operator");
	if (kind == ND_SHL || kind == ND_SHR) {
		lhs = promote(u, lhs);
		rhs = promote(u, rhs);
		return binary(u, kind, lhs, rhs, lhs->type, loc);
	}
	usual_conversions(u, &lhs, &rhs);
	return binary(u, kind, lhs, rhs, lhs->type, loc);
}

static struct cc_node *scale(struct cc_unit *u, struct cc_node *index, struct cc_type *ptr)
{
	int64_t size = cc_type_size(cc_type_base(ptr));

	if (cc_type_base(ptr)->kind == TY_VOID || cc_type_base(ptr)->kind == TY_FUNC)
		size = 1;
	index = new_cast(u, promote(u, index), &cc_type_long);
	if (size == 1)
		return index;
	return binary(u, ND_MUL, index, new_num(u, size, &cc_type_long, index->loc),
		      &cc_type_long, index->loc);
}

static struct cc_node *add(struct cc_unit *u, struct cc_node *lhs, struct cc_node *rhs,
			   struct cc_loc loc)
{
	lhs = decay(u, lhs);
	rhs = decay(u, rhs);
	if (cc_type_is_integer(lhs->type) && cc_type_is_integer(rhs->type))
		return arith(u, ND_ADD, lhs, rhs, loc);
	if (rhs->type->kind == TY_PTR) {
		struct cc_node *t = lhs;

		lhs = rhs;
		rhs = t;
	}
	if (lhs->type->kind != TY_PTR || !cc_type_is_integer(rhs->type)) {
		cc_error(u, loc, "invalid operands to binary '+'");
		return lhs;
	}
	return binary(u, ND_ADD, lhs, scale(u, rhs, lhs->type), lhs->type, loc);
}

static struct cc_node *sub(struct cc_unit *u, struct cc_node *lhs, struct cc_node *rhs,
			   struct cc_loc loc)
{
	lhs = decay(u, lhs);
	rhs = decay(u, rhs);
	if (cc_type_is_integer(lhs->type) && cc_type_is_integer(rhs->type))
		return arith(u, ND_SUB, lhs, rhs, loc);
	if (lhs->type->kind == TY_PTR && cc_type_is_integer(rhs->type))
		return binary(u, ND_SUB, lhs, scale(u, rhs, lhs->type), lhs->type, loc);
	if (lhs->type->kind == TY_PTR && rhs->type->kind == TY_PTR) {
		int64_t size = cc_type_size(cc_type_base(lhs->type));
		struct cc_node *diff = binary(u, ND_SUB, lhs, rhs, &cc_type_long, loc);

		if (size <= 1)
			return diff;
		return binary(u, ND_DIV, diff, new_num(u, size, &cc_type_long, loc),
			      &cc_type_long, loc);
	}
	cc_error(u, loc, "invalid operands to binary '-'");
	return lhs;
}

static struct cc_node *compare(struct cc_unit *u, enum cc_node_kind kind, struct cc_node *lhs,
			       struct cc_node *rhs, struct cc_loc loc)
{
	lhs = decay(u, lhs);
	rhs = decay(u, rhs);
	if (lhs->type->kind == TY_PTR || rhs->type->kind == TY_PTR) {
		if (lhs->type->kind != TY_PTR)
			lhs = new_cast(u, lhs, rhs->type);
		if (rhs->type->kind != TY_PTR)
			rhs = new_cast(u, rhs, lhs->type);
		return binary(u, kind, lhs, rhs, &cc_type_int, loc);
	}
	check_arith(u, lhs, "comparison");
	check_arith(u, rhs, "comparison");
	usual_conversions(u, &lhs, &rhs);
	return binary(u, kind, lhs, rhs, &cc_type_int, loc);
}

/* Convert `value` as assignment to an object of `type` does. */
struct cc_node *convert_for_assign(struct cc_unit *u, struct cc_node *value, struct cc_type *type)
{
	value = decay(u, value);
	if (cc_type_is_aggregate(type)) {
		if (!cc_type_compatible(type, value->type) &&
		    cc_type_size(type) != cc_type_size(value->type))
			cc_error(u, value->loc, "assigning to '%s' from incompatible type '%s'",
				 cc_type_describe(u, type), cc_type_describe(u, value->type));
		return value;
	}
	if (!cc_type_is_scalar(value->type) && value->type->kind != TY_VOID) {
		cc_error(u, value->loc, "assigning to '%s' from incompatible type '%s'",
			 cc_type_describe(u, type), cc_type_describe(u, value->type));
		return value;
	}
	if (cc_type_root(type) == cc_type_root(value->type))
		return value;
	if (type->kind == TY_BOOL && value->kind != ND_NUM)
		return new_cast(u, compare(u, ND_NE, value, new_num(u, 0, &cc_type_int, value->loc),
					   value->loc), type);
	return new_cast(u, value, type);
}

static struct cc_node *to_bool_cond(struct cc_unit *u, struct cc_node *n)
{
	n = decay(u, n);
	if (!cc_type_is_scalar(n->type))
		cc_error(u, n->loc, "value of type '%s' is not contextually convertible to 'bool'",
			 cc_type_describe(u, n->type));
	return n;
}

static struct cc_node *assign(struct cc_unit *u, struct cc_node *lhs, struct cc_node *rhs,
			      struct cc_loc loc)
{
	struct cc_node *n;

	if (!is_lvalue(lhs))
		cc_error(u, loc, "expression is not assignable");
	else if (lhs->type->is_const && !(lhs->kind == ND_VAR && lhs->var->is_local && 0))
		cc_error(u, loc, "cannot assign to variable with const-qualified type '%s'",
			 cc_type_describe(u, lhs->type));
	if (lhs->type->kind == TY_ARRAY)
		cc_error(u, loc, "array type '%s' is not assignable", cc_type_describe(u, lhs->type));
	n = new_node(u, ND_ASSIGN, loc);
	n->lhs = lhs;
	n->rhs = convert_for_assign(u, rhs, lhs->type);
	n->type = lhs->type;
	return n;
}

/* lhs op= rhs, ++x and x++: rhs becomes (T)(LOADED op rhs). */
static struct cc_node *assign_op(struct cc_unit *u, enum cc_node_kind node_kind,
				 enum cc_node_kind op, struct cc_node *lhs, struct cc_node *rhs,
				 struct cc_loc loc)
{
	struct cc_node *loaded = new_node(u, ND_LOADED, loc), *value, *n;

	if (!is_lvalue(lhs) || lhs->type->kind == TY_ARRAY) {
		cc_error(u, loc, "expression is not assignable");
		return lhs;
	}
	loaded->type = lhs->type;
	loaded->member = lhs->kind == ND_MEMBER ? lhs->member : NULL;
	if (op == ND_ADD)
		value = add(u, loaded, rhs, loc);
	else if (op == ND_SUB)
		value = sub(u, loaded, rhs, loc);
	else
		value = arith(u, op, loaded, rhs, loc);
	n = new_node(u, node_kind, loc);
	n->lhs = lhs;
	n->rhs = convert_for_assign(u, value, lhs->type);
	n->type = lhs->type;
	return n;
}

static const struct {
	const char *text;
	enum cc_node_kind op;
} compound_ops[] = {
	{ "+=", ND_ADD }, { "-=", ND_SUB }, { "*=", ND_MUL }, { "/=", ND_DIV }, { "%=", ND_MOD },
	{ "&=", ND_BITAND }, { "|=", ND_BITOR }, { "^=", ND_BITXOR }, { "<<=", ND_SHL },
	{ ">>=", ND_SHR },
};

/* assign = conditional (assign-op assign)? */
struct cc_node *parse_assign(struct cc_unit *u)
{
	struct cc_node *lhs;
	struct cc_loc loc = tok(u)->loc;

	if (u->depth > 256) {
		cc_error(u, loc, "expression nested too deeply");
		u->pos = u->token_count - 1;
		return new_num(u, 0, &cc_type_int, loc);
	}
	u->depth++;
	lhs = parse_assign_inner(u);
	u->depth--;
	return lhs;
}

static struct cc_node *parse_assign_inner(struct cc_unit *u)
{
	struct cc_node *lhs = parse_conditional(u);
	struct cc_loc loc = tok(u)->loc;

	if (accept(u, "="))
		return assign(u, lhs, parse_assign(u), loc);
	for (size_t i = 0; i < sizeof(compound_ops) / sizeof(compound_ops[0]); i++)
		if (accept(u, compound_ops[i].text))
			return assign_op(u, ND_ASSIGN_OP, compound_ops[i].op, lhs, parse_assign(u),
					 loc);
	return lhs;
}

/* expr = assign ("," assign)* */
struct cc_node *parse_expr(struct cc_unit *u)
{
	struct cc_node *n = parse_assign(u);

	while (is(u, ",")) {
		struct cc_loc loc = advance(u)->loc;
		struct cc_node *c = new_node(u, ND_COMMA, loc);

		c->lhs = n;
		c->rhs = decay(u, parse_assign(u));
		c->type = c->rhs->type;
		n = c;
	}
	return n;
}

static struct cc_node *parse_binary(struct cc_unit *u, int level);

/* conditional = logor ("?" expr ":" conditional)? */
struct cc_node *parse_conditional(struct cc_unit *u)
{
	struct cc_node *cond = parse_binary(u, 0), *n, *lhs, *rhs;
	struct cc_loc loc = tok(u)->loc;

	if (!accept(u, "?"))
		return cond;
	cond = to_bool_cond(u, cond);
	lhs = is(u, ":") ? cond : decay(u, parse_expr(u));
	expect(u, ":");
	rhs = decay(u, parse_conditional(u));
	if (cond->kind == ND_NUM)
		return cond->value ? lhs : rhs;
	n = new_node(u, ND_COND, loc);
	n->cond = cond;
	if (cc_type_is_integer(lhs->type) && cc_type_is_integer(rhs->type)) {
		usual_conversions(u, &lhs, &rhs);
	} else if (lhs->type->kind == TY_PTR && rhs->type->kind != TY_PTR) {
		rhs = new_cast(u, rhs, lhs->type);
	} else if (rhs->type->kind == TY_PTR && lhs->type->kind != TY_PTR) {
		lhs = new_cast(u, lhs, rhs->type);
	}
	n->lhs = lhs;
	n->rhs = rhs;
	n->type = lhs->type->kind == TY_VOID ? rhs->type : lhs->type;
	return n;
}

static const struct {
	const char *text;
	int level;
	enum cc_node_kind kind;
} binary_ops[] = {
	{ "||", 0, ND_LOGOR }, { "&&", 1, ND_LOGAND }, { "|", 2, ND_BITOR },
	{ "^", 3, ND_BITXOR }, { "&", 4, ND_BITAND }, { "==", 5, ND_EQ }, { "!=", 5, ND_NE },
	{ "<", 6, ND_LT }, { "<=", 6, ND_LE }, { ">", 6, ND_GT }, { ">=", 6, ND_GE },
	{ "<<", 7, ND_SHL }, { ">>", 7, ND_SHR }, { "+", 8, ND_ADD }, { "-", 8, ND_SUB },
	{ "*", 9, ND_MUL }, { "/", 9, ND_DIV }, { "%", 9, ND_MOD },
};

static struct cc_node *make_binary(struct cc_unit *u, enum cc_node_kind kind,
				   struct cc_node *lhs, struct cc_node *rhs, struct cc_loc loc)
{
	switch (kind) {
	case ND_ADD:
		return add(u, lhs, rhs, loc);
	case ND_SUB:
		return sub(u, lhs, rhs, loc);
	case ND_EQ: case ND_NE: case ND_LT: case ND_LE: case ND_GT: case ND_GE:
		return compare(u, kind, lhs, rhs, loc);
	case ND_LOGAND:
	case ND_LOGOR: {
		lhs = to_bool_cond(u, lhs);
		rhs = to_bool_cond(u, rhs);
		if (lhs->kind == ND_NUM && rhs->kind == ND_NUM)
			return new_num(u, kind == ND_LOGAND ? lhs->value && rhs->value
							    : lhs->value || rhs->value,
				       &cc_type_int, loc);
		if (lhs->kind == ND_NUM && (kind == ND_LOGAND ? !lhs->value : lhs->value))
			return new_num(u, kind == ND_LOGOR, &cc_type_int, loc);
		struct cc_node *n = new_node(u, kind, loc);

		n->lhs = lhs;
		n->rhs = rhs;
		n->type = &cc_type_int;
		return n;
	}
	default:
		return arith(u, kind, decay(u, lhs), decay(u, rhs), loc);
	}
}

/* binary = cast (op cast)*, by precedence level (0 = ||, 9 = * / %) */
static struct cc_node *parse_binary(struct cc_unit *u, int level)
{
	struct cc_node *lhs = level > 9 ? parse_cast(u) : parse_binary(u, level + 1);

	if (level > 9)
		return lhs;
	for (;;) {
		struct cc_token *t = tok(u);
		int i = t->binary_op;

		/* the lexer classified the operator: binary_ops[] is in its table order */
		if (t->kind != TK_PUNCT || i < 0 || binary_ops[i].level != level)
			return lhs;
		advance(u);
		lhs = make_binary(u, binary_ops[i].kind, lhs, parse_binary(u, level + 1), t->loc);
	}
}

int64_t parse_const_expr(struct cc_unit *u)
{
	struct cc_node *n = parse_conditional(u);
	int64_t v = 0;

	if (!cc_const_eval(u, n, &v))
		cc_error(u, n->loc, "expression is not an integer constant expression");
	return v;
}

/* ---- cast and unary ---- */

static struct cc_node *compound_literal(struct cc_unit *u, struct cc_type *type,
					struct cc_loc loc)
{
	struct cc_node *block, *decl, *ref;
	struct cc_var *var;
	char name[32];

	snprintf(name, sizeof(name), ".compound.%u", u->anon_count++);
	if (!u->current) {
		var = new_global(u, cc_intern(u, name), type, loc);
		var->is_static = true;
		var->is_definition = true;
		var->init = parse_initializer(u, var);
		return new_var_ref(u, var, loc);
	}
	var = new_local(u, NULL, type, loc);
	var->address_taken = true;
	decl = new_node(u, ND_DECL, loc);
	decl->var = var;
	decl->init = parse_initializer(u, var);
	ref = new_var_ref(u, var, loc);
	block = new_node(u, ND_STMT_EXPR, loc);
	decl->next = new_node(u, ND_EXPR_STMT, loc);
	decl->next->lhs = ref;
	block->body = decl;
	block->type = var->type;
	return block;
}

/* cast = "(" type-name ")" cast | "(" type-name ")" "{" init "}" | unary */
static struct cc_node *parse_cast(struct cc_unit *u)
{
	if (is(u, "(") && is_typename(u, tok_at(u, 1))) {
		struct cc_loc loc = advance(u)->loc;
		struct cc_type *type = parse_type_name(u);
		struct cc_node *e;

		expect(u, ")");
		if (is(u, "{"))
			return compound_literal(u, type, loc);
		e = decay(u, parse_cast(u));
		if (type->kind == TY_VOID) {
			struct cc_node *n = new_node(u, ND_CAST, loc);

			n->lhs = e;
			n->type = type;
			return n;
		}
		if (!cc_type_is_scalar(type) || !cc_type_is_scalar(e->type)) {
			cc_error(u, loc, "cannot cast '%s' to '%s'", cc_type_describe(u, e->type),
				 cc_type_describe(u, type));
			return e;
		}
		return new_cast(u, e, type);
	}
	return parse_unary(u);
}

static struct cc_node *deref(struct cc_unit *u, struct cc_node *p, struct cc_loc loc)
{
	struct cc_node *n;

	p = decay(u, p);
	if (p->type->kind != TY_PTR) {
		cc_error(u, loc, "indirection requires pointer operand ('%s' invalid)",
			 cc_type_describe(u, p->type));
		return p;
	}
	if (cc_type_base(p->type)->kind == TY_FUNC)
		return p;
	if (p->kind == ND_ADDR)
		return p->lhs;
	n = new_node(u, ND_DEREF, loc);
	n->lhs = p;
	n->type = cc_type_base(p->type);
	return n;
}

static struct cc_node *parse_postfix(struct cc_unit *u);

static struct cc_node *unary_arith(struct cc_unit *u, enum cc_node_kind kind,
				   struct cc_node *e, struct cc_loc loc)
{
	struct cc_node *n;

	e = promote(u, decay(u, e));
	if (kind == ND_NOT) {
		e = to_bool_cond(u, e);
		if (e->kind == ND_NUM)
			return new_num(u, !e->value, &cc_type_int, loc);
	} else {
		check_arith(u, e, kind == ND_NEG ? "-" : "~");
		if (e->kind == ND_NUM)
			return new_num(u, kind == ND_NEG ? (int64_t)(0 - (uint64_t)e->value) : ~e->value,
				       e->type, loc);
	}
	n = new_node(u, kind, loc);
	n->lhs = e;
	n->type = kind == ND_NOT ? &cc_type_int : e->type;
	return n;
}

static struct cc_node *sizeof_expr(struct cc_unit *u, struct cc_loc loc, bool align)
{
	struct cc_type *t;
	int64_t size;

	if (is(u, "(") && is_typename(u, tok_at(u, 1))) {
		advance(u);
		t = parse_type_name(u);
		expect(u, ")");
		if (is(u, "{"))
			t = compound_literal(u, t, loc)->type;
	} else {
		t = parse_unary(u)->type;
	}
	size = align ? cc_type_align(t) : cc_type_size(t);
	if (t->kind == TY_VOID)
		size = 1;
	if (size < 0)
		cc_error(u, loc, "invalid application of 'sizeof' to an incomplete type '%s'",
			 cc_type_describe(u, t));
	return new_num(u, size, &cc_type_ulong, loc);
}

/* unary = ("+" | "-" | "*" | "&" | "!" | "~" | "++" | "--") cast | sizeof | postfix */
static struct cc_node *parse_unary(struct cc_unit *u)
{
	struct cc_token *t = tok(u);
	struct cc_loc loc = t->loc;

	if (accept(u, "+"))
		return promote(u, decay(u, parse_cast(u)));
	if (accept(u, "-"))
		return unary_arith(u, ND_NEG, parse_cast(u), loc);
	if (accept(u, "!"))
		return unary_arith(u, ND_NOT, parse_cast(u), loc);
	if (accept(u, "~"))
		return unary_arith(u, ND_BITNOT, parse_cast(u), loc);
	if (accept(u, "*"))
		return deref(u, parse_cast(u), loc);
	if (accept(u, "&")) {
		struct cc_node *e = parse_cast(u);

		if (e->kind == ND_MEMBER && e->member->is_bitfield)
			cc_error(u, loc, "address of bit-field requested");
		else if (!is_lvalue(e) && e->type->kind != TY_FUNC && e->kind != ND_STMT_EXPR)
			cc_error(u, loc, "cannot take the address of an rvalue of type '%s'",
				 cc_type_describe(u, e->type));
		return address_of(u, e, e->type);
	}
	if (accept(u, "++"))
		return assign_op(u, ND_PREINC, ND_ADD, parse_unary(u),
				 new_num(u, 1, &cc_type_int, loc), loc);
	if (accept(u, "--"))
		return assign_op(u, ND_PREINC, ND_SUB, parse_unary(u),
				 new_num(u, 1, &cc_type_int, loc), loc);
	if (accept(u, "sizeof"))
		return sizeof_expr(u, loc, false);
	if (accept(u, "_Alignof") || accept(u, "__alignof__") || accept(u, "__alignof"))
		return sizeof_expr(u, loc, true);
	if (accept(u, "__extension__"))
		return parse_cast(u);
	if (accept(u, "&&")) {
		cc_error(u, loc, "address of label (labels as values) is not supported");
		advance(u);
		return new_num(u, 0, &cc_type_long, loc);
	}
	return parse_postfix(u);
}

/* ---- postfix ---- */

static struct cc_node *member_access(struct cc_unit *u, struct cc_node *base,
				     struct cc_token *name)
{
	struct cc_node *n;
	struct cc_member *m;
	uint64_t offset = 0;

	if (base->type->kind != TY_STRUCT && base->type->kind != TY_UNION) {
		cc_error(u, name->loc, "member reference base type '%s' is not a structure or union",
			 cc_type_describe(u, base->type));
		return new_num(u, 0, &cc_type_int, name->loc);
	}
	if (cc_type_size(base->type) < 0) {
		cc_error(u, name->loc, "incomplete definition of type '%s'",
			 cc_type_describe(u, base->type));
		return new_num(u, 0, &cc_type_int, name->loc);
	}
	m = cc_type_find_member(base->type, name->text, &offset);
	if (!m) {
		cc_error(u, name->loc, "no member named '%s' in '%s'", name->text,
			 cc_type_describe(u, base->type));
		return new_num(u, 0, &cc_type_int, name->loc);
	}
	n = new_node(u, ND_MEMBER, name->loc);
	n->lhs = base;
	n->member = m;
	if (u->preserve_depth > 0)
		n->core = CC_CORE_BUILTIN;
	else if (cc_type_root(base->type)->preserve_access)
		n->core = CC_CORE_RECORD;
	n->value = (int64_t)offset;
	n->type = m->type;
	if (base->type->is_const && !m->type->is_const)
		n->type = cc_type_derive(u, m->type, STEP_CONST, NULL);
	if (base->type->is_volatile && !n->type->is_volatile)
		n->type = cc_type_derive(u, n->type, STEP_VOLATILE, NULL);
	return n;
}

static struct cc_node *call(struct cc_unit *u, struct cc_node *callee, struct cc_loc loc)
{
	struct cc_type *ft = callee->type;
	struct cc_node head = { 0 }, *tail = &head, *n;
	struct cc_param *p;

	if (ft->kind == TY_PTR)
		ft = cc_type_base(ft);
	if (ft->kind != TY_FUNC) {
		cc_error(u, loc, "called object type '%s' is not a function or function pointer",
			 cc_type_describe(u, callee->type));
		ft = cc_type_func(u, &cc_type_int);
	}
	p = cc_type_root(ft)->params;
	while (!is(u, ")") && tok(u)->kind != TK_EOF) {
		struct cc_node *arg = decay(u, parse_assign(u));

		if (p) {
			arg = convert_for_assign(u, arg, p->type);
			p = p->next;
		} else if (cc_type_root(ft)->has_prototype && !cc_type_root(ft)->is_variadic) {
			cc_error(u, arg->loc, "too many arguments to function call");
		} else if (cc_type_is_integer(arg->type)) {
			arg = promote(u, arg);
		}
		tail = tail->next = arg;
		if (!accept(u, ","))
			break;
	}
	expect(u, ")");
	if (p)
		cc_error(u, loc, "too few arguments to function call");
	n = new_node(u, ND_CALL, loc);
	n->lhs = callee;
	n->args = head.next;
	n->type = cc_type_base(ft);
	return n;
}

static struct cc_node *parse_primary(struct cc_unit *u);

/* postfix = primary ("[" expr "]" | "(" args ")" | "." ident | "->" ident | "++" | "--")* */
static struct cc_node *parse_postfix(struct cc_unit *u)
{
	struct cc_node *n = parse_primary(u);

	for (;;) {
		struct cc_loc loc = tok(u)->loc;

		if (accept(u, "[")) {
			struct cc_node *index = parse_expr(u);
			uint8_t core = (n->kind == ND_MEMBER || n->kind == ND_DEREF) &&
				       n->type->kind == TY_ARRAY ? n->core : 0;

			expect(u, "]");
			n = deref(u, add(u, n, index, loc), loc);
			if (n->kind == ND_DEREF)
				n->core = core;
		} else if (accept(u, "(")) {
			n = call(u, n, loc);
		} else if (accept(u, ".")) {
			n = member_access(u, n, advance(u));
		} else if (accept(u, "->")) {
			n = member_access(u, deref(u, n, loc), advance(u));
		} else if (accept(u, "++")) {
			n = assign_op(u, ND_POSTINC, ND_ADD, n, new_num(u, 1, &cc_type_int, loc), loc);
		} else if (accept(u, "--")) {
			n = assign_op(u, ND_POSTINC, ND_SUB, n, new_num(u, 1, &cc_type_int, loc), loc);
		} else {
			return n;
		}
	}
}

struct cc_node *parse_builtin(struct cc_unit *u, struct cc_token *name);

static struct cc_type *integer_constant_type(struct cc_token *t)
{
	bool decimal = t->text[0] != '0' || t->text[1] == '\0';

	if (t->is_char)
		return &cc_type_int;
	if (t->long_rank == 0 && !t->is_unsigned) {
		if (t->value <= INT32_MAX)
			return &cc_type_int;
		if (!decimal && t->value <= UINT32_MAX)
			return &cc_type_uint;
	}
	if (t->is_unsigned && t->long_rank == 0 && t->value <= UINT32_MAX)
		return &cc_type_uint;
	if (!t->is_unsigned && t->value <= INT64_MAX)
		return t->long_rank == 2 ? &cc_type_llong : &cc_type_long;
	return t->long_rank == 2 ? &cc_type_ullong : &cc_type_ulong;
}

/* Adjacent string literals joined into an anonymous static char array in .rodata. */
struct cc_node *string_literal_var(struct cc_unit *u)
{
	struct cc_loc loc = tok(u)->loc;
	size_t len = 0, pos;
	char *bytes, name[32];
	struct cc_var *var;

	for (size_t i = u->pos; u->tokens[i].kind == TK_STRING; i++)
		len += u->tokens[i].string_len;
	bytes = cc_alloc(u->arena, len + 1);
	for (pos = 0; tok(u)->kind == TK_STRING;) {
		struct cc_token *s = advance(u);

		memcpy(bytes + pos, s->string, s->string_len);
		pos += s->string_len;
	}
	snprintf(name, sizeof(name), ".str.%u", u->anon_count++);
	var = new_global(u, cc_intern(u, name), cc_type_array(u, &cc_type_char, (int64_t)len + 1),
			 loc);
	var->is_static = true;
	var->is_definition = true;
	var->attrs.section = ".rodata";
	var->init = new_node(u, ND_INIT_LIST, loc);
	var->init->type = var->type;
	{
		struct cc_node head = { 0 }, *tail = &head;

		for (size_t i = 0; i <= len; i++) {
			struct cc_node *b = new_num(u, i < len ? bytes[i] : 0, &cc_type_char, loc);

			b->designator_offset = i;
			tail = tail->next = b;
		}
		var->init->args = head.next;
	}
	return new_var_ref(u, var, loc);
}

static struct cc_type *enumerator_type(struct scope_entry *e)
{
	bool uns = cc_type_is_unsigned(e->type);

	if (e->value >= INT32_MIN && e->value <= INT32_MAX)
		return &cc_type_int;
	if (cc_type_size(e->type) == 4)
		return uns ? &cc_type_uint : &cc_type_int;
	return uns ? &cc_type_ulong : &cc_type_long;
}

static struct cc_node *identifier(struct cc_unit *u, struct cc_token *t)
{
	struct scope_entry *e = scope_find(u, t->text, false);

	if (!e) {
		if (is(u, "("))
			cc_error(u, t->loc, "call to undeclared function '%s'", t->text);
		else
			cc_error(u, t->loc, "use of undeclared identifier '%s'", t->text);
		return new_num(u, 0, &cc_type_int, t->loc);
	}
	if (e->kind == SCOPE_ENUM_CONST) /* int when it fits, else the enum's own type */
		return new_num(u, e->value, enumerator_type(e), t->loc);
	if (e->kind != SCOPE_VAR) {
		cc_error(u, t->loc, "unexpected type name '%s': expected expression", t->text);
		return new_num(u, 0, &cc_type_int, t->loc);
	}
	return new_var_ref(u, e->var, t->loc);
}

static struct cc_node *statement_expression(struct cc_unit *u, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_STMT_EXPR, loc), *last = NULL;

	n->body = parse_compound(u)->body;
	for (struct cc_node *s = n->body; s; s = s->next)
		last = s;
	n->type = last && last->kind == ND_EXPR_STMT ? last->lhs->type : &cc_type_void;
	expect(u, ")");
	return n;
}

/* primary = "(" expr ")" | "({" stmts "})" | ident | number | string | builtin */
static struct cc_node *parse_primary(struct cc_unit *u)
{
	struct cc_token *t = tok(u);

	if (is(u, "(") && tok_at(u, 1)->kind == TK_PUNCT && !strcmp(tok_at(u, 1)->text, "{")) {
		if (!u->current) {
			cc_error(u, t->loc, "statement expression not allowed at file scope");
			u->pos = u->token_count - 1;
			return new_num(u, 0, &cc_type_int, t->loc);
		}
		advance(u);
		return statement_expression(u, t->loc);
	}
	if (accept(u, "(")) {
		struct cc_node *n = parse_expr(u);

		expect(u, ")");
		return n;
	}
	if (t->kind == TK_INT) {
		advance(u);
		return new_num(u, (int64_t)t->value, integer_constant_type(t), t->loc);
	}
	if (t->kind == TK_STRING)
		return string_literal_var(u);
	if (t->kind == TK_IDENT) {
		advance(u);
		if (!strncmp(t->text, "__builtin_", 10) || !strncmp(t->text, "__sync_", 7))
			return parse_builtin(u, t);
		return identifier(u, t);
	}
	if (t->kind == TK_KEYWORD && (!strcmp(t->text, "asm") || !strcmp(t->text, "__asm__")))
		cc_error(u, t->loc, "inline assembly in an expression is not supported");
	else
		cc_error(u, t->loc, "expected expression, got '%s'", t->text);
	advance(u);
	return new_num(u, 0, &cc_type_int, t->loc);
}
