/* verifier_int.h - the verifier's state model, shared by the verifier*.c files only.
 *
 * State model (as the kernel's verifier.c): every path through the program is explored
 * with an abstract state: per call frame 11 registers and a stack of 8-byte slots; a
 * register is NOT_INIT, a SCALAR (tnum + signed/unsigned 64- and 32-bit bounds) or a
 * pointer (type, fixed offset `off`, variable offset as a scalar, id for null checks and
 * packet ranges, ref_obj_id for acquired references). Conditional jumps fork the state;
 * the other branch is pushed on a stack and explored later. At prune points the state is
 * compared with states already proven safe at that insn; a state contained in one of them
 * is not explored again.
 */
#ifndef EBPF_KERNEL_VERIFIER_INT_H
#define EBPF_KERNEL_VERIFIER_INT_H

#include <stdarg.h>

#include "emu_int.h"
#include "helper_proto.h"
#include "progtype.h"

#define VERIFIER_REG_COUNT 11       /* r0..r10 */
#define VERIFIER_FP 10              /* frame pointer register */
#define VERIFIER_STACK_SIZE 512     /* bytes of stack per program (all frames) */
#define VERIFIER_STACK_SLOTS (VERIFIER_STACK_SIZE / 8)
#define VERIFIER_MAX_FRAMES 8       /* call depth */
#define VERIFIER_MAX_SUBPROGS 256
#define VERIFIER_MAX_REFS 64
#define VERIFIER_INSN_LIMIT 1000000 /* processed-insn budget */
#define VERIFIER_JMP_SEQ_LIMIT 8192 /* pending branches */
#define VERIFIER_MAX_VAR_OFF (1 << 29) /* BPF_MAX_VAR_OFF */
#define VERIFIER_MAX_VAR_SIZE (1 << 29)

/* ---- tnum: a value whose bits are known (mask bit 0) or unknown (mask bit 1) ---- */
struct tnum {
	uint64_t value;
	uint64_t mask;
};
struct tnum tnum_const(uint64_t value);
struct tnum tnum_unknown(void);
struct tnum tnum_range(uint64_t min, uint64_t max);
struct tnum tnum_add(struct tnum a, struct tnum b);
struct tnum tnum_sub(struct tnum a, struct tnum b);
struct tnum tnum_and(struct tnum a, struct tnum b);
struct tnum tnum_or(struct tnum a, struct tnum b);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_mul(struct tnum a, struct tnum b);
struct tnum tnum_lshift(struct tnum a, uint8_t shift);
struct tnum tnum_rshift(struct tnum a, uint8_t shift);
struct tnum tnum_arshift(struct tnum a, uint8_t shift, uint8_t insn_bitness);
struct tnum tnum_intersect(struct tnum a, struct tnum b);
struct tnum tnum_cast(struct tnum a, uint8_t size);
struct tnum tnum_subreg(struct tnum a);
struct tnum tnum_clear_subreg(struct tnum a);
struct tnum tnum_with_subreg(struct tnum reg, struct tnum subreg);
struct tnum tnum_const_subreg(struct tnum a, uint32_t value);
bool tnum_is_const(struct tnum a);
bool tnum_equals_const(struct tnum a, uint64_t b);
bool tnum_is_unknown(struct tnum a);
bool tnum_is_aligned(struct tnum a, uint64_t size);
bool tnum_in(struct tnum a, struct tnum b); /* b's values all in a */
bool tnum_min_ge(struct tnum t, uint64_t lo, uint64_t *out);
int tnum_sbin(char *buf, size_t size, struct tnum a);

