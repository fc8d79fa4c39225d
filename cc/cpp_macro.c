/* cpp_macro.c - macro expansion as gcc does it: a stack of expansion contexts, a
 * macro disabled while its context is live and its name painted (never expanded
 * again) when met there; arguments collected, pre-expanded, stringized and pasted,
 * GNU `, ## __VA_ARGS__`, __VA_OPT__, and gcc's padding tokens for output spacing. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

struct cpp_arg {
	struct cpp_token *tokens;   /* as written, EOF-terminated */
	uint32_t count;
	struct cpp_token *expanded; /* fully macro-expanded, paddings kept */
	uint32_t expanded_count;
	bool done;
};

/* A growable token list in the arena. */
struct token_list {
	struct cpp_token *items;
	uint32_t count, capacity;
};

static int list_push(struct cpp *cpp, struct token_list *l, const struct cpp_token *t)
{
	if (l->count == l->capacity) {
		uint32_t cap = l->capacity ? l->capacity * 2 : 16;
		struct cpp_token *items = cpp_scratch_grow(cpp, l->items, l->capacity * sizeof(*items),
							   cap * sizeof(*items));

		if (!items)
			return -ENOMEM;
		l->items = items;
		l->capacity = cap;
	}
	l->items[l->count++] = *t;
	return 0;
}

static struct cpp_token padding(const struct cpp_token *source)
{
	struct cpp_token t = { .kind = CPP_PADDING, .source = source };

	if (source) {
		t.line = source->line;
		t.file = source->file;
	}
	return t;
}

void cpp_push_tokens(struct cpp *cpp, const struct cpp_token *tokens, uint32_t count,
		     struct cpp_macro *macro)
{
	struct cpp_context *c;

	if (!cpp_grow((void **)&cpp->contexts, &cpp->context_capacity, cpp->context_depth + 1,
		      sizeof(*cpp->contexts))) {
		cpp->errors++;
		return;
	}
	c = &cpp->contexts[cpp->context_depth++];
	c->tokens = tokens;
	c->count = count;
	c->pos = 0;
	c->macro = macro;
	if (macro)
		macro->disabled = true;
}

static void pop_context(struct cpp *cpp)
{
	struct cpp_context *c = &cpp->contexts[--cpp->context_depth];

	if (c->macro)
		c->macro->disabled = false;
}

/* End a directive: any expansion still open is abandoned. */
void cpp_drop_contexts(struct cpp *cpp)
{
	while (cpp->context_depth)
		pop_context(cpp);
}

/* Give a token back to where cpp_get took it from. */
static void backup(struct cpp *cpp, const struct cpp_token *t, bool from_context)
{
	if (from_context && cpp->context_depth)
		cpp->contexts[cpp->context_depth - 1].pos--;
	else
		cpp_backup(cpp, t);
}

static bool is_punct(const struct cpp_token *t, const char *p)
{
	return t->kind == CPP_PUNCT && t->length == strlen(p) && !memcmp(t->text, p, t->length);
}

/* End the argument being collected: trailing paddings dropped, an EOF appended (an
 * argument is expanded as a context of its own, ending there). */
static int finish_arg(struct cpp *cpp, struct token_list *cur, struct cpp_arg *arg)
{
	struct cpp_token eof = { .kind = CPP_EOF };

	while (cur->count && cur->items[cur->count - 1].kind == CPP_PADDING)
		cur->count--;
	if (list_push(cpp, cur, &eof))
		return -ENOMEM;
	if (arg) {
		arg->tokens = cur->items;
		arg->count = cur->count - 1;
	}
	memset(cur, 0, sizeof(*cur));
	return 0;
}

/* As many arguments as parameters (an omitted variable argument is empty; `f()` passes
 * none to a macro without parameters), or an error. */
static int check_arg_count(struct cpp *cpp, struct cpp_macro *m, const struct cpp_token *name,
			   const struct cpp_token *close, struct cpp_arg *args, uint32_t n)
{
	static struct cpp_token eof = { .kind = CPP_EOF };

	if (m->params && n == m->params - 1u && m->variadic)
		args[n++].tokens = &eof;
	if (m->params == 0 && n == 1 && args[0].count == 0)
		n = 0;
	if (n == m->params)
		return 0;
	/* at the closing parenthesis, as gcc reports it */
	if (n < m->params)
		cpp_error_at(cpp, close, "macro \"%.*s\" requires %u arguments, but only %u given",
			     (int)name->length, name->text, m->params, n);
	else
		cpp_error_at(cpp, close, "macro \"%.*s\" passed %u arguments, but takes just %u",
			     (int)name->length, name->text, n, m->params);
	return 1;
}

