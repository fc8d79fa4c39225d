/* disasm_mnemonic.c - one instruction in the mnemonic dialect of the conformance suite
 * (uBPF / bpf_conformance: "ldxw %r1, [%r2+4]", "jne %r1, 5, +3", "lock fetch add
 * [%r1+8], %r2"), in a form the assembler's mnemonic parser reads back. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "codec_int.h"

/* Names of the ld_imm64 pseudo kinds (src_reg 1..6): "lddw %r1, map_fd 5". */
static const char *const pseudo_names[] = {
	[OBJFMT_PSEUDO_MAP_FD] = "map_fd",
	[OBJFMT_PSEUDO_MAP_VALUE] = "map_value",
	[OBJFMT_PSEUDO_BTF_ID] = "btf_id",
	[OBJFMT_PSEUDO_FUNC] = "func",
	[OBJFMT_PSEUDO_MAP_IDX] = "map_idx",
	[OBJFMT_PSEUDO_MAP_IDX_VALUE] = "map_idx_value",
};

/* "[%r2+4]", "[%r2-4]" */
static void memory_operand(unsigned reg, int16_t off, char *buf, size_t len)
{
	snprintf(buf, len, "[%%r%u%c%d]", reg, off < 0 ? '-' : '+', abs((int)off));
}

static int print_ld_imm64(const struct objfmt_insn *insns, char *buf, size_t len)
{
	unsigned kind = insns[0].src_reg;

	if (kind == OBJFMT_PSEUDO_NONE)
		return snprintf(buf, len, "lddw %%r%u, 0x%" PRIx64, insns[0].dst_reg,
				(uint64_t)objfmt_insn_imm64(insns));
	if (kind == OBJFMT_PSEUDO_MAP_VALUE || kind == OBJFMT_PSEUDO_MAP_IDX_VALUE)
		return snprintf(buf, len, "lddw %%r%u, %s %" PRId32 ", %" PRId32,
				insns[0].dst_reg, pseudo_names[kind], insns[0].imm, insns[1].imm);
	return snprintf(buf, len, "lddw %%r%u, %s %" PRId32, insns[0].dst_reg,
			pseudo_names[kind], insns[0].imm);
}

static int print_call(const struct objfmt_insn *insn, char *buf, size_t len)
{
	if (insn->src_reg == OBJFMT_CALL_LOCAL)
		return snprintf(buf, len, "call local %+" PRId32, insn->imm);
	if (insn->src_reg == OBJFMT_CALL_KFUNC)
		return snprintf(buf, len, "call runtime %" PRId32, insn->imm);
	return snprintf(buf, len, "call %" PRId32, insn->imm);
}

int objfmt_disasm_mnemonic(enum objfmt_op op, const struct objfmt_insn *insns, char *buf,
			   size_t buflen)
{
	const struct objfmt_opinfo *row = objfmt_opinfo(op);
	const struct objfmt_insn *in = insns;
	const char *m = row ? row->mnemonic : "";
	char mem[32];

	if (!row)
		return snprintf(buf, buflen, "<unknown>");
	memory_operand(row->form == OBJFMT_FORM_LDX ? in->src_reg : in->dst_reg, in->off, mem,
		       sizeof(mem));
	switch (row->form) {
	case OBJFMT_FORM_ALU_IMM:
		return snprintf(buf, buflen, "%s %%r%u, %" PRId32, m, in->dst_reg, in->imm);
	case OBJFMT_FORM_ALU_REG:
		return snprintf(buf, buflen, "%s %%r%u, %%r%u", m, in->dst_reg, in->src_reg);
	case OBJFMT_FORM_UNARY:
		return snprintf(buf, buflen, "%s %%r%u", m, in->dst_reg);
	case OBJFMT_FORM_LD_IMM64:
		return print_ld_imm64(insns, buf, buflen);
	case OBJFMT_FORM_LD_ABS:
		return snprintf(buf, buflen, "%s %" PRId32, m, in->imm);
	case OBJFMT_FORM_LD_IND:
		return snprintf(buf, buflen, "%s %%r%u, %" PRId32, m, in->src_reg, in->imm);
	case OBJFMT_FORM_LDX:
		return snprintf(buf, buflen, "%s %%r%u, %s", m, in->dst_reg, mem);
	case OBJFMT_FORM_ST:
		return snprintf(buf, buflen, "%s %s, %" PRId32, m, mem, in->imm);
	case OBJFMT_FORM_STX:
		return snprintf(buf, buflen, "%s %s, %%r%u", m, mem, in->src_reg);
	case OBJFMT_FORM_ATOMIC:
		return snprintf(buf, buflen, "lock %s %s, %%r%u", m, mem, in->src_reg);
	case OBJFMT_FORM_JA:
		return snprintf(buf, buflen, "%s %+d", m, row->code == 0x06 ? in->imm : in->off);
	case OBJFMT_FORM_JMP_IMM:
		return snprintf(buf, buflen, "%s %%r%u, %" PRId32 ", %+d", m, in->dst_reg, in->imm,
				in->off);
	case OBJFMT_FORM_JMP_REG:
		return snprintf(buf, buflen, "%s %%r%u, %%r%u, %+d", m, in->dst_reg, in->src_reg,
				in->off);
	case OBJFMT_FORM_CALL:
		return print_call(in, buf, buflen);
	case OBJFMT_FORM_CALLX:
		return snprintf(buf, buflen, "call %%r%u", in->dst_reg);
	case OBJFMT_FORM_EXIT:
		return snprintf(buf, buflen, "exit");
	}
	return snprintf(buf, buflen, "<unknown>");
}
