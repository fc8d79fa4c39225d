/* asm_int.h - internals of libasm shared by the lexer, the grammar, the instruction
 * builder, the directives and the object writer. Never installed. */
#ifndef ASM_INT_H
#define ASM_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ebpf/asm.h>
#include <ebpf/objfmt.h>

/* A fill level of the arena (arena.c), to hand back a line's memory. */
struct asm_arena_mark {
	void *chunk;  /* newest chunk when marked */
	size_t used;  /* its fill level then */
};

/* Source position of a token (1-based). */
struct asm_loc {
	unsigned line;
	unsigned column;
};

/* A register operand: number as written and whether it was the 32-bit `wN` view. */
struct asm_reg {
	int number;   /* 0..10 when valid; larger values are reported by the builder */
	bool is_w;    /* written as wN (LLVM dialect) */
	struct asm_loc loc;
};

/* A register in one word, as the parser carries it: number, w flag, line, column. */
static inline uint64_t asm_reg_pack(int number, bool is_w, unsigned line, unsigned column)
{
	return (uint64_t)(number & 0xffff) | (uint64_t)is_w << 16 |
	       (uint64_t)(column & 0x7fff) << 17 | (uint64_t)line << 32;
}

static inline struct asm_reg asm_reg_unpack(uint64_t packed)
{
	struct asm_reg reg = { (int)(packed & 0xffff), (packed >> 16) & 1,
			       { (unsigned)(packed >> 32), (unsigned)(packed >> 17) & 0x7fff } };
	return reg;
}

/* Expression trees over constants and symbols, evaluated once all labels are known. */
enum asm_expr_kind {
	ASM_EXPR_NUMBER, /* value */
	ASM_EXPR_SYMBOL, /* name */
	ASM_EXPR_DOT,    /* the current location "." (value = offset, section) */
	ASM_EXPR_NEG,    /* -left */
	ASM_EXPR_NOT,    /* ~left */
	ASM_EXPR_BINARY, /* left op right */
};

struct asm_expr {
	enum asm_expr_kind kind;
	int op;               /* BINARY: '+', '-', '*', '/', '%', '<', '>' (shifts), '&', '|', '^' */
	uint64_t value;       /* NUMBER value; DOT offset */
	size_t section;       /* DOT section */
	bool explicit_sign;   /* NUMBER written with a leading '+' or '-' (relative jump) */
	const char *name;     /* SYMBOL name (arena) */
	struct asm_expr *left;
	struct asm_expr *right;
	struct asm_loc loc;
};

/* Value of an evaluated expression: constant, or symbol + addend. */
struct asm_value {
	int64_t addend;
	struct asm_symbol *symbol; /* NULL for a constant */
};

/* Memory operand: base register and offset expression (NULL for no offset). */
struct asm_mem {
	struct asm_reg base;
	struct asm_expr *offset;
	struct asm_loc loc;
};

/* A generic operand of the mnemonic dialect. */
enum asm_operand_kind { ASM_OPERAND_REG, ASM_OPERAND_EXPR, ASM_OPERAND_MEM };
struct asm_operand {
	enum asm_operand_kind kind;
	struct asm_reg reg;
	struct asm_expr *expr;
	struct asm_mem mem;
	struct asm_loc loc;
	struct asm_operand *next;
};

/* An argument of a directive: expression, string, `@type` word, or key=values. */
enum asm_arg_kind { ASM_ARG_EXPR, ASM_ARG_STRING, ASM_ARG_TYPE, ASM_ARG_KEY };
struct asm_arg {
	enum asm_arg_kind kind;
	struct asm_expr *expr;    /* EXPR; KEY: first value */
	const char *text;         /* STRING bytes (arena), TYPE word, KEY name */
	size_t length;            /* STRING length (may hold NUL bytes) */
	struct asm_expr **values; /* KEY: all values (arena array) */
	size_t value_count;
	struct asm_loc loc;
	struct asm_arg *next;
};

