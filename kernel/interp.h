/* interp.h - execution side internals: the pre-decoded program form, the state of one
 * program invocation (what helpers see as "current"), and the interpreter entry
 * points. Shared by interp*.c, helpers*.c and test_run.c; never leaves kernel/. */
#ifndef EBPF_KERNEL_INTERP_H
#define EBPF_KERNEL_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_int.h"
#include "ebpf/emu.h"

#define EMU_STACK_SIZE 512      /* bytes per frame (MAX_BPF_STACK) */
#define EMU_MAX_CALL_FRAMES 8   /* MAX_CALL_FRAMES */
#define EMU_MAX_TAIL_CALL_CNT 33 /* MAX_TAIL_CALL_CNT */

/* One pre-decoded instruction slot: where to dispatch plus the operands. The slot
 * after an ld_imm64 holds the full 64-bit value instead of a handler. */
struct emu_xinsn {
	union {
		const void *label; /* computed-goto target */
		uintptr_t op;      /* switch dispatch: enum objfmt_op or INTERP_OP_* */
		uint64_t imm64;    /* second slot of an ld_imm64: the value */
	} h;
	uint8_t dst;   /* destination register */
	uint8_t src;   /* source register */
	int16_t off;   /* memory / jump offset */
	int32_t imm;   /* immediate; helper calls: index into emu_exec_prog.helpers */
};

/* Operations the interpreter adds to the opcode table's, chosen at prepare time. */
enum {
	INTERP_OP_CALL_HELPER = OBJFMT_OP__COUNT, /* r0 = helpers[imm](r1..r5) */
	INTERP_OP_CALL_LOCAL,                     /* bpf-to-bpf call, pc += imm + 1 */
	INTERP_OP_TAIL_CALL,                      /* bpf_tail_call(ctx, map, index) */
	INTERP_OP_CALL_KFUNC,                     /* unsupported kfunc: fault */
	INTERP_OP_PROBE_LDX,                      /* BPF_PROBE_MEM load: imm = form */
	INTERP_OP__COUNT,
};


/* prog->exec: the program in dispatch form. */
struct emu_exec_prog {
	struct emu_prog *prog;      /* owner (borrowed) */
	struct emu_xinsn *insns;    /* insn_cnt slots */
	uint32_t insn_cnt;
	emu_helper_fn *helpers;     /* distinct helpers the program calls */
	int32_t *helper_ids;        /* their UAPI ids (same order) */
	uint32_t helper_cnt;
	struct emu_xinsn *checked_insns; /* the same slots dispatching to the checked build */
};

/* State of one program invocation (BPF_PROG_TEST_RUN iteration, plugin run, or
 * callback); helpers reach it through emu_run_current(). */
struct emu_run {
	const struct emu_run_config *config; /* clock, seed, task, capture sinks */
	struct emu_prog *prog;        /* program being run (changes on tail calls) */
	void *ctx;                    /* runtime ctx (progtype.h layouts) */
	/* Packet of packet-based types: buf[0..buf_size) holds headroom, data, tailroom. */
	uint8_t *buf;                 /* NULL when the type has no packet */
	uint32_t buf_size;
	uint32_t tail_call_cnt;       /* tail calls taken in this invocation */
	uint32_t depth;               /* frames in use across nested interpreter runs */
	uint64_t prandom_state;       /* xorshift state seeded from config->seed */
	uint64_t mac_header;          /* skb runs: host address of the Ethernet header, or 0 */
	uint64_t network_header;      /* skb runs: host address of the IP header, or 0 */
	bool csum_complete;           /* skb test run with BPF_F_TEST_SKB_CHECKSUM_COMPLETE */
	uint16_t skb_csum;            /* then: skb->csum folded, over the packet from csum_start */
	uint64_t csum_start;          /* host address of the network header */
	uint32_t redirect_ifindex;    /* bpf_redirect target, 0 when none */
	uint64_t redirect_flags;
	bool stop;                    /* a helper ended the program (r0 = stop_r0) */
	uint64_t stop_r0;
	int fault;                    /* 0, or negative errno of a runtime fault */
	char fault_msg[128];          /* "pc 12: ..." */
	struct emu_run *outer;        /* enclosing run (nested test runs), or NULL */
	uint32_t ctx_size;            /* bytes at ctx (0: the type's runtime ctx size) */
	struct {                      /* memory ctx pointer fields refer to (test_run) */
		uint64_t base;
		uint64_t size;
	} ctx_mem[3];
	struct emu_check *check;      /* checked execution: the region table, else NULL */
};

