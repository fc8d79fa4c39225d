/* directives.c - assembler directives shared by both dialects: sections, symbol
 * attributes, alignment, data, strings, .set, line info, and .license/.version.
 * (.map lives in maps.c.) */
#include <config.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

typedef void directive_fn(struct asm_context *ctx, const char *name, struct asm_loc loc,
			  struct asm_arg **args, size_t count);

static directive_fn dir_section, dir_named_section, dir_bind, dir_hidden, dir_type, dir_size,
	dir_align, dir_data, dir_leb128, dir_string, dir_zero, dir_set, dir_ignore, dir_license,
	dir_version, dir_map;

static const struct {
	const char *name;
	directive_fn *fn;
} directives[] = {
	{ ".text", dir_named_section },  { ".data", dir_named_section },
	{ ".bss", dir_named_section },   { ".rodata", dir_named_section },
	{ ".section", dir_section },     { ".pushsection", dir_section },
	{ ".globl", dir_bind },          { ".global", dir_bind },
	{ ".local", dir_bind },          { ".weak", dir_bind },
	{ ".hidden", dir_hidden },       { ".type", dir_type },
	{ ".size", dir_size },           { ".p2align", dir_align },
	{ ".align", dir_align },         { ".balign", dir_align },
	{ ".byte", dir_data },           { ".short", dir_data },
	{ ".2byte", dir_data },          { ".hword", dir_data },
	{ ".long", dir_data },           { ".4byte", dir_data },
	{ ".int", dir_data },            { ".quad", dir_data },
	{ ".8byte", dir_data },          { ".ascii", dir_string },
	{ ".uleb128", dir_leb128 },      { ".sleb128", dir_leb128 },
	{ ".asciz", dir_string },        { ".string", dir_string },
	{ ".zero", dir_zero },           { ".skip", dir_zero },
	{ ".space", dir_zero },          { ".set", dir_set },
	{ ".equ", dir_set },             { ".file", dir_ignore },
	{ ".loc", dir_ignore },          { ".addrsig", dir_ignore },
	{ ".addrsig_sym", dir_ignore },  { ".ident", dir_ignore },
	{ ".license", dir_license },     { ".version", dir_version },
	{ ".map", dir_map },
};
#define DIRECTIVE_COUNT (sizeof(directives) / sizeof(directives[0]))

/* Call-frame directives (.cfi_*) describe unwinding for debuggers: BPF has none. */
static bool is_cfi(const char *name)
{
	return !strncmp(name, ".cfi_", 5);
}

bool asm_directive_raw(const char *name)
{
	return is_cfi(name) || !strcmp(name, ".file") || !strcmp(name, ".loc");
}

/* .file/.loc/.cfi_*: source and line info for DWARF consumers; accepted, not encoded
 * (BPF line info comes from .BTF.ext, which clang emits as data directives). */
void asm_directive_text(struct asm_context *ctx, const char *name, struct asm_loc loc,
			const char *text, struct asm_loc text_loc)
{
	(void)ctx, (void)name, (void)loc, (void)text, (void)text_loc;
}

bool asm_directive_known(const char *name)
{
	if (is_cfi(name))
		return true;
	for (size_t i = 0; i < DIRECTIVE_COUNT; i++)
		if (!strcmp(directives[i].name, name))
			return true;
	return false;
}

const char *asm_directive_name(size_t i)
{
	return i < DIRECTIVE_COUNT ? directives[i].name : NULL;
}

/* A symbol name argument: a name, or a quoted one ("lock"). */
static const char *arg_name(const struct asm_arg *arg)
{
	if (arg->kind == ASM_ARG_EXPR && arg->expr->kind == ASM_EXPR_SYMBOL)
		return arg->expr->name;
	if (arg->kind == ASM_ARG_STRING && arg->length && !memchr(arg->text, '\0', arg->length))
		return arg->text;
	return NULL;
}

static bool want_count(struct asm_context *ctx, const char *name, struct asm_loc loc,
		       size_t count, size_t min, size_t max)
{
	if (count >= min && count <= max)
		return true;
	asm_error(ctx, loc, "'%s' takes %s%zu argument%s, got %zu", name,
		  min == max ? "" : count < min ? "at least " : "at most ",
		  count < min ? min : max, (count < min ? min : max) == 1 ? "" : "s", count);
	return false;
}

