/* sema_primary.c - primary and postfix expressions: identifiers and enumerators,
 * integer constants typed as C types them, string literals (anonymous .rodata arrays),
 * member access (CO-RE relocatable through preserve_access_index records), calls,
 * statement expressions and compound literals. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "sema_int.h"

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


/* base.name, base->name */
struct cc_node *sema_member(struct cc_unit *u, struct cc_node *base, struct cc_token *name,
			    bool arrow, struct cc_loc loc)
{
	if (arrow)
		base = sema_unary(u, '*', base, loc);
	return member_access(u, base, name);
}

/* callee(args): arguments converted as if assigned to the parameters. */
struct cc_node *sema_call(struct cc_unit *u, struct cc_node *callee, struct cc_node *args,
			  struct cc_loc loc)
{
	struct cc_type *ft = callee->type;
	struct cc_node head = { 0 }, *tail = &head, *n, *next;
	struct cc_param *p;

	if (ft->kind == TY_PTR)
		ft = cc_type_base(ft);
	if (ft->kind != TY_FUNC) {
		cc_error(u, loc, "called object type '%s' is not a function or function pointer",
			 cc_type_describe(u, callee->type));
		ft = cc_type_func(u, &cc_type_int);
	}
	p = cc_type_root(ft)->params;
	for (struct cc_node *a = args; a; a = next) {
		struct cc_node *arg = decay(u, a);

		next = a->next;
		if (p) {
			arg = convert_for_assign(u, arg, p->type);
			p = p->next;
		} else if (cc_type_root(ft)->has_prototype && !cc_type_root(ft)->is_variadic) {
			cc_error(u, arg->loc, "too many arguments to function call");
		} else if (cc_type_is_integer(arg->type)) {
			arg = promote(u, arg);
		}
		arg->next = NULL;
		tail = tail->next = arg;
	}
	if (p)
		cc_error(u, loc, "too few arguments to function call");
	n = new_node(u, ND_CALL, loc);
	n->lhs = callee;
	n->args = head.next;
	n->type = cc_type_base(ft);
	return n;
}

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


struct cc_node *sema_number(struct cc_unit *u, struct cc_token *t)
{
	return new_num(u, (int64_t)t->value, integer_constant_type(t), t->loc);
}

/* A string literal's array, for the next literal with the same bytes. */
struct string_literal {
	struct string_literal *next;
	const char *bytes;
	size_t len;
	struct cc_var *var;
};

/* The array of an earlier literal with these bytes, still in use, or NULL: clang
 * makes one constant per distinct string, however often it is written. */
static struct cc_var *same_string(struct cc_unit *u, const char *bytes, size_t len)
{
	for (struct string_literal *s = u->string_literals; s; s = s->next)
		if (s->len == len && s->var->use_count > 0 && !memcmp(s->bytes, bytes, len))
			return s->var;
	return NULL;
}

/* Adjacent string literals (count tokens from first) joined into an anonymous static
 * char array in .rodata.str1.1, one per distinct string. */
struct cc_node *sema_string(struct cc_unit *u, struct cc_token *first, size_t count)
{
	struct cc_loc loc = first->loc;
	size_t len = 0, pos = 0;
	char *bytes, name[32];
	struct cc_var *var;
	struct cc_node head = { 0 }, *tail = &head;
	struct string_literal *literal;

	for (size_t i = 0; i < count; i++)
		len += first[i].string_len;
	bytes = cc_alloc(u->arena, len + 1);
	for (size_t i = 0; i < count; i++) {
		memcpy(bytes + pos, first[i].string, first[i].string_len);
		pos += first[i].string_len;
	}
	var = same_string(u, bytes, len);
	if (var)
		return new_var_ref(u, var, loc);
	snprintf(name, sizeof(name), ".str.%u", u->anon_count++);
	var = new_global(u, cc_intern(u, name), cc_type_array(u, &cc_type_char, (int64_t)len + 1),
			 loc);
	var->is_static = true;
	var->is_definition = true;
	var->attrs.section = ".rodata.str1.1"; /* mergeable strings, as clang places them */
	var->init = new_node(u, ND_INIT_LIST, loc);
	var->init->type = var->type;
	for (size_t i = 0; i <= len; i++) {
		struct cc_node *b = new_num(u, i < len ? bytes[i] : 0, &cc_type_char, loc);

		b->designator_offset = i;
		tail = tail->next = b;
	}
	var->init->args = head.next;
	literal = cc_alloc(u->arena, sizeof(*literal));
	if (literal) {
		*literal = (struct string_literal){ u->string_literals, bytes, len, var };
		u->string_literals = literal;
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


/* An identifier in an expression; `called` when a '(' follows it. */
struct cc_node *sema_identifier(struct cc_unit *u, struct cc_token *t, bool called)
{
	struct scope_entry *e = scope_find(u, t->text, false);

	if (!e) {
		if (called)
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

/* ({ ... }): the value of the last expression statement. */
struct cc_node *sema_statement_expression(struct cc_unit *u, struct cc_node *block,
					  struct cc_loc loc)
{
	struct cc_node *n = new_node(u, ND_STMT_EXPR, loc), *last = NULL;

	n->body = block->body;
	for (struct cc_node *s = n->body; s; s = s->next)
		last = s;
	n->type = last && last->kind == ND_EXPR_STMT ? last->lhs->type : &cc_type_void;
	return n;
}

/* (type){ init }: an anonymous static object at file scope, else a local. */
struct cc_node *sema_compound_literal(struct cc_unit *u, struct cc_type *type,
				      struct init_item *init, struct cc_loc loc)
{
	struct cc_node *block, *decl, *ref;
	struct cc_var *var;
	char name[32];

	snprintf(name, sizeof(name), ".compound.%u", u->anon_count++);
	if (!u->current) {
		var = new_global(u, cc_intern(u, name), type, loc);
		var->is_static = true;
		var->is_definition = true;
		var->init = sema_initializer(u, var, init);
		return new_var_ref(u, var, loc);
	}
	var = new_local(u, NULL, type, loc);
	var->address_taken = true;
	decl = new_node(u, ND_DECL, loc);
	decl->var = var;
	decl->init = sema_initializer(u, var, init);
	ref = new_var_ref(u, var, loc);
	block = new_node(u, ND_STMT_EXPR, loc);
	decl->next = new_node(u, ND_EXPR_STMT, loc);
	decl->next->lhs = ref;
	block->body = decl;
	block->type = var->type;
	return block;
}
