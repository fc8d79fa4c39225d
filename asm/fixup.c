/* fixup.c - second pass: once every label is placed, resolve jump and call targets,
 * symbolic immediates and data, either to bytes or to relocations the way llvm-mc
 * makes them (local targets through their section symbol, in-place addends). */
#include <config.h>

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"
#include "fixup.h"

static uint8_t *field(struct asm_context *ctx, const struct asm_fixup *f, size_t at)
{
	return ctx->sections[f->section].data + f->offset + at;
}

static void put(uint8_t *p, uint64_t value, unsigned width)
{
	for (unsigned b = 0; b < width; b++)
		p[b] = (uint8_t)(value >> (8 * b));
}

/* Defined locals are reached through their section symbol, as llvm-mc does, except
 * with an addend into a mergeable section (strings may move when merged, so the
 * relocation keeps the symbol; ELFObjectWriter::shouldRelocateWithSymbol). */
static bool through_section(const struct asm_context *ctx, const struct asm_value *v)
{
	const struct asm_symbol *sym = v->symbol;

	if (!sym->defined || sym->is_constant || sym->bind != OBJFMT_BIND_LOCAL)
		return false;
	return !((ctx->sections[sym->section].flags & SHF_MERGE) && v->addend != 0) ||
	       sym->section_base;
}

static int add_reloc(struct asm_context *ctx, const struct asm_fixup *f,
		     enum objfmt_reloc_type type, const struct asm_value *v)
{
	struct asm_symbol *sym = v->symbol;
	struct asm_pending_reloc *r;