static bool constant_arg(struct asm_context *ctx, const struct asm_arg *arg, int64_t *out)
{
	struct asm_value v;

	if (arg->kind != ASM_ARG_EXPR) {
		asm_error(ctx, arg->loc, "expected a number");
		return false;
	}
	if (asm_expr_eval(ctx, arg->expr, &v))
		return false;
	if (v.symbol) {
		asm_error(ctx, arg->loc, "expected a constant, got symbol '%s'", v.symbol->name);
		return false;
	}
	*out = v.addend;
	return true;
}

void asm_directive(struct asm_context *ctx, const char *name, struct asm_loc loc,
		   struct asm_arg *list)
{
	struct asm_arg **args;
	size_t count = 0, i;

	for (struct asm_arg *a = list; a; a = a->next)
		count++;
	args = asm_alloc(ctx, (count + 1) * sizeof(*args));
	if (!args)
		return;
	i = count;
	for (struct asm_arg *a = list; a; a = a->next)
		args[--i] = a;
	for (i = 0; i < DIRECTIVE_COUNT; i++) {
		if (!strcmp(directives[i].name, name)) {
			directives[i].fn(ctx, name, loc, args, count);
			return;
		}
	}
	if (is_cfi(name))
		return;
	asm_unknown_instruction(ctx, name, loc);
}

static void dir_named_section(struct asm_context *ctx, const char *name, struct asm_loc loc,
			      struct asm_arg **args, size_t count)
{
	(void)args;
	if (want_count(ctx, name, loc, count, 0, 0))
		asm_section_switch(ctx, name, loc);
}

static uint64_t parse_flags(struct asm_context *ctx, const struct asm_arg *arg)
{
	uint64_t flags = 0;

	for (size_t i = 0; i < arg->length; i++) {
		switch (arg->text[i]) {
		case 'a': flags |= SHF_ALLOC; break;
		case 'w': flags |= SHF_WRITE; break;
		case 'x': flags |= SHF_EXECINSTR; break;
		case 'M': flags |= SHF_MERGE; break;
		case 'S': flags |= SHF_STRINGS; break;
		case 'G': case 'T': case 'o': case 'R': break;
		default:
			asm_error(ctx, arg->loc, "unknown section flag '%c': expected a, w, x, M or S",
				  arg->text[i]);
		}
	}
	return flags;
}

/* .section NAME[, "flags"][, @progbits|@nobits][, entsize] */
static void dir_section(struct asm_context *ctx, const char *name, struct asm_loc loc,
			struct asm_arg **args, size_t count)
{
	const char *section_name = count ? arg_name(args[0]) : NULL;
	struct asm_section *s;

	if (count && args[0]->kind == ASM_ARG_STRING)
		section_name = args[0]->text;
	if (!section_name) {
		asm_error(ctx, loc, "'%s' needs a section name", name);
		return;
	}
	if (asm_section_switch(ctx, section_name, loc))
		return;
	s = asm_current_section(ctx);
	if (count > 1 && args[1]->kind == ASM_ARG_STRING) {
		s->flags = parse_flags(ctx, args[1]);
		s->flags_explicit = true;
	}
	if (count > 2 && args[2]->kind == ASM_ARG_TYPE) {
		if (!strcmp(args[2]->text, "nobits"))
			s->nobits = true;
		else if (strcmp(args[2]->text, "progbits"))
			asm_error(ctx, args[2]->loc, "unknown section type '@%s': expected @progbits "
				  "or @nobits", args[2]->text);
	}
	if (count > 3) {
		int64_t entsize;

		if (constant_arg(ctx, args[3], &entsize))
			s->entsize = (uint64_t)entsize;
	}
}

static void dir_bind(struct asm_context *ctx, const char *name, struct asm_loc loc,
		     struct asm_arg **args, size_t count)
{
	enum objfmt_sym_bind bind = name[1] == 'g' ? OBJFMT_BIND_GLOBAL :
		name[1] == 'w' ? OBJFMT_BIND_WEAK : OBJFMT_BIND_LOCAL;

