/* test_calls.c - helper calls against the prototype table (argument kinds, sizes, map
 * arguments), helpers allowed per program type, GPL-only helpers, ringbuf reference
 * tracking, caller-saved registers, and return-value ranges per program type. */
#include "vcheck.h"

START_TEST(rejects_scalar_as_map_key)
{
	expect_err("r1 = " HASH_MAP "\nr2 = 0\ncall 1\nr0 = 0\nexit", EACCES,
		   "R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, "
		   "ringbuf_mem, buf, trusted_ptr_");
}
END_TEST

START_TEST(rejects_ctx_as_map)
{
	expect_err("r2 = r10\nr2 += -4\ncall 1\nr0 = 0\nexit", EACCES,
		   "R1 type=ctx expected=map_ptr");
}
END_TEST

START_TEST(rejects_stack_pointer_as_ctx)
{
	expect_err("r1 = r10\nr2 = " PROG_ARRAY_MAP "\nr3 = 0\ncall 12\nr0 = 0\nexit", EACCES,
		   "R1 type=fp expected=ctx");
}
END_TEST

START_TEST(rejects_key_outside_stack)
{
	expect_err("r1 = " HASH_MAP "\nr2 = r10\nr2 += -2\ncall 1\nr0 = 0\nexit", EINVAL,
		   "invalid read from stack R2 off=-2 size=4");
}
END_TEST

START_TEST(rejects_zero_size_where_size_required)
{
	expect_err("r1 = r10\nr1 += -8\nr2 = 0\ncall 6\nr0 = 0\nexit", EACCES,
		   "R2 invalid zero-sized read");
}
END_TEST

START_TEST(accepts_trace_printk_of_stack_string)
{
	expect_ok("*(u64 *)(r10 - 8) = 0x6968\n"
		  "r1 = r10\n"
		  "r1 += -8\n"
		  "r2 = 3\n"
		  "call 6\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_helper_not_allowed_for_type)
{
	expect_err("call 44\nr0 = 0\nexit", EINVAL,
		   "program of this type cannot use helper bpf_xdp_adjust_head#44");
}
END_TEST

START_TEST(rejects_unknown_helper)
{
	expect_err("call 9999\nr0 = 0\nexit", EINVAL, "invalid func unknown#9999");
}
END_TEST

START_TEST(clobbers_caller_saved_registers)
{
	expect_err("r1 = 1\ncall 5\nr0 = r1\nexit", EACCES, "R1 !read_ok");
}
END_TEST

START_TEST(rejects_wrong_map_type_for_helper)
{
	expect_err("r1 = " HASH_MAP "\nr2 = 8\nr3 = 0\ncall 131\nr0 = 0\nexit", EINVAL,
		   "cannot pass map_type 1 into func bpf_ringbuf_reserve#131");
}
END_TEST

#define RESERVE                                                                           \
	"r1 = " RINGBUF_MAP "\n"                                                           \
	"r2 = 8\n"                                                                         \
	"r3 = 0\n"                                                                         \
	"call 131\n"

START_TEST(rejects_unreleased_ringbuf_record)
{
	expect_err(RESERVE "r0 = 0\nexit", EINVAL, "Unreleased reference id=2 alloc_insn=4");
}
END_TEST

START_TEST(accepts_reserve_submit)
{
	expect_ok(RESERVE
		  "if r0 == 0 goto +4\n"
		  "*(u64 *)(r0 + 0) = 1\n"
		  "r1 = r0\n"
		  "r2 = 0\n"
		  "call 132\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_record_write_past_its_size)
{
	expect_err(RESERVE
		   "if r0 == 0 goto +4\n"
		   "*(u64 *)(r0 + 8) = 1\n"
		   "r1 = r0\n"
		   "r2 = 0\n"
		   "call 132\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid access to memory, mem_size=8 off=8 size=8");
}
END_TEST

START_TEST(rejects_use_after_submit)
{
	expect_err(RESERVE
		   "if r0 == 0 goto +5\n"
		   "r6 = r0\n"
		   "r1 = r0\n"
		   "r2 = 0\n"
		   "call 132\n"
		   "*(u64 *)(r6 + 0) = 1\n"
		   "r0 = 0\n"
		   "exit", EACCES, "R6 invalid mem access 'scalar'");
}
END_TEST

START_TEST(rejects_submit_without_null_check)
{
	expect_err(RESERVE "r1 = r0\nr2 = 0\ncall 132\nr0 = 0\nexit", EACCES,
		   "R1 type=ringbuf_mem_or_null expected=ringbuf_mem");
}
END_TEST

START_TEST(rejects_gpl_helper_from_non_gpl)
{
	static struct vt_prog prog;
	struct vt_result res;
	vt_assemble("call 35\nr0 = 0\nexit", fixture_maps(VT_EMU), &prog);
	vt_load(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, &prog, "Dual BSD", 1, &res);
	ck_assert_int_eq(res.err, EINVAL);
	ck_assert(vt_log_has(res.log,
			     "cannot call GPL-restricted function from non-GPL compatible program"));
	vt_result_free(&res);
}
END_TEST

START_TEST(checks_return_range_of_cgroup_skb)
{
	expect_type(BPF_PROG_TYPE_CGROUP_SKB, "r0 = 5\nexit", EINVAL,
		    "At program exit the register R0 has smin=5 smax=5 should have been in [0, 1]");
	expect_type(BPF_PROG_TYPE_CGROUP_SKB, "r0 = 1\nexit", 0, NULL);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		rejects_scalar_as_map_key, rejects_ctx_as_map, rejects_stack_pointer_as_ctx,
		rejects_key_outside_stack, rejects_zero_size_where_size_required,
		accepts_trace_printk_of_stack_string, rejects_helper_not_allowed_for_type,
		rejects_unknown_helper, clobbers_caller_saved_registers,
		rejects_wrong_map_type_for_helper, rejects_unreleased_ringbuf_record,
		accepts_reserve_submit, rejects_record_write_past_its_size,
		rejects_use_after_submit, rejects_submit_without_null_check,
		rejects_gpl_helper_from_non_gpl, checks_return_range_of_cgroup_skb, NULL,
	};
	return run_suite("verifier calls", tests);
}