/* Read the arguments of a function-like macro invocation after its '(', unexpanded
 * (paddings of contexts ending on the way are kept, as gcc keeps them). */
static int collect_args(struct cpp *cpp, struct cpp_macro *m, const struct cpp_token *name,
			struct cpp_arg **out_args)
{
	uint32_t wanted = m->params ? m->params : 1, n = 0;
	struct cpp_arg *args = cpp_scratch(cpp, (wanted + 1) * sizeof(*args));
	struct token_list cur = { 0 };
	int depth = 0;
	struct cpp_token t;

	if (!args)
		return -ENOMEM;
	memset(args, 0, (wanted + 1) * sizeof(*args));
	for (;;) {
		cpp_get(cpp, &t);
		if (t.kind == CPP_EOF || t.kind == CPP_NEWLINE) {
			cpp_error_at(cpp, name, "unterminated argument list invoking macro \"%.*s\"",
				     (int)name->length, name->text);
			if (t.kind == CPP_NEWLINE || cpp->in_directive)
				backup(cpp, &t, false);
			return 1;
		}
		if (t.kind == CPP_PADDING && cur.count == 0)
			continue;
		bool close = is_punct(&t, ")");

		if (depth == 0 && (close || (is_punct(&t, ",") && !(m->variadic && n + 1 >= wanted)))) {
			if (finish_arg(cpp, &cur, n <= wanted ? &args[n] : NULL))
				return -ENOMEM;
			n++;
			if (close)
				break;
			continue;
		}
		depth += is_punct(&t, "(") - close;
		if (list_push(cpp, &cur, &t))
			return -ENOMEM;
	}
	if (check_arg_count(cpp, m, name, cpp->last_from_context ? name : &t, args, n))
		return 1;
	*out_args = args;
	return 0;
}

/* An argument fully macro-expanded, as gcc's expand_arg: paddings kept. */
static int expand_arg(struct cpp *cpp, struct cpp_arg *arg)
{
	struct token_list l = { 0 };
	uint32_t depth = cpp->context_depth;
	struct cpp_token t;

	if (arg->done)
		return 0;
	cpp_push_tokens(cpp, arg->tokens, arg->count + 1, NULL);
	cpp->arg_expansion++;
	for (;;) {
		cpp_get(cpp, &t);
		if (t.kind == CPP_EOF || cpp->context_depth <= depth)
			break;
		if (list_push(cpp, &l, &t))
			return -ENOMEM;
	}
	cpp->arg_expansion--;
	while (cpp->context_depth > depth)
		pop_context(cpp);
	arg->expanded = l.items;
	arg->expanded_count = l.count;
	arg->done = true;
	return 0;
}

/* The string literal `#param` makes: spellings, one space where there was white
 * space, quotes and backslashes escaped inside string and character literals. */
static int stringify(struct cpp *cpp, const struct cpp_arg *arg, struct cpp_token *out)
{
	size_t cap = 16, len = 0;
	char *buf;
	const struct cpp_token *source = NULL;

	for (uint32_t i = 0; i < arg->count; i++)
		cap += 2 * arg->tokens[i].length + 1;
	buf = cpp_scratch(cpp, cap);
	if (!buf)
		return -ENOMEM;
	buf[len++] = '"';
	for (uint32_t i = 0; i < arg->count; i++) {
		const struct cpp_token *t = &arg->tokens[i];
		bool escape = t->kind == CPP_STRING || t->kind == CPP_CHAR;

		if (t->kind == CPP_PADDING) {
			if (!source || (!(source->flags & CPP_F_WHITE) && !t->source))
				source = t->source;
			continue;
		}
		if (len > 1) {
			if (!source)
				source = t;
			if (source->flags & CPP_F_WHITE)
				buf[len++] = ' ';
		}
		source = NULL;
		for (uint32_t k = 0; k < t->length; k++) {
			char c = t->text[k];

			if (escape && (c == '"' || c == '\\'))
				buf[len++] = '\\';
			buf[len++] = c;
		}
	}
	buf[len++] = '"';
	buf[len] = '\0';
	out->kind = CPP_STRING;
	out->text = buf;
	out->length = (uint32_t)len;
	out->ident = NULL;
	return 0;
}

