/* insn.c - the instruction builder: finds the row of OBJFMT_OPCODES for a mnemonic and
 * operand form, checks registers and ranges, encodes with objfmt_insn_encode and
 * records fixups for operands that need labels or symbols. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

static size_t hash_key(const char *mnemonic, enum objfmt_form form)
{
	size_t h = 5381 + (size_t)form * 33;

	for (const unsigned char *p = (const unsigned char *)mnemonic; *p; p++)
		h = h * 33 + *p;
	return h;
}

/* Open-addressing table over the opcode rows, keyed by (mnemonic, form). */
int asm_op_table_build(struct asm_context *ctx)
{
	size_t size = 512;

	ctx->op_hash = calloc(size, sizeof(*ctx->op_hash));
	if (!ctx->op_hash)
		return -ENOMEM;
	ctx->op_hash_size = size;
	for (int op = 1; op < OBJFMT_OP__COUNT; op++) {
		const struct objfmt_opinfo *info = objfmt_opinfo((enum objfmt_op)op);
		size_t i;

		if (!info)
			continue;
		i = hash_key(info->mnemonic, info->form) & (size - 1);
		while (ctx->op_hash[i])
			i = (i + 1) & (size - 1);
		ctx->op_hash[i] = info;
	}
	return 0;
}

const struct objfmt_opinfo *asm_op_find(const struct asm_context *ctx, const char *mnemonic,
					 enum objfmt_form form)
{
	size_t mask = ctx->op_hash_size - 1;

	for (size_t i = hash_key(mnemonic, form) & mask; ctx->op_hash[i]; i = (i + 1) & mask) {
		const struct objfmt_opinfo *info = ctx->op_hash[i];

		if (info->form == form && strcmp(info->mnemonic, mnemonic) == 0)
			return info;
	}
	return NULL;
}

bool asm_mnemonic_known(const struct asm_context *ctx, const char *mnemonic)
{
	(void)ctx;
	for (int op = 1; op < OBJFMT_OP__COUNT; op++) {
		const struct objfmt_opinfo *info = objfmt_opinfo((enum objfmt_op)op);

		if (info && strcmp(info->mnemonic, mnemonic) == 0)
			return true;
	}
	return false;
}

void asm_insn_init(struct asm_insn *insn, const char *mnemonic, enum objfmt_form form,
		   struct asm_loc loc)
{
	memset(insn, 0, sizeof(*insn));
	insn->mnemonic = mnemonic;
	insn->form = form;
	insn->loc = loc;
	insn->mnemonic_loc = loc;
	insn->dst = -1;
	insn->src = -1;
	insn->call_kind = -1;
}

static bool check_register(struct asm_context *ctx, int number, struct asm_loc loc)
{
	if (number <= 10)
		return true;
	asm_error(ctx, loc, "invalid register '%s%d': registers are %s0 to %s10",
		  ctx->dialect == ASM_DIALECT_MNEMONIC ? "%r" : "r", number,
		  ctx->dialect == ASM_DIALECT_MNEMONIC ? "%r" : "r",
		  ctx->dialect == ASM_DIALECT_MNEMONIC ? "%r" : "r");
	return false;
}

bool asm_check_imm32(struct asm_context *ctx, struct asm_loc loc, int64_t value,
		     bool suggest_lddw)
{
	if (value >= INT32_MIN && value <= (int64_t)UINT32_MAX)
		return true;
	asm_error(ctx, loc, "immediate %lld does not fit in 32 bits%s", (long long)value,
		  suggest_lddw ? (ctx->dialect == ASM_DIALECT_MNEMONIC ?
				  "; use 'lddw' for a 64-bit constant" :
				  "; use 'ld_imm64' form 'rN = VALUE ll' for a 64-bit constant")
		  : "");
	return false;
}

bool asm_check_off16(struct asm_context *ctx, struct asm_loc loc, int64_t value)
{
	if (value >= INT16_MIN && value <= INT16_MAX)
		return true;
	asm_error(ctx, loc, "offset %lld does not fit in 16 bits (-32768 to 32767)",
		  (long long)value);
	return false;
}

