/* cpp_lex.c - preprocessing tokens from a file's text (line splices already removed):
 * identifiers, pp-numbers, character and string literals, punctuators, with the
 * whitespace and start-of-line flags and the physical line and column of each. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

/* Character classes by table: the lexer's hottest loops test one byte at a time.
 * Bytes of UTF-8 sequences may be part of identifiers, as in gcc. */
enum char_class {
	CLASS_IDENT_START = 1, /* letters, _, $, bytes >= 0x80 */
	CLASS_IDENT = 2,       /* those and digits */
	CLASS_BLANK = 4,       /* ' ', \t, \f, \v, \r: white space inside a line */
	CLASS_SKIP = 8,        /* blanks and '/': where white space or a comment may start */
	CLASS_PUNCT1 = 16,     /* a punctuator of one character whatever follows it */
};

static unsigned char char_class[256];

/* Fill the character classes (once per run; the table is only ever set the same way). */
void cpp_lex_init(void)
{
	for (int c = 0; c < 256; c++) {
		bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			      c == '$' || c >= 0x80;
		bool blank = c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';

		char_class[c] = (unsigned char)((letter ? CLASS_IDENT_START | CLASS_IDENT : 0) |
						((c >= '0' && c <= '9') ? CLASS_IDENT : 0) |
						(blank ? CLASS_BLANK | CLASS_SKIP : 0) |
						(c == '/' ? CLASS_SKIP : 0) |
						(c && strchr("()[]{};,~?", c) ? CLASS_PUNCT1 : 0));
	}
}

static inline bool is_ident_char(unsigned char c)
{
	return char_class[c] & CLASS_IDENT;
}

/* Length of the punctuator at p (longest match, digraphs included), 0 if there is none. */
static uint32_t punct_length(const char *p)
{
	switch (p[0]) {
	case '[': case ']': case '(': case ')': case '{': case '}': case '~': case '?':
	case ';': case ',':
		return 1;
	case ':':
		return p[1] == '>' ? 2 : 1;                         /* :> */
	case '.':
		return p[1] == '.' && p[2] == '.' ? 3 : 1;
	case '<':
		if (p[1] == '<')
			return p[2] == '=' ? 3 : 2;
		return p[1] == '=' || p[1] == ':' || p[1] == '%' ? 2 : 1; /* <: <% */
	case '>':
		if (p[1] == '>')
			return p[2] == '=' ? 3 : 2;
		return p[1] == '=' ? 2 : 1;
	case '-':
		return p[1] == '>' || p[1] == '-' || p[1] == '=' ? 2 : 1;
	case '+': case '&': case '|':
		return p[1] == p[0] || p[1] == '=' ? 2 : 1;
	case '#':
		return p[1] == '#' ? 2 : 1;
	case '%':
		if (p[1] == ':')                                    /* %: and %:%: */
			return p[2] == '%' && p[3] == ':' ? 4 : 2;
		return p[1] == '=' || p[1] == '>' ? 2 : 1;          /* %> */
	case '*': case '/': case '^': case '=': case '!':
		return p[1] == '=' ? 2 : 1;
	default:
		return 0;
	}
}

/* The end of the block comment whose text starts at p (after the slash-star), lines
 * counted; an unterminated one ends at the text's NUL. */
static __attribute__((noinline)) const char *skip_block_comment(struct cpp_source *src,
								 const char *p)
{
	const char *end = strchr(p, '/');

	/* a '/' is rare inside a comment: the first one after a '*' ends it (the
	 * opening star does not count); strstr costs more per comment */
	while (end && (end == p || end[-1] != '*'))
		end = strchr(end + 1, '/');
	end = end ? end + 1 : p + strlen(p);
	for (const char *q = memchr(p, '\n', (size_t)(end - p)); q;
	     q = memchr(q + 1, '\n', (size_t)(end - q - 1))) {
		src->line++;
		src->line_start = q + 1;
	}
	return end;
}

