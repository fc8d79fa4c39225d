/* test_spill_narrow.c - Check tests of narrow (1/2/4-byte) stack spills as 6.18 tracks
 * them: a scalar spilled at the start of a slot stays a scalar, one spilled elsewhere
 * is data; writes next to a narrow spill, by the program or a helper, keep or destroy
 * it as check_stack_write_fixed_off and check_stack_range_initialized do; a slot above
 * a helper's key is dead. Each verdict and log line is also checked against the real
 * kernel. */
#include "vcheck.h"

/* Verdict and log line at log level 2 (spill slots are only printed there). */
static void expect_level2(const char *text, int err, const char *line)
{
	expect_on(VT_EMU, BPF_PROG_TYPE_SOCKET_FILTER, text, err, line, 2);
	if (kernel_cross_check())
		expect_on(VT_KERNEL, BPF_PROG_TYPE_SOCKET_FILTER, text, err, line, 2);
}

START_TEST(u32_spill_at_slot_start_stays_a_scalar)
{
	const char *text = "r1 = 5\n*(u32 *)(r10 - 8) = r1\nr2 = *(u32 *)(r10 - 8)\n"
			   "r0 = r2\nexit\n";
	expect_level2(text, 0, "fp-8=????5");
	expect_level2(text, 0, "R2=5 R10=fp0 fp-8=????5");
	/* a byte and a half-word spill the same way */
	expect_level2("r1 = 9\n*(u8 *)(r10 - 16) = r1\nr0 = *(u8 *)(r10 - 16)\nexit\n", 0,
		      "fp-16=???????9");
	expect_level2("r1 = 9\n*(u16 *)(r10 - 16) = r1\nr0 = *(u16 *)(r10 - 16)\nexit\n", 0,
		      "R0=9 R10=fp0 fp-16=??????9");
}
END_TEST

START_TEST(u32_spill_inside_a_slot_is_data)
{
	const char *text = "r1 = 5\n*(u32 *)(r10 - 4) = r1\nr2 = *(u32 *)(r10 - 4)\n"
			   "r0 = r2\nexit\n";
	expect_level2(text, 0, "fp-8=mmmm????");
	expect_level2(text, 0, "R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))");
	/* a zero written there is known zero bytes */
	expect_level2("r1 = 0\n*(u32 *)(r10 - 4) = r1\nr0 = *(u32 *)(r10 - 4)\nexit\n", 0,
		      "fp-8=0000????");
}
END_TEST

/* clang's `for (__u32 k = 0; k < 6; k++) bpf_map_update_elem(&m, &k, &w, 0)` with k
 * at fp-12: the counter is data, its states repeat, and 6.18 says so too. */
#define LOOP_BODY(k) "r2 = r10\nr2 += " k "\nr3 = r10\nr3 += -24\nr1 = " HASH_MAP "\n" \
	"r4 = 0\ncall 2\nr1 = *(u32 *)(r10 " k ")\nr1 += 1\n*(u32 *)(r10 " k ") = r1\n" \
	"r1 <<= 32\nr1 >>= 32\nif r6 > r1 goto -14\nr0 = 0\nexit\n"

START_TEST(loop_counter_inside_a_slot_is_an_infinite_loop)
{
	expect_err("r1 = 0\n*(u32 *)(r10 - 12) = r1\nr6 = 6\n" LOOP_BODY("- 12"), EINVAL,
		   "infinite loop detected at insn 11");
}
END_TEST

START_TEST(loop_counter_at_slot_start_terminates)
{
	expect_ok("r1 = 0\n*(u32 *)(r10 - 16) = r1\nr6 = 6\n" LOOP_BODY("- 16"));
}
END_TEST

/* fp-8 = zero bytes above a 4-byte spill of 7 ("00007"), then `store`; R9 is read
 * (and refused) unless the u32 at fp-8 (or fp-4 with `at`) is still known. */
#define NARROW_SPILL_ON_ZEROS "r6 = r1\ncall 7\nr7 = r0\nr1 = 0\n*(u32 *)(r10 - 4) = r1\n" \
	"r1 = 7\n*(u32 *)(r10 - 8) = r1\n"
#define STILL_KNOWN(at, value) "r2 = *(u32 *)(r10 - " at ")\nif r2 == " value " goto +1\n" \
	"r0 = r9\nr0 = 0\nexit\n"

START_TEST(narrow_spill_on_zeros_prints_both)
{
	expect_level2(NARROW_SPILL_ON_ZEROS STILL_KNOWN("8", "7"), 0, "fp-8=00007");
	expect_ok(NARROW_SPILL_ON_ZEROS STILL_KNOWN("4", "0"));
}
END_TEST

