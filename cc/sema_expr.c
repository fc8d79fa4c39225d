/* sema_expr.c - typed expression nodes for the grammar's operators: integer
 * promotions, usual arithmetic conversions, pointer arithmetic scaling, lvalue checks,
 * array/function decay, and folding of constant operands as nodes are built. */
#include <config.h>

#include <string.h>

#include "sema_int.h"

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

/* Note that the function being parsed names file-scope data or a static function
 * `var` (once per function): emit.c lays data out in that order, as clang creates it. */
void sema_note_data_ref(struct cc_unit *u, struct cc_var *var)
{
	struct cc_function *fn = u->current;

	if (!fn || var->is_local || (var->is_function && !var->is_static) ||
	    var->data_ref_of == fn)
		return;
	if (fn->data_ref_count == fn->data_ref_capacity) {
		size_t capacity = fn->data_ref_capacity ? 2 * fn->data_ref_capacity : 8;
		struct cc_var **refs = cc_alloc(u->arena, capacity * sizeof(*refs));

		if (!refs)
			return;
		if (fn->data_ref_count)
			memcpy(refs, fn->data_refs, fn->data_ref_count * sizeof(*refs));
		fn->data_refs = refs;
		fn->data_ref_capacity = capacity;
	}
	fn->data_refs[fn->data_ref_count++] = var;
	var->data_ref_of = fn;
}

/* How many data references the function being parsed has noted so far. */
unsigned sema_data_ref_mark(struct cc_unit *u)
{
	return u->current ? (unsigned)u->current->data_ref_count : 0;
}

/* Whether expression `n` names `var`. */
static bool names_var(const struct cc_node *n, const struct cc_var *var)
{
	if (!n)
		return false;
	if (n->kind == ND_VAR && n->var == var)
		return true;
	if (names_var(n->lhs, var) || names_var(n->rhs, var) || names_var(n->cond, var))
		return true;
	for (const struct cc_node *a = n->args; a; a = a->next)
		if (names_var(a, var))
			return true;
	return false;
}

/* `lhs = rhs`: clang evaluates the right side first, so the data the right side names
 * first (noted from `mark` on) comes before what the left side named first (the
 * entries just before `mark` that `lhs` names). */
void sema_assign_order(struct cc_unit *u, const struct cc_node *lhs, unsigned mark)
{
	struct cc_function *fn = u->current;
	size_t start = mark, end = fn ? fn->data_ref_count : 0;
	struct cc_var *moved[8];

	if (!fn || end == mark)
		return;
	while (start > 0 && mark - start < 8 && names_var(lhs, fn->data_refs[start - 1]))
		start--;
	if (start == mark)
		return;
	memcpy(moved, fn->data_refs + start, (mark - start) * sizeof(*moved));
	memmove(fn->data_refs + start, fn->data_refs + mark, (end - mark) * sizeof(*moved));
	memcpy(fn->data_refs + start + (end - mark), moved, (mark - start) * sizeof(*moved));
}

struct cc_node *new_var_ref(struct cc_unit *u, struct cc_var *var, struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_VAR, loc);

	sema_note_data_ref(u, var);
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

struct cc_node *promote(struct cc_unit *u, struct cc_node *n)
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

struct cc_node *to_bool_cond(struct cc_unit *u, struct cc_node *n)
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

