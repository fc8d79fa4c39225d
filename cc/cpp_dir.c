/* cpp_dir.c - the file level of the preprocessor: tokens of the open files with
 * directives acted on (conditionals with skipping, #include with the multiple-include
 * optimisation, #line, #error/#warning, #pragma), the end of each file. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

static bool punct_is(const struct cpp_token *t, const char *p)
{
	return t->kind == CPP_PUNCT && t->length == strlen(p) && !memcmp(t->text, p, t->length);
}

void cpp_backup(struct cpp *cpp, const struct cpp_token *t)
{
	if (cpp->lookahead_count < sizeof(cpp->lookahead) / sizeof(cpp->lookahead[0]))
		cpp->lookahead[cpp->lookahead_count++] = *t;
}

/* A raw token of the directive line; the line's end reads as CPP_NEWLINE. */
int cpp_directive_token(struct cpp *cpp, struct cpp_token *t)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	int err;

	if (cpp->directive_ended) {
		memset(t, 0, sizeof(*t));
		t->kind = CPP_NEWLINE;
		return 0;
	}
	err = cpp_lex_raw(cpp, src, t);
	if (t->kind == CPP_EOF || t->kind == CPP_NEWLINE) {
		t->kind = CPP_NEWLINE;
		t->length = 0;
		cpp->directive_ended = true;
	}
	return err;
}

/* The rest of the directive line, macro-expanded or not. */
void cpp_read_line(struct cpp *cpp, struct cpp_token **tokens, uint32_t *count, bool expand)
{
	uint32_t cap = 8, n = 0;
	struct cpp_token *list = cpp_scratch(cpp, cap * sizeof(*list)), t;

	for (;;) {
		if (expand)
			cpp_get(cpp, &t);
		else
			cpp_directive_token(cpp, &t);
		if (t.kind == CPP_NEWLINE || t.kind == CPP_EOF || !list)
			break;
		if (t.kind == CPP_PADDING)
			continue;
		if (n == cap) {
			struct cpp_token *bigger = cpp_scratch_grow(cpp, list, cap * sizeof(*list),
								    2 * cap * sizeof(*list));

			if (!bigger)
				break;
			list = bigger;
			cap *= 2;
		}
		list[n++] = t;
	}
	*tokens = list;
	*count = list ? n : 0;
}

static void skip_rest(struct cpp *cpp, const char *directive)
{
	struct cpp_token t;

	cpp_directive_token(cpp, &t);
	if (t.kind != CPP_NEWLINE) {
		if (directive)
			cpp_error(cpp, t.file, t.line, t.column, "warning",
				  "extra tokens at end of #%s directive", directive);
		while (t.kind != CPP_NEWLINE)
			cpp_directive_token(cpp, &t);
	}
}

/* ---- conditionals ---- */

static int push_cond(struct cpp *cpp, bool value, const struct cpp_token *dir)
{
	struct cpp_cond *c;

	if (!cpp_grow((void **)&cpp->conds, &cpp->cond_capacity, cpp->cond_depth + 1,
		      sizeof(*cpp->conds)))
		return -ENOMEM;
	c = &cpp->conds[cpp->cond_depth++];
	c->outer_skipping = cpp->skipping;
	c->was_true = cpp->skipping || value;
	c->skipping = cpp->skipping || !value;
	c->seen_else = false;
	c->line = dir->line;
	c->column = dir->column;
	c->directive = dir->ident ? dir->ident->name : "if";
	cpp->skipping = c->skipping;
	return 0;
}

static int do_ifdef(struct cpp *cpp, const struct cpp_token *dir, bool negate)
{
	struct cpp_token name;
	bool value = false;

	if (!cpp->skipping) {
		cpp_directive_token(cpp, &name);
		if (name.kind != CPP_IDENT) {
			cpp_error_at(cpp, name.kind == CPP_NEWLINE ? dir : &name,
				     name.kind == CPP_NEWLINE ? "no macro name given in #%s directive"
							      : "macro names must be identifiers",
				     negate ? "ifndef" : "ifdef");
		} else {
			value = (name.ident->macro != NULL) != negate;
			skip_rest(cpp, negate ? "ifndef" : "ifdef");
			struct cpp_source *src = &cpp->stack[cpp->depth - 1];

			if (negate && src->guard_state == 0 && cpp->cond_depth == src->cond_depth) {
				src->guard_state = 1;
				src->guard_candidate = name.ident;
			}
		}
	}
	return push_cond(cpp, value, dir);
}

