/* test_test_run.c - BPF_PROG_TEST_RUN of the emulator for the program types the
 * kernel cannot test-run (kprobe, tracepoint, perf_event, cgroup_sock_addr, lsm):
 * ctx from ctx_in, ctx_out, repeat, input errno; and cgroup_skb's socket fields,
 * which the kernel fills from the packet's IP header. Through emu_bpf(). */
#include <check.h>
#include <errno.h>
#include <linux/bpf_perf_event.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/objfmt.h"
#include "../../kernel/emu_int.h"

#define OP(name) OBJFMT_OP_##name

/* syscall_prog.c references the verifier weakly: this strong reference links it in */
static int (*volatile verifier_link)(struct emu_prog *, const union bpf_attr *,
				     struct emu_log *) = emu_verifier_run;

struct prog {
	struct objfmt_insn insns[64];
	uint32_t cnt;
};

static void emit(struct prog *p, enum objfmt_op op, uint8_t dst, uint8_t src, int16_t off,
		 int64_t imm)
{
	p->cnt += (uint32_t)objfmt_insn_encode(op, dst, src, off, imm, &p->insns[p->cnt]);
}

static int load(struct prog *p, uint32_t type, uint32_t attach)
{
	static char log[16384];
	union bpf_attr attr = { 0 };
	int fd;

	attr.prog_type = type;
	attr.expected_attach_type = attach;
	attr.insns = (uintptr_t)p->insns;
	attr.insn_cnt = p->cnt;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	ck_assert_msg(fd >= 0, "load: %s\n%s", strerror(errno), log);
	return fd;
}

/* Test-run `fd` with ctx_in/ctx_out of `size` bytes; returns 0 or -errno. */
static int run_ctx(int fd, void *ctx_in, uint32_t size_in, void *ctx_out, uint32_t size_out,
		   uint32_t *retval)
{
	union bpf_attr attr = { 0 };

	attr.test.prog_fd = (uint32_t)fd;
	attr.test.ctx_in = (uintptr_t)ctx_in;
	attr.test.ctx_size_in = size_in;
	attr.test.ctx_out = (uintptr_t)ctx_out;
	attr.test.ctx_size_out = size_out;
	attr.test.repeat = 3;
	if (emu_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)) < 0)
		return -errno;
	*retval = attr.test.retval;
	return 0;
}

START_TEST(kprobe_reads_registers_from_ctx_in)
{
	struct prog p = { .cnt = 0 };
	uint64_t regs[21] = { 0 }, out[21];
	uint8_t too_big[200] = { 0 };
	uint32_t retval = 0;
	int fd;

	emit(&p, OP(LDXDW), 0, 1, 14 * 8, 0);  /* di: the first argument on x86-64 */
	emit(&p, OP(LDXW), 2, 1, 13 * 8, 0);   /* si, low half */
	emit(&p, OP(ADD64_REG), 0, 2, 0, 0);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	fd = load(&p, BPF_PROG_TYPE_KPROBE, 0);
	regs[14] = 40;
	regs[13] = 0x100000002ull;
	ck_assert_int_eq(run_ctx(fd, regs, sizeof(regs), out, sizeof(out), &retval), 0);
	ck_assert_uint_eq(retval, 42);
	ck_assert_int_eq(memcmp(regs, out, sizeof(regs)), 0);
	ck_assert_int_eq(run_ctx(fd, too_big, sizeof(too_big), NULL, 0, &retval), -E2BIG);
	close(fd);
}
END_TEST

