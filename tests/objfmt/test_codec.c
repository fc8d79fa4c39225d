/* test_codec.c - Check suite of the instruction codec: encode/decode round trip over
 * every opcode-table row and operand form, one exact message per invalid encoding
 * class, and the helper id <-> name table. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

/* Operands exercised for every row: registers at both ends, extreme offsets/imms. */
static const struct {
	uint8_t dst, src;
	int16_t off;
	int64_t imm;
} operand_sets[] = {
	{ 0, 0, 0, 0 },          { 10, 10, 32767, 2147483647 }, { 1, 9, -32768, INT32_MIN },
	{ 5, 3, -1, -1 },        { 9, 1, 1, 1 },
};

/* Zero the fields the row's form does not use, so the encoding is valid. */
static void zero_unused(const struct objfmt_opinfo *row, uint8_t *dst, uint8_t *src,
			int16_t *off, int64_t *imm)
{
	switch (row->form) {
	case OBJFMT_FORM_ALU_IMM: *src = 0; *off = 0; break;
	case OBJFMT_FORM_ALU_REG: *off = 0; *imm = 0; break;
	case OBJFMT_FORM_UNARY: *src = 0; *off = 0; *imm = 0; break;
	case OBJFMT_FORM_LD_IMM64: *src %= 7; *off = 0; break;
	case OBJFMT_FORM_LD_ABS: *dst = 0; *src = 0; *off = 0; break;
	case OBJFMT_FORM_LD_IND: *dst = 0; *off = 0; break;
	case OBJFMT_FORM_LDX: case OBJFMT_FORM_STX: case OBJFMT_FORM_ATOMIC:
	case OBJFMT_FORM_JMP_REG: *imm = 0; break;
	case OBJFMT_FORM_ST: case OBJFMT_FORM_JMP_IMM: *src = 0; break;
	case OBJFMT_FORM_JA:
		*dst = *src = 0;
		if (row->code == 0x06) *off = 0; else *imm = 0;
		break;
	case OBJFMT_FORM_CALL: *dst = 0; *off = 0; *src %= 3; break;
	case OBJFMT_FORM_CALLX: *src = 0; *off = 0; *imm = 0; break;
	case OBJFMT_FORM_EXIT: *dst = *src = 0; *off = 0; *imm = 0; break;
	}
}

START_TEST(source_diagnostics_put_the_caret_under_the_column)
{
	char buf[256];
	int n;

	n = objfmt_diag_format_source(buf, sizeof(buf), "a.s", 3, 5, "error", "bad thing",
				      "\tr0 = r11");
	ck_assert_str_eq(buf, "a.s:3:5: error: bad thing\n\tr0 = r11\n\t   ^\n");
	ck_assert_int_eq(n, (int)strlen(buf));
	objfmt_diag_format_source(buf, sizeof(buf), "a.s", 0, 0, "error", "no input", NULL);
	ck_assert_str_eq(buf, "a.s: error: no input\n");
	objfmt_diag_format_source(buf, sizeof(buf), "a.c", 2, 1, "warning", "w", NULL);
	ck_assert_str_eq(buf, "a.c:2:1: warning: w\n");
	/* truncation keeps the NUL and reports the full length */
	n = objfmt_diag_format_source(buf, 12, "a.s", 3, 5, "error", "bad thing", "r0 = r11");
	ck_assert_uint_eq(strlen(buf), 11);
	ck_assert_int_eq(n, (int)strlen("a.s:3:5: error: bad thing\nr0 = r11\n    ^\n"));
}
END_TEST