/* The invocation the calling thread is executing, NULL outside of any. */
struct emu_run *emu_run_current(void);
/* Make `run` current (saving the previous one in run->outer) / restore. */
void emu_run_enter(struct emu_run *run);
void emu_run_leave(struct emu_run *run);

/* Build / free the dispatch form (interp_prepare.c). `diag` receives the reason of a
 * -EINVAL (unknown opcode, jump out of range) for the conformance plugin. */
int emu_interp_prepare(struct emu_prog *prog, struct objfmt_diag *diag);
void emu_interp_release(struct emu_prog *prog);

/* Run the program from its first insn with r1 = ctx (and r2..r5 = 0 unless given);
 * returns r0. On a fault (run->fault set) returns 0. */
uint64_t emu_interp_run(struct emu_run *run, struct emu_prog *prog, uint64_t r1,
			uint64_t r2);
/* Call a BPF function value (ld_imm64 PSEUDO_FUNC result: bpf_loop callbacks,
 * for_each_map_elem, callx) with arguments r1..r5 in a new frame; returns its r0. */
uint64_t emu_interp_call(struct emu_run *run, uint64_t func, const uint64_t args[5]);

/* Use `fn` for helper `id` in programs prepared afterwards by this thread (the
 * conformance plugin's runtime helpers); NULL restores the kernel's helper. */
void emu_helper_override(int32_t id, emu_helper_fn fn);

/* helpers.c: callx of a helper id (uBPF convention), and the tail call the
 * interpreter performs: 0 and *xp switched to the target, or a negative errno when the
 * call falls through (bad index, 33 calls spent, empty slot). */
uint64_t emu_helper_call_by_id(int32_t id, const uint64_t *reg);
int emu_interp_tail_call(struct emu_run *run, uint64_t map, uint64_t index,
			 const struct emu_exec_prog **xp);

/* Probe-mem loads (kernel BPF_PROBE_MEM / BPF_PROBE_MEMSX: the verifier rewrites loads
 * through PTR_TO_BTF_ID to LDX with these modes). The slot's imm holds the size in
 * bytes, ORed with INTERP_PROBE_SIGNED for a sign-extending load. */
#define EMU_BPF_PROBE_MEM 0x20
#define EMU_BPF_PROBE_MEMSX 0x40
#define INTERP_PROBE_SIGNED 0x100
/* The value a probe-mem load of form `form` at `addr` yields: read through the
 * emulated memory (then the process's own), 0 when the address does not read. */
uint64_t emu_interp_probe_load(uint64_t addr, int32_t form);

/* Label table of the computed-goto interpreter (NULL in the switch build). */
const void *const *emu_interp_labels(void);

/* Record a runtime fault in `run` (printf-style) and stop the program. */
void emu_run_fault(struct emu_run *run, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- checked execution (interp_checked.c) ----
 * The loop of interp_loop.h compiled a second time with every load, store, atomic and
 * helper memory argument checked against the regions the run may touch. */
struct emu_check;
/* Whether runs use the checked build: the run configuration's `checked` or
 * EBPF_EMU_CHECKED=1 in the environment. */
bool emu_interp_checked_enabled(void);
const void *const *emu_interp_checked_labels(void);
/* emu_interp_run / emu_interp_call in checked mode. */
uint64_t emu_interp_run_checked(struct emu_run *run, struct emu_prog *prog,
				const uint64_t args[5]);
uint64_t emu_interp_call_checked(struct emu_run *run, const struct emu_xinsn *target,
				 const uint64_t args[5]);
/* Used by the checked loop: 0 when the access is inside a region, else the run faults
 * with -EFAULT ("checked execution: insn N: ...") and the result is -EFAULT. */
int emu_check_access(struct emu_run *run, uint64_t addr, uint64_t size, bool write,
		     uint32_t insn);
void emu_check_enter(struct emu_run *run, uint8_t *stack, uint32_t *depth);
void emu_check_leave(struct emu_run *run);
int emu_check_helper_args(struct emu_run *run, int32_t id, const uint64_t *reg,
			  uint32_t insn);
void emu_check_helper_result(struct emu_run *run, int32_t id, uint64_t r0);
void emu_check_add_prog(struct emu_run *run, const struct emu_prog *prog);

#endif /* EBPF_KERNEL_INTERP_H */