/* `#if !defined X` or `#if !defined(X)` opening a file: an include guard, as gcc
 * recognises it. Reads the line's text without consuming it; NULL if not that form. */
static struct cpp_ident *guard_of_if(struct cpp *cpp, const struct cpp_source *src)
{
	const char *p = src->pos, *name;
	bool paren;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '!')
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "defined", 7))
		return NULL;
	for (p += 7; *p == ' ' || *p == '\t'; p++)
		;
	paren = *p == '(';
	for (p += paren; *p == ' ' || *p == '\t'; p++)
		;
	for (name = p; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '_'; p++)
		;
	if (p == name || (*name >= '0' && *name <= '9'))
		return NULL;
	size_t length = (size_t)(p - name);

	while (*p == ' ' || *p == '\t')
		p++;
	if (paren && *p++ != ')')
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\n' && *p && strncmp(p, "/*", 2) && strncmp(p, "//", 2))
		return NULL;
	return cpp_intern(cpp, name, length);
}

static int do_if(struct cpp *cpp, const struct cpp_token *dir)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	bool value = false;

	if (!cpp->skipping && src->guard_state == 0 && cpp->cond_depth == src->cond_depth) {
		src->guard_candidate = guard_of_if(cpp, src);
		src->guard_state = src->guard_candidate ? 1 : 3;
	}

	if (!cpp->skipping && cpp_eval_if(cpp, dir, &value) < 0)
		return -ENOMEM;
	return push_cond(cpp, value, dir);
}

static struct cpp_cond *current_cond(struct cpp *cpp, const struct cpp_token *dir)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];

	if (cpp->cond_depth <= src->cond_depth) {
		cpp_error_at(cpp, dir, "#%.*s without #if", (int)dir->length, dir->text);
		return NULL;
	}
	if (cpp->cond_depth == src->cond_depth + 1 && src->guard_state == 1 &&
	    dir->ident->directive != CPP_D_ENDIF)
		src->guard_state = 3;
	return &cpp->conds[cpp->cond_depth - 1];
}

static int do_elif(struct cpp *cpp, const struct cpp_token *dir, int kind)
{
	struct cpp_cond *c = current_cond(cpp, dir);
	bool value = false;

	if (!c)
		return 1;
	if (c->seen_else) {
		cpp_error_at(cpp, dir, "#%.*s after #else", (int)dir->length, dir->text);
		return 1;
	}
	if (c->outer_skipping || c->was_true) {
		c->skipping = true;
	} else if (kind == CPP_D_ELIF) {
		cpp->skipping = false;
		if (cpp_eval_if(cpp, dir, &value) < 0)
			return -ENOMEM;
		c->skipping = !value;
		c->was_true = value;
	} else {
		struct cpp_token name;

		cpp_directive_token(cpp, &name);
		value = name.kind == CPP_IDENT &&
			(name.ident->macro != NULL) == (kind == CPP_D_ELIFDEF);
		c->skipping = !value;
		c->was_true = value;
	}
	cpp->skipping = c->skipping;
	return 0;
}

static int do_else(struct cpp *cpp, const struct cpp_token *dir)
{
	struct cpp_cond *c = current_cond(cpp, dir);

	if (!c)
		return 1;
	if (c->seen_else) {
		cpp_error_at(cpp, dir, "#else after #else");
		return 1;
	}
	c->seen_else = true;
	c->skipping = c->outer_skipping || c->was_true;
	c->was_true = true;
	cpp->skipping = c->skipping;
	if (!cpp->skipping || !c->outer_skipping)
		skip_rest(cpp, c->outer_skipping ? NULL : "else");
	return 0;
}

