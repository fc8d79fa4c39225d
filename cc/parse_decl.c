/* parse_decl.c - declarations: the token cursor and scopes, declaration specifiers,
 * declarators (pointers, arrays, function types, nested declarators), struct/union/enum
 * bodies, GNU attributes, _Static_assert, and the translation-unit loop. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

/* Spelling test with the first character compared inline (most tests fail there). */
#define WORD(w, literal) ((w)[0] == (literal)[0] && !strcmp((w), (literal)))

/* ---- cursor ---- */

struct cc_token *tok(struct cc_unit *u)
{
	return &u->tokens[u->pos];
}

struct cc_token *tok_at(struct cc_unit *u, size_t ahead)
{
	size_t i = u->pos + ahead;

	return &u->tokens[i < u->token_count ? i : u->token_count - 1];
}

struct cc_token *advance(struct cc_unit *u)
{
	struct cc_token *t = tok(u);

	if (t->kind != TK_EOF)
		u->pos++;
	return t;
}

bool is(struct cc_unit *u, const char *text)
{
	struct cc_token *t = tok(u);

	return (t->kind == TK_PUNCT || t->kind == TK_KEYWORD || t->kind == TK_IDENT) &&
	       t->text[0] == text[0] && !strcmp(t->text, text);
}

bool accept(struct cc_unit *u, const char *text)
{
	if (!is(u, text))
		return false;
	advance(u);
	return true;
}

bool expect(struct cc_unit *u, const char *text)
{
	if (accept(u, text))
		return true;
	cc_error(u, tok(u)->loc, "expected '%s', got '%s'", text,
		 tok(u)->kind == TK_STRING ? "string literal" : tok(u)->text);
	return false;
}

/* ---- scopes ---- */

static size_t hash_name(const char *name, size_t buckets)
{
	return ((uintptr_t)name >> 4) % buckets;
}

void scope_push(struct cc_unit *u)
{
	struct cc_scope *s = cc_alloc(u->arena, sizeof(*s));

	s->parent = u->scope;
	s->bucket_count = u->scope ? 31 : 8191;
	s->buckets = cc_alloc(u->arena, s->bucket_count * sizeof(*s->buckets));
	u->scope = s;
}

void scope_pop(struct cc_unit *u)
{
	u->scope = u->scope->parent;
}

struct scope_entry *scope_add(struct cc_unit *u, const char *name, enum scope_kind kind)
{
	struct cc_scope *s = u->scope;
	struct scope_entry *e = cc_alloc(u->arena, sizeof(*e));
	size_t h = hash_name(name, s->bucket_count);

	e->name = name;
	e->kind = kind;
	e->next = s->buckets[h];
	s->buckets[h] = e;
	return e;
}

static struct scope_entry *find_in(struct cc_scope *s, const char *name, bool tags)
{
	for (struct scope_entry *e = s->buckets[hash_name(name, s->bucket_count)]; e; e = e->next)
		if (e->name == name && (e->kind == SCOPE_TAG) == tags)
			return e;
	return NULL;
}

struct scope_entry *scope_find(struct cc_unit *u, const char *name, bool tags)
{
	for (struct cc_scope *s = u->scope; s; s = s->parent) {
		struct scope_entry *e = find_in(s, name, tags);

		if (e)
			return e;
	}
	return NULL;
}

struct scope_entry *scope_find_local(struct cc_unit *u, const char *name, bool tags)
{
	return find_in(u->scope, name, tags);
}

bool is_typename(struct cc_unit *u, struct cc_token *t)
{
	struct scope_entry *e;

	if (t->kind == TK_KEYWORD)
		return CC_WORD_FLAGS(t->text) & CC_WORD_TYPE;
	if (t->kind != TK_IDENT)
		return false;
	e = scope_find(u, t->text, false);
	return e && e->kind == SCOPE_TYPEDEF;
}

/* ---- attributes ---- */

static void skip_balanced(struct cc_unit *u)
{
	int depth = 0;

	do {
		if (is(u, "(") || is(u, "[") || is(u, "{"))
			depth++;
		else if (is(u, ")") || is(u, "]") || is(u, "}"))
			depth--;
		if (tok(u)->kind == TK_EOF)
			return;
		advance(u);
	} while (depth > 0);
}

