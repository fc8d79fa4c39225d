/* cpp_define.c - #define and #undef: parameter lists (GNU named variadics and
 * __VA_ARGS__), replacement lists with # and ## resolved into token flags, the
 * redefinition check, and -D/-U given as text. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

static bool punct_is(const struct cpp_token *t, const char *p)
{
	return t->kind == CPP_PUNCT && t->length == strlen(p) && !memcmp(t->text, p, t->length);
}

static int param_index(const struct cpp_macro *m, const struct cpp_ident *id)
{
	for (int i = 0; i < m->params; i++)
		if (m->param_names[i] == id)
			return i;
	return -1;
}

/* `(a, b, ...)` or `(a, rest...)`; the '(' has been read. */
static int parse_params(struct cpp *cpp, struct cpp_macro *m, const struct cpp_token *name)
{
	struct cpp_ident *names[256];
	struct cpp_token t;

	m->function_like = true;
	for (;;) {
		cpp_directive_token(cpp, &t);
		if (punct_is(&t, ")") && m->params == 0)
			break;
		if (punct_is(&t, "...")) {
			names[m->params++] = cpp_intern(cpp, "__VA_ARGS__", 11);
			m->variadic = true;
			cpp_directive_token(cpp, &t);
		} else if (t.kind == CPP_IDENT && m->params < 255) {
			names[m->params++] = t.ident;
			cpp_directive_token(cpp, &t);
			if (punct_is(&t, "...")) {
				m->variadic = true;
				cpp_directive_token(cpp, &t);
			}
		} else {
			cpp_error_at(cpp, t.kind == CPP_NEWLINE ? name : &t,
				     "expected parameter name, found \"%.*s\"",
				     (int)t.length, t.text);
			return 1;
		}
		if (punct_is(&t, ")"))
			break;
		if (!punct_is(&t, ",") || m->variadic) {
			cpp_error_at(cpp, t.kind == CPP_NEWLINE ? name : &t,
				     "expected ',' or ')', found \"%.*s\"", (int)t.length, t.text);
			return 1;
		}
	}
	m->param_names = cpp_alloc(cpp, (m->params + 1) * sizeof(*m->param_names));
	if (!m->param_names)
		return -ENOMEM;
	memcpy(m->param_names, names, m->params * sizeof(*names));
	return 0;
}

/* One body token: parameters marked, # and ## folded into flags. */
static int add_body_token(struct cpp *cpp, struct cpp_macro *m, struct cpp_token *body,
			  struct cpp_token *t, bool *stringify, bool *paste)
{
	int param = t->kind == CPP_IDENT && m->function_like ? param_index(m, t->ident) : -1;

	if (*stringify) {
		*stringify = false;
		if (param < 0 && !(t->kind == CPP_IDENT && t->ident->va_opt && m->variadic)) {
			cpp_error_at(cpp, t, "'#' is not followed by a macro parameter");
			return 1;
		}
		t->flags = (uint8_t)((t->flags & ~CPP_F_WHITE) | (body[m->count].flags & CPP_F_WHITE));
		t->flags |= CPP_F_STRINGIFY;
	}
	if (*paste) {
		*paste = false;
		if (t->flags & CPP_F_WHITE)
			t->flags |= CPP_F_SPACED;
		t->flags &= (uint8_t)~CPP_F_WHITE;
	}
	if (param >= 0) {
		t->flags |= CPP_F_PARAM;
		t->param = (uint16_t)param;
	} else if (t->kind == CPP_IDENT && t->ident->va_opt && m->variadic) {
		t->flags |= CPP_F_VA_OPT;
	}
	body[m->count++] = *t;
	return 0;
}