/* ---- registers ---- */
enum vreg_type {
	VREG_NOT_INIT,
	VREG_SCALAR,
	VREG_CTX,          /* the program's context */
	VREG_MAP_PTR,      /* const pointer to a map (ld_imm64 map fd) */
	VREG_MAP_VALUE,    /* pointer into a map value */
	VREG_MAP_KEY,      /* pointer to a map key (callbacks) */
	VREG_STACK,        /* pointer into a stack frame */
	VREG_PACKET_META,  /* skb/xdp data_meta */
	VREG_PACKET,       /* skb/xdp data */
	VREG_PACKET_END,   /* skb/xdp data_end */
	VREG_MEM,          /* sized memory (ringbuf record) */
	VREG_FUNC,         /* pointer to a subprogram */
	VREG_FLOW_KEYS,    /* flow dissector keys */
	VREG_BTF_ID,       /* kernel object (PTR_TO_BTF_ID): `range` holds its kbtf type id */
	VREG_SOCK_COMMON,  /* struct bpf_sock, common fields only (PTR_TO_SOCK_COMMON) */
	VREG_SOCK,         /* struct bpf_sock (PTR_TO_SOCKET) */
	VREG_TCP_SOCK,     /* struct bpf_tcp_sock (PTR_TO_TCP_SOCK) */
	VREG_DYNPTR,       /* a ring buffer dynptr, only as two spilled stack slots */
	VREG_TYPE_COUNT
};

/* Type flags (kernel PTR_MAYBE_NULL, MEM_RDONLY, MEM_RINGBUF). */
#define VREG_MAYBE_NULL 0x1u
#define VREG_RDONLY 0x2u
#define VREG_RINGBUF 0x4u
#define VREG_TRUSTED 0x8u /* PTR_TRUSTED: BTF_ID from a helper or a tracing argument */
#define VREG_RCU 0x10u    /* MEM_RCU: BTF_ID loaded under the RCU read lock */
#define VREG_PERCPU 0x20u /* MEM_PERCPU: a per-CPU kernel variable (ld_imm64 BTF_ID) */

/* A packet pointer's range after a comparison with data_end proved it at or beyond the
 * end (kernel AT_PKT_END -1, BEYOND_PKT_END -2): nothing readable, but a later
 * comparison with data_end is decided. */
#define VREG_AT_PKT_END 0xffffffffu
#define VREG_BEYOND_PKT_END 0xfffffffeu
#define VREG_PKT_END_RANGE(r) ((r) >= VREG_BEYOND_PKT_END)

/* In a scalar's id: the register is a linked copy plus the constant in `off`. */
#define VREG_ADD_CONST 0x80000000u

struct vreg {
	enum vreg_type type;
	uint32_t flags;           /* VREG_MAYBE_NULL ... */
	int32_t off;              /* pointers: fixed offset */
	struct tnum var_off;      /* scalar value, or pointer variable offset */
	int64_t smin, smax;       /* signed 64-bit bounds */
	uint64_t umin, umax;      /* unsigned 64-bit bounds */
	int32_t s32_min, s32_max; /* signed bounds of the low 32 bits */
	uint32_t u32_min, u32_max;/* unsigned bounds of the low 32 bits */
	uint32_t id;              /* same id = same pointer (null checks, pkt ranges) */
	uint32_t ref_obj_id;      /* acquired reference this pointer belongs to */
	struct emu_map *map;      /* MAP_PTR/MAP_VALUE/MAP_KEY: the map (borrowed) */
	uint32_t range;           /* PACKET: bytes proven readable; MEM: its size;
				     BTF_ID: the struct's type id in the kernel BTF */
	uint32_t frameno;         /* STACK: frame the pointer points into */
	uint32_t subprogno;       /* FUNC: target subprogram */
	bool written;             /* written on this path since last prune point (log) */
	bool precise;             /* SCALAR: its exact range matters (kernel reg->precise) */
};

/* ---- stack slots ---- */
enum vslot_kind {
	VSLOT_INVALID, /* never written: reading it is an error */
	VSLOT_SPILL,   /* byte of a spilled register */
	VSLOT_MISC,    /* written with something unknown */
	VSLOT_ZERO,    /* written with a known zero */
};

struct vstack_slot {
	uint8_t kind[8];    /* per byte, [7] is the lowest address byte as in the kernel */
	struct vreg spill;  /* spilled register when kind[7] == VSLOT_SPILL */
};