static void parse_one_attribute(struct cc_unit *u, struct cc_attrs *a)
{
	struct cc_token *name = advance(u);
	const char *n = name->text;

	if (name->kind != TK_IDENT && name->kind != TK_KEYWORD) {
		cc_error(u, name->loc, "expected attribute name");
		return;
	}
	/* __packed__ and packed name the same attribute */
	char plain[64];
	size_t len = strlen(n);

	if (len > 4 && len < sizeof(plain) && !strncmp(n, "__", 2) && !strcmp(n + len - 2, "__")) {
		memcpy(plain, n + 2, len - 4);
		plain[len - 4] = '\0';
		n = plain;
	}
	if (!strcmp(n, "section") && accept(u, "(")) {
		if (tok(u)->kind == TK_STRING) {
			struct cc_token *s = advance(u);

			a->section = cc_intern(u, s->string);
		} else {
			cc_error(u, tok(u)->loc, "section attribute needs a string");
		}
		expect(u, ")");
		return;
	}
	if (!strcmp(n, "aligned")) {
		a->aligned = 8;
		if (accept(u, "(")) {
			a->aligned = (int)parse_const_expr(u);
			expect(u, ")");
		}
		return;
	}
	if (!strcmp(n, "packed"))
		a->packed = true;
	else if (!strcmp(n, "always_inline"))
		a->always_inline = true;
	else if (!strcmp(n, "noinline"))
		a->noinline = true;
	else if (!strcmp(n, "weak"))
		a->weak = true;
	else if (!strcmp(n, "unused"))
		a->unused = true;
	else if (!strcmp(n, "used"))
		a->used = true;
	else if (!strcmp(n, "preserve_access_index"))
		a->preserve_access_index = true;
	if (is(u, "("))
		skip_balanced(u);
}

/* __attribute__((a, b(x), ...)) repeated, and asm("name") labels, anywhere allowed. */
void parse_attributes(struct cc_unit *u, struct cc_attrs *attrs)
{
	struct cc_attrs scratch;

	if (!attrs) {
		memset(&scratch, 0, sizeof(scratch));
		attrs = &scratch;
	}
	for (;;) {
		if (accept(u, "__attribute__") || accept(u, "__attribute")) {
			expect(u, "(");
			expect(u, "(");
			while (!is(u, ")") && tok(u)->kind != TK_EOF) {
				parse_one_attribute(u, attrs);
				if (!accept(u, ","))
					break;
			}
			expect(u, ")");
			expect(u, ")");
			continue;
		}
		if ((is(u, "asm") || is(u, "__asm__") || is(u, "__asm")) &&
		    tok_at(u, 1)->kind == TK_PUNCT && !strcmp(tok_at(u, 1)->text, "(") &&
		    tok_at(u, 2)->kind == TK_STRING) {
			advance(u);
			skip_balanced(u);
			continue;
		}
		break;
	}
}

/* ---- struct / union / enum ---- */

static void parse_members(struct cc_unit *u, struct cc_type *t)
{
	struct cc_member head = { 0 }, *tail = &head;

	while (!is(u, "}") && tok(u)->kind != TK_EOF) {
		struct decl_spec spec;

		if (parse_static_assert(u))
			continue;
		if (!parse_decl_spec(u, &spec, false)) {
			cc_error(u, tok(u)->loc, "expected member declaration, got '%s'",
				 tok(u)->text);
			skip_balanced(u);
			continue;
		}
		if (accept(u, ";")) { /* anonymous struct/union member */
			struct cc_member *m = cc_alloc(u->arena, sizeof(*m));

			m->type = spec.type;
			m->loc = tok(u)->loc;
			tail = tail->next = m;
			continue;
		}
		do {
			struct cc_member *m = cc_alloc(u->arena, sizeof(*m));
			struct cc_token *name = NULL;

			m->loc = tok(u)->loc;
			m->type = is(u, ":") ? spec.type : parse_declarator(u, spec.type, &name, NULL);
			m->name = name ? name->text : NULL;
			if (accept(u, ":")) {
				int64_t width = parse_const_expr(u);
				int64_t bits = cc_type_size(m->type) * 8;

				m->is_bitfield = true;
				if (!cc_type_is_integer(m->type) || bits <= 0) {
					cc_error(u, m->loc, "bit-field '%s' has non-integral type '%s'",
						 m->name ? m->name : "", cc_type_describe(u, m->type));
					m->type = &cc_type_int;
					bits = 32;
				}
				if (width < 0 || width > bits || (width == 0 && m->name)) {
					cc_error(u, m->loc, "invalid width %lld of bit-field '%s'",
						 (long long)width, m->name ? m->name : "");
					width = 1;
				}
				m->bit_width = (unsigned)width;
			}
			parse_attributes(u, NULL);
			if (m->type->kind == TY_ARRAY && cc_type_root(m->type)->array_len < 0)
				t->is_flexible = true;
			tail = tail->next = m;
		} while (accept(u, ","));
		expect(u, ";");
	}
	t->members = head.next;
}

