/* test_callbacks.c - Check tests of callbacks (bpf_loop, bpf_for_each_map_elem): the
 * callback argument, its arguments and return range, the maps and program types that
 * may use them; each verdict and log line is also checked against the real kernel. */
#include "vcheck.h"

#define FUNC(n) "0x46554e000000000" #n " ll"
#define LPM_MAP "0x4d41500000000004 ll"

static int lpm_map(enum vt_target target)
{
	static int fds[2] = { -1, -1 };
	if (fds[target] < 0)
		fds[target] = vt_map_create(target, BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16,
					    BPF_F_NO_PREALLOC);
	return fds[target];
}

/* Load `text` whose subprograms start at starts[0..count) with BTF func_info. */
static struct vt_result load_funcs(enum vt_target target, uint32_t type, const char *text,
				   const uint32_t *starts, uint32_t count, uint32_t level)
{
	static struct vt_prog prog;
	struct vt_result res;
	int maps[5];
	memcpy(maps, fixture_maps(target), 4 * sizeof(int));
	maps[4] = lpm_map(target);
	vt_assemble(text, maps, &prog);
	vt_load_funcs(target, type, &prog, starts, count, level, &res);
	return res;
}

static void expect_funcs_on(enum vt_target target, uint32_t type, const char *text,
			    const uint32_t *starts, uint32_t count, int err, const char *line)
{
	const char *who = target == VT_EMU ? "emulator" : "kernel";
	struct vt_result res = load_funcs(target, type, text, starts, count, 1);
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

/* Program + one callback starting at insn `cb`. */
static void expect_cb(uint32_t type, const char *text, uint32_t cb, int err, const char *line)
{
	const uint32_t starts[2] = { 0, cb };
	expect_funcs_on(VT_EMU, type, text, starts, 2, err, line);
	if (kernel_cross_check())
		expect_funcs_on(VT_KERNEL, type, text, starts, 2, err, line);
}

/* 0: r1 = n; 1-2: r2 = callback; 3: r3 = ctx; 4: r4 = 0; 5: call; 6,7: return; 8: cb */
#define LOOP_CALL(n, ctx) "r1 = " n "\nr2 = " FUNC(5) "\nr3 = " ctx "\nr4 = 0\n" \
	"call 181\n"

START_TEST(bpf_loop_is_allowed_in_xdp)
{
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = 0\nexit\n", 8, 0,
		  NULL);
	expect_cb(BPF_PROG_TYPE_SOCKET_FILTER, LOOP_CALL("4", "0") "r0 = 0\nexit\nr0 = 1\nexit\n",
		  8, 0, NULL);
}
END_TEST

START_TEST(callback_must_return_zero_or_one)
{
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = 2\nexit\n", 8, EINVAL,
		  "At callback return the register R0 has smin=2 smax=2 should have been in "
		  "[0, 1]");
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = r1\nexit\n", 8,
		  EINVAL, "At callback return the register R0 has unknown scalar value should "
		  "have been in [0, 1]");
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = r10\nexit\n", 8,
		  EINVAL, "cannot return stack pointer to the caller");
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = r10\nexit\n", 8,
		  EINVAL, "8: (bf) r0 = r10                      ; frame1: R0=fp0 R10=fp0 cb");
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = " HASH_MAP "\nexit\n",
		  8, EACCES, "R0 not a scalar value");
}
END_TEST

START_TEST(callback_argument_must_be_a_function)
{
	expect_cb(BPF_PROG_TYPE_XDP, "r1 = 4\nr2 = " FUNC(6) "\nr2 = 0\nr3 = 0\nr4 = 0\ncall 181\n"
		  "r0 = 2\nexit\nr0 = 0\nexit\n", 9, EACCES, "R2 type=scalar expected=func");
	expect_cb(BPF_PROG_TYPE_XDP, "r1 = 4\nr2 = " FUNC(5) "\nr3 = 1\nr4 = 0\ncall 181\n"
		  "r0 = 2\nexit\nr0 = 0\nexit\n", 8, EACCES, "R3 type=scalar expected=fp");
}
END_TEST

START_TEST(function_pointer_needs_btf_func_info)
{
	expect_type(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\nr0 = 0\nexit\n", EINVAL,
		    "missing btf func_info");
}
END_TEST