/* Skip blanks and comments; true if any was skipped. Stops at a newline. */
static bool skip_space(struct cpp_source *src)
{
	const char *p = src->pos, *start = p;

	for (;;) {
		while (char_class[(unsigned char)*p] & CLASS_BLANK)
			p++;
		if (p[0] != '/')
			break;
		if (p[1] == '*') {
			p = skip_block_comment(src, p + 2);
		} else if (p[1] == '/') {
			for (p += 2; *p && *p != '\n'; p++)
				;
		} else {
			break;
		}
	}
	src->pos = p;
	return p != start;
}

/* Count the splices before p; note where the next one is (past the end: none). */
static void pass_splices(struct cpp_source *src, const char *p)
{
	const struct cpp_file *f = src->file;

	while (src->next_splice < f->splice_count &&
	       f->text + f->splices[src->next_splice] <= p)
		src->next_splice++;
	if (src->next_splice)
		src->splice_start = f->text + f->splices[src->next_splice - 1];
	src->splice_at = src->next_splice < f->splice_count
				 ? (uintptr_t)(f->text + f->splices[src->next_splice])
				 : UINTPTR_MAX;
}

/* Line and column of `p`: the physical line (splices counted back in) as #line
 * renumbered it. */
static inline void position(struct cpp_source *src, const char *p, uint32_t *line,
			    uint16_t *column)
{
	const char *start = src->line_start;

	if ((uintptr_t)p >= src->splice_at)
		pass_splices(src, p);
	if (src->splice_start > start)
		start = src->splice_start;
	*line = src->line + src->next_splice + (uint32_t)src->line_delta;
	*column = p - start < 65535 ? (uint16_t)(p - start + 1) : 65535;
}

static const char *scan_quoted(const char *p, char quote)
{
	for (p++; *p && *p != '\n'; p++) {
		if (*p == '\\' && p[1] && p[1] != '\n')
			p++;
		else if (*p == quote)
			return p + 1;
	}
	return NULL;
}

/* A pp-number: digits, identifier characters, '.', and a sign after e, E, p or P. */
static const char *scan_number(const char *p)
{
	for (p++;; p++) {
		unsigned char c = (unsigned char)*p;

		if (is_ident_char(c) || c == '.')
			continue;
		if ((c == '+' || c == '-') &&
		    (p[-1] == 'e' || p[-1] == 'E' || p[-1] == 'p' || p[-1] == 'P'))
			continue;
		return p;
	}
}

/* cpp.c's identifier hash of name[0..length), reading whole words: lexed text is
 * followed by CPP_LEX_PADDING readable bytes, so the last word may be read whole and
 * masked instead of byte by byte. */
static inline uint32_t hash_padded(const char *name, size_t length)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h = length * k, w;

	for (; length >= 8; name += 8, length -= 8) {
		memcpy(&w, name, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, name, 8);
	w = length ? w & (~0ull >> (64 - 8 * length)) : 0;
#else
	w = 0;
	for (size_t i = 0; i < length; i++)
		w |= (uint64_t)(unsigned char)name[i] << (8 * i);
#endif
	h = (h ^ w) * k;
	return (uint32_t)(h ^ (h >> 32));
}

/* Do the names match? Both are followed by CPP_LEX_PADDING bytes (lexed text and
 * interned names alike), so the last word is read whole and masked. */
