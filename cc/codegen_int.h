/* codegen_int.h - state shared by the code generator files: the per-function
 * instruction buffer with labels and fixups, the register pool (regalloc.c), value
 * handles, memory places, and the records emit.c turns into relocations and line info. */
#ifndef CC_CODEGEN_INT_H
#define CC_CODEGEN_INT_H

#include "cc_int.h"

/* r11-r15 are no BPF registers: with optimisation, temporaries beyond r0-r9 take
 * them as extra names, and the IR back end gives every name a real register. */
enum { REG_FP = 10, REG_EXTRA = 11, REG_COUNT = 16, STACK_LIMIT = 512 };

/* A value in a register. `owned` values are temporaries the holder may clobber and
 * must release; borrowed ones (register variables, ND_LOADED) must not be written. */
struct val {
	int reg;
	bool owned;
};

/* Where an lvalue lives: a register variable, or memory at base + off. */
struct place {
	bool in_reg;             /* register variable: reg holds it */
	int reg;                 /* PL reg, or memory base register */
	int32_t off;             /* memory offset from base */
	bool base_owned;         /* base is a temporary to release */
	struct cc_member *bitfield; /* non-NULL for a bitfield member */
	struct cc_type *type;
	bool slot;               /* a non-escaping scalar's stack slot (ir_promote.c promotes it) */
	const char *core_access;  /* CO-RE chain: `off` is relocatable by this access */
	struct cc_type *core_type;/* ... string over this root type (codegen_core.c) */
};

/* A relocation the emitter must add for instruction `insn` of this function. */
enum gen_reloc_kind { GEN_RELOC_DATA, GEN_RELOC_CALL };
struct gen_reloc {
	size_t insn;
	enum gen_reloc_kind kind;
	struct cc_var *var;      /* global object or function */
	int64_t addend;          /* byte offset into the object */
	bool inlined;            /* made in an always_inline expansion */
};

/* A CO-RE relocation record for instruction `insn` (.BTF.ext core_relo). */
struct gen_core {
	size_t insn;
	struct cc_type *type;    /* root type (as written, without const/volatile) */
	const char *access;      /* access string, "0:1:2" */
	enum objfmt_core_kind kind;
};

struct gen_line {
	size_t insn;
	struct cc_loc loc;
};

struct gen_label_ref {
	size_t insn;             /* jump instruction to patch */
	int label;
};

/* A call instruction and how many argument registers r1..r<args> it reads. */
struct gen_call_site {
	size_t insn;
	int args;
};

/* Instructions [from, to) assembled from an inline asm statement; the registers its
 * operands were given (the IR may rename those, not the registers the text names). */
struct gen_asm_range {
	size_t from, to;
	unsigned operands;
};

/* A stack object: a memory local, an expansion's local or result, a spill slot; bytes
 * [off, off + size) below r10. The IR keeps an object's address from reaching others. */
struct gen_frame_object {
	int off, size;
};

struct gen_goto_label {
	const char *name;
	int label;
};

/* One always_inline call being expanded (inline.c). */
struct gen_inline {
	struct gen_inline *outer;
	struct cc_function *fn;  /* the callee */
	int end_label;           /* where its returns go */
	int result_slot;         /* fp offset of the returned value */
	bool has_result;
};

struct gen {
	struct cc_unit *u;
	struct cc_function *fn;
	struct objfmt_insn *insns;
	size_t count, capacity;
	int *labels;             /* label id -> insn index, -1 while unplaced */
	int label_count, label_capacity;
	struct gen_label_ref *refs;
	size_t ref_count, ref_capacity;
	struct gen_reloc *relocs;
	size_t reloc_count, reloc_capacity;
	struct gen_line *lines;
	size_t line_count, line_capacity;
	struct gen_core *cores;
	size_t core_count, core_capacity;
	struct gen_goto_label *gotos;
	size_t goto_count, goto_capacity;
	size_t *slot_accesses;   /* loads/stores of non-escaping scalar slots (promotable) */
	size_t slot_access_count, slot_access_capacity;
	struct gen_call_site *calls;
	size_t call_count, call_capacity;
	struct gen_asm_range *asm_ranges; /* instructions inline asm wrote: kept as written */
	size_t asm_range_count, asm_range_capacity;
	struct gen_frame_object *objects; /* every stack object given out (ir_frame.c) */
	size_t object_count, object_capacity;
	bool busy[REG_COUNT];    /* temporaries currently live */
	bool var_reg[REG_COUNT]; /* r6-r9 given to variables */
	int frame;               /* bytes used by variables */
	int spill_depth;         /* bytes used by spills beyond `frame` */
	int max_depth;           /* deepest stack use (frame + spills) */
	int break_label, continue_label;
	struct val loaded;       /* ND_LOADED's current value */
	bool loaded_transfer;    /* ND_LOADED's next use takes its register over */
	int hint;                /* register the next temporary should be, -1 for any */
	bool hint_variable;      /* the hint is a variable's register being initialized */
	struct gen_inline *inlining; /* innermost expansion, NULL in the function's own code */
	bool failed;             /* error already reported */
};

