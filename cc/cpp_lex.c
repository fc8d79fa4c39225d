/* cpp_lex.c - preprocessing tokens from a file's text (line splices already removed):
 * identifiers, pp-numbers, character and string literals, punctuators, with the
 * whitespace and start-of-line flags and the physical line and column of each. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

/* Character classes by table: identifier scanning is the lexer's hottest loop. Bit 1:
 * may start an identifier (letters, _, $, bytes of UTF-8 sequences); bit 2: may
 * continue one (those and digits). */
static unsigned char char_class[256];

/* Fill the character classes (once per run; the table is only ever set the same way). */
void cpp_lex_init(void)
{
	for (int c = 0; c < 256; c++)
		char_class[c] = (unsigned char)(((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
						 c == '_' || c == '$' || c >= 0x80) ? 3 :
						(c >= '0' && c <= '9') ? 2 : 0);
}

static bool is_ident_start(unsigned char c)
{
	return char_class[c] & 1;
}

static bool is_ident_char(unsigned char c)
{
	return char_class[c] & 2;
}

/* Length of the punctuator at p (longest match), 0 if there is none. */
static uint32_t punct_length(const char *p)
{
	switch (p[0]) {
	case '[': case ']': case '(': case ')': case '{': case '}': case '~': case '?':
	case ':': case ';': case ',':
		return 1;
	case '.':
		return p[1] == '.' && p[2] == '.' ? 3 : 1;
	case '<': case '>':
		if (p[1] == p[0])
			return p[2] == '=' ? 3 : 2;
		return p[1] == '=' ? 2 : 1;
	case '-':
		return p[1] == '>' || p[1] == '-' || p[1] == '=' ? 2 : 1;
	case '+': case '&': case '|':
		return p[1] == p[0] || p[1] == '=' ? 2 : 1;
	case '#':
		return p[1] == '#' ? 2 : 1;
	case '*': case '/': case '%': case '^': case '=': case '!':
		return p[1] == '=' ? 2 : 1;
	default:
		return 0;
	}
}

/* Skip blanks and comments; true if any was skipped. Stops at a newline. */
static bool skip_space(struct cpp_source *src)
{
	const char *p = src->pos;
	bool white = false;

	for (;;) {
		if (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v' || *p == '\r') {
			p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			end = end ? end + 2 : p + strlen(p);
			for (const char *q = memchr(p, '\n', (size_t)(end - p)); q;
			     q = memchr(q + 1, '\n', (size_t)(end - q - 1))) {
				src->line++;
				src->line_start = q + 1;
			}
			p = end;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else {
			break;
		}
		white = true;
	}
	src->pos = p;
	return white;
}

/* Physical line and column of `p` (splices counted back in). */
static inline void position(struct cpp_source *src, const char *p, uint32_t *line,
			    uint16_t *column)
{
	const struct cpp_file *f = src->file;
	const char *start = src->line_start;

	if (f->splice_count) {
		uint32_t offset = (uint32_t)(p - f->text);

		while (src->next_splice < f->splice_count && f->splices[src->next_splice] <= offset)
			src->next_splice++;
		if (src->next_splice && f->text + f->splices[src->next_splice - 1] > start)
			start = f->text + f->splices[src->next_splice - 1];
	}
	*line = src->line + src->next_splice;
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

static const char *scan_number(const char *p)
{
	for (p++;; p++) {
		if ((*p == '+' || *p == '-') && strchr("eEpP", p[-1]))
			continue;
		if (!is_ident_char((unsigned char)*p) && *p != '.')
			return p;
	}
}

/* An identifier, or a literal with an L/u/U/u8 prefix, at p. Returns its end. */
static const char *lex_identifier(struct cpp *cpp, struct cpp_token *t, const char *p)
{
	const char *end;

	for (end = p + 1; is_ident_char((unsigned char)*end); end++)
		;
	if ((*end == '"' || *end == '\'') &&
	    ((end - p == 1 && strchr("LuU", *p)) || (end - p == 2 && p[0] == 'u' && p[1] == '8'))) {
		const char *q = scan_quoted(end, *end);

		if (q) {
			t->kind = *end == '"' ? CPP_STRING : CPP_CHAR;
			return q;
		}
	}
	t->kind = CPP_IDENT;
	t->ident = cpp_intern(cpp, p, (size_t)(end - p));
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

/* Lex one token from src (any kind but PADDING and HEADER). */
int cpp_lex_raw(struct cpp *cpp, struct cpp_source *src, struct cpp_token *t)
{
	bool white = skip_space(src);
	const char *p = src->pos, *end;

	memset(t, 0, sizeof(*t));
	t->flags = (uint8_t)((white ? CPP_F_WHITE : 0) | (src->at_bol ? CPP_F_BOL : 0));
	t->file = (uint16_t)src->file_index;
	position(src, p, &t->line, &t->column);
	t->text = p;
	if (*p == '\n' || (!*p && p < src->file->text + src->file->size)) {
		/* a NUL byte inside the file is treated as a line end to stay safe */
		src->pos = p + 1;
		src->line++;
		src->line_start = p + 1;
		src->at_bol = true;
		t->kind = CPP_NEWLINE;
		return 0;
	}
	src->at_bol = false;
	if (!*p) {
		t->kind = CPP_EOF;
		return 0;
	}
	if (is_ident_start((unsigned char)*p)) {
		end = lex_identifier(cpp, t, p);
		if (!end)
			return -ENOMEM;
	} else if ((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
		t->kind = CPP_NUMBER;
		end = scan_number(p);
	} else if (*p == '"' || *p == '\'') {
		end = lex_quoted(cpp, t, p);
	} else if ((t->length = punct_length(p))) {
		t->kind = CPP_PUNCT;
		end = p + t->length;
	} else {
		t->kind = CPP_OTHER;
		end = p + 1;
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
	skip_space(src);
	if (*src->pos == '#' && (src->pos[1] != '#')) {
		src->pos++;
		src->at_bol = false;
		return true;
	}
	if (*src->pos == '%' && src->pos[1] == ':') {
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
	struct cpp_file f = { .text = cpp_scratch(cpp, length + 1), .size = length };
	struct cpp_source src = { .file = &f, .file_index = file, .line = line };
	uint32_t cap = 8, n = 0;
	struct cpp_token *list = cpp_scratch(cpp, cap * sizeof(*list)), t;

	if (!f.text || !list)
		return -ENOMEM;
	memcpy(f.text, text, length);
	f.text[length] = '\0';
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
