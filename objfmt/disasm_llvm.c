/* disasm_llvm.c - one instruction in the LLVM dialect, exactly as llvm-objdump 14 -d
 * prints it (decimal immediates); instructions LLVM 14 does not know (v4 additions,
 * mod, jset, store-immediate, 32-bit atomics other than add) as LLVM 19 spells them
 * with -mattr=+alu32 --no-print-imm-hex. Branch target annotations are the caller's. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "codec_int.h"

/* Operator of an ALU opcode (bits 4-7 of code), or NULL where the form has none. */
static const char *alu_operator(const struct objfmt_insn *insn)
{
	bool is_signed = insn->off == 1;

	switch (insn->code & 0xf0) {
	case 0x00: return "+=";
	case 0x10: return "-=";
	case 0x20: return "*=";
	case 0x30: return is_signed ? "s/=" : "/=";
	case 0x40: return "|=";
	case 0x50: return "&=";
	case 0x60: return "<<=";
	case 0x70: return ">>=";
	case 0x90: return is_signed ? "s%=" : "%=";
	case 0xa0: return "^=";
	case 0xb0: return "=";
	case 0xc0: return "s>>=";
	}
	return "?=";
}

static const char *jump_operator(uint8_t code)
{
	switch (code & 0xf0) {
	case 0x10: return "==";
	case 0x20: return ">";
	case 0x30: return ">=";
	case 0x40: return "&";
	case 0x50: return "!=";
	case 0x60: return "s>";
	case 0x70: return "s>=";
	case 0xa0: return "<";
	case 0xb0: return "<=";
	case 0xc0: return "s<";
	case 0xd0: return "s<=";
	}
	return "?";
}

static const char *atomic_operator(int32_t imm)
{
	switch (imm & ~OBJFMT_ATOMIC_FETCH) {
	case OBJFMT_ATOMIC_ADD: return "add";
	case OBJFMT_ATOMIC_OR: return "or";
	case OBJFMT_ATOMIC_AND: return "and";
	case OBJFMT_ATOMIC_XOR: return "xor";
	}
	return "?";
}

static const char *atomic_assign(int32_t imm)
{
	switch (imm) {
	case OBJFMT_ATOMIC_ADD: return "+=";
	case OBJFMT_ATOMIC_OR: return "|=";
	case OBJFMT_ATOMIC_AND: return "&=";
	}
	return "^=";
}

/* Register prefix: w for the 32-bit ALU and JMP32 classes. */
static char reg_prefix(uint8_t code)
{
	uint8_t class = OBJFMT_CLASS(code);

	return class == OBJFMT_CLASS_ALU || class == OBJFMT_CLASS_JMP32 ? 'w' : 'r';
}

/* "(r2 + 4)" / "(r2 - 2)": LLVM writes the sign as an operator. */
static const char *mem_sign(int16_t off)
{
	return off < 0 ? "-" : "+";
}

static int mem_abs(int16_t off)
{
	return abs((int)off);
}

static int print_alu(const struct objfmt_opinfo *row, const struct objfmt_insn *insn,
		     char *buf, size_t len)
{
	char p = reg_prefix(insn->code);

	if (row->form == OBJFMT_FORM_ALU_IMM)
		return snprintf(buf, len, "%c%u %s %" PRId32, p, insn->dst_reg,
				alu_operator(insn), insn->imm);
	if ((insn->code & 0xf0) == 0xb0 && insn->off != 0) /* movsx */
		return snprintf(buf, len, "%c%u = (s%d)%c%u", p, insn->dst_reg, insn->off, p,
				insn->src_reg);
	return snprintf(buf, len, "%c%u %s %c%u", p, insn->dst_reg, alu_operator(insn), p,
			insn->src_reg);
}

static int print_unary(const struct objfmt_insn *insn, char *buf, size_t len)
{
	char p = reg_prefix(insn->code);

	switch (insn->code) {
	case 0x87:
	case 0x84:
		return snprintf(buf, len, "%c%u = -%c%u", p, insn->dst_reg, p, insn->dst_reg);
	case 0xd4:
		return snprintf(buf, len, "r%u = le%d r%u", insn->dst_reg, insn->imm,
				insn->dst_reg);
	case 0xdc:
		return snprintf(buf, len, "r%u = be%d r%u", insn->dst_reg, insn->imm,
				insn->dst_reg);
	}
	return snprintf(buf, len, "r%u = bswap%d r%u", insn->dst_reg, insn->imm, insn->dst_reg);
}

static int print_ld_imm64(const struct objfmt_insn *insns, char *buf, size_t len)
{
	if (insns[0].src_reg != OBJFMT_PSEUDO_NONE)
		return snprintf(buf, len, "ld_pseudo\tr%u, %u, %" PRIu32, insns[0].dst_reg,
				insns[0].src_reg, (uint32_t)insns[0].imm);
	return snprintf(buf, len, "r%u = %" PRId64 " ll", insns[0].dst_reg,
			objfmt_insn_imm64(insns));
}