	if (ctx->reloc_count == ctx->reloc_capacity) {
		size_t cap = ctx->reloc_capacity ? ctx->reloc_capacity * 2 : 32;
		struct asm_pending_reloc *grown = realloc(ctx->relocs, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		ctx->relocs = grown;
		ctx->reloc_capacity = cap;
	}
	r = &ctx->relocs[ctx->reloc_count++];
	r->section = f->section;
	r->offset = f->offset;
	r->type = type;
	r->symbol = sym;
	r->via_section = through_section(ctx, v);
	if (!r->via_section)
		sym->keep = true; /* named by the relocation: in .symtab even if temporary */
	if (r->via_section)
		ctx->sections[sym->section].needs_symbol = true;
	return 0;
}

/* Names of the defined labels, for "did you mean" on an undefined one. */
static void undefined(struct asm_context *ctx, const struct asm_fixup *f, const char *name,
		      const char *what)
{
	const char **names = malloc((ctx->symbol_count + 1) * sizeof(*names));
	const char *guess = NULL;
	size_t n = 0;

	if (!strncmp(name, ".Lnum.", 6)) { /* "1f" with no "1:" after it, or "1b" before */
		asm_error(ctx, f->loc, "undefined numeric local label '%.*s'",
			  (int)strcspn(name + 6, "."), name + 6);
		free(names);
		return;
	}
	for (size_t i = 0; names && i < ctx->symbol_count; i++)
		if (ctx->symbol_order[i]->defined)
			names[n++] = ctx->symbol_order[i]->name;
	if (names)
		guess = asm_nearest(name, names, n);
	if (guess)
		asm_error(ctx, f->loc, "undefined %s '%s'; did you mean '%s'?", what, name, guess);
	else
		asm_error(ctx, f->loc, "undefined %s '%s'", what, name);
	free(names);
}

static bool constant_only(struct asm_context *ctx, const struct asm_fixup *f,
			  const struct asm_value *v)
{
	if (!v->symbol)
		return true;
	if (!v->symbol->defined)
		undefined(ctx, f, v->symbol->name, "symbol");
	else
		asm_error(ctx, f->loc, "expected a constant, got label '%s'", v->symbol->name);
	return false;
}

/* Instruction delta from the instruction at f->offset to a label in its section. */
static bool branch_delta(struct asm_context *ctx, const struct asm_fixup *f,
			 const struct asm_value *v, int64_t *delta)
{
	int64_t bytes;

	if (!v->symbol) {
		*delta = v->addend;
		return true;
	}
	if (!v->symbol->defined) {
		undefined(ctx, f, v->symbol->name, "label");
		return false;
	}
	if (v->symbol->section != f->section) {
		asm_error(ctx, f->loc, "label '%s' is in section '%s', not in '%s'", v->symbol->name,
			  ctx->sections[v->symbol->section].name, ctx->sections[f->section].name);
		return false;
	}
	bytes = (int64_t)(v->symbol->value + (uint64_t)v->addend) - (int64_t)f->offset - 8;
	if (bytes % 8) {
		asm_error(ctx, f->loc, "label '%s' is not at an instruction boundary", v->symbol->name);
		return false;
	}
	*delta = bytes / 8;
	return true;
}

static void fix_jump(struct asm_context *ctx, const struct asm_fixup *f, const struct asm_value *v)
{
	bool is_long = f->kind == ASM_FIX_JUMP32;
	int64_t delta;

	if (!branch_delta(ctx, f, v, &delta))
		return;
	if (!asm_check_jump(ctx, f->loc, delta, is_long, (field(ctx, f, 0)[0] & 0xf0) != 0))
		return;
	if (is_long)
		put(field(ctx, f, 4), (uint64_t)delta, 4);
	else
		put(field(ctx, f, 2), (uint64_t)delta, 2);
}

static void set_src(struct asm_context *ctx, const struct asm_fixup *f, int src)
{
	uint8_t *regs = field(ctx, f, 1);

	*regs = (uint8_t)((*regs & 0x0f) | (src << 4));
}

/* call NAME: a UAPI helper name not defined here is the helper; a local label of this
 * section is a bpf-to-bpf call; anything else is a R_BPF_64_32 relocation. */
static void fix_call(struct asm_context *ctx, const struct asm_fixup *f, const struct asm_value *v)
{
	struct asm_symbol *sym = v->symbol;
	bool forced_local = (field(ctx, f, 1)[0] >> 4) == OBJFMT_CALL_LOCAL && f->width == 1;
	int64_t delta;
	int32_t helper;

	if (!sym) {
		put(field(ctx, f, 4), (uint64_t)v->addend, 4);
		return;
	}
	helper = sym->defined ? -1 : objfmt_helper_id(sym->name);
	if (helper >= 0 && !forced_local) {
		set_src(ctx, f, OBJFMT_CALL_HELPER);
		put(field(ctx, f, 4), (uint64_t)(int64_t)helper, 4);
		return;
	}
	set_src(ctx, f, OBJFMT_CALL_LOCAL);
	if (sym->defined && sym->section == f->section && sym->bind == OBJFMT_BIND_LOCAL) {
		if (branch_delta(ctx, f, v, &delta) && asm_check_jump(ctx, f->loc, delta, true, false))
			put(field(ctx, f, 4), (uint64_t)delta, 4);
		return;
	}
	if (!sym->defined && forced_local) {
		undefined(ctx, f, sym->name, "function");
		return;
	}
	put(field(ctx, f, 4), (uint64_t)((int64_t)((sym->bind == OBJFMT_BIND_LOCAL ? sym->value : 0)
						    + (uint64_t)v->addend) / 8 - 1), 4);
	add_reloc(ctx, f, OBJFMT_R_BPF_64_32, v);
}

/* REL objects keep the addend in the patched field: the offset from the symbol the
 * relocation names (the section start when it goes through the section symbol). */
static uint64_t in_place_addend(const struct asm_context *ctx, const struct asm_value *v)
{
	return (through_section(ctx, v) ? v->symbol->value : 0) + (uint64_t)v->addend;
}

static void fix_ldimm64(struct asm_context *ctx, const struct asm_fixup *f,
			const struct asm_value *v)
{
	if (!v->symbol) {
		put(field(ctx, f, 4), (uint64_t)v->addend, 4);
		put(field(ctx, f, 12), (uint64_t)v->addend >> 32, 4);
		return;
	}
	put(field(ctx, f, 4), in_place_addend(ctx, v), 4);
	add_reloc(ctx, f, OBJFMT_R_BPF_64_64, v);
}

/* LLVM's rule for 4-byte data: a label in a writable section (.BTF DATASEC offsets) or
 * a temporary label in code (.BTF.ext) gets NODYLD32, everything else ABS32. */
static enum objfmt_reloc_type data4_type(struct asm_context *ctx, const struct asm_symbol *sym)
{
	uint64_t flags;

