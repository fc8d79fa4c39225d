/* tokens.c - the parser's token array and what goes into a token: keywords marked in
 * the intern table, integer and character constants and string literals decoded,
 * line markers and pragmas applied; used by lexer.l and handoff.c alike. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"

static const char *const keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
	"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
	"register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
	"switch", "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool",
	"_Static_assert", "_Alignof", "_Alignas", "__attribute__", "__attribute", "typeof",
	"__typeof__", "__typeof", "asm", "__asm__", "__asm", "__inline", "__inline__",
	"__restrict", "__restrict__", "__const", "__const__", "__volatile__", "__volatile",
	"__signed__", "__signed", "__extension__", "__alignof__", "__alignof", "_Noreturn",
	"__int128", "_Thread_local", "__thread", "static_assert", "_Atomic", "_Complex",
	"__builtin_va_list", "__auto_type",
};

/* Mark keywords in the intern table so that tokens are classified by one load. */
static int mark_keywords(struct cc_unit *u)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const char *w = cc_intern(u, keywords[i]);

		if (!w)
			return -ENOMEM;
		((unsigned char *)w)[-1] |= CC_WORD_KEYWORD;
	}
	return 0;
}

int cc_lexer_init(struct cc_lexer *lexer, struct cc_unit *unit, size_t capacity)
{
	memset(lexer, 0, sizeof(*lexer));
	lexer->unit = unit;
	lexer->file = unit->main_file;
	lexer->line = 1;
	lexer->column = 1;
	lexer->capacity = capacity;
	unit->tokens = malloc(capacity * sizeof(*unit->tokens));
	if (!unit->tokens)
		return -ENOMEM;
	return mark_keywords(unit);
}

int cc_lexer_finish(struct cc_lexer *lexer)
{
	struct cc_token *eof = cc_lexer_token(lexer, TK_EOF, 0);

	if (lexer->failed || !eof)
		return -ENOMEM;
	eof->text = "end of file";
	return 0;
}

bool cc_lexer_grow(struct cc_lexer *lexer)
{
	struct cc_unit *u = lexer->unit;
	size_t cap = lexer->capacity ? lexer->capacity * 2 : 4096;
	struct cc_token *tokens = realloc(u->tokens, cap * sizeof(*tokens));

	if (!tokens) {
		lexer->failed = true;
		return false;
	}
	u->tokens = tokens;
	lexer->capacity = cap;
	return true;
}

void cc_lexer_word(struct cc_lexer *lexer, enum cc_token_kind kind, const char *text,
		   size_t length)
{
	struct cc_token *t = cc_lexer_token(lexer, kind, length);

	if (!t)
		return;
	t->text = cc_intern(lexer->unit, text);
	if (!t->text) {
		lexer->failed = true;
		return;
	}
	if (kind == TK_IDENT && (CC_WORD_FLAGS(t->text) & CC_WORD_KEYWORD))
		t->kind = TK_KEYWORD;
}

static const char *const digraphs[][2] = {
	{ "<:", "[" }, { ":>", "]" }, { "<%", "{" }, { "%>", "}" }, { "%:", "#" }, { "%:%:", "##" },
};

const char *cc_digraph_meaning(const char *text)
{
	for (size_t i = 0; i < sizeof(digraphs) / sizeof(digraphs[0]); i++)
		if (!strcmp(text, digraphs[i][0]))
			return digraphs[i][1];
	return NULL;
}

void cc_lexer_digraph(struct cc_lexer *lexer, const char *text, size_t length)
{
	cc_lexer_word(lexer, TK_PUNCT, cc_digraph_meaning(text), length);
}

/* `#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to =
 * record)` ... `pop`: records defined in between are preserve_access_index ones. */
static void attribute_pragma(struct cc_lexer *lexer, const char *text)
{
	if (strstr(text, "push")) {
		lexer->attribute_stack = lexer->attribute_stack << 1 |
					 (strstr(text, "preserve_access_index") != NULL);
		lexer->attribute_depth++;
	} else if (strstr(text, "pop") && lexer->attribute_depth) {
		lexer->attribute_stack >>= 1;
		lexer->attribute_depth--;
	}
}

/* `#pragma pack(N)`, `pack()`, `pack(push[, N])`, `pack(pop[, N])`: the largest
 * member alignment of records defined from here on (sema_record_begin reads it from
 * their '{'); N is 1, 2, 4, 8 or 16, `pack()` restores the default. */
static void pack_pragma(struct cc_lexer *lexer, const char *args)
{
	const char *n = args + strcspn(args, "0123456789)");
	int value = *n && *n != ')' ? atoi(n) : 0;

	if (strstr(args, "push")) {
		if (lexer->pack_depth < sizeof(lexer->pack_stack))
			lexer->pack_stack[lexer->pack_depth] = lexer->pack;
		lexer->pack_depth++;
	} else if (strstr(args, "pop")) {
		if (lexer->pack_depth && --lexer->pack_depth < sizeof(lexer->pack_stack))
			lexer->pack = lexer->pack_stack[lexer->pack_depth];
		if (!*n || *n == ')')
			return;
	} else if (strstr(args, "show")) {
		return;
	}
	if (value == 0 || value == 1 || value == 2 || value == 4 || value == 8 || value == 16)
		lexer->pack = (uint8_t)value;
}

void cc_lexer_pragma(struct cc_lexer *lexer, const char *text)
{
	int hint = cc_unroll_hint(text); /* unroll.c: kind and count of an unroll pragma */
	const char *p = strstr(text, "pragma");

	p = p ? p + 6 : text;
	p += strspn(p, " \t");
	if (hint >= 0)
		lexer->pending_unroll = (uint16_t)hint;
	else if (strstr(text, "attribute"))
		attribute_pragma(lexer, text);
	else if (!strncmp(p, "pack", 4) && strchr(p, '('))
		pack_pragma(lexer, strchr(p, '('));
}