static int do_endif(struct cpp *cpp, const struct cpp_token *dir)
{
	struct cpp_cond *c = current_cond(cpp, dir);
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];

	if (!c)
		return 1;
	if (!c->outer_skipping)
		skip_rest(cpp, "endif");
	cpp->skipping = c->outer_skipping;
	cpp->cond_depth--;
	if (cpp->cond_depth == src->cond_depth && src->guard_state == 1)
		src->guard_state = 2;
	return 0;
}

/* ---- #include ---- */

/* The file name of #include: "name", <name>, or macro-expanded tokens forming one. */
static int include_name(struct cpp *cpp, const struct cpp_token *dir, char **name, bool *angled,
			uint32_t *column)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	struct cpp_token t, *tokens;
	uint32_t count;

	if (cpp_lex_header_name(src, &t)) {
		*column = t.column;
		*angled = true;
		*name = cpp_strndup(cpp, t.text + 1, t.length - 2);
		skip_rest(cpp, "include");
		return *name ? 0 : -ENOMEM;
	}
	cpp_read_line(cpp, &tokens, &count, true);
	if (count)
		*column = tokens[0].column;
	if (count >= 1 && tokens[0].kind == CPP_STRING && tokens[0].text[0] == '"') {
		*angled = false;
		*name = cpp_strndup(cpp, tokens[0].text + 1, tokens[0].length - 2);
		return *name ? 0 : -ENOMEM;
	}
	if (count >= 2 && punct_is(&tokens[0], "<")) {
		size_t len = 0;
		char *buf;

		for (uint32_t i = 1; i < count && !punct_is(&tokens[i], ">"); i++)
			len += tokens[i].length + 1;
		buf = cpp_alloc(cpp, len + 1);
		if (!buf)
			return -ENOMEM;
		len = 0;
		for (uint32_t i = 1; i < count && !punct_is(&tokens[i], ">"); i++) {
			if (i > 1 && (tokens[i].flags & CPP_F_WHITE))
				buf[len++] = ' ';
			memcpy(buf + len, tokens[i].text, tokens[i].length);
			len += tokens[i].length;
		}
		buf[len] = '\0';
		*angled = true;
		*name = buf;
		return 0;
	}
	cpp_error_at(cpp, dir, "#include expects \"FILENAME\" or <FILENAME>");
	return 1;
}

static int do_include(struct cpp *cpp, const struct cpp_token *dir, bool next)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	char *name, *path;
	bool angled;
	int system;
	uint32_t column = dir->column;
	int dir_index, err = include_name(cpp, dir, &name, &angled, &column);

	if (err)
		return err;
	if (cpp->depth >= 200) {
		cpp_error_at(cpp, dir, "#include nested depth 200 exceeds maximum of 200");
		return 1;
	}
	if (next && cpp->depth == 1)
		cpp_error(cpp, dir->file, dir->line, dir->column, "warning",
			  "#include_next in primary source file");
	err = cpp_find_include(cpp, name, angled, next && cpp->depth > 1, &path, &system,
			       &dir_index);
	if (err < 0)
		return err;
	if (err) {
		cpp_error(cpp, dir->file, dir->line, column, "fatal error",
			  "%s: No such file or directory", name);
		return 2;
	}
	(void)src;
	return cpp_enter_file(cpp, path, system, dir_index, dir->line + 1);
}

/* ---- #line, #error, #pragma ---- */

static int do_line(struct cpp *cpp, const struct cpp_token *dir, const struct cpp_token *number)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	struct cpp_token *tokens;
	uint32_t count, i = 0;
	unsigned long line;

	if (number) {
		cpp_read_line(cpp, &tokens, &count, false);
	} else {
		cpp_read_line(cpp, &tokens, &count, true);
		if (!count || tokens[0].kind != CPP_NUMBER) {
			cpp_error_at(cpp, dir, "\"%.*s\" after #line is not a positive integer",
				     count ? (int)tokens[0].length : 0, count ? tokens[0].text : "");
			return 1;
		}
		number = &tokens[i++];
	}
	line = strtoul(number->text, NULL, 10);
	/* the next line of the file is `line`: shift every later position */
	src->line_delta += (int32_t)line - (int32_t)(dir->line + 1);
	if (i < count && tokens[i].kind == CPP_STRING) {
		char *name = cpp_strndup(cpp, tokens[i].text + 1, tokens[i].length - 2);

		if (!name)
			return -ENOMEM;
		src->file_index = cpp_add_file_name(cpp, src->file, name);
	}
	cpp->line_directive = true;
	return 0;
}

