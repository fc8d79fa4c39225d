/* test_interp.c - the interpreter per instruction class with RFC 9669 edge values:
 * zero-extension, masked shifts, division and modulo by zero, INT_MIN / -1, sign
 * extension, byte swaps, unaligned loads, atomics' old values, jumps, calls. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "prog_builder.h"
#include "../../kernel/progtype.h"

#define OP(name) OBJFMT_OP_##name
#define R0 0
#define R1 1
#define R2 2
#define R6 6
#define R10 10

/* r0 = a; r1 = b (both 64-bit); r0 op= r1 or imm; exit. */
static uint64_t alu_reg(enum objfmt_op op, uint64_t a, uint64_t b)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(LDDW), R0, 0, 0, (int64_t)a);
	emit(&bd, OP(LDDW), R1, 0, 0, (int64_t)b);
	emit(&bd, op, R0, R1, 0, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	return builder_run(&bd, NULL, 0);
}

static uint64_t alu_imm(enum objfmt_op op, uint64_t a, int32_t imm)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(LDDW), R0, 0, 0, (int64_t)a);
	emit(&bd, op, R0, 0, 0, imm);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	return builder_run(&bd, NULL, 0);
}

static uint64_t unary(enum objfmt_op op, uint64_t a)
{
	return alu_imm(op, a, 0);
}

#define EQ(x, y) ck_assert_uint_eq((uint64_t)(x), (uint64_t)(y))

START_TEST(alu64_arithmetic_wraps_and_sign_extends_imm)
{
	EQ(alu_reg(OP(ADD64_REG), UINT64_MAX, 2), 1);
	EQ(alu_imm(OP(ADD64_IMM), 0, -1), UINT64_MAX);
	EQ(alu_reg(OP(SUB64_REG), 0, 1), UINT64_MAX);
	EQ(alu_imm(OP(MUL64_IMM), 0x100000000ull, 0x10), 0x1000000000ull);
	EQ(alu_imm(OP(MOV64_IMM), 0, -2), 0xfffffffffffffffeull);
	EQ(unary(OP(NEG64), 1), UINT64_MAX);
	EQ(alu_imm(OP(XOR64_IMM), 0xff00ff00ff00ff00ull, -1), 0x00ff00ff00ff00ffull);
}
END_TEST

START_TEST(alu64_division_by_zero_and_int_min)
{
	EQ(alu_reg(OP(DIV64_REG), 77, 0), 0);
	EQ(alu_reg(OP(MOD64_REG), 77, 0), 77);
	EQ(alu_imm(OP(DIV64_IMM), 77, -1), 0); /* imm -1 is 2^64-1 unsigned */
	EQ(alu_reg(OP(SDIV64_REG), (uint64_t)INT64_MIN, (uint64_t)-1), (uint64_t)INT64_MIN);
	EQ(alu_reg(OP(SMOD64_REG), (uint64_t)INT64_MIN, (uint64_t)-1), 0);
	EQ(alu_imm(OP(SDIV64_IMM), (uint64_t)-7, 2), (uint64_t)-3);
	EQ(alu_imm(OP(SMOD64_IMM), (uint64_t)-7, 2), (uint64_t)-1);
	EQ(alu_imm(OP(SMOD64_IMM), 7, -2), 1);
	EQ(alu_reg(OP(SDIV64_REG), 5, 0), 0);
	EQ(alu_reg(OP(SMOD64_REG), (uint64_t)-5, 0), (uint64_t)-5);
}
END_TEST

START_TEST(alu32_results_are_zero_extended)
{
	EQ(alu_imm(OP(MOV32_IMM), UINT64_MAX, -1), 0xffffffffull);
	EQ(alu_reg(OP(ADD32_REG), 0xffffffff00000001ull, 0xffffffff), 0);
	EQ(alu_reg(OP(MOV32_REG), 0, 0x123456789abcdef0ull), 0x9abcdef0ull);
	EQ(unary(OP(NEG32), 1), 0xffffffffull);
	EQ(alu_reg(OP(DIV32_REG), 0x100000010ull, 0), 0);
	EQ(alu_reg(OP(MOD32_REG), 0x100000005ull, 0), 5);          /* upper half cleared */
	EQ(alu_reg(OP(MOD32_REG), 0x100000005ull, 0x100000000ull), 5); /* wsrc == 0 */
	EQ(alu_imm(OP(DIV32_IMM), 0xffffffffull, -1), 1);          /* unsigned 32-bit imm */
	EQ(alu_reg(OP(SDIV32_REG), 0x80000000ull, 0xffffffffull), 0x80000000ull);
	EQ(alu_reg(OP(SMOD32_REG), 0x80000000ull, 0xffffffffull), 0);
	EQ(alu_imm(OP(SDIV32_IMM), 0xfffffff9ull, 2), 0xfffffffdull);
	EQ(alu_imm(OP(SMOD32_IMM), 0xfffffff9ull, 2), 0xffffffffull);
}
END_TEST

