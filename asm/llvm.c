/* llvm.c - the LLVM dialect's statements (as llvm-mc -triple bpf reads them and
 * llvm-objdump prints them, LLVM 14 and 19 spellings) mapped onto table mnemonics. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "llvm.h"

static const char *reg_name(struct asm_reg reg, char *buf, size_t len)
{
	snprintf(buf, len, "%c%d", reg.is_w ? 'w' : 'r', reg.number);
	return buf;
}

/* Report a register written with the wrong width; returns false if it was wrong. */
static bool want_width(struct asm_context *ctx, struct asm_reg reg, bool want_w)
{
	char got[16];

	if (reg.is_w == want_w)
		return true;
	asm_error(ctx, reg.loc, "register width mismatch: expected '%c%d', got '%s'",
		  want_w ? 'w' : 'r', reg.number, reg_name(reg, got, sizeof(got)));
	return false;
}

/* "add" + "32" when the operation is 32-bit (stems are short: no printf per insn). */
static const char *stem_width(struct asm_context *ctx, const char *stem, bool is_32)
{
	size_t len = strlen(stem);
	char buf[32];

	if (!is_32 || len + 3 > sizeof(buf))
		return stem;
	memcpy(buf, stem, len);
	memcpy(buf + len, "32", 3);
	return asm_strndup(ctx, buf, len + 2);
}

static const char *load_mnemonic(int size)
{
	switch (size) {
	case 8: return "ldxb";
	case 16: return "ldxh";
	case 32: return "ldxw";
	case 64: return "ldxdw";
	case -8: return "ldxsb";
	case -16: return "ldxsh";
	case -32: return "ldxsw";
	default: return NULL;
	}
}

void asm_llvm_alu(struct asm_context *ctx, struct asm_loc loc, const char *op,
		  struct asm_reg dst, const struct asm_reg *src, struct asm_expr *imm)
{
	struct asm_insn insn;