START_TEST(loop_callback_sees_index_and_context)
{
	/* ctx = fp-8 in the caller: the callback adds the index to it */
	const char *sum = "r6 = 0\n*(u64 *)(r10 - 8) = r6\nr3 = r10\nr3 += -8\n"
			  "r1 = 5\nr2 = " FUNC(4) "\nr4 = 0\ncall 181\n"
			  "r0 = *(u64 *)(r10 - 8)\nexit\n"
			  "r3 = *(u64 *)(r2 + 0)\nr3 += r1\n*(u64 *)(r2 + 0) = r3\nr0 = 0\nexit\n";
	expect_cb(BPF_PROG_TYPE_SOCKET_FILTER, sum, 11, 0, NULL);
	/* a NULL ctx is a scalar in the callback */
	expect_cb(BPF_PROG_TYPE_XDP, LOOP_CALL("4", "0") "r0 = 2\nexit\n"
		  "r0 = *(u64 *)(r2 + 0)\nr0 = 0\nexit\n", 8, EACCES,
		  "R2 invalid mem access 'scalar'");
	/* unknown iteration counts converge */
	expect_cb(BPF_PROG_TYPE_XDP, "call 7\nr1 = r0\nr2 = " FUNC(5) "\nr3 = 0\nr4 = 0\n"
		  "call 181\nr0 = 2\nexit\nr0 = 0\nexit\n", 9, 0, NULL);
}
END_TEST

START_TEST(loop_callback_runs_like_the_kernel)
{
	const char *sum = "r6 = 0\n*(u64 *)(r10 - 8) = r6\nr3 = r10\nr3 += -8\n"
			  "r1 = 5\nr2 = " FUNC(4) "\nr4 = 0\ncall 181\n"
			  "r0 = *(u64 *)(r10 - 8)\nexit\n"
			  "r3 = *(u64 *)(r2 + 0)\nr3 += r1\n*(u64 *)(r2 + 0) = r3\nr0 = 0\nexit\n";
	const uint32_t starts[2] = { 0, 11 };
	uint8_t data[64] = { 0 };
	for (int t = VT_EMU; t <= VT_KERNEL; t++) {
		if (t == VT_KERNEL && !kernel_cross_check())
			break;
		struct vt_result res = load_funcs(t, BPF_PROG_TYPE_SOCKET_FILTER, sum, starts, 2, 1);
		ck_assert_msg(res.fd >= 0, "target %d: %s", t, res.log);
		uint32_t retval = 0;
		ck_assert_int_eq(vt_test_run(t, res.fd, data, sizeof(data), &retval, NULL, NULL), 0);
		ck_assert_uint_eq(retval, 0 + 1 + 2 + 3 + 4);
		vt_close(t, res.fd);
		vt_result_free(&res);
	}
}
END_TEST

/* 0-1: r1 = map; 2-3: r2 = callback; 4: r3 = 0; 5: r4 = 0; 6: call; 7,8; 9: cb */
#define EACH_CALL(map) "r1 = " map "\nr2 = " FUNC(5) "\nr3 = 0\nr4 = 0\ncall 164\n"

START_TEST(for_each_callback_gets_key_and_value)
{
	expect_cb(BPF_PROG_TYPE_XDP, EACH_CALL(HASH_MAP) "r0 = 2\nexit\n"
		  "r0 = *(u32 *)(r2 + 0)\nr0 = *(u64 *)(r3 + 0)\nr0 = 0\nexit\n", 9, 0, NULL);
	expect_cb(BPF_PROG_TYPE_XDP, EACH_CALL(HASH_MAP) "r0 = 2\nexit\n"
		  "r0 = *(u64 *)(r3 + 8)\nr0 = 0\nexit\n", 9, EACCES,
		  "invalid access to map value, value_size=8 off=8 size=8");
	expect_cb(BPF_PROG_TYPE_XDP, EACH_CALL(ARRAY_MAP) "r0 = 2\nexit\n"
		  "r0 = *(u32 *)(r2 + 4)\nr0 = 0\nexit\n", 9, EACCES,
		  "invalid access to map key, key_size=4 off=4 size=4");
}
END_TEST

START_TEST(for_each_refuses_maps_without_iteration)
{
	expect_cb(BPF_PROG_TYPE_XDP, EACH_CALL(RINGBUF_MAP) "r0 = 2\nexit\nr0 = 0\nexit\n", 9,
		  524, "callback function not allowed for map");
	expect_cb(BPF_PROG_TYPE_XDP, EACH_CALL(LPM_MAP) "r0 = 2\nexit\nr0 = 0\nexit\n", 9,
		  524, "callback function not allowed for map");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		bpf_loop_is_allowed_in_xdp, callback_must_return_zero_or_one,
		callback_argument_must_be_a_function, function_pointer_needs_btf_func_info,
		loop_callback_sees_index_and_context, loop_callback_runs_like_the_kernel,
		for_each_callback_gets_key_and_value, for_each_refuses_maps_without_iteration,
		NULL,
	};
	return run_suite("callbacks", tests);
}