bool asm_check_jump(struct asm_context *ctx, struct asm_loc loc, int64_t value,
		    bool is_long, bool is_conditional)
{
	if (is_long ? value >= INT32_MIN && value <= INT32_MAX
		    : value >= INT16_MIN && value <= INT16_MAX)
		return true;
	asm_error(ctx, loc, "jump offset %lld is out of range for a %d-bit offset%s",
		  (long long)value, is_long ? 32 : 16,
		  is_long ? "" : is_conditional ? "; invert the condition and jump with 'gotol'"
		  : ctx->dialect == ASM_DIALECT_MNEMONIC ? "; use 'ja32'" : "; use 'gotol'");
	return false;
}

/* Constant operand now, or a fixup for later; returns false after an error. */
static bool operand_value(struct asm_context *ctx, struct asm_expr *expr,
			  enum asm_fixup_kind kind, size_t offset, bool alu64, int64_t *value)
{
	struct asm_fixup fixup = { kind, ctx->current, offset, 0, alu64, expr, expr->loc };

	if (asm_expr_constant(expr, value))
		return true;
	*value = 0;
	return asm_add_fixup(ctx, &fixup) == 0;
}

static bool immediate(struct asm_context *ctx, const struct asm_insn *insn,
		      const struct objfmt_opinfo *info, size_t offset, int64_t *imm)
{
	bool is_lddw = info->form == OBJFMT_FORM_LD_IMM64;
	int64_t value;

	if (!operand_value(ctx, insn->imm, is_lddw ? ASM_FIX_LDIMM64 : ASM_FIX_IMM32, offset,
			   info->width == 64, &value))
		return false;
	if (!is_lddw && !asm_check_imm32(ctx, insn->imm_loc, value,
					 info->form == OBJFMT_FORM_ALU_IMM && info->width == 64))
		return false;
	*imm = is_lddw ? value : (int64_t)(int32_t)(uint32_t)value;
	return true;
}

/* Jump or call target: a numeric offset is taken as is, anything else is resolved once
 * all labels are known. */
static bool target(struct asm_context *ctx, const struct asm_insn *insn,
		   const struct objfmt_opinfo *info, size_t offset, int16_t *off, int64_t *imm,
		   int *src)
{
	bool is_call = info->form == OBJFMT_FORM_CALL;
	bool is_long = info->form == OBJFMT_FORM_JA && info->code == 0x06;
	enum asm_fixup_kind kind = is_call ? ASM_FIX_CALL : is_long ? ASM_FIX_JUMP32 : ASM_FIX_JUMP16;
	struct asm_fixup fixup = { kind, ctx->current, offset, 0, false, insn->target,
				   insn->target_loc };
	int64_t value;

	if (is_call && insn->call_kind >= 0)
		*src = insn->call_kind;
	fixup.width = is_call && insn->call_kind == OBJFMT_CALL_LOCAL; /* no helper fallback */
	if (!asm_expr_constant(insn->target, &value)) {
		if (is_call && insn->call_kind < 0)
			*src = OBJFMT_CALL_LOCAL;
		return asm_add_fixup(ctx, &fixup) == 0;
	}
	if (is_call) {
		if (!asm_check_imm32(ctx, insn->target_loc, value, false))
			return false;
		*imm = (int32_t)(uint32_t)value;
		return true;
	}
	if (!asm_check_jump(ctx, insn->target_loc, value, is_long,
			    info->form != OBJFMT_FORM_JA))
		return false;
	if (is_long)
		*imm = value;
	else
		*off = (int16_t)value;
	return true;
}

static bool fill_fields(struct asm_context *ctx, const struct asm_insn *insn,
			const struct objfmt_opinfo *info, size_t offset, int16_t *off,
			int64_t *imm, int *src)
{
	int64_t value;

	if (insn->off) {
		if (!operand_value(ctx, insn->off, ASM_FIX_OFF16, offset, false, &value) ||
		    !asm_check_off16(ctx, insn->off_loc, value))
			return false;
		*off = (int16_t)value;
	}
	if (insn->imm && !immediate(ctx, insn, info, offset, imm))
		return false;
	if (insn->target && !target(ctx, insn, info, offset, off, imm, src))
		return false;
	return true;
}