START_TEST(tracepoint_and_perf_event_contexts)
{
	struct prog p = { .cnt = 0 };
	struct bpf_perf_event_data pe = { .sample_period = 1000, .addr = 7 };
	uint8_t record[64] = { 0 };
	uint32_t retval = 0;
	int fd;

	emit(&p, OP(LDXW), 0, 1, 8, 0);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	fd = load(&p, BPF_PROG_TYPE_TRACEPOINT, 0);
	record[8] = 9;
	ck_assert_int_eq(run_ctx(fd, record, sizeof(record), NULL, 0, &retval), 0);
	ck_assert_uint_eq(retval, 9);
	close(fd);
	p.cnt = 0;
	emit(&p, OP(LDXDW), 0, 1, offsetof(struct bpf_perf_event_data, sample_period), 0);
	emit(&p, OP(LDXDW), 2, 1, offsetof(struct bpf_perf_event_data, addr), 0);
	emit(&p, OP(ADD64_REG), 0, 2, 0, 0);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	fd = load(&p, BPF_PROG_TYPE_PERF_EVENT, 0);
	ck_assert_int_eq(run_ctx(fd, &pe, sizeof(pe), NULL, 0, &retval), 0);
	ck_assert_uint_eq(retval, 1007);
	close(fd);
}
END_TEST

/* A connect4 hook rewriting the destination port: ctx_out shows the new value. */
START_TEST(cgroup_sock_addr_rewrites_show_in_ctx_out)
{
	struct prog p = { .cnt = 0 };
	struct bpf_sock_addr in = { .user_family = 2, .user_ip4 = 0x0100007f, .user_port = 0x5000 };
	struct bpf_sock_addr out;
	uint32_t retval = 0;
	int fd;

	emit(&p, OP(STW), 1, 0, offsetof(struct bpf_sock_addr, user_port), 0x901f);
	emit(&p, OP(MOV64_IMM), 0, 0, 0, 1);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	fd = load(&p, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT);
	memset(&out, 0xff, sizeof(out));
	ck_assert_int_eq(run_ctx(fd, &in, sizeof(in), &out, sizeof(out), &retval), 0);
	ck_assert_uint_eq(retval, 1);
	ck_assert_uint_eq(out.user_port, 0x901f);
	ck_assert_uint_eq(out.user_ip4, 0x0100007f);
	ck_assert_int_eq(run_ctx(fd, &in, sizeof(in), &out, 8, &retval), -ENOSPC);
	close(fd);
	/* ctx->sk is a socket of the ctx's family (program run without the verifier) */
	{
		struct prog q = { .cnt = 0 };
		struct emu_prog prog = { .type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR };
		union bpf_attr attr = { 0 };

		emit(&q, OP(LDXDW), 2, 1, offsetof(struct bpf_sock_addr, sk), 0);
		emit(&q, OP(LDXW), 0, 2, offsetof(struct bpf_sock, family), 0);
		emit(&q, OP(EXIT), 0, 0, 0, 0);
		prog.insns = q.insns;
		prog.insn_cnt = q.cnt;
		ck_assert_int_eq(emu_exec_prepare(&prog), 0);
		attr.test.ctx_in = (uintptr_t)&in;
		attr.test.ctx_size_in = sizeof(in);
		attr.test.ctx_out = (uintptr_t)&out;
		attr.test.ctx_size_out = sizeof(out);
		ck_assert_int_eq(emu_exec_test_run(&prog, &attr), 0);
		ck_assert_uint_eq(attr.test.retval, 2);
		ck_assert_ptr_null(out.sk);
		emu_exec_release(&prog);
	}
}
END_TEST

/* cgroup_skb sees the packet from the IP header and the socket fields of the
 * dummy socket test_run attaches (family, addresses from the IP header). */