/* The replacement list up to the end of the line. */
static int parse_body(struct cpp *cpp, struct cpp_macro *m)
{
	uint32_t cap = 16;
	struct cpp_token *body = cpp_scratch(cpp, cap * sizeof(*body)), t;
	bool stringify = false, paste = false;

	if (!body)
		return -ENOMEM;
	for (;;) {
		cpp_directive_token(cpp, &t);
		if (t.kind == CPP_NEWLINE)
			break;
		if (m->count + 1 >= cap) {
			struct cpp_token *bigger = cpp_scratch_grow(cpp, body, cap * sizeof(*body),
								    2 * cap * sizeof(*body));

			if (!bigger)
				return -ENOMEM;
			body = bigger;
			cap *= 2;
		}
		t.flags &= (uint8_t)~CPP_F_BOL;
		if (cpp_is_paste(&t)) {
			if (m->count == 0 || stringify) {
				cpp_error_at(cpp, &t, "'##' cannot appear at either end of a macro expansion");
				return 1;
			}
			body[m->count - 1].flags |= CPP_F_PASTE_LEFT;
			paste = true;
			continue;
		}
		if (cpp_is_hash(&t) && m->function_like && !stringify) {
			body[m->count] = t; /* keeps the '#' spacing for the string */
			stringify = true;
			continue;
		}
		if (add_body_token(cpp, m, body, &t, &stringify, &paste))
			return 1;
	}
	if (paste || stringify) {
		cpp_error_at(cpp, &t, paste ? "'##' cannot appear at either end of a macro expansion"
					    : "'#' is not followed by a macro parameter");
		return 1;
	}
	if (m->count)
		body[0].flags &= (uint8_t)~CPP_F_WHITE;
	/* built in scratch memory, kept at its exact size for the whole run */
	m->body = m->count ? cpp_alloc(cpp, m->count * sizeof(*body)) : NULL;
	if (m->count && !m->body)
		return -ENOMEM;
	if (m->count)
		memcpy(m->body, body, m->count * sizeof(*body));
	return 0;
}

/* A growing line of text in scratch memory. */
struct line_buffer {
	char *data;
	size_t length, capacity;
};

static void append(struct cpp *cpp, struct line_buffer *b, const char *text, size_t length)
{
	if (b->length + length + 1 > b->capacity) {
		size_t cap = b->capacity ? b->capacity : 128;
		char *data;

		while (b->length + length + 1 > cap)
			cap *= 2;
		data = cpp_scratch_grow(cpp, b->data, b->capacity, cap);
		if (!data)
			return;
		b->data = data;
		b->capacity = cap;
	}
	memcpy(b->data + b->length, text, length);
	b->length += length;
}

static void append_token(struct cpp *cpp, struct line_buffer *b, const struct cpp_macro *m,
			 const struct cpp_token *t)
{
	if (t->flags & CPP_F_STRINGIFY)
		append(cpp, b, "#", 1);
	if (t->flags & CPP_F_PARAM)
		append(cpp, b, m->param_names[t->param]->name, m->param_names[t->param]->length);
	else
		append(cpp, b, t->text, t->length);
}

/* `#define NAME(params) body` as gcc spells a definition (-dM, -dD): parameters
 * without blanks, one blank where the body had white space, `##` with a blank before
 * it, `#` and `##` whatever their spelling. NULL when out of memory. */
static const char *format_macro(struct cpp *cpp, const struct cpp_ident *id, size_t *length)
{
	const struct cpp_macro *m = id->macro;
	struct line_buffer b = { 0 };

	append(cpp, &b, "#define ", 8);
	append(cpp, &b, id->name, id->length);
	if (m->function_like) {
		append(cpp, &b, "(", 1);
		for (uint32_t i = 0; i < m->params; i++) {
			const struct cpp_ident *p = m->param_names[i];
			bool rest = m->variadic && i == m->params - 1u;

			if (i)
				append(cpp, &b, ",", 1);
			if (!(rest && p->va_args))
				append(cpp, &b, p->name, p->length);
			if (rest)
				append(cpp, &b, "...", 3);
		}
		append(cpp, &b, ")", 1);
	}
	append(cpp, &b, " ", 1);
	for (uint32_t i = 0; i < m->count; i++) {
		const struct cpp_token *t = &m->body[i];

		if (i && (t->flags & (CPP_F_WHITE | CPP_F_SPACED)))
			append(cpp, &b, " ", 1);
		append_token(cpp, &b, m, t);
		if (t->flags & CPP_F_PASTE_LEFT)
			append(cpp, &b, " ##", 3);
	}
	*length = b.length;
	return b.data;
}