	if (!sym->defined)
		return OBJFMT_R_BPF_64_ABS32;
	flags = ctx->sections[sym->section].flags;
	if (asm_symbol_is_temporary(sym) && (flags & SHF_ALLOC) && (flags & SHF_EXECINSTR))
		return OBJFMT_R_BPF_64_NODYLD32;
	if (!asm_symbol_is_temporary(sym) && (flags & SHF_ALLOC) && (flags & SHF_WRITE))
		return OBJFMT_R_BPF_64_NODYLD32;
	return OBJFMT_R_BPF_64_ABS32;
}

static void fix_data(struct asm_context *ctx, const struct asm_fixup *f, const struct asm_value *v)
{
	if (!v->symbol) {
		if (!asm_data_fits(v->addend, f->width))
			asm_error(ctx, f->loc, "value %lld does not fit in %u byte%s",
				  (long long)v->addend, f->width, f->width == 1 ? "" : "s");
		put(field(ctx, f, 0), (uint64_t)v->addend, f->width);
		return;
	}
	if (f->width < 4) {
		asm_error(ctx, f->loc, "cannot relocate a %u-byte value: use .long or .quad", f->width);
		return;
	}
	put(field(ctx, f, 0), in_place_addend(ctx, v), f->width);
	add_reloc(ctx, f, f->width == 8 ? OBJFMT_R_BPF_64_ABS64 : data4_type(ctx, v->symbol), v);
}

static void resolve(struct asm_context *ctx, const struct asm_fixup *f)
{
	struct asm_value v;

	if (asm_expr_eval(ctx, f->expr, &v))
		return;
	if (v.symbol && v.symbol->section_base && f->kind != ASM_FIX_DATA &&
	    f->kind != ASM_FIX_LDIMM64) {
		asm_error(ctx, f->loc, "'.' is not allowed here");
		return;
	}
	switch (f->kind) {
	case ASM_FIX_IMM32:
		if (constant_only(ctx, f, &v) && asm_check_imm32(ctx, f->loc, v.addend, f->alu64))
			put(field(ctx, f, 4), (uint64_t)v.addend, 4);
		break;
	case ASM_FIX_OFF16:
		if (constant_only(ctx, f, &v) && asm_check_off16(ctx, f->loc, v.addend))
			put(field(ctx, f, 2), (uint64_t)v.addend, 2);
		break;
	case ASM_FIX_JUMP16:
	case ASM_FIX_JUMP32:
		fix_jump(ctx, f, &v);
		break;
	case ASM_FIX_CALL:
		fix_call(ctx, f, &v);
		break;
	case ASM_FIX_LDIMM64:
		fix_ldimm64(ctx, f, &v);
		break;
	case ASM_FIX_DATA:
		fix_data(ctx, f, &v);
		break;
	}
}

/* The mnemonic dialect's first `exit` is also a label named "exit". */
static void implicit_exit_label(struct asm_context *ctx)
{
	struct asm_symbol *sym;
	struct asm_loc nowhere = { 0, 0 };

	if (ctx->dialect != ASM_DIALECT_MNEMONIC || !ctx->first_exit_seen)
		return;
	sym = asm_symbol_get(ctx, "exit", nowhere);
	if (!sym || sym->defined)
		return;
	sym->defined = true;
	sym->section = ctx->first_exit_section;
	sym->value = ctx->first_exit_offset;
	sym->implicit = true;
}

void asm_fixups_resolve(struct asm_context *ctx)
{
	implicit_exit_label(ctx);
	for (size_t i = 0; i < ctx->fixup_count && !ctx->aborted; i++)
		resolve(ctx, &ctx->fixups[i]);
}