/* The requested instruction, as the dialect front ends describe it. */
struct asm_insn {
	const char *mnemonic;     /* conformance-dialect mnemonic of the table */
	enum objfmt_form form;    /* operand shape; with mnemonic selects the table row */
	struct asm_loc loc;       /* start of the statement */
	struct asm_loc mnemonic_loc;
	int dst, src;             /* register numbers, -1 when absent */
	struct asm_expr *off;     /* memory offset */
	struct asm_expr *imm;     /* immediate */
	struct asm_expr *target;  /* jump or call target */
	int call_kind;            /* CALL: enum objfmt_call_kind, -1 = decide from target */
	struct asm_loc imm_loc, off_loc, target_loc;
	struct asm_loc dst_loc, src_loc; /* register positions (line 0 = unknown) */
};

/* Symbols: labels, .set constants, undefined references. */
struct asm_symbol {
	const char *name;
	bool defined;              /* label or .set seen */
	bool is_constant;          /* .set/.equ value rather than a label */
	struct asm_expr *set_expr; /* .set expression */
	size_t section;            /* defining section (our index) */
	uint64_t value;            /* offset in that section */
	enum objfmt_sym_bind bind;
	bool bind_explicit;        /* .globl/.local/.weak given */
	enum objfmt_sym_type type;
	struct asm_expr *size;     /* .size expression */
	bool referenced;
	bool evaluating;           /* cycle guard for .set */
	struct asm_loc loc;        /* where defined (or first used) */
	int object_index;          /* index in the objfmt object, -1 before emission */
	bool section_base;         /* stands for the start of `section` (".") */
	bool hidden;               /* .hidden */
	bool implicit;             /* the mnemonic dialect's implicit "exit" label */
	bool in_reloc;             /* some relocation names it */
	bool keep;                 /* a relocation names it directly: emit even if .L */
	struct asm_symbol *hash_next;
};

/* A section under construction. */
struct asm_section {
	const char *name;
	uint8_t *data;
	size_t size, capacity;
	uint64_t flags;           /* SHF_* */
	bool flags_explicit;      /* given in .section */
	bool has_code;            /* instructions emitted */
	bool nobits;              /* @nobits (.bss) */
	uint64_t align;
	uint64_t entsize;
	int object_index;         /* index in the objfmt object */
	int symbol_index;         /* section symbol index, -1 until needed */
	struct asm_symbol *base;  /* section_base symbol for ".", made on first use */
	bool needs_symbol;        /* a relocation goes through the section symbol */
};

/* Things resolved after the whole file is read. */
enum asm_fixup_kind {
	ASM_FIX_IMM32,     /* insn imm from a constant expression */
	ASM_FIX_OFF16,     /* insn off from a constant expression (memory offset) */
	ASM_FIX_JUMP16,    /* jump target -> off */
	ASM_FIX_JUMP32,    /* gotol target -> imm */
	ASM_FIX_CALL,      /* call target -> imm or R_BPF_64_32 */
	ASM_FIX_LDIMM64,   /* ld_imm64 constant or R_BPF_64_64 */
	ASM_FIX_DATA,      /* .byte/.short/.long/.quad value, size in `width` */
};
struct asm_fixup {
	enum asm_fixup_kind kind;
	size_t section;
	size_t offset;            /* byte offset of the insn or datum */
	unsigned width;           /* DATA: 1, 2, 4, 8; IMM32: also allows unsigned 32-bit */
	bool alu64;               /* IMM32 of an ALU64 insn (for the message) */
	struct asm_expr *expr;
	struct asm_loc loc;
};

/* A relocation decided by the fixup pass, written by object.c. */
struct asm_pending_reloc {
	size_t section;               /* patched section (our index) */
	size_t offset;                /* byte offset in it */
	enum objfmt_reloc_type type;
	struct asm_symbol *symbol;    /* target */
	bool via_section;             /* through the target's section symbol */
};

struct asm_map_def;

