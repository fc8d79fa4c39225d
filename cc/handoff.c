/* handoff.c - the integrated preprocessor's tokens handed straight to the parser:
 * no text is printed and lexed again. Each token becomes the cc_token lexer.l would
 * make of the printed text (`ebpf-cc -E`), at the same file, line and column; a token
 * flex would split or refuse is lexed by flex itself, and so is a printed line that
 * starts with `#` (a macro's `#` first on its line: flex reads a directive there). */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "tokens.h"
#include "cpp_int.h"
#include "driver_int.h"

/* Punctuators the flex lexer knows: one character, and longer ones. */
static const bool single_punct[128] = {
	['-'] = 1, ['['] = 1, [']'] = 1, ['('] = 1, [')'] = 1, ['{'] = 1, ['}'] = 1,
	['.'] = 1, ['&'] = 1, ['*'] = 1, ['+'] = 1, ['~'] = 1, ['!'] = 1, ['/'] = 1,
	['%'] = 1, ['<'] = 1, ['>'] = 1, ['^'] = 1, ['|'] = 1, ['?'] = 1, [':'] = 1,
	[';'] = 1, ['='] = 1, [','] = 1, ['#'] = 1,
};
static const char *const multi_punct[] = {
	"->", "==", "&&", "||", "!=", "<=", ">=", "++", "+=", "<<", ">>", "--", "-=", "|=",
	"&=", "...", "*=", "/=", "%=", "^=", "<<=", ">>=", "##",
	"<:", ":>", "<%", "%>", "%:", /* digraphs: the token of what they spell */
};
enum { MULTI_PUNCT = sizeof(multi_punct) / sizeof(multi_punct[0]), MULTI_SLOTS = 64 };
enum { MARKER_CACHE = 8 }; /* headers are entered and left: a few names repeat */

/* A two- or three-character spelling as one number (0 for any other length). */
static uint32_t punct_key(const char *text, uint32_t length)
{
	if (length == 2)
		return 2u << 24 | (uint32_t)(unsigned char)text[0] << 8 | (unsigned char)text[1];
	if (length == 3)
		return 3u << 24 | (uint32_t)(unsigned char)text[0] << 16 |
		       (uint32_t)(unsigned char)text[1] << 8 | (unsigned char)text[2];
	return 0;
}

static unsigned punct_slot(uint32_t key)
{
	return (key * 0x9e3779b1u) >> 26; /* 64 slots */
}

/* What cc_driver_compile_cpp hands to its lexing step. */
struct preprocess_run {
	const struct cpp_options *options;
	struct cpp_result *result;
};

struct handoff {
	struct cc_lexer lexer;
	const char *single[128];              /* interned one-character punctuators */
	const char *multi[MULTI_PUNCT];       /* interned multi_punct[] */
	uint32_t multi_keys[MULTI_SLOTS];     /* punct_key() of multi_punct[] by slot */
	uint8_t multi_index[MULTI_SLOTS];     /* ... and its index there */
	bool line_open;                       /* a token was printed on the current line */
	unsigned line;                        /* ... and its number */
	int line_delta;                       /* added to line numbers: a `#` line read as
					       * a line marker renumbered the lines */
	char *hash_line;                      /* a printed line starting with `#`, being
					       * collected (NULL: none) */
	size_t hash_length, hash_capacity;
	unsigned hash_line_number;
	struct {                              /* file names of recent line markers */
		const char *quoted;           /* between the quotes, as printed */
		size_t length;
		const char *file;             /* the lexer's interned name for it */
	} markers[MARKER_CACHE];
	unsigned next_marker;                 /* round robin */
};

/* Stands for "not one flex identifier" in cpp_ident.client. */
static const char not_a_word;

