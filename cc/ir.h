/* ir.h - the machine-level IR of the code generator's back end: BPF instructions whose
 * register operands are names (physical r0-r10, then virtual registers), in basic
 * blocks with a CFG; liveness, register allocation and the size optimisations run on it
 * (ir_lift.c lifts, runs the passes and lowers; ir_live.c, ir_promote.c, ir_fold.c,
 * ir_regalloc.c, ir_jumps.c). */
#ifndef CC_IR_H
#define CC_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	IR_FP = 10,         /* the frame pointer: read-only, never allocated */
	IR_VREG = 16,       /* first virtual register */
	IR_NONE = -1,       /* no register operand */
	IR_COLOURS = 10,    /* r0-r9 */
	IR_CALLER_SAVED = 0x3f, /* r0-r5: clobbered by every call */
};

/* One instruction. `dst`/`src` hold register names where the opcode reads or writes a
 * register there, else IR_NONE (the pseudo kind of ld_imm64 and call is `pseudo`). */
struct ir_insn {
	uint8_t code;       /* BPF opcode byte */
	int dst, src;       /* register operands */
	int16_t off;        /* memory offset or opcode modifier (jump offsets: `target`) */
	int64_t imm;        /* immediate; the whole 64-bit value for ld_imm64 */
	uint8_t pseudo;     /* ld_imm64 / call src_reg field */
	int target;         /* jump: target block, else -1 */
	int args;           /* call: r1..r<args> are read */
	int iuse[5], iuse_count; /* implied reads: call arguments, r0 of exit/cmpxchg */
	int idef;           /* implied write: r0 of call/cmpxchg, else IR_NONE */
	int orig;           /* index in the code generator's buffer (line records) */
	int reloc, core;    /* attached relocation / CO-RE record index, -1 for none */
	const void *core_type;   /* the CO-RE record's root type, access string and */
	const char *core_access; /* kind: equal triples relocate to equal values */
	int core_kind;
	const void *reloc_target; /* what the relocation names, with its addend: */
	int64_t reloc_addend;     /* equal pairs make equal instructions */
	bool promoted;      /* codegen marked it an access of a non-escaping stack slot */
	bool pinned;        /* written by inline asm: never removed or rewritten but for
			     * its registers */
	uint16_t operand_regs; /* asm: registers its operands hold (free to rename); the
				* others the text names stay as written */
};

struct ir_block {
	struct ir_insn *insns;
	int count, capacity;
	bool reachable;
	uint64_t *live_in, *live_out; /* bitsets over register names (ir_live.c) */
};

/* A stack object codegen gave out: bytes [off, off + size) below r10 (ir_frame.c). */
struct ir_frame_object {
	int off, size;
};

struct ir_func {
	struct ir_block *blocks;
	int block_count;
	int names;          /* register names in use: 0 .. names-1 */
	int *precolour;     /* per name: fixed register, -1 for free */
	int params;         /* r1..r<params> hold arguments at entry */
	int frame;          /* bytes of stack below r10 in use (spill slots go below) */
	int stack_limit;    /* bytes the frame may grow to */
	int words;          /* uint64_t words of a name bitset */
	struct ir_frame_object *objects; /* the stack objects (overlapping ones are one) */
	int object_count;
};

/* The register operands of an instruction, explicit or implied, as pointers to the
 * fields naming them. One pointer in both lists is read and written (two-address
 * ALU, fetching atomics): its use and def must get the same register. */
struct ir_operands {
	int *use[8], use_count;
	int *def[2], def_count;
	bool call;          /* clobbers r0-r5 */
	bool pure;          /* no effect beyond its defs: removable when they are dead */
};

/* ir.c */
struct ir_insn *ir_block_insert(struct ir_block *b, int at, const struct ir_insn *insn);
void ir_block_remove(struct ir_block *b, int at);
bool ir_is_jump(const struct ir_insn *insn);       /* conditional jump or goto */
int ir_store_size(uint8_t code);                   /* bytes a load or store moves */
bool ir_ends_block(const struct ir_insn *insn);    /* jump or exit */
bool ir_falls_through(const struct ir_block *b);
struct ir_insn ir_make(uint8_t code, int dst, int src, int16_t off, int64_t imm);
struct ir_insn ir_make_call(int32_t helper, int args);
void ir_set_implicit(struct ir_insn *insn); /* iuse/idef from code and args */
int ir_new_name(struct ir_func *f, int precolour);
void ir_func_free(struct ir_func *f);
int ir_dump(const struct ir_func *f, char *buf, size_t size);

/* ir_live.c */
bool ir_operands(struct ir_insn *insn, struct ir_operands *ops);
bool ir_liveness(struct ir_func *f);
void ir_mark_reachable(struct ir_func *f);
bool ir_rename_webs(struct ir_func *f);

/* ir_regalloc.c: maps every virtual name to r0-r9, spilling to 8-byte slots when
 * needed; afterwards every operand is physical. Returns false if it cannot. */
bool ir_allocate(struct ir_func *f);

/* ir_promote.c */
bool ir_promote_slots(struct ir_func *f);
bool ir_slot_rewrite(struct ir_block *b, int at, int name, int size); /* access -> move */

/* ir_frame.c (after ir_promote_slots, before webs): accesses through tracked frame
 * addresses become r10 + offset, and the slots of stack objects whose address stays
 * local (or reaches only helper calls) become names; returns the loads and stores
 * that became moves, -1 when out of memory midway (the IR is then unusable), and in
 * *materialised (if not NULL) the stores and reloads added around helper calls */
int ir_promote_frame(struct ir_func *f, int *materialised);

/* ir_fold.c (on web names, before allocation) */
void ir_fold_constants(struct ir_func *f);
void ir_propagate_copies(struct ir_func *f);
void ir_reuse_addresses(struct ir_func *f);
void ir_reuse_sums(struct ir_func *f); /* ir_cse.c: rA + rB computed once */
bool ir_reuse_updates(struct ir_func *f); /* ir_cse.c: rA op= rB reuses an available
					  * rX = rA; rX op= rB (false: out of memory) */
void ir_drop_masks(struct ir_func *f); /* masks of values already that narrow */
bool ir_remove_dead(struct ir_func *f);
/* ir_peephole.c: `r += K1; r += K2` merged (after constant folding); masks and stack
 * stores whose effect a narrow store or the slot already has dropped (liveness
 * current; true when one went) */
void ir_merge_adds(struct ir_func *f);
bool ir_drop_stored_twice(struct ir_func *f);

/* ir_core.c (on web names, before copy propagation) */
void ir_reuse_relocated(struct ir_func *f);

/* ir_jumps.c */
void ir_clean_jumps(struct ir_func *f);
int ir_merge_tails(struct ir_func *f); /* after allocation; returns slots saved */

#endif /* CC_IR_H */