/* Everything about one assembly run. */
struct asm_context {
	const char *file_name;
	const char *text;
	size_t text_size;
	enum asm_dialect dialect;
	unsigned max_errors;
	struct asm_diagnostics *diags;
	bool aborted;              /* too many errors */

	struct asm_arena *arena;
	size_t *line_starts;       /* offsets of each line start (asm_line_start) */
	size_t line_count;

	struct asm_section *sections;
	size_t section_count, section_capacity;
	size_t current;            /* current section index */

	struct asm_symbol **symbol_hash;
	size_t symbol_hash_size, symbol_count;
	struct asm_symbol **symbol_order; /* in order of first appearance */
	size_t symbol_order_capacity;

	struct asm_fixup *fixups;
	size_t fixup_count, fixup_capacity;
	struct asm_pending_reloc *relocs;
	size_t reloc_count, reloc_capacity;

	const struct objfmt_opinfo **op_hash; /* mnemonic+form lookup */
	size_t op_hash_size;

	bool first_exit_seen;      /* mnemonic dialect: implicit label "exit" */
	size_t first_exit_section; /* where that first exit is */
	size_t first_exit_offset;
	bool lex_eof;              /* the final NEWLINE was sent */
	bool line_done;            /* a NEWLINE was sent: the next token starts a line */
	bool retain;               /* this line stored arena pointers (symbol, fixup, ...) */
	struct asm_arena_mark line_mark; /* arena level when the line started */
	max_align_t scratch[16];   /* what asm_alloc hands out once memory ran out */

	struct asm_map_def *maps;  /* .map definitions, in order */
	size_t map_count, map_capacity;
	bool has_license;
};

/* ---- arena (arena.c) */
void asm_arena_mark(struct asm_arena *arena, struct asm_arena_mark *mark);
void asm_arena_release(struct asm_arena *arena, const struct asm_arena_mark *mark);
struct asm_arena *asm_arena_new(void);
void asm_arena_free(struct asm_arena *arena);
/* Zeroed arena memory; out of memory it records an error, aborts the run and returns
 * a scratch block (NULL for requests larger than the scratch). */
void *asm_alloc(struct asm_context *ctx, size_t size);
const char *asm_strndup(struct asm_context *ctx, const char *s, size_t n);