START_TEST(cgroup_skb_sees_l3_data_and_socket_fields)
{
	static const uint8_t frame[] = {
		0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	};
	struct prog p = { .cnt = 0 };
	union bpf_attr attr = { 0 };
	uint8_t out[64];
	int fd;

	emit(&p, OP(LDXW), 0, 1, offsetof(struct __sk_buff, family), 0);      /* 2 */
	emit(&p, OP(LDXW), 2, 1, offsetof(struct __sk_buff, local_ip4), 0);   /* 10.0.0.1 */
	emit(&p, OP(RSH64_IMM), 2, 0, 0, 24);                                 /* 1 */
	emit(&p, OP(ADD64_REG), 0, 2, 0, 0);
	emit(&p, OP(LDXW), 2, 1, offsetof(struct __sk_buff, remote_ip4), 0);  /* 10.0.0.2 */
	emit(&p, OP(RSH64_IMM), 2, 0, 0, 24);                                 /* 2 */
	emit(&p, OP(ADD64_REG), 0, 2, 0, 0);
	emit(&p, OP(LDXW), 2, 1, offsetof(struct __sk_buff, len), 0);         /* 20 */
	emit(&p, OP(ADD64_REG), 0, 2, 0, 0);
	emit(&p, OP(AND64_IMM), 0, 0, 0, 1);                                  /* 25 & 1 */
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	fd = load(&p, BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS);
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	attr.test.data_out = (uintptr_t)out;
	attr.test.data_size_out = sizeof(out);
	ck_assert_int_eq(emu_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)), 0);
	ck_assert_uint_eq(attr.test.retval, 1);
	ck_assert_uint_eq(attr.test.data_size_out, sizeof(frame));
	/* the Ethernet header comes back zeroed, the rest as sent */
	ck_assert_int_eq(memcmp(out, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 14), 0);
	ck_assert_int_eq(memcmp(out + 14, frame + 14, sizeof(frame) - 14), 0);
	close(fd);
}
END_TEST

/* raw_tracepoint_writable: args[0] points at the writable buffer (data_in in,
 * data_out out); ctx_out gives args back unchanged. Run without the verifier, which
 * does not type args[0] as the tracepoint buffer yet. */
START_TEST(writable_tracepoint_buffer_is_data_in_and_out)
{
	struct prog p = { .cnt = 0 };
	uint64_t args[2] = { 0x1234, 5 }, args_out[12] = { 0 };
	uint8_t buffer[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[8] = { 0 };
	union bpf_attr attr = { 0 };

	emit(&p, OP(LDXDW), 2, 1, 0, 0);
	emit(&p, OP(LDXDW), 3, 1, 8, 0);
	emit(&p, OP(STXB), 2, 3, 1, 0);       /* buffer[1] = args[1] */
	emit(&p, OP(LDXB), 0, 2, 7, 0);       /* r0 = buffer[7] */
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	struct emu_prog prog = { .type = BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE,
				 .insns = p.insns, .insn_cnt = p.cnt };

	ck_assert_int_eq(emu_exec_prepare(&prog), 0);
	attr.test.ctx_in = (uintptr_t)args;
	attr.test.ctx_size_in = sizeof(args);
	attr.test.ctx_out = (uintptr_t)args_out;
	attr.test.ctx_size_out = sizeof(args_out);
	attr.test.data_in = (uintptr_t)buffer;
	attr.test.data_size_in = sizeof(buffer);
	attr.test.data_out = (uintptr_t)out;
	attr.test.data_size_out = sizeof(out);
	ck_assert_int_eq(emu_exec_test_run(&prog, &attr), 0);
	ck_assert_uint_eq(attr.test.retval, 8);
	ck_assert_int_eq(memcmp(out, "\1\5\3\4\5\6\7\10", 8), 0);
	ck_assert_uint_eq(args_out[0], 0x1234);
	ck_assert_uint_eq(args_out[1], 5);
	attr.test.data_size_out = 4;
	ck_assert_int_eq(emu_exec_test_run(&prog, &attr), -ENOSPC);
	emu_exec_release(&prog);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("test_run");
	TCase *tc = tcase_create("types");
	SRunner *sr;
	int failed;

	(void)verifier_link;
	tcase_add_test(tc, kprobe_reads_registers_from_ctx_in);
	tcase_add_test(tc, tracepoint_and_perf_event_contexts);
	tcase_add_test(tc, cgroup_sock_addr_rewrites_show_in_ctx_out);
	tcase_add_test(tc, cgroup_skb_sees_l3_data_and_socket_fields);
	tcase_add_test(tc, writable_tracepoint_buffer_is_data_in_and_out);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