START_TEST(shift_amounts_are_masked)
{
	EQ(alu_imm(OP(LSH64_IMM), 1, 63), 0x8000000000000000ull);
	EQ(alu_reg(OP(LSH64_REG), 1, 64), 1);
	EQ(alu_reg(OP(RSH64_REG), 0x8000000000000000ull, 65), 0x4000000000000000ull);
	EQ(alu_imm(OP(ARSH64_IMM), 0x8000000000000000ull, 63), UINT64_MAX);
	EQ(alu_imm(OP(LSH32_IMM), 1, 31), 0x80000000ull);
	EQ(alu_reg(OP(LSH32_REG), 0xffffffff00000001ull, 32), 1);
	EQ(alu_reg(OP(RSH32_REG), 0x80000000ull, 33), 0x40000000ull);
	EQ(alu_imm(OP(ARSH32_IMM), 0x80000000ull, 31), 0xffffffffull);
	EQ(alu_reg(OP(ARSH32_REG), 0xffffffff00000000ull, 4), 0);
}
END_TEST

START_TEST(byte_swaps_and_conversions)
{
	const uint64_t v = 0x123456789abcdef0ull;

	EQ(unary(OP(BE16), v), 0xf0de);
	EQ(unary(OP(BE32), v), 0xf0debc9aull);
	EQ(unary(OP(BE64), v), 0xf0debc9a78563412ull);
	EQ(unary(OP(LE16), v), 0xdef0);
	EQ(unary(OP(LE32), v), 0x9abcdef0ull);
	EQ(unary(OP(LE64), v), v);
	EQ(unary(OP(BSWAP16), v), 0xf0de);
	EQ(unary(OP(BSWAP32), v), 0xf0debc9aull);
	EQ(unary(OP(BSWAP64), v), 0xf0debc9a78563412ull);
}
END_TEST

START_TEST(sign_extending_moves)
{
	EQ(alu_reg(OP(MOVSX8_64), 0, 0x80), 0xffffffffffffff80ull);
	EQ(alu_reg(OP(MOVSX16_64), 0, 0x17fff), 0x7fff);
	EQ(alu_reg(OP(MOVSX32_64), 0, 0x80000000ull), 0xffffffff80000000ull);
	EQ(alu_reg(OP(MOVSX8_32), 0, 0xff), 0xffffffffull);
	EQ(alu_reg(OP(MOVSX16_32), 0, 0x8000), 0xffff8000ull);
}
END_TEST

static uint64_t load(enum objfmt_op op, const uint8_t *mem, size_t len, int16_t off)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, op, R0, R1, off, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	return builder_run(&bd, (void *)mem, len);
}

START_TEST(unaligned_wide_and_sign_extending_loads)
{
	const uint8_t mem[] = { 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89 };

	EQ(load(OP(LDXDW), mem, sizeof(mem), 1), 0x8887868584838281ull);
	EQ(load(OP(LDXW), mem, sizeof(mem), 3), 0x86858483ull);
	EQ(load(OP(LDXH), mem, sizeof(mem), 9 - 1), 0x8988);
	EQ(load(OP(LDXB), mem, sizeof(mem), 9), 0x89);
	EQ(load(OP(LDXSB), mem, sizeof(mem), 0), 0xffffffffffffff80ull);
	EQ(load(OP(LDXSH), mem, sizeof(mem), 1), 0xffffffffffff8281ull);
	EQ(load(OP(LDXSW), mem, sizeof(mem), 2), 0xffffffff85848382ull);
}
END_TEST

START_TEST(stores_to_the_stack)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(STDW), R10, 0, -8, -1);              /* imm sign-extended */
	emit(&bd, OP(STW), R10, 0, -8, 0x11223344);
	emit(&bd, OP(STB), R10, 0, -1, 0x55);
	emit(&bd, OP(LDXDW), R0, R10, -8, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	EQ(builder_run(&bd, NULL, 0), 0x55ffffff11223344ull);
}
END_TEST