static struct cc_type *parse_record(struct cc_unit *u, enum cc_type_kind kind)
{
	struct cc_attrs attrs = { 0 };
	struct cc_token *tag = NULL;
	struct cc_type *t = NULL;
	struct cc_loc loc = tok(u)->loc;
	bool pragma_access;

	parse_attributes(u, &attrs);
	if (tok(u)->kind == TK_IDENT)
		tag = advance(u);
	parse_attributes(u, &attrs);
	if (tag) {
		struct scope_entry *e = is(u, "{") || (is(u, ";") && !u->current)
						? scope_find_local(u, tag->text, true)
						: scope_find(u, tag->text, true);

		if (is(u, ";") && u->current)
			e = scope_find_local(u, tag->text, true);
		if (e && e->type->kind == kind)
			t = e->type;
		else if (e && (is(u, "{") || !is(u, ";")))
			cc_error(u, tag->loc, "use of '%s' with tag type that does not match "
				 "previous declaration", tag->text);
	}
	if (!t) {
		t = cc_type_new(u, kind, -1, 1);
		t->name = tag ? tag->text : NULL;
		t->loc = loc;
		if (tag)
			scope_add(u, tag->text, SCOPE_TAG)->type = t;
	}
	pragma_access = tok(u)->preserve_access;
	if (!accept(u, "{"))
		return t;
	if (t->being_defined) {
		/* `union v { union v { ... }; }`: the body goes to a fresh, unnamed type so
		 * that the outer one can never contain itself */
		cc_error(u, tag ? tag->loc : loc, "nested redefinition of '%s'", t->name);
		t = cc_type_new(u, kind, -1, 1);
		t->loc = loc;
	} else if (t->defined && t->members) {
		cc_error(u, tag ? tag->loc : loc, "redefinition of '%s %s'",
			 kind == TY_STRUCT ? "struct" : "union", t->name);
	}
	t->being_defined = true;
	parse_members(u, t);
	t->being_defined = false;
	expect(u, "}");
	parse_attributes(u, &attrs);
	t->is_packed = attrs.packed;
	t->preserve_access = attrs.preserve_access_index || pragma_access;
	cc_type_layout(u, t, attrs.aligned);
	return t;
}

static struct cc_type *parse_enum(struct cc_unit *u)
{
	struct cc_token *tag = NULL;
	struct cc_type *t = NULL;
	int64_t next = 0, min = 0, max = 0;