/* instruction buffer (codegen.c) */
size_t gen_emit(struct gen *g, enum objfmt_op op, int dst, int src, int32_t off, int64_t imm);
size_t gen_emit_raw(struct gen *g, const struct objfmt_insn *insn); /* one slot as is */
int gen_new_label(struct gen *g);
void gen_place_label(struct gen *g, int label);
void gen_jump(struct gen *g, enum objfmt_op op, int dst, int src, int64_t imm, int label);
void gen_add_reloc(struct gen *g, size_t insn, enum gen_reloc_kind kind, struct cc_var *var,
		   int64_t addend);
void gen_mark_line(struct gen *g, struct cc_loc loc);
void gen_add_core(struct gen *g, size_t insn, struct cc_type *type, const char *access,
		  enum objfmt_core_kind kind);
void gen_mark_slot_access(struct gen *g, size_t insn);
void gen_note_call(struct gen *g, size_t insn, int args);
void gen_note_asm(struct gen *g, size_t from, size_t to, unsigned operands);
void gen_note_frame_object(struct gen *g, int off, int size);

/* the IR back end (ir.c): allocation and size optimisations over the function's code */
bool gen_ir_optimize(struct gen *g);

/* CO-RE access chains (codegen_core.c) */
struct cc_type *gen_core_root_type(struct cc_type *t, bool keep_typedef);
bool gen_core_member(struct gen *g, struct cc_node *n, struct place *p);
bool gen_core_index(struct gen *g, struct place *p, int64_t byte_off, int64_t elem);
void gen_core_record(struct gen *g, struct place p, size_t insn);
void gen_core_settle(struct gen *g, struct place *p);
struct val gen_core_builtin(struct gen *g, struct cc_node *n);
bool gen_core_shift(struct gen *g, struct cc_node *amount, enum objfmt_op op, int reg);
bool gen_fail(struct gen *g, struct cc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* live ranges (live.c) and registers and stack (regalloc.c) */
bool gen_live_ranges(struct cc_function *fn);
bool gen_register_candidate(struct gen *g, struct cc_var *v);
void gen_assign_variables(struct gen *g);
int gen_alloc_reg(struct gen *g);
void gen_release(struct gen *g, struct val v);
struct val gen_own(struct gen *g, struct val v);
int gen_spill_slot(struct gen *g, int size);
void gen_free_spill(struct gen *g, int size);
struct spill_set {
	int reg[REG_COUNT];
	int slot[REG_COUNT];
	int count;
};
void gen_spill_caller_saved(struct gen *g, struct spill_set *set);
void gen_restore(struct gen *g, struct spill_set *set);

/* expressions (codegen_expr.c) */
struct val gen_expr(struct gen *g, struct cc_node *n);
void gen_discard(struct gen *g, struct cc_node *n);
void gen_branch(struct gen *g, struct cc_node *n, int label, bool when);
struct place gen_place(struct gen *g, struct cc_node *n);
struct place gen_place_core(struct gen *g, struct cc_node *n); /* may keep a CO-RE chain */
void gen_release_place(struct gen *g, struct place p);
struct val gen_load(struct gen *g, struct place p, struct cc_type *type);
struct val gen_load_record(struct gen *g, struct cc_node *n); /* struct by value */
void gen_store(struct gen *g, struct place p, struct cc_type *type, struct val v);
void gen_copy_memory(struct gen *g, struct place dst, struct place src, int64_t size,
		     int align);
void gen_zero_memory(struct gen *g, struct place dst, int64_t size, int align);
void gen_fill_memory(struct gen *g, struct place dst, int64_t size, int align, uint8_t byte);
void gen_init_local(struct gen *g, struct cc_var *var, struct cc_node *init);
void gen_value_into(struct gen *g, struct cc_node *n, int reg, bool initializing);
int gen_size_bits(int64_t size);

/* always_inline expansion (inline.c) */
bool gen_should_inline(struct gen *g, struct cc_var *target);
struct val gen_inline_call(struct gen *g, struct cc_node *call, struct cc_var *target);
void gen_inline_return(struct gen *g, struct cc_node *n);
bool gen_inline_constant(struct gen *g, struct cc_node *n, int64_t *value);

/* inline asm (codegen_asm.c) */
void gen_asm_statement(struct gen *g, struct cc_node *n);

/* full unrolling of counted loops (unroll.c): true when `n` was generated unrolled */
bool gen_unroll_loop(struct gen *g, struct cc_node *n);

/* statements (codegen_stmt.c) */
void gen_statement(struct gen *g, struct cc_node *n);

#endif /* CC_CODEGEN_INT_H */
