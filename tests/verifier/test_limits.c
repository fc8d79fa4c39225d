/* test_limits.c - Check tests of the complexity limits on pathological programs: more
 * than 8192 pending branches (from jumps: EFAULT, from callback calls: ENOMEM, as 6.18's
 * push_stack failures), and the 1M processed-insn budget reached at the end of an
 * 8-deep call chain; each ends with the kernel's errno and message, quickly. Each is
 * also checked against the real kernel. */
#include "vcheck.h"

#define FUNC(n) "0x46554e000000000" #n " ll"

/* A loop of 10000 rounds that leaves one pending branch per round. */
#define FORKING_LOOP "call 7\nr6 = r0\nr7 = 0\nif r6 == r7 goto +0\nr7 += 1\n" \
	"if r7 < 10000 goto -3\nr0 = 0\nexit\n"

START_TEST(more_than_8192_pending_branches_is_too_complex)
{
	expect_quiet(BPF_PROG_TYPE_SOCKET_FILTER, FORKING_LOOP, EFAULT);
	/* the level-1 log (one 24580-insn path) overflows the buffer: ENOSPC, last line kept */
	expect_type(BPF_PROG_TYPE_SOCKET_FILTER, FORKING_LOOP, ENOSPC,
		    "The sequence of 8193 jumps is too complex.");
}
END_TEST

/* A loop of 10000 bpf_loop calls: each leaves its callback's state pending. */
#define CALLBACK_LOOP "r7 = 0\nr1 = 1\nr2 = " FUNC(7) "\nr3 = 0\nr4 = 0\ncall 181\n" \
	"r7 += 1\nif r7 < 10000 goto -8\nr0 = 0\nexit\nr0 = 0\nexit\n"

static void expect_callback_loop_on(enum vt_target target)
{
	static struct vt_prog prog;
	const uint32_t starts[2] = { 0, 11 };
	struct vt_result res;
	vt_assemble(CALLBACK_LOOP, fixture_maps(target), &prog);
	vt_load_funcs(target, BPF_PROG_TYPE_SOCKET_FILTER, &prog, starts, 2, 0, &res);
	ck_assert_msg(res.err == ENOMEM, "%s: expected ENOMEM, got %d",
		      target == VT_EMU ? "emulator" : "kernel", res.err);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

START_TEST(more_than_8192_pending_callbacks_is_out_of_memory)
{
	expect_callback_loop_on(VT_EMU);
	if (kernel_cross_check())
		expect_callback_loop_on(VT_KERNEL);
}
END_TEST

/* main -> f1 -> ... -> f7 (8 frames), a counting loop in f7 that never converges. */
#define DEEP_LOOP "call pc+2\nr0 = 0\nexit\n" \
	"call pc+1\nexit\ncall pc+1\nexit\ncall pc+1\nexit\ncall pc+1\nexit\n" \
	"call pc+1\nexit\ncall pc+1\nexit\n" \
	"r1 = 0\nr1 += 1\nif r1 < 10000000 goto -2\nr0 = 0\nexit\n"

START_TEST(insn_budget_at_the_end_of_a_deep_call_chain)
{
	expect_quiet(BPF_PROG_TYPE_SOCKET_FILTER, DEEP_LOOP, E2BIG);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		more_than_8192_pending_branches_is_too_complex,
		more_than_8192_pending_callbacks_is_out_of_memory,
		insn_budget_at_the_end_of_a_deep_call_chain,
		NULL,
	};
	return run_suite("limits", tests);
}