/* *(mem) = init; r1 = operand; op; returns r0 = (memory << 32) ^ returned register. */
static void atomic(enum objfmt_op op, uint64_t init, uint64_t operand, uint64_t r0_in,
		   uint64_t *mem_out, uint64_t *reg_out)
{
	struct builder bd = { .cnt = 0 };
	uint64_t cell = init;
	bool cmpxchg = op == OP(ATOMIC32_CMPXCHG) || op == OP(ATOMIC64_CMPXCHG);

	emit(&bd, OP(LDDW), R2, 0, 0, (int64_t)operand);
	emit(&bd, OP(LDDW), R0, 0, 0, (int64_t)r0_in);
	emit(&bd, op, R1, R2, 0, 0);
	if (!cmpxchg)
		emit(&bd, OP(MOV64_REG), R0, R2, 0, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	*reg_out = builder_run(&bd, &cell, sizeof(cell));
	*mem_out = cell;
}

START_TEST(atomics_return_old_values)
{
	uint64_t mem, reg;

	atomic(OP(ATOMIC64_FETCH_ADD), 40, 2, 0, &mem, &reg);
	EQ(mem, 42); EQ(reg, 40);
	atomic(OP(ATOMIC64_ADD), 40, 2, 0, &mem, &reg);
	EQ(mem, 42); EQ(reg, 2);
	atomic(OP(ATOMIC32_FETCH_ADD), 0xaaaaaaaaffffffffull, 1, 0, &mem, &reg);
	EQ(mem, 0xaaaaaaaa00000000ull); EQ(reg, 0xffffffffull);
	atomic(OP(ATOMIC32_FETCH_OR), 0xf0, 0xffffffff0000000full, 0, &mem, &reg);
	EQ(mem, 0xff); EQ(reg, 0xf0);
	atomic(OP(ATOMIC64_FETCH_AND), 0xff, 0x0f, 0, &mem, &reg);
	EQ(mem, 0x0f); EQ(reg, 0xff);
	atomic(OP(ATOMIC64_FETCH_XOR), 0xff, 0x0f, 0, &mem, &reg);
	EQ(mem, 0xf0); EQ(reg, 0xff);
	atomic(OP(ATOMIC64_XCHG), 1, 2, 0, &mem, &reg);
	EQ(mem, 2); EQ(reg, 1);
	atomic(OP(ATOMIC32_XCHG), 0x1111111122222222ull, 0xffffffff33333333ull, 0, &mem, &reg);
	EQ(mem, 0x1111111133333333ull); EQ(reg, 0x22222222);
	atomic(OP(ATOMIC64_CMPXCHG), 5, 9, 5, &mem, &reg);
	EQ(mem, 9); EQ(reg, 5);
	atomic(OP(ATOMIC64_CMPXCHG), 5, 9, 6, &mem, &reg);
	EQ(mem, 5); EQ(reg, 5);
	atomic(OP(ATOMIC32_CMPXCHG), 0x700000005ull, 9, 0xffffffff00000005ull, &mem, &reg);
	EQ(mem, 0x700000009ull); EQ(reg, 5);
}
END_TEST

/* r0 = 1 if (a op b) jumps, else 0. */
static uint64_t jump(enum objfmt_op op, uint64_t a, uint64_t b)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(LDDW), R1, 0, 0, (int64_t)a);
	emit(&bd, OP(LDDW), R2, 0, 0, (int64_t)b);
	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 1);
	if (objfmt_opinfo(op)->form == OBJFMT_FORM_JMP_IMM)
		emit(&bd, op, R1, 0, 1, (int32_t)b);
	else
		emit(&bd, op, R1, R2, 1, 0);
	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	return builder_run(&bd, NULL, 0);
}

START_TEST(conditional_jumps_signed_unsigned_and_32_bit)
{
	EQ(jump(OP(JGT_REG), (uint64_t)-1, 1), 1);
	EQ(jump(OP(JSGT_REG), (uint64_t)-1, 1), 0);
	EQ(jump(OP(JSLT_IMM), (uint64_t)-1, 0), 1);
	EQ(jump(OP(JLT_IMM), 5, (uint64_t)-1), 1); /* imm -1 sign-extends to 2^64-1 */
	EQ(jump(OP(JEQ32_REG), 0x100000005ull, 5), 1);
	EQ(jump(OP(JEQ_REG), 0x100000005ull, 5), 0);
	EQ(jump(OP(JSGT32_IMM), 0x80000000ull, 1), 0);
	EQ(jump(OP(JSET_REG), 0x10, 0x30), 1);
	EQ(jump(OP(JSET32_REG), 0x100000000ull, 0x100000000ull), 0);
	EQ(jump(OP(JLE_REG), 3, 3), 1);
	EQ(jump(OP(JSGE32_REG), 0xffffffffull, 0), 0);
	EQ(jump(OP(JNE_IMM), 1, 1), 0);
}
END_TEST

