/* fixup.h - relocations produced while resolving fixups, consumed by object.c. */
#ifndef ASM_FIXUP_H
#define ASM_FIXUP_H

#include "asm_int.h"

/* Resolve every fixup (reports errors through ctx); fills ctx->relocs. */
void asm_fixups_resolve(struct asm_context *ctx);

#endif /* ASM_FIXUP_H */
