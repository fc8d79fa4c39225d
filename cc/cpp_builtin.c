/* cpp_builtin.c - macros computed when expanded (__FILE__, __LINE__, __COUNTER__,
 * __DATE__, __TIME__, ...), the _Pragma operator, #pragma handling, and the __has_*
 * queries answered as clang -target bpf answers them for what ebpf-cc supports. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpp_int.h"

static void set_date(struct cpp *cpp);

static const struct {
	const char *name;
	enum cpp_builtin kind;
} builtins[] = {
	{ "__FILE__", CPP_B_FILE }, { "__LINE__", CPP_B_LINE },
	{ "__COUNTER__", CPP_B_COUNTER }, { "__DATE__", CPP_B_DATE },
	{ "__TIME__", CPP_B_TIME }, { "__BASE_FILE__", CPP_B_BASE_FILE },
	{ "__INCLUDE_LEVEL__", CPP_B_INCLUDE_LEVEL }, { "_Pragma", CPP_B_PRAGMA },
	{ "__has_include", CPP_B_HAS_INCLUDE }, { "__has_include_next", CPP_B_HAS_INCLUDE_NEXT },
	{ "__has_attribute", CPP_B_HAS_ATTRIBUTE }, { "__has_builtin", CPP_B_HAS_BUILTIN },
	{ "__has_feature", CPP_B_HAS_FEATURE }, { "__has_extension", CPP_B_HAS_EXTENSION },
	{ "__has_c_attribute", CPP_B_HAS_C_ATTRIBUTE },
};

/* GNU attributes the compiler implements (cc/parse_decl.c). */
static const char *const attributes[] = {
	"section", "always_inline", "noinline", "unused", "used", "packed", "aligned",
	"preserve_access_index", "weak", NULL,
};

/* Builtins the compiler implements (cc/parse_builtin.c). */
static const char *const builtin_functions[] = {
	"__builtin_bswap16", "__builtin_bswap32", "__builtin_bswap64", "__builtin_btf_type_id",
	"__builtin_choose_expr", "__builtin_constant_p", "__builtin_expect",
	"__builtin_expect_with_probability", "__builtin_memcmp", "__builtin_memcpy",
	"__builtin_memmove", "__builtin_memset", "__builtin_offsetof",
	"__builtin_preserve_access_index", "__builtin_preserve_enum_value",
	"__builtin_preserve_field_info", "__builtin_preserve_type_info", "__builtin_trap",
	"__builtin_types_compatible_p", "__builtin_unreachable", NULL,
};

/* C language features clang reports for C11 that the compiler implements. */
static const char *const features[] = {
	"c_alignas", "c_alignof", "c_static_assert", "attribute_preserve_access_index", NULL,
};

static bool listed(const char *const *list, const char *name, size_t length)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == length && !memcmp(list[i], name, length))
			return true;
	return false;
}

void cpp_define_builtins(struct cpp *cpp)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		struct cpp_ident *id = cpp_intern(cpp, builtins[i].name, strlen(builtins[i].name));
		struct cpp_macro *m = cpp_alloc(cpp, sizeof(*m));

		if (!id || !m)
			return;
		memset(m, 0, sizeof(*m));
		m->builtin = builtins[i].kind;
		id->macro = m;
	}
}

static int push_text(struct cpp *cpp, enum cpp_kind kind, const char *text,
		     const struct cpp_token *name)
{
	size_t n = strlen(text);
	struct cpp_token *t = cpp_scratch(cpp, sizeof(*t));
	char *copy = cpp_scratch(cpp, n + 1);

	if (!t || !copy)
		return -ENOMEM;
	memcpy(copy, text, n + 1);
	*t = *name;
	t->kind = (uint8_t)kind;
	t->text = copy;
	t->length = (uint32_t)strlen(copy);
	t->ident = NULL;
	t->flags &= (uint8_t)~(CPP_F_BOL | CPP_F_NO_EXPAND);
	cpp_push_tokens(cpp, t, 1, NULL);
	return 1;
}

static int push_quoted(struct cpp *cpp, const char *text, const struct cpp_token *name)
{
	size_t n = strlen(text);
	char *buf = malloc(2 * n + 3), *q = buf;
	int rc;

	if (!buf)
		return -ENOMEM;
	*q++ = '"';
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			*q++ = '\\';
		*q++ = *p;
	}
	*q++ = '"';
	*q = '\0';
	rc = push_text(cpp, CPP_STRING, buf, name);
	free(buf);
	return rc;
}

static void next_token(struct cpp *cpp, struct cpp_token *t)
{
	do
		cpp_get(cpp, t);
	while (t->kind == CPP_PADDING);
}