START_TEST(every_row_round_trips_with_every_operand_set)
{
	const struct objfmt_opinfo *row = objfmt_opinfo((enum objfmt_op)_i);
	size_t k;

	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(row->op, _i);
	if (row->op == OBJFMT_OP_LDABSDW || row->op == OBJFMT_OP_LDINDDW)
		return; /* not in the ISA: legacy_dw_loads_are_rejected */
	for (k = 0; k < sizeof(operand_sets) / sizeof(operand_sets[0]); k++) {
		uint8_t dst = operand_sets[k].dst, src = operand_sets[k].src;
		int16_t off = operand_sets[k].off;
		int64_t imm = operand_sets[k].imm;
		struct objfmt_insn out[2], again[2];
		struct objfmt_diag diag = { "", "" };
		int slots;

		if (row->form == OBJFMT_FORM_LD_IMM64)
			imm = (int64_t)((uint64_t)imm * 0x100000001ull + 7);
		zero_unused(row, &dst, &src, &off, &imm);
		slots = objfmt_insn_encode(row->op, dst, src, off, imm, out);
		ck_assert_int_eq(slots, row->form == OBJFMT_FORM_LD_IMM64 ? 2 : 1);
		ck_assert_int_eq(out[0].code, row->code);
		ck_assert_msg(objfmt_insn_decode(out, 2, 0, &diag) == row->op,
			      "%s operand set %zu: %s", row->name, k, diag.message);
		ck_assert_int_eq(out[0].dst_reg, dst);
		ck_assert_int_eq(out[0].src_reg, src);
		if (row->match == OBJFMT_MATCH_OFF)
			ck_assert_int_eq(out[0].off, row->match_value);
		else
			ck_assert_int_eq(out[0].off, off);
		if (row->match == OBJFMT_MATCH_IMM)
			ck_assert_int_eq(out[0].imm, row->match_value);
		else if (row->form == OBJFMT_FORM_LD_IMM64)
			ck_assert(((uint64_t)(uint32_t)out[1].imm << 32 | (uint32_t)out[0].imm) ==
				  (uint64_t)imm);
		else
			ck_assert_int_eq(out[0].imm, (int32_t)imm);
		/* decode(encode(x)) == x: re-encoding the decoded fields gives the same bytes */
		objfmt_insn_encode(row->op, out[0].dst_reg, out[0].src_reg, out[0].off,
				   row->form == OBJFMT_FORM_LD_IMM64 ? imm : out[0].imm, again);
		ck_assert_mem_eq(again, out, sizeof(out[0]) * (size_t)slots);
	}
}
END_TEST

START_TEST(table_rows_are_distinct_encodings)
{
	int a, b;

	for (a = 1; a < OBJFMT_OP__COUNT; a++)
		for (b = a + 1; b < OBJFMT_OP__COUNT; b++) {
			const struct objfmt_opinfo *x = objfmt_opinfo(a), *y = objfmt_opinfo(b);

			ck_assert_msg(!(x->code == y->code && x->match == y->match &&
					x->match_value == y->match_value),
				      "%s and %s share an encoding", x->name, y->name);
		}
	ck_assert_ptr_null(objfmt_opinfo(OBJFMT_OP_INVALID));
	ck_assert_ptr_null(objfmt_opinfo(OBJFMT_OP__COUNT));
}
END_TEST

/* Decode `insn` (and a zero second slot) at index 7 and expect exactly `message`. */
static void expect_invalid(struct objfmt_insn insn, size_t remaining, const char *message)
{
	struct objfmt_insn pair[2] = { insn, { 0 } };
	struct objfmt_diag diag = { "", "" };

	ck_assert_int_eq(objfmt_insn_decode(pair, remaining, 7, &diag), OBJFMT_OP_INVALID);
	ck_assert_str_eq(diag.where, "insn 7");
	ck_assert_str_eq(diag.message, message);
}

#define INSN(c, d, s, o, i) ((struct objfmt_insn){ .code = c, .dst_reg = d, .src_reg = s, .off = o, .imm = i })

START_TEST(unknown_opcodes_are_named)
{
	expect_invalid(INSN(0x8e, 0, 0, 0, 0), 1, "invalid opcode 0x8e");
	expect_invalid(INSN(0x00, 0, 0, 0, 0), 1, "invalid opcode 0x00");
	expect_invalid(INSN(0xdf, 1, 0, 0, 16), 1, "invalid opcode 0xdf");
	expect_invalid(INSN(0xf5, 1, 0, 0, 0), 1, "invalid opcode 0xf5");
	expect_invalid(INSN(0x60, 1, 2, 0, 0), 1, "invalid opcode 0x60");
}
END_TEST

START_TEST(registers_above_r10_are_rejected)
{
	expect_invalid(INSN(0x07, 11, 0, 0, 1), 1,
		       "invalid dst_reg=11 for 'add' (registers are r0..r10)");
	expect_invalid(INSN(0x0f, 1, 15, 0, 0), 1,
		       "invalid src_reg=15 for 'add' (registers are r0..r10)");
	expect_invalid(INSN(0x61, 1, 12, 4, 0), 1,
		       "invalid src_reg=12 for 'ldxw' (registers are r0..r10)");
	expect_invalid(INSN(0x8d, 11, 0, 0, 0), 1,
		       "invalid dst_reg=11 for 'callx' (registers are r0..r10)");
}
END_TEST

