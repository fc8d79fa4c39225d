/* llvm.h - statement builders of the LLVM dialect, called from the grammar actions.
 * Each turns one C-like statement into a table mnemonic + operand form. */
#ifndef ASM_LLVM_H
#define ASM_LLVM_H

#include "asm_int.h"

/* dst op= src (src non-NULL) or dst op= imm; op is the table stem ("add", "mov"). */
void asm_llvm_alu(struct asm_context *ctx, struct asm_loc loc, const char *op,
		  struct asm_reg dst, const struct asm_reg *src, struct asm_expr *imm);
/* dst = imm64 ll */
void asm_llvm_lddw(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		   struct asm_expr *imm);
/* dst = -dst, dst = be16 dst, ... (op is "neg" or a swap mnemonic) */
void asm_llvm_unary(struct asm_context *ctx, struct asm_loc loc, const char *op,
		    struct asm_reg dst, struct asm_reg src);
/* dst = (sN)src; size is -8/-16/-32 */
void asm_llvm_movsx(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		    int size, struct asm_reg src, struct asm_loc size_loc);
/* dst = *(size *)(mem) */
void asm_llvm_load(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		   int size, const struct asm_mem *mem, struct asm_loc size_loc);
/* r0 = *(size *)skb[imm] or skb[src (+ imm)] */
void asm_llvm_packet(struct asm_context *ctx, struct asm_loc loc, struct asm_reg dst,
		     int size, const struct asm_reg *index, struct asm_expr *imm,
		     struct asm_loc size_loc);
/* *(size *)(mem) = src | imm */
void asm_llvm_store(struct asm_context *ctx, struct asm_loc loc, int size,
		    const struct asm_mem *mem, const struct asm_reg *src, struct asm_expr *imm,
		    struct asm_loc size_loc);
/* lock *(size *)(mem) op= src, or fetch_dst = atomic_fetch_op((size *)(mem), src) */
void asm_llvm_atomic(struct asm_context *ctx, struct asm_loc loc, const char *op,
		     bool fetch, int size, const struct asm_mem *mem, struct asm_reg src,
		     const struct asm_reg *fetch_dst, struct asm_loc size_loc);
/* dst = xchg_64(mem, src) or r0 = cmpxchg_64(mem, r0, src) (expected non-NULL) */
void asm_llvm_xchg(struct asm_context *ctx, struct asm_loc loc, const char *op,
		   struct asm_reg dst, const struct asm_mem *mem, const struct asm_reg *expected,
		   struct asm_reg src);
/* if dst cmp src|imm goto target */
void asm_llvm_jump(struct asm_context *ctx, struct asm_loc loc, const char *cmp,
		   struct asm_reg dst, const struct asm_reg *src, struct asm_expr *imm,
		   struct asm_expr *target, struct asm_loc target_loc);
void asm_llvm_goto(struct asm_context *ctx, struct asm_loc loc, bool is_long,
		   struct asm_expr *target, struct asm_loc target_loc);
void asm_llvm_call(struct asm_context *ctx, struct asm_loc loc, struct asm_expr *target,
		   struct asm_loc target_loc);
void asm_llvm_callx(struct asm_context *ctx, struct asm_loc loc, struct asm_reg reg);
void asm_llvm_exit(struct asm_context *ctx, struct asm_loc loc);

#endif /* ASM_LLVM_H */