/* `# 12 "file.c" 1 3` or `#line 12 "file.c"`: the next line is line 12 of file.c. */
void cc_lexer_line_marker(struct cc_lexer *lexer, const char *text)
{
	const char *p = strchr(text, '#') + 1;
	char *end;
	unsigned long line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, "line", 4))
		p += 4;
	line = strtoul(p, &end, 10);
	p = strchr(end, '"');
	if (p) {
		const char *q = strchr(p + 1, '"');

		if (q) {
			char name[4096];
			size_t n = (size_t)(q - p - 1) < sizeof(name) - 1 ? (size_t)(q - p - 1)
									  : sizeof(name) - 1;

			memcpy(name, p + 1, n);
			name[n] = '\0';
			lexer->file = cc_intern(lexer->unit, name);
		}
	}
	lexer->line = (unsigned)line - 1; /* the newline that ends the marker adds one */
}

void cc_lexer_number(struct cc_lexer *lexer, const char *spelling, size_t length)
{
	struct cc_token *t = cc_lexer_token(lexer, TK_INT, length);
	const char *text, *p;
	int base = 10;
	uint64_t value = 0;
	bool overflow = false;

	if (!t)
		return;
	t->text = text = p = cc_strdup(lexer->unit->arena, spelling, length);
	if (!text) {
		lexer->failed = true;
		return;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (;; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		if (value > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = true;
		value = value * (uint64_t)base + (uint64_t)d;
	}
	for (; *p; p++) {
		if (*p == 'u' || *p == 'U')
			t->is_unsigned = true;
		else if (*p == 'l' || *p == 'L')
			t->long_rank++;
		else
			break;
	}
	if (*p || t->long_rank > 2) {
		bool is_float = strchr(text, '.') || (base != 16 && (strchr(text, 'e') ||
								  strchr(text, 'E')));
		cc_error(lexer->unit, t->loc, is_float ? "floating-point constant '%s' is not "
			 "supported: BPF has no floating point" : "invalid integer constant '%s'",
			 t->text);
	}
	if (overflow)
		cc_error(lexer->unit, t->loc, "integer constant '%s' is too large", t->text);
	t->value = value;
}

/* Decode one escape at *p (after the backslash); advances *p. A hex or octal value
 * that does not fit a char sets *out_of_range (with its kind) as clang reports it. */
static int escape(const char **p, const char **out_of_range)
{
	int c = *(*p)++;
	int v = 0, n = 0;

	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'e': return 27;
	case 'x':
		while (**p && strchr("0123456789abcdefABCDEF", **p)) {
			int d = **p <= '9' ? **p - '0' : (**p | 0x20) - 'a' + 10;

			v = v * 16 + d;
			if (v > 0xff) {
				*out_of_range = "hex";
				v &= 0xff; /* keeps v small; the compile fails anyway */
			}
			(*p)++;
		}
		return v;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			while (++n < 3 && **p >= '0' && **p <= '7')
				v = v * 8 + *(*p)++ - '0';
			if (v > 0xff)
				*out_of_range = "octal";
			return v & 0xff;
		}
		return c;
	}
}

/* The escape at *p (its backslash) in token t's text, decoded; an out-of-range one is
 * an error at its column (tokens on one line) as clang gives it. */
static int decode_escape(struct cc_lexer *lexer, const struct cc_token *t, const char **p)
{
	const char *start = *p, *out_of_range = NULL;
	int value;

	(*p)++;
	value = escape(p, &out_of_range);
	if (out_of_range) {
		struct cc_loc loc = t->loc;

		if (!memchr(t->text, '\n', (size_t)(start - t->text)))
			loc.column += (unsigned)(start - t->text);
		cc_error(lexer->unit, loc, "%s escape sequence out of range", out_of_range);
	}
	return value;
}

void cc_lexer_char(struct cc_lexer *lexer, const char *spelling, size_t length)
{
	struct cc_token *t = cc_lexer_token(lexer, TK_INT, length);
	const char *p;
	int c;

	if (!t)
		return;
	t->text = cc_strdup(lexer->unit->arena, spelling, length);
	if (!t->text) {
		lexer->failed = true;
		return;
	}
	p = strchr(t->text, '\'') + 1;
	t->is_char = true;
	c = *p == '\\' ? decode_escape(lexer, t, &p) : (unsigned char)*p;
	t->value = (uint64_t)(int64_t)(signed char)c; /* char is signed on BPF */
}

void cc_lexer_string(struct cc_lexer *lexer, const char *spelling, size_t length)
{
	struct cc_token *t = cc_lexer_token(lexer, TK_STRING, length);
	const char *p;
	char *out;
	size_t n = 0;

	if (!t)
		return;
	t->text = cc_strdup(lexer->unit->arena, spelling, length);
	out = cc_alloc(lexer->unit->arena, length + 1);
	if (!t->text || !out) {
		lexer->failed = true;
		return;
	}
	for (const char *q = t->text; *q; q++)
		if (*q == '\n')
			lexer->line++;
	p = strchr(t->text, '"') + 1;
	while (*p && !(*p == '"' && p[1] == '\0')) {
		if (*p == '\\' && p[1] == '\n') {
			p += 2;
			continue;
		}
		out[n++] = *p == '\\' ? (char)decode_escape(lexer, t, &p) : *p++;
	}
	out[n] = '\0';
	t->string = out;
	t->string_len = (uint32_t)n;
}
