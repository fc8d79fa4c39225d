/* disasm.c - objfmt_disasm_insn: validate one instruction, then print it in the
 * requested dialect. */
#include <errno.h>
#include <stdio.h>

#include "codec_int.h"

int objfmt_disasm_insn(const struct objfmt_insn *insns, size_t remaining,
		       enum objfmt_dialect dialect, char *buf, size_t buflen,
		       struct objfmt_diag *diag)
{
	enum objfmt_op op;

	if (!buf || buflen == 0)
		return -EINVAL;
	buf[0] = '\0';
	op = objfmt_insn_decode(insns, remaining, 0, diag);
	if (op == OBJFMT_OP_INVALID)
		return -EINVAL;
	if (dialect == OBJFMT_DIALECT_MNEMONIC)
		return objfmt_disasm_mnemonic(op, insns, buf, buflen);
	return objfmt_disasm_llvm(op, insns, buf, buflen);
}
