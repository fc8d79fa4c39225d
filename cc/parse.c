/* parse.c - feeds the bison grammar (grammar.y) from the lexer's token array: keywords
 * and punctuators to grammar symbols, identifiers to typedef names from the current
 * scope (the lexer feedback C needs), GNU attribute names and their opaque arguments
 * (`__extension__`, which changes nothing for BPF code, is dropped here);
 * and cc_parse, the parser's entry point. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "sema_int.h"
#include "grammar.h"

/* Keywords among declaration specifiers, with their meaning there. */
static const struct {
	const char *spelling;
	int symbol;
	enum cc_spec_word word;
} specifier_table[] = {
	{ "typedef", STORAGE, WORD_TYPEDEF }, { "static", STORAGE, WORD_STATIC },
	{ "extern", STORAGE, WORD_EXTERN }, { "register", STORAGE, WORD_OTHER_STORAGE },
	{ "auto", STORAGE, WORD_OTHER_STORAGE }, { "_Thread_local", STORAGE, WORD_OTHER_STORAGE },
	{ "__thread", STORAGE, WORD_OTHER_STORAGE },
	{ "const", QUALIFIER, WORD_CONST }, { "__const", QUALIFIER, WORD_CONST },
	{ "__const__", QUALIFIER, WORD_CONST }, { "volatile", QUALIFIER, WORD_VOLATILE },
	{ "__volatile__", QUALIFIER, WORD_VOLATILE }, { "__volatile", QUALIFIER, WORD_VOLATILE },
	{ "restrict", QUALIFIER, WORD_IGNORED }, { "__restrict", QUALIFIER, WORD_IGNORED },
	{ "__restrict__", QUALIFIER, WORD_IGNORED }, { "_Atomic", QUALIFIER, WORD_IGNORED },
	{ "inline", FUNCTION_SPECIFIER, WORD_INLINE }, { "__inline", FUNCTION_SPECIFIER, WORD_INLINE },
	{ "__inline__", FUNCTION_SPECIFIER, WORD_INLINE },
	{ "_Noreturn", FUNCTION_SPECIFIER, WORD_IGNORED },
	{ "void", TYPE_WORD, WORD_VOID }, { "_Bool", TYPE_WORD, WORD_BOOL },
	{ "char", TYPE_WORD, WORD_CHAR }, { "short", TYPE_WORD, WORD_SHORT },
	{ "int", TYPE_WORD, WORD_INT }, { "long", TYPE_WORD, WORD_LONG },
	{ "signed", TYPE_WORD, WORD_SIGNED }, { "__signed__", TYPE_WORD, WORD_SIGNED },
	{ "__signed", TYPE_WORD, WORD_SIGNED }, { "unsigned", TYPE_WORD, WORD_UNSIGNED },
	{ "__int128", TYPE_WORD, WORD_INT128 }, { "float", TYPE_WORD, WORD_FLOAT },
	{ "double", TYPE_WORD, WORD_DOUBLE }, { "_Complex", TYPE_WORD, WORD_DOUBLE },
};

/* The other keywords, multi-character punctuators and builtins with a grammar. */
static const struct {
	const char *spelling;
	int symbol;
} symbol_table[] = {
	{ "struct", STRUCT_OR_UNION }, { "union", STRUCT_OR_UNION }, { "enum", ENUM },
	{ "typeof", TYPEOF }, { "__typeof__", TYPEOF }, { "__typeof", TYPEOF },
	{ "__builtin_va_list", VA_LIST }, { "__auto_type", AUTO_TYPE },
	{ "_Alignas", ALIGNAS },
	{ "__attribute__", ATTRIBUTE }, { "__attribute", ATTRIBUTE },
	{ "asm", ASM }, { "__asm__", ASM }, { "__asm", ASM },
	{ "sizeof", SIZEOF }, { "_Alignof", ALIGNOF }, { "__alignof__", ALIGNOF },
	{ "__alignof", ALIGNOF }, { "_Static_assert", STATIC_ASSERT },
	{ "static_assert", STATIC_ASSERT },
	{ "if", IF }, { "else", ELSE }, { "while", WHILE }, { "do", DO }, { "for", FOR },
	{ "switch", SWITCH }, { "case", CASE }, { "default", DEFAULT }, { "break", BREAK },
	{ "continue", CONTINUE }, { "goto", GOTO }, { "return", RETURN },
	{ "...", ELLIPSIS }, { "->", ARROW }, { "++", INC }, { "--", DEC }, { "||", OROR },
	{ "&&", ANDAND }, { "==", EQ }, { "!=", NE }, { "<=", LE }, { ">=", GE },
	{ "<<", SHL }, { ">>", SHR }, { "*=", ASSIGN_OP }, { "/=", ASSIGN_OP },
	{ "%=", ASSIGN_OP }, { "+=", ASSIGN_OP }, { "-=", ASSIGN_OP }, { "&=", ASSIGN_OP },
	{ "^=", ASSIGN_OP }, { "|=", ASSIGN_OP }, { "<<=", ASSIGN_OP }, { ">>=", ASSIGN_OP },
	{ "##", '#' },
	/* builtins with a grammar of their own (CC_WORD_BUILTIN) */
	{ "__builtin_offsetof", BUILTIN_OFFSETOF },
	{ "__builtin_types_compatible_p", BUILTIN_TYPES_COMPATIBLE },
	{ "__builtin_preserve_access_index", BUILTIN_PRESERVE_ACCESS },
	{ "__builtin_preserve_field_info", BUILTIN_CORE },
	{ "__builtin_preserve_type_info", BUILTIN_CORE },
	{ "__builtin_preserve_enum_value", BUILTIN_CORE },
	{ "__builtin_btf_type_id", BUILTIN_CORE },
};