	parse_attributes(u, NULL);
	if (tok(u)->kind == TK_IDENT)
		tag = advance(u);
	if (tag) {
		struct scope_entry *e = scope_find(u, tag->text, true);

		if (e && e->type->kind == TY_ENUM)
			t = e->type;
	}
	if (!t) {
		t = cc_type_new(u, TY_ENUM, 4, 4);
		t->name = tag ? tag->text : NULL;
		t->is_unsigned = true;
		if (tag)
			scope_add(u, tag->text, SCOPE_TAG)->type = t;
	}
	if (accept(u, ":")) { /* C23 / clang: enum with a fixed underlying type */
		struct cc_type *base = parse_type_name(u);

		t->size = cc_type_size(base);
		t->align = cc_type_align(base);
	}
	if (!accept(u, "{"))
		return t;
	while (!is(u, "}") && tok(u)->kind != TK_EOF) {
		struct cc_token *name = advance(u);
		struct cc_member *m = cc_alloc(u->arena, sizeof(*m));

		if (name->kind != TK_IDENT) {
			cc_error(u, name->loc, "expected enumerator name, got '%s'", name->text);
			break;
		}
		parse_attributes(u, NULL);
		if (accept(u, "="))
			next = parse_const_expr(u);
		scope_add(u, name->text, SCOPE_ENUM_CONST)->value = next;
		scope_find_local(u, name->text, false)->type = t;
		m->name = name->text;
		m->offset = (uint64_t)next; /* the enumerator's value */
		m->next = t->members;
		t->members = m;
		if (next < min)
			min = next;
		if (next > max)
			max = next;
		next++;
		if (!accept(u, ","))
			break;
	}
	expect(u, "}");
	parse_attributes(u, NULL);
	/* reverse the enumerators into declaration order */
	struct cc_member *rev = NULL;

	for (struct cc_member *m = t->members, *n; m; m = n) {
		n = m->next;
		m->next = rev;
		rev = m;
	}
	t->members = rev;
	t->is_unsigned = min >= 0;
	if (max > UINT32_MAX || min < INT32_MIN) {
		t->size = 8;
		t->align = 8;
	}
	t->defined = true;
	return t;
}

/* ---- declaration specifiers ---- */

enum {
	K_VOID = 1 << 0, K_BOOL = 1 << 2, K_CHAR = 1 << 4, K_SHORT = 1 << 6, K_INT = 1 << 8,
	K_LONG = 1 << 10, K_OTHER = 1 << 12, K_SIGNED = 1 << 13, K_UNSIGNED = 1 << 14,
	K_INT128 = 1 << 15,
};

static struct cc_type *basic_type(struct cc_unit *u, int counter, struct cc_loc loc)
{
	switch (counter) {
	case K_VOID: return &cc_type_void;
	case K_BOOL: return &cc_type_bool;
	case K_CHAR: return &cc_type_char;
	case K_SIGNED + K_CHAR: return &cc_type_schar;
	case K_UNSIGNED + K_CHAR: return &cc_type_uchar;
	case K_SHORT: case K_SHORT + K_INT: case K_SIGNED + K_SHORT:
	case K_SIGNED + K_SHORT + K_INT: return &cc_type_short;
	case K_UNSIGNED + K_SHORT: case K_UNSIGNED + K_SHORT + K_INT: return &cc_type_ushort;
	case K_INT: case K_SIGNED: case K_SIGNED + K_INT: return &cc_type_int;
	case K_UNSIGNED: case K_UNSIGNED + K_INT: return &cc_type_uint;
	case K_LONG: case K_LONG + K_INT: case K_SIGNED + K_LONG:
	case K_SIGNED + K_LONG + K_INT: return &cc_type_long;
	case K_UNSIGNED + K_LONG: case K_UNSIGNED + K_LONG + K_INT: return &cc_type_ulong;
	case K_LONG + K_LONG: case K_LONG + K_LONG + K_INT: case K_SIGNED + K_LONG + K_LONG:
	case K_SIGNED + K_LONG + K_LONG + K_INT: return &cc_type_llong;
	case K_UNSIGNED + K_LONG + K_LONG: case K_UNSIGNED + K_LONG + K_LONG + K_INT:
		return &cc_type_ullong;
	case K_INT128: case K_SIGNED + K_INT128: case K_UNSIGNED + K_INT128: {
		struct cc_type *t = cc_type_new(u, TY_INT128, 16, 16);

		t->is_unsigned = counter & K_UNSIGNED;
		t->defined = true;
		return t;
	}
	default:
		cc_error(u, loc, "invalid combination of type specifiers");
		return &cc_type_int;
	}
}

static struct cc_type *parse_typeof(struct cc_unit *u)
{
	struct cc_type *t;

	expect(u, "(");
	if (is_typename(u, tok(u))) {
		t = parse_type_name(u);
	} else {
		struct cc_node *e = parse_expr(u);

		t = e->type;
	}
	expect(u, ")");
	return t;
}

