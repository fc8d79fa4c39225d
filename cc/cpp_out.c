/* cpp_out.c - the preprocessed text, written as gcc -E writes it: a space only where
 * the source had one or two tokens would otherwise paste, each line's first token in
 * its source column, blank lines or `# N "file" flags` markers keeping line numbers.
 * With a sink the text is not written: each token goes to the sink with the line and
 * column it would have in the text (markers and pragma lines as text). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

static void grow_output(struct cpp *cpp, size_t length);

/* Append text; most tokens are a few bytes, copied inline rather than by memcpy. */
static inline void put(struct cpp *cpp, const char *text, size_t length)
{
	struct cpp_printer *o = &cpp->out;

	if (o->sink) {
		o->sink_column += (uint32_t)length;
		return;
	}
	if (o->length + length + 1 > o->capacity) {
		grow_output(cpp, length);
		if (cpp->out_of_memory)
			return;
	}
	if (length <= 16) {
		for (size_t i = 0; i < length; i++)
			o->data[o->length + i] = text[i];
	} else {
		memcpy(o->data + o->length, text, length);
	}
	o->length += length;
}

/* Room for length more bytes and a NUL (doubling; out_of_memory on failure). */
static void grow_output(struct cpp *cpp, size_t length)
{
	struct cpp_printer *o = &cpp->out;
	size_t cap = o->capacity ? o->capacity : 1 << 16;
	char *data;

	while (o->length + length + 1 > cap)
		cap *= 2;
	data = realloc(o->data, cap);
	if (!data) {
		cpp->out_of_memory = true;
		return;
	}
	o->data = data;
	o->capacity = cap;
}

static inline void put_char(struct cpp *cpp, char c)
{
	struct cpp_printer *o = &cpp->out;

	if (o->sink) {
		if (c == '\n') {
			o->sink_line++;
			o->sink_column = 0;
		} else {
			o->sink_column++;
		}
	} else if (o->length + 2 <= o->capacity)
		o->data[o->length++] = c;
	else
		put(cpp, &c, 1);
}

void cpp_out_text(struct cpp *cpp, const char *text, size_t length)
{
	if (cpp->out.sink) {
		for (size_t i = 0; i < length; i++)
			put_char(cpp, text[i]);
		return;
	}
	put(cpp, text, length);
}

/* With a sink: write a marker or pragma line into the (otherwise unused) buffer from
 * its start, end_line() hands it over. */
static const struct cpp_sink *start_line(struct cpp *cpp)
{
	const struct cpp_sink *sink = cpp->out.sink;

	cpp->out.sink = NULL;
	cpp->out.length = 0;
	return sink;
}

/* The line written since start_line(), without its newline; the sink's position is
 * the start of the next line. */
static const char *end_line(struct cpp *cpp, const struct cpp_sink *sink)
{
	struct cpp_printer *o = &cpp->out;

	o->sink = sink;
	if (!o->data)
		return "";
	o->data[o->length ? o->length - 1 : 0] = '\0';
	return o->data;
}

/* `# LINE "FILE" FLAGS` (gcc's print_line): flag 1 enters a file, 2 returns to one;
 * 3 marks a system header. */
static void print_marker(struct cpp *cpp, uint32_t file, uint32_t line, int flag, int sys)
{
	struct cpp_printer *o = &cpp->out;
	const struct cpp_file *f = cpp->files[file];
	char buf[16], *digits = buf + sizeof(buf);
	const char *p = f->path;
	const struct cpp_sink *sink = NULL;

	if (o->printed)
		put_char(cpp, '\n');
	o->printed = false;
	if (o->sink)
		sink = start_line(cpp);
	for (uint32_t n = line;; n /= 10) {
		*--digits = (char)('0' + n % 10);
		if (n < 10)
			break;
	}
	put(cpp, "# ", 2);
	put(cpp, digits, (size_t)(buf + sizeof(buf) - digits));
	put(cpp, " \"", 2);
	for (size_t run; *p; p += run) {
		run = strcspn(p, "\\\"");
		put(cpp, p, run);
		if (p[run]) {
			put_char(cpp, '\\');
			put_char(cpp, p[run++]);
		}
	}
	put_char(cpp, '"');
	if (flag)
		put(cpp, flag == 1 ? " 1" : " 2", 2);
	if (sys)
		put(cpp, sys == 2 ? " 3 4" : " 3", sys == 2 ? 4 : 2);
	put_char(cpp, '\n');
	o->line = line;
	o->file = file;
	if (sink && !cpp->out_of_memory) {
		sink->line_marker(sink->context, end_line(cpp, sink));
		o->sink_line = line;
		o->sink_column = 0;
	}
}

