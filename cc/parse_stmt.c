/* parse_stmt.c - statements and block-scope declarations: compound statements,
 * if/for/while/do/switch/case (incl. GNU ranges)/break/continue/goto/labels/return,
 * local and static-local variables, and GNU asm statements (kept as ND_ASM nodes). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "parse_int.h"



static struct cc_node *stmt(struct cc_unit *u, enum cc_node_kind kind)
{
	return new_node(u, kind, tok(u)->loc);
}

static struct cc_node *condition(struct cc_unit *u)
{
	struct cc_node *c;

	expect(u, "(");
	c = decay(u, parse_expr(u));
	expect(u, ")");
	if (!cc_type_is_scalar(c->type))
		cc_error(u, c->loc, "statement requires expression of scalar type ('%s' invalid)",
			 cc_type_describe(u, c->type));
	return c;
}

/* A static local lives in .data/.bss/.rodata under the name "function.name". */
static struct cc_var *static_local(struct cc_unit *u, struct decl_spec *spec,
				   struct cc_type *type, struct cc_token *name,
				   struct cc_attrs *attrs)
{
	char full[256];
	struct cc_var *v;

	snprintf(full, sizeof(full), "%s.%s", u->current->var->name, name->text);
	v = new_global(u, name->text, type, name->loc);
	v->asm_name = cc_intern(u, full);
	v->is_static = true;
	v->is_definition = true;
	v->attrs = *attrs;
	if (spec->attrs.section)
		v->attrs.section = spec->attrs.section;
	scope_add(u, name->text, SCOPE_VAR)->var = v;
	if (accept(u, "="))
		v->init = parse_initializer(u, v);
	return v;
}

/* declaration in a block: returns a list of ND_DECL statements (or NULL). */
struct cc_node *parse_local_declaration(struct cc_unit *u)
{
	struct decl_spec spec;
	struct cc_node head = { 0 }, *tail = &head;

	parse_decl_spec(u, &spec, true);
	if (!spec.type)
		spec.type = &cc_type_int;
	if (spec.storage == SC_TYPEDEF) {
		do {
			struct cc_token *name;
			struct cc_type *t = parse_declarator(u, spec.type, &name, NULL);

			if (name)
				scope_add(u, name->text, SCOPE_TYPEDEF)->type =
					cc_type_derive(u, t, STEP_TYPEDEF, name->text);
		} while (accept(u, ","));
		expect(u, ";");
		return NULL;
	}
	if (accept(u, ";"))
		return NULL;
	do {
		struct cc_attrs attrs = { 0 };
		struct cc_token *name;
		struct cc_type *t = parse_declarator(u, spec.type, &name, &attrs);
		struct cc_node *d;
		struct cc_var *v;

		if (!name) {
			cc_error(u, tok(u)->loc, "expected identifier in declaration");
			break;
		}
		if (spec.storage == SC_STATIC || spec.storage == SC_EXTERN || t->kind == TY_FUNC) {
			v = static_local(u, &spec, t, name, &attrs);
			if (spec.storage == SC_EXTERN || t->kind == TY_FUNC) {
				v->is_extern = true;
				v->is_definition = false;
				v->is_function = t->kind == TY_FUNC;
				v->asm_name = v->name;
			}
			continue;
		}
		v = new_local(u, name->text, t, name->loc);
		d = new_node(u, ND_DECL, name->loc);
		d->var = v;
		if (accept(u, "="))
			d->init = parse_initializer(u, v);
		if (cc_type_size(v->type) < 0)
			cc_error(u, name->loc, "variable has incomplete type '%s'",
				 cc_type_describe(u, v->type));
		if (cc_type_is_aggregate(v->type))
			v->address_taken = true;
		tail = tail->next = d;
	} while (accept(u, ","));
	expect(u, ";");
	return head.next;
}

/* Adjacent string literals as one NUL-terminated string (asm templates, constraints). */
static const char *string_tokens(struct cc_unit *u)
{
	size_t len = 0, pos = 0;
	char *text;

	for (size_t i = u->pos; u->tokens[i].kind == TK_STRING; i++)
		len += u->tokens[i].string_len;
	text = cc_alloc(u->arena, len + 1);
	if (!text)
		return "";
	while (tok(u)->kind == TK_STRING) {
		struct cc_token *t = advance(u);

		memcpy(text + pos, t->string, t->string_len);
		pos += t->string_len;
	}
	return text;
}

/* [name] "constraint" (expr), ... up to the next ':' or ')'. */
static struct cc_asm_operand *asm_operands(struct cc_unit *u, bool outputs)
{
	struct cc_asm_operand head = { 0 }, *tail = &head;

