/* objfmt.h - public contract of libobjfmt: the eBPF instruction codec (one opcode
 * table for the whole ISA of RFC 9669 incl. v4), the relocatable object model with its
 * builder, ELF64 EM_BPF read/write through libelf, BTF and .BTF.ext models with
 * encode/decode/validate, and the disassembler in the LLVM and mnemonic dialects.
 *
 * Conventions, for every function below unless it says otherwise:
 *  - int-returning functions return 0 on success or a negative errno; functions that
 *    return a pointer return NULL on failure with errno set.
 *  - The library never prints and never exits. Failures that concern the input carry a
 *    message in a struct objfmt_diag the caller passes (may be NULL).
 *  - Objects made by *_new are released by the matching *_free, which accepts NULL and
 *    frees every member it owns. Borrowed pointers are marked "borrowed" and stay valid
 *    until their owner is freed or changed.
 */
#ifndef EBPF_OBJFMT_H
#define EBPF_OBJFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------
 * Diagnostics
 * ---------------------------------------------------------------------------------- */

/* One message about bad input, filled by the call that detected it. `where` names the
 * thing that is wrong ("a.o: section #4 '.maps'", "insn 12", "BTF type [7]"). */
struct objfmt_diag {
	char where[128];   /* object/section/symbol/instruction the message is about */
	char message[256]; /* what is wrong, and what was expected */
};

/* Fill `diag` (if non-NULL) printf-style; returns `err` so callers can write
 * `return objfmt_diag_set(diag, -EINVAL, "insn 3", "bad opcode 0x%02x", code);`. */