struct vframe {
	struct vreg regs[VERIFIER_REG_COUNT];
	uint32_t allocated;  /* bytes of stack in use (multiple of 8) */
	int32_t callsite;    /* insn index of the call that made this frame, -1 for main */
	uint32_t frameno;
	uint32_t subprogno;
	uint64_t stack_scratched; /* slots touched by the current insn (log) */
	bool in_callback;    /* a callback of bpf_loop/for_each_map_elem: R0 in [0, 1] */
	bool in_async_callback; /* a bpf_timer callback, verified from frame 0: R0 == 0 */
	uint32_t callback_depth; /* times the callback of the call in the next frame ran */
	/* last: a checkpoint's copy keeps only its `allocated` slots (vstate_copy) */
	struct vstack_slot stack[VERIFIER_STACK_SLOTS]; /* stack[i]: fp-8*(i+1) .. */
};

struct vref {
	uint32_t id;         /* ref_obj_id */
	uint32_t insn_idx;   /* where it was acquired */
};

struct vstate {
	struct vframe *frames[VERIFIER_MAX_FRAMES];
	uint32_t curframe;
	struct vref refs[VERIFIER_MAX_REFS];
	uint32_t ref_count;
	uint32_t insn_idx;      /* where this state is (explored states) */
	struct vstate *parent;  /* last checkpoint on this path */
	uint32_t branches;      /* paths still being explored below this state */
	bool compact_frames;    /* frames hold only their allocated slots (checkpoints) */
	struct vexplored *node; /* explored states: their list node */
	bool speculative;
	uint32_t callback_unroll_depth; /* callback entries on this path (loop check) */
	uint32_t dfs_depth;         /* checkpoints above this state on its path (kernel) */
	bool lock_held;             /* between bpf_spin_lock and bpf_spin_unlock */
	uint32_t lock_id;           /* id of the map value pointer that was locked */
	const struct emu_map *lock_map;
	bool rcu_held;              /* between bpf_rcu_read_lock and bpf_rcu_read_unlock */
	struct vhist_entry *hist;   /* jump history since first_insn_idx (owned) */
	uint32_t hist_cnt, hist_cap;
	int32_t first_insn_idx;     /* first insn of this state's segment */
	int32_t last_insn_idx;      /* insn before insn_idx on this path (-1 at entry) */
};

/* Jump history entry (kernel bpf_jmp_history_entry): an insn reached non-linearly or
 * one that spilled to / filled from a stack slot, for backtracking in precision. */
#define VHIST_STACK_ACCESS 0x200u /* flags: bits 0-5 slot index, bits 6-8 frame */
struct vhist_entry {
	uint32_t idx;        /* the insn */
	uint32_t prev_idx;   /* the insn executed before it on this path */
	uint32_t flags;      /* VHIST_STACK_ACCESS | frame << 6 | slot */
	uint64_t linked;     /* cond jumps: scalars sharing the compared one's id (packed) */
};

/* A state waiting to be explored (the other side of a branch). */
struct vpending {
	struct vstate *state;
	uint32_t insn_idx;
	uint32_t prev_insn_idx;
	uint64_t log_pos;    /* log position when pushed (level 1 rewinds to it) */
};

/* Per-instruction facts. */
struct vinsn_aux {
	bool seen;            /* reached by some path */
	bool prune_point;     /* checkpoint states here */
	bool jmp_point;       /* reached non-linearly: recorded in the jump history */
	bool jump_target;
	bool ld_imm64_second; /* second slot of an ld_imm64 */
	uint32_t subprogno;
	struct emu_map *map;  /* ld_imm64 map fd/value: resolved map (borrowed from used_maps) */
	uint32_t map_value_off;
	enum objfmt_op op;    /* decoded opcode */
	uint16_t live_in;     /* registers read on some path from here before written */
	bool is_ctx_access;   /* LDX/ST/STX through the ctx pointer */
	struct emu_ctx_access ctx_access; /* its check result, for the rewrite */
	bool calls_callback;  /* helper call that runs a callback: checkpoint always */
	bool probe_mem;       /* LDX through a BTF_ID pointer: runs as BPF_PROBE_MEM */
	uint32_t ptr_type;    /* LDX/STX/ST: pointer type (type + 1 | flags << 8) seen first */
	bool in_loop;         /* on a CFG cycle or in a callback: pruning compares ranges */
	uint32_t scc;         /* its strongly connected component's number (0: none) */
	uint64_t stack_live;  /* slots of its frame that may be read from here on */
	uint32_t ksym_id;     /* ld_imm64 BPF_PSEUDO_BTF_ID: the VAR or FUNC it names */
};

