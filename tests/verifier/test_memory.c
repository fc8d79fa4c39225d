/* test_memory.c - memory access rules: stack bounds, alignment, spills and fills,
 * map values (bounds, null checks by id), context fields per program type, packet
 * ranges learned from data_end comparisons, and accesses through non-pointers. */
#include "vcheck.h"

#define LOOKUP(map)                                                                       \
	"*(u32 *)(r10 - 4) = 0\n"                                                          \
	"r2 = r10\n"                                                                       \
	"r2 += -4\n"                                                                       \
	"r1 = " map "\n"                                                                   \
	"call 1\n"

START_TEST(accepts_stack_spill_and_fill_of_pointer)
{
	expect_ok("*(u64 *)(r10 - 8) = r1\n"
		  "r2 = *(u64 *)(r10 - 8)\n"
		  "r0 = *(u32 *)(r2 + 0)\n"
		  "exit");
}
END_TEST

START_TEST(rejects_partial_fill_of_pointer)
{
	expect_err("*(u64 *)(r10 - 8) = r1\n"
		   "r2 = *(u32 *)(r10 - 8)\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid size of register fill");
}
END_TEST

START_TEST(rejects_narrow_spill_of_pointer)
{
	expect_err("*(u32 *)(r10 - 8) = r1\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid size of register spill");
}
END_TEST

START_TEST(rejects_stack_out_of_bounds)
{
	expect_err("*(u64 *)(r10 - 520) = 0\nr0 = 0\nexit", EACCES,
		   "invalid write to stack R10 off=-520 size=8");
}
END_TEST

START_TEST(rejects_misaligned_stack_access)
{
	expect_err("r1 = 0\n*(u64 *)(r10 - 4) = r1\nr0 = 0\nexit", EACCES,
		   "misaligned stack access off 0+0+-4 size 8");
}
END_TEST

START_TEST(accepts_uninitialised_stack_read_as_root)
{
	expect_ok("r0 = *(u64 *)(r10 - 8)\nexit");
}
END_TEST

START_TEST(rejects_scalar_dereference)
{
	expect_err("r1 = 5\nr0 = *(u32 *)(r1 + 0)\nexit", EACCES, "R1 invalid mem access 'scalar'");
}
END_TEST

START_TEST(rejects_map_value_without_null_check)
{
	expect_err(LOOKUP(HASH_MAP) "r0 = *(u64 *)(r0 + 0)\nexit", EACCES,
		   "R0 invalid mem access 'map_value_or_null'");
}
END_TEST