static void dump_macro(struct cpp *cpp, const struct cpp_ident *id)
{
	size_t length;
	const char *text = format_macro(cpp, id, &length);

	if (text) {
		cpp_out_text(cpp, text, length);
		cpp_out_text(cpp, "\n", 1);
	}
}

/* -dD: a #define or #undef just run, printed where it was (a -D, -U or predefined
 * macro in "<built-in>" or "<command-line>", line 0, as gcc shows them). */
static void print_directive(struct cpp *cpp, const char *text, size_t length)
{
	uint32_t file = cpp->stack[cpp->depth - 1].file_index;
	uint32_t line = cpp->directive_line;

	if (file <= 1) {
		file = cpp->text_defines <= (uint32_t)cpp->opts->builtin_count ? 0 : 1;
		line = 0;
	}
	cpp_out_define(cpp, file, line, text, length);
}

static void print_define(struct cpp *cpp, const struct cpp_ident *id)
{
	size_t length;
	const char *text;

	if (!cpp->opts->dump_defines || !(text = format_macro(cpp, id, &length)))
		return;
	print_directive(cpp, text, length);
}

static void print_undef(struct cpp *cpp, const struct cpp_ident *id)
{
	char *text;

	if (!cpp->opts->dump_defines || !(text = cpp_scratch(cpp, id->length + 8)))
		return;
	memcpy(text, "#undef ", 7);
	memcpy(text + 7, id->name, id->length);
	print_directive(cpp, text, id->length + 7);
}

static bool same_definition(const struct cpp_macro *a, const struct cpp_macro *b)
{
	if (a->function_like != b->function_like || a->params != b->params ||
	    a->variadic != b->variadic || a->count != b->count || a->builtin != b->builtin)
		return false;
	for (uint32_t i = 0; i < a->params; i++)
		if (a->param_names[i] != b->param_names[i])
			return false;
	for (uint32_t i = 0; i < a->count; i++) {
		const struct cpp_token *x = &a->body[i], *y = &b->body[i];

		if (x->length != y->length || memcmp(x->text, y->text, x->length) ||
		    ((x->flags ^ y->flags) & (CPP_F_WHITE | CPP_F_PASTE_LEFT | CPP_F_STRINGIFY)))
			return false;
	}
	return true;
}

/* #define NAME[(params)] body — the directive name has been read. */
int cpp_define(struct cpp *cpp)
{
	struct cpp_macro *m = cpp_alloc(cpp, sizeof(*m));
	struct cpp_token name, t;
	int err;

	if (!m)
		return -ENOMEM;
	memset(m, 0, sizeof(*m));
	cpp_directive_token(cpp, &name);
	if (name.kind != CPP_IDENT) {
		cpp_error_at(cpp, &name, name.kind == CPP_NEWLINE ? "no macro name given in #define directive"
								  : "macro names must be identifiers");
		return 1;
	}
	if (name.ident->defined_op) {
		cpp_error_at(cpp, &name, "\"defined\" cannot be used as a macro name");
		return 1;
	}
	m->line = name.line;
	m->column = name.column;
	m->file = name.file;
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];

	if (*src->pos == '(') {
		cpp_directive_token(cpp, &t);
		err = parse_params(cpp, m, &name);
		if (err)
			return err;
	}
	err = parse_body(cpp, m);
	if (err)
		return err;
	if (name.ident->macro && !same_definition(name.ident->macro, m)) {
		const struct cpp_macro *old = name.ident->macro;

		cpp_error(cpp, name.file, name.line, name.column, "warning", "\"%.*s\" redefined",
			  (int)name.length, name.text);
		if (old->line && !old->builtin)
			cpp_error(cpp, old->file, old->line, old->column, "note",
				  "this is the location of the previous definition");
	}
	name.ident->macro = m;
	print_define(cpp, name.ident);
	return 0;
}