	asm_insn_init(&insn, stem_width(ctx, op, dst.is_w), src ? OBJFMT_FORM_ALU_REG
			: OBJFMT_FORM_ALU_IMM, loc);
	insn.dst = dst.number;
	insn.dst_loc = dst.loc;
	if (src) {
		if (!want_width(ctx, *src, dst.is_w))
			return;
		insn.src = src->number;
		insn.src_loc = src->loc;
	}
	insn.imm = imm;
	insn.imm_loc = imm ? imm->loc : loc;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_lddw(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		   struct asm_expr *imm)
{
	struct asm_insn insn;

	if (!want_width(ctx, dst, false))
		return;
	asm_insn_init(&insn, "lddw", OBJFMT_FORM_LD_IMM64, loc);
	insn.dst = dst.number;
	insn.imm = imm;
	insn.imm_loc = imm->loc;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_unary(struct asm_context *ctx, struct asm_loc loc, const char *op,
		    struct asm_reg dst, struct asm_reg src)
{
	struct asm_insn insn;
	bool is_neg = strcmp(op, "neg") == 0;

	if (!want_width(ctx, src, dst.is_w))
		return;
	if (!is_neg && !want_width(ctx, dst, false))
		return;
	if (src.number != dst.number) {
		asm_error(ctx, src.loc, "'%s' works in place: expected 'r%d', got 'r%d'", op,
			  dst.number, src.number);
		return;
	}
	asm_insn_init(&insn, is_neg ? stem_width(ctx, op, dst.is_w) : op,
		      OBJFMT_FORM_UNARY, loc);
	insn.dst = dst.number;
	asm_emit_insn(ctx, &insn);
}

/* Table mnemonic of a sign-extending move from `bits` into a 32/64-bit register. */
static const char *movsx_mnemonic(int bits, bool is_32)
{
	if (is_32)
		return bits == 8 ? "movsx832" : "movsx1632";
	return bits == 8 ? "movsx864" : bits == 16 ? "movsx1664" : "movsx3264";
}

void asm_llvm_movsx(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		    int size, struct asm_reg src, struct asm_loc size_loc)
{
	struct asm_insn insn;

	if (!want_width(ctx, src, dst.is_w))
		return;
	if (size >= 0 || size == -64 || (dst.is_w && size == -32)) {
		asm_error(ctx, size_loc, "invalid sign-extension size: expected s8, s16%s",
			  dst.is_w ? "" : " or s32");
		return;
	}
	asm_insn_init(&insn, movsx_mnemonic(-size, dst.is_w), OBJFMT_FORM_ALU_REG, loc);
	insn.dst = dst.number;
	insn.src = src.number;
	asm_emit_insn(ctx, &insn);
}

static void set_mem(struct asm_insn *insn, const struct asm_mem *mem, bool base_is_dst)
{
	if (base_is_dst)
		insn->dst = mem->base.number;
	else
		insn->src = mem->base.number;
	insn->off = mem->offset;
	insn->off_loc = mem->offset ? mem->offset->loc : mem->loc;
}

void asm_llvm_load(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		   int size, const struct asm_mem *mem, struct asm_loc size_loc)
{
	struct asm_insn insn;
	const char *mnemonic = load_mnemonic(size);

	if (!mnemonic) {
		asm_error(ctx, size_loc, "invalid load size: expected u8, u16, u32, u64, s8, s16 or s32");
		return;
	}
	if (dst.is_w && (size == 64 || size < 0)) {
		want_width(ctx, dst, false);
		return;
	}
	if (!want_width(ctx, mem->base, false))
		return;
	asm_insn_init(&insn, mnemonic, OBJFMT_FORM_LDX, loc);
	insn.dst = dst.number;
	set_mem(&insn, mem, false);
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_packet(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		     int size, const struct asm_reg *index, struct asm_expr *imm,
		     struct asm_loc size_loc)
{
	static const char *const names[2][4] = {
		{ "ldabsb", "ldabsh", "ldabsw", "ldabsdw" },
		{ "ldindb", "ldindh", "ldindw", "ldinddw" },
	};
	struct asm_insn insn;
	int which = size == 8 ? 0 : size == 16 ? 1 : size == 32 ? 2 : size == 64 ? 3 : -1;

	if (which < 0) {
		asm_error(ctx, size_loc, "invalid packet load size: expected u8, u16, u32 or u64");
		return;
	}
	if (dst.number != 0 || dst.is_w) {
		asm_error(ctx, dst.loc, "packet loads put their result in r0, not '%c%d'",
			  dst.is_w ? 'w' : 'r', dst.number);
		return;
	}
	asm_insn_init(&insn, names[index != NULL][which],
		      index ? OBJFMT_FORM_LD_IND : OBJFMT_FORM_LD_ABS, loc);
	if (index) {
		if (!want_width(ctx, *index, false))
			return;
		insn.src = index->number;
	}
	insn.imm = imm;
	insn.imm_loc = imm ? imm->loc : loc;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_store(struct asm_context *ctx, struct asm_loc loc, int size,
		    const struct asm_mem *mem, const struct asm_reg *src, struct asm_expr *imm,
		    struct asm_loc size_loc)
{
	static const char *const reg_names[] = { "stxb", "stxh", "stxw", "stxdw" };
	static const char *const imm_names[] = { "stb", "sth", "stw", "stdw" };
	struct asm_insn insn;
	int which = size == 8 ? 0 : size == 16 ? 1 : size == 32 ? 2 : size == 64 ? 3 : -1;

	if (which < 0) {
		asm_error(ctx, size_loc, "invalid store size: expected u8, u16, u32 or u64");
		return;
	}
	if (!want_width(ctx, mem->base, false))
		return;
	if (src && src->is_w && size == 64 && !want_width(ctx, *src, false))
		return;
	asm_insn_init(&insn, src ? reg_names[which] : imm_names[which],
		      src ? OBJFMT_FORM_STX : OBJFMT_FORM_ST, loc);
	set_mem(&insn, mem, true);
	if (src)
		insn.src = src->number;
	insn.imm = imm;
	insn.imm_loc = imm ? imm->loc : loc;
	asm_emit_insn(ctx, &insn);
}

static bool atomic_size_ok(struct asm_context *ctx, int size, struct asm_loc size_loc)
{
	if (size == 32 || size == 64)
		return true;
	asm_error(ctx, size_loc, "invalid atomic size: expected u32 or u64");
	return false;
}

void asm_llvm_atomic(struct asm_context *ctx, struct asm_loc loc, const char *op,
		     bool fetch, int size, const struct asm_mem *mem, struct asm_reg src,
		     const struct asm_reg *fetch_dst, struct asm_loc size_loc)
{
	struct asm_insn insn;
	char mnemonic[32];

	if (strcmp(op, "add") && strcmp(op, "or") && strcmp(op, "and") && strcmp(op, "xor")) {
		asm_error(ctx, loc, "invalid atomic operation: expected +=, |=, &= or ^=");
		return;
	}
	if (!atomic_size_ok(ctx, size, size_loc) || !want_width(ctx, mem->base, false))
		return;
	/* LLVM 14 prints 32-bit operands as rN, LLVM 19 as wN: accept both for u32. */
	if (size == 64 && !want_width(ctx, src, false))
		return;
	if (fetch_dst && (fetch_dst->number != src.number || fetch_dst->is_w != src.is_w)) {
		asm_error(ctx, src.loc, "atomic fetch returns into its operand: expected '%c%d'",
			  fetch_dst->is_w ? 'w' : 'r', fetch_dst->number);
		return;
	}
	mnemonic[0] = '\0';
	strcat(strcat(strcat(mnemonic, fetch ? "fetch " : ""), op), size == 32 ? "32" : "");
	asm_insn_init(&insn, asm_strndup(ctx, mnemonic, strlen(mnemonic)),
		      OBJFMT_FORM_ATOMIC, loc);
	set_mem(&insn, mem, true);
	insn.src = src.number;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_xchg(struct asm_context *ctx, struct asm_loc loc, const char *op,
		   struct asm_reg dst, const struct asm_mem *mem, const struct asm_reg *expected,
		   struct asm_reg src)
{
	struct asm_insn insn;
	bool is_32 = dst.is_w;
	char mnemonic[32];

	if (!want_width(ctx, mem->base, false) || !want_width(ctx, src, is_32))
		return;
	if (expected) {
		if (!want_width(ctx, *expected, is_32))
			return;
		if (dst.number != 0 || expected->number != 0) {
			asm_error(ctx, dst.number != 0 ? dst.loc : expected->loc,
				  "cmpxchg compares with and returns into %s0", is_32 ? "w" : "r");
			return;
		}
	} else if (dst.number != src.number) {
		asm_error(ctx, src.loc, "xchg returns into its operand: expected '%c%d'",
			  is_32 ? 'w' : 'r', dst.number);
		return;
	}
	snprintf(mnemonic, sizeof(mnemonic), "%s%s", op, is_32 ? "32" : "");
	asm_insn_init(&insn, asm_strndup(ctx, mnemonic, strlen(mnemonic)),
		      OBJFMT_FORM_ATOMIC, loc);
	set_mem(&insn, mem, true);
	insn.src = src.number;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_jump(struct asm_context *ctx, struct asm_loc loc, const char *cmp,
		   struct asm_reg dst, const struct asm_reg *src, struct asm_expr *imm,
		   struct asm_expr *target, struct asm_loc target_loc)
{
	struct asm_insn insn;

	if (src && !want_width(ctx, *src, dst.is_w))
		return;
	asm_insn_init(&insn, stem_width(ctx, cmp, dst.is_w),
		      src ? OBJFMT_FORM_JMP_REG : OBJFMT_FORM_JMP_IMM, loc);
	insn.dst = dst.number;
	insn.dst_loc = dst.loc;
	if (src) {
		insn.src = src->number;
		insn.src_loc = src->loc;
	}
	insn.imm = imm;
	insn.imm_loc = imm ? imm->loc : loc;
	insn.target = target;
	insn.target_loc = target_loc;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_goto(struct asm_context *ctx, struct asm_loc loc, bool is_long,
		   struct asm_expr *target, struct asm_loc target_loc)
{
	struct asm_insn insn;

	asm_insn_init(&insn, is_long ? "ja32" : "ja", OBJFMT_FORM_JA, loc);
	insn.target = target;
	insn.target_loc = target_loc;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_call(struct asm_context *ctx, struct asm_loc loc, struct asm_expr *target,
		   struct asm_loc target_loc)
{
	struct asm_insn insn;

	asm_insn_init(&insn, "call", OBJFMT_FORM_CALL, loc);
	insn.target = target;
	insn.target_loc = target_loc;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_callx(struct asm_context *ctx, struct asm_loc loc, struct asm_reg reg)
{
	struct asm_insn insn;

	if (!want_width(ctx, reg, false))
		return;
	asm_insn_init(&insn, "callx", OBJFMT_FORM_CALLX, loc);
	insn.dst = reg.number;
	asm_emit_insn(ctx, &insn);
}

void asm_llvm_exit(struct asm_context *ctx, struct asm_loc loc)
{
	struct asm_insn insn;

	asm_insn_init(&insn, "exit", OBJFMT_FORM_EXIT, loc);
	asm_emit_insn(ctx, &insn);
}