static int do_diagnostic(struct cpp *cpp, const struct cpp_token *dir, bool error)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	const char *start = src->pos, *end;

	while (*start == ' ' || *start == '\t')
		start++;
	for (end = start; *end && *end != '\n'; end++)
		;
	cpp_error(cpp, dir->file, dir->line, dir->column, error ? "error" : "warning",
		  "#%.*s %.*s", (int)dir->length, dir->text, (int)(end - start), start);
	skip_rest(cpp, NULL);
	return 0;
}

static int do_pragma(struct cpp *cpp, const struct cpp_token *dir)
{
	struct cpp_token *tokens;
	uint32_t count;

	cpp_read_line(cpp, &tokens, &count, false);
	return cpp_run_pragma(cpp, dir->line, tokens, count, "pragma");
}

static int do_ident(struct cpp *cpp, const struct cpp_token *dir)
{
	struct cpp_token *tokens;
	uint32_t count;

	cpp_read_line(cpp, &tokens, &count, true);
	cpp_out_directive(cpp, dir->line, "ident", tokens, count);
	return 0;
}

static int dispatch(struct cpp *cpp, const struct cpp_token *name)
{
	int kind = name->kind == CPP_IDENT ? name->ident->directive : CPP_D_NONE;

	switch (kind) {
	case CPP_D_IF: return do_if(cpp, name);
	case CPP_D_IFDEF: return do_ifdef(cpp, name, false);
	case CPP_D_IFNDEF: return do_ifdef(cpp, name, true);
	case CPP_D_ELIF: case CPP_D_ELIFDEF: case CPP_D_ELIFNDEF:
		return do_elif(cpp, name, kind);
	case CPP_D_ELSE: return do_else(cpp, name);
	case CPP_D_ENDIF: return do_endif(cpp, name);
	}
	if (cpp->skipping)
		return 0;
	switch (kind) {
	case CPP_D_DEFINE: return cpp_define(cpp);
	case CPP_D_UNDEF: return cpp_undef(cpp);
	case CPP_D_INCLUDE: case CPP_D_IMPORT: return do_include(cpp, name, false);
	case CPP_D_INCLUDE_NEXT: return do_include(cpp, name, true);
	case CPP_D_LINE: return do_line(cpp, name, NULL);
	case CPP_D_ERROR: return do_diagnostic(cpp, name, true);
	case CPP_D_WARNING: return do_diagnostic(cpp, name, false);
	case CPP_D_PRAGMA: return do_pragma(cpp, name);
	case CPP_D_IDENT: return do_ident(cpp, name);
	}
	if (name->kind == CPP_NUMBER)
		return do_line(cpp, name, name);
	if (name->kind == CPP_NEWLINE)
		return 0;
	cpp_error_at(cpp, name, "invalid preprocessing directive #%.*s", (int)name->length,
		     name->text);
	return 1;
}

/* A directive line: the `#` has been read. */
int cpp_directive(struct cpp *cpp, const struct cpp_token *hash)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	struct cpp_token name;
	int err;

	(void)hash;
	cpp->in_directive = true;
	cpp->directive_ended = false;
	cpp_directive_token(cpp, &name);
	cpp->directive_line = name.line;
	if (name.kind == CPP_IDENT && src->guard_state != 1 &&
	    !(src->guard_state == 0 && (name.ident->directive == CPP_D_IFNDEF ||
					 name.ident->directive == CPP_D_IF)))
		src->guard_state = 3;
	err = dispatch(cpp, &name);
	if (cpp->depth && &cpp->stack[cpp->depth - 1] == src && !cpp->directive_ended) {
		struct cpp_token t;

		do
			cpp_directive_token(cpp, &t);
		while (t.kind != CPP_NEWLINE);
	}
	cpp->in_directive = false;
	cpp->directive_ended = false;
	cpp_drop_contexts(cpp);
	return err < 0 ? err : 0;
}