START_TEST(reserved_fields_must_be_zero)
{
	expect_invalid(INSN(0x07, 1, 3, 0, 5), 1, "reserved field src_reg=3 must be 0 for 'add'");
	expect_invalid(INSN(0x07, 1, 0, 4, 5), 1, "reserved field off=4 must be 0 for 'add'");
	expect_invalid(INSN(0x0f, 1, 2, 0, 9), 1, "reserved field imm=9 must be 0 for 'add'");
	expect_invalid(INSN(0x87, 1, 0, 0, 1), 1, "reserved field imm=1 must be 0 for 'neg'");
	expect_invalid(INSN(0xdc, 1, 2, 0, 16), 1, "reserved field src_reg=2 must be 0 for 'be16'");
	expect_invalid(INSN(0x61, 1, 2, 0, 3), 1, "reserved field imm=3 must be 0 for 'ldxw'");
	expect_invalid(INSN(0x62, 1, 2, 0, 3), 1, "reserved field src_reg=2 must be 0 for 'stw'");
	expect_invalid(INSN(0x7b, 1, 2, 0, 3), 1, "reserved field imm=3 must be 0 for 'stxdw'");
	expect_invalid(INSN(0x20, 1, 0, 0, 3), 1, "reserved field dst_reg=1 must be 0 for 'ldabsw'");
	expect_invalid(INSN(0x20, 0, 1, 0, 3), 1, "reserved field src_reg=1 must be 0 for 'ldabsw'");
	expect_invalid(INSN(0x40, 0, 1, 2, 3), 1, "reserved field off=2 must be 0 for 'ldindw'");
	expect_invalid(INSN(0x05, 1, 0, 2, 0), 1, "reserved field dst_reg=1 must be 0 for 'ja'");
	expect_invalid(INSN(0x05, 0, 0, 2, 5), 1, "reserved field imm=5 must be 0 for 'ja'");
	expect_invalid(INSN(0x06, 0, 0, 2, 5), 1, "reserved field off=2 must be 0 for 'ja32'");
	expect_invalid(INSN(0x15, 1, 2, 2, 5), 1, "reserved field src_reg=2 must be 0 for 'jeq'");
	expect_invalid(INSN(0x1e, 1, 2, 2, 5), 1, "reserved field imm=5 must be 0 for 'jeq32'");
	expect_invalid(INSN(0x85, 1, 0, 0, 5), 1, "reserved field dst_reg=1 must be 0 for 'call'");
	expect_invalid(INSN(0x85, 0, 0, 3, 5), 1, "reserved field off=3 must be 0 for 'call'");
	expect_invalid(INSN(0x8d, 1, 2, 0, 0), 1, "reserved field src_reg=2 must be 0 for 'callx'");
	expect_invalid(INSN(0x8d, 1, 0, 0, 2), 1, "reserved field imm=2 must be 0 for 'callx'");
	expect_invalid(INSN(0x95, 0, 0, 0, 1), 1, "reserved field imm=1 must be 0 for 'exit'");
	expect_invalid(INSN(0x95, 0, 0, 1, 0), 1, "reserved field off=1 must be 0 for 'exit'");
	expect_invalid(INSN(0x95, 2, 0, 0, 0), 1, "reserved field dst_reg=2 must be 0 for 'exit'");
	expect_invalid(INSN(0x95, 0, 3, 0, 0), 1, "reserved field src_reg=3 must be 0 for 'exit'");
}
END_TEST

START_TEST(off_and_imm_variants_must_exist)
{
	expect_invalid(INSN(0x3f, 1, 2, 2, 0), 1,
		       "invalid off=2 for opcode 0x3f 'div' (expected 0 or 1)");
	expect_invalid(INSN(0x94, 1, 0, -1, 2), 1,
		       "invalid off=-1 for opcode 0x94 'mod32' (expected 0 or 1)");
	expect_invalid(INSN(0xbf, 1, 2, 3, 0), 1,
		       "invalid off=3 for opcode 0xbf 'mov' (expected 0, 8, 16 or 32)");
	expect_invalid(INSN(0xbc, 1, 2, 32, 0), 1,
		       "invalid off=32 for opcode 0xbc 'mov32' (expected 0, 8 or 16)");
	expect_invalid(INSN(0xb7, 1, 0, 8, 0), 1, "reserved field off=8 must be 0 for 'mov'");
	expect_invalid(INSN(0xd7, 1, 0, 0, 8), 1,
		       "invalid byte swap width imm=8 for opcode 0xd7 (expected 16, 32 or 64)");
	expect_invalid(INSN(0xd4, 1, 0, 0, 0), 1,
		       "invalid byte swap width imm=0 for opcode 0xd4 (expected 16, 32 or 64)");
	expect_invalid(INSN(0xdb, 1, 2, 0, 0x02), 1,
		       "invalid atomic operation imm=0x2 for opcode 0xdb (expected 0x00, 0x40, "
		       "0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1 or 0xf1)");
	expect_invalid(INSN(0xc3, 1, 2, 0, 0xe0), 1,
		       "invalid atomic operation imm=0xe0 for opcode 0xc3 (expected 0x00, 0x40, "
		       "0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1 or 0xf1)");
}
END_TEST

