/* test_flow_keys.c - Check tests of the flow dissector's keys (__sk_buff.flow_keys, a
 * PTR_TO_FLOW_KEYS): loads and stores anywhere inside struct bpf_flow_keys, at a fixed
 * offset (kernel check_flow_keys_access), refused outside it. Each verdict and log line
 * is also checked against the real kernel. */
#include "vcheck.h"

#define KEYS "r2 = *(u64 *)(r1 + 144)\n"

static void expect_dissector(const char *text, int err, const char *line)
{
	expect_type(BPF_PROG_TYPE_FLOW_DISSECTOR, text, err, line);
}

START_TEST(flow_keys_fields_are_readable_and_writable)
{
	expect_dissector(KEYS "r0 = *(u16 *)(r2 + 10)\nr0 = *(u32 *)(r2 + 52)\n"
			 "r0 = *(u8 *)(r2 + 55)\nr0 = 0\nexit\n", 0, NULL);
	expect_dissector(KEYS "r3 = 14\n*(u16 *)(r2 + 0) = r3\n*(u32 *)(r2 + 48) = r3\n"
			 "r0 = 0\nexit\n", 0, NULL);
	/* a fixed offset added to the pointer counts too */
	expect_dissector(KEYS "r2 += 8\nr0 = *(u16 *)(r2 + 2)\nr0 = 0\nexit\n", 0, NULL);
}
END_TEST

START_TEST(flow_keys_access_outside_the_struct_is_refused)
{
	expect_dissector(KEYS "r0 = *(u8 *)(r2 + 56)\nr0 = 0\nexit\n", EACCES,
			 "invalid access to flow keys off=56 size=1");
	expect_dissector(KEYS "r0 = *(u32 *)(r2 + 54)\nr0 = 0\nexit\n", EACCES,
			 "invalid access to flow keys off=54 size=4");
	expect_dissector(KEYS "r2 += -2\nr0 = *(u16 *)(r2 + 0)\nr0 = 0\nexit\n", EACCES,
			 "invalid access to flow keys off=-2 size=2");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		flow_keys_fields_are_readable_and_writable,
		flow_keys_access_outside_the_struct_is_refused,
		NULL,
	};
	return run_suite("flow_keys", tests);
}