/* A global function's parameter as its BTF prototype types it (kernel
 * bpf_subprog_arg_info). */
enum vglobal_arg_kind {
	VGLOBAL_ARG_SCALAR, /* int or enum: any scalar */
	VGLOBAL_ARG_CTX,    /* the program's context */
	VGLOBAL_ARG_MEM,    /* pointer to `size` bytes (PTR_TO_MEM) */
	VGLOBAL_ARG_BTF_ID, /* __arg_trusted kernel object pointer */
};

struct vglobal_arg {
	enum vglobal_arg_kind kind;
	bool nullable;        /* MEM without __arg_nonnull, BTF_ID with __arg_nullable */
	uint32_t size;        /* MEM: the pointee's size */
	uint32_t btf_id;      /* BTF_ID: struct id in the kernel BTF */
};

struct vsubprog {
	uint32_t start;       /* first insn */
	uint32_t end;         /* one past the last insn */
	uint32_t stack_depth; /* bytes, rounded to 8 */
	bool has_tail_call;
	bool is_global;       /* BTF linkage global: verified on its own, by its signature */
	bool args_ready;      /* global: args[] prepared from the prototype */
	bool called;          /* global: a verified path calls it (it is verified then) */
	bool verified;        /* global: verified on its own */
	uint32_t btf_func_id; /* global: its BTF FUNC in prog->btf */
	uint32_t nargs;       /* global: parameters */
	struct vglobal_arg args[5]; /* global: parameter kinds */
	const char *name;     /* global: BTF name (borrowed from prog->btf) */
};

/* A state proven (or being proven) safe at an insn. */
struct vexplored {
	struct vstate *state;
	struct vexplored *next;   /* next (older) checkpoint at the same insn */
	struct vexplored *all_next; /* next node of env->all_nodes (evicted ones too) */
	bool active;              /* paths below it are still being explored */
	bool evicted;             /* missed too often: no longer compared (kernel free list) */
	uint32_t hits, misses;
};

/* log_level bits of BPF_PROG_LOAD (kernel BPF_LOG_*). */
#define VLOG_LEVEL1 1u /* the failing path */
#define VLOG_LEVEL2 2u /* every insn and state */
#define VLOG_STATS 4u  /* the closing statistics only */
#define VLOG_FIXED 8u  /* keep the head instead of the tail when the buffer is full */

/* The log as the kernel writes it: text buffered in memory; the caller's buffer
 * receives the tail (rotating) or the head (VLOG_FIXED) when verification ends. */
struct vlog {
	struct emu_log *user;  /* caller's buffer and level */
	uint32_t level;        /* log_level */
	char *text;            /* kept text: bytes [start, end) of the whole log */
	size_t cap;
	uint64_t start, end;   /* absolute positions */
	uint64_t keep;         /* how many bytes must stay available */
};

struct verifier_env {
	struct emu_prog *prog;
	const union bpf_attr *attr;
	struct objfmt_insn *insns;
	uint32_t insn_cnt;
	struct vinsn_aux *aux;
	struct vsubprog subprogs[VERIFIER_MAX_SUBPROGS + 1];
	uint32_t subprog_cnt;
	struct vlog log;
	struct vstate *cur;
	struct vpending *stack;
	uint32_t stack_len, stack_cap;
	struct vexplored **explored; /* per insn: states proven safe there */
	uint32_t *active_count;      /* per insn: checkpoints still in progress */
	struct vexplored *all_nodes; /* every checkpoint, newest first, freed at the end */
	struct vstate **all_states;  /* every explored state, freed at the end */
	uint32_t all_count, all_cap;
	uint32_t insn_idx, prev_insn_idx;
	uint32_t insn_processed;
	uint32_t jmps_processed;
	uint32_t prev_insn_processed, prev_jmps_processed;
	uint32_t total_states, peak_states, cur_states;
	uint32_t max_states_per_insn;
	uint32_t id_gen;
	uint64_t prev_log_pos;
	bool strict_alignment;   /* the current access must be aligned (atomics) */
	uint64_t raw_scratched;  /* slots of a raw-mode helper write: shown after the call */
	bool stack_clobber;      /* a helper-memory write to the stack is checked with the
				    kernel's clobber rules (global function arguments, variable
				    sizes) instead of its byte-by-byte raw-mode stores */
	bool ctx_conversion_bug; /* a checked load the kernel's convert_ctx_accesses cannot
				    rewrite (tcp_sock's upper 4 bytes of a u64): -EFAULT */
	uint32_t root_subprog;   /* subprogram whose exit ends a path (0: the program) */
	bool path_started;       /* an insn of this root was checked (log: "from X to Y") */
	bool log_after_return;   /* level 2: the next insn follows a subprogram's exit */
	const struct bpf_line_info *prev_linfo; /* last source line printed */
	uint64_t insn_print_end; /* log position after the last printed insn line */
	uint32_t insn_print_len; /* its length without the newline */
	int32_t cur_hist;        /* history entry of the current insn, -1 if none yet */
	struct vstate *scc_entry[16]; /* first checkpoint of each loop being explored (log) */
	char scc_chain[16][48];      /* its call chain as the kernel prints it: "(3,1)" */
	uint32_t scc_entry_cnt;
};