static inline bool same_name(const char *a, const char *b, size_t length)
{
	uint64_t x, y;

	for (; length >= 8; a += 8, b += 8, length -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	if (!length)
		return true;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return !((x ^ y) & (~0ull >> (64 - 8 * length)));
#else
	return !memcmp(a, b, length);
#endif
}

/* The interned identifier for lexed text: the table is probed here with the hash
 * computed from whole words; a new name is added with that hash. */
static struct cpp_ident *lex_intern(struct cpp *cpp, const char *name, size_t length)
{
	uint32_t h = hash_padded(name, length);

	for (uint32_t k = h & cpp->ident_mask; cpp->idents[k].ident; k = (k + 1) & cpp->ident_mask) {
		struct cpp_ident *id = cpp->idents[k].ident;

		if (cpp->idents[k].hash == h && id->length == length &&
		    same_name(id->name, name, length))
			return id;
	}
	return cpp_intern_new(cpp, name, length, h);
}

/* An identifier, or a literal with an L/u/U/u8 prefix, at p. Returns its end. */
static const char *lex_identifier(struct cpp *cpp, struct cpp_token *t, const char *p)
{
	const char *end;

	for (end = p + 1; is_ident_char((unsigned char)*end); end++)
		;
	if ((*end == '"' || *end == '\'') &&
	    ((end - p == 1 && (*p == 'L' || *p == 'u' || *p == 'U')) ||
	     (end - p == 2 && p[0] == 'u' && p[1] == '8'))) {
		const char *q = scan_quoted(end, *end);

		if (q) {
			t->kind = *end == '"' ? CPP_STRING : CPP_CHAR;
			return q;
		}
	}
	t->kind = CPP_IDENT;
	t->ident = lex_intern(cpp, p, (size_t)(end - p));
	return t->ident ? end : NULL;
}

/* A string or character literal at p; unterminated, it is the rest of the line as
 * one CPP_OTHER token (gcc's treatment) and a warning. Returns its end. */
static const char *lex_quoted(struct cpp *cpp, struct cpp_token *t, const char *p)
{
	const char *end = scan_quoted(p, *p);

	t->kind = *p == '"' ? CPP_STRING : CPP_CHAR;
	if (end)
		return end;
	cpp_error(cpp, t->file, t->line, t->column, "warning", "missing terminating %c character",
		  *p);
	for (end = p; *end && *end != '\n'; end++)
		;
	t->kind = CPP_OTHER;
	return end;
}

/* The end of the token at p that is not an identifier nor a line end, its kind set
 * in t (out of line: identifiers are most tokens and take the short path). */
static __attribute__((noinline)) const char *lex_other(struct cpp *cpp, struct cpp_token *t,
						       const char *p)
{
	unsigned char c = (unsigned char)*p;
	uint32_t n;

	if ((c >= '0' && c <= '9') || (c == '.' && p[1] >= '0' && p[1] <= '9')) {
		t->kind = CPP_NUMBER;
		return scan_number(p);
	}
	if (c == '"' || c == '\'')
		return lex_quoted(cpp, t, p);
	n = punct_length(p);
	t->kind = n ? CPP_PUNCT : CPP_OTHER;
	return p + (n ? n : 1);
}

/* Lex one token from src (any kind but PADDING and HEADER; a line end is a CPP_NEWLINE
 * token only in a directive). */
int cpp_lex_raw(struct cpp *cpp, struct cpp_source *src, struct cpp_token *t)
{
	uint8_t flags = src->at_bol ? CPP_F_BOL : 0;
	const char *p = src->pos, *end;

	for (;;) {
		if (char_class[(unsigned char)*p] & CLASS_SKIP) {
			const char *q = p;

			while (char_class[(unsigned char)*q] & CLASS_BLANK)
				q++;
			if (q[0] == '/' && (q[1] == '*' || q[1] == '/')) {
				src->pos = q;
				skip_space(src);
				q = src->pos;
			}
			if (q != p)
				flags |= CPP_F_WHITE;
			p = q;
		}
		if (*p != '\n' || cpp->in_directive)
			break;
		/* outside a directive a line end only makes the next token the first of
		 * its line: no CPP_NEWLINE token for the callers to throw away */
		src->line++;
		src->line_start = ++p;
		flags = CPP_F_BOL;
	}
	t->flags = flags;
	t->param = 0;
	t->ident = NULL;
	t->length = 0;
	t->file = (uint16_t)src->file_index;
	t->text = p;
	position(src, p, &t->line, &t->column);
	if (char_class[(unsigned char)*p] & CLASS_IDENT_START) {
		src->at_bol = false;
		end = lex_identifier(cpp, t, p);
		if (!end)
			return -ENOMEM;
	} else if (char_class[(unsigned char)*p] & CLASS_PUNCT1) {
		src->at_bol = false;
		t->kind = CPP_PUNCT;
		end = p + 1;
	} else if (*p == '\n' || (!*p && p < src->file->text + src->file->size)) {
		/* a NUL byte inside the file is treated as a line end to stay safe */
		src->pos = p + 1;
		src->line++;
		src->line_start = p + 1;
		src->at_bol = true;
		t->kind = CPP_NEWLINE;
		return 0;
	} else if (!*p) {
		src->at_bol = false;
		t->kind = CPP_EOF;
		return 0;
	} else {
		src->at_bol = false;
		end = lex_other(cpp, t, p);
	}
	t->length = (uint32_t)(end - p);
	src->pos = end;
	return 0;
}

/* `<name>` of #include, from the current position; 0 if not there. */
int cpp_lex_header_name(struct cpp_source *src, struct cpp_token *t)
{
	const char *p, *end;

	skip_space(src);
	p = src->pos;
	if (*p != '<')
		return 0;
	for (end = p + 1; *end && *end != '>' && *end != '\n'; end++)
		;
	if (*end != '>')
		return 0;
	memset(t, 0, sizeof(*t));
	t->kind = CPP_HEADER;
	t->text = p;
	t->length = (uint32_t)(end + 1 - p);
	t->file = src->file_index;
	position(src, p, &t->line, &t->column);
	src->pos = end + 1;
	return 1;
}

/* Skip to the start of the next line (the newline consumed); comments may span
 * lines, quotes are honoured only when closed on the line (as in a skipped group). */
void cpp_skip_line(struct cpp_source *src)
{
	const char *p = src->pos;

	for (;;) {
		p += strcspn(p, "\n/\"'");
		if (!*p && p >= src->file->text + src->file->size) {
			src->pos = p;
			return;
		}
		if (!*p || *p == '\n') { /* a NUL byte inside the file ends a line too */
			src->pos = p + 1;
			src->line++;
			src->line_start = p + 1;
			src->at_bol = true;
			return;
		}
		if (*p == '/' && (p[1] == '*' || p[1] == '/')) {
			src->pos = p;
			skip_space(src);
			p = src->pos;
		} else if (*p == '"' || *p == '\'') {
			const char *q = scan_quoted(p, *p);

			p = q ? q : p + 1;
		} else {
			p++;
		}
	}
}

/* In a skipped group: true if the line at src->pos is a directive (the `#` consumed,
 * src left after it); otherwise the line is skipped and false returned. */
bool cpp_skip_group_line(struct cpp *cpp, struct cpp_source *src)
{
	(void)cpp;
	const char *p;

	skip_space(src);
	p = src->pos;
	if (p[0] == '#' && p[1] != '#') {
		src->pos++;
		src->at_bol = false;
		return true;
	}
	if (p[0] == '%' && p[1] == ':' && !(p[2] == '%' && p[3] == ':')) {
		src->pos += 2;
		src->at_bol = false;
		return true;
	}
	cpp_skip_line(src);
	return false;
}

/* Lex a whole string (a -D value, a _Pragma operand, a pasted spelling) into tokens
 * allocated from the arena; the text must stay alive. */
int cpp_lex_string(struct cpp *cpp, const char *text, size_t length, uint32_t file,
		   uint32_t line, uint32_t column, struct cpp_token **tokens, uint32_t *count)
{
	struct cpp_file f = { .text = cpp_scratch(cpp, length + 1 + CPP_LEX_PADDING),
			      .size = length };
	struct cpp_source src = { .file = &f, .file_index = file, .line = line };
	uint32_t cap = 8, n = 0;
	struct cpp_token *list = cpp_scratch(cpp, cap * sizeof(*list)), t;

	if (!f.text || !list)
		return -ENOMEM;
	memcpy(f.text, text, length);
	memset(f.text + length, 0, 1 + CPP_LEX_PADDING);
	src.pos = src.line_start = f.text;
	for (;;) {
		if (cpp_lex_raw(cpp, &src, &t))
			return -ENOMEM;
		if (t.kind == CPP_EOF)
			break;
		if (t.kind == CPP_NEWLINE)
			continue;
		t.line = line;
		t.column = column;
		if (n == cap) {
			struct cpp_token *bigger = cpp_scratch_grow(cpp, list, cap * sizeof(*list),
								    2 * cap * sizeof(*list));

			if (!bigger)
				return -ENOMEM;
			list = bigger;
			cap *= 2;
		}
		list[n++] = t;
	}
	*tokens = list;
	*count = n;
	return 0;
}