static bool is(const struct cpp_token *t, const char *p)
{
	return t->kind == CPP_PUNCT && t->length == strlen(p) && !memcmp(t->text, p, t->length);
}

/* __has_include(<name>) / ("name"): the operand read unexpanded. */
static int has_include(struct cpp *cpp, const struct cpp_token *name, bool next, long long *v)
{
	struct cpp_token t;
	char buf[1024];
	size_t len = 0;
	bool angled = false;
	char *path;
	int system;
	int dir_index, rc;

	cpp->prevent_expansion++;
	next_token(cpp, &t);
	if (is(&t, "(")) {
		/* a header-name as written is taken literally; anything else is expanded
		 * first (`__has_include(HEADER)` with #define HEADER <x.h>), as in gcc */
		struct cpp_source *src = cpp->depth ? &cpp->stack[cpp->depth - 1] : NULL;

		if (!src || cpp->context_depth || cpp->lookahead_count ||
		    !cpp_lex_header_name(src, &t)) {
			cpp->prevent_expansion--;
			next_token(cpp, &t);
			cpp->prevent_expansion++;
		}
	}
	if (t.kind == CPP_HEADER) {
		angled = true;
		len = (size_t)snprintf(buf, sizeof(buf), "%.*s", (int)t.length - 2, t.text + 1);
	} else if (t.kind == CPP_STRING && t.text[0] == '"') {
		len = (size_t)snprintf(buf, sizeof(buf), "%.*s", (int)t.length - 2, t.text + 1);
	} else if (is(&t, "<")) {
		angled = true;
		for (next_token(cpp, &t); !is(&t, ">") && t.kind != CPP_NEWLINE; next_token(cpp, &t))
			if (len + t.length + 1 < sizeof(buf))
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%.*s",
							len && (t.flags & CPP_F_WHITE) ? " " : "",
							(int)t.length, t.text);
	} else {
		cpp->prevent_expansion--;
		cpp_error_at(cpp, name, "operator \"__has_include\" requires a header-name");
		return 1;
	}
	next_token(cpp, &t);
	cpp->prevent_expansion--;
	if (!is(&t, ")"))
		cpp_error_at(cpp, name, "missing ')' after \"__has_include\" operand");
	buf[len] = '\0';
	rc = cpp_find_include(cpp, buf, angled, next && cpp->depth > 1, &path, &system,
			      &dir_index);
	if (rc < 0)
		return rc;
	*v = rc == 0;
	return 0;
}

/* __has_attribute(x), __has_builtin(x), __has_feature(x) ... */
static int has_query(struct cpp *cpp, enum cpp_builtin kind, const struct cpp_token *name,
		     long long *v)
{
	struct cpp_token t, id;
	const char *text;
	size_t length;

	if (kind == CPP_B_HAS_INCLUDE || kind == CPP_B_HAS_INCLUDE_NEXT)
		return has_include(cpp, name, kind == CPP_B_HAS_INCLUDE_NEXT, v);
	cpp->prevent_expansion++;
	next_token(cpp, &t);
	next_token(cpp, &id);
	next_token(cpp, &t);
	if (is(&t, "::")) {
		next_token(cpp, &id);
		next_token(cpp, &t);
	}
	cpp->prevent_expansion--;
	if (id.kind != CPP_IDENT || !is(&t, ")")) {
		cpp_error_at(cpp, name, "missing '(' or ')' around the operand of \"%.*s\"",
			     (int)name->length, name->text);
		return 1;
	}
	text = id.text;
	length = id.length;
	if (length > 4 && !memcmp(text, "__", 2) && !memcmp(text + length - 2, "__", 2)) {
		text += 2;
		length -= 4;
	}
	switch (kind) {
	case CPP_B_HAS_ATTRIBUTE: *v = listed(attributes, text, length); break;
	case CPP_B_HAS_BUILTIN: *v = listed(builtin_functions, id.text, id.length); break;
	case CPP_B_HAS_FEATURE: case CPP_B_HAS_EXTENSION:
		*v = listed(features, id.text, id.length);
		break;
	default: *v = 0;
	}
	return 0;
}

/* The NAME of `#pragma push_macro("NAME")` (or pop_macro) from tokens[1..count), or
 * NULL after gcc's diagnostics: the error at the token that broke the form (the
 * last one when the line ended), extra tokens after it a warning. */