/* Characters of flex's identifiers ([A-Za-z0-9_$]); digits and '$' also marked. */
enum { WORD = 1, DIGIT = 2, DOLLAR = 4 };
static const uint8_t char_class[256] = {
	['0'] = WORD | DIGIT, ['1'] = WORD | DIGIT, ['2'] = WORD | DIGIT, ['3'] = WORD | DIGIT,
	['4'] = WORD | DIGIT, ['5'] = WORD | DIGIT, ['6'] = WORD | DIGIT, ['7'] = WORD | DIGIT,
	['8'] = WORD | DIGIT, ['9'] = WORD | DIGIT, ['_'] = WORD, ['$'] = WORD | DOLLAR,
	['a'] = WORD, ['b'] = WORD, ['c'] = WORD, ['d'] = WORD, ['e'] = WORD, ['f'] = WORD,
	['g'] = WORD, ['h'] = WORD, ['i'] = WORD, ['j'] = WORD, ['k'] = WORD, ['l'] = WORD,
	['m'] = WORD, ['n'] = WORD, ['o'] = WORD, ['p'] = WORD, ['q'] = WORD, ['r'] = WORD,
	['s'] = WORD, ['t'] = WORD, ['u'] = WORD, ['v'] = WORD, ['w'] = WORD, ['x'] = WORD,
	['y'] = WORD, ['z'] = WORD,
	['A'] = WORD, ['B'] = WORD, ['C'] = WORD, ['D'] = WORD, ['E'] = WORD, ['F'] = WORD,
	['G'] = WORD, ['H'] = WORD, ['I'] = WORD, ['J'] = WORD, ['K'] = WORD, ['L'] = WORD,
	['M'] = WORD, ['N'] = WORD, ['O'] = WORD, ['P'] = WORD, ['Q'] = WORD, ['R'] = WORD,
	['S'] = WORD, ['T'] = WORD, ['U'] = WORD, ['V'] = WORD, ['W'] = WORD, ['X'] = WORD,
	['Y'] = WORD, ['Z'] = WORD,
};

static bool is_word_char(char c)
{
	return char_class[(unsigned char)c] & WORD;
}

/* The interned spelling of an identifier, or &not_a_word when flex would not lex
 * it as one identifier; kept in the preprocessor's identifier. */
static const char *word_of(struct handoff *h, const struct cpp_token *t)
{
	struct cpp_ident *id = t->ident;
	const char *word;

	if (id && id->client)
		return id->client;
	word = &not_a_word;
	if (id && !(char_class[(unsigned char)id->name[0]] & DIGIT)) {
		uint32_t i = 0;

		while (i < id->length && is_word_char(id->name[i]))
			i++;
		if (i == id->length && i) {
			word = cc_intern_hashed(h->lexer.unit, id->name, id->length, id->hash);
			if (!word) {
				h->lexer.failed = true;
				return &not_a_word;
			}
		}
	}
	if (id)
		id->client = word;
	return word;
}

static void punct_init(struct handoff *h)
{
	for (unsigned i = 0; i < MULTI_PUNCT; i++) {
		uint32_t key = punct_key(multi_punct[i], (uint32_t)strlen(multi_punct[i]));
		unsigned s = punct_slot(key);

		while (h->multi_keys[s])
			s = (s + 1) % MULTI_SLOTS;
		h->multi_keys[s] = key;
		h->multi_index[s] = (uint8_t)i;
	}
}

/* The interned spelling of a punctuator flex lexes as one token, else NULL. */
static const char *punct_of(struct handoff *h, const struct cpp_token *t)
{
	const char **slot = NULL, *spelling;
	unsigned char c = (unsigned char)t->text[0];
	char one[2] = { (char)c, 0 };

	if (t->length == 1) {
		if (c >= 128 || !single_punct[c])
			return NULL;
		slot = &h->single[c];
		if (*slot)
			return *slot;
		spelling = one;
	} else {
		uint32_t key = punct_key(t->text, t->length);
		unsigned s = punct_slot(key);

		while (h->multi_keys[s] && h->multi_keys[s] != key)
			s = (s + 1) % MULTI_SLOTS;
		if (!key || !h->multi_keys[s])
			return NULL;
		slot = &h->multi[h->multi_index[s]];
		if (*slot)
			return *slot;
		spelling = multi_punct[h->multi_index[s]];
		if (cc_digraph_meaning(spelling))
			spelling = cc_digraph_meaning(spelling);
	}
	if (!(*slot = cc_intern(h->lexer.unit, spelling)))
		h->lexer.failed = true;
	return *slot;
}