enum { SYMBOL_SLOTS = 512 }; /* power of two, over twice the table */

static size_t slot_of(const char *spelling)
{
	return ((uintptr_t)spelling >> 3) * 0x9e3779b97f4a7c15ull >> 55 & (SYMBOL_SLOTS - 1);
}

static int symbol_add(struct parser *p, const char *spelling, int symbol, int word)
{
	const char *w = cc_intern(p->unit, spelling);
	size_t s;

	if (!w)
		return -ENOMEM;
	if (!strncmp(w, "__builtin_", 10))
		((unsigned char *)w)[-1] |= CC_WORD_BUILTIN;
	for (s = slot_of(w); p->spellings[s]; s = (s + 1) & (SYMBOL_SLOTS - 1))
		;
	p->spellings[s] = w;
	p->symbols[s] = (uint16_t)symbol;
	p->words[s] = (uint8_t)word;
	return 0;
}

static int symbols_init(struct parser *p)
{
	struct cc_unit *u = p->unit;

	p->symbols = cc_alloc(u->arena, SYMBOL_SLOTS * sizeof(*p->symbols));
	p->words = cc_alloc(u->arena, SYMBOL_SLOTS * sizeof(*p->words));
	p->spellings = cc_alloc(u->arena, SYMBOL_SLOTS * sizeof(*p->spellings));
	if (!p->symbols || !p->spellings || !p->words)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(specifier_table) / sizeof(specifier_table[0]); i++)
		if (symbol_add(p, specifier_table[i].spelling, specifier_table[i].symbol,
			       specifier_table[i].word))
			return -ENOMEM;
	for (size_t i = 0; i < sizeof(symbol_table) / sizeof(symbol_table[0]); i++)
		if (symbol_add(p, symbol_table[i].spelling, symbol_table[i].symbol, WORD_NONE))
			return -ENOMEM;
	return 0;
}

/* The symbol of an interned keyword or punctuator spelling ('#' if unknown); a
 * keyword's meaning among specifiers goes to t->word. */
static int symbol_of(struct parser *p, struct cc_token *t)
{
	for (size_t s = slot_of(t->text); p->spellings[s]; s = (s + 1) & (SYMBOL_SLOTS - 1))
		if (p->spellings[s] == t->text) {
			t->word = p->words[s];
			return p->symbols[s];
		}
	return '#';
}

/* An identifier: a typedef name (its type kept in the token) if the innermost
 * declaration of the name in scope is a typedef. */
static int identifier_symbol(struct parser *p, struct cc_token *t)
{
	const char *w = t->text;
	unsigned flags = CC_WORD_FLAGS(w);

	if (flags & CC_WORD_TYPEDEF) {
		struct scope_entry *e = scope_find(p->unit, w, false);

		if (e && e->kind == SCOPE_TYPEDEF) {
			t->typedef_type = e->type;
			return TYPEDEF_NAME;
		}
	}
	if (flags & CC_WORD_BUILTIN)
		return symbol_of(p, t);
	if (w[0] == '_' && w[1] == '_' && (!strncmp(w, "__builtin_", 10) ||
					   !strncmp(w, "__sync_", 7)))
		return BUILTIN;
	return IDENT;
}

/* Inside __attribute__((...)) (attribute_depth 1 after the keyword, 3 inside both
 * parentheses): names are attribute names; the arguments of those
 * other than aligned(N) and section("s") are skipped as one opaque token. */
static int attribute_symbol(struct parser *p, struct cc_token *t, int symbol)
{
	struct cc_token *next = &p->unit->tokens[p->unit->pos];
	const char *w = t->text;

	if (symbol == '(') {
		p->attribute_depth++;
	} else if (symbol == ')') {
		if (--p->attribute_depth == 1)
			p->attribute_depth = 0; /* the attribute list is closed */
	} else if (p->attribute_depth == 1) {
		p->attribute_depth = 0; /* no list after __attribute__ */
	}
	if (p->attribute_depth != 3 || (t->kind != TK_IDENT && t->kind != TK_KEYWORD))
		return symbol;
	if (!strcmp(w, "aligned") || !strcmp(w, "__aligned__"))
		return ATTRIBUTE_ALIGNED;
	if (!strcmp(w, "section") || !strcmp(w, "__section__"))
		return ATTRIBUTE_SECTION;
	p->attribute_args = next->kind == TK_PUNCT && next->text[0] == '(' && !next->text[1];
	return ATTRIBUTE_NAME;
}

