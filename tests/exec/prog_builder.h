/* prog_builder.h - test support: build programs with objfmt_insn_encode and run them
 * through the interpreter directly (no verifier), failing the test on any fault. */
#ifndef EBPF_TESTS_EXEC_PROG_BUILDER_H
#define EBPF_TESTS_EXEC_PROG_BUILDER_H

#include <check.h>
#include <string.h>

#include "../../kernel/interp.h"

struct builder {
	struct objfmt_insn insns[256];
	uint32_t cnt;
};

/* Append one instruction (two slots for LDDW). */
static inline void emit(struct builder *b, enum objfmt_op op, uint8_t dst, uint8_t src,
			int16_t off, int64_t imm)
{
	int n = objfmt_insn_encode(op, dst, src, off, imm, &b->insns[b->cnt]);

	ck_assert_int_gt(n, 0);
	b->cnt += (uint32_t)n;
}

/* Prepare `b` as a program of `type`; the caller releases with emu_interp_release. */
static inline void builder_prepare(struct builder *b, struct emu_prog *prog, uint32_t type)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };

	memset(prog, 0, sizeof(*prog));
	prog->type = type;
	prog->insns = b->insns;
	prog->insn_cnt = b->cnt;
	ck_assert_msg(emu_interp_prepare(prog, &diag) == 0, "prepare: %s", diag.message);
}

/* Run with r1 = mem, r2 = len; asserts no fault. */
static inline uint64_t builder_run(struct builder *b, void *mem, uint64_t len)
{
	struct emu_prog prog;
	struct emu_run run;
	uint64_t r0;

	builder_prepare(b, &prog, BPF_PROG_TYPE_SOCKET_FILTER);
	memset(&run, 0, sizeof(run));
	r0 = emu_interp_run(&run, &prog, (uint64_t)(uintptr_t)mem, len);
	ck_assert_msg(run.fault == 0, "fault %d: %s", run.fault, run.fault_msg);
	emu_interp_release(&prog);
	return r0;
}

#endif /* EBPF_TESTS_EXEC_PROG_BUILDER_H */