START_TEST(ld_imm64_checks_kind_and_second_slot)
{
	struct objfmt_insn pair[2] = { INSN(0x18, 1, 0, 0, 5), INSN(0, 0, 0, 0, 1) };
	struct objfmt_diag diag = { "", "" };

	ck_assert_int_eq(objfmt_insn_decode(pair, 2, 0, &diag), OBJFMT_OP_LDDW);
	expect_invalid(INSN(0x18, 1, 7, 0, 5), 2, "invalid ld_imm64 src_reg=7 (pseudo kinds are 0..6)");
	expect_invalid(INSN(0x18, 1, 0, 0, 5), 1, "truncated ld_imm64: needs 2 slots, only 1 left");
	expect_invalid(INSN(0x18, 1, 0, 3, 5), 2, "reserved field off=3 must be 0 for 'lddw'");
	pair[1] = INSN(0x18, 0, 0, 0, 0);
	ck_assert_int_eq(objfmt_insn_decode(pair, 2, 3, &diag), OBJFMT_OP_INVALID);
	ck_assert_str_eq(diag.message,
			 "reserved field code=0x18 of the second ld_imm64 slot must be 0");
	pair[1] = INSN(0, 2, 0, 0, 0);
	ck_assert_int_eq(objfmt_insn_decode(pair, 2, 3, &diag), OBJFMT_OP_INVALID);
	ck_assert_str_eq(diag.message,
			 "reserved field dst_reg=2 of the second ld_imm64 slot must be 0");
	pair[1] = INSN(0, 0, 4, 0, 0);
	ck_assert_int_eq(objfmt_insn_decode(pair, 2, 3, &diag), OBJFMT_OP_INVALID);
	ck_assert_str_eq(diag.message,
			 "reserved field src_reg=4 of the second ld_imm64 slot must be 0");
	pair[1] = INSN(0, 0, 0, -5, 0);
	ck_assert_int_eq(objfmt_insn_decode(pair, 2, 3, &diag), OBJFMT_OP_INVALID);
	ck_assert_str_eq(diag.message,
			 "reserved field off=-5 of the second ld_imm64 slot must be 0");
	ck_assert_str_eq(diag.where, "insn 3");
}
END_TEST

START_TEST(legacy_dw_loads_are_rejected)
{
	expect_invalid(INSN(0x38, 0, 0, 0, 4), 1,
		       "invalid size DW for 'ldabsdw' (legacy packet loads take W, H or B)");
	expect_invalid(INSN(0x58, 0, 1, 0, 4), 1,
		       "invalid size DW for 'ldinddw' (legacy packet loads take W, H or B)");
}
END_TEST

START_TEST(call_kinds_are_checked)
{
	struct objfmt_insn insn = INSN(0x85, 0, 2, 0, 1234);

	ck_assert_int_eq(objfmt_insn_decode(&insn, 1, 0, NULL), OBJFMT_OP_CALL);
	expect_invalid(INSN(0x85, 0, 3, 0, 1), 1,
		       "invalid call kind src_reg=3 (expected 0 helper, 1 local or 2 kfunc)");
}
END_TEST

START_TEST(encode_rejects_bad_arguments)
{
	struct objfmt_insn out[2];

	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_INVALID, 0, 0, 0, 0, out), -EINVAL);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP__COUNT, 0, 0, 0, 0, out), -EINVAL);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_ADD64_IMM, 16, 0, 0, 0, out), -EINVAL);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_ADD64_IMM, 1, 0, 0, 1ll << 32, out),
			 -ERANGE);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_ADD64_IMM, 1, 0, 0, 0xffffffffll, out), 1);
	ck_assert_int_eq(out[0].imm, -1);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_SDIV32_IMM, 1, 0, 0, 3, out), 1);
	ck_assert_int_eq(out[0].code, 0x34);
	ck_assert_int_eq(out[0].off, 1);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_ATOMIC64_CMPXCHG, 1, 2, -8, 0, out), 1);
	ck_assert_int_eq(out[0].imm, 0xf1);
	ck_assert_int_eq(out[0].off, -8);
}
END_TEST

