/* link_symbols.c - symbol resolution: locals are copied, globals share one output
 * symbol per name (a strong definition beats a weak one, two strong ones are an error,
 * externs bind to the definition, hidden visibility is contagious), and whatever stays
 * undefined at the end must be an extern the loader resolves (.kconfig, .ksyms).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

static uint64_t name_hash(const char *name)
{
	uint64_t hash = 1469598103934665603ull;

	while (*name)
		hash = (hash ^ (uint8_t)*name++) * 1099511628211ull;
	return hash;
}

static const char *global_name(const struct ld_linker *linker, const struct link_global *g)
{
	return objfmt_object__symbol(linker->out, g->symbol)->name;
}

struct link_global *link_global_find(struct ld_linker *linker, const char *name)
{
	size_t mask = linker->global_capacity - 1, slot;

	if (!linker->global_capacity || !name || !*name)
		return NULL;
	for (slot = name_hash(name) & mask; linker->global_slots[slot]; slot = (slot + 1) & mask) {
		struct link_global *g = &linker->globals[linker->global_slots[slot] - 1];

		if (strcmp(global_name(linker, g), name) == 0)
			return g;
	}
	return NULL;
}

static void slots_place(struct ld_linker *linker, size_t *slots, size_t capacity, size_t i)
{
	size_t slot = name_hash(global_name(linker, &linker->globals[i])) & (capacity - 1);

	while (slots[slot])
		slot = (slot + 1) & (capacity - 1);
	slots[slot] = i + 1;
}

/* Keep the table at most half full. */
static int slots_grow(struct ld_linker *linker)
{
	size_t capacity = linker->global_capacity ? linker->global_capacity * 2 : 64;
	size_t *slots, i;

	if (linker->global_count * 2 < linker->global_capacity)
		return 0;
	slots = calloc(capacity, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < linker->global_count; i++)
		slots_place(linker, slots, capacity, i);
	free(linker->global_slots);
	linker->global_slots = slots;
	linker->global_capacity = capacity;
	return 0;
}

static struct link_global *global_insert(struct ld_linker *linker, size_t symbol)
{
	struct link_global *g;

	if (link_grow((void **)&linker->globals, linker->global_count, sizeof(*g)))
		return NULL;
	g = &linker->globals[linker->global_count++];
	memset(g, 0, sizeof(*g));
	g->symbol = symbol;
	if (slots_grow(linker)) {
		linker->global_count--;
		return NULL;
	}
	slots_place(linker, linker->global_slots, linker->global_capacity,
		    linker->global_count - 1);
	return g;
}

void link_globals_free(struct ld_linker *linker)
{
	free(linker->globals);
	free(linker->global_slots);
}

static const char *symbol_kind(enum objfmt_sym_type type)
{
	return type == OBJFMT_SYM_FUNC ? "function" : "object";
}

/* The input symbol moved to its output section. */
static struct objfmt_symbol symbol_moved(const struct link_input *in,
					 const struct objfmt_symbol *sym)
{
	struct objfmt_symbol moved = *sym;

	if (sym->section < objfmt_object__section_count(in->obj)) {
		moved.section = in->section_map[sym->section];
		moved.value = sym->value + in->section_shift[sym->section];
	}
	return moved;
}

static int local_add(struct ld_linker *linker, struct link_input *in, size_t index,
		     const struct objfmt_symbol *sym, struct ld_diag *diag)
{
	struct objfmt_symbol moved = symbol_moved(in, sym);
	int out;

	if (moved.section == LINK_NONE)
		return 0; /* a label in DWARF or another section that is not linked */
	out = objfmt_object__add_symbol(linker->out, &moved);
	if (out < 0)
		return link_error(diag, out, "%s: symbol '%s': cannot be added", in->name,
				  sym->name);
	in->symbol_map[index] = (size_t)out;
	return 0;
}

/* Remember the bytes of a weak .maps definition that lost, so that its static
 * initializers are not emitted for a map the output does not have. */
static int drop_map_bytes(struct ld_linker *linker, const struct objfmt_symbol *def)
{
	const struct objfmt_section *sec;
	struct link_range range;

	if (def->section >= objfmt_object__section_count(linker->out))
		return 0;
	sec = objfmt_object__section(linker->out, def->section);
	if (strcmp(sec->name, ".maps") != 0)
		return 0;
	range.section = def->section;
	range.start = def->value;
	range.end = def->value + def->size;
	if (link_grow((void **)&linker->dropped, linker->dropped_count, sizeof(range)))
		return -ENOMEM;
	linker->dropped[linker->dropped_count++] = range;
	return 0;
}

/* Two definitions of one global: the strong one stays, two strong ones are an error
 * (except the license, kept once and already checked to agree). */
static int definitions_merge(struct ld_linker *linker, struct link_input *in,
			     struct link_global *g, const struct objfmt_symbol *sym,
			     const struct objfmt_symbol *moved, struct ld_diag *diag)
{
	struct objfmt_symbol *out = objfmt_object__symbol(linker->out, g->symbol);
	bool license = link_is_license(objfmt_object__section(in->obj, sym->section));

	if (license && out->section == moved->section && out->value == moved->value)
		return 0;
	if (sym->bind == OBJFMT_BIND_WEAK)
		return drop_map_bytes(linker, moved);
	if (!g->weak_definition)
		return link_error(diag, -EINVAL, "symbol '%s' is defined in both %s and %s",
				  sym->name, g->defined_in, in->name);
	if (drop_map_bytes(linker, out))
		return -ENOMEM;
	out->section = moved->section;
	out->value = moved->value;
	out->size = moved->size;
	out->bind = OBJFMT_BIND_GLOBAL;
	g->defined_in = in->name;
	g->weak_definition = false;
	return 0;
}