void asm_emit_insn(struct asm_context *ctx, struct asm_insn *insn)
{
	const struct objfmt_opinfo *info = asm_op_find(ctx, insn->mnemonic, insn->form);
	struct asm_section *section = asm_current_section(ctx);
	struct objfmt_insn out[2];
	int16_t off = 0;
	int64_t imm = 0;
	int src = insn->src < 0 ? 0 : insn->src, slots;

	if (!info) {
		asm_unknown_instruction(ctx, insn->mnemonic, insn->mnemonic_loc);
		return;
	}
	if (!check_register(ctx, insn->dst, insn->dst_loc.line ? insn->dst_loc : insn->loc) ||
	    !check_register(ctx, insn->src, insn->src_loc.line ? insn->src_loc : insn->loc))
		return;
	if (!section || !fill_fields(ctx, insn, info, section->size, &off, &imm, &src))
		return;
	if (info->form == OBJFMT_FORM_EXIT && !ctx->first_exit_seen) {
		ctx->first_exit_seen = true;
		ctx->first_exit_section = ctx->current;
		ctx->first_exit_offset = section->size;
	}
	slots = objfmt_insn_encode(info->op, (uint8_t)(insn->dst < 0 ? 0 : insn->dst),
				   (uint8_t)src, off, imm, out);
	if (slots <= 0) {
		asm_error(ctx, insn->loc, "internal error: cannot encode '%s'", insn->mnemonic);
		return;
	}
	section->has_code = true;
	if (asm_section_append(ctx, out, (size_t)slots * sizeof(out[0])) < 0)
		asm_error(ctx, insn->loc, "out of memory");
}

/* Candidates for "did you mean": table mnemonics and dialect words, or directives. */
static size_t spelling_candidates(const struct asm_context *ctx, const char *word,
				  const char **out, size_t max)
{
	static const char *const llvm_words[] = { "if", "goto", "gotol", "call", "callx", "exit",
						  "lock" };
	static const char *const mnemonic_words[] = { "lock", "call", "swap16", "swap32",
						      "swap64" };
	size_t n = 0;

	if (word[0] == '.') {
		for (size_t i = 0; asm_directive_name(i) && n < max; i++)
			out[n++] = asm_directive_name(i);
		return n;
	}
	if (ctx->dialect != ASM_DIALECT_MNEMONIC) {
		for (size_t i = 0; i < sizeof(llvm_words) / sizeof(llvm_words[0]); i++)
			out[n++] = llvm_words[i];
		return n;
	}
	for (size_t i = 0; i < sizeof(mnemonic_words) / sizeof(mnemonic_words[0]); i++)
		out[n++] = mnemonic_words[i];
	for (int op = 1; op < OBJFMT_OP__COUNT && n < max; op++) {
		const struct objfmt_opinfo *info = objfmt_opinfo((enum objfmt_op)op);

		if (info && !strchr(info->mnemonic, ' ') && info->form != OBJFMT_FORM_ATOMIC)
			out[n++] = info->mnemonic;
	}
	return n;
}

void asm_unknown_instruction(struct asm_context *ctx, const char *word, struct asm_loc loc)
{
	const char *candidates[OBJFMT_OP__COUNT + 64];
	size_t count = spelling_candidates(ctx, word, candidates,
					   sizeof(candidates) / sizeof(candidates[0]));
	const char *guess = asm_nearest(word, candidates, count);
	const char *what = word[0] == '.' ? "directive" : "instruction";

	if (guess)
		asm_error(ctx, loc, "unknown %s '%s'; did you mean '%s'?", what, word, guess);
	else
		asm_error(ctx, loc, "unknown %s '%s'", what, word);
}
