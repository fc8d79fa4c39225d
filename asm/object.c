/* object.c - turn the resolved sections, symbols and relocations into an objfmt
 * object: code sections become executable, locals go through section symbols where a
 * relocation needs them, and .map definitions add .maps and .BTF. */
#include <config.h>

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "asm_int.h"
#include "fixup.h"

/* The default .text is left out of the object when nothing was put in it. */
static bool unused_default_text(const struct asm_context *ctx, size_t i)
{
	if (i != 0 || ctx->sections[0].size || ctx->sections[0].needs_symbol)
		return false;
	for (size_t k = 0; k < ctx->symbol_count; k++)
		if (ctx->symbol_order[k]->defined && !ctx->symbol_order[k]->is_constant &&
		    ctx->symbol_order[k]->section == 0)
			return false;
	return true;
}

static int add_sections(struct asm_context *ctx, struct objfmt_object *obj)
{
	for (size_t i = 0; i < ctx->section_count; i++) {
		struct asm_section *s = &ctx->sections[i];
		int index;

		if (s->has_code && !s->flags_explicit)
			s->flags |= SHF_ALLOC | SHF_EXECINSTR;
		if (s->has_code && s->align < 8)
			s->align = 8;
		if (unused_default_text(ctx, i))
			continue;
		index = objfmt_object__add_section(obj, s->name, s->nobits ? OBJFMT_SEC_NOBITS :
						   OBJFMT_SEC_PROGBITS, s->flags, s->align);
		if (index < 0)
			return index;
		s->object_index = index;
		if (s->size && objfmt_object__append(obj, (size_t)index, s->nobits ? NULL : s->data,
						     s->size) < 0)
			return -ENOMEM;
		if (s->entsize)
			objfmt_object__section(obj, (size_t)index)->entsize = s->entsize;
	}
	return 0;
}

static int add_section_symbols(struct asm_context *ctx, struct objfmt_object *obj)
{
	for (size_t i = 0; i < ctx->section_count; i++) {
		struct asm_section *s = &ctx->sections[i];
		struct objfmt_symbol sym = { .name = "", .bind = OBJFMT_BIND_LOCAL,
					     .type = OBJFMT_SYM_SECTION };
		int index;

		if (!s->needs_symbol || s->object_index < 0)
			continue;
		sym.section = (size_t)s->object_index;
		index = objfmt_object__add_symbol(obj, &sym);
		if (index < 0)
			return index;
		s->symbol_index = index;
	}
	return 0;
}

static bool emitted(const struct asm_symbol *sym)
{
	if (sym->keep && !sym->section_base)
		return true;
	if (sym->is_constant || asm_symbol_is_temporary(sym) || sym->implicit)
		return false;
	return sym->defined || sym->bind != OBJFMT_BIND_LOCAL || sym->in_reloc;
}

static bool is_function(const struct asm_context *ctx, const struct asm_symbol *s)
{
	return s->defined && !s->is_constant && !asm_symbol_is_temporary(s) &&
	       ctx->sections[s->section].has_code &&
	       (s->type == OBJFMT_SYM_FUNC || s->bind != OBJFMT_BIND_LOCAL);
}

/* libbpf needs st_size of every program: a function without .size runs up to the next
 * function of its section (or the section end), as clang's .size would say. */
static uint64_t implicit_size(const struct asm_context *ctx, const struct asm_symbol *s)
{
	uint64_t end = ctx->sections[s->section].size;

	for (size_t i = 0; i < ctx->symbol_count; i++) {
		const struct asm_symbol *o = ctx->symbol_order[i];

		if (o != s && is_function(ctx, o) && o->section == s->section && o->value > s->value &&
		    o->value < end)
			end = o->value;
	}
	return end - s->value;
}

static int add_symbol(struct asm_context *ctx, struct objfmt_object *obj, struct asm_symbol *s)
{
	struct objfmt_symbol sym = { .name = s->name, .bind = s->bind, .type = s->type,
				     .vis = s->hidden ? OBJFMT_VIS_HIDDEN : OBJFMT_VIS_DEFAULT };
	struct asm_value size = { 0, NULL };
	int index;

	if (s->defined) {
		sym.section = (size_t)ctx->sections[s->section].object_index;
		sym.value = s->value;
	} else {
		sym.section = OBJFMT_SECTION_UNDEF;
		if (sym.bind == OBJFMT_BIND_LOCAL)
			sym.bind = OBJFMT_BIND_GLOBAL;
	}
	if (s->size && asm_expr_eval(ctx, s->size, &size) == 0) {
		if (size.symbol)
			asm_error(ctx, s->size->loc, "size of '%s' is not a constant", s->name);
		sym.size = (uint64_t)size.addend;
	} else if (!s->size && is_function(ctx, s)) {
		sym.size = implicit_size(ctx, s);
		if (sym.type == OBJFMT_SYM_NOTYPE)
			sym.type = OBJFMT_SYM_FUNC;
	}
	index = objfmt_object__add_symbol(obj, &sym);
	if (index < 0)
		return index;
	s->object_index = index;
	return 0;
}

static int add_symbols(struct asm_context *ctx, struct objfmt_object *obj)
{
	int err;

	for (size_t i = 0; i < ctx->reloc_count; i++)
		ctx->relocs[i].symbol->in_reloc = true;
	for (size_t i = 0; i < ctx->symbol_count; i++) {
		struct asm_symbol *s = ctx->symbol_order[i];

		if (emitted(s) && (err = add_symbol(ctx, obj, s)))
			return err;
	}
	return 0;
}

static int add_relocs(struct asm_context *ctx, struct objfmt_object *obj)
{
	for (size_t i = 0; i < ctx->reloc_count; i++) {
		const struct asm_pending_reloc *p = &ctx->relocs[i];
		struct objfmt_reloc rel = {
			.section = (size_t)ctx->sections[p->section].object_index,
			.offset = p->offset,
			.type = p->type,
			.symbol = p->via_section ?
				(size_t)ctx->sections[p->symbol->section].symbol_index :
				(size_t)p->symbol->object_index,
		};
		int err = objfmt_object__add_reloc(obj, &rel);

		if (err < 0)
			return err;
	}
	return 0;
}

int asm_finalize(struct asm_context *ctx, struct objfmt_object **out)
{
	struct objfmt_object *obj;
	int err;

	*out = NULL;
	asm_fixups_resolve(ctx);
	if (asm_diagnostics__error_count(ctx->diags))
		return -EINVAL;
	obj = objfmt_object__new();
	if (!obj)
		return -ENOMEM;
	err = add_sections(ctx, obj);
	if (!err)
		err = add_section_symbols(ctx, obj);
	if (!err)
		err = add_symbols(ctx, obj);
	if (!err)
		err = add_relocs(ctx, obj);
	if (!err)
		err = asm_maps_emit(ctx, obj);
	if (!err && asm_diagnostics__error_count(ctx->diags))
		err = -EINVAL;
	if (err) {
		objfmt_object__free(obj);
		return err;
	}
	*out = obj;
	return 0;
}
