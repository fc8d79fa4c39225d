/* test_scalar.c - scalar and pointer arithmetic: bounds learned from branches (both
 * sides, 32- and 64-bit), masking, shifts, the ALU rules on pointers, and the use of
 * a learned bound as a memory index. */
#include "vcheck.h"

/* r2 = unknown byte index from the packet length, used to index the stack */
#define UNKNOWN_R2 "r2 = *(u32 *)(r1 + 0)\n"

START_TEST(accepts_index_bounded_by_jump)
{
	expect_ok(UNKNOWN_R2
		  "if r2 > 7 goto +4\n"
		  "r3 = r10\n"
		  "r3 += -8\n"
		  "r3 += r2\n"
		  "*(u8 *)(r3 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_index_bounded_on_wrong_side)
{
	expect_err(UNKNOWN_R2
		   "if r2 < 7 goto +4\n"
		   "r3 = r10\n"
		   "r3 += -8\n"
		   "r3 += r2\n"
		   "*(u8 *)(r3 + 0) = 1\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid unbounded variable-offset write to stack R3");
}
END_TEST

START_TEST(accepts_index_bounded_by_mask)
{
	expect_ok(UNKNOWN_R2
		  "r2 &= 7\n"
		  "r3 = r10\n"
		  "r3 += -8\n"
		  "r3 += r2\n"
		  "*(u8 *)(r3 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_mask_too_wide_for_stack)
{
	expect_err(UNKNOWN_R2
		   "r2 &= 15\n"
		   "r3 = r10\n"
		   "r3 += -8\n"
		   "r3 += r2\n"
		   "*(u8 *)(r3 + 0) = 1\n"
		   "r0 = 0\n"
		   "exit", EINVAL,
		   "invalid variable-offset write to stack R3 var_off=(0x0; 0xf) off=-8 size=1");
}
END_TEST

START_TEST(learns_signed_bounds)
{
	expect_ok(UNKNOWN_R2
		  "if r2 s> 7 goto +5\n"
		  "if r2 s< 0 goto +4\n"
		  "r3 = r10\n"
		  "r3 += -8\n"
		  "r3 += r2\n"
		  "*(u8 *)(r3 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(learns_32bit_bounds)
{
	expect_ok(UNKNOWN_R2
		  "if w2 > 7 goto +4\n"
		  "r3 = r10\n"
		  "r3 += -8\n"
		  "r3 += r2\n"
		  "*(u8 *)(r3 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(prunes_dead_branch_on_constants)
{
	/* r1 is 3, so the branch to the invalid read is never taken */
	expect_ok("r1 = 3\n"
		  "if r1 > 5 goto +2\n"
		  "r0 = 0\n"
		  "exit\n"
		  "r0 = *(u64 *)(r1 + 0)\n"
		  "exit");
}
END_TEST

START_TEST(rejects_pointer_multiplication)
{
	expect_err("r0 = r10\nr0 *= 2\nr0 = 0\nexit", EACCES,
		   "R0 pointer arithmetic with *= operator prohibited");
}
END_TEST

START_TEST(rejects_bitwise_op_on_pointer)
{
	expect_err("r0 = r10\nr0 &= 2\nr0 = 0\nexit", EACCES,
		   "R0 bitwise operator &= on pointer prohibited");
}
END_TEST

START_TEST(rejects_32bit_pointer_arithmetic)
{
	expect_err("r0 = r10\nw0 += 2\nr0 = 0\nexit", EACCES,
		   "R0 32-bit pointer arithmetic prohibited");
}
END_TEST

START_TEST(rejects_subtraction_from_stack_pointer)
{
	expect_err("r1 = r10\nr1 -= 8\nr0 = 0\nexit", EACCES,
		   "R1 subtraction from stack pointer prohibited");
}
END_TEST

START_TEST(rejects_pointer_plus_pointer)
{
	expect_err("r0 = r10\nr0 += r1\nr0 = 0\nexit", EACCES, "R0 pointer += pointer prohibited");
}
END_TEST

START_TEST(accepts_pointer_difference_as_scalar)
{
	expect_ok("r0 = r10\nr0 -= r1\nr0 = 0\nexit");
}
END_TEST

START_TEST(rejects_unbounded_pointer_offset)
{
	expect_err(UNKNOWN_R2
		   "r2 <<= 32\n"
		   "r2 s>>= 32\n"
		   "r3 = r10\n"
		   "r3 += r2\n"
		   "r0 = 0\n"
		   "exit", EINVAL, "value -2147483648 makes fp pointer be out of bounds");
}
END_TEST

START_TEST(rejects_map_pointer_arithmetic)
{
	expect_err("r1 = " HASH_MAP "\nr1 += 8\nr0 = 0\nexit", EACCES,
		   "R1 pointer arithmetic on map_ptr prohibited");
}
END_TEST

START_TEST(rejects_arithmetic_on_maybe_null)
{
	expect_err("*(u32 *)(r10 - 4) = 0\n"
		   "r2 = r10\n"
		   "r2 += -4\n"
		   "r1 = " HASH_MAP "\n"
		   "call 1\n"
		   "r0 += 8\n"
		   "r0 = 0\n"
		   "exit", EACCES,
		   "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first");
}
END_TEST

START_TEST(zero_extends_32bit_results)
{
	/* w2 = -1 zero-extends: r2 is 0xffffffff, so r2 >> 32 is 0 and the access is fine */
	expect_ok("w2 = -1\n"
		  "r2 >>= 32\n"
		  "r3 = r10\n"
		  "r3 += -8\n"
		  "r3 += r2\n"
		  "*(u8 *)(r3 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(bounds_reach_linked_copies)
{
	/* r3 is a copy of r2: bounding r2 bounds r3 (find_equal_scalars) */
	expect_ok(UNKNOWN_R2
		  "r3 = r2\n"
		  "if r2 > 7 goto +4\n"
		  "r4 = r10\n"
		  "r4 += -8\n"
		  "r4 += r3\n"
		  "*(u8 *)(r4 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(bounds_reach_copies_with_constant_delta)
{
	/* r3 = r2 + 1 stays linked; r3 <= 8 means r2 <= 7 */
	expect_ok(UNKNOWN_R2
		  "r3 = r2\n"
		  "r3 += 1\n"
		  "if r3 > 8 goto +4\n"
		  "r4 = r10\n"
		  "r4 += -8\n"
		  "r4 += r2\n"
		  "*(u8 *)(r4 + 0) = 1\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(modified_copy_is_not_linked)
{
	expect_err(UNKNOWN_R2
		   "r3 = r2\n"
		   "r3 *= 2\n"
		   "if r3 > 7 goto +4\n"
		   "r4 = r10\n"
		   "r4 += -8\n"
		   "r4 += r2\n"
		   "*(u8 *)(r4 + 0) = 1\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid unbounded variable-offset write to stack R4");
}
END_TEST

START_TEST(void_helper_leaves_r0_unreadable)
{
	expect_err("r1 = " RINGBUF_MAP "\n"
		   "r2 = 8\n"
		   "r3 = 0\n"
		   "call 131\n"
		   "if r0 == 0 goto +3\n"
		   "r1 = r0\n"
		   "r2 = 0\n"
		   "call 133\n"
		   "exit", EACCES, "R0 !read_ok");
}
END_TEST

/* The compiler's sign extension (<<32, s>>32) of a value whose s32 bounds are
 * negative keeps them (6.18 __scalar64_min_max_lsh): the kernel's level-2 lines. */
START_TEST(sign_extension_keeps_negative_bounds)
{
	static const char text[] = "call 7\n"
				   "r1 = r0\n"
				   "if w1 s< -2 goto +4\n"
				   "if w1 s> 61 goto +3\n"
				   "r1 <<= 32\n"
				   "r1 s>>= 32\n"
				   "r0 = 0\n"
				   "exit";
	static const char *const lines[] = {
		"4: (67) r1 <<= 32                     ; R1=scalar(smin=0xfffffffe00000000,"
		"smax=0x3d00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,"
		"var_off=(0x0; 0xffffffff00000000))",
		"5: (c7) r1 s>>= 32                    ; R1=scalar(smin=smin32=-2,smax=smax32=61)",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		expect_on(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, text, 0, lines[i], 2);
		if (kernel_cross_check())
			expect_on(VT_KERNEL, BPF_PROG_TYPE_SOCKET_FILTER, text, 0, lines[i], 2);
	}
}
END_TEST

/* A copy with a constant added stays linked (BPF_ADD_CONST) and prints its delta,
 * "id=1+8", as the kernel's print_reg_state; bounds reach it through the link. */
START_TEST(linked_copy_prints_its_delta)
{
	static const char text[] = "call 7\n"
				   "r0 &= 255\n"
				   "r1 = r0\n"
				   "r1 += 8\n"
				   "if r1 > 20 goto +1\n"
				   "r0 = 0\n"
				   "exit";
	static const char *const lines[] = {
		"3: (07) r1 += 8                       ; R1=scalar(id=1+8,smin=umin=smin32=umin32=8,"
		"smax=umax=smax32=umax32=263,var_off=(0x0; 0x1ff))",
		"from 4 to 6: R0=scalar(id=1,smin=umin=smin32=umin32=13,smax=umax=smax32=umax32=255,"
		"var_off=(0x0; 0xff)) R1=scalar(id=1+8,smin=umin=smin32=umin32=21,"
		"smax=umax=smax32=umax32=263,var_off=(0x0; 0x1ff)) R10=fp0",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		expect_on(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, text, 0, lines[i], 2);
		if (kernel_cross_check())
			expect_on(VT_KERNEL, BPF_PROG_TYPE_SOCKET_FILTER, text, 0, lines[i], 2);
	}
}
END_TEST

/* 6.18 links `r1 -= K` and negative deltas too; a copy of such a register starts a
 * new link (assign_scalar_id_before_mov). The kernel's level-2 lines. */
START_TEST(subtraction_and_copies_keep_kernel_links)
{
	static const char negative[] = "call 7\n"
				       "r0 &= 255\n"
				       "r1 = r0\n"
				       "r1 += -5\n"
				       "if r1 > 20 goto +1\n"
				       "r0 = 0\n"
				       "exit";
	static const char copy[] = "call 7\n"
				   "r0 &= 255\n"
				   "r1 = r0\n"
				   "r1 -= 5\n"
				   "r2 = r1\n"
				   "if r0 > 20 goto +1\n"
				   "r0 = 0\n"
				   "exit";
	static const struct {
		const char *text, *line;
	} cases[] = {
		{ negative, "from 4 to 6: R0=scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=255,"
			    "var_off=(0x0; 0xff)) R1=scalar(id=1-5,smin=smin32=-5,smax=smax32=250,"
			    "umin=21) R10=fp0" },
		{ copy, "3: (17) r1 -= 5                       ; R1=scalar(id=1-5,smin=smin32=-5,"
			"smax=smax32=250)" },
		{ copy, "4: (bf) r2 = r1                       ; R1=scalar(id=2,smin=smin32=-5,"
			"smax=smax32=250) R2=scalar(id=2,smin=smin32=-5,smax=smax32=250)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_on(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, cases[i].text, 0, cases[i].line, 2);
		if (kernel_cross_check())
			expect_on(VT_KERNEL, BPF_PROG_TYPE_SOCKET_FILTER, cases[i].text, 0,
				  cases[i].line, 2);
	}
}
END_TEST

/* An FNV-1a step: multiplying an 8-bit-unknown value by a constant follows 6.17's
 * tnum_mul (the union of both partial products per unknown bit); the kernel's line. */
START_TEST(multiplication_tnum_as_the_kernel)
{
	static const char text[] = "call 7\n"
				   "r0 &= 255\n"
				   "r3 = 2166136261 ll\n"
				   "r3 ^= r0\n"
				   "r3 *= 16777619\n"
				   "r0 = 0\n"
				   "exit";
	static const char line[] =
		"5: (27) r3 *= 16777619                ; R3=scalar(smin=umin=0x811d68400b2700,"
		"smax=umax=0x811d693f0cb86d,var_off=(0x811d6800000000; 0x1ffffffff))";

	expect_on(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, text, 0, line, 2);
	if (kernel_cross_check())
		expect_on(VT_KERNEL, BPF_PROG_TYPE_SOCKET_FILTER, text, 0, line, 2);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		accepts_index_bounded_by_jump, rejects_index_bounded_on_wrong_side,
		accepts_index_bounded_by_mask, rejects_mask_too_wide_for_stack,
		learns_signed_bounds, learns_32bit_bounds, prunes_dead_branch_on_constants,
		rejects_pointer_multiplication, rejects_bitwise_op_on_pointer,
		rejects_32bit_pointer_arithmetic, rejects_subtraction_from_stack_pointer,
		rejects_pointer_plus_pointer, accepts_pointer_difference_as_scalar,
		rejects_unbounded_pointer_offset, rejects_map_pointer_arithmetic,
		rejects_arithmetic_on_maybe_null, zero_extends_32bit_results,
		bounds_reach_linked_copies, bounds_reach_copies_with_constant_delta,
		modified_copy_is_not_linked, void_helper_leaves_r0_unreadable,
		sign_extension_keeps_negative_bounds, linked_copy_prints_its_delta,
		subtraction_and_copies_keep_kernel_links, multiplication_tnum_as_the_kernel, NULL,
	};
	return run_suite("verifier scalars", tests);
}