static bool va_opt_active(struct cpp *cpp, struct cpp_macro *m, struct cpp_arg *args)
{
	struct cpp_arg *va = &args[m->params - 1];

	if (expand_arg(cpp, va))
		return false;
	for (uint32_t i = 0; i < va->expanded_count; i++)
		if (va->expanded[i].kind != CPP_PADDING)
			return true;
	return false;
}

static int replace_range(struct cpp *cpp, struct cpp_macro *m, struct cpp_arg *args,
			 uint32_t from, uint32_t to, struct token_list *out);

/* __VA_OPT__ ( ... ) at body[*i]: its contents when the variable argument is present. */
static int replace_va_opt(struct cpp *cpp, struct cpp_macro *m, struct cpp_arg *args,
			  uint32_t *i, uint32_t to, struct token_list *out)
{
	uint32_t at = *i, open = at + 1, close = open, depth = 0, start;
	struct cpp_token pad = padding(&m->body[at]);

	for (; close < to; close++) {
		if (is_punct(&m->body[close], "("))
			depth++;
		else if (is_punct(&m->body[close], ")") && --depth == 0)
			break;
	}
	*i = close;
	/* a padding on its left whether or not it expands (unless right of ##), as gcc */
	if (!cpp->in_directive && at > 0 && !(m->body[at - 1].flags & CPP_F_PASTE_LEFT) &&
	    list_push(cpp, out, &pad))
		return -ENOMEM;
	start = out->count;
	if (va_opt_active(cpp, m, args)) {
		int err = replace_range(cpp, m, args, open + 1, close, out);

		if (err)
			return err;
		while (out->count > start && out->items[out->count - 1].kind == CPP_PADDING)
			out->count--;
	}
	if (out->count > start && (m->body[close].flags & CPP_F_PASTE_LEFT))
		out->items[out->count - 1].flags |= CPP_F_PASTE_LEFT;
	else if (out->count == start && out->count &&
		 (out->items[out->count - 1].flags & CPP_F_PASTE_LEFT) &&
		 !(m->body[close].flags & CPP_F_PASTE_LEFT))
		out->items[out->count - 1].flags &= (uint8_t)~CPP_F_PASTE_LEFT; /* x ## <nothing> */
	return 0;
}

/* `#param`: the argument spelled as a string literal. */
static int replace_stringified(struct cpp *cpp, const struct cpp_token *src,
			       const struct cpp_arg *arg, struct token_list *out)
{
	struct cpp_token t = *src;

	t.flags &= (uint8_t)~(CPP_F_PARAM | CPP_F_STRINGIFY);
	/* gcc gives the string the spelling location of the token lexed last, which
	 * decides whether it counts as a system-header token */
	t.file = (uint16_t)cpp->last_lexed_file;
	if (stringify(cpp, arg, &t))
		return -ENOMEM;
	return list_push(cpp, out, &t);
}

/* GNU `, ## __VA_ARGS__` at body[i]: true when the comma goes (no variable argument);
 * otherwise the comma stays, unpasted. */
static bool gnu_comma_dropped(struct cpp_macro *m, const struct cpp_arg *arg, uint32_t i,
			      struct token_list *out)
{
	struct cpp_token *last = out->count ? &out->items[out->count - 1] : NULL;

	if (!m->variadic || m->body[i].param != m->params - 1 || !last || !is_punct(last, ",") ||
	    !is_punct(&m->body[i - 1], ","))
		return false;
	if (arg->count == 0) {
		out->count--;
		return true;
	}
	last->flags &= (uint8_t)~CPP_F_PASTE_LEFT;
	return false;
}

/* One parameter of the replacement list replaced by its argument: unexpanded next to
 * ##, else macro-expanded; paddings around it as gcc's replace_args puts them. */