START_TEST(unconditional_jumps_short_and_long)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 1);
	emit(&bd, OP(JA32), 0, 0, 0, 2);
	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 2);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	emit(&bd, OP(JA), 0, 0, -2, 0);
	EQ(builder_run(&bd, NULL, 0), 1);
}
END_TEST

START_TEST(local_call_preserves_callee_saved_and_has_own_stack)
{
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(MOV64_IMM), R6, 0, 0, 6);
	emit(&bd, OP(STDW), R10, 0, -8, 100);
	emit(&bd, OP(MOV64_IMM), R1, 0, 0, 7);
	emit(&bd, OP(CALL), 0, OBJFMT_CALL_LOCAL, 0, 4);
	emit(&bd, OP(ADD64_REG), R0, R6, 0, 0);          /* r0 = 7*2 + 6 */
	emit(&bd, OP(LDXDW), R1, R10, -8, 0);
	emit(&bd, OP(ADD64_REG), R0, R1, 0, 0);          /* + 100: caller stack intact */
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	/* callee: clobbers r6 and its own stack slot */
	emit(&bd, OP(MOV64_IMM), R6, 0, 0, 1000);
	emit(&bd, OP(STDW), R10, 0, -8, 55);
	emit(&bd, OP(MOV64_REG), R0, R1, 0, 0);
	emit(&bd, OP(ADD64_REG), R0, R1, 0, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	EQ(builder_run(&bd, NULL, 0), 120);
}
END_TEST

START_TEST(recursion_past_eight_frames_faults)
{
	struct builder bd = { .cnt = 0 };
	struct emu_prog prog;
	struct emu_run run;

	emit(&bd, OP(CALL), 0, OBJFMT_CALL_LOCAL, 0, -1);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	builder_prepare(&bd, &prog, BPF_PROG_TYPE_SOCKET_FILTER);
	memset(&run, 0, sizeof(run));
	EQ(emu_interp_run(&run, &prog, 0, 0), 0);
	ck_assert_int_eq(run.fault, -E2BIG);
	ck_assert_str_eq(run.fault_msg, "pc 0: the call stack is too deep (8 frames)");
	emu_interp_release(&prog);
}
END_TEST

START_TEST(falling_off_the_end_faults)
{
	struct builder bd = { .cnt = 0 };
	struct emu_prog prog;
	struct emu_run run;

	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 3);
	builder_prepare(&bd, &prog, BPF_PROG_TYPE_SOCKET_FILTER);
	memset(&run, 0, sizeof(run));
	EQ(emu_interp_run(&run, &prog, 0, 0), 0);
	ck_assert_int_eq(run.fault, -EINVAL);
	ck_assert_str_eq(run.fault_msg, "pc 1: instruction cannot be executed");
	emu_interp_release(&prog);
}
END_TEST

