/* test_checked.c - checked execution: hand-built programs run without the verifier
 * whose out-of-bounds stack, ctx, packet and map-value accesses must be caught with the
 * exact report, and verified programs that must run clean. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_builder.h"
#include "../../kernel/progtype.h"

#define OP(name) OBJFMT_OP_##name
enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

static void checked_on(void)
{
	struct emu_run_config config;

	emu_run_config_reset();
	emu_run_config_get(&config);
	config.checked = 1;
	ck_assert_int_eq(emu_run_config_set(&config), 0);
}

static void checked_off(void)
{
	emu_run_config_reset();
}

/* Run `b` (no verifier) in checked mode with the given ctx; returns the fault (0 or
 * -EFAULT) and leaves the report in msg. */
static int run_checked(struct builder *b, uint32_t type, void *ctx, uint32_t ctx_size,
		       uint8_t *buf, uint32_t buf_size, char msg[128], uint64_t *r0)
{
	struct emu_prog prog;
	struct emu_run run;
	uint64_t result;

	builder_prepare(b, &prog, type);
	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	run.ctx_size = ctx_size;
	run.buf = buf;
	run.buf_size = buf_size;
	result = emu_interp_run(&run, &prog, (uint64_t)(uintptr_t)ctx, 0);
	if (r0)
		*r0 = result;
	memcpy(msg, run.fault_msg, sizeof(run.fault_msg));
	emu_interp_release(&prog);
	return run.fault;
}

/* Expect a violation with exactly `want` as the report, counted once. */
static void expect_violation(struct builder *b, uint32_t type, void *ctx, uint32_t ctx_size,
			     uint8_t *buf, uint32_t buf_size, const char *want)
{
	unsigned long before = emu_checked_violations();
	char msg[128];

	checked_on();
	ck_assert_int_eq(run_checked(b, type, ctx, ctx_size, buf, buf_size, msg, NULL), -EFAULT);
	checked_off();
	ck_assert_str_eq(msg, want);
	ck_assert_str_eq(emu_checked_last_report(), want);
	ck_assert_uint_eq(emu_checked_violations(), before + 1);
}

