/* assemble.c - libasm's entry points: choose the dialect, parse (lexer.l + grammar.y),
 * resolve fixups and build the object; diagnostics go back to the caller. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asm_int.h"

int asm_lex_begin(struct asm_context *ctx, void **scanner, void **buffer);
void asm_lex_end(void *scanner, void *buffer);
int asm_yyparse(void *scanner, struct asm_context *ctx);

int asm_parse(struct asm_context *ctx)
{
	void *scanner, *buffer;
	int err = asm_lex_begin(ctx, &scanner, &buffer);

	if (err)
		return err;
	asm_yyparse(scanner, ctx);
	asm_lex_end(scanner, buffer);
	return 0;
}

/* One line without its comment: `%r` or `[` mean mnemonic, `=`, `goto` or `*(`
 * mean LLVM; 0 when the line cannot tell (`exit`, `call 1`, a label). */
static int line_dialect(const char *p, const char *end)
{
	const char *word = p;

	while (p < end && *p != '#' && *p != ';' && !(p[0] == '/' && p + 1 < end && p[1] == '/')) {
		if (*p == '%' && p + 1 < end && p[1] == 'r')
			return ASM_DIALECT_MNEMONIC;
		if (*p == '[' && (p == word || p[-1] != 'b'))
			return ASM_DIALECT_MNEMONIC;
		if (*p == '=' || (*p == '*' && p + 1 < end && p[1] == '('))
			return ASM_DIALECT_LLVM;
		if (!strncmp(p, "goto", 4) && (size_t)(end - p) >= 4)
			return ASM_DIALECT_LLVM;
		if (*p == '"')
			break; /* directive strings say nothing */
		p++;
	}
	return 0;
}

/* A line without telling characters: a table mnemonic other than the words both
 * dialects share (exit, call, callx, lock) is the mnemonic dialect (`ja out`,
 * `neg32 ...`), and so is `call local f` / `call runtime N`. */
static int word_dialect(const char *p, const char *end)
{
	char word[24], next[16];
	size_t n = 0, m = 0;

	while (p < end && n + 1 < sizeof(word) && (isalnum((unsigned char)*p) || *p == '_'))
		word[n++] = *p++;
	word[n] = '\0';
	if (p < end && *p == ':')
		return 0; /* a label */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && m + 1 < sizeof(next) && isalpha((unsigned char)*p))
		next[m++] = *p++;
	next[m] = '\0';
	if (!strcmp(word, "call"))
		return !strcmp(next, "local") || !strcmp(next, "runtime") || !strcmp(next, "helper") ?
			ASM_DIALECT_MNEMONIC : 0;
	if (!n || !strcmp(word, "exit") || !strcmp(word, "callx") || !strcmp(word, "lock"))
		return 0;
	for (int op = 1; op < OBJFMT_OP__COUNT; op++) {
		const struct objfmt_opinfo *info = objfmt_opinfo((enum objfmt_op)op);

		if (info && !strcmp(info->mnemonic, word))
			return ASM_DIALECT_MNEMONIC;
	}
	return 0;
}

enum asm_dialect asm_detect_dialect(const char *text, size_t size)
{
	const char *p = text, *end = text + size;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		int dialect;

		if (!eol)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p < eol && *p != '.' &&
		    ((dialect = line_dialect(p, eol)) || (dialect = word_dialect(p, eol))))
			return (enum asm_dialect)dialect;
		p = eol + 1;
	}
	return ASM_DIALECT_LLVM;
}

static int check_options(const struct asm_options *opts, struct asm_options *out)
{
	memset(out, 0, sizeof(*out));
	if (!opts)
		return 0;
	if (opts->size < sizeof(size_t))
		return -EINVAL;
	for (size_t i = sizeof(*out); i < opts->size; i++)
		if (((const unsigned char *)opts)[i])
			return -EINVAL;
	memcpy(out, opts, opts->size < sizeof(*out) ? opts->size : sizeof(*out));
	if (out->dialect > ASM_DIALECT_MNEMONIC)
		return -EINVAL;
	return 0;
}

/* Text only: a NUL byte (a binary file given by mistake) is one error at its place,
 * and nothing is scanned (the scanner uses NUL as its end-of-buffer mark). */
static bool reject_nul(struct asm_context *ctx)
{
	const char *nul = memchr(ctx->text, '\0', ctx->text_size);
	struct asm_loc loc = { 1, 1 };

	if (!nul)
		return false;
	size_t start;

	for (unsigned line = 1; asm_line_start(ctx, line, &start); line++) {
		if (start > (size_t)(nul - ctx->text))
			break;
		loc.line = line;
		loc.column = (unsigned)((size_t)(nul - ctx->text) - start) + 1;
	}
	asm_error(ctx, loc, "NUL byte in input: expected assembly text");
	ctx->aborted = true;
	return true;
}

/* Assemble `text`, which holds `size` bytes followed by two NUL bytes the scanner
 * works in place on. */
static int assemble_in_place(char *text, size_t size, const char *file_name,
			     const struct asm_options *opts, struct objfmt_object **object,
			     struct asm_diagnostics **diagnostics)
{
	struct asm_context ctx;
	struct asm_options options;
	int err;