int objfmt_diag_set(struct objfmt_diag *diag, int err, const char *where,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Format a front end's message about source text the way compilers print it:
 * "FILE:LINE:COL: SEVERITY: MESSAGE\n", then, when `source_line` is non-NULL, the line
 * and a caret under column COL (tabs of the line kept so the caret lands under the
 * token). LINE 0 means no position: "FILE: SEVERITY: MESSAGE\n". snprintf semantics:
 * returns the length the whole text needs; buf is NUL-terminated when buflen > 0. */
int objfmt_diag_format_source(char *buf, size_t buflen, const char *file, unsigned line,
			      unsigned column, const char *severity, const char *message,
			      const char *source_line);

/* ------------------------------------------------------------------------------------
 * Instruction encoding (RFC 9669). Field layout identical to struct bpf_insn.
 * ---------------------------------------------------------------------------------- */

struct objfmt_insn {
	uint8_t code;        /* opcode: class | size/op | mode/source */
	uint8_t dst_reg : 4; /* destination register, 0..10 */
	uint8_t src_reg : 4; /* source register, or pseudo kind for ld_imm64 / call */
	int16_t off;         /* signed offset: memory offset, jump offset, or op modifier */
	int32_t imm;         /* signed immediate */
};

/* Instruction classes (low 3 bits of code). */
enum {
	OBJFMT_CLASS_LD = 0x00,
	OBJFMT_CLASS_LDX = 0x01,
	OBJFMT_CLASS_ST = 0x02,
	OBJFMT_CLASS_STX = 0x03,
	OBJFMT_CLASS_ALU = 0x04,
	OBJFMT_CLASS_JMP = 0x05,
	OBJFMT_CLASS_JMP32 = 0x06,
	OBJFMT_CLASS_ALU64 = 0x07,
};
#define OBJFMT_CLASS(code) ((code) & 0x07)

/* Source bit of ALU and JMP classes. */
#define OBJFMT_SRC_K 0x00 /* operand is imm */
#define OBJFMT_SRC_X 0x08 /* operand is src_reg */

/* Size (bits 3-4) and mode (bits 5-7) of load/store classes. */
enum {
	OBJFMT_SIZE_W = 0x00,
	OBJFMT_SIZE_H = 0x08,
	OBJFMT_SIZE_B = 0x10,
	OBJFMT_SIZE_DW = 0x18,
};
enum {
	OBJFMT_MODE_IMM = 0x00,
	OBJFMT_MODE_ABS = 0x20,
	OBJFMT_MODE_IND = 0x40,
	OBJFMT_MODE_MEM = 0x60,
	OBJFMT_MODE_MEMSX = 0x80,
	OBJFMT_MODE_ATOMIC = 0xc0,
};

/* Atomic operations: imm of BPF_STX | BPF_ATOMIC. */
#define OBJFMT_ATOMIC_FETCH 0x01
enum {
	OBJFMT_ATOMIC_ADD = 0x00,
	OBJFMT_ATOMIC_OR = 0x40,
	OBJFMT_ATOMIC_AND = 0x50,
	OBJFMT_ATOMIC_XOR = 0xa0,
	OBJFMT_ATOMIC_XCHG = 0xe0 | OBJFMT_ATOMIC_FETCH,
	OBJFMT_ATOMIC_CMPXCHG = 0xf0 | OBJFMT_ATOMIC_FETCH,
};

/* src_reg of ld_imm64 (BPF_LD | BPF_IMM | BPF_DW). */
enum objfmt_pseudo_ld {
	OBJFMT_PSEUDO_NONE = 0,          /* plain 64-bit immediate */
	OBJFMT_PSEUDO_MAP_FD = 1,        /* imm = map fd */
	OBJFMT_PSEUDO_MAP_VALUE = 2,     /* imm = map fd, next imm = value offset */
	OBJFMT_PSEUDO_BTF_ID = 3,        /* imm = kernel BTF id of a variable */
	OBJFMT_PSEUDO_FUNC = 4,          /* imm = insn offset of a subprogram */
	OBJFMT_PSEUDO_MAP_IDX = 5,       /* imm = index into fd_array */
	OBJFMT_PSEUDO_MAP_IDX_VALUE = 6, /* imm = index into fd_array, next imm = offset */
};

/* src_reg of BPF_JMP | BPF_CALL. */
enum objfmt_call_kind {
	OBJFMT_CALL_HELPER = 0, /* imm = helper id */
	OBJFMT_CALL_LOCAL = 1,  /* imm = insn offset from the next insn (bpf-to-bpf) */
	OBJFMT_CALL_KFUNC = 2,  /* imm = kernel BTF id of the function */
};

/* Operand shape of an opcode; assembler, disassembler and verifier switch on it. */
enum objfmt_form {
	OBJFMT_FORM_ALU_IMM,  /* dst op= imm */
	OBJFMT_FORM_ALU_REG,  /* dst op= src */
	OBJFMT_FORM_UNARY,    /* dst = op dst (neg, byte swaps; width is in the op) */
	OBJFMT_FORM_LD_IMM64, /* dst = imm64 (two slots), src_reg = enum objfmt_pseudo_ld */
	OBJFMT_FORM_LD_ABS,   /* r0 = packet[imm] (legacy) */
	OBJFMT_FORM_LD_IND,   /* r0 = packet[src + imm] (legacy) */
	OBJFMT_FORM_LDX,      /* dst = *(size *)(src + off) */
	OBJFMT_FORM_ST,       /* *(size *)(dst + off) = imm */
	OBJFMT_FORM_STX,      /* *(size *)(dst + off) = src */
	OBJFMT_FORM_ATOMIC,   /* atomic op on *(size *)(dst + off) with src (r0 for cmpxchg) */
	OBJFMT_FORM_JA,       /* pc += off (JMP) or pc += imm (JMP32 "gotol") */
	OBJFMT_FORM_JMP_IMM,  /* if dst op imm: pc += off */
	OBJFMT_FORM_JMP_REG,  /* if dst op src: pc += off */
	OBJFMT_FORM_CALL,     /* call imm; src_reg = enum objfmt_call_kind */
	OBJFMT_FORM_CALLX,    /* call the function whose pointer is in dst_reg */
	OBJFMT_FORM_EXIT,     /* return r0 */
};

/* How an entry is told apart from other entries that share its opcode byte. */
enum objfmt_match {
	OBJFMT_MATCH_CODE, /* the opcode byte alone (off/imm/src are operands) */
	OBJFMT_MATCH_OFF,  /* opcode byte and off == value (sdiv/smod, movsx) */
	OBJFMT_MATCH_IMM,  /* opcode byte and imm == value (byte swaps, atomics) */
};

/*
 * THE opcode table. One line per distinct instruction: its name (OBJFMT_OP_<name>),
 * opcode byte, how it is matched and the match value, operand form, the mnemonic of
 * the conformance dialect, and width in bits of the operation (0 = n/a), followed by
 * its semantics in a comment. Assembler, disassembler, verifier and interpreter are
 * all generated from this list (X-macro): add an instruction here and nowhere else.
 */
#define OBJFMT_OPCODES(X)                                                                 \
	/* ALU64: 64-bit arithmetic; imm sign-extended to 64 bits */                          \
	X(ADD64_IMM, 0x07, CODE, 0, ALU_IMM, "add", 64)     /* dst += imm */                  \
	X(ADD64_REG, 0x0f, CODE, 0, ALU_REG, "add", 64)     /* dst += src */                  \
	X(SUB64_IMM, 0x17, CODE, 0, ALU_IMM, "sub", 64)     /* dst -= imm */                  \
	X(SUB64_REG, 0x1f, CODE, 0, ALU_REG, "sub", 64)     /* dst -= src */                  \
	X(MUL64_IMM, 0x27, CODE, 0, ALU_IMM, "mul", 64)     /* dst *= imm */                  \
	X(MUL64_REG, 0x2f, CODE, 0, ALU_REG, "mul", 64)     /* dst *= src */                  \
	X(DIV64_IMM, 0x37, OFF, 0, ALU_IMM, "div", 64)      /* dst = imm ? dst / imm : 0 (unsigned) */ \
	X(DIV64_REG, 0x3f, OFF, 0, ALU_REG, "div", 64)      /* dst = src ? dst / src : 0 */   \
	X(SDIV64_IMM, 0x37, OFF, 1, ALU_IMM, "sdiv", 64)    /* signed; by 0 -> 0 */           \
	X(SDIV64_REG, 0x3f, OFF, 1, ALU_REG, "sdiv", 64)    /* signed; by 0 -> 0 */           \
	X(OR64_IMM, 0x47, CODE, 0, ALU_IMM, "or", 64)       /* dst |= imm */                  \
	X(OR64_REG, 0x4f, CODE, 0, ALU_REG, "or", 64)       /* dst |= src */                  \
	X(AND64_IMM, 0x57, CODE, 0, ALU_IMM, "and", 64)     /* dst &= imm */                  \
	X(AND64_REG, 0x5f, CODE, 0, ALU_REG, "and", 64)     /* dst &= src */                  \
	X(LSH64_IMM, 0x67, CODE, 0, ALU_IMM, "lsh", 64)     /* dst <<= imm & 63 */            \
	X(LSH64_REG, 0x6f, CODE, 0, ALU_REG, "lsh", 64)     /* dst <<= src & 63 */            \
	X(RSH64_IMM, 0x77, CODE, 0, ALU_IMM, "rsh", 64)     /* dst >>= imm & 63 (logical) */  \
	X(RSH64_REG, 0x7f, CODE, 0, ALU_REG, "rsh", 64)     /* dst >>= src & 63 (logical) */  \
	X(NEG64, 0x87, CODE, 0, UNARY, "neg", 64)           /* dst = -dst */                  \
	X(MOD64_IMM, 0x97, OFF, 0, ALU_IMM, "mod", 64)      /* dst = imm ? dst % imm : dst */ \
	X(MOD64_REG, 0x9f, OFF, 0, ALU_REG, "mod", 64)      /* dst = src ? dst % src : dst */ \
	X(SMOD64_IMM, 0x97, OFF, 1, ALU_IMM, "smod", 64)    /* signed; by 0 -> dst */         \
	X(SMOD64_REG, 0x9f, OFF, 1, ALU_REG, "smod", 64)    /* signed; by 0 -> dst */         \
	X(XOR64_IMM, 0xa7, CODE, 0, ALU_IMM, "xor", 64)     /* dst ^= imm */                  \
	X(XOR64_REG, 0xaf, CODE, 0, ALU_REG, "xor", 64)     /* dst ^= src */                  \
	X(MOV64_IMM, 0xb7, OFF, 0, ALU_IMM, "mov", 64)      /* dst = imm */                   \
	X(MOV64_REG, 0xbf, OFF, 0, ALU_REG, "mov", 64)      /* dst = src */                   \
	X(MOVSX8_64, 0xbf, OFF, 8, ALU_REG, "movsx864", 64)    /* dst = (s64)(s8)src */       \
	X(MOVSX16_64, 0xbf, OFF, 16, ALU_REG, "movsx1664", 64) /* dst = (s64)(s16)src */      \
	X(MOVSX32_64, 0xbf, OFF, 32, ALU_REG, "movsx3264", 64) /* dst = (s64)(s32)src */      \
	X(ARSH64_IMM, 0xc7, CODE, 0, ALU_IMM, "arsh", 64)   /* dst s>>= imm & 63 */           \
	X(ARSH64_REG, 0xcf, CODE, 0, ALU_REG, "arsh", 64)   /* dst s>>= src & 63 */           \
	X(BSWAP16, 0xd7, IMM, 16, UNARY, "bswap16", 16)     /* dst = bswap16(dst) */          \
	X(BSWAP32, 0xd7, IMM, 32, UNARY, "bswap32", 32)     /* dst = bswap32(dst) */          \
	X(BSWAP64, 0xd7, IMM, 64, UNARY, "bswap64", 64)     /* dst = bswap64(dst) */          \
	/* ALU: 32-bit arithmetic on the low halves; the result is zero-extended */           \
	X(ADD32_IMM, 0x04, CODE, 0, ALU_IMM, "add32", 32)   /* wdst += imm */                 \
	X(ADD32_REG, 0x0c, CODE, 0, ALU_REG, "add32", 32)   /* wdst += wsrc */                \
	X(SUB32_IMM, 0x14, CODE, 0, ALU_IMM, "sub32", 32)                                     \
	X(SUB32_REG, 0x1c, CODE, 0, ALU_REG, "sub32", 32)                                     \
	X(MUL32_IMM, 0x24, CODE, 0, ALU_IMM, "mul32", 32)                                     \
	X(MUL32_REG, 0x2c, CODE, 0, ALU_REG, "mul32", 32)                                     \
	X(DIV32_IMM, 0x34, OFF, 0, ALU_IMM, "div32", 32)    /* unsigned; by 0 -> 0 */         \
	X(DIV32_REG, 0x3c, OFF, 0, ALU_REG, "div32", 32)                                      \
	X(SDIV32_IMM, 0x34, OFF, 1, ALU_IMM, "sdiv32", 32)  /* signed; by 0 -> 0 */           \
	X(SDIV32_REG, 0x3c, OFF, 1, ALU_REG, "sdiv32", 32)                                    \
	X(OR32_IMM, 0x44, CODE, 0, ALU_IMM, "or32", 32)                                       \
	X(OR32_REG, 0x4c, CODE, 0, ALU_REG, "or32", 32)                                       \
	X(AND32_IMM, 0x54, CODE, 0, ALU_IMM, "and32", 32)                                     \
	X(AND32_REG, 0x5c, CODE, 0, ALU_REG, "and32", 32)                                     \
	X(LSH32_IMM, 0x64, CODE, 0, ALU_IMM, "lsh32", 32)   /* shift amount & 31 */           \
	X(LSH32_REG, 0x6c, CODE, 0, ALU_REG, "lsh32", 32)                                     \
	X(RSH32_IMM, 0x74, CODE, 0, ALU_IMM, "rsh32", 32)                                     \
	X(RSH32_REG, 0x7c, CODE, 0, ALU_REG, "rsh32", 32)                                     \
	X(NEG32, 0x84, CODE, 0, UNARY, "neg32", 32)                                           \
	X(MOD32_IMM, 0x94, OFF, 0, ALU_IMM, "mod32", 32)    /* by 0 -> wdst (zero-extended) */ \
	X(MOD32_REG, 0x9c, OFF, 0, ALU_REG, "mod32", 32)                                      \
	X(SMOD32_IMM, 0x94, OFF, 1, ALU_IMM, "smod32", 32)                                    \
	X(SMOD32_REG, 0x9c, OFF, 1, ALU_REG, "smod32", 32)                                    \
	X(XOR32_IMM, 0xa4, CODE, 0, ALU_IMM, "xor32", 32)                                     \
	X(XOR32_REG, 0xac, CODE, 0, ALU_REG, "xor32", 32)                                     \
	X(MOV32_IMM, 0xb4, OFF, 0, ALU_IMM, "mov32", 32)                                      \
	X(MOV32_REG, 0xbc, OFF, 0, ALU_REG, "mov32", 32)                                      \
	X(MOVSX8_32, 0xbc, OFF, 8, ALU_REG, "movsx832", 32)   /* wdst = (s32)(s8)wsrc */      \
	X(MOVSX16_32, 0xbc, OFF, 16, ALU_REG, "movsx1632", 32) /* wdst = (s32)(s16)wsrc */    \
	X(ARSH32_IMM, 0xc4, CODE, 0, ALU_IMM, "arsh32", 32)                                   \
	X(ARSH32_REG, 0xcc, CODE, 0, ALU_REG, "arsh32", 32)                                   \
	X(LE16, 0xd4, IMM, 16, UNARY, "le16", 16)  /* dst = htole16(dst): zero-extends */     \
	X(LE32, 0xd4, IMM, 32, UNARY, "le32", 32)                                             \
	X(LE64, 0xd4, IMM, 64, UNARY, "le64", 64)                                             \
	X(BE16, 0xdc, IMM, 16, UNARY, "be16", 16)  /* dst = htobe16(dst): zero-extends */     \
	X(BE32, 0xdc, IMM, 32, UNARY, "be32", 32)                                             \
	X(BE64, 0xdc, IMM, 64, UNARY, "be64", 64)                                             \
	/* LD: 64-bit immediate (two slots) and legacy packet loads into r0 */                \
	X(LDDW, 0x18, CODE, 0, LD_IMM64, "lddw", 64)                                          \
	X(LDABSW, 0x20, CODE, 0, LD_ABS, "ldabsw", 32)                                        \
	X(LDABSH, 0x28, CODE, 0, LD_ABS, "ldabsh", 16)                                        \
	X(LDABSB, 0x30, CODE, 0, LD_ABS, "ldabsb", 8)                                         \
	X(LDABSDW, 0x38, CODE, 0, LD_ABS, "ldabsdw", 64)                                      \
	X(LDINDW, 0x40, CODE, 0, LD_IND, "ldindw", 32)                                        \
	X(LDINDH, 0x48, CODE, 0, LD_IND, "ldindh", 16)                                        \
	X(LDINDB, 0x50, CODE, 0, LD_IND, "ldindb", 8)                                         \
	X(LDINDDW, 0x58, CODE, 0, LD_IND, "ldinddw", 64)                                      \
	/* LDX: zero-extending and sign-extending loads */                                    \
	X(LDXW, 0x61, CODE, 0, LDX, "ldxw", 32)                                               \
	X(LDXH, 0x69, CODE, 0, LDX, "ldxh", 16)                                               \
	X(LDXB, 0x71, CODE, 0, LDX, "ldxb", 8)                                                \
	X(LDXDW, 0x79, CODE, 0, LDX, "ldxdw", 64)                                             \
	X(LDXSW, 0x81, CODE, 0, LDX, "ldxsw", 32)                                             \
	X(LDXSH, 0x89, CODE, 0, LDX, "ldxsh", 16)                                             \
	X(LDXSB, 0x91, CODE, 0, LDX, "ldxsb", 8)                                              \
	/* ST / STX: stores of an immediate or a register */                                  \
	X(STW, 0x62, CODE, 0, ST, "stw", 32)                                                  \
	X(STH, 0x6a, CODE, 0, ST, "sth", 16)                                                  \
	X(STB, 0x72, CODE, 0, ST, "stb", 8)                                                   \
	X(STDW, 0x7a, CODE, 0, ST, "stdw", 64)                                                \
	X(STXW, 0x63, CODE, 0, STX, "stxw", 32)                                               \
	X(STXH, 0x6b, CODE, 0, STX, "stxh", 16)                                               \
	X(STXB, 0x73, CODE, 0, STX, "stxb", 8)                                                \
	X(STXDW, 0x7b, CODE, 0, STX, "stxdw", 64)                                             \
	/* Atomics: fetch forms put the old value in src; cmpxchg compares with r0 and puts   \
	 * the old value in r0; 32-bit forms zero-extend what they return */                  \
	X(ATOMIC32_ADD, 0xc3, IMM, 0x00, ATOMIC, "add32", 32)                                 \
	X(ATOMIC32_OR, 0xc3, IMM, 0x40, ATOMIC, "or32", 32)                                   \
	X(ATOMIC32_AND, 0xc3, IMM, 0x50, ATOMIC, "and32", 32)                                 \
	X(ATOMIC32_XOR, 0xc3, IMM, 0xa0, ATOMIC, "xor32", 32)                                 \
	X(ATOMIC32_FETCH_ADD, 0xc3, IMM, 0x01, ATOMIC, "fetch add32", 32)                     \
	X(ATOMIC32_FETCH_OR, 0xc3, IMM, 0x41, ATOMIC, "fetch or32", 32)                       \
	X(ATOMIC32_FETCH_AND, 0xc3, IMM, 0x51, ATOMIC, "fetch and32", 32)                     \
	X(ATOMIC32_FETCH_XOR, 0xc3, IMM, 0xa1, ATOMIC, "fetch xor32", 32)                     \
	X(ATOMIC32_XCHG, 0xc3, IMM, 0xe1, ATOMIC, "xchg32", 32)                               \
	X(ATOMIC32_CMPXCHG, 0xc3, IMM, 0xf1, ATOMIC, "cmpxchg32", 32)                         \
	X(ATOMIC64_ADD, 0xdb, IMM, 0x00, ATOMIC, "add", 64)                                   \
	X(ATOMIC64_OR, 0xdb, IMM, 0x40, ATOMIC, "or", 64)                                     \
	X(ATOMIC64_AND, 0xdb, IMM, 0x50, ATOMIC, "and", 64)                                   \
	X(ATOMIC64_XOR, 0xdb, IMM, 0xa0, ATOMIC, "xor", 64)                                   \
	X(ATOMIC64_FETCH_ADD, 0xdb, IMM, 0x01, ATOMIC, "fetch add", 64)                       \
	X(ATOMIC64_FETCH_OR, 0xdb, IMM, 0x41, ATOMIC, "fetch or", 64)                         \
	X(ATOMIC64_FETCH_AND, 0xdb, IMM, 0x51, ATOMIC, "fetch and", 64)                       \
	X(ATOMIC64_FETCH_XOR, 0xdb, IMM, 0xa1, ATOMIC, "fetch xor", 64)                       \
	X(ATOMIC64_XCHG, 0xdb, IMM, 0xe1, ATOMIC, "xchg", 64)                                 \
	X(ATOMIC64_CMPXCHG, 0xdb, IMM, 0xf1, ATOMIC, "cmpxchg", 64)                           \
	/* JMP: 64-bit compares; offsets count instructions from the next one */              \
	X(JA, 0x05, CODE, 0, JA, "ja", 0)                   /* pc += off */                   \
	X(JEQ_IMM, 0x15, CODE, 0, JMP_IMM, "jeq", 64)       /* == */                          \
	X(JEQ_REG, 0x1d, CODE, 0, JMP_REG, "jeq", 64)                                         \
	X(JGT_IMM, 0x25, CODE, 0, JMP_IMM, "jgt", 64)       /* unsigned > */                  \
	X(JGT_REG, 0x2d, CODE, 0, JMP_REG, "jgt", 64)                                         \
	X(JGE_IMM, 0x35, CODE, 0, JMP_IMM, "jge", 64)       /* unsigned >= */                 \
	X(JGE_REG, 0x3d, CODE, 0, JMP_REG, "jge", 64)                                         \
	X(JSET_IMM, 0x45, CODE, 0, JMP_IMM, "jset", 64)     /* dst & x != 0 */                \
	X(JSET_REG, 0x4d, CODE, 0, JMP_REG, "jset", 64)                                       \
	X(JNE_IMM, 0x55, CODE, 0, JMP_IMM, "jne", 64)       /* != */                          \
	X(JNE_REG, 0x5d, CODE, 0, JMP_REG, "jne", 64)                                         \
	X(JSGT_IMM, 0x65, CODE, 0, JMP_IMM, "jsgt", 64)     /* signed > */                    \
	X(JSGT_REG, 0x6d, CODE, 0, JMP_REG, "jsgt", 64)                                       \
	X(JSGE_IMM, 0x75, CODE, 0, JMP_IMM, "jsge", 64)     /* signed >= */                   \
	X(JSGE_REG, 0x7d, CODE, 0, JMP_REG, "jsge", 64)                                       \
	X(CALL, 0x85, CODE, 0, CALL, "call", 0)             /* helper, local or kfunc call */ \
	X(CALLX, 0x8d, CODE, 0, CALLX, "callx", 0)          /* call via register */           \
	X(EXIT, 0x95, CODE, 0, EXIT, "exit", 0)             /* return r0 */                   \
	X(JLT_IMM, 0xa5, CODE, 0, JMP_IMM, "jlt", 64)       /* unsigned < */                  \
	X(JLT_REG, 0xad, CODE, 0, JMP_REG, "jlt", 64)                                         \
	X(JLE_IMM, 0xb5, CODE, 0, JMP_IMM, "jle", 64)       /* unsigned <= */                 \
	X(JLE_REG, 0xbd, CODE, 0, JMP_REG, "jle", 64)                                         \
	X(JSLT_IMM, 0xc5, CODE, 0, JMP_IMM, "jslt", 64)     /* signed < */                    \
	X(JSLT_REG, 0xcd, CODE, 0, JMP_REG, "jslt", 64)                                       \
	X(JSLE_IMM, 0xd5, CODE, 0, JMP_IMM, "jsle", 64)     /* signed <= */                   \
	X(JSLE_REG, 0xdd, CODE, 0, JMP_REG, "jsle", 64)                                       \
	/* JMP32: the same compares on the low 32 bits; 0x06 is "gotol" (pc += imm) */        \
	X(JA32, 0x06, CODE, 0, JA, "ja32", 0)                                                 \
	X(JEQ32_IMM, 0x16, CODE, 0, JMP_IMM, "jeq32", 32)                                     \
	X(JEQ32_REG, 0x1e, CODE, 0, JMP_REG, "jeq32", 32)                                     \
	X(JGT32_IMM, 0x26, CODE, 0, JMP_IMM, "jgt32", 32)                                     \
	X(JGT32_REG, 0x2e, CODE, 0, JMP_REG, "jgt32", 32)                                     \
	X(JGE32_IMM, 0x36, CODE, 0, JMP_IMM, "jge32", 32)                                     \
	X(JGE32_REG, 0x3e, CODE, 0, JMP_REG, "jge32", 32)                                     \
	X(JSET32_IMM, 0x46, CODE, 0, JMP_IMM, "jset32", 32)                                   \
	X(JSET32_REG, 0x4e, CODE, 0, JMP_REG, "jset32", 32)                                   \
	X(JNE32_IMM, 0x56, CODE, 0, JMP_IMM, "jne32", 32)                                     \
	X(JNE32_REG, 0x5e, CODE, 0, JMP_REG, "jne32", 32)                                     \
	X(JSGT32_IMM, 0x66, CODE, 0, JMP_IMM, "jsgt32", 32)                                   \
	X(JSGT32_REG, 0x6e, CODE, 0, JMP_REG, "jsgt32", 32)                                   \
	X(JSGE32_IMM, 0x76, CODE, 0, JMP_IMM, "jsge32", 32)                                   \
	X(JSGE32_REG, 0x7e, CODE, 0, JMP_REG, "jsge32", 32)                                   \
	X(JLT32_IMM, 0xa6, CODE, 0, JMP_IMM, "jlt32", 32)                                     \
	X(JLT32_REG, 0xae, CODE, 0, JMP_REG, "jlt32", 32)                                     \
	X(JLE32_IMM, 0xb6, CODE, 0, JMP_IMM, "jle32", 32)                                     \
	X(JLE32_REG, 0xbe, CODE, 0, JMP_REG, "jle32", 32)                                     \
	X(JSLT32_IMM, 0xc6, CODE, 0, JMP_IMM, "jslt32", 32)                                   \
	X(JSLT32_REG, 0xce, CODE, 0, JMP_REG, "jslt32", 32)                                   \
	X(JSLE32_IMM, 0xd6, CODE, 0, JMP_IMM, "jsle32", 32)                                   \
	X(JSLE32_REG, 0xde, CODE, 0, JMP_REG, "jsle32", 32)

enum objfmt_op {
	OBJFMT_OP_INVALID = 0,
#define OBJFMT_X_ENUM(name, code, match, value, form, mnemonic, width) OBJFMT_OP_##name,
	OBJFMT_OPCODES(OBJFMT_X_ENUM)
#undef OBJFMT_X_ENUM
	OBJFMT_OP__COUNT
};

/* One row of the table, as data. */
struct objfmt_opinfo {
	enum objfmt_op op;        /* OBJFMT_OP_<name> */
	const char *name;         /* "ADD64_IMM" */
	uint8_t code;             /* opcode byte */
	enum objfmt_match match;  /* how rows sharing `code` are told apart */
	int32_t match_value;      /* off or imm value for MATCH_OFF / MATCH_IMM */
	enum objfmt_form form;    /* operand shape */
	const char *mnemonic;     /* conformance-dialect mnemonic ("fetch add32" for atomics) */
	uint8_t width;            /* operation width in bits, 0 when not applicable */
};

/* Row for `op` (borrowed, static); NULL for OBJFMT_OP_INVALID or out of range. */
const struct objfmt_opinfo *objfmt_opinfo(enum objfmt_op op);

/* Identify and validate one instruction. `insns` points at the instruction, `remaining`
 * is how many slots follow it including itself (an ld_imm64 needs 2). Checks every
 * reserved field (unused registers, off and imm zero where the ISA says so, register
 * numbers <= 10, the second ld_imm64 slot's zero fields) and, on failure, returns
 * OBJFMT_OP_INVALID with a precise message in `diag` ("insn 4: invalid opcode 0x8e",
 * "insn 7: reserved field src_reg=3 must be 0 for 'add'", ...); `index` is only used
 * to name the instruction in messages. */
enum objfmt_op objfmt_insn_decode(const struct objfmt_insn *insns, size_t remaining,
				  size_t index, struct objfmt_diag *diag);

/* Encode a fully specified instruction: fills code and, for OFF/IMM-matched rows, the
 * discriminating field; copies the operand fields given. Returns number of slots
 * written (1, or 2 for LDDW, where imm64 is split over the two slots). */
int objfmt_insn_encode(enum objfmt_op op, uint8_t dst, uint8_t src, int16_t off,
		       int64_t imm, struct objfmt_insn out[2]);

/* Number of slots the instruction at `insn` occupies: 2 for ld_imm64, else 1. */
static inline int objfmt_insn_slots(const struct objfmt_insn *insn)
{
	return insn->code == 0x18 ? 2 : 1;
}

/* Helper functions of the UAPI (id, name without the "bpf_" prefix). */
/* Name of helper `id` ("map_lookup_elem"), NULL if unknown. Static storage. */
const char *objfmt_helper_name(int32_t id);
/* Id of helper `name` (with or without "bpf_" prefix), or -1 if unknown. */
int32_t objfmt_helper_id(const char *name);

/* ------------------------------------------------------------------------------------
 * Disassembler
 * ---------------------------------------------------------------------------------- */

enum objfmt_dialect {
	OBJFMT_DIALECT_LLVM,     /* "r0 = *(u32 *)(r1 + 4)" as llvm-objdump -d prints */
	OBJFMT_DIALECT_MNEMONIC, /* "ldxw %r0, [%r1+4]" as the conformance suite writes */
};

/* Text of the instruction at insns[0] (and insns[1] for ld_imm64) into buf (always
 * NUL-terminated). LLVM dialect: exactly llvm-objdump 14's text for what LLVM 14 knows,
 * LLVM 19's spelling for the v4 additions. Returns the text length, or a negative errno
 * (-EINVAL with `diag` filled for an invalid encoding). `remaining` as in decode. */
int objfmt_disasm_insn(const struct objfmt_insn *insns, size_t remaining,
		       enum objfmt_dialect dialect, char *buf, size_t buflen,
		       struct objfmt_diag *diag);

/* ------------------------------------------------------------------------------------
 * Object model: one relocatable BPF object (what one ELF .o holds)
 * ---------------------------------------------------------------------------------- */

struct objfmt_object;  /* opaque: sections, symbols, relocations, BTF */
struct objfmt_btf;     /* opaque: a BTF type graph (below) */
struct objfmt_btf_ext; /* opaque: func_info / line_info / CO-RE relocation records */

enum objfmt_section_kind {
	OBJFMT_SEC_PROGBITS, /* bytes stored in the file */
	OBJFMT_SEC_NOBITS,   /* .bss: size only */
};

/* Section flags are ELF's SHF_* values (SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, ...). */
#define OBJFMT_SHF_WRITE 0x1ull
#define OBJFMT_SHF_ALLOC 0x2ull
#define OBJFMT_SHF_EXECINSTR 0x4ull
#define OBJFMT_SHF_MERGE 0x10ull
#define OBJFMT_SHF_STRINGS 0x20ull
/* Largest section alignment the model accepts (the ELF writer pads file offsets to it). */
#define OBJFMT_SECTION_MAX_ALIGN 4096u
struct objfmt_section {
	const char *name;              /* "xdp", ".text", ".maps", ".rodata.str1.1" */
	enum objfmt_section_kind kind; /* progbits or nobits */
	uint64_t flags;                /* SHF_* */
	uint64_t align;                /* power of two, >= 1 */
	uint64_t entsize;              /* sh_entsize (e.g. 1 for mergeable strings) */
	uint8_t *data;                 /* size bytes (NULL for NOBITS); owned by object */
	uint64_t size;                 /* bytes */
	size_t index;                  /* stable id of the section within its object */
};

enum objfmt_sym_bind {
	OBJFMT_BIND_LOCAL,
	OBJFMT_BIND_GLOBAL,
	OBJFMT_BIND_WEAK,
};
enum objfmt_sym_type {
	OBJFMT_SYM_NOTYPE,
	OBJFMT_SYM_OBJECT,
	OBJFMT_SYM_FUNC,
	OBJFMT_SYM_SECTION,
	OBJFMT_SYM_FILE,
};
enum objfmt_sym_visibility {
	OBJFMT_VIS_DEFAULT,
	OBJFMT_VIS_HIDDEN,
};

#define OBJFMT_SECTION_UNDEF ((size_t)-1) /* symbol not defined here (extern) */
#define OBJFMT_SECTION_ABS ((size_t)-2)   /* absolute (SHN_ABS): the STT_FILE symbol */

struct objfmt_symbol {
	const char *name;                  /* "" for section symbols */
	enum objfmt_sym_bind bind;         /* local / global / weak */
	enum objfmt_sym_type type;         /* func / object / section / notype / file */
	enum objfmt_sym_visibility vis;    /* default / hidden */
	size_t section;                    /* defining section index, or OBJFMT_SECTION_UNDEF */
	uint64_t value;                    /* offset in the section */
	uint64_t size;                     /* bytes */
	size_t index;                      /* stable id of the symbol within its object */
};

/* Relocation types of the BPF ELF ABI (ELF r_type values). */
enum objfmt_reloc_type {
	OBJFMT_R_BPF_NONE = 0,
	OBJFMT_R_BPF_64_64 = 1,      /* ld_imm64 of a map or global: imm of both slots */
	OBJFMT_R_BPF_64_ABS64 = 2,   /* 64-bit data (e.g. .maps values[] initializers) */
	OBJFMT_R_BPF_64_ABS32 = 3,   /* 32-bit data (.BTF DATASEC / .BTF.ext) */
	OBJFMT_R_BPF_64_NODYLD32 = 4,/* 32-bit data not for the dynamic linker (.BTF.ext) */
	OBJFMT_R_BPF_64_32 = 10,     /* call imm: (S + A) / 8 - 1 */
};

struct objfmt_reloc {
	size_t section;              /* section being patched (index) */
	uint64_t offset;             /* byte offset in that section */
	enum objfmt_reloc_type type; /* R_BPF_* */
	size_t symbol;               /* symbol index */
	int64_t addend;              /* REL objects keep addends in place; 0 there */
};

/* Create an empty object. */
struct objfmt_object *objfmt_object__new(void);
void objfmt_object__free(struct objfmt_object *obj);

/* Builder. Names are copied. Returns the new section's/symbol's index, or a negative
 * errno (-EEXIST for a second section of the same name, -EINVAL for bad arguments:
 * empty or reserved name (.rel*, .symtab, .strtab, .shstrtab), alignment not a power of
 * two or above OBJFMT_SECTION_MAX_ALIGN; 0 means 1). */
int objfmt_object__add_section(struct objfmt_object *obj, const char *name,
			       enum objfmt_section_kind kind, uint64_t flags, uint64_t align);
/* Find a section by name; returns its index or -ENOENT. */
int objfmt_object__find_section(const struct objfmt_object *obj, const char *name);
/* Append `size` bytes to a section (NULL data appends zeros; for NOBITS only the size
 * grows). Returns the offset at which they were placed, or a negative errno. */
int64_t objfmt_object__append(struct objfmt_object *obj, size_t section,
			      const void *data, uint64_t size);
/* Pad a section with zeros up to a multiple of `align` (and raise its alignment). */
int objfmt_object__align(struct objfmt_object *obj, size_t section, uint64_t align);
/* Add a symbol; returns its index or a negative errno. */
int objfmt_object__add_symbol(struct objfmt_object *obj, const struct objfmt_symbol *sym);
/* Find a non-section symbol by name; returns its index or -ENOENT. */
int objfmt_object__find_symbol(const struct objfmt_object *obj, const char *name);
/* Add a relocation (section/symbol indices must exist). */
int objfmt_object__add_reloc(struct objfmt_object *obj, const struct objfmt_reloc *rel);
/* Whether `type` is one of the R_BPF_* types above other than NONE. */
bool objfmt_reloc_type_known(uint32_t type);
/* Bytes from the relocation's offset that must lie inside section `sec`: 16 for an
 * ld_imm64 (R_BPF_64_64 in code), 8 for a call (R_BPF_64_32 in code) or 64-bit data,
 * 4 for 32-bit data; 0 for an unknown type. The ELF writer checks this. */
uint64_t objfmt_reloc_width(const struct objfmt_section *sec, enum objfmt_reloc_type type);

/* Readers: counts and borrowed pointers (valid until the object changes or is freed). */
size_t objfmt_object__section_count(const struct objfmt_object *obj);
struct objfmt_section *objfmt_object__section(const struct objfmt_object *obj, size_t i);
size_t objfmt_object__symbol_count(const struct objfmt_object *obj);
struct objfmt_symbol *objfmt_object__symbol(const struct objfmt_object *obj, size_t i);
size_t objfmt_object__reloc_count(const struct objfmt_object *obj);
const struct objfmt_reloc *objfmt_object__reloc(const struct objfmt_object *obj, size_t i);

/* BTF attached to the object (written as .BTF / .BTF.ext). The object takes ownership
 * of what it is given; the getters return borrowed pointers or NULL. Setting the same
 * pointer again is a no-op; setting another frees the previous one. The ELF writer
 * emits a section named .BTF (.BTF.ext) verbatim when the object has one (objects read
 * from ELF keep them, so read->write is byte-identical); otherwise it encodes the BTF
 * set here and places .BTF and .BTF.ext after the last section. */
void objfmt_object__set_btf(struct objfmt_object *obj, struct objfmt_btf *btf);
struct objfmt_btf *objfmt_object__btf(const struct objfmt_object *obj);
void objfmt_object__set_btf_ext(struct objfmt_object *obj, struct objfmt_btf_ext *ext);
struct objfmt_btf_ext *objfmt_object__btf_ext(const struct objfmt_object *obj);

/* ------------------------------------------------------------------------------------
 * ELF64 EM_BPF little-endian relocatable files (through libelf)
 * ---------------------------------------------------------------------------------- */

/* Parse an ELF image (copied; the caller keeps `data`). Sections .symtab, .strtab,
 * .shstrtab and .rel* become the object's symbols and relocations; .BTF and .BTF.ext are
 * decoded into the object's BTF (their raw bytes are kept as sections too, so a
 * read->write round trip is identical). `name` labels diagnostics ("prog.o"). */
struct objfmt_object *objfmt_elf_read_mem(const void *data, size_t size, const char *name,
					  struct objfmt_diag *diag);
/* Bad input gives NULL, errno EINVAL and diag where = "<name>[: section #N 'x' | symbol
 * #N 'x' | section '.BTF']", message = what is wrong (one line). .llvm_addrsig is
 * dropped; SHT_RELA and other section types are rejected. */
struct objfmt_object *objfmt_elf_read_file(const char *path, struct objfmt_diag *diag);

/* Serialize as clang lays out a BPF object: [1] .strtab (section and symbol names,
 * e_shstrndx), the sections in insertion order each followed by its .rel<sec> when it
 * has relocations, .BTF/.BTF.ext encoded from the object's BTF unless the object holds
 * them as sections, and .symtab last (locals first, sh_info = first non-local).
 * Fails with -EINVAL and diag (where = "section 'x'") for a relocation that patches
 * bytes past its section or carries an addend. The buffer is malloc'ed; the caller
 * frees *out. */
int objfmt_elf_write_mem(const struct objfmt_object *obj, void **out, size_t *out_size,
			 struct objfmt_diag *diag);
/* Write to `path`. The image is built in memory first: an object that cannot be
 * encoded leaves `path` as it was. A missing file is created; an existing regular
 * file of ours with one link and the default mode is overwritten in place; a device
 * or FIFO, or a symbolic link to one or into /proc (/dev/stdout), is written
 * through; any other (symbolic link, hard link, other owner or mode) is replaced by
 * a temporary file in the same directory renamed over it. A failed write of a
 * regular file removes `path`. */
int objfmt_elf_write_file(const struct objfmt_object *obj, const char *path,
			  struct objfmt_diag *diag);
/* Write `image` (from objfmt_elf_write_mem) to `path` as objfmt_elf_write_file does;
 * a failure sets diag->where to `path` and returns -errno. */
int objfmt_elf_write_image_file(const void *image, size_t size, const char *path,
				struct objfmt_diag *diag);

/* ------------------------------------------------------------------------------------
 * BTF: type graph, builder, .BTF encode/decode, validator, dump
 * ---------------------------------------------------------------------------------- */

/* Kinds, with the kernel's BTF_KIND_* numbers. */
enum objfmt_btf_kind {
	OBJFMT_BTF_UNKN = 0,
	OBJFMT_BTF_INT = 1,
	OBJFMT_BTF_PTR = 2,
	OBJFMT_BTF_ARRAY = 3,
	OBJFMT_BTF_STRUCT = 4,
	OBJFMT_BTF_UNION = 5,
	OBJFMT_BTF_ENUM = 6,
	OBJFMT_BTF_FWD = 7,
	OBJFMT_BTF_TYPEDEF = 8,
	OBJFMT_BTF_VOLATILE = 9,
	OBJFMT_BTF_CONST = 10,
	OBJFMT_BTF_RESTRICT = 11,
	OBJFMT_BTF_FUNC = 12,
	OBJFMT_BTF_FUNC_PROTO = 13,
	OBJFMT_BTF_VAR = 14,
	OBJFMT_BTF_DATASEC = 15,
	OBJFMT_BTF_FLOAT = 16,
	OBJFMT_BTF_DECL_TAG = 17,
	OBJFMT_BTF_TYPE_TAG = 18,
	OBJFMT_BTF_ENUM64 = 19,
};

/* INT encoding bits. */
#define OBJFMT_BTF_INT_SIGNED 0x1
#define OBJFMT_BTF_INT_CHAR 0x2
#define OBJFMT_BTF_INT_BOOL 0x4

/* FUNC linkage (vlen of a FUNC) and VAR linkage. */
enum { OBJFMT_BTF_FUNC_STATIC = 0, OBJFMT_BTF_FUNC_GLOBAL = 1, OBJFMT_BTF_FUNC_EXTERN = 2 };
enum { OBJFMT_BTF_VAR_STATIC = 0, OBJFMT_BTF_VAR_GLOBAL = 1, OBJFMT_BTF_VAR_EXTERN = 2 };

/* One member of a STRUCT/UNION, value of an ENUM/ENUM64, parameter of a FUNC_PROTO,
 * or variable of a DATASEC. Which fields mean something depends on the kind. */
struct objfmt_btf_member {
	const char *name;     /* member / enumerator / parameter name ("" if anonymous) */
	uint32_t type;        /* member type, param type, or VAR id for DATASEC entries */
	uint32_t bit_offset;  /* STRUCT/UNION: offset in bits */
	uint32_t bitfield;    /* STRUCT/UNION: bitfield size in bits, 0 if not a bitfield */
	int64_t value;        /* ENUM/ENUM64: value */
	uint32_t offset;      /* DATASEC: byte offset of the variable */
	uint32_t size;        /* DATASEC: byte size of the variable */
};

/* One type. Type ids start at 1; id 0 is void. */
struct objfmt_btf_type {
	enum objfmt_btf_kind kind;
	const char *name;                 /* "" if anonymous */
	uint32_t size;                    /* INT/STRUCT/UNION/ENUM/ENUM64/FLOAT/DATASEC bytes */
	uint32_t type;                    /* PTR/TYPEDEF/CV/FUNC/VAR/DECL_TAG/TYPE_TAG: target;
					     FUNC_PROTO: return type */
	uint32_t int_encoding;            /* INT: OBJFMT_BTF_INT_* bits */
	uint32_t int_offset;              /* INT: bit offset */
	uint32_t int_bits;                /* INT: number of bits */
	uint32_t array_elem;              /* ARRAY: element type */
	uint32_t array_index;             /* ARRAY: index type */
	uint32_t array_nelems;            /* ARRAY: element count */
	uint32_t linkage;                 /* FUNC / VAR linkage */
	bool kind_flag;                   /* STRUCT/UNION bitfield encoding; FWD union;
					     ENUM signedness; DECL_TAG attribute form */
	int32_t component_idx;            /* DECL_TAG: member/param index, -1 for the type */
	uint32_t vlen;                    /* number of members[] */
	struct objfmt_btf_member *members;/* vlen entries; owned by the BTF */
};

struct objfmt_btf *objfmt_btf__new(void);
void objfmt_btf__free(struct objfmt_btf *btf);

/* Builder: append a type (deep copy of `t` and its strings/members); returns its new
 * id (>= 1) or a negative errno. Referenced ids may be added later (forward refs ok). */
int objfmt_btf__add(struct objfmt_btf *btf, const struct objfmt_btf_type *t);
/* Convenience builders, each returning the new id or a negative errno. */
int objfmt_btf__add_int(struct objfmt_btf *btf, const char *name, uint32_t size,
			uint32_t encoding);
int objfmt_btf__add_ptr(struct objfmt_btf *btf, uint32_t target);
int objfmt_btf__add_array(struct objfmt_btf *btf, uint32_t elem, uint32_t index,
			  uint32_t nelems);
int objfmt_btf__add_typedef(struct objfmt_btf *btf, const char *name, uint32_t target);
int objfmt_btf__add_var(struct objfmt_btf *btf, const char *name, uint32_t type,
			uint32_t linkage);

/* Number of types (the largest valid id). */
uint32_t objfmt_btf__type_count(const struct objfmt_btf *btf);
/* Type `id` (borrowed), NULL for 0 or out of range. */
const struct objfmt_btf_type *objfmt_btf__type(const struct objfmt_btf *btf, uint32_t id);
/* Mutable access for builders that fill in fields after adding (e.g. DATASEC sizes).
 * Fields may be changed in place; `members` stays owned by the BTF (grow it with
 * add_member, never replace it or raise vlen), and a name pointer stored here is
 * borrowed: it must outlive the BTF (encode adds its text to the string table). */
struct objfmt_btf_type *objfmt_btf__type_mut(struct objfmt_btf *btf, uint32_t id);
/* Append a member to type `id` (copied). */
int objfmt_btf__add_member(struct objfmt_btf *btf, uint32_t id,
			   const struct objfmt_btf_member *m);
/* First id with this kind and name, or -ENOENT. */
int objfmt_btf__find(const struct objfmt_btf *btf, enum objfmt_btf_kind kind,
		     const char *name);
/* Skip typedefs and CV/type-tag modifiers; returns the resolved id (0 for void). */
uint32_t objfmt_btf__resolve(const struct objfmt_btf *btf, uint32_t id);
/* Byte size of type `id` (arrays multiply, pointers are 8), or a negative errno. */
int64_t objfmt_btf__size(const struct objfmt_btf *btf, uint32_t id);

/* String table. Names given to the builder are copied into it in first-use order;
 * a decoded table is kept verbatim (offsets and duplicates preserved).
 * string_offset: offset of `text` in the table, or -ENOENT.
 * add_string: offset of `text`, appending it if absent (or a negative errno).
 * string: text at `offset` (borrowed until the BTF changes), NULL + errno ENOENT if out
 * of range. */
int64_t objfmt_btf__string_offset(const struct objfmt_btf *btf, const char *text);
int64_t objfmt_btf__add_string(struct objfmt_btf *btf, const char *text);
const char *objfmt_btf__string(const struct objfmt_btf *btf, uint32_t offset);

/* Decode raw .BTF bytes (header, type section, string section). */
struct objfmt_btf *objfmt_btf__decode(const void *data, size_t size,
				      struct objfmt_diag *diag);
/* Encode to .BTF bytes (malloc'ed; caller frees *out). Strings are laid out in
 * first-use order, deduplicated; decode->encode of clang's BTF is byte-identical. */
int objfmt_btf__encode(const struct objfmt_btf *btf, void **out, size_t *out_size);
/* Check the kernel's structural rules: ids in range, no reference cycles except
 * through pointers, valid names, sizes, member offsets, vlen bounds, DATASEC entries
 * sorted and inside the section. Accepts what BPF_BTF_LOAD of the encoded bytes
 * accepts (checked against the running kernel), so like the kernel it rejects what a
 * loader must fix first: DATASEC size 0, extern VAR/FUNC linkage. Returns 0 or -EINVAL
 * with the first fault in diag (where: "BTF type [7] STRUCT 'node'"). */
int objfmt_btf__validate(const struct objfmt_btf *btf, struct objfmt_diag *diag);
/* Append copies of all types of `src` to `dst` (a linker merging objects), their
 * references shifted so src id N becomes dst id N + shift. Returns shift (the old type
 * count of dst) or a negative errno (dst unchanged). */
int64_t objfmt_btf__append(struct objfmt_btf *dst, const struct objfmt_btf *src);
/* Deduplicate structurally identical types in place (ids are renumbered; `remap`, if
 * non-NULL, receives a malloc'ed old-id -> new-id array of type_count()+1 entries, the
 * count before dedup). Identical cyclic structures merge too; a FWD is replaced by the
 * STRUCT/UNION of its name when all of those are identical; VAR and DATASEC are never
 * merged. Surviving types keep their relative order. */
int objfmt_btf__dedup(struct objfmt_btf *btf, uint32_t **remap);
/* Readable dump, one type per line as `bpftool btf dump file` prints it. */
int objfmt_btf__dump(const struct objfmt_btf *btf, FILE *out);

/* .BTF.ext: func_info, line_info and CO-RE relocation records, grouped per section. */
struct objfmt_btf_ext_func {
	uint32_t insn_off;  /* byte offset of the function's first insn in its section */
	uint32_t type_id;   /* BTF FUNC id */
};
struct objfmt_btf_ext_line {
	uint32_t insn_off;  /* byte offset of the insn */
	const char *file;   /* source file name */
	const char *line;   /* source line text */
	uint32_t line_num;  /* line number */
	uint32_t line_col;  /* column */
};
enum objfmt_core_kind {
	OBJFMT_CORE_FIELD_BYTE_OFFSET = 0,
	OBJFMT_CORE_FIELD_BYTE_SIZE = 1,
	OBJFMT_CORE_FIELD_EXISTS = 2,
	OBJFMT_CORE_FIELD_SIGNED = 3,
	OBJFMT_CORE_FIELD_LSHIFT_U64 = 4,
	OBJFMT_CORE_FIELD_RSHIFT_U64 = 5,
	OBJFMT_CORE_TYPE_ID_LOCAL = 6,
	OBJFMT_CORE_TYPE_ID_TARGET = 7,
	OBJFMT_CORE_TYPE_EXISTS = 8,
	OBJFMT_CORE_TYPE_SIZE = 9,
	OBJFMT_CORE_ENUMVAL_EXISTS = 10,
	OBJFMT_CORE_ENUMVAL_VALUE = 11,
	OBJFMT_CORE_TYPE_MATCHES = 12,
};
struct objfmt_btf_ext_core {
	uint32_t insn_off;          /* byte offset of the insn to patch */
	uint32_t type_id;           /* local BTF root type */
	const char *access;         /* access string "0:1:2" */
	enum objfmt_core_kind kind; /* relocation kind */
};

struct objfmt_btf_ext *objfmt_btf_ext__new(void);
void objfmt_btf_ext__free(struct objfmt_btf_ext *ext);
/* Append records for section `sec_name` (copied). */
int objfmt_btf_ext__add_func(struct objfmt_btf_ext *ext, const char *sec_name,
			     const struct objfmt_btf_ext_func *rec);
int objfmt_btf_ext__add_line(struct objfmt_btf_ext *ext, const char *sec_name,
			     const struct objfmt_btf_ext_line *rec);
int objfmt_btf_ext__add_core(struct objfmt_btf_ext *ext, const char *sec_name,
			     const struct objfmt_btf_ext_core *rec);
/* Readers: number of sections with records, their names, and per-kind records. */
size_t objfmt_btf_ext__section_count(const struct objfmt_btf_ext *ext);
const char *objfmt_btf_ext__section_name(const struct objfmt_btf_ext *ext, size_t i);
size_t objfmt_btf_ext__func_count(const struct objfmt_btf_ext *ext, size_t i);
const struct objfmt_btf_ext_func *objfmt_btf_ext__func(const struct objfmt_btf_ext *ext,
							size_t i, size_t j);
size_t objfmt_btf_ext__line_count(const struct objfmt_btf_ext *ext, size_t i);
const struct objfmt_btf_ext_line *objfmt_btf_ext__line(const struct objfmt_btf_ext *ext,
							size_t i, size_t j);
size_t objfmt_btf_ext__core_count(const struct objfmt_btf_ext *ext, size_t i);
const struct objfmt_btf_ext_core *objfmt_btf_ext__core(const struct objfmt_btf_ext *ext,
							size_t i, size_t j);
/* Decode/encode against the string table of `btf` (.BTF.ext holds offsets into it;
 * encoding adds any missing strings to `btf`, so encode .BTF.ext before .BTF).
 * Byte-identical round trip for clang's. */
struct objfmt_btf_ext *objfmt_btf_ext__decode(const void *data, size_t size,
					      const struct objfmt_btf *btf,
					      struct objfmt_diag *diag);
int objfmt_btf_ext__encode(const struct objfmt_btf_ext *ext, struct objfmt_btf *btf,
			   void **out, size_t *out_size);

#ifdef __cplusplus
}
#endif
#endif /* EBPF_OBJFMT_H */