struct cc_node *sema_binary(struct cc_unit *u, enum cc_node_kind kind,
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


static const struct {
	const char *text;
	enum cc_node_kind op;
} compound_ops[] = {
	{ "+=", ND_ADD }, { "-=", ND_SUB }, { "*=", ND_MUL }, { "/=", ND_DIV }, { "%=", ND_MOD },
	{ "&=", ND_BITAND }, { "|=", ND_BITOR }, { "^=", ND_BITXOR }, { "<<=", ND_SHL },
	{ ">>=", ND_SHR },
};

/* lhs = rhs, lhs op= rhs */
struct cc_node *sema_assign(struct cc_unit *u, struct cc_token *op, struct cc_node *lhs,
			    struct cc_node *rhs, struct cc_loc loc)
{
	if (op->text[0] == '=' && !op->text[1])
		return assign(u, lhs, rhs, loc);
	for (size_t i = 0; i < sizeof(compound_ops) / sizeof(compound_ops[0]); i++)
		if (!strcmp(op->text, compound_ops[i].text))
			return assign_op(u, ND_ASSIGN_OP, compound_ops[i].op, lhs, rhs, loc);
	cc_error(u, loc, "unknown assignment operator '%s'", op->text);
	return lhs;
}

struct cc_node *sema_comma(struct cc_unit *u, struct cc_node *lhs, struct cc_node *rhs,
			   struct cc_loc loc)
{
	struct cc_node *c = new_node(u, ND_COMMA, loc);

	c->lhs = lhs;
	c->rhs = decay(u, rhs);
	c->type = c->rhs->type;
	return c;
}

/* cond ? lhs : rhs, and GNU cond ?: rhs (lhs NULL) */
struct cc_node *sema_conditional(struct cc_unit *u, struct cc_node *cond,
				 struct cc_node *lhs, struct cc_node *rhs, struct cc_loc loc)
{
	struct cc_node *n;

	cond = to_bool_cond(u, cond);
	lhs = lhs ? decay(u, lhs) : cond;
	rhs = decay(u, rhs);
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

int64_t sema_const_value(struct cc_unit *u, struct cc_node *n)
{
	int64_t v = 0;

	if (!cc_const_eval(u, n, &v))
		cc_error(u, n->loc, "expression is not an integer constant expression");
	return v;
}

/* (type) e */
struct cc_node *sema_cast(struct cc_unit *u, struct cc_type *type, struct cc_node *e,
			  struct cc_loc loc)
{
	e = decay(u, e);
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


/* sizeof and _Alignof of a type (of an expression: its type). */
struct cc_node *sema_sizeof(struct cc_unit *u, struct cc_type *t, bool align,
			    struct cc_loc loc)
{
	int64_t size = align ? cc_type_align(t) : cc_type_size(t);

	if (t->kind == TY_VOID)
		size = 1;
	if (size < 0)
		cc_error(u, loc, "invalid application of 'sizeof' to an incomplete type '%s'",
			 cc_type_describe(u, t));
	return new_num(u, size, &cc_type_ulong, loc);
}

/* Prefix operators: + - ! ~ * & (op is the grammar's character). */
struct cc_node *sema_unary(struct cc_unit *u, int op, struct cc_node *e, struct cc_loc loc)
{
	switch (op) {
	case '+':
		return promote(u, decay(u, e));
	case '-':
		return unary_arith(u, ND_NEG, e, loc);
	case '!':
		return unary_arith(u, ND_NOT, e, loc);
	case '~':
		return unary_arith(u, ND_BITNOT, e, loc);
	case '*':
		return deref(u, e, loc);
	default: /* '&' */
		if (e->kind == ND_MEMBER && e->member->is_bitfield)
			cc_error(u, loc, "address of bit-field requested");
		else if (!is_lvalue(e) && e->type->kind != TY_FUNC && e->kind != ND_STMT_EXPR)
			cc_error(u, loc, "cannot take the address of an rvalue of type '%s'",
				 cc_type_describe(u, e->type));
		return address_of(u, e, e->type);
	}
}

/* ++x --x x++ x-- */
struct cc_node *sema_incdec(struct cc_unit *u, bool prefix, bool increment,
			    struct cc_node *e, struct cc_loc loc)
{
	return assign_op(u, prefix ? ND_PREINC : ND_POSTINC, increment ? ND_ADD : ND_SUB, e,
			 new_num(u, 1, &cc_type_int, loc), loc);
}

/* base[index] */
struct cc_node *sema_index(struct cc_unit *u, struct cc_node *base, struct cc_node *index,
			   struct cc_loc loc)
{
	uint8_t core = (base->kind == ND_MEMBER || base->kind == ND_DEREF) &&
		       base->type->kind == TY_ARRAY ? base->core : 0;
	struct cc_node *n = deref(u, add(u, base, index, loc), loc);

	if (n->kind == ND_DEREF)
		n->core = core;
	return n;
}