	while (tok(u)->kind != TK_EOF && !is(u, ":") && !is(u, ")")) {
		struct cc_asm_operand *op = cc_alloc(u->arena, sizeof(*op));

		if (!op)
			break;
		if (accept(u, "[")) {
			op->name = advance(u)->text;
			expect(u, "]");
		}
		if (tok(u)->kind != TK_STRING) {
			cc_error(u, tok(u)->loc, "expected a constraint string in asm operand");
			break;
		}
		op->constraint = string_tokens(u);
		expect(u, "(");
		op->expr = outputs ? parse_assign(u) : decay(u, parse_assign(u));
		expect(u, ")");
		if (!outputs && u->current && (strchr(op->constraint, 'i') ||
					       strchr(op->constraint, 'n')))
			u->current->needs_constants = true; /* may name a parameter */
		op->reg = -1;
		tail = tail->next = op;
		if (!accept(u, ","))
			break;
	}
	return head.next;
}

/* "r0", ..., "r9" in the clobber list, as a register mask ("memory", "cc" ignored). */
static unsigned asm_clobbers(struct cc_unit *u)
{
	unsigned mask = 0;

	while (tok(u)->kind == TK_STRING) {
		const char *c = string_tokens(u);

		if (c[0] == 'r' && c[1] >= '0' && c[1] <= '9' && !c[2])
			mask |= 1u << (c[1] - '0');
		if (!accept(u, ","))
			break;
	}
	return mask;
}

/* asm [volatile|goto|inline] ( "text" [: outputs [: inputs [: clobbers]]] ); */
static struct cc_node *asm_statement(struct cc_unit *u)
{
	struct cc_node *n = stmt(u, ND_ASM);
	struct cc_asm *a = cc_alloc(u->arena, sizeof(*a));

	advance(u);
	while (accept(u, "volatile") || accept(u, "__volatile__") || accept(u, "inline") ||
	       accept(u, "__inline__"))
		;
	if (is(u, "goto"))
		cc_error(u, tok(u)->loc, "asm goto is not supported");
	n->asm_stmt = a;
	if (!a || !expect(u, "("))
		return n;
	if (tok(u)->kind != TK_STRING)
		cc_error(u, tok(u)->loc, "expected the asm template string");
	a->text = string_tokens(u);
	if (accept(u, ":"))
		a->outputs = asm_operands(u, true);
	if (accept(u, ":"))
		a->inputs = asm_operands(u, false);
	if (accept(u, ":"))
		a->clobbers = asm_clobbers(u);
	expect(u, ")");
	expect(u, ";");
	return n;
}

static struct cc_node *parse_for(struct cc_unit *u, bool unroll)
{
	struct cc_node *n = stmt(u, ND_FOR);

	advance(u);
	n->unroll = unroll;
	expect(u, "(");
	scope_push(u);
	if (is_typename(u, tok(u))) {
		struct cc_node *decls = parse_local_declaration(u);
		struct cc_node *block = new_node(u, ND_BLOCK, n->loc);

		block->body = decls;
		n->init = block;
	} else if (!accept(u, ";")) {
		n->init = new_node(u, ND_EXPR_STMT, tok(u)->loc);
		n->init->lhs = parse_expr(u);
		expect(u, ";");
	}
	if (!is(u, ";"))
		n->cond = decay(u, parse_expr(u));
	expect(u, ";");
	if (!is(u, ")"))
		n->inc = parse_expr(u);
	expect(u, ")");
	n->body = parse_statement(u);
	scope_pop(u);
	return n;
}

static struct cc_node *parse_case(struct cc_unit *u, bool is_default)
{
	struct cc_node *n = stmt(u, ND_CASE);

	advance(u);
	if (!u->current_switch) {
		cc_error(u, n->loc, "'%s' statement not in switch statement",
			 is_default ? "default" : "case");
	}
	n->is_default = is_default;
	if (!is_default) {
		n->value = parse_const_expr(u);
		n->value_high = n->value;
		if (accept(u, "..."))
			n->value_high = parse_const_expr(u);
	}
	expect(u, ":");
	if (u->current_switch) {
		n->case_next = u->current_switch->cases;
		u->current_switch->cases = n;
	}
	n->body = is(u, "}") ? stmt(u, ND_NULL_STMT) : parse_statement(u);
	return n;
}

static struct cc_node *statement(struct cc_unit *u);

/* Statements nest (blocks, loops); the depth is bounded so input cannot overflow the
 * stack. */
struct cc_node *parse_statement(struct cc_unit *u)
{
	struct cc_node *n;

	if (u->depth > 256) {
		cc_error(u, tok(u)->loc, "statements nested too deeply");
		u->pos = u->token_count - 1;
		return new_node(u, ND_NULL_STMT, tok(u)->loc);
	}
	u->depth++;
	n = statement(u);
	u->depth--;
	return n;
}