/* An attribute's arguments, from '(' to its matching ')'. */
static int skip_attribute_arguments(struct parser *p, struct cc_token **loc)
{
	struct cc_unit *u = p->unit;
	int depth = 0;

	p->attribute_args = false;
	p->last = &u->tokens[u->pos];
	*loc = p->last;
	do {
		struct cc_token *t = &u->tokens[u->pos];

		if (t->kind == TK_EOF)
			break;
		if (t->kind == TK_PUNCT && !t->text[1])
			depth += t->text[0] == '(' ? 1 : t->text[0] == ')' ? -1 : 0;
		u->pos++;
	} while (depth > 0);
	return ATTRIBUTE_ARGUMENTS;
}

static int token_symbol(struct parser *p, struct cc_token *t)
{
	switch (t->kind) {
	case TK_IDENT:
		return identifier_symbol(p, t);
	case TK_INT:
		return INT_CONST;
	case TK_STRING:
		return STRING;
	case TK_PUNCT:
		return t->text[1] ? symbol_of(p, t) : (unsigned char)t->text[0];
	case TK_KEYWORD:
		return symbol_of(p, t);
	default:
		return CC_PARSER_EOF;
	}
}

/* Brackets nest at most this deep: later passes recurse over the tree. */
enum { MAX_NESTING = 256 };

static bool too_deep(struct parser *p, int symbol, struct cc_token *t)
{
	if (symbol == '(' || symbol == '[' || symbol == '{')
		p->nesting++;
	else if (symbol == ')' || symbol == ']' || symbol == '}')
		p->nesting--;
	if (p->nesting <= MAX_NESTING)
		return false;
	cc_error(p->unit, t->loc, "expression or statement nested too deeply");
	p->max_errors = 0;
	return true;
}

/* `label: }` (C23, and what the old parser took): ': }' is nowhere else valid C, so
 * the label gets a null statement, as if `;` were written before the brace. */
static bool label_at_block_end(struct parser *p, struct cc_token *t)
{
	struct cc_token *last = p->last;

	if (t->kind != TK_PUNCT || t->text[0] != '}' || t->text[1] || !last ||
	    last->kind != TK_PUNCT || last->text[0] != ':' || last->text[1])
		return false;
	p->last = t; /* once: the brace comes next */
	return true;
}

/* Any token: attribute mode, brackets, keywords, typedef names, the error limit. */
static int lex_any(CC_PARSER_STYPE *value, struct cc_token **loc, struct parser *p)
{
	struct cc_unit *u = p->unit;
	struct cc_token *t;
	int symbol;

	if ((unsigned)u->errors >= p->max_errors)
		return CC_PARSER_EOF;
	if (p->attribute_args)
		return skip_attribute_arguments(p, loc);
	t = &u->tokens[u->pos];
	while (t->kind == TK_KEYWORD && t->text == p->extension)
		t = &u->tokens[++u->pos];
	if (label_at_block_end(p, t)) {
		value->token = t;
		*loc = t;
		return ';';
	}
	if (t->kind != TK_EOF)
		u->pos++;
	p->last = t;
	value->token = t;
	*loc = t;
	symbol = token_symbol(p, t);
	if (symbol == ATTRIBUTE)
		p->attribute_depth = 1;
	else if (p->attribute_depth > 0)
		symbol = attribute_symbol(p, t, symbol);
	if (too_deep(p, symbol, t))
		return CC_PARSER_EOF;
	return symbol;
}

/* The common tokens take a short path: numbers, identifiers that never named a type
 * or a builtin, one-character punctuators other than brackets, outside attributes. */
int cc_parser_lex(CC_PARSER_STYPE *value, struct cc_token **loc, struct parser *p)
{
	struct cc_token *t = &p->unit->tokens[p->unit->pos];
	const char *w = t->text;
	int symbol;

	if (p->attribute_depth || p->attribute_args)
		return lex_any(value, loc, p);
	if (t->kind == TK_IDENT && !(CC_WORD_FLAGS(w) & (CC_WORD_TYPEDEF | CC_WORD_BUILTIN)) &&
	    !(w[0] == '_' && w[1] == '_'))
		symbol = IDENT;
	else if (t->kind == TK_PUNCT && !w[1] && w[0] != '(' && w[0] != ')' && w[0] != '[' &&
		 w[0] != ']' && w[0] != '{' && w[0] != '}')
		symbol = (unsigned char)w[0];
	else if (t->kind == TK_INT)
		symbol = INT_CONST;
	else
		return lex_any(value, loc, p);
	p->unit->pos++;
	p->last = t;
	value->token = t;
	*loc = t;
	return symbol;
}

int cc_parse(struct cc_unit *u)
{
	struct parser p = { .unit = u };
	int err;

	p.max_errors = u->opts && u->opts->max_errors ? u->opts->max_errors : 20;
	err = symbols_init(&p);
	p.extension = cc_intern(u, "__extension__");
	if (err)
		return err;
	scope_push(u);
	err = cc_parser_parse(&p);
	if (err == 2)
		return -ENOMEM;
	return u->errors || err ? -EINVAL : 0;
}