/* Returns false when no specifier at all was found. */
bool parse_decl_spec(struct cc_unit *u, struct decl_spec *spec, bool allow_storage)
{
	int counter = 0;
	bool any = false, is_const = false, is_volatile = false;
	struct cc_type *type = NULL;
	struct cc_loc loc = tok(u)->loc;

	memset(spec, 0, sizeof(*spec));
	for (;;) {
		struct cc_token *t = tok(u);
		const char *w = t->text;

		if (t->kind != TK_KEYWORD && t->kind != TK_IDENT)
			break;
		if (WORD(w, "__attribute__") || WORD(w, "__attribute")) {
			parse_attributes(u, &spec->attrs);
			any = true;
			continue;
		}
		if (t->kind == TK_IDENT) {
			struct scope_entry *e;

			if (type || counter)
				break;
			e = scope_find(u, w, false);
			if (!e || e->kind != SCOPE_TYPEDEF)
				break;
			advance(u);
			type = e->type;
			any = true;
			continue;
		}
		if (WORD(w, "typedef") || WORD(w, "static") || WORD(w, "extern") ||
		    WORD(w, "register") || WORD(w, "auto") || WORD(w, "_Thread_local") ||
		    WORD(w, "__thread")) {
			if (!allow_storage && (w[0] == 't' || w[0] == 's' || w[0] == 'e'))
				cc_error(u, t->loc, "storage class '%s' not allowed here", w);
			spec->storage = w[0] == 't' ? SC_TYPEDEF : w[0] == 's' ? SC_STATIC
				      : w[0] == 'e' ? SC_EXTERN : spec->storage;
			advance(u);
			any = true;
			continue;
		}
		if (WORD(w, "inline") || WORD(w, "__inline") || WORD(w, "__inline__")) {
			spec->is_inline = true;
		} else if (WORD(w, "const") || WORD(w, "__const") || WORD(w, "__const__")) {
			is_const = true;
		} else if (WORD(w, "volatile") || WORD(w, "__volatile__") ||
			   WORD(w, "__volatile")) {
			is_volatile = true;
		} else if (WORD(w, "restrict") || WORD(w, "__restrict") ||
			   WORD(w, "__restrict__") || WORD(w, "__extension__") ||
			   WORD(w, "_Noreturn") || WORD(w, "_Atomic")) {
			/* no effect on BPF code */
		} else if (WORD(w, "_Alignas")) {
			advance(u);
			expect(u, "(");
			spec->attrs.aligned = is_typename(u, tok(u))
				? cc_type_align(parse_type_name(u)) : (int)parse_const_expr(u);
			expect(u, ")");
			any = true;
			continue;
		} else if (WORD(w, "struct") || WORD(w, "union") || WORD(w, "enum") ||
			   WORD(w, "typeof") || WORD(w, "__typeof__") ||
			   WORD(w, "__typeof") || WORD(w, "__builtin_va_list") ||
			   WORD(w, "__auto_type")) {
			if (type || counter)
				break;
			advance(u);
			if (w[0] == 's')
				type = parse_record(u, TY_STRUCT);
			else if (w[0] == 'u')
				type = parse_record(u, TY_UNION);
			else if (w[0] == 'e')
				type = parse_enum(u);
			else if (WORD(w, "__builtin_va_list"))
				type = cc_type_pointer(u, &cc_type_void);
			else if (WORD(w, "__auto_type")) {
				cc_error(u, t->loc, "'__auto_type' is not supported");
				type = &cc_type_long;
			} else
				type = parse_typeof(u);
			any = true;
			continue;
		} else if (WORD(w, "void")) {
			counter += K_VOID;
		} else if (WORD(w, "_Bool")) {
			counter += K_BOOL;
		} else if (WORD(w, "char")) {
			counter += K_CHAR;
		} else if (WORD(w, "short")) {
			counter += K_SHORT;
		} else if (WORD(w, "int")) {
			counter += K_INT;
		} else if (WORD(w, "long")) {
			counter += K_LONG;
		} else if (WORD(w, "__int128")) {
			counter += K_INT128;
		} else if (WORD(w, "signed") || WORD(w, "__signed__") ||
			   WORD(w, "__signed")) {
			counter |= K_SIGNED;
		} else if (WORD(w, "unsigned")) {
			counter |= K_UNSIGNED;
		} else if (WORD(w, "float") || WORD(w, "double") || WORD(w, "_Complex")) {
			counter += K_OTHER;
			type = cc_type_new(u, w[0] == 'f' ? TY_FLOAT : TY_DOUBLE, w[0] == 'f' ? 4 : 8,
					   w[0] == 'f' ? 4 : 8);
			type->defined = true;
		} else {
			break;
		}
		advance(u);
		any = true;
	}
	if (!type || (counter && !(counter & K_OTHER)))
		type = counter ? basic_type(u, counter, loc) : type;
	if (!type && any)
		type = &cc_type_int; /* implicit int (e.g. `static x;`, `unsigned`) */
	if (type && is_const)
		type = cc_type_derive(u, type, STEP_CONST, NULL);
	if (type && is_volatile)
		type = cc_type_derive(u, type, STEP_VOLATILE, NULL);
	spec->type = type;
	return any;
}