/* ---- end of a file ---- */

static __attribute__((noinline)) void leave_file(struct cpp *cpp)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];

	if (cpp->cond_depth > src->cond_depth) {
		struct cpp_cond *c = &cpp->conds[src->cond_depth];

		cpp_error(cpp, src->file_index, c->line, c->column, "error", "unterminated #%s",
			  c->directive);
		cpp->cond_depth = src->cond_depth;
		cpp->skipping = cpp->cond_depth ? cpp->conds[cpp->cond_depth - 1].skipping : false;
	}
	if (src->guard_state == 2 && src->guard_candidate)
		src->file->guard = src->guard_candidate;
	cpp->depth--;
	if (cpp->depth) {
		struct cpp_source *parent = &cpp->stack[cpp->depth - 1];

		cpp_out_file_change(cpp, parent->file_index, src->return_line + parent->line_delta, 2);
	}
}

/* Skip the lines of a false group, acting on the conditional directives in it. */
static __attribute__((noinline)) int skip_group(struct cpp *cpp)
{
	while (cpp->skipping && cpp->depth) {
		struct cpp_source *src = &cpp->stack[cpp->depth - 1];

		if (!*src->pos && src->pos >= src->file->text + src->file->size)
			return 0;
		if (cpp_skip_group_line(cpp, src)) {
			struct cpp_token hash = { .kind = CPP_PUNCT };
			int err = cpp_directive(cpp, &hash);

			if (err)
				return err;
		}
	}
	return 0;
}

/* A raw token of the innermost open file: 1 with *t set, 0 to look again (a line end
 * or a file left), negative on failure. In a directive the line end is a CPP_NEWLINE;
 * the end of the main file, or of a file while arguments are collected, a CPP_EOF. */
static int lex_from_files(struct cpp *cpp, struct cpp_token *t)
{
	struct cpp_source *src;
	int err;

	if (cpp->skipping && !cpp->in_directive && (err = skip_group(cpp)))
		return err;
	if (!cpp->depth) {
		*t = cpp->eof;
		return 1;
	}
	src = &cpp->stack[cpp->depth - 1];
	if ((err = cpp_lex_raw(cpp, src, t)))
		return err;
	if (t->kind == CPP_NEWLINE || t->kind == CPP_EOF) {
		if (cpp->in_directive) {
			cpp->directive_ended = true;
			t->kind = CPP_NEWLINE;
			return 1;
		}
		if (t->kind == CPP_NEWLINE)
			return 0;
		if (!cpp->parsing_args)
			leave_file(cpp);
		if (cpp->parsing_args || !cpp->depth) {
			*t = cpp->eof;
			return 1;
		}
		return 0;
	}
	if (src->guard_state != 1 && !((t->flags & CPP_F_BOL) && cpp_is_hash(t)))
		src->guard_state = 3;
	cpp->last_lexed_file = t->file;
	return 1;
}

/* The next token of the open files, directives acted on (gcc's _cpp_lex_token). */
int cpp_lex_token(struct cpp *cpp, struct cpp_token *t)
{
	for (;;) {
		if (cpp->lookahead_count) {
			*t = cpp->lookahead[--cpp->lookahead_count];
			if (t->kind == CPP_EOF && !cpp->parsing_args && cpp->depth)
				continue;
		} else {
			int got = lex_from_files(cpp, t);

			if (got < 0)
				return got;
			if (!got)
				continue;
		}
		if ((t->flags & CPP_F_BOL) && !cpp->in_directive) {
			if (cpp_is_hash(t) && cpp->parsing_args != 1) {
				int err = cpp_directive(cpp, t);

				if (err < 0)
					return err;
				continue;
			}
			cpp->bol_column = t->column;
			if (!cpp->skipping)
				cpp_out_line_change(cpp, t);
		}
		return 0;
	}
}