static struct cpp_ident *pragma_macro_name(struct cpp *cpp, const struct cpp_token *tokens,
					   uint32_t count)
{
	uint32_t i = 1;
	const struct cpp_token *string = NULL;
	char *name;
	size_t n = 0;

	if (i < count && is(&tokens[i], "(") && ++i < count && tokens[i].kind == CPP_STRING) {
		string = &tokens[i];
		if (++i < count && is(&tokens[i], ")"))
			i++;
		else
			string = NULL;
	}
	if (!string) {
		cpp_error_at(cpp, &tokens[i < count ? i : count - 1],
			     "invalid #pragma %.*s directive", (int)tokens[0].length, tokens[0].text);
		i++;
	}
	if (i < count)
		cpp_error(cpp, tokens[i].file, tokens[i].line, tokens[i].column, "warning",
			  "extra tokens at end of #pragma directive");
	if (!string)
		return NULL;
	/* the spelling between the quotes, \" and \\ unescaped (an L prefix skipped,
	 * gcc's reading) */
	name = cpp_scratch(cpp, string->length);
	if (!name)
		return NULL;
	for (const char *p = string->text + 1 + (string->text[0] == 'L');
	     p < string->text + string->length - 1; p++) {
		if (*p == '\\' && (p[1] == '\\' || p[1] == '"'))
			p++;
		name[n++] = *p;
	}
	return cpp_intern(cpp, name, n);
}

/* #pragma push_macro("NAME"): remember NAME's definition (macros are never changed
 * once defined, so the pointer is the definition). */
static void push_macro(struct cpp *cpp, const struct cpp_token *tokens, uint32_t count)
{
	struct cpp_ident *id = pragma_macro_name(cpp, tokens, count);
	struct cpp_pushed_macro *pushed;

	if (!id || !(pushed = cpp_alloc(cpp, sizeof(*pushed))))
		return;
	pushed->name = id;
	pushed->macro = id->macro;
	pushed->next = cpp->pushed_macros;
	cpp->pushed_macros = pushed;
}

/* #pragma pop_macro("NAME"): NAME gets back the newest pushed definition (or none);
 * without a push the pragma does nothing, as in gcc. */
static void pop_macro(struct cpp *cpp, const struct cpp_token *tokens, uint32_t count,
		      uint32_t line)
{
	struct cpp_ident *id = pragma_macro_name(cpp, tokens, count);

	for (struct cpp_pushed_macro **link = &cpp->pushed_macros; id && *link;
	     link = &(*link)->next) {
		struct cpp_pushed_macro *pushed = *link;

		if (pushed->name != id)
			continue;
		*link = pushed->next;
		cpp_restore_macro(cpp, id, pushed->macro, line);
		return;
	}
}

/* Run a pragma: the ones the preprocessor itself implements are acted on, every
 * other one is passed to the compiler on a line of its own. */
static int run_pragma(struct cpp *cpp, uint32_t line, struct cpp_token *tokens, uint32_t count,
		      const char *directive);

/* gcc -E leaves the line of a pragma it implements itself blank up to the pragma's
 * first word; the rest go to the output as they are. */
int cpp_run_pragma(struct cpp *cpp, uint32_t line, struct cpp_token *tokens, uint32_t count,
		   const char *directive)
{
	bool macro_stack = count && tokens[0].kind == CPP_IDENT &&
			   (!strcmp(tokens[0].ident->name, "push_macro") ||
			    !strcmp(tokens[0].ident->name, "pop_macro"));
	int rc;

	/* the blank line first: popping may print `#undef` (-dD) after it, as gcc does */
	if (macro_stack && !strcmp(directive, "pragma"))
		cpp_out_line_change(cpp, &tokens[0]);
	rc = run_pragma(cpp, line, tokens, count, directive);
	if (rc == 0 && count && !strcmp(directive, "pragma") && !macro_stack)
		cpp_out_line_change(cpp, &tokens[0]);
	return rc;
}

static int run_pragma(struct cpp *cpp, uint32_t line, struct cpp_token *tokens, uint32_t count,
		      const char *directive)
{
	struct cpp_source *src = &cpp->stack[cpp->depth - 1];
	bool gcc = count >= 2 && tokens[0].length == 3 && !memcmp(tokens[0].text, "GCC", 3);
	const struct cpp_token *what = gcc ? &tokens[1] : count ? &tokens[0] : NULL;

#define WHAT_IS(s) (what && what->length == strlen(s) && !memcmp(what->text, s, what->length))
	if (!gcc && WHAT_IS("once")) {
		if (cpp->depth == 1)
			cpp_error(cpp, what->file, what->line, what->column, "warning",
				  "#pragma once in main file");
		src->file->once = true;
		return 0;
	}
	if (gcc && WHAT_IS("system_header")) {
		if (cpp->depth > 1)
			cpp->files[src->file_index]->system = 1;
		return 0;
	}
	if (gcc && (WHAT_IS("warning") || WHAT_IS("error"))) {
		bool error = WHAT_IS("error");

		cpp_error(cpp, what->file, line, what->column, error ? "error" : "warning", "%.*s",
			  count > 2 ? (int)tokens[2].length : 0, count > 2 ? tokens[2].text : "");
		return 0;
	}
	if (!gcc && (WHAT_IS("push_macro") || WHAT_IS("pop_macro"))) {
		if (WHAT_IS("push_macro"))
			push_macro(cpp, tokens, count);
		else
			pop_macro(cpp, tokens, count, line);
		return 0;
	}
	if (gcc && (WHAT_IS("poison") || WHAT_IS("dependency") || WHAT_IS("pch_preprocess")))
		return 0;
#undef WHAT_IS
	cpp_out_directive(cpp, line, directive, tokens, count);
	return 1;
}

