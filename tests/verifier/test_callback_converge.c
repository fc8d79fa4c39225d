/* test_callback_converge.c - Check tests of callback iteration convergence: at a
 * callback's return to its call, scalars that changed since the previous entry and
 * were not needed precise forget their range (6.18 widen_imprecise_scalars), so a
 * counter in the caller's stack converges; each verdict and log line is also checked
 * against the real kernel. */
#include "vcheck.h"

#define FUNC(n) "0x46554e000000000" #n " ll"

/* Load `text` (program at 0, one static callback at `cb`) with BTF func_info. */
static struct vt_result load_cb(enum vt_target target, const char *text, uint32_t cb,
				uint32_t level)
{
	static struct vt_prog prog;
	const uint32_t starts[2] = { 0, cb };
	struct vt_result res;
	vt_assemble(text, fixture_maps(target), &prog);
	vt_load_funcs(target, BPF_PROG_TYPE_SOCKET_FILTER, &prog, starts, 2, level, &res);
	return res;
}

static void expect_cb_on(enum vt_target target, const char *text, uint32_t cb,
			 uint32_t level, int err, const char *line)
{
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	struct vt_result res = load_cb(target, text, cb, level);
	size_t len = strlen(res.log);
	const char *tail = len > 1500 ? res.log + len - 1500 : res.log;
	ck_assert_msg(res.err == err, "%s: expected errno %d, got %d; log:\n%s", who, err,
		      res.err, tail);
	if (line)
		ck_assert_msg(vt_log_has(res.log, line), "%s: log lacks '%s':\n%s", who, line,
			      tail);
	vt_close(target, res.fd);
	vt_result_free(&res);
}

static void expect_cb_level(const char *text, uint32_t cb, uint32_t level, int err,
			    const char *line)
{
	expect_cb_on(VT_EMU, text, cb, level, err, line);
	if (kernel_cross_check())
		expect_cb_on(VT_KERNEL, text, cb, level, err, line);
}

static void expect_cb(const char *text, uint32_t cb, int err, const char *line)
{
	expect_cb_level(text, cb, 1, err, line);
}

/* for_each over the hash map; the callback counts non-zero values into the caller's
 * u32 at fp-8 (ebpf-cc's callbacks.bpf.c count_nonzero); the callback at
 * insn 12 + (n - 7). */
#define COUNT_NONZERO(n, after) "*(u32 *)(r10 - 8) = 0\nr1 = " HASH_MAP "\nr2 = " FUNC(n) "\n" \
	"r3 = r10\nr3 += -8\nr4 = 0\ncall 164\n" after \
	"r1 = *(u64 *)(r3 + 0)\nif r1 == 0 goto +3\nr1 = *(u32 *)(r4 + 0)\nw1 += 1\n" \
	"*(u32 *)(r4 + 0) = r1\nr0 = 0\nexit\n"
#define RETURN_COUNT "r0 = *(u32 *)(r10 - 8)\nr0 &= 1\nexit\n"

START_TEST(for_each_counter_in_caller_stack_converges)
{
	expect_cb(COUNT_NONZERO(7, RETURN_COUNT), 12, 0, NULL);
}
END_TEST

START_TEST(for_each_counter_is_widened_at_the_call)
{
	/* second return to the call: the counter (1, imprecise, was 0) forgets its range */
	expect_cb_level(COUNT_NONZERO(7, RETURN_COUNT), 12, 2, 0,
			"R1=map_ptr(ks=4,vs=8) R2=func() R3=fp-8 R4=0 R10=fp0 fp-8=????scalar()");
}
END_TEST

START_TEST(precise_counter_is_not_widened)
{
	/* the counter used as a stack offset is precise: every value is explored (as in
	 * 6.18, 219 insns) until fp+16 is read */
	expect_cb(COUNT_NONZERO(9, "r1 = *(u32 *)(r10 - 8)\nr2 = r10\nr2 += r1\n"
				"r0 = *(u8 *)(r2 - 16)\nexit\n"), 14, EACCES,
		  "invalid read from stack R2 off=0 size=1");
	expect_cb(COUNT_NONZERO(9, "r1 = *(u32 *)(r10 - 8)\nr2 = r10\nr2 += r1\n"
				"r0 = *(u8 *)(r2 - 16)\nexit\n"), 14, EACCES,
		  "processed 219 insns (limit 1000000) max_states_per_insn 16 total_states 18 "
		  "peak_states 18 mark_read 0");
}
END_TEST

/* bpf_loop with an unknown count; the callback adds 1 to a u64 in the caller's stack
 * (the kernel's own example in prepare_func_exit); cb at insn 11. */
START_TEST(loop_counter_with_unknown_count_converges)
{
	expect_cb("call 7\nr1 = r0\n*(u64 *)(r10 - 8) = 0\nr2 = " FUNC(6) "\nr3 = r10\n"
		  "r3 += -8\nr4 = 0\ncall 181\nr0 = 0\nexit\n"
		  "r1 = *(u64 *)(r2 + 0)\nr1 += 1\n*(u64 *)(r2 + 0) = r1\nr0 = 0\nexit\n", 11, 0,
		  NULL);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		for_each_counter_in_caller_stack_converges,
		for_each_counter_is_widened_at_the_call, precise_counter_is_not_widened,
		loop_counter_with_unknown_count_converges,
		NULL,
	};
	return run_suite("callback_converge", tests);
}
