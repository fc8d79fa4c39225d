/* test_structure.c - the structural pass: opcodes, reserved fields, ld_imm64 pairs,
 * jump ranges, fall-through past the end, unreachable insns, bounded and infinite
 * loops, the processed-insn budget, subprogram calls and their stack. */
#include "vcheck.h"

START_TEST(accepts_minimal_program)
{
	expect_ok("r0 = 0\nexit");
}
END_TEST

START_TEST(rejects_uninitialised_r0_at_exit)
{
	expect_err("exit", EACCES, "R0 !read_ok");
}
END_TEST

START_TEST(rejects_jump_out_of_range)
{
	expect_err("r0 = 0\ngoto +5\nexit", EINVAL, "jump out of range from insn 1 to 7");
}
END_TEST

START_TEST(rejects_fall_through_past_end)
{
	expect_err("r0 = 0\nr0 += 1", EINVAL, "last insn is not an exit or jmp");
}
END_TEST

START_TEST(rejects_unreachable_insn)
{
	expect_err("r0 = 0\nexit\nr0 = 1\nexit", EINVAL, "unreachable insn 2");
}
END_TEST

START_TEST(rejects_jump_into_ld_imm64)
{
	expect_err("r0 = 0\nif r0 == 0 goto +1\nr1 = 0x1122334455 ll\nexit", EINVAL,
		   "jump into the middle of ldimm64 insn 2");
}
END_TEST

START_TEST(rejects_bad_map_fd)
{
	expect_err("r1 = 0x4d41500000008fff ll\nr0 = 0\nexit", EBADF,
		   "fd 4095 is not pointing to valid bpf_map");
}
END_TEST

START_TEST(rejects_write_to_frame_pointer)
{
	expect_err("r10 = 0\nr0 = 0\nexit", EACCES, "frame pointer is read only");
}
END_TEST

START_TEST(rejects_division_by_constant_zero)
{
	expect_err("r0 = 1\nr0 /= 0\nexit", EINVAL, "div by zero");
}
END_TEST

START_TEST(rejects_shift_out_of_range)
{
	expect_err("r0 = 1\nr0 <<= 64\nexit", EINVAL, "invalid shift 64");
}
END_TEST

START_TEST(accepts_bounded_loop)
{
	expect_ok("r0 = 0\n"
		  "r0 += 1\n"
		  "if r0 < 10 goto -2\n"
		  "exit");
}
END_TEST

START_TEST(rejects_infinite_loop)
{
	expect_err("r0 = 0\nif r0 == 0 goto -1\nexit", EINVAL, "infinite loop detected at insn 1");
}
END_TEST

START_TEST(rejects_loop_over_the_budget)
{
	/* the message itself is checked in test_log (the level-1 log of 1M insns is
	 * larger than any test buffer) */
	expect_quiet(BPF_PROG_TYPE_SOCKET_FILTER, "r0 = 0\n"
		     "r0 += 1\n"
		     "if r0 != 0 goto -2\n"
		     "exit", E2BIG);
}
END_TEST

START_TEST(accepts_subprogram_call)
{
	expect_ok("r1 = 5\n"
		  "call pc+2\n"
		  "r0 += 1\n"
		  "exit\n"
		  "r0 = r1\n"
		  "exit");
}
END_TEST

START_TEST(rejects_subprogram_reading_caller_scratch_regs)
{
	/* r6 is callee-saved in the caller but not initialised in the callee */
	expect_err("r6 = 5\n"
		   "call pc+2\n"
		   "r0 = 0\n"
		   "exit\n"
		   "r0 = r6\n"
		   "exit", EACCES, "R6 !read_ok");
}
END_TEST

START_TEST(rejects_caller_scratch_regs_after_call)
{
	expect_err("r1 = 5\n"
		   "call pc+3\n"
		   "r0 = r1\n"
		   "r0 = 0\n"
		   "exit\n"
		   "r0 = 1\n"
		   "exit", EACCES, "R1 !read_ok");
}
END_TEST

START_TEST(rejects_combined_stack_too_large)
{
	expect_err("*(u64 *)(r10 - 512) = 0\n"
		   "call pc+2\n"
		   "r0 = 0\n"
		   "exit\n"
		   "*(u64 *)(r10 - 16) = 0\n"
		   "r0 = 0\n"
		   "exit", EACCES, "combined stack size of 2 calls is 528. Too large");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		accepts_minimal_program, rejects_uninitialised_r0_at_exit,
		rejects_jump_out_of_range, rejects_fall_through_past_end,
		rejects_unreachable_insn, rejects_jump_into_ld_imm64, rejects_bad_map_fd,
		rejects_write_to_frame_pointer, rejects_division_by_constant_zero,
		rejects_shift_out_of_range, accepts_bounded_loop, rejects_infinite_loop,
		rejects_loop_over_the_budget, accepts_subprogram_call,
		rejects_subprogram_reading_caller_scratch_regs,
		rejects_caller_scratch_regs_after_call, rejects_combined_stack_too_large, NULL,
	};
	return run_suite("verifier structure", tests);
}