static int print_memory(const struct objfmt_opinfo *row, const struct objfmt_insn *insn,
			char *buf, size_t len)
{
	char sign = row->code >= 0x80 && row->form == OBJFMT_FORM_LDX ? 's' : 'u';
	int off = mem_abs(insn->off);
	const char *s = mem_sign(insn->off);

	switch (row->form) {
	case OBJFMT_FORM_LDX:
		return snprintf(buf, len, "r%u = *(%c%u *)(r%u %s %d)", insn->dst_reg, sign,
				row->width, insn->src_reg, s, off);
	case OBJFMT_FORM_ST:
		return snprintf(buf, len, "*(u%u *)(r%u %s %d) = %" PRId32, row->width,
				insn->dst_reg, s, off, insn->imm);
	case OBJFMT_FORM_STX:
		return snprintf(buf, len, "*(u%u *)(r%u %s %d) = r%u", row->width, insn->dst_reg,
				s, off, insn->src_reg);
	case OBJFMT_FORM_LD_ABS:
		return snprintf(buf, len, "r0 = *(u%u *)skb[%" PRId32 "]", row->width, insn->imm);
	default: /* LD_IND: LLVM prints the register only */
		return snprintf(buf, len, "r0 = *(u%u *)skb[r%u]", row->width, insn->src_reg);
	}
}

static int print_atomic(const struct objfmt_opinfo *row, const struct objfmt_insn *insn,
			char *buf, size_t len)
{
	int32_t operation = row->match_value; /* the row's, not imm: callers may be lenient */
	bool is32 = row->width == 32;
	char p = is32 ? 'w' : 'r';
	unsigned d = insn->dst_reg, s = insn->src_reg;
	int off = mem_abs(insn->off);
	const char *sg = mem_sign(insn->off);

	if (operation == OBJFMT_ATOMIC_XCHG)
		return snprintf(buf, len, "%c%u = xchg%s_%u(r%u %s %d, %c%u)", p, s,
				is32 ? "32" : "", row->width, d, sg, off, p, s);
	if (operation == OBJFMT_ATOMIC_CMPXCHG)
		return snprintf(buf, len, "%c0 = cmpxchg%s_%u(r%u %s %d, %c0, %c%u)", p,
				is32 ? "32" : "", row->width, d, sg, off, p, p, s);
	if (operation & OBJFMT_ATOMIC_FETCH)
		return snprintf(buf, len, "%c%u = atomic_fetch_%s((u%u *)(r%u %s %d), %c%u)", p, s,
				atomic_operator(operation), row->width, d, sg, off, p, s);
	/* LLVM 14 prints the 32-bit add (imm 0) with an r register; LLVM 19 the others
	 * with w. */
	if (is32 && insn->imm == OBJFMT_ATOMIC_ADD)
		p = 'r';
	return snprintf(buf, len, "lock *(u%u *)(r%u %s %d) %s %c%u", row->width, d, sg, off,
			atomic_assign(operation), p, s);
}

static int print_jump(const struct objfmt_opinfo *row, const struct objfmt_insn *insn,
		      char *buf, size_t len)
{
	char p = reg_prefix(insn->code);
	const char *op = jump_operator(insn->code);

	switch (row->form) {
	case OBJFMT_FORM_JA:
		if (row->code == 0x06)
			return snprintf(buf, len, "gotol %+" PRId32, insn->imm);
		return snprintf(buf, len, "goto %+d", insn->off);
	case OBJFMT_FORM_JMP_IMM:
		return snprintf(buf, len, "if %c%u %s %" PRId32 " goto %+d", p, insn->dst_reg, op,
				insn->imm, insn->off);
	default:
		return snprintf(buf, len, "if %c%u %s %c%u goto %+d", p, insn->dst_reg, op, p,
				insn->src_reg, insn->off);
	}
}

int objfmt_disasm_llvm(enum objfmt_op op, const struct objfmt_insn *insns, char *buf,
		       size_t buflen)
{
	const struct objfmt_opinfo *row = objfmt_opinfo(op);

	if (!row)
		return snprintf(buf, buflen, "<unknown>");
	switch (row->form) {
	case OBJFMT_FORM_ALU_IMM:
	case OBJFMT_FORM_ALU_REG:
		return print_alu(row, insns, buf, buflen);
	case OBJFMT_FORM_UNARY:
		return print_unary(insns, buf, buflen);
	case OBJFMT_FORM_LD_IMM64:
		return print_ld_imm64(insns, buf, buflen);
	case OBJFMT_FORM_LD_ABS:
	case OBJFMT_FORM_LD_IND:
	case OBJFMT_FORM_LDX:
	case OBJFMT_FORM_ST:
	case OBJFMT_FORM_STX:
		return print_memory(row, insns, buf, buflen);
	case OBJFMT_FORM_ATOMIC:
		return print_atomic(row, insns, buf, buflen);
	case OBJFMT_FORM_JA:
	case OBJFMT_FORM_JMP_IMM:
	case OBJFMT_FORM_JMP_REG:
		return print_jump(row, insns, buf, buflen);
	case OBJFMT_FORM_CALL:
		return snprintf(buf, buflen, "call %" PRId32, insns->imm);
	case OBJFMT_FORM_CALLX:
		return snprintf(buf, buflen, "callx r%u", insns->dst_reg);
	case OBJFMT_FORM_EXIT:
		return snprintf(buf, buflen, "exit");
	}
	return snprintf(buf, buflen, "<unknown>");
}