START_TEST(store_into_spilled_slot_makes_its_zeros_misc)
{
	/* kernel scrub_spilled_slot: the zero bytes go too, not only the spill */
	expect_err(NARROW_SPILL_ON_ZEROS "*(u16 *)(r10 - 6) = r7\n" STILL_KNOWN("4", "0"), EACCES,
		   "R9 !read_ok");
	expect_err(NARROW_SPILL_ON_ZEROS "*(u16 *)(r10 - 6) = r7\n" STILL_KNOWN("8", "7"), EACCES,
		   "R9 !read_ok");
}
END_TEST

/* bpf_skb_load_bytes(skb, 0, fp-4, len) writes the zero bytes beside the spill. */
#define LOAD_BYTES(len) "r1 = r6\nr2 = 0\nr3 = r10\nr3 += -4\nr4 = " len "\ncall 26\n"

START_TEST(raw_helper_write_beside_narrow_spill_destroys_it)
{
	/* constant size: raw mode, byte stores that scrub the whole slot */
	expect_err(NARROW_SPILL_ON_ZEROS LOAD_BYTES("4") STILL_KNOWN("8", "7"), EACCES,
		   "R9 !read_ok");
}
END_TEST

START_TEST(clobbering_helper_write_beside_narrow_spill_keeps_it)
{
	/* variable size: no raw mode; only the written zero bytes become misc */
	const char *text = NARROW_SPILL_ON_ZEROS "r7 &= 3\nr7 += 1\n" LOAD_BYTES("r7")
		STILL_KNOWN("8", "7");
	expect_ok(text);
	expect_level2(text, 0, "fp-8=mmmm7");
	expect_err(NARROW_SPILL_ON_ZEROS "r7 &= 3\nr7 += 1\n" LOAD_BYTES("r7")
		   STILL_KNOWN("4", "0"), EACCES, "R9 !read_ok");
}
END_TEST

/* r3 = fp + (0 or 1); a byte stored at r3 - 7 lands in fp-7 or fp-6 of the slot. */
#define VAR_STORE(value) "r2 = r0\nr2 &= 1\nr3 = r10\nr3 += r2\nr4 = " value "\n" \
	"*(u8 *)(r3 - 7) = r4\nr5 = *(u64 *)(r10 - 8)\n"

START_TEST(variable_offset_store_into_a_spill_makes_it_misc)
{
	/* 6.18 forgets a spill whose slot may be touched, even beside its bytes (we kept
	 * the u32 spill of 7 and accepted this program) */
	expect_err("call 7\nr1 = 7\n*(u32 *)(r10 - 8) = r1\nr2 = r0\nr2 &= 1\nr3 = r10\n"
		   "r3 += r2\nr4 = 9\n*(u8 *)(r3 - 3) = r4\nr5 = *(u32 *)(r10 - 8)\n"
		   "if r5 == 7 goto +1\nr0 = r9\nr0 = 0\nexit\n", EACCES, "R9 !read_ok");
	/* a spilled pointer too, for root (we refused it) */
	expect_level2("r6 = r1\ncall 7\n*(u64 *)(r10 - 8) = r6\n" VAR_STORE("9")
		      "r0 = 0\nexit\n", 0, "R5=scalar() R10=fp0 fp-8=mmmmmmmm");
	/* zero over a spilled zero keeps it */
	expect_level2("call 7\nr1 = 0\n*(u64 *)(r10 - 8) = r1\n" VAR_STORE("0")
		      "r0 = 0\nexit\n", 0, "R5=0 R10=fp0 fp-8=0");
}
END_TEST

/* A helper reads its key's 4 bytes, not the stack above: fp-8 (ctx spilled on one path,
 * misc on the other) is dead at the join, which prunes as in 6.18. */
START_TEST(slot_above_a_helper_key_is_dead)
{
	const char *text = "r9 = r1\ncall 7\nr1 = 0\nr2 = 0\nr3 = 0\nr4 = 0\nr5 = 0\nr6 = 0\n"
			   "r7 = 0\n*(u64 *)(r10 - 16) = r1\nif r0 > 5 goto +2\n"
			   "*(u64 *)(r10 - 8) = r9\ngoto +1\n*(u32 *)(r10 - 4) = r0\n"
			   "r1 = " HASH_MAP "\nr2 = r10\nr2 += -16\ncall 1\nr0 = 0\nexit\n";
	expect_level2(text, 0, "14: safe");
	expect_level2(text, 0, "processed 21 insns (limit 1000000) max_states_per_insn 0 "
		      "total_states 1 peak_states 1 mark_read 0");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		u32_spill_at_slot_start_stays_a_scalar, u32_spill_inside_a_slot_is_data,
		loop_counter_inside_a_slot_is_an_infinite_loop,
		loop_counter_at_slot_start_terminates, narrow_spill_on_zeros_prints_both,
		store_into_spilled_slot_makes_its_zeros_misc,
		raw_helper_write_beside_narrow_spill_destroys_it,
		clobbering_helper_write_beside_narrow_spill_keeps_it,
		slot_above_a_helper_key_is_dead,
		variable_offset_store_into_a_spill_makes_it_misc,
		NULL,
	};
	return run_suite("spill_narrow", tests);
}