/* [0-9][0-9A-Za-z_.]* or "."[0-9][0-9A-Za-z_.]*: flex's number rules. */
static bool flex_number(const char *text, uint32_t length)
{
	uint32_t i = text[0] == '.' ? 1 : 0;

	if (i >= length || !(char_class[(unsigned char)text[i]] & DIGIT))
		return false;
	for (; i < length; i++)
		if ((char_class[(unsigned char)text[i]] & (WORD | DOLLAR)) != WORD &&
		    text[i] != '.')
			return false;
	return true;
}

/* The body of a quoted literal from text[i] (after the opening quote) to the closing
 * `quote`, which must be the last character; escapes as flex's rules take them. */
static bool flex_quoted(const char *text, uint32_t i, uint32_t length, char quote,
			bool splice_ok)
{
	for (; i < length; i++) {
		if (text[i] == '\\') {
			if (i + 1 >= length || (text[i + 1] == '\n' && !splice_ok))
				return false;
			i++;
		} else if (text[i] == quote) {
			return i == length - 1;
		} else if (text[i] == '\n') {
			return false;
		}
	}
	return false;
}

/* [LuU]?'...' (flex's character constant rule). */
static bool flex_char(const char *text, uint32_t length)
{
	uint32_t i = text[0] == 'L' || text[0] == 'u' || text[0] == 'U' ? 1 : 0;

	return i < length && text[i] == '\'' && flex_quoted(text, i + 1, length, '\'', false);
}

/* (u8|[LuU])?"..." (flex's string literal rule). */
static bool flex_string(const char *text, uint32_t length)
{
	uint32_t i = length > 2 && text[0] == 'u' && text[1] == '8' ? 2 :
		     text[0] == 'L' || text[0] == 'u' || text[0] == 'U' ? 1 : 0;

	return i < length && text[i] == '"' && flex_quoted(text, i + 1, length, '"', true);
}

/* Append to the `#` line: spaces up to `column` (1-based), then the text. */
static void hash_line_add(struct handoff *h, unsigned column, const char *text, size_t length)
{
	size_t spaces = column - 1 > h->hash_length ? column - 1 - h->hash_length : 0;
	size_t need = h->hash_length + spaces + length + 1;

	if (need > h->hash_capacity) {
		size_t cap = need * 2;
		char *p = cc_alloc(h->lexer.unit->arena, cap);

		if (!p) {
			h->lexer.failed = true;
			return;
		}
		if (h->hash_length) /* the first line has nothing to keep (hash_line NULL) */
			memcpy(p, h->hash_line, h->hash_length);
		h->hash_line = p;
		h->hash_capacity = cap;
	}
	memset(h->hash_line + h->hash_length, ' ', spaces);
	memcpy(h->hash_line + h->hash_length + spaces, text, length);
	h->hash_length += spaces + length;
}

/* The `#` line is complete: lexed by flex as a line of the text. */
static void hash_line_end(struct handoff *h)
{
	struct cc_lexer *lexer = &h->lexer;
	unsigned line = h->hash_line_number + (unsigned)h->line_delta;

	lexer->line = line;
	lexer->column = 1;
	cc_lexer_scan(lexer, h->hash_line, h->hash_length, true);
	h->line_delta += (int)(lexer->line - line); /* a line marker renumbers */
	h->hash_length = 0;
	h->hash_line_number = 0;
	h->line_open = false;
}

/* A token printed first on its line whose text starts with '#', or one on the same
 * line after it: collected into the `#` line. */
static bool hash_line_token(struct handoff *h, const struct cpp_token *t, unsigned line,
			    unsigned column)
{
	if (h->hash_length) {
		if (line == h->hash_line_number) {
			hash_line_add(h, column, t->text, t->length);
			return true;
		}
		hash_line_end(h);
	}
	if (h->line_open && line == h->line)
		return false;
	h->line_open = true;
	h->line = line;
	if (t->text[0] != '#' || t->kind == CPP_STRING)
		return false;
	h->hash_line_number = line;
	hash_line_add(h, column, t->text, t->length);
	return true;
}

/* Literals: when flex lexes the spelling as one token, and what makes that token. */
static const struct {
	bool (*flex_lexes)(const char *text, uint32_t length);
	void (*make)(struct cc_lexer *lexer, const char *text, size_t length);
} literals[] = {
	[CPP_NUMBER] = { flex_number, cc_lexer_number },
	[CPP_CHAR] = { flex_char, cc_lexer_char },
	[CPP_STRING] = { flex_string, cc_lexer_string },
};

