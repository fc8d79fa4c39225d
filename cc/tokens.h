/* tokens.h - making the parser's tokens (struct cc_token), shared by the two ways they
 * are made: the flex lexer over pre-processed text (lexer.l) and the integrated
 * preprocessor's tokens handed over directly (handoff.c). Never installed. */
#ifndef CC_TOKENS_H
#define CC_TOKENS_H

#include <string.h>

#include "cc_int.h"

/* Where tokens are being made: the position the next token starts at, as the
 * pre-processed text gives it (after `# N "file"` markers), and pragma state. */
struct cc_lexer {
	struct cc_unit *unit;
	const char *file;          /* interned */
	unsigned line;
	unsigned column;           /* column just past the token being made */
	uint16_t pending_unroll;   /* the unroll pragma waiting for the next token (0: none) */
	uint64_t attribute_stack;  /* #pragma clang attribute push: bit set = preserve_access_index */
	unsigned attribute_depth;
	uint8_t pack;              /* #pragma pack(N) in force: N, 0 for none */
	uint8_t pack_stack[16];    /* #pragma pack(push): the values to pop back to */
	unsigned pack_depth;
	size_t capacity;           /* of unit->tokens */
	bool failed;               /* out of memory */
};

/* Start the token array with room for `capacity` tokens (growing later copies it all)
 * and mark the keywords in the intern table. Returns 0 or -ENOMEM. */
int cc_lexer_init(struct cc_lexer *lexer, struct cc_unit *unit, size_t capacity);
/* Append the TK_EOF token. Returns 0 or -ENOMEM (also for any earlier failure). */
int cc_lexer_finish(struct cc_lexer *lexer);

/* Room for one more token; false (lexer->failed) when there is no memory. */
bool cc_lexer_grow(struct cc_lexer *lexer);

/* A new token of `length` characters ending at lexer->column; NULL on failure. */
static inline struct cc_token *cc_lexer_token(struct cc_lexer *lexer, enum cc_token_kind kind,
					      size_t length)
{
	struct cc_unit *u = lexer->unit;
	struct cc_token *t;

	if (u->token_count + 1 >= lexer->capacity && !cc_lexer_grow(lexer))
		return NULL;
	t = &u->tokens[u->token_count++];
	memset(t, 0, sizeof(*t));
	t->kind = (uint8_t)kind;
	t->loc.file = lexer->file;
	t->loc.line = lexer->line;
	t->loc.column = lexer->column - (unsigned)length;
	t->pragma_unroll = lexer->pending_unroll;
	lexer->pending_unroll = 0;
	t->preserve_access = lexer->attribute_depth && (lexer->attribute_stack & 1);
	t->pack = lexer->pack;
	return t;
}

/* An identifier or keyword whose spelling is interned already. */
static inline void cc_lexer_interned(struct cc_lexer *lexer, const char *word, size_t length)
{
	struct cc_token *t = cc_lexer_token(lexer, TK_IDENT, length);

	if (!t)
		return;
	t->text = word;
	if (CC_WORD_FLAGS(word) & CC_WORD_KEYWORD)
		t->kind = TK_KEYWORD;
}
/* The punctuator a digraph (`<:` `:>` `<%` `%>` `%:` `%:%:`, NUL-terminated) spells,
 * or NULL if `text` is none. */
const char *cc_digraph_meaning(const char *text);
/* A digraph: the token of the punctuator it spells. */
void cc_lexer_digraph(struct cc_lexer *lexer, const char *text, size_t length);
/* An identifier, keyword or punctuator: `text` (NUL-terminated) is interned. */
void cc_lexer_word(struct cc_lexer *lexer, enum cc_token_kind kind, const char *text,
		   size_t length);
/* Literals as spelled (need not be NUL-terminated): the value is decoded and
 * errors (floating point, overflow) are reported at the token. */
void cc_lexer_number(struct cc_lexer *lexer, const char *text, size_t length);
void cc_lexer_char(struct cc_lexer *lexer, const char *text, size_t length);
void cc_lexer_string(struct cc_lexer *lexer, const char *text, size_t length);
/* A `# 12 "file.c" 1 3` or `#line 12 "file.c"` line (NUL-terminated). */
void cc_lexer_line_marker(struct cc_lexer *lexer, const char *text);
/* A `#pragma ...` line (NUL-terminated): unroll, clang attribute push/pop. */
void cc_lexer_pragma(struct cc_lexer *lexer, const char *text);

/* lexer.l: lex `length` bytes of text with the flex rules, continuing `lexer`'s
 * position; `at_line_start`: the text starts a line (`#` lines are directives). */
void cc_lexer_scan(struct cc_lexer *lexer, const char *text, size_t length,
		   bool at_line_start);

#endif /* CC_TOKENS_H */