START_TEST(encoding_bytes_match_the_isa)
{
	/* r1 = 0x123456789 ll, as llvm-mc -triple bpf encodes it */
	static const uint8_t expected[16] = { 0x18, 0x01, 0x00, 0x00, 0x89, 0x67, 0x45, 0x23,
					      0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 };
	/* w0 = atomic_fetch_add((u32 *)(r1 + 0), w0): c3 01 00 00 01 00 00 00 */
	static const uint8_t fetch32[8] = { 0xc3, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 };
	/* r1 = *(s16 *)(r2 - 2): 89 21 fe ff 00 00 00 00 */
	static const uint8_t ldsx[8] = { 0x89, 0x21, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00 };
	struct objfmt_insn out[2];

	ck_assert_int_eq(sizeof(struct objfmt_insn), 8);
	ck_assert_int_eq(objfmt_insn_encode(OBJFMT_OP_LDDW, 1, 0, 0, 0x123456789ll, out), 2);
	ck_assert_mem_eq(out, expected, 16);
	objfmt_insn_encode(OBJFMT_OP_ATOMIC32_FETCH_ADD, 1, 0, 0, 0, out);
	ck_assert_mem_eq(out, fetch32, 8);
	objfmt_insn_encode(OBJFMT_OP_LDXSH, 1, 2, -2, 0, out);
	ck_assert_mem_eq(out, ldsx, 8);
}
END_TEST

START_TEST(helper_names_follow_the_uapi_list)
{
	ck_assert_str_eq(objfmt_helper_name(1), "map_lookup_elem");
	ck_assert_str_eq(objfmt_helper_name(6), "trace_printk");
	ck_assert_str_eq(objfmt_helper_name(130), "ringbuf_output");
	ck_assert_str_eq(objfmt_helper_name(209), "user_ringbuf_drain");
	ck_assert_str_eq(objfmt_helper_name(210), "cgrp_storage_get");
	ck_assert_str_eq(objfmt_helper_name(211), "cgrp_storage_delete");
	ck_assert_ptr_null(objfmt_helper_name(0));
	ck_assert_ptr_null(objfmt_helper_name(212));
	ck_assert_ptr_null(objfmt_helper_name(-1));
	ck_assert_int_eq(objfmt_helper_id("bpf_map_lookup_elem"), 1);
	ck_assert_int_eq(objfmt_helper_id("map_update_elem"), 2);
	ck_assert_int_eq(objfmt_helper_id("bpf_cgrp_storage_delete"), 211);
	ck_assert_int_eq(objfmt_helper_id("unspec"), -1);
	ck_assert_int_eq(objfmt_helper_id("no_such_helper"), -1);
	ck_assert_int_eq(objfmt_helper_id(NULL), -1);
}
END_TEST

START_TEST(diag_set_formats_and_returns_err)
{
	struct objfmt_diag diag;

	ck_assert_int_eq(objfmt_diag_set(&diag, -EINVAL, "insn 3", "bad opcode 0x%02x", 0x8e),
			 -EINVAL);
	ck_assert_str_eq(diag.where, "insn 3");
	ck_assert_str_eq(diag.message, "bad opcode 0x8e");
	ck_assert_int_eq(objfmt_diag_set(NULL, -ENOENT, "x", "y"), -ENOENT);
}
END_TEST

static Suite *codec_suite(void)
{
	Suite *s = suite_create("codec");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, every_row_round_trips_with_every_operand_set, 1,
			    OBJFMT_OP__COUNT);
	tcase_add_test(tc, table_rows_are_distinct_encodings);
	tcase_add_test(tc, unknown_opcodes_are_named);
	tcase_add_test(tc, registers_above_r10_are_rejected);
	tcase_add_test(tc, reserved_fields_must_be_zero);
	tcase_add_test(tc, off_and_imm_variants_must_exist);
	tcase_add_test(tc, ld_imm64_checks_kind_and_second_slot);
	tcase_add_test(tc, legacy_dw_loads_are_rejected);
	tcase_add_test(tc, call_kinds_are_checked);
	tcase_add_test(tc, encode_rejects_bad_arguments);
	tcase_add_test(tc, encoding_bytes_match_the_isa);
	tcase_add_test(tc, helper_names_follow_the_uapi_list);
	tcase_add_test(tc, diag_set_formats_and_returns_err);
	tcase_add_test(tc, source_diagnostics_put_the_caret_under_the_column);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(codec_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