	if (!want_count(ctx, name, loc, count, 1, 1000000))
		return;
	for (size_t i = 0; i < count; i++) {
		const char *symbol = arg_name(args[i]);
		struct asm_symbol *sym;

		if (!symbol) {
			asm_error(ctx, args[i]->loc, "'%s' expects symbol names", name);
			continue;
		}
		sym = asm_symbol_get(ctx, symbol, args[i]->loc);
		if (sym) {
			sym->bind = bind;
			sym->bind_explicit = true;
		}
	}
}

static void dir_hidden(struct asm_context *ctx, const char *name, struct asm_loc loc,
		       struct asm_arg **args, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct asm_symbol *sym = arg_name(args[i]) ?
			asm_symbol_get(ctx, arg_name(args[i]), args[i]->loc) : NULL;

		if (sym)
			sym->hidden = true;
		else
			asm_error(ctx, args[i]->loc, "'%s' expects symbol names", name);
	}
	(void)loc;
}

/* .type NAME, @function|@object|@notype (also %function, "function", STT_FUNC) */
static void dir_type(struct asm_context *ctx, const char *name, struct asm_loc loc,
		     struct asm_arg **args, size_t count)
{
	struct asm_symbol *sym;
	const char *type;

	if (!want_count(ctx, name, loc, count, 2, 2) || !arg_name(args[0]))
		return;
	type = args[1]->kind == ASM_ARG_TYPE || args[1]->kind == ASM_ARG_STRING ? args[1]->text
		: arg_name(args[1]);
	sym = asm_symbol_get(ctx, arg_name(args[0]), args[0]->loc);
	if (!sym || !type)
		return;
	if (!strcmp(type, "function") || !strcmp(type, "STT_FUNC"))
		sym->type = OBJFMT_SYM_FUNC;
	else if (!strcmp(type, "object") || !strcmp(type, "STT_OBJECT"))
		sym->type = OBJFMT_SYM_OBJECT;
	else if (!strcmp(type, "notype") || !strcmp(type, "STT_NOTYPE"))
		sym->type = OBJFMT_SYM_NOTYPE;
	else
		asm_error(ctx, args[1]->loc, "unknown symbol type '%s': expected @function, "
			  "@object or @notype", type);
}

static void dir_size(struct asm_context *ctx, const char *name, struct asm_loc loc,
		     struct asm_arg **args, size_t count)
{
	struct asm_symbol *sym;

	if (!want_count(ctx, name, loc, count, 2, 2) || !arg_name(args[0]) ||
	    args[1]->kind != ASM_ARG_EXPR)
		return;
	sym = asm_symbol_get(ctx, arg_name(args[0]), args[0]->loc);
	ctx->retain = true;
	if (sym)
		sym->size = args[1]->expr;
}

/* .p2align N / .align BYTES / .balign BYTES: pad with zeros. In a code section the
 * padding must be whole instructions. */
static void dir_align(struct asm_context *ctx, const char *name, struct asm_loc loc,
		      struct asm_arg **args, size_t count)
{
	struct asm_section *s = asm_current_section(ctx);
	int64_t value, align;
	size_t pad;

	if (!want_count(ctx, name, loc, count, 1, 3) || !constant_arg(ctx, args[0], &value))
		return;
	if (!strcmp(name, ".p2align")) {
		if (value < 0 || value > 16) {
			asm_error(ctx, args[0]->loc, "alignment 2^%lld is out of range (0 to 16)",
				  (long long)value);
			return;
		}
		align = (int64_t)1 << value;
	} else {
		align = value;
		if (align <= 0 || (align & (align - 1)) || align > 65536) {
			asm_error(ctx, args[0]->loc, "alignment %lld is not a power of 2 up to 65536",
				  (long long)value);
			return;
		}
	}
	pad = (size_t)((uint64_t)(align - (int64_t)(s->size % (uint64_t)align)) % (uint64_t)align);
	if (pad % 8 && (s->has_code || (s->flags & SHF_EXECINSTR))) {
		asm_error(ctx, loc, "misaligned '%s': padding code at offset %zu to %lld bytes "
			  "needs %zu bytes, not a whole number of 8-byte instructions", name,
			  s->size, (long long)align, pad);
		return;
	}
	if ((uint64_t)align > s->align)
		s->align = (uint64_t)align;
	if (pad)
		asm_section_append(ctx, NULL, pad);
}