static void on_token(void *context, const struct cpp_token *t, unsigned line, unsigned column)
{
	struct handoff *h = context;
	struct cc_lexer *lexer = &h->lexer;
	const char *word;
	struct cc_token *token;

	if ((h->hash_length || !h->line_open || line != h->line) &&
	    hash_line_token(h, t, line, column))
		return;
	lexer->line = line + (unsigned)h->line_delta;
	lexer->column = column + t->length;
	switch (t->kind) {
	case CPP_IDENT:
		word = word_of(h, t);
		if (word == &not_a_word)
			break;
		cc_lexer_interned(lexer, word, t->length);
		return;
	case CPP_PUNCT:
		word = punct_of(h, t);
		if (!word)
			break;
		token = cc_lexer_token(lexer, TK_PUNCT, t->length);
		if (token)
			token->text = word;
		return;
	case CPP_NUMBER:
	case CPP_CHAR:
	case CPP_STRING:
		if (!literals[t->kind].flex_lexes(t->text, t->length))
			break;
		literals[t->kind].make(lexer, t->text, t->length);
		return;
	default:
		break;
	}
	lexer->column = column;
	cc_lexer_scan(lexer, t->text, t->length, false);
}

/* A line of its own ends the current one. */
static void line_ends(struct handoff *h)
{
	if (h->hash_length)
		hash_line_end(h);
	h->line_open = false;
}

/* Only the file name of a marker matters (tokens come with their lines): a name seen
 * in a recent marker is not looked up again. */
static void on_line_marker(void *context, const char *text)
{
	struct handoff *h = context;
	const char *open = strchr(text, '"'), *close = open ? strchr(open + 1, '"') : NULL;
	size_t length = close ? (size_t)(close - open - 1) : 0;
	unsigned i;

	line_ends(h);
	h->line_delta = 0;
	for (i = 0; close && i < MARKER_CACHE; i++)
		if (h->markers[i].quoted && h->markers[i].length == length &&
		    !memcmp(h->markers[i].quoted, open + 1, length)) {
			h->lexer.file = h->markers[i].file;
			return;
		}
	cc_lexer_line_marker(&h->lexer, text);
	if (!close || !h->lexer.file)
		return;
	i = h->next_marker++ % MARKER_CACHE;
	h->markers[i].quoted = cc_strdup(h->lexer.unit->arena, open + 1, length);
	h->markers[i].length = length;
	h->markers[i].file = h->lexer.file;
}

/* `#pragma ...` lines as lexer.l's pragma rule takes them; `#ident` ones are dropped. */
static void on_directive(void *context, const char *text)
{
	struct handoff *h = context;

	line_ends(h);
	if (!strncmp(text, "#pragma", 7))
		cc_lexer_pragma(&h->lexer, text);
}

static void on_end(void *context, unsigned line, unsigned column)
{
	struct handoff *h = context;

	line_ends(h);
	h->lexer.line = line + (unsigned)h->line_delta;
	h->lexer.column = column;
}

/* Tokens every compile has more of than this start the array at that size. */
enum { FIRST_CAPACITY = 1 << 14 };

static int preprocess(struct cc_unit *unit, void *context)
{
	struct preprocess_run *run = context;
	struct handoff h = { 0 };
	struct cpp_sink sink = { .context = &h, .token = on_token,
				 .line_marker = on_line_marker, .directive = on_directive,
				 .end = on_end };
	struct cpp_options options = *run->options;
	int err;

	err = cc_lexer_init(&h.lexer, unit, FIRST_CAPACITY);
	if (err)
		return err;
	punct_init(&h);
	options.sink = &sink;
	err = cpp_preprocess(&options, run->result);
	if (err)
		return err;
	if (run->result->errors)
		return -ECANCELED;
	return cc_lexer_finish(&h.lexer);
}

int cc_driver_compile_cpp(const struct cpp_options *cpp_options, struct cpp_result *result,
			  const char *file_name, const struct cc_options *opts,
			  struct objfmt_object **object, struct cc_diagnostics **diagnostics)
{
	struct preprocess_run run = { cpp_options, result };

	memset(result, 0, sizeof(*result));
	return cc_compile_with(preprocess, &run, file_name, opts, object, diagnostics);
}