/* ---- diagnostics (diag.c) */
void asm_error(struct asm_context *ctx, struct asm_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void asm_warning(struct asm_context *ctx, struct asm_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct asm_diagnostics *asm_diagnostics_new(void);
int asm_diagnostics_add(struct asm_diagnostics *list, const char *file, struct asm_loc loc,
			enum asm_severity severity, const char *message, const char *line,
			size_t line_length);
void asm_diagnostics_sort(struct asm_diagnostics *list);
/* Copy the source line of each diagnostic; call once the scanner is done. */
void asm_diagnostics_attach_lines(struct asm_context *ctx);
/* Closest candidate to `word` by edit distance, or NULL if none is close. */
const char *asm_nearest(const char *word, const char *const *candidates, size_t count);

/* ---- sections and symbols (context.c) */
int asm_context_init(struct asm_context *ctx, const char *text, size_t size,
		     const char *file_name, enum asm_dialect dialect, unsigned max_errors);
void asm_context_fini(struct asm_context *ctx);
int asm_section_switch(struct asm_context *ctx, const char *name, struct asm_loc loc);
bool asm_line_start(struct asm_context *ctx, unsigned line, size_t *offset);
size_t asm_line_count(struct asm_context *ctx);
struct asm_section *asm_current_section(struct asm_context *ctx);
int asm_section_append(struct asm_context *ctx, const void *data, size_t size);
struct asm_symbol *asm_symbol_get(struct asm_context *ctx, const char *name,
				  struct asm_loc loc);
struct asm_symbol *asm_symbol_find(struct asm_context *ctx, const char *name);
void asm_define_label(struct asm_context *ctx, const char *name, struct asm_loc loc);
/* Numeric local labels: `1:` defines, `1b`/`1f` name the nearest one before/after. */
void asm_define_local_label(struct asm_context *ctx, uint64_t number, struct asm_loc loc);
const char *asm_local_label_ref(struct asm_context *ctx, const char *text, size_t length);
int asm_add_fixup(struct asm_context *ctx, const struct asm_fixup *fixup);
bool asm_symbol_is_temporary(const struct asm_symbol *sym);
struct asm_symbol *asm_section_dot_symbol(struct asm_context *ctx, size_t section);

/* ---- expressions (expr.c) */
struct asm_expr *asm_expr_number(struct asm_context *ctx, uint64_t value, struct asm_loc loc);
struct asm_expr *asm_expr_symbol(struct asm_context *ctx, const char *name, struct asm_loc loc);
struct asm_expr *asm_expr_dot(struct asm_context *ctx, struct asm_loc loc);
struct asm_expr *asm_expr_unary(struct asm_context *ctx, enum asm_expr_kind kind,
				struct asm_expr *operand, struct asm_loc loc);
struct asm_expr *asm_expr_binary(struct asm_context *ctx, int op, struct asm_expr *left,
				 struct asm_expr *right, struct asm_loc loc);
/* Evaluate; returns 0, or -EINVAL after reporting an error at the expression. */
int asm_expr_eval(struct asm_context *ctx, const struct asm_expr *expr,
		  struct asm_value *out);
/* Constant value right now, if the expression has no symbols (no diagnostics). */
bool asm_expr_constant(const struct asm_expr *expr, int64_t *out);

/* ---- instructions (insn.c, mnemonic.c) */
void asm_insn_init(struct asm_insn *insn, const char *mnemonic, enum objfmt_form form,
		   struct asm_loc loc);
void asm_emit_insn(struct asm_context *ctx, struct asm_insn *insn);
int asm_op_table_build(struct asm_context *ctx);
const struct objfmt_opinfo *asm_op_find(const struct asm_context *ctx, const char *mnemonic,
					 enum objfmt_form form);
bool asm_mnemonic_known(const struct asm_context *ctx, const char *mnemonic);
void asm_mnemonic_statement(struct asm_context *ctx, const char *mnemonic,
			    struct asm_loc loc, struct asm_operand *operands);
void asm_unknown_instruction(struct asm_context *ctx, const char *word, struct asm_loc loc);
/* Range checks that report the error themselves; false when out of range. */
bool asm_check_imm32(struct asm_context *ctx, struct asm_loc loc, int64_t value,
		     bool suggest_lddw);
bool asm_check_off16(struct asm_context *ctx, struct asm_loc loc, int64_t value);
bool asm_check_jump(struct asm_context *ctx, struct asm_loc loc, int64_t value,
		    bool is_long, bool is_conditional);

/* ---- directives (directives.c, maps.c) */
void asm_directive(struct asm_context *ctx, const char *name, struct asm_loc loc,
		   struct asm_arg *args);
bool asm_directive_known(const char *name);
/* Directives whose operands are taken as raw text (.file, .loc, .cfi_*). */
bool asm_directive_raw(const char *name);
void asm_directive_text(struct asm_context *ctx, const char *name, struct asm_loc loc,
			const char *text, struct asm_loc text_loc);
void asm_map_directive(struct asm_context *ctx, struct asm_loc loc, struct asm_arg **args,
		       size_t count);
const char *asm_directive_name(size_t i);
bool asm_data_fits(int64_t value, unsigned width);
int asm_maps_emit(struct asm_context *ctx, struct objfmt_object *obj);

/* ---- resolution and object building (finalize.c) */
int asm_finalize(struct asm_context *ctx, struct objfmt_object **out);

/* ---- parsing (grammar.y, lexer.l) */
int asm_parse(struct asm_context *ctx);
enum asm_dialect asm_detect_dialect(const char *text, size_t size);

#endif /* ASM_INT_H */