/* ---- declarators ---- */

static struct cc_type *parse_params(struct cc_unit *u, struct cc_type *ret)
{
	struct cc_type *fn = cc_type_func(u, ret);
	struct cc_param head = { 0 }, *tail = &head;

	fn->has_prototype = true;
	if (is(u, "void") && tok_at(u, 1)->kind == TK_PUNCT && !strcmp(tok_at(u, 1)->text, ")")) {
		advance(u);
		advance(u);
		return fn;
	}
	if (accept(u, ")")) {
		fn->has_prototype = false;
		return fn;
	}
	for (;;) {
		struct decl_spec spec;
		struct cc_token *name = NULL;
		struct cc_param *p;

		if (accept(u, "...")) {
			fn->is_variadic = true;
			break;
		}
		if (!parse_decl_spec(u, &spec, true)) {
			cc_error(u, tok(u)->loc, "expected parameter declaration, got '%s'",
				 tok(u)->text);
			break;
		}
		p = cc_alloc(u->arena, sizeof(*p));
		p->type = parse_declarator(u, spec.type, &name, NULL);
		if (p->type->kind == TY_ARRAY)
			p->type = cc_type_pointer(u, cc_type_base(p->type));
		else if (p->type->kind == TY_FUNC)
			p->type = cc_type_pointer(u, p->type);
		p->name = name ? name->text : NULL;
		tail = tail->next = p;
		if (!accept(u, ","))
			break;
	}
	expect(u, ")");
	fn->params = head.next;
	return fn;
}

static struct cc_type *parse_suffix(struct cc_unit *u, struct cc_type *t)
{
	if (accept(u, "(")) {
		return parse_params(u, t);
	}
	if (accept(u, "[")) {
		int64_t len = -1;

		while (accept(u, "static") || accept(u, "const") || accept(u, "restrict"))
			;
		if (!is(u, "]"))
			len = parse_const_expr(u);
		expect(u, "]");
		t = parse_suffix(u, t);
		return cc_type_array(u, t, len);
	}
	return t;
}

/* declarator = "*"* ("(" declarator ")" | ident)? suffix */
struct cc_type *parse_declarator(struct cc_unit *u, struct cc_type *base,
				 struct cc_token **name, struct cc_attrs *attrs)
{
	struct cc_type *t = base;

	*name = NULL;
	parse_attributes(u, attrs);
	while (accept(u, "*")) {
		t = cc_type_pointer(u, t);
		for (;;) {
			if (accept(u, "const") || accept(u, "__const"))
				t = cc_type_derive(u, t, STEP_CONST, NULL);
			else if (accept(u, "volatile") || accept(u, "__volatile__"))
				t = cc_type_derive(u, t, STEP_VOLATILE, NULL);
			else if (accept(u, "restrict") || accept(u, "__restrict") ||
				 accept(u, "__restrict__") || accept(u, "_Atomic"))
				;
			else if (is(u, "__attribute__"))
				parse_attributes(u, attrs);
			else
				break;
		}
	}
	if (is(u, "(") && !is_typename(u, tok_at(u, 1)) &&
	    !(tok_at(u, 1)->kind == TK_PUNCT && !strcmp(tok_at(u, 1)->text, ")"))) {
		size_t start = u->pos + 1, end;
		struct cc_type *outer;

		advance(u);
		for (int depth = 1; depth > 0 && tok(u)->kind != TK_EOF;) { /* find its extent */
			if (is(u, "("))
				depth++;
			else if (is(u, ")") && --depth == 0)
				break;
			advance(u);
		}
		expect(u, ")");
		outer = parse_suffix(u, t);
		end = u->pos;
		u->pos = start;
		t = parse_declarator(u, outer, name, attrs);
		u->pos = end;
		return t;
	}
	if (tok(u)->kind == TK_IDENT)
		*name = advance(u);
	t = parse_suffix(u, t);
	parse_attributes(u, attrs);
	return t;
}