/* #undef NAME */
int cpp_undef(struct cpp *cpp)
{
	struct cpp_token name, t;

	cpp_directive_token(cpp, &name);
	if (name.kind != CPP_IDENT) {
		cpp_error_at(cpp, &name, name.kind == CPP_NEWLINE ? "no macro name given in #undef directive"
								  : "macro names must be identifiers");
		return 1;
	}
	cpp_directive_token(cpp, &t);
	if (t.kind != CPP_NEWLINE) {
		cpp_error(cpp, t.file, t.line, t.column, "warning",
			  "extra tokens at end of #undef directive");
	}
	name.ident->macro = NULL;
	print_undef(cpp, name.ident);
	return 0;
}

/* -D NAME[=VALUE] (VALUE defaults to 1) or -U NAME, read as a directive line of the
 * "<command-line>" file. */
int cpp_define_text(struct cpp *cpp, const char *text, bool undefine)
{
	size_t n = strlen(text);
	char *line = cpp_alloc(cpp, n + 4 + CPP_LEX_PADDING);
	struct cpp_file *f = cpp->files[1];
	const char *eq = strchr(text, '=');
	int err;

	if (!line)
		return -ENOMEM;
	cpp->text_defines++;
	memcpy(line, text, n);
	if (eq)
		line[eq - text] = ' ';
	else if (!undefine)
		memcpy(line + n, " 1", 2), n += 2;
	memset(line + n, 0, 2 + CPP_LEX_PADDING);
	line[n] = '\n';
	if (!cpp_grow((void **)&cpp->stack, &cpp->stack_capacity, cpp->depth + 1,
		      sizeof(*cpp->stack)))
		return -ENOMEM;
	struct cpp_source *src = &cpp->stack[cpp->depth++];

	memset(src, 0, sizeof(*src));
	f->text = line;
	f->size = strlen(line);
	src->file = f;
	src->file_index = 1;
	src->pos = src->line_start = line;
	src->line = 1;
	cpp->in_directive = true;
	cpp->directive_ended = false;
	err = undefine ? cpp_undef(cpp) : cpp_define(cpp);
	cpp->in_directive = false;
	cpp->depth--;
	return err < 0 ? err : 0;
}

/* -dD: the text starts with the main file's name, then each predefined macro (printed
 * as it is defined) under a marker of its own pseudo file, as gcc -dD writes them. */
void cpp_dump_defines_head(struct cpp *cpp)
{
	const char *input = strcmp(cpp->opts->input, "-") ? cpp->opts->input : "<stdin>";

	cpp_out_text(cpp, "# 0 \"", 5);
	cpp_out_text(cpp, input, strlen(input));
	cpp_out_text(cpp, "\"\n", 2);
	cpp->out.file = UINT32_MAX; /* the first definition prints its file's marker */
}

/* #pragma pop_macro: `macro` (NULL: none) is the name's definition again. Under -dD
 * a definition in force is shown undefined first (gcc prints no #define for the
 * restored one). */
void cpp_restore_macro(struct cpp *cpp, struct cpp_ident *id, struct cpp_macro *macro,
		       uint32_t line)
{
	if (id->macro && cpp->opts->dump_defines) {
		cpp->directive_line = line;
		print_undef(cpp, id);
	}
	id->macro = macro;
}

/* -dM: every macro defined at the end, in table order (as gcc, in no useful order). */
void cpp_dump_macros(struct cpp *cpp)
{
	for (uint32_t i = 0; i <= cpp->ident_mask; i++) {
		const struct cpp_ident *id = cpp->idents[i].ident;

		if (id && id->macro && !id->macro->builtin)
			dump_macro(cpp, id);
	}
}
