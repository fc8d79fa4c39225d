/* diag.c - diagnostics as structs (file, line, column, message, source line), the
 * compiler-style formatting the tool prints, and nearest-spelling suggestions. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

struct asm_diagnostics {
	struct asm_diagnostic *items;
	size_t count, capacity;
	size_t errors;
};

struct asm_diagnostics *asm_diagnostics_new(void)
{
	return calloc(1, sizeof(struct asm_diagnostics));
}

void asm_diagnostics__free(struct asm_diagnostics *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		free((char *)list->items[i].source_line);
	free(list->items);
	free(list);
}

size_t asm_diagnostics__count(const struct asm_diagnostics *list)
{
	return list ? list->count : 0;
}

size_t asm_diagnostics__error_count(const struct asm_diagnostics *list)
{
	return list ? list->errors : 0;
}

const struct asm_diagnostic *asm_diagnostics__get(const struct asm_diagnostics *list, size_t i)
{
	return list && i < list->count ? &list->items[i] : NULL;
}

int asm_diagnostics_add(struct asm_diagnostics *list, const char *file, struct asm_loc loc,
			enum asm_severity severity, const char *message, const char *line,
			size_t line_length)
{
	struct asm_diagnostic *d;

	if (list->count == list->capacity) {
		size_t cap = list->capacity ? list->capacity * 2 : 8;
		struct asm_diagnostic *grown = realloc(list->items, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		list->items = grown;
		list->capacity = cap;
	}
	d = &list->items[list->count];
	memset(d, 0, sizeof(*d));
	d->file = file;
	d->line = loc.line;
	d->column = loc.column;
	d->severity = severity;
	snprintf(d->message, sizeof(d->message), "%s", message);
	if (line) {
		char *copy = malloc(line_length + 1);

		if (copy) {
			memcpy(copy, line, line_length);
			copy[line_length] = '\0';
		}
		d->source_line = copy;
	}
	list->count++;
	list->errors += severity == ASM_SEVERITY_ERROR;
	return 0;
}

/* Order by position (stable), so second-pass errors land among the parse errors;
 * messages without a line (notes such as "too many errors") stay last. */
void asm_diagnostics_sort(struct asm_diagnostics *list)
{
	for (size_t i = 1; i < list->count; i++) {
		struct asm_diagnostic d = list->items[i];
		size_t j = i;

		if (d.line == 0)
			continue;
		while (j > 0 && list->items[j - 1].line != 0 &&
		       (list->items[j - 1].line > d.line ||
			(list->items[j - 1].line == d.line && list->items[j - 1].column > d.column)))
			j--;
		memmove(&list->items[j + 1], &list->items[j], (i - j) * sizeof(d));
		list->items[j] = d;
	}
}

/* Source lines are attached once scanning is over (asm_diagnostics_attach_lines): the
 * scanner works in place and briefly writes a NUL after the token it returned. */
static void report(struct asm_context *ctx, struct asm_loc loc, enum asm_severity severity,
		   const char *fmt, va_list ap)
{
	char message[256];

	if (ctx->aborted)
		return;
	vsnprintf(message, sizeof(message), fmt, ap);
	asm_diagnostics_add(ctx->diags, ctx->file_name, loc, severity, message, NULL, 0);
	if (asm_diagnostics__error_count(ctx->diags) >= ctx->max_errors) {
		struct asm_loc nowhere = { 0, 0 };
		asm_diagnostics_add(ctx->diags, ctx->file_name, nowhere, ASM_SEVERITY_NOTE,
				    "too many errors; stopping", NULL, 0);
		ctx->aborted = true;
	}
}

void asm_diagnostics_attach_lines(struct asm_context *ctx)
{
	struct asm_diagnostics *list = ctx->diags;

	for (size_t i = 0; i < list->count; i++) {
		struct asm_diagnostic *d = &list->items[i];
		size_t start, end;
		char *copy;

		if (d->source_line || !asm_line_start(ctx, d->line, &start))
			continue;
		end = start;
		while (end < ctx->text_size && ctx->text[end] != '\n')
			end++;
		if (end > start && ctx->text[end - 1] == '\r')
			end--;
		copy = malloc(end - start + 1);
		if (!copy)
			continue;
		memcpy(copy, ctx->text + start, end - start);
		copy[end - start] = '\0';
		d->source_line = copy;
	}
}

void asm_error(struct asm_context *ctx, struct asm_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ctx, loc, ASM_SEVERITY_ERROR, fmt, ap);
	va_end(ap);
}

void asm_warning(struct asm_context *ctx, struct asm_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ctx, loc, ASM_SEVERITY_WARNING, fmt, ap);
	va_end(ap);
}

int asm_diagnostic__format(const struct asm_diagnostic *d, char *buf, size_t buflen)
{
	static const char *const names[] = { "error", "warning", "note" };

	return objfmt_diag_format_source(buf, buflen, d->file, d->line, d->column,
					 names[d->severity], d->message, d->source_line);
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diagonal + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diagonal = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *asm_nearest(const char *word, const char *const *candidates, size_t count)
{
	const char *best = NULL;
	size_t best_distance = (size_t)-1, limit = strlen(word) / 3 + 1;

	for (size_t i = 0; i < count; i++) {
		size_t d = edit_distance(word, candidates[i]);

		if (d < best_distance) {
			best_distance = d;
			best = candidates[i];
		}
	}
	return best_distance <= limit ? best : NULL;
}