static unsigned data_width(const char *name)
{
	if (!strcmp(name, ".byte"))
		return 1;
	if (!strcmp(name, ".short") || !strcmp(name, ".2byte") || !strcmp(name, ".hword"))
		return 2;
	if (!strcmp(name, ".long") || !strcmp(name, ".4byte") || !strcmp(name, ".int"))
		return 4;
	return 8;
}

bool asm_data_fits(int64_t value, unsigned width)
{
	if (width == 8)
		return true;
	return value >= -((int64_t)1 << (width * 8 - 1)) && value < ((int64_t)1 << (width * 8));
}

static void dir_data(struct asm_context *ctx, const char *name, struct asm_loc loc,
		     struct asm_arg **args, size_t count)
{
	unsigned width = data_width(name);

	(void)loc;
	for (size_t i = 0; i < count; i++) {
		struct asm_fixup fixup = { ASM_FIX_DATA, ctx->current, asm_current_section(ctx)->size,
					   width, false, args[i]->expr, args[i]->loc };
		int64_t value = 0;
		uint8_t bytes[8];

		if (args[i]->kind == ASM_ARG_STRING && arg_name(args[i])) /* .quad "lock" */
			fixup.expr = asm_expr_symbol(ctx, arg_name(args[i]), args[i]->loc);
		else if (args[i]->kind != ASM_ARG_EXPR) {
			asm_error(ctx, args[i]->loc, "'%s' expects numbers or symbols", name);
			continue;
		}
		if (!asm_expr_constant(fixup.expr, &value))
			asm_add_fixup(ctx, &fixup);
		else if (!asm_data_fits(value, width))
			asm_error(ctx, args[i]->loc, "value %lld does not fit in %u byte%s",
				  (long long)value, width, width == 1 ? "" : "s");
		for (unsigned b = 0; b < width; b++)
			bytes[b] = (uint8_t)((uint64_t)value >> (8 * b));
		asm_section_append(ctx, bytes, width);
	}
}

/* .uleb128/.sleb128 VALUE: variable-length, so the value must be known here
 * (constants, or differences of labels already placed). */
static void dir_leb128(struct asm_context *ctx, const char *name, struct asm_loc loc,
		       struct asm_arg **args, size_t count)
{
	bool is_signed = name[1] == 's';

	(void)loc;
	for (size_t i = 0; i < count; i++) {
		uint8_t bytes[10];
		size_t n = 0;
		int64_t value;
		bool more = true;

		if (!constant_arg(ctx, args[i], &value))
			continue;
		while (more && n < sizeof(bytes)) {
			uint8_t byte = (uint8_t)(value & 0x7f);

			value = is_signed ? value >> 7 : (int64_t)((uint64_t)value >> 7);
			more = is_signed ? !((value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40)))
					 : value != 0;
			bytes[n++] = (uint8_t)(byte | (more ? 0x80 : 0));
		}
		asm_section_append(ctx, bytes, n);
	}
}

static void dir_string(struct asm_context *ctx, const char *name, struct asm_loc loc,
		       struct asm_arg **args, size_t count)
{
	bool terminate = strcmp(name, ".ascii") != 0;

	(void)loc;
	for (size_t i = 0; i < count; i++) {
		if (args[i]->kind != ASM_ARG_STRING) {
			asm_error(ctx, args[i]->loc, "'%s' expects a string", name);
			continue;
		}
		asm_section_append(ctx, args[i]->text, args[i]->length + terminate);
	}
}

static void dir_zero(struct asm_context *ctx, const char *name, struct asm_loc loc,
		     struct asm_arg **args, size_t count)
{
	int64_t size, fill = 0;

