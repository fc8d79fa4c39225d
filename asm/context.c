/* context.c - state of one assembly run: the source's line table, sections being
 * filled, the symbol table (labels, .set names, references) and pending fixups. */
#include <config.h>

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "asm_int.h"

/* Offsets of the line starts, built on first use (only diagnostics need them). */
static int index_lines(struct asm_context *ctx)
{
	size_t count = 0, capacity = ctx->text_size / 16 + 16;
	const char *p = ctx->text, *end = ctx->text + ctx->text_size;

	ctx->line_starts = malloc(capacity * sizeof(size_t));
	while (ctx->line_starts) {
		if (count == capacity) {
			size_t *grown = realloc(ctx->line_starts, 2 * capacity * sizeof(size_t));

			if (!grown)
				break;
			ctx->line_starts = grown;
			capacity *= 2;
		}
		ctx->line_starts[count++] = (size_t)(p - ctx->text);
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p) {
			ctx->line_count = count;
			return 0;
		}
		p++;
	}
	free(ctx->line_starts);
	ctx->line_starts = NULL;
	return -ENOMEM;
}

int asm_context_init(struct asm_context *ctx, const char *text, size_t size,
		     const char *file_name, enum asm_dialect dialect, unsigned max_errors)
{
	struct asm_loc start = { 1, 1 };

	memset(ctx, 0, sizeof(*ctx));
	ctx->file_name = file_name;
	ctx->text = text;
	ctx->text_size = size;
	ctx->dialect = dialect == ASM_DIALECT_AUTO ? asm_detect_dialect(text, size) : dialect;
	ctx->max_errors = max_errors ? max_errors : 20;
	ctx->diags = asm_diagnostics_new();
	ctx->arena = asm_arena_new();
	ctx->symbol_hash_size = 1024;
	ctx->symbol_hash = calloc(ctx->symbol_hash_size, sizeof(*ctx->symbol_hash));
	if (!ctx->diags || !ctx->arena || !ctx->symbol_hash || asm_op_table_build(ctx))
		return -ENOMEM;
	return asm_section_switch(ctx, ".text", start);
}

/* Byte offset where 1-based `line` starts, or false if there is no such line. */
bool asm_line_start(struct asm_context *ctx, unsigned line, size_t *offset)
{
	if (!ctx->line_starts && index_lines(ctx))
		return false;
	if (line < 1 || line > ctx->line_count)
		return false;
	*offset = ctx->line_starts[line - 1];
	return true;
}

size_t asm_line_count(struct asm_context *ctx)
{
	if (!ctx->line_starts && index_lines(ctx))
		return 0;
	return ctx->line_count;
}

void asm_context_fini(struct asm_context *ctx)
{
	for (size_t i = 0; i < ctx->section_count; i++)
		free(ctx->sections[i].data);
	free(ctx->sections);
	free(ctx->symbol_hash);
	free(ctx->symbol_order);
	free(ctx->fixups);
	free(ctx->relocs);
	free(ctx->op_hash);
	free(ctx->line_starts);
	free(ctx->maps);
	asm_arena_free(ctx->arena);
}

/* Flags an ELF assembler gives a section from its name alone. */
static uint64_t default_flags(const char *name, bool *nobits)
{
	*nobits = !strcmp(name, ".bss") || !strncmp(name, ".bss.", 5);
	if (!strcmp(name, ".text") || !strncmp(name, ".text.", 6))
		return SHF_ALLOC | SHF_EXECINSTR;
	if (*nobits || !strncmp(name, ".data", 5) || !strcmp(name, ".maps"))
		return SHF_ALLOC | SHF_WRITE;
	if (!strncmp(name, ".rodata", 7))
		return SHF_ALLOC;
	return 0;
}