START_TEST(prepare_rejects_jump_out_of_range_and_bad_opcode)
{
	struct builder bd = { .cnt = 0 };
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct emu_prog prog = { 0 };

	emit(&bd, OP(JA), 0, 0, 5, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	prog.insns = bd.insns;
	prog.insn_cnt = bd.cnt;
	ck_assert_int_eq(emu_interp_prepare(&prog, &diag), -EINVAL);
	ck_assert_str_eq(diag.message, "jump out of range from insn 0 to 6");
	bd.insns[0].code = 0x8e;
	ck_assert_int_eq(emu_interp_prepare(&prog, &diag), -EINVAL);
	ck_assert_ptr_null(prog.exec);
	/* into the value slot of an ld_imm64 */
	bd.cnt = 0;
	emit(&bd, OP(LDDW), R0, 0, 0, 1);
	emit(&bd, OP(JA), 0, 0, -2, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	prog.insn_cnt = bd.cnt;
	ck_assert_int_eq(emu_interp_prepare(&prog, &diag), -EINVAL);
	ck_assert_str_eq(diag.message, "jump out of range from insn 2 to 1");
	/* a local call past the end */
	bd.cnt = 0;
	emit(&bd, OP(CALL), 0, OBJFMT_CALL_LOCAL, 0, 5);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	prog.insn_cnt = bd.cnt;
	ck_assert_int_eq(emu_interp_prepare(&prog, &diag), -EINVAL);
}
END_TEST

/* ld_abs / ld_ind read big-endian from the skb's packet; out of range ends the
 * program with r0 = 0. */
START_TEST(legacy_packet_loads)
{
	uint8_t pkt[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 };
	struct emu_ctx_skb skb = { .data = (uintptr_t)pkt, .data_end = (uintptr_t)(pkt + 6) };
	struct builder bd = { .cnt = 0 };

	emit(&bd, OP(MOV64_REG), R6, R1, 0, 0);
	emit(&bd, OP(MOV64_IMM), R2, 0, 0, 1);
	emit(&bd, OP(LDINDH), 0, R2, 0, 1);   /* bytes 2..3 */
	emit(&bd, OP(MOV64_REG), 7, R0, 0, 0);
	emit(&bd, OP(LDABSW), 0, 0, 0, 2);    /* bytes 2..5 */
	emit(&bd, OP(ADD64_REG), R0, 7, 0, 0);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	EQ(builder_run(&bd, &skb, 0), 0x33445566ull + 0x3344);
	bd.cnt = 0;
	emit(&bd, OP(MOV64_REG), R6, R1, 0, 0);
	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 9);
	emit(&bd, OP(LDABSH), 0, 0, 0, 5);    /* needs bytes 5..6: outside */
	emit(&bd, OP(MOV64_IMM), R0, 0, 0, 9);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	EQ(builder_run(&bd, &skb, 0), 0);
}
END_TEST

/* A bpf_loop callback recursing through bpf_loop: callbacks and calls share the
 * 8-frame budget, so the nesting ends with a fault instead of exhausting the host. */
START_TEST(nested_callbacks_share_the_frame_limit)
{
	struct builder bd = { .cnt = 0 };
	struct emu_prog prog;
	struct emu_run run;

	emit(&bd, OP(MOV64_IMM), R1, 0, 0, 1);
	emit(&bd, OP(LDDW), R2, OBJFMT_PSEUDO_FUNC, 0, -2);   /* this same code */
	emit(&bd, OP(MOV64_IMM), 3, 0, 0, 0);
	emit(&bd, OP(MOV64_IMM), 4, 0, 0, 0);
	emit(&bd, OP(CALL), 0, 0, 0, BPF_FUNC_loop);
	emit(&bd, OP(EXIT), 0, 0, 0, 0);
	builder_prepare(&bd, &prog, BPF_PROG_TYPE_SOCKET_FILTER);
	memset(&run, 0, sizeof(run));
	EQ(emu_interp_run(&run, &prog, 0, 0), 0);
	ck_assert_int_eq(run.fault, -E2BIG);
	ck_assert_str_eq(run.fault_msg, "callbacks nested too deep (8 frames)");
	emu_interp_release(&prog);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("interp");
	TCase *tc = tcase_create("isa");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, alu64_arithmetic_wraps_and_sign_extends_imm);
	tcase_add_test(tc, alu64_division_by_zero_and_int_min);
	tcase_add_test(tc, alu32_results_are_zero_extended);
	tcase_add_test(tc, shift_amounts_are_masked);
	tcase_add_test(tc, byte_swaps_and_conversions);
	tcase_add_test(tc, sign_extending_moves);
	tcase_add_test(tc, unaligned_wide_and_sign_extending_loads);
	tcase_add_test(tc, stores_to_the_stack);
	tcase_add_test(tc, atomics_return_old_values);
	tcase_add_test(tc, conditional_jumps_signed_unsigned_and_32_bit);
	tcase_add_test(tc, unconditional_jumps_short_and_long);
	tcase_add_test(tc, local_call_preserves_callee_saved_and_has_own_stack);
	tcase_add_test(tc, recursion_past_eight_frames_faults);
	tcase_add_test(tc, nested_callbacks_share_the_frame_limit);
	tcase_add_test(tc, falling_off_the_end_faults);
	tcase_add_test(tc, prepare_rejects_jump_out_of_range_and_bad_opcode);
	tcase_add_test(tc, legacy_packet_loads);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