	if (!want_count(ctx, name, loc, count, 1, 2) || !constant_arg(ctx, args[0], &size) ||
	    (count == 2 && !constant_arg(ctx, args[1], &fill)))
		return;
	if (size < 0 || size > (1 << 28)) {
		asm_error(ctx, args[0]->loc, "invalid size %lld for '%s'", (long long)size, name);
		return;
	}
	if (asm_section_append(ctx, NULL, (size_t)size) == 0 && fill) {
		struct asm_section *s = asm_current_section(ctx);
		memset(s->data + s->size - (size_t)size, (int)fill, (size_t)size);
	}
}

static void dir_set(struct asm_context *ctx, const char *name, struct asm_loc loc,
		    struct asm_arg **args, size_t count)
{
	struct asm_symbol *sym;

	if (!want_count(ctx, name, loc, count, 2, 2))
		return;
	if (!arg_name(args[0]) || args[1]->kind != ASM_ARG_EXPR) {
		asm_error(ctx, args[0]->loc, "'%s' expects NAME, EXPRESSION", name);
		return;
	}
	sym = asm_symbol_get(ctx, arg_name(args[0]), args[0]->loc);
	if (!sym)
		return;
	if (sym->defined) {
		asm_error(ctx, args[0]->loc, "'%s' is already defined (line %u)", sym->name,
			  sym->loc.line);
		return;
	}
	ctx->retain = true;
	sym->defined = true;
	sym->is_constant = true;
	sym->set_expr = args[1]->expr;
	sym->loc = args[0]->loc;
}

/* .file/.loc (line info for debuggers) and LLVM's bookkeeping (.addrsig, .ident) carry
 * nothing the object needs from us. */
static void dir_ignore(struct asm_context *ctx, const char *name, struct asm_loc loc,
		       struct asm_arg **args, size_t count)
{
	(void)ctx, (void)name, (void)loc, (void)args, (void)count;
}

/* Put `size` bytes into a new section `section` under global object symbol `symbol`. */
static void named_object(struct asm_context *ctx, const char *section, const char *symbol,
			 const void *data, size_t size, struct asm_loc loc)
{
	size_t previous = ctx->current;
	struct asm_symbol *sym;

	if (asm_section_switch(ctx, section, loc))
		return;
	if (asm_current_section(ctx)->size) {
		asm_error(ctx, loc, "section '%s' is already defined", section);
		ctx->current = previous;
		return;
	}
	asm_current_section(ctx)->flags = SHF_ALLOC | SHF_WRITE;
	asm_define_label(ctx, symbol, loc);
	asm_section_append(ctx, data, size);
	sym = asm_symbol_find(ctx, symbol);
	if (sym) {
		sym->bind = OBJFMT_BIND_GLOBAL;
		sym->type = OBJFMT_SYM_OBJECT;
		sym->size = asm_expr_number(ctx, size, loc);
	}
	ctx->retain = true;
	ctx->current = previous;
}

static void dir_license(struct asm_context *ctx, const char *name, struct asm_loc loc,
			struct asm_arg **args, size_t count)
{
	if (!want_count(ctx, name, loc, count, 1, 1))
		return;
	if (args[0]->kind != ASM_ARG_STRING) {
		asm_error(ctx, args[0]->loc, "'.license' expects a string such as \"GPL\"");
		return;
	}
	named_object(ctx, "license", "_license", args[0]->text, args[0]->length + 1, loc);
}

static void dir_version(struct asm_context *ctx, const char *name, struct asm_loc loc,
			struct asm_arg **args, size_t count)
{
	int64_t version;
	uint8_t bytes[4];

	if (!want_count(ctx, name, loc, count, 1, 1) || !constant_arg(ctx, args[0], &version))
		return;
	if (!asm_data_fits(version, 4)) {
		asm_error(ctx, args[0]->loc, "version %lld does not fit in 32 bits", (long long)version);
		return;
	}
	for (int b = 0; b < 4; b++)
		bytes[b] = (uint8_t)((uint64_t)version >> (8 * b));
	named_object(ctx, "version", "_version", bytes, 4, loc);
}

static void dir_map(struct asm_context *ctx, const char *name, struct asm_loc loc,
		    struct asm_arg **args, size_t count)
{
	(void)name;
	asm_map_directive(ctx, loc, args, count);
}