struct cc_type *parse_type_name(struct cc_unit *u)
{
	struct decl_spec spec;
	struct cc_token *name;

	if (!parse_decl_spec(u, &spec, false) || !spec.type) {
		cc_error(u, tok(u)->loc, "expected a type, got '%s'", tok(u)->text);
		return &cc_type_int;
	}
	return parse_declarator(u, spec.type, &name, NULL);
}

bool parse_static_assert(struct cc_unit *u)
{
	struct cc_loc loc = tok(u)->loc;
	int64_t v;

	if (!accept(u, "_Static_assert") && !accept(u, "static_assert"))
		return false;
	expect(u, "(");
	v = parse_const_expr(u);
	if (accept(u, ",")) {
		struct cc_token *msg = tok(u);

		while (tok(u)->kind == TK_STRING)
			advance(u);
		if (!v)
			cc_error(u, loc, "static assertion failed: %s",
				 msg->kind == TK_STRING ? msg->string : "");
	} else if (!v) {
		cc_error(u, loc, "static assertion failed");
	}
	expect(u, ")");
	expect(u, ";");
	return true;
}

/* ---- variables ---- */

struct cc_var *new_local(struct cc_unit *u, const char *name, struct cc_type *type,
			 struct cc_loc loc)
{
	struct cc_var *v = cc_alloc(u->arena, sizeof(*v));
	struct cc_function *fn = u->current;

	v->name = name;
	v->type = type;
	v->loc = loc;
	v->is_local = true;
	v->reg = -1;
	v->symbol = -1;
	v->helper_id = -1;
	if (name)
		scope_add(u, name, SCOPE_VAR)->var = v;
	if (fn) {
		if (fn->locals_tail)
			fn->locals_tail->next = v;
		else
			fn->locals = v;
		fn->locals_tail = v;
	}
	return v;
}

struct cc_var *new_global(struct cc_unit *u, const char *name, struct cc_type *type,
			  struct cc_loc loc)
{
	struct cc_var *v = cc_alloc(u->arena, sizeof(*v));

	v->name = name;
	v->asm_name = name;
	v->type = type;
	v->loc = loc;
	v->reg = -1;
	v->symbol = -1;
	v->helper_id = -1;
	if (u->globals_tail)
		u->globals_tail->next = v;
	else
		u->globals = v;
	u->globals_tail = v;
	return v;
}

/* ---- top level ---- */

static void parse_function_body(struct cc_unit *u, struct cc_var *var)
{
	struct cc_function *fn = cc_alloc(u->arena, sizeof(*fn));
	struct cc_var *param_tail = NULL;

	if (var->function)
		cc_error(u, var->loc, "redefinition of '%s'", var->name);
	fn->var = var;
	var->function = fn;
	var->is_definition = true;
	u->current = fn;
	scope_push(u);
	for (struct cc_param *p = cc_type_root(var->type)->params; p; p = p->next) {
		struct cc_var *pv = new_local(u, p->name, p->type, var->loc);

		pv->is_param = true;
		if (!param_tail)
			fn->params = pv;
		param_tail = pv;
		fn->param_count++;
	}

	fn->body = parse_compound(u);
	scope_pop(u);
	u->current = NULL;
	for (struct cc_var *v = fn->locals; v; v = v->next) /* -Wall group: see cc.h */
		if (v->name && !v->is_param && !v->use_count && !v->address_taken)
			cc_warning(u, v->loc, "unused variable '%s' [-Wunused-variable]", v->name);
}