/* A later mention of a known global: definitions compete, externs just bind. */
static int global_merge(struct ld_linker *linker, struct link_input *in,
			struct link_global *g, const struct objfmt_symbol *sym,
			const struct objfmt_symbol *moved, struct ld_diag *diag)
{
	struct objfmt_symbol *out = objfmt_object__symbol(linker->out, g->symbol);

	if (sym->type != OBJFMT_SYM_NOTYPE && out->type != OBJFMT_SYM_NOTYPE &&
	    sym->type != out->type && (sym->type == OBJFMT_SYM_FUNC ||
				       out->type == OBJFMT_SYM_FUNC))
		return link_error(diag, -EINVAL, "symbol '%s' is a%s %s in %s but a%s %s in %s",
				  sym->name, out->type == OBJFMT_SYM_FUNC ? "" : "n",
				  symbol_kind(out->type), g->defined_in ? g->defined_in :
				  g->referenced_in, sym->type == OBJFMT_SYM_FUNC ? "" : "n",
				  symbol_kind(sym->type), in->name);
	if (sym->vis == OBJFMT_VIS_HIDDEN)
		out->vis = OBJFMT_VIS_HIDDEN;
	if (out->type == OBJFMT_SYM_NOTYPE)
		out->type = sym->type;
	if (sym->section == OBJFMT_SECTION_UNDEF) {
		if (!g->referenced_in)
			g->referenced_in = in->name;
		if (out->section == OBJFMT_SECTION_UNDEF && sym->bind == OBJFMT_BIND_GLOBAL)
			out->bind = OBJFMT_BIND_GLOBAL;
		return 0;
	}
	if (g->defined_in)
		return definitions_merge(linker, in, g, sym, moved, diag);
	out->section = moved->section;
	out->value = moved->value;
	out->size = moved->size;
	out->bind = sym->bind;
	g->defined_in = in->name;
	g->weak_definition = sym->bind == OBJFMT_BIND_WEAK;
	return 0;
}

static int global_add(struct ld_linker *linker, struct link_input *in, size_t index,
		      const struct objfmt_symbol *sym, struct ld_diag *diag)
{
	struct objfmt_symbol moved = symbol_moved(in, sym);
	struct link_global *g = link_global_find(linker, sym->name);
	int out, err;

	if (moved.section == LINK_NONE)
		return link_error(diag, -EINVAL, "%s: symbol '%s': defined in section '%s', "
				  "which is not code or loadable data", in->name, sym->name,
				  objfmt_object__section(in->obj, sym->section)->name);
	if (g) {
		in->symbol_map[index] = g->symbol;
		return global_merge(linker, in, g, sym, &moved, diag);
	}
	out = objfmt_object__add_symbol(linker->out, &moved);
	if (out < 0)
		return link_error(diag, out, "%s: symbol '%s': cannot be added", in->name,
				  sym->name);
	g = global_insert(linker, (size_t)out);
	if (!g)
		return link_error(diag, -ENOMEM, "out of memory");
	err = 0;
	if (sym->section == OBJFMT_SECTION_UNDEF) {
		g->referenced_in = in->name;
	} else {
		g->defined_in = in->name;
		g->weak_definition = sym->bind == OBJFMT_BIND_WEAK;
	}
	in->symbol_map[index] = (size_t)out;
	return err;
}

int link_symbols_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag)
{
	size_t i;
	int err = 0;

	for (i = 0; i < objfmt_object__symbol_count(in->obj) && !err; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(in->obj, i);

		if (sym->type == OBJFMT_SYM_FILE)
			continue;
		if (sym->type == OBJFMT_SYM_SECTION) {
			size_t out = in->section_map[sym->section];

			if (out != LINK_NONE) {
				int symbol = link_section_symbol(linker, out);

				if (symbol < 0)
					return link_error(diag, symbol, "out of memory");
				in->symbol_map[i] = (size_t)symbol;
			}
		} else if (sym->bind == OBJFMT_BIND_LOCAL) {
			err = local_add(linker, in, i, sym, diag);
		} else {
			err = global_add(linker, in, i, sym, diag);
		}
	}
	return err;
}

int link_symbols_check_resolved(struct ld_linker *linker, struct ld_diag *diag)
{
	size_t i;

	for (i = 0; i < linker->global_count; i++) {
		const struct link_global *g = &linker->globals[i];
		const struct objfmt_symbol *sym = objfmt_object__symbol(linker->out, g->symbol);

		if (sym->section != OBJFMT_SECTION_UNDEF)
			continue;
		if (g->btf_id && link_btf_extern_allowed(linker, g->btf_id))
			continue;
		return link_error(diag, -EINVAL, "unresolved symbol '%s' (referenced by %s): "
				  "no object defines it", sym->name, g->referenced_in);
	}
	return 0;
}