/* ---- verifier_log.c ---- */
int vlog_init(struct vlog *log, struct emu_log *user);
void vlog_printf(struct verifier_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vlog_vprintf(struct vlog *log, const char *fmt, va_list ap);
uint64_t vlog_pos(const struct vlog *log);
void vlog_reset(struct vlog *log, uint64_t pos);
int vlog_finalize(struct vlog *log);
void vlog_free(struct vlog *log);
#define verbose(env, ...) vlog_printf(env, __VA_ARGS__)
#define log_enabled(env) ((env)->log.level != 0)

/* ---- verifier_cfg.c: structure, subprograms, ld_imm64 resolution ---- */
int verifier_check_structure(struct verifier_env *env);
/* verifier_btf_info.c: the line info records (kernel check_btf_line) */
int verifier_check_btf_line(struct verifier_env *env);
int verifier_resolve_ld_imm64(struct verifier_env *env);
int verifier_check_stack_depth(struct verifier_env *env);
int verifier_compute_liveness(struct verifier_env *env);

/* ---- verifier_bounds.c: scalar bounds ---- */
void vreg_mark_unknown(struct vreg *reg);
void vreg_mark_const(struct vreg *reg, uint64_t value);
void vreg_mark_not_init(struct vreg *reg);
void vreg_mark_unbounded(struct vreg *reg);
void vreg_bounds_sync(struct vreg *reg);
void vreg_zext32(struct vreg *reg);
void vreg_subreg_unknown32(struct vreg *reg);
void vreg_set_range64(struct vreg *reg);
bool vreg_is_const(const struct vreg *reg);
bool vreg_is_pointer(const struct vreg *reg);
void vreg_cast_size(struct vreg *reg, int size);
void vreg_sext(struct vreg *reg, int size);
void vreg_sext32(struct vreg *reg, int size);
void vreg_bounds_from_var_off(struct vreg *reg);
void vreg_deduce_bounds(struct vreg *reg);

/* ---- verifier_state.c: states, branches, pruning ---- */
struct vstate *vstate_new_initial(struct verifier_env *env);
struct vstate *vstate_copy(const struct vstate *src);
void vstate_free(struct vstate *st);
void verifier_release_spare_frames(void);
int verifier_push_branch(struct verifier_env *env, uint32_t insn_idx, uint32_t prev_idx,
			 struct vstate **out);
int verifier_pop_branch(struct verifier_env *env, uint32_t *insn_idx, uint32_t *prev_idx);
void verifier_update_branch_counts(struct verifier_env *env, struct vstate *st);
int verifier_is_state_visited(struct verifier_env *env, uint32_t insn_idx);
int verifier_widen_callback(struct verifier_env *env, uint32_t insn_idx);
void verifier_free_states(struct verifier_env *env);
struct vframe *vcur_frame(struct verifier_env *env);
struct vreg *vcur_regs(struct verifier_env *env);

/* ---- verifier_precise.c: precision tracking (kernel mark_chain_precision) ---- */
int verifier_push_history(struct verifier_env *env, uint32_t flags);
int verifier_mark_precise(struct verifier_env *env, uint32_t regno);
int verifier_mark_precise_slot(struct verifier_env *env, uint32_t frameno, uint32_t spi);
int verifier_propagate_precision(struct verifier_env *env, const struct vstate *old,
				 const uint16_t *live, const uint64_t *slots_live);
void verifier_mark_all_imprecise(struct vstate *st);
int verifier_history_copy(struct vstate *dst, const struct vstate *src, uint32_t spare);
int verifier_find_loops(struct verifier_env *env);

/* ---- verifier_stack_live.c ---- */
int verifier_compute_stack_liveness(struct verifier_env *env);
int verifier_push_linked(struct verifier_env *env, const struct vreg *dst,
			 const struct vreg *src);

/* ---- verifier_alu.c ---- */
int verifier_check_alu(struct verifier_env *env, const struct objfmt_insn *insn,
		       enum objfmt_op op);
void verifier_scalar_add(struct vreg *dst, const struct vreg *src);
int verifier_adjust_ptr_scalar(struct verifier_env *env, const struct objfmt_insn *insn,
			       struct vreg *dst, const struct vreg *ptr,
			       const struct vreg *off_reg, uint8_t opcode);

/* ---- verifier_jmp.c ---- */
int verifier_check_cond_jmp(struct verifier_env *env, const struct objfmt_insn *insn,
			    uint32_t *insn_idx);

/* ---- verifier_mem.c / verifier_stack.c / verifier_ctx.c ---- */
int verifier_check_mem_insn(struct verifier_env *env, const struct objfmt_insn *insn,
			    enum objfmt_op op);
int verifier_check_mem_access(struct verifier_env *env, uint32_t insn_idx, uint32_t regno,
			      int32_t off, int size, bool write, int value_regno,
			      bool sign_ext);
int verifier_stack_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			  bool write, int value_regno, uint32_t insn_idx);
int verifier_check_stack_range(struct verifier_env *env, uint32_t regno, int32_t off,
			       int size, bool zero_size_ok, bool write, const char *what);