int asm_section_switch(struct asm_context *ctx, const char *name, struct asm_loc loc)
{
	struct asm_section *s;

	(void)loc;
	for (size_t i = 0; i < ctx->section_count; i++) {
		if (!strcmp(ctx->sections[i].name, name)) {
			ctx->current = i;
			return 0;
		}
	}
	if (ctx->section_count == ctx->section_capacity) {
		size_t cap = ctx->section_capacity ? ctx->section_capacity * 2 : 8;
		struct asm_section *grown = realloc(ctx->sections, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		ctx->sections = grown;
		ctx->section_capacity = cap;
	}
	s = &ctx->sections[ctx->section_count];
	memset(s, 0, sizeof(*s));
	ctx->retain = true;
	s->name = asm_strndup(ctx, name, strlen(name));
	s->flags = default_flags(name, &s->nobits);
	s->align = 1;
	s->object_index = -1;
	s->symbol_index = -1;
	ctx->current = ctx->section_count++;
	return 0;
}

struct asm_section *asm_current_section(struct asm_context *ctx)
{
	return ctx->section_count ? &ctx->sections[ctx->current] : NULL;
}

int asm_section_append(struct asm_context *ctx, const void *data, size_t size)
{
	struct asm_section *s = asm_current_section(ctx);

	if (s->size + size > s->capacity) {
		size_t cap = s->capacity ? s->capacity * 2 : 256;
		uint8_t *grown;

		while (cap < s->size + size)
			cap *= 2;
		grown = realloc(s->data, cap);
		if (!grown)
			return -ENOMEM;
		s->data = grown;
		s->capacity = cap;
	}
	if (data)
		memcpy(s->data + s->size, data, size);
	else
		memset(s->data + s->size, 0, size);
	s->size += size;
	return 0;
}

static size_t name_hash(const char *name)
{
	size_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

struct asm_symbol *asm_symbol_find(struct asm_context *ctx, const char *name)
{
	struct asm_symbol *sym = ctx->symbol_hash[name_hash(name) & (ctx->symbol_hash_size - 1)];

	while (sym && strcmp(sym->name, name))
		sym = sym->hash_next;
	return sym;
}

static int grow_symbols(struct asm_context *ctx)
{
	size_t cap = ctx->symbol_order_capacity ? ctx->symbol_order_capacity * 2 : 64;
	struct asm_symbol **order = realloc(ctx->symbol_order, cap * sizeof(*order));

	if (!order)
		return -ENOMEM;
	ctx->symbol_order = order;
	ctx->symbol_order_capacity = cap;
	if (cap > ctx->symbol_hash_size) { /* keep the load factor under 1 */
		size_t size = ctx->symbol_hash_size * 4;
		struct asm_symbol **hash = calloc(size, sizeof(*hash));

		if (!hash)
			return -ENOMEM;
		for (size_t i = 0; i < ctx->symbol_count; i++) {
			struct asm_symbol *sym = ctx->symbol_order[i];
			size_t h = name_hash(sym->name) & (size - 1);

			sym->hash_next = hash[h];
			hash[h] = sym;
		}
		free(ctx->symbol_hash);
		ctx->symbol_hash = hash;
		ctx->symbol_hash_size = size;
	}
	return 0;
}

struct asm_symbol *asm_symbol_get(struct asm_context *ctx, const char *name, struct asm_loc loc)
{
	struct asm_symbol *sym = asm_symbol_find(ctx, name);
	size_t h;

	if (sym)
		return sym;
	if (ctx->symbol_count == ctx->symbol_order_capacity && grow_symbols(ctx))
		return NULL;
	ctx->retain = true;
	sym = asm_alloc(ctx, sizeof(*sym));
	if (!sym)
		return NULL;
	sym->name = asm_strndup(ctx, name, strlen(name));
	sym->bind = OBJFMT_BIND_LOCAL;
	sym->type = OBJFMT_SYM_NOTYPE;
	sym->loc = loc;
	sym->object_index = -1;
	h = name_hash(name) & (ctx->symbol_hash_size - 1);
	sym->hash_next = ctx->symbol_hash[h];
	ctx->symbol_hash[h] = sym;
	ctx->symbol_order[ctx->symbol_count++] = sym;
	return sym;
}

void asm_define_label(struct asm_context *ctx, const char *name, struct asm_loc loc)
{
	struct asm_symbol *sym = asm_symbol_get(ctx, name, loc);
	struct asm_section *section = asm_current_section(ctx);

	if (!sym)
		return;
	if (sym->defined) {
		asm_error(ctx, loc, "duplicate label '%s' (first defined at line %u)", name,
			  sym->loc.line);
		return;
	}
	sym->defined = true;
	sym->section = ctx->current;
	sym->value = section->size;
	sym->loc = loc;
}

/* How many times `N:` was defined so far, kept in a constant symbol ".Lcount.N". */
static struct asm_symbol *local_counter(struct asm_context *ctx, const char *digits)
{
	char name[48];
	struct asm_loc nowhere = { 0, 0 };

	snprintf(name, sizeof(name), ".Lcount.%s", digits);
	return asm_symbol_get(ctx, name, nowhere);
}

/* Instance k of label N is the temporary symbol ".Lnum.N.k". */
static const char *local_instance(struct asm_context *ctx, const char *digits, uint64_t k)
{
	char name[64];

	snprintf(name, sizeof(name), ".Lnum.%s.%llu", digits, (unsigned long long)k);
	return asm_strndup(ctx, name, strlen(name));
}

void asm_define_local_label(struct asm_context *ctx, uint64_t number, struct asm_loc loc)
{
	char digits[24];
	struct asm_symbol *counter;

	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)number);
	counter = local_counter(ctx, digits);
	if (!counter)
		return;
	counter->value++;
	asm_define_label(ctx, local_instance(ctx, digits, counter->value), loc);
}

const char *asm_local_label_ref(struct asm_context *ctx, const char *text, size_t length)
{
	char digits[24];
	struct asm_symbol *counter;
	uint64_t k;

	if (length - 1 >= sizeof(digits))
		return asm_strndup(ctx, text, length);
	memcpy(digits, text, length - 1);
	digits[length - 1] = '\0';
	while (digits[0] == '0' && digits[1]) /* "01b" is label 1 */
		memmove(digits, digits + 1, strlen(digits));
	counter = local_counter(ctx, digits);
	k = counter ? counter->value : 0;
	return local_instance(ctx, digits, text[length - 1] == 'f' ? k + 1 : k);
}

struct asm_symbol *asm_section_dot_symbol(struct asm_context *ctx, size_t section)
{
	struct asm_section *s = &ctx->sections[section];

	if (!s->base) {
		ctx->retain = true;
		s->base = asm_alloc(ctx, sizeof(*s->base));
		if (!s->base)
			return NULL;
		s->base->name = ".L.section_start";
		s->base->defined = true;
		s->base->section = section;
		s->base->section_base = true;
		s->base->object_index = -1;
	}
	return s->base;
}

int asm_add_fixup(struct asm_context *ctx, const struct asm_fixup *fixup)
{
	ctx->retain = true; /* fixup->expr lives in the arena */
	if (ctx->fixup_count == ctx->fixup_capacity) {
		size_t cap = ctx->fixup_capacity ? ctx->fixup_capacity * 2 : 64;
		struct asm_fixup *grown = realloc(ctx->fixups, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		ctx->fixups = grown;
		ctx->fixup_capacity = cap;
	}
	ctx->fixups[ctx->fixup_count++] = *fixup;
	return 0;
}

/* ".L" names are assembler-local: never written to the symbol table. */
bool asm_symbol_is_temporary(const struct asm_symbol *sym)
{
	return sym->section_base || !strncmp(sym->name, ".L", 2);
}