	*object = NULL;
	if (diagnostics)
		*diagnostics = NULL;
	if ((err = check_options(opts, &options)))
		return err;
	err = asm_context_init(&ctx, text, size, file_name ? file_name : "<input>",
			       options.dialect, options.max_errors);
	if (!err && !reject_nul(&ctx))
		err = asm_parse(&ctx);
	/* Resolve even after syntax errors so undefined labels are reported too. */
	if (!err && !ctx.aborted)
		err = asm_finalize(&ctx, object);
	if (!err && asm_diagnostics__error_count(ctx.diags))
		err = -EINVAL;
	if (ctx.diags) {
		asm_diagnostics_attach_lines(&ctx);
		asm_diagnostics_sort(ctx.diags);
	}
	if (diagnostics)
		*diagnostics = ctx.diags;
	else
		asm_diagnostics__free(ctx.diags);
	ctx.diags = NULL;
	asm_context_fini(&ctx);
	return err;
}

int asm_assemble_buffer(const char *text, size_t size, const char *file_name,
			const struct asm_options *opts, struct objfmt_object **object,
			struct asm_diagnostics **diagnostics)
{
	char *copy = malloc(size + 2);
	int err;

	*object = NULL;
	if (diagnostics)
		*diagnostics = NULL;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, size);
	copy[size] = copy[size + 1] = '\0';
	err = assemble_in_place(copy, size, file_name, opts, object, diagnostics);
	free(copy);
	return err;
}

/* Whole file, followed by two NUL bytes for the scanner. */
/* The snippet's object must be code in .text only, with no relocations. */
static int snippet_code(struct objfmt_object *obj, const char *file_name,
			struct asm_diagnostics *diags, const struct objfmt_section **text)
{
	const char *problem = NULL;

	*text = NULL;
	for (size_t i = 0; i < objfmt_object__section_count(obj); i++) {
		const struct objfmt_section *s = objfmt_object__section(obj, i);

		if (!strcmp(s->name, ".text"))
			*text = s;
		else if (s->size)
			problem = "inline assembly can only hold instructions (no sections or data)";
	}
	if (objfmt_object__reloc_count(obj))
		problem = "inline assembly cannot refer to symbols outside it (needs a relocation)";
	if (*text && (*text)->size % sizeof(struct objfmt_insn))
		problem = "inline assembly must be whole 8-byte instructions";
	if (!problem)
		return 0;
	if (diags) {
		struct asm_loc nowhere = { 0, 0 };

		asm_diagnostics_add(diags, file_name, nowhere, ASM_SEVERITY_ERROR, problem, NULL, 0);
	}
	return -EINVAL;
}

int asm_assemble_insns(const char *text, size_t size, const char *file_name,
		       unsigned first_line, const struct asm_options *opts,
		       struct objfmt_insn **insns, size_t *count,
		       struct asm_diagnostics **diagnostics)
{
	struct asm_options options = { .size = sizeof(options), .dialect = ASM_DIALECT_LLVM };
	const struct objfmt_section *code;
	struct objfmt_object *obj = NULL;
	struct asm_diagnostics *diags = NULL;
	int err;

	*insns = NULL;
	*count = 0;
	if (opts && (err = check_options(opts, &options)))
		return err;
	options.size = sizeof(options);
	err = asm_assemble_buffer(text, size, file_name, &options, &obj, &diags);
	if (!err)
		err = snippet_code(obj, file_name ? file_name : "<input>", diags, &code);
	if (!err && code && code->size) {
		*insns = malloc(code->size);
		if (*insns) {
			memcpy(*insns, code->data, code->size);
			*count = code->size / sizeof(struct objfmt_insn);
		} else {
			err = -ENOMEM;
		}
	}
	for (size_t i = 0; first_line > 1 && i < asm_diagnostics__count(diags); i++) {
		struct asm_diagnostic *d = (struct asm_diagnostic *)asm_diagnostics__get(diags, i);

		if (d->line)
			d->line += first_line - 1;
	}
	objfmt_object__free(obj);
	if (diagnostics)
		*diagnostics = diags;
	else
		asm_diagnostics__free(diags);
	return err;
}

static int read_all(FILE *f, char **out, size_t *out_size)
{
	struct stat st;
	size_t size = 0, cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ?
		(size_t)st.st_size + 3 : 1 << 16;
	char *buf = malloc(cap);

	while (buf) {
		size_t n = fread(buf + size, 1, cap - size - 2, f);

		size += n;
		if (size < cap - 2)
			break;
		char *grown = realloc(buf, cap * 2);
		if (!grown) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = grown;
		cap *= 2;
	}
	if (!buf)
		return -ENOMEM;
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	buf[size] = buf[size + 1] = '\0';
	*out = buf;
	*out_size = size;
	return 0;
}

int asm_assemble_file(const char *path, const struct asm_options *opts,
		      struct objfmt_object **object, struct asm_diagnostics **diagnostics)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL, message[256];
	size_t size = 0;
	int err;

	*object = NULL;
	if (diagnostics)
		*diagnostics = NULL;
	err = f ? read_all(f, &text, &size) : -errno;
	if (f)
		fclose(f);
	if (err) {
		struct asm_loc nowhere = { 0, 0 };

		if (diagnostics && (*diagnostics = asm_diagnostics_new())) {
			snprintf(message, sizeof(message), "cannot read: %s", strerror(-err));
			asm_diagnostics_add(*diagnostics, path, nowhere, ASM_SEVERITY_ERROR, message,
					    NULL, 0);
		}
		return err;
	}
	err = assemble_in_place(text, size, path, opts, object, diagnostics);
	free(text);
	return err;
}