int verifier_stack_write(struct verifier_env *env, struct vframe *frame, int32_t off,
			 int size, int value_regno, uint32_t insn_idx);
int verifier_stack_read(struct verifier_env *env, struct vframe *frame, int32_t off,
			int size, int dst_regno);
int verifier_stack_var_access(struct verifier_env *env, const struct vreg *reg, int32_t off,
			      int size, bool write, int dst_regno);
int verifier_check_ctx_access(struct verifier_env *env, uint32_t insn_idx, int32_t off,
			      int size, bool write, struct vreg *out);
int verifier_check_mem_region(struct verifier_env *env, uint32_t regno, int32_t off,
			      int size, uint32_t mem_size, bool zero_size_ok,
			      const char *kind);
int verifier_check_packet_access(struct verifier_env *env, uint32_t regno, int32_t off,
				 int size, bool zero_size_ok);
bool verifier_may_access_direct_pkt(const struct verifier_env *env, bool write);
void verifier_clear_packet_pointers(struct verifier_env *env);

/* ---- verifier_btf.c: kernel object pointers ---- */
int32_t verifier_btf_struct_id(const char *name);
const char *verifier_btf_type_name(uint32_t id);
int verifier_btf_access(struct verifier_env *env, uint32_t insn_idx, uint32_t regno,
			int32_t off, int size, bool write, int value_regno);
bool verifier_btf_ctx_arg(struct verifier_env *env, int32_t off, int size, struct vreg *out);
int verifier_btf_helper_access(struct verifier_env *env, uint32_t regno, int size);

/* ---- verifier_global.c: global functions ---- */
int verifier_find_global_subprogs(struct verifier_env *env);
int verifier_global_prepare(struct verifier_env *env, uint32_t subprogno);
int verifier_global_call(struct verifier_env *env, uint32_t subprogno);
int verifier_global_entry(struct verifier_env *env, uint32_t subprogno, struct vframe *frame);

/* ---- verifier_timer.c: bpf_timer ---- */
int32_t verifier_map_timer_off(const struct emu_map *map);
int verifier_check_timer_map_use(struct verifier_env *env, const struct emu_map *map);
int verifier_check_timer_field(struct verifier_env *env, uint32_t regno, int32_t off, int size);
int verifier_timer_arg(struct verifier_env *env, uint32_t regno, struct emu_map **map);
int verifier_push_async_callback(struct verifier_env *env, uint32_t subprogno,
				 struct emu_map *map, uint32_t insn_idx);