START_TEST(stack_in_bounds_runs_clean)
{
	struct builder b = { .cnt = 0 };
	uint64_t ctx[4] = { 0 }, r0 = 0;
	char msg[128];

	emit(&b, OP(STDW), R10, 0, -512, 7);
	emit(&b, OP(MOV64_IMM), R1, 0, 0, 5);
	emit(&b, OP(STXDW), R10, R1, -8, 0);
	emit(&b, OP(LDXDW), R0, R10, -8, 0);
	emit(&b, OP(LDXDW), R2, R10, -512, 0);
	emit(&b, OP(ADD64_REG), R0, R2, 0, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	checked_on();
	ck_assert_int_eq(run_checked(&b, BPF_PROG_TYPE_SOCKET_FILTER, ctx, sizeof(ctx), NULL, 0,
				     msg, &r0), 0);
	checked_off();
	ck_assert_uint_eq(r0, 12);
}
END_TEST

START_TEST(stack_above_frame_is_caught)
{
	struct builder b = { .cnt = 0 };

	emit(&b, OP(MOV64_IMM), R0, 0, 0, 0);
	emit(&b, OP(STXDW), R10, R0, 0, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 1: store of 8 bytes at stack+512 out of bounds");
}
END_TEST

START_TEST(stack_below_frame_is_caught)
{
	struct builder b = { .cnt = 0 };

	emit(&b, OP(LDXW), R0, R10, -516, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 0: load of 4 bytes at stack-4 out of bounds");
}
END_TEST

/* A callee may use its caller's frame through a pointer, not the frame above its own. */
START_TEST(callee_frames_are_checked)
{
	struct builder b = { .cnt = 0 };
	uint64_t r0 = 0;
	char msg[128];

	emit(&b, OP(STDW), R10, 0, -8, 40);
	emit(&b, OP(MOV64_REG), R1, R10, 0, 0);
	emit(&b, OP(ADD64_IMM), R1, 0, 0, -8);
	emit(&b, OBJFMT_OP_CALL, 0, OBJFMT_CALL_LOCAL, 0, 1);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	emit(&b, OP(LDXDW), R0, R1, 0, 0);     /* caller's fp-8: allowed */
	emit(&b, OP(ADD64_IMM), R0, 0, 0, 2);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	checked_on();
	ck_assert_int_eq(run_checked(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0, msg,
				     &r0), 0);
	checked_off();
	ck_assert_uint_eq(r0, 42);
	b.insns[5].off = 520; /* the callee reads past its own frame */
	b.insns[5].src_reg = R10;
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 5: load of 8 bytes at stack+1032 out of bounds");
}
END_TEST

START_TEST(ctx_past_its_end_is_caught)
{
	struct builder b = { .cnt = 0 };
	uint64_t regs[21] = { 0 };

	emit(&b, OP(LDXDW), R0, R1, 20 * 8, 0);
	emit(&b, OP(LDXDW), R0, R1, 21 * 8, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_KPROBE, regs, sizeof(regs), NULL, 0,
			 "checked execution: insn 1: load of 8 bytes at ctx+168 out of bounds");
}
END_TEST

/* skb ctx with a 64-byte packet at buf + 32: data_end + 0 is one byte too far. */
START_TEST(packet_past_data_end_is_caught)
{
	struct builder b = { .cnt = 0 };
	struct emu_ctx_skb skb;
	uint8_t *buf = calloc(1, 256);

	ck_assert_ptr_nonnull(buf);
	memset(&skb, 0, sizeof(skb));
	skb.data = skb.data_meta = (uint64_t)(uintptr_t)(buf + 32);
	skb.data_end = skb.data + 64;
	emit(&b, OP(LDXDW), R2, R1, offsetof(struct emu_ctx_skb, data), 0);
	emit(&b, OP(LDXB), R0, R2, 63, 0);
	emit(&b, OP(LDXH), R0, R2, 63, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_SCHED_CLS, &skb, sizeof(skb), buf, 256,
			 "checked execution: insn 2: load of 2 bytes at packet+63 out of bounds");
	free(buf);
}
END_TEST

static int array_map(uint32_t value_size)
{
	union bpf_attr attr = { 0 };
	int fd;

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = value_size;
	attr.max_entries = 4;
	fd = emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* lookup(map, &key) then a store at value + off of `size` bytes. */
static void emit_lookup_and_store(struct builder *b, int fd, enum objfmt_op store, int16_t off)
{
	emit(b, OP(STW), R10, 0, -4, 1);
	emit(b, OP(MOV64_REG), R2, R10, 0, 0);
	emit(b, OP(ADD64_IMM), R2, 0, 0, -4);
	emit(b, OP(LDDW), R1, OBJFMT_PSEUDO_MAP_FD, 0, fd);
	emit(b, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit(b, OP(JEQ_IMM), R0, 0, 1, 0);
	emit(b, store, R0, 0, off, 9);
	emit(b, OP(MOV64_IMM), R0, 0, 0, 0);
	emit(b, OP(EXIT), 0, 0, 0, 0);
}

START_TEST(map_value_past_value_size_is_caught)
{
	struct builder b = { .cnt = 0 };
	int fd = array_map(12);
	char msg[128];

	emit_lookup_and_store(&b, fd, OP(STW), 8);
	checked_on();
	ck_assert_int_eq(run_checked(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0, msg,
				     NULL), 0);
	checked_off();
	b.cnt = 0;
	emit_lookup_and_store(&b, fd, OP(STDW), 8);
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 7: store of 8 bytes at map value+8 out of bounds");
	close(fd);
}
END_TEST

/* A helper's memory argument: map_lookup_elem's key must be key_size readable bytes. */
START_TEST(helper_key_outside_stack_is_caught)
{
	struct builder b = { .cnt = 0 };
	int fd = array_map(8);

	emit(&b, OP(MOV64_REG), R2, R10, 0, 0);
	emit(&b, OP(ADD64_IMM), R2, 0, 0, -2);
	emit(&b, OP(LDDW), R1, OBJFMT_PSEUDO_MAP_FD, 0, fd);
	emit(&b, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 4: load of 4 bytes at stack+510 out of bounds");
	close(fd);
}
END_TEST

/* A ringbuf record is reserved with its size; past it is out of bounds. */
START_TEST(ringbuf_record_past_its_size_is_caught)
{
	struct builder b = { .cnt = 0 };
	union bpf_attr attr = { 0 };
	int fd;

	attr.map_type = BPF_MAP_TYPE_RINGBUF;
	attr.max_entries = 4096;
	fd = emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(fd, 0);
	emit(&b, OP(LDDW), R1, OBJFMT_PSEUDO_MAP_FD, 0, fd);
	emit(&b, OP(MOV64_IMM), R2, 0, 0, 16);
	emit(&b, OP(MOV64_IMM), R3, 0, 0, 0);
	emit(&b, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve);
	emit(&b, OP(JEQ_IMM), R0, 0, 2, 0);
	emit(&b, OP(STDW), R0, 0, 12, 1);
	emit(&b, OP(MOV64_IMM), R0, 0, 0, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 6: store of 8 bytes at ringbuf record+12 out of bounds");
	close(fd);
}
END_TEST

START_TEST(wild_pointer_is_unknown_address)
{
	struct builder b = { .cnt = 0 };

	emit(&b, OP(MOV64_IMM), R1, 0, 0, 16);
	emit(&b, OP(STB), R1, 0, 0, 1);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	expect_violation(&b, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0, NULL, 0,
			 "checked execution: insn 1: store of 1 bytes at unknown address out of bounds");
}
END_TEST

/* Verified through PROG_LOAD, run through PROG_TEST_RUN: XDP packet parsing with a
 * bounds check, a map lookup with a null check and an atomic add: no violation. */
START_TEST(verified_xdp_program_runs_clean)
{
	struct builder b = { .cnt = 0 };
	static char log[8192];
	union bpf_attr attr;
	uint8_t packet[64] = { [12] = 0x08 }, out[64];
	unsigned long before = emu_checked_violations();
	int map_fd = array_map(8), fd;

	emit(&b, OP(LDXW), R2, R1, offsetof(struct xdp_md, data), 0);
	emit(&b, OP(LDXW), R3, R1, offsetof(struct xdp_md, data_end), 0);
	emit(&b, OP(MOV64_REG), R4, R2, 0, 0);
	emit(&b, OP(ADD64_IMM), R4, 0, 0, 14);
	emit(&b, OP(MOV64_IMM), R0, 0, 0, 1);
	emit(&b, OP(JGT_REG), R4, R3, 11, 0);
	emit(&b, OP(LDXB), R6, R2, 12, 0);
	emit(&b, OP(STW), R10, 0, -4, 2);
	emit(&b, OP(MOV64_REG), R2, R10, 0, 0);
	emit(&b, OP(ADD64_IMM), R2, 0, 0, -4);
	emit(&b, OP(LDDW), R1, OBJFMT_PSEUDO_MAP_FD, 0, map_fd);
	emit(&b, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit(&b, OP(MOV64_IMM), R1, 0, 0, 2);
	emit(&b, OP(JEQ_IMM), R0, 0, 2, 0);
	emit(&b, OP(ATOMIC64_ADD), R0, R6, 0, BPF_ADD);
	emit(&b, OP(MOV64_IMM), R1, 0, 0, 3);
	emit(&b, OP(MOV64_REG), R0, R1, 0, 0);
	emit(&b, OP(EXIT), 0, 0, 0, 0);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (uintptr_t)b.insns;
	attr.insn_cnt = b.cnt;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	ck_assert_msg(fd >= 0, "load: %s\n%s", strerror(errno), log);
	checked_on();
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	attr.test.data_out = (uintptr_t)out;
	attr.test.data_size_out = sizeof(out);
	attr.test.repeat = 5;
	ck_assert_int_eq(emu_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)), 0);
	checked_off();
	ck_assert_uint_eq(attr.test.retval, 3);
	ck_assert_uint_eq(emu_checked_violations(), before);
	close(fd);
	close(map_fd);
}
END_TEST

static Suite *checked_suite(void)
{
	Suite *s = suite_create("checked");
	TCase *tc = tcase_create("checked");

	tcase_add_test(tc, stack_in_bounds_runs_clean);
	tcase_add_test(tc, stack_above_frame_is_caught);
	tcase_add_test(tc, stack_below_frame_is_caught);
	tcase_add_test(tc, callee_frames_are_checked);
	tcase_add_test(tc, ctx_past_its_end_is_caught);
	tcase_add_test(tc, packet_past_data_end_is_caught);
	tcase_add_test(tc, map_value_past_value_size_is_caught);
	tcase_add_test(tc, helper_key_outside_stack_is_caught);
	tcase_add_test(tc, ringbuf_record_past_its_size_is_caught);
	tcase_add_test(tc, wild_pointer_is_unknown_address);
	tcase_add_test(tc, verified_xdp_program_runs_clean);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(checked_suite());
	int failed;

	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