/* Bring the output to `line` of `file` (gcc's maybe_print_line). */
static void move_to(struct cpp *cpp, uint32_t file, uint32_t line, int sys)
{
	struct cpp_printer *o = &cpp->out;

	if (o->printed) {
		put_char(cpp, '\n');
		o->line++;
		o->printed = false;
	}
	if (file == o->file && line >= o->line && line < o->line + 8 && !cpp->line_directive) {
		while (line > o->line) {
			put_char(cpp, '\n');
			o->line++;
		}
	} else {
		cpp->line_directive = false;
		print_marker(cpp, file, line, 0, sys);
		cpp->marker_emitted = true;
	}
}

static void line_change(struct cpp *cpp, uint32_t file, uint32_t line, uint32_t column,
			int sys)
{
	struct cpp_printer *o = &cpp->out;

	move_to(cpp, file, line, sys);
	o->prev.kind = CPP_NEWLINE;
	o->have_source = false;
	o->printed = true;
	for (uint32_t i = 2; i < column; i++)
		put_char(cpp, ' ');
}

/* First token of a source line (gcc's cb_line_change). */
void cpp_out_line_change(struct cpp *cpp, const struct cpp_token *t)
{
	if (cpp->parsing_args)
		return;
	line_change(cpp, t->file, t->line, t->column, cpp->files[t->file]->system);
}

void cpp_out_file_change(struct cpp *cpp, uint32_t file, uint32_t line, int flag)
{
	if (flag == 1 && cpp->depth > 1 && cpp->stack[cpp->depth - 2].file_index != 1) {
		const struct cpp_source *from = &cpp->stack[cpp->depth - 2];

		move_to(cpp, from->file_index, cpp->include_line, cpp->files[from->file_index]->system);
	}
	print_marker(cpp, file, line, flag, cpp->files[file]->system);
}

/* `#pragma ...` or `#ident ...` on a line of its own (gcc's cb_def_pragma). */
void cpp_out_directive(struct cpp *cpp, uint32_t line, const char *directive,
		       const struct cpp_token *tokens, uint32_t count)
{
	struct cpp_printer *o = &cpp->out;
	const struct cpp_sink *sink = NULL;
	uint32_t file = cpp->stack[cpp->depth - 1].file_index;

	move_to(cpp, file, line, cpp->files[file]->system);
	if (o->sink)
		sink = start_line(cpp);
	put_char(cpp, '#');
	put(cpp, directive, strlen(directive));
	put_char(cpp, ' ');
	for (uint32_t i = 0; i < count; i++) {
		if (i && (tokens[i].flags & CPP_F_WHITE))
			put_char(cpp, ' ');
		put(cpp, tokens[i].text, tokens[i].length);
	}
	put_char(cpp, '\n');
	o->printed = false;
	o->line++;
	if (sink && !cpp->out_of_memory) {
		sink->directive(sink->context, end_line(cpp, sink));
		o->sink_line++;
		o->sink_column = 0;
	}
}

/* A -dD line (`#define ...`, `#undef ...`) at `line` of `file`, as gcc's cb_define
 * and cb_undef print it. */
void cpp_out_define(struct cpp *cpp, uint32_t file, uint32_t line, const char *text,
		    size_t length)
{
	struct cpp_printer *o = &cpp->out;

	move_to(cpp, file, line, cpp->files[file]->system);
	put(cpp, text, length);
	put_char(cpp, '\n');
	o->printed = false;
	o->line++;
}

static bool punct_starts(const struct cpp_token *t, const char *p)
{
	return t->kind == CPP_PUNCT && !strncmp(t->text, p, strlen(p)) && t->length == strlen(p);
}