static struct cc_node *statement(struct cc_unit *u)
{
	struct cc_token *t = tok(u);
	struct cc_node *n;

	if (t->kind == TK_IDENT && tok_at(u, 1)->kind == TK_PUNCT &&
	    !strcmp(tok_at(u, 1)->text, ":")) {
		n = stmt(u, ND_LABEL);
		n->label = advance(u)->text;
		advance(u);
		parse_attributes(u, NULL);
		n->body = is(u, "}") ? stmt(u, ND_NULL_STMT) : parse_statement(u);
		return n;
	}
	if (is(u, "{"))
		return parse_compound(u);
	if (accept(u, ";"))
		return new_node(u, ND_NULL_STMT, t->loc);
	if (is(u, "if")) {
		n = stmt(u, ND_IF);
		advance(u);
		n->cond = condition(u);
		n->then = parse_statement(u);
		if (accept(u, "else"))
			n->els = parse_statement(u);
		return n;
	}
	if (is(u, "while")) {
		n = stmt(u, ND_FOR);
		n->unroll = t->pragma_unroll;
		advance(u);
		n->cond = condition(u);
		n->body = parse_statement(u);
		return n;
	}
	if (is(u, "do")) {
		n = stmt(u, ND_DO);
		n->unroll = t->pragma_unroll;
		advance(u);
		n->body = parse_statement(u);
		expect(u, "while");
		n->cond = condition(u);
		expect(u, ";");
		return n;
	}
	if (is(u, "for"))
		return parse_for(u, t->pragma_unroll);
	if (is(u, "switch")) {
		struct cc_node *saved = u->current_switch;

		n = stmt(u, ND_SWITCH);
		advance(u);
		n->cond = condition(u);
		if (!cc_type_is_integer(n->cond->type))
			cc_error(u, n->cond->loc, "statement requires expression of integer type");
		u->current_switch = n;
		n->body = parse_statement(u);
		u->current_switch = saved;
		return n;
	}
	if (is(u, "case"))
		return parse_case(u, false);
	if (is(u, "default"))
		return parse_case(u, true);
	if (is(u, "break") || is(u, "continue")) {
		n = stmt(u, is(u, "break") ? ND_BREAK : ND_CONTINUE);
		advance(u);
		expect(u, ";");
		return n;
	}
	if (is(u, "goto")) {
		n = stmt(u, ND_GOTO);
		advance(u);
		if (is(u, "*"))
			cc_error(u, tok(u)->loc, "computed goto is not supported");
		n->label = advance(u)->text;
		expect(u, ";");
		return n;
	}
	if (is(u, "return")) {
		struct cc_type *ret = cc_type_base(u->current->var->type);

		n = stmt(u, ND_RETURN);
		advance(u);
		if (!accept(u, ";")) {
			struct cc_node *e = parse_expr(u);

			expect(u, ";");
			if (ret->kind == TY_VOID) {
				if (e->type->kind != TY_VOID)
					cc_error(u, e->loc, "void function '%s' should not return a value",
						 u->current->var->name);
			} else {
				n->lhs = convert_for_assign(u, e, ret);
			}
		} else if (ret->kind != TY_VOID) {
			cc_error(u, n->loc, "non-void function '%s' should return a value",
				 u->current->var->name);
		}
		return n;
	}
	if (is(u, "asm") || is(u, "__asm__") || is(u, "__asm"))
		return asm_statement(u);
	n = stmt(u, ND_EXPR_STMT);
	n->lhs = parse_expr(u);
	expect(u, ";");
	return n;
}

/* compound = "{" (declaration | statement)* "}" */
struct cc_node *parse_compound(struct cc_unit *u)
{
	struct cc_node *block = stmt(u, ND_BLOCK), head = { 0 }, *tail = &head;

	expect(u, "{");
	scope_push(u);
	while (!is(u, "}") && tok(u)->kind != TK_EOF) {
		size_t before = u->pos;

		if (parse_static_assert(u))
			continue;
		if (is_typename(u, tok(u)) &&
		    !(tok_at(u, 1)->kind == TK_PUNCT && !strcmp(tok_at(u, 1)->text, ":"))) {
			struct cc_node *decls = parse_local_declaration(u);

			for (; decls; decls = decls->next)
				tail = tail->next = decls;
			tail->next = NULL;
		} else {
			tail = tail->next = parse_statement(u);
		}
		if (u->pos == before)
			advance(u);
		if ((unsigned)u->errors >= 20)
			break;
	}
	scope_pop(u);
	expect(u, "}");
	block->body = head.next;
	return block;
}