int verifier_async_callback_exit(struct verifier_env *env);

/* ---- verifier_kfunc.c: kernel function calls ---- */
int verifier_check_kfunc_ids(struct verifier_env *env);
int verifier_kfunc_fixup(struct verifier_env *env);

/* ---- verifier_ksym.c: ld_imm64 of typed kernel symbols ---- */
/* Before the walk: resolve the symbol to its address (patched into the insn). */
int verifier_ksym_resolve(struct verifier_env *env, uint32_t idx);
/* The register such an ld_imm64 gives. */
void verifier_ksym_mark(struct verifier_env *env, uint32_t idx, struct vreg *dst);
int verifier_check_kfunc_call(struct verifier_env *env, const struct objfmt_insn *insn,
			      uint32_t insn_idx);

/* ---- verifier_dynptr.c: ring buffer dynptrs on the stack ---- */
bool verifier_slot_is_dynptr(const struct vstack_slot *slot);
int verifier_dynptr_stack_check(struct verifier_env *env, const struct vframe *frame,
				uint32_t regno, int64_t min_off, int64_t max_off, bool write,
				bool helper);
int verifier_dynptr_init(struct verifier_env *env, uint32_t regno, uint32_t insn_idx);
int verifier_dynptr_arg(struct verifier_env *env, uint32_t regno, bool release,
			uint32_t *ref_obj_id);

/* ---- verifier_sock.c: socket pointers ---- */
bool verifier_is_sock_type(enum vreg_type type);
int verifier_sock_access(struct verifier_env *env, uint32_t regno, int32_t off, int size,
			 bool write, int value_regno);

/* ---- verifier_call.c ---- */
int verifier_helper_mem_access(struct verifier_env *env, uint32_t regno, int64_t size,
			       bool write, bool zero_size_ok);
int verifier_check_helper_call(struct verifier_env *env, const struct objfmt_insn *insn,
			       uint32_t insn_idx);
int verifier_check_subprog_call(struct verifier_env *env, const struct objfmt_insn *insn,
				uint32_t *insn_idx);
int verifier_check_exit(struct verifier_env *env, uint32_t *insn_idx, bool *path_done);
int verifier_acquire_ref(struct verifier_env *env, uint32_t insn_idx);
int verifier_release_ref(struct verifier_env *env, uint32_t ref_obj_id);
bool verifier_is_callback_helper(const struct objfmt_insn *insn);

/* ---- verifier_lock.c ---- */
int32_t verifier_map_lock_off(const struct emu_map *map);
int verifier_check_lock_field(struct verifier_env *env, uint32_t regno, int32_t off, int size);
int verifier_check_lock_map_use(struct verifier_env *env, const struct emu_map *map);
int verifier_process_spin_lock(struct verifier_env *env, uint32_t regno, bool lock);

/* ---- verifier_print.c ---- */
const char *vreg_type_name(const struct vreg *reg, char *buf, size_t size);
void verifier_print_insn(struct verifier_env *env, uint32_t idx);
void verifier_print_state(struct verifier_env *env, const struct vstate *st, bool all);
void verifier_print_insn_state(struct verifier_env *env, const struct vstate *st);
void verifier_print_live_regs(struct verifier_env *env);
uint64_t verifier_map_address(const struct emu_map *map);
void verifier_print_frame(struct verifier_env *env, const struct vstate *st, uint32_t frameno);
int verifier_format_insn(const struct verifier_env *env, uint32_t idx, char *buf,
			 size_t size);

/* ---- verifier_rewrite.c ---- */
int verifier_rewrite(struct verifier_env *env);

/* ---- verifier.c: shared helpers ---- */
int verifier_check_reg_read(struct verifier_env *env, uint32_t regno);
int verifier_check_reg_write(struct verifier_env *env, uint32_t regno);
uint32_t verifier_new_id(struct verifier_env *env);
const struct emu_map_desc *verifier_map_desc(const struct emu_map *map);

#endif /* EBPF_KERNEL_VERIFIER_INT_H */
