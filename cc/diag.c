/* diag.c - diagnostics of the compiler as structs (file, line, column, message), their
 * list accessors, and the clang-style formatting with source line and caret. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_int.h"

struct cc_diagnostics {
	struct cc_diagnostic *items;
	size_t count;
	size_t capacity;
	size_t errors;
};

struct cc_diagnostics *cc_diagnostics_new(void);
struct cc_diagnostics *cc_diagnostics_new(void)
{
	return calloc(1, sizeof(struct cc_diagnostics));
}

static void add(struct cc_unit *unit, enum cc_severity sev, struct cc_loc loc,
		const char *fmt, va_list ap)
{
	struct cc_diagnostics *list = unit->diags;
	struct cc_diagnostic *d;

	unsigned max = unit->opts && unit->opts->max_errors ? unit->opts->max_errors : 20;

	if (sev == CC_SEVERITY_ERROR && (unsigned)++unit->errors >= max && unit->token_count)
		unit->pos = unit->token_count - 1; /* stop parsing: the cursor goes to EOF */
	if (!list || (unsigned)unit->errors > max)
		return;
	if (list->count == list->capacity) {
		size_t cap = list->capacity ? list->capacity * 2 : 16;
		void *items = realloc(list->items, cap * sizeof(*list->items));

		if (!items)
			return;
		list->items = items;
		list->capacity = cap;
	}
	d = &list->items[list->count++];
	memset(d, 0, sizeof(*d));
	d->file = strdup(loc.file ? loc.file : "<unknown>");
	d->line = loc.line;
	d->column = loc.column;
	d->severity = sev;
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	if (sev == CC_SEVERITY_ERROR)
		list->errors++;
}

static void add_formatted(struct cc_unit *unit, enum cc_severity sev, struct cc_loc loc,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void add_formatted(struct cc_unit *unit, enum cc_severity sev, struct cc_loc loc,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(unit, sev, loc, fmt, ap);
	va_end(ap);
}

void cc_error(struct cc_unit *unit, struct cc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(unit, CC_SEVERITY_ERROR, loc, fmt, ap);
	va_end(ap);
}

void cc_warning(struct cc_unit *unit, struct cc_loc loc, const char *fmt, ...)
{
	va_list ap;
	enum cc_severity sev = CC_SEVERITY_WARNING;

	char text[256];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (unit->opts && unit->opts->warnings_are_errors)
		sev = CC_SEVERITY_ERROR;
	add_formatted(unit, sev, loc, "%s", text);
}

size_t cc_diagnostics__count(const struct cc_diagnostics *list)
{
	return list ? list->count : 0;
}

const struct cc_diagnostic *cc_diagnostics__get(const struct cc_diagnostics *list, size_t i)
{
	return list && i < list->count ? &list->items[i] : NULL;
}

size_t cc_diagnostics__error_count(const struct cc_diagnostics *list)
{
	return list ? list->errors : 0;
}

void cc_diagnostics__free(struct cc_diagnostics *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		free((char *)list->items[i].file);
	free(list->items);
	free(list);
}

/* Line `line` of `file` into buf, without its newline; false if unavailable. */
static bool read_source_line(const char *file, unsigned line, char *buf, size_t size)
{
	FILE *f = fopen(file, "r");
	unsigned n = 1;
	bool found = false;

	if (!f)
		return false;
	while (fgets(buf, (int)size, f)) {
		size_t len = strlen(buf);
		bool complete = len && buf[len - 1] == '\n';

		if (n == line) {
			if (complete)
				buf[len - 1] = '\0';
			found = true;
			break;
		}
		if (complete)
			n++;
	}
	fclose(f);
	return found;
}

int cc_diagnostic__format(const struct cc_diagnostic *diag, char *buf, size_t buflen)
{
	static const char *const names[] = { "error", "warning", "note" };
	char source[512];
	bool have_source = diag->line && read_source_line(diag->file, diag->line, source,
							  sizeof(source));

	/* a message without a position still names line and column 0, as before */
	if (!diag->line)
		return snprintf(buf, buflen, "%s:0:%u: %s: %s\n", diag->file, diag->column,
				names[diag->severity], diag->message);
	return objfmt_diag_format_source(buf, buflen, diag->file, diag->line, diag->column,
					 names[diag->severity], diag->message,
					 have_source ? source : NULL);
}