static int replace_param(struct cpp *cpp, struct cpp_macro *m, struct cpp_arg *args,
			 uint32_t i, struct token_list *out)
{
	const struct cpp_token *src = &m->body[i];
	struct cpp_arg *arg = &args[src->param];
	bool rhs_of_paste = i > 0 && (m->body[i - 1].flags & CPP_F_PASTE_LEFT);
	bool paste_left = (src->flags & CPP_F_PASTE_LEFT) != 0;
	const struct cpp_token *tokens = arg->tokens;
	uint32_t count = arg->count;
	struct cpp_token t;

	if (src->flags & CPP_F_STRINGIFY)
		return replace_stringified(cpp, src, arg, out);
	if (rhs_of_paste && gnu_comma_dropped(m, arg, i, out))
		return 0;
	if (!paste_left && !rhs_of_paste) {
		if (expand_arg(cpp, arg))
			return -ENOMEM;
		tokens = arg->expanded;
		count = arg->expanded_count;
	}
	t = padding(src);
	if (!cpp->in_directive && i > 0 && !rhs_of_paste && list_push(cpp, out, &t))
		return -ENOMEM;
	for (uint32_t k = 0; k < count; k++)
		if (list_push(cpp, out, &tokens[k]))
			return -ENOMEM;
	if (count && paste_left)
		out->items[out->count - 1].flags |= CPP_F_PASTE_LEFT;
	else if (!count && rhs_of_paste && out->count && !paste_left)
		out->items[out->count - 1].flags &= (uint8_t)~CPP_F_PASTE_LEFT; /* x ## EMPTY */
	t = padding(NULL);
	if (!cpp->in_directive && !paste_left && list_push(cpp, out, &t))
		return -ENOMEM;
	return 0;
}

static int replace_range(struct cpp *cpp, struct cpp_macro *m, struct cpp_arg *args,
			 uint32_t from, uint32_t to, struct token_list *out)
{
	for (uint32_t i = from; i < to; i++) {
		const struct cpp_token *src = &m->body[i];
		int err = 0;

		if (src->flags & CPP_F_VA_OPT)
			err = replace_va_opt(cpp, m, args, &i, to, out);
		else if (src->flags & CPP_F_PARAM)
			err = replace_param(cpp, m, args, i, out);
		else
			err = list_push(cpp, out, src);
		if (err)
			return err;
	}
	return 0;
}

/* Paste the token `lhs` with what follows in the current context, as often as ##
 * asks; the result is pushed as a context of its own. */
static __attribute__((noinline)) void paste_all(struct cpp *cpp, const struct cpp_token *lhs)
{
	struct cpp_token cur = *lhs, rhs;
	struct cpp_context *c;

	do {
		c = &cpp->contexts[cpp->context_depth - 1];
		do {
			if (c->pos >= c->count)
				goto done;
			rhs = c->tokens[c->pos++];
		} while (rhs.kind == CPP_PADDING);
		char *text = cpp_scratch(cpp, cur.length + rhs.length + 2);
		struct cpp_token *pasted;
		uint32_t n, len = cur.length;

		if (!text) {
			cpp->errors++;
			return;
		}
		memcpy(text, cur.text, cur.length);
		if (is_punct(&rhs, "/") && !is_punct(&cur, "="))
			text[len++] = ' ';
		memcpy(text + len, rhs.text, rhs.length);
		len += rhs.length;
		if (cpp_lex_string(cpp, text, len, cur.file, cur.line, cur.column, &pasted, &n) ||
		    n != 1 || (pasted[0].length != len)) {
			cpp_error_at(cpp, &cur,
				     "pasting \"%.*s\" and \"%.*s\" does not give a valid preprocessing token",
				     (int)cur.length, cur.text, (int)rhs.length, rhs.text);
			c->pos--;
			break;
		}
		pasted[0].flags = (uint8_t)(cur.flags & CPP_F_WHITE);
		pasted[0].line = cur.line;
		pasted[0].column = cur.column;
		pasted[0].file = cur.file;
		cur = pasted[0];
	} while (rhs.flags & CPP_F_PASTE_LEFT);
done:;
	struct cpp_token *one = cpp_scratch(cpp, sizeof(*one));

	if (!one) {
		cpp->errors++;
		return;
	}
	*one = cur;
	one->flags &= (uint8_t)~CPP_F_PASTE_LEFT;
	cpp_push_tokens(cpp, one, 1, NULL);
}

/* Start expanding the macro named by `name`. Returns 1 when a context was pushed, 0
 * when a function-like macro is not followed by '(' (the name stands for itself). */