static struct cc_var *declare_global(struct cc_unit *u, struct decl_spec *spec,
				     struct cc_type *type, struct cc_token *name,
				     struct cc_attrs *attrs)
{
	struct scope_entry *e = scope_find_local(u, name->text, false);
	struct cc_var *v;

	if (e && e->kind == SCOPE_VAR) {
		v = e->var;
		if (type->kind == TY_ARRAY && cc_type_size(type) >= 0)
			v->type = type;
		if (type->kind == TY_FUNC && cc_type_root(type)->has_prototype)
			v->type = type;
	} else {
		if (e)
			cc_error(u, name->loc, "redefinition of '%s' as a different kind of symbol",
				 name->text);
		v = new_global(u, name->text, type, name->loc);
		scope_add(u, name->text, SCOPE_VAR)->var = v;
	}
	v->is_function = type->kind == TY_FUNC;
	v->is_static = v->is_static || spec->storage == SC_STATIC;
	if (spec->storage != SC_EXTERN && !v->is_function)
		v->is_definition = true;
	v->is_extern = spec->storage == SC_EXTERN && !v->is_definition;
	if (attrs->section)
		v->attrs.section = attrs->section;
	if (spec->attrs.section)
		v->attrs.section = spec->attrs.section;
	v->attrs.always_inline |= attrs->always_inline || spec->attrs.always_inline;
	v->attrs.noinline |= attrs->noinline || spec->attrs.noinline;
	v->attrs.weak |= attrs->weak || spec->attrs.weak;
	v->attrs.used |= attrs->used || spec->attrs.used;
	if (attrs->aligned || spec->attrs.aligned)
		v->attrs.aligned = attrs->aligned ? attrs->aligned : spec->attrs.aligned;
	return v;
}

static void parse_typedef(struct cc_unit *u, struct decl_spec *spec)
{
	do {
		struct cc_token *name;
		struct cc_type *t = parse_declarator(u, spec->type, &name, NULL);

		if (!name) {
			cc_error(u, tok(u)->loc, "typedef requires a name");
			continue;
		}
		scope_add(u, name->text, SCOPE_TYPEDEF)->type =
			cc_type_derive(u, t, STEP_TYPEDEF, name->text);
	} while (accept(u, ","));
	expect(u, ";");
}

static void parse_global(struct cc_unit *u)
{
	struct decl_spec spec;
	bool first = true;

	if (accept(u, ";") || parse_static_assert(u))
		return;
	if (!parse_decl_spec(u, &spec, true)) {
		cc_error(u, tok(u)->loc, "expected a declaration, got '%s'", tok(u)->text);
		advance(u);
		return;
	}
	if (!spec.type)
		spec.type = &cc_type_int;
	if (spec.storage == SC_TYPEDEF) {
		parse_typedef(u, &spec);
		return;
	}
	if (accept(u, ";"))
		return;
	do {
		struct cc_attrs attrs = { 0 };
		struct cc_token *name;
		struct cc_type *t = parse_declarator(u, spec.type, &name, &attrs);
		struct cc_var *v;

		if (!name) {
			cc_error(u, tok(u)->loc, "expected identifier in declaration");
			advance(u);
			return;
		}
		v = declare_global(u, &spec, t, name, &attrs);
		if (first && t->kind == TY_FUNC && is(u, "{")) {
			parse_function_body(u, v);
			return;
		}
		first = false;
		if (accept(u, "=")) {
			v->init = parse_initializer(u, v);
			v->is_definition = true;
			v->is_extern = false;
		}
		parse_attributes(u, &attrs);
		if (attrs.section)
			v->attrs.section = attrs.section;
	} while (accept(u, ","));
	expect(u, ";");
}

int cc_parse(struct cc_unit *u)
{
	unsigned max = u->opts && u->opts->max_errors ? u->opts->max_errors : 20;

	scope_push(u);
	while (tok(u)->kind != TK_EOF && (unsigned)u->errors < max) {
		size_t before = u->pos;

		parse_global(u);
		if (u->pos == before)
			advance(u);
	}
	return u->errors ? -EINVAL : 0;
}