/* Would printing b right after a make them lex differently? (gcc's cpp_avoid_paste) */
bool cpp_avoid_paste(const struct cpp_token *a, const struct cpp_token *b)
{
	char c = b->kind == CPP_PUNCT ? b->text[0] : 0;
	static const char *const equal_ops[] = { "=", "!", ">", "<", "+", "-", "*", "/", "%",
						 "&", "|", "^", ">>", "<<", NULL };

	if (a->kind == CPP_PUNCT && c == '=')
		for (int i = 0; equal_ops[i]; i++)
			if (punct_starts(a, equal_ops[i]))
				return true;
	if (a->kind == CPP_PUNCT) {
		if (punct_starts(a, ">")) return c == '>';
		if (punct_starts(a, "<")) return c == '<' || c == '%' || c == ':';
		if (punct_starts(a, "+")) return c == '+';
		if (punct_starts(a, "-")) return c == '-' || c == '>';
		if (punct_starts(a, "/")) return c == '/' || c == '*';
		if (punct_starts(a, "%")) return c == ':' || c == '%';
		if (punct_starts(a, "&")) return c == '&';
		if (punct_starts(a, "|")) return c == '|';
		if (punct_starts(a, ":")) return c == ':' || c == '>';
		if (punct_starts(a, "->")) return c == '*';
		if (punct_starts(a, ".")) return c == '.' || c == '%' || b->kind == CPP_NUMBER;
		if (cpp_is_hash(a)) return c == '#' || c == '%';
		return false;
	}
	if (a->kind == CPP_IDENT)
		return (b->kind == CPP_NUMBER && b->text[0] != '.' &&
			!(b->text[0] >= '0' && b->text[0] <= '9')) ||
		       b->kind == CPP_IDENT || b->kind == CPP_NUMBER || b->kind == CPP_CHAR ||
		       b->kind == CPP_STRING;
	if (a->kind == CPP_NUMBER)
		return b->kind == CPP_NUMBER || b->kind == CPP_IDENT || b->kind == CPP_CHAR ||
		       c == '.' || c == '+' || c == '-';
	if (a->kind == CPP_OTHER && a->text[0] == '\\' && b->kind == CPP_IDENT)
		return true;
	return false;
}

/* One token of the output; line/column locate it (a macro's expansion point for the
 * tokens an expansion produced). Follows gcc's scan_translation_unit. */
void cpp_out_token(struct cpp *cpp, const struct cpp_token *t, uint32_t file, uint32_t line,
		   uint32_t column)
{
	struct cpp_printer *o = &cpp->out;
	int sys = cpp->files[t->file]->system;
	bool emitted = false;

	if (t->kind == CPP_PADDING) {
		o->avoid_paste = true;
		if (!o->have_source || (!o->source_white && !t->source)) {
			o->have_source = t->source != NULL;
			o->source_white = t->source && (t->source->flags & CPP_F_WHITE);
		}
		return;
	}
	if (o->avoid_paste) {
		bool white = o->have_source ? o->source_white : (t->flags & CPP_F_WHITE) != 0;

		if (line != o->line) {
			cpp->marker_emitted = false;
			line_change(cpp, file, line, column, cpp->files[file]->system);
			put_char(cpp, ' ');
			emitted = cpp->marker_emitted;
		} else if (white ||
		    (o->prev.kind != CPP_NEWLINE && cpp_avoid_paste(&o->prev, t)) ||
		    (o->prev.kind == CPP_NEWLINE && cpp_is_hash(t)))
			put_char(cpp, ' ');
	} else if (t->flags & CPP_F_WHITE) {
		if (line != o->line) {
			cpp->marker_emitted = false;
			line_change(cpp, file, line, column, cpp->files[file]->system);
			put_char(cpp, ' ');
			emitted = cpp->marker_emitted;
		} else {
			put_char(cpp, ' ');
		}
	}
	o->avoid_paste = false;
	o->have_source = false;
	/* cpp_avoid_paste() reads the kind, the spelling of a punctuator (at most 4
	 * characters) and the first character of other tokens: that much is kept */
	o->prev.kind = t->kind;
	o->prev.length = t->kind != CPP_PUNCT ? t->length != 0 : t->length < 4 ? t->length : 4;
	for (uint32_t i = 0; i < o->prev.length; i++)
		o->prev_text[i] = t->text[i];
	o->prev_text[o->prev.length] = '\0';
	o->prev.text = o->prev_text;
	if (!emitted && (sys != 0) != o->prev_system) {
		/* the token's system-ness differs from the previous one: a marker says so */
		line_change(cpp, file, line, column, sys);
		o->prev_system = sys != 0;
	}
	if (o->sink) {
		o->sink->token(o->sink->context, t, o->sink_line, o->sink_column + 1);
		o->sink_column += t->length;
	} else {
		put(cpp, t->text, t->length);
	}
	o->printed = true;
}
