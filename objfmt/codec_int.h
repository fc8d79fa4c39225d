/* codec_int.h - internals shared by the codec, the disassemblers and ebpf-objdump
 * (never installed, never included from outside objfmt/). */
#ifndef OBJFMT_CODEC_INT_H
#define OBJFMT_CODEC_INT_H

#include "ebpf/objfmt.h"

/* Lenient identification: the row selected by the opcode byte and, for OFF/IMM-matched
 * rows, by off/imm; reserved fields and registers are not checked. Used to print
 * encodings LLVM also prints although they break a reserved-field rule.
 * Returns OBJFMT_OP_INVALID when no row matches. */
enum objfmt_op objfmt_insn_identify(const struct objfmt_insn *insn);

/* Text of one identified instruction (no validation; LD_IMM64 reads insns[1]). Both
 * return the snprintf length of the text. */
int objfmt_disasm_llvm(enum objfmt_op op, const struct objfmt_insn *insns, char *buf,
		       size_t buflen);
int objfmt_disasm_mnemonic(enum objfmt_op op, const struct objfmt_insn *insns, char *buf,
			   size_t buflen);

/* The 64-bit immediate of an ld_imm64 pair. */
static inline int64_t objfmt_insn_imm64(const struct objfmt_insn *insns)
{
	return (int64_t)(((uint64_t)(uint32_t)insns[1].imm << 32) | (uint32_t)insns[0].imm);
}

#endif /* OBJFMT_CODEC_INT_H */