static int enter_macro(struct cpp *cpp, const struct cpp_token *name)
{
	struct cpp_macro *m = name->ident->macro;
	struct cpp_arg *args = NULL;
	struct token_list out = { 0 };

	if (m->builtin)
		return cpp_builtin(cpp, m, name);
	if (m->function_like) {
		struct cpp_token t, pad = { .kind = CPP_EOF };
		int rc;

		cpp->prevent_expansion++;
		cpp->parsing_args = 1;
		do {
			cpp_get(cpp, &t);
			if (t.kind == CPP_PADDING)
				pad = t;
		} while (t.kind == CPP_PADDING);
		if (!is_punct(&t, "(")) {
			cpp->parsing_args = 0;
			cpp->prevent_expansion--;
			backup(cpp, &t, cpp->last_from_context);
			if (pad.kind == CPP_PADDING) {
				struct cpp_token *one = cpp_scratch(cpp, sizeof(*one));

				if (one) {
					*one = pad;
					cpp_push_tokens(cpp, one, 1, NULL);
				}
			}
			return 0;
		}
		cpp->parsing_args = 2;
		rc = collect_args(cpp, m, name, &args);
		cpp->parsing_args = 0;
		cpp->prevent_expansion--;
		if (rc)
			return 0;
	}
	if (m->params) {
		if (replace_range(cpp, m, args, 0, m->count, &out))
			return 0;
		cpp_push_tokens(cpp, out.items, out.count, m);
	} else {
		cpp_push_tokens(cpp, m->body, m->count, m);
	}
	return 1;
}

/* The next token of the innermost context: 1 with *t set (a padding when the
 * context ended or a paste was made, gcc's rule), 0 when the caller must look again. */
static int next_from_context(struct cpp *cpp, struct cpp_token *t)
{
	struct cpp_context *c = &cpp->contexts[cpp->context_depth - 1];

	if (c->pos >= c->count) {
		pop_context(cpp);
		if (cpp->in_directive)
			return 0;
		*t = cpp->padding_avoid;
		return 1;
	}
	*t = c->tokens[c->pos++];
	if (!(t->flags & CPP_F_PASTE_LEFT))
		return 2;
	paste_all(cpp, t);
	if (cpp->in_directive)
		return 0;
	struct cpp_token *source = cpp_scratch(cpp, sizeof(*source));

	if (source)
		*source = *t;
	*t = padding(source);
	return 1;
}

/* Expand the macro `t` names (not painted), if it may be; returns 1 when *t is now the padding that
 * starts its expansion, 0 when *t stands as it is, -1 when the caller must look again
 * (an expansion in a directive, where paddings are not wanted). */
static __attribute__((noinline)) int expand(struct cpp *cpp, struct cpp_token *t,
					      bool from_context)
{
	struct cpp_token *name;

	if (t->ident->macro->disabled) {
		t->flags |= CPP_F_NO_EXPAND;
		return 0;
	}
	if (cpp->prevent_expansion)
		return 0;
	if (!from_context && !cpp->arg_expansion) {
		cpp->expansion_line = t->line;
		cpp->expansion_column = t->column;
		cpp->expansion_file = t->file;
	}
	name = cpp_scratch(cpp, sizeof(*name));
	if (!name)
		return 0;
	*name = *t;
	if (!enter_macro(cpp, name)) {
		cpp->last_from_context = from_context;
		return 0;
	}
	if (cpp->in_directive)
		return -1;
	*t = padding(name);
	cpp->last_from_context = true;
	return 1;
}

/* Most tokens name no macro: the test stays in cpp_get, the expansion out of line. */
static inline int maybe_expand(struct cpp *cpp, struct cpp_token *t, bool from_context)
{
	if (t->kind != CPP_IDENT || !t->ident->macro || (t->flags & CPP_F_NO_EXPAND))
		return 0;
	return expand(cpp, t, from_context);
}

/* The next token after macro expansion (gcc's cpp_get_token). */
int cpp_get(struct cpp *cpp, struct cpp_token *t)
{
	for (;;) {
		bool from_context = cpp->context_depth > 0;

		if (from_context) {
			int got = next_from_context(cpp, t);

			if (!got)
				continue;
			if (got == 1) {
				cpp->last_from_context = true;
				return 0;
			}
		} else {
			cpp_lex_token(cpp, t);
		}
		cpp->last_from_context = from_context;
		if (maybe_expand(cpp, t, from_context) >= 0)
			return cpp->out_of_memory ? -ENOMEM : 0;
	}
}