START_TEST(accepts_map_value_after_null_check)
{
	expect_ok(LOOKUP(HASH_MAP)
		  "if r0 == 0 goto +1\n"
		  "r0 = *(u64 *)(r0 + 0)\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(propagates_null_check_to_copies)
{
	/* r6 is a copy of r0 made before the check: same id, so it is checked too */
	expect_ok(LOOKUP(HASH_MAP)
		  "r6 = r0\n"
		  "if r0 == 0 goto +1\n"
		  "r0 = *(u64 *)(r6 + 0)\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

START_TEST(rejects_map_value_out_of_bounds)
{
	expect_err(LOOKUP(HASH_MAP)
		   "if r0 == 0 goto +1\n"
		   "r0 = *(u64 *)(r0 + 4)\n"
		   "r0 = 0\n"
		   "exit", EACCES, "invalid access to map value, value_size=8 off=4 size=8");
}
END_TEST

START_TEST(accepts_constant_array_key_without_null_check)
{
	/* an array lookup with a known in-range key cannot fail (kernel 6.13+) */
	expect_ok(LOOKUP(ARRAY_MAP) "r0 = *(u64 *)(r0 + 8)\nr0 = 0\nexit");
}
END_TEST

START_TEST(rejects_variable_map_index_without_bound)
{
	expect_err(LOOKUP(HASH_MAP)
		   "if r0 == 0 goto +4\n"
		   "r1 = *(u8 *)(r0 + 0)\n"
		   "r0 += r1\n"
		   "r0 = *(u8 *)(r0 + 0)\n"
		   "r0 = 0\n"
		   "r0 = 0\n"
		   "exit", EACCES, "R0 max value is outside of the allowed memory range");
}
END_TEST

START_TEST(rejects_ctx_access_out_of_range)
{
	expect_err("r0 = *(u32 *)(r1 + 200)\nexit", EACCES,
		   "invalid bpf_context access off=200 size=4");
}
END_TEST

START_TEST(rejects_modified_ctx_dereference)
{
	expect_err("r1 += 4\nr0 = *(u32 *)(r1 + 0)\nexit", EACCES,
		   "dereference of modified ctx ptr R1 off=4 disallowed");
}
END_TEST

START_TEST(accepts_narrow_ctx_load)
{
	expect_ok("r0 = *(u16 *)(r1 + 2)\nexit");
}
END_TEST

#define XDP_PARSE(need, cmp)                                                              \
	"r2 = *(u32 *)(r1 + 0)\n"                                                          \
	"r3 = *(u32 *)(r1 + 4)\n"                                                          \
	"r4 = r2\n"                                                                        \
	"r4 += " #need "\n"                                                                \
	cmp "\n"                                                                           \
	"r0 = 1\n"                                                                         \
	"exit\n"

START_TEST(accepts_packet_read_after_bounds_check)
{
	expect_type(BPF_PROG_TYPE_XDP,
		    XDP_PARSE(14, "if r4 <= r3 goto +2")
		    "r0 = *(u8 *)(r2 + 13)\n"
		    "exit", 0, NULL);
}
END_TEST

START_TEST(rejects_packet_read_past_checked_range)
{
	expect_type(BPF_PROG_TYPE_XDP,
		    XDP_PARSE(14, "if r4 <= r3 goto +2")
		    "r0 = *(u8 *)(r2 + 14)\n"
		    "exit", EACCES, "invalid access to packet, off=14 size=1, R2(id=0,off=14,r=14)");
}
END_TEST

START_TEST(rejects_packet_read_without_check)
{
	expect_type(BPF_PROG_TYPE_XDP,
		    "r2 = *(u32 *)(r1 + 0)\n"
		    "r0 = *(u8 *)(r2 + 0)\n"
		    "exit", EACCES, "R2 offset is outside of the packet");
}
END_TEST

START_TEST(learns_open_packet_range)
{
	/* data + 8 < data_end: byte 8 is readable too */
	expect_type(BPF_PROG_TYPE_SCHED_CLS,
		    "r2 = *(u32 *)(r1 + 76)\n"
		    "r3 = *(u32 *)(r1 + 80)\n"
		    "r4 = r2\n"
		    "r4 += 8\n"
		    "if r4 < r3 goto +2\n"
		    "r0 = 0\n"
		    "exit\n"
		    "r0 = *(u8 *)(r2 + 8)\n"
		    "exit", 0, NULL);
}
END_TEST

START_TEST(rejects_packet_access_from_socket_filter)
{
	expect_err("r2 = *(u32 *)(r1 + 76)\nr0 = 0\nexit", EACCES,
		   "invalid bpf_context access off=76 size=4");
}
END_TEST

START_TEST(accepts_legacy_packet_load_with_ctx_in_r6)
{
	expect_ok("r6 = r1\nr0 = *(u8 *)skb[12]\nexit");
}
END_TEST

START_TEST(rejects_legacy_packet_load_without_ctx_in_r6)
{
	expect_err("r6 = 0\nr0 = *(u8 *)skb[12]\nexit", EINVAL,
		   "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
}
END_TEST

START_TEST(rejects_legacy_packet_load_in_xdp)
{
	expect_type(BPF_PROG_TYPE_XDP, "r6 = r1\nr0 = *(u8 *)skb[12]\nexit", EINVAL,
		    "BPF_LD_[ABS|IND] instructions not allowed for this program type");
}
END_TEST

START_TEST(legacy_packet_load_clobbers_argument_registers)
{
	expect_err("r6 = r1\nr1 = 1\nr0 = *(u16 *)skb[12]\nr0 = r1\nexit", EACCES,
		   "R1 !read_ok");
}
END_TEST

START_TEST(ctx_write_rules_per_program_type)
{
	/* __sk_buff cb[] is writable by socket filters, mark by tc, nothing by xdp */
	expect_ok("r2 = 7\n*(u32 *)(r1 + 48) = r2\nr0 = 0\nexit");
	expect_err("r2 = 7\n*(u32 *)(r1 + 8) = r2\nr0 = 0\nexit", EACCES,
		   "invalid bpf_context access off=8 size=4");
	expect_type(BPF_PROG_TYPE_SCHED_CLS, "r2 = 7\n*(u32 *)(r1 + 8) = r2\nr0 = 0\nexit", 0,
		    NULL);
	expect_type(BPF_PROG_TYPE_XDP, "r2 = 7\n*(u32 *)(r1 + 12) = r2\nr0 = 0\nexit", EACCES,
		    "invalid bpf_context access off=12 size=4");
}
END_TEST

START_TEST(tracing_contexts_are_read_only)
{
	expect_type(BPF_PROG_TYPE_KPROBE, "r0 = *(u64 *)(r1 + 160)\nexit", 0, NULL);
	expect_type(BPF_PROG_TYPE_KPROBE, "r0 = *(u64 *)(r1 + 168)\nexit", EACCES,
		    "invalid bpf_context access off=168 size=8");
	expect_type(BPF_PROG_TYPE_KPROBE, "r2 = 0\n*(u64 *)(r1 + 0) = r2\nr0 = 0\nexit",
		    EACCES, "invalid bpf_context access off=0 size=8");
}
END_TEST

START_TEST(root_may_store_pointers_into_map_values)
{
	expect_ok("*(u32 *)(r10 - 4) = 0\n"
		  "r2 = r10\n"
		  "r2 += -4\n"
		  "r1 = " HASH_MAP "\n"
		  "call 1\n"
		  "if r0 == 0 goto +1\n"
		  "*(u64 *)(r0 + 0) = r10\n"
		  "r0 = 0\n"
		  "exit");
}
END_TEST

/* A fetch into the address register itself: the store that follows goes through the
 * fetched scalar (the kernel checks the store after the fetch). */
START_TEST(atomic_fetch_into_its_address_register)
{
	expect_quiet(BPF_PROG_TYPE_SOCKET_FILTER,
		     "*(u64 *)(r10 - 16) = 2\nr8 = r10\nr8 += -16\nr0 = 1\n"
		     "w8 = atomic_fetch_or((u32 *)(r8 + 0), w8)\nexit", EACCES);
	expect_quiet(BPF_PROG_TYPE_SOCKET_FILTER,
		     "*(u64 *)(r10 - 16) = 2\nr8 = r10\nr8 += -16\nr2 = 5\nr0 = 1\n"
		     "w2 = atomic_fetch_or((u32 *)(r8 + 0), w2)\nexit", 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		atomic_fetch_into_its_address_register,
		accepts_stack_spill_and_fill_of_pointer, rejects_partial_fill_of_pointer,
		rejects_narrow_spill_of_pointer, rejects_stack_out_of_bounds,
		rejects_misaligned_stack_access, accepts_uninitialised_stack_read_as_root,
		rejects_scalar_dereference, rejects_map_value_without_null_check,
		accepts_map_value_after_null_check, propagates_null_check_to_copies,
		rejects_map_value_out_of_bounds, accepts_constant_array_key_without_null_check,
		rejects_variable_map_index_without_bound, rejects_ctx_access_out_of_range,
		rejects_modified_ctx_dereference, accepts_narrow_ctx_load,
		accepts_packet_read_after_bounds_check, rejects_packet_read_past_checked_range,
		rejects_packet_read_without_check, learns_open_packet_range,
		rejects_packet_access_from_socket_filter,
		accepts_legacy_packet_load_with_ctx_in_r6,
		rejects_legacy_packet_load_without_ctx_in_r6, rejects_legacy_packet_load_in_xdp,
		legacy_packet_load_clobbers_argument_registers, ctx_write_rules_per_program_type,
		tracing_contexts_are_read_only, root_may_store_pointers_into_map_values, NULL,
	};
	return run_suite("verifier memory", tests);
}