/* _Pragma("...") : destringized and run as a #pragma line. */
static int do_pragma_operator(struct cpp *cpp, const struct cpp_token *name)
{
	struct cpp_token t, str;
	struct cpp_token *tokens;
	uint32_t count, line = cpp->last_from_context ? cpp->expansion_line : name->line;
	char *text;
	size_t n = 0;

	next_token(cpp, &t);
	next_token(cpp, &str);
	next_token(cpp, &t);
	if (str.kind != CPP_STRING || !is(&t, ")")) {
		cpp_error_at(cpp, name, "_Pragma takes a parenthesized string literal");
		return 1;
	}
	text = cpp_scratch(cpp, str.length);
	if (!text)
		return -ENOMEM;
	for (const char *p = strchr(str.text, '"') + 1; p < str.text + str.length - 1; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		text[n++] = *p;
	}
	if (cpp_lex_string(cpp, text, n, name->file, line, 1, &tokens, &count))
		return -ENOMEM;
	if (cpp->in_directive)
		return 1;
	if (run_pragma(cpp, line, tokens, count, "pragma") == 1 && cpp->depth) {
		struct cpp_token bol = { .file = cpp->stack[cpp->depth - 1].file_index,
					 .line = line, .column = cpp->bol_column };

		cpp_out_line_change(cpp, &bol);
	}
	cpp_push_tokens(cpp, NULL, 0, NULL);
	return 1;
}

int cpp_builtin(struct cpp *cpp, struct cpp_macro *m, const struct cpp_token *name)
{
	struct cpp_source *src = cpp->depth ? &cpp->stack[cpp->depth - 1] : NULL;
	char buf[64];
	long long v = 0;
	int rc;

	switch (m->builtin) {
	case CPP_B_FILE:
		return push_quoted(cpp, src ? cpp->files[src->file_index]->path : "", name);
	case CPP_B_BASE_FILE:
		return push_quoted(cpp, cpp->opts->input, name);
	case CPP_B_LINE:
		snprintf(buf, sizeof(buf), "%u",
			 cpp->last_from_context ? cpp->expansion_line : name->line);
		return push_text(cpp, CPP_NUMBER, buf, name);
	case CPP_B_COUNTER:
		snprintf(buf, sizeof(buf), "%u", cpp->counter++);
		return push_text(cpp, CPP_NUMBER, buf, name);
	case CPP_B_INCLUDE_LEVEL:
		snprintf(buf, sizeof(buf), "%u", cpp->depth ? cpp->depth - 1 : 0);
		return push_text(cpp, CPP_NUMBER, buf, name);
	case CPP_B_DATE:
		if (!cpp->date[0])
			set_date(cpp);
		return push_text(cpp, CPP_STRING, cpp->date, name);
	case CPP_B_TIME:
		if (!cpp->date[0])
			set_date(cpp);
		return push_text(cpp, CPP_STRING, cpp->time, name);
	case CPP_B_PRAGMA:
		return do_pragma_operator(cpp, name);
	default:
		break;
	}
	if (!cpp->in_directive) {
		cpp_error_at(cpp, name, "\"%.*s\" used outside of preprocessing directive",
			     (int)name->length, name->text);
		return 0;
	}
	rc = has_query(cpp, m->builtin, name, &v);
	if (rc < 0)
		return rc;
	return push_text(cpp, CPP_NUMBER, v ? "1" : "0", name);
}

/* __DATE__ and __TIME__ of this run, or of SOURCE_DATE_EPOCH when set (in UTC). */
/* __DATE__ and __TIME__ of the first use of either (as gcc): most compiles use
 * neither, and the local time zone costs a file read. */
static void set_date(struct cpp *cpp)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	struct tm tm;

	if (epoch && *epoch)
		gmtime_r(&now, &tm);
	else
		localtime_r(&now, &tm);
	snprintf(cpp->date, sizeof(cpp->date), "\"%s %2d %d\"", months[tm.tm_mon % 12],
		 tm.tm_mday, tm.tm_year + 1900);
	snprintf(cpp->time, sizeof(cpp->time), "\"%02d:%02d:%02d\"", tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}
