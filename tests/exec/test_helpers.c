/* test_helpers.c - helper implementations by UAPI id: formatting (trace_printk,
 * snprintf), string parsing (strtol/strtoul), the deterministic world (clock, random,
 * task), probe_read against emulated memory, checksums, XDP head/tail/meta limits,
 * redirects, bpf_loop through the interpreter, and the prototype table agreement. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_builder.h"
#include "../../kernel/helper_proto.h"
#include "../../kernel/progtype.h"

#define CALL(name, a, b, c, d, e) \
	emu_helper_impl(BPF_FUNC_##name)((uint64_t)(a), (uint64_t)(b), (uint64_t)(c), \
					 (uint64_t)(d), (uint64_t)(e))
#define P(x) ((uint64_t)(uintptr_t)(x))
#define NEG(e) ((uint64_t)(int64_t)(e))

/* Implemented, but the verifier cannot check their use yet: bpf_spin_lock needs the
 * BTF of a map value holding a struct bpf_spin_lock; for_each_map_elem and loop a
 * check of their callback function. */
static bool proto_pending(int32_t id)
{
	(void)id;
	return false;
}

START_TEST(every_helper_has_a_prototype_and_vice_versa)
{
	for (int32_t id = 0; id < 256; id++) {
		bool impl = emu_helper_impl(id) != NULL, proto = helper_proto_get(id) != NULL;

		if (proto_pending(id))
			continue;
		ck_assert_msg(impl == proto, "helper %d (%s): implementation %d, prototype %d", id,
			      objfmt_helper_name(id) ? objfmt_helper_name(id) : "?", impl, proto);
	}
}
END_TEST

START_TEST(trace_printk_formats_like_the_kernel)
{
	static const char fmt[] = "a=%d b=%u c=%x d=%lld e=%llx f=%5d g=%-3c| %s %%";
	const char *str = "str";
	uint64_t args[] = { (uint64_t)-5, 0xffffffffu, 255, (uint64_t)-7, 0xabcdef123ull, 42,
			    'z', P(str) };
	uint64_t ret;

	emu_trace_clear();
	ret = CALL(trace_vprintk, fmt, sizeof(fmt), args, sizeof(args), 0);
	ck_assert_str_eq(emu_trace_output(NULL),
			 "a=-5 b=4294967295 c=ff d=-7 e=abcdef123 f=   42 g=z  | str %\n");
	ck_assert_uint_eq(ret, strlen("a=-5 b=4294967295 c=ff d=-7 e=abcdef123 f=   42 g=z  | str %"));
	/* 32-bit conversions take the low half of the argument */
	emu_trace_clear();
	CALL(trace_printk, "%d %x\n", 7, 0x1ffffffffull, 0x100000002ull, 0);
	ck_assert_str_eq(emu_trace_output(NULL), "-1 2\n");
}
END_TEST

START_TEST(trace_printk_rejects_bad_formats)
{
	emu_trace_clear();
	ck_assert_uint_eq(CALL(trace_printk, "%z", 3, 1, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(trace_printk, "%d %d %d %d", 12, 1, 2, 3), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(trace_printk, "no nul", 6, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(trace_printk, "\x01", 2, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(trace_printk, "%", 2, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(trace_vprintk, "%d", 3, NULL, 4, 0), NEG(-EINVAL));
	ck_assert_str_eq(emu_trace_output(NULL), "");
}
END_TEST

START_TEST(trace_printk_ip_addresses)
{
	const uint8_t ip4[4] = { 10, 0, 0, 1 };
	const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	emu_trace_clear();
	CALL(trace_printk, "%pI4 %pi4 %pI6", 15, P(ip4), P(ip4), P(ip6));
	ck_assert_str_eq(emu_trace_output(NULL),
			 "10.0.0.1 010.000.000.001 2001:0db8:0000:0000:0000:0000:0000:0001\n");
}
END_TEST

START_TEST(snprintf_counts_the_nul_and_truncates)
{
	char buf[8];
	uint64_t args[] = { 123456789 };

	ck_assert_uint_eq(CALL(snprintf, buf, sizeof(buf), "n=%d", args, 8), 12);
	ck_assert_str_eq(buf, "n=12345");
	ck_assert_uint_eq(CALL(snprintf, buf, sizeof(buf), "ok", NULL, 0), 3);
	ck_assert_str_eq(buf, "ok");
	ck_assert_uint_eq(CALL(snprintf, buf, sizeof(buf), "n=%d", args, 7), NEG(-EINVAL));
}
END_TEST

START_TEST(strtol_and_strtoul_follow_the_kernel)
{
	int64_t res = 0;
	uint64_t ures = 0;

	ck_assert_uint_eq(CALL(strtol, "  -123abc", 9, 10, &res, 0), 6);
	ck_assert_int_eq(res, -123);
	ck_assert_uint_eq(CALL(strtol, "0x1f", 4, 0, &res, 0), 4);
	ck_assert_int_eq(res, 31);
	ck_assert_uint_eq(CALL(strtol, "017", 3, 0, &res, 0), 3);
	ck_assert_int_eq(res, 15);
	ck_assert_uint_eq(CALL(strtol, "ff", 2, 16, &res, 0), 2);
	ck_assert_int_eq(res, 255);
	ck_assert_uint_eq(CALL(strtol, "9223372036854775808", 19, 10, &res, 0), NEG(-ERANGE));
	ck_assert_uint_eq(CALL(strtol, "-9223372036854775808", 20, 10, &res, 0), 20);
	ck_assert_int_eq(res, INT64_MIN);
	ck_assert_uint_eq(CALL(strtol, "-", 1, 10, &res, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(strtol, "12", 2, 7, &res, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(strtol, "12", 2, 0x20, &res, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(strtoul, "18446744073709551615", 20, 10, &ures, 0), 20);
	ck_assert_uint_eq(ures, UINT64_MAX);
	ck_assert_uint_eq(CALL(strtoul, "18446744073709551616", 20, 10, &ures, 0), NEG(-ERANGE));
	ck_assert_uint_eq(CALL(strtoul, "-1", 2, 10, &ures, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(strtoul, "12345", 3, 10, &ures, 0), 3); /* buf_len limits */
	ck_assert_uint_eq(ures, 123);
}
END_TEST

START_TEST(clock_random_and_task_are_deterministic_and_configurable)
{
	struct emu_run_config cfg;
	char comm[8];
	uint32_t first[3];

	emu_run_config_reset();
	ck_assert_uint_eq(CALL(ktime_get_ns, 0, 0, 0, 0, 0), 1000000000ull);
	ck_assert_uint_eq(CALL(ktime_get_ns, 0, 0, 0, 0, 0), 1000001000ull);
	ck_assert_uint_eq(CALL(ktime_get_coarse_ns, 0, 0, 0, 0, 0), 1000000000ull);
	ck_assert_uint_eq(CALL(jiffies64, 0, 0, 0, 0, 0), 4294892296ull + 250);
	for (int i = 0; i < 3; i++)
		first[i] = (uint32_t)CALL(get_prandom_u32, 0, 0, 0, 0, 0);
	ck_assert_uint_ne(first[0], first[1]);
	emu_run_config_get(&cfg);
	cfg.pid = 11;
	cfg.tgid = 22;
	cfg.uid = 33;
	cfg.gid = 44;
	cfg.boot_offset_ns = 5;
	strcpy(cfg.comm, "worker-thread");
	ck_assert_int_eq(emu_run_config_set(&cfg), 0);
	ck_assert_uint_eq(CALL(get_current_pid_tgid, 0, 0, 0, 0, 0), (22ull << 32) | 11);
	ck_assert_uint_eq(CALL(get_current_uid_gid, 0, 0, 0, 0, 0), (44ull << 32) | 33);
	ck_assert_uint_eq(CALL(ktime_get_boot_ns, 0, 0, 0, 0, 0), 1000000005ull);
	ck_assert_uint_eq(CALL(get_current_comm, comm, sizeof(comm), 0, 0, 0), 0);
	ck_assert_str_eq(comm, "worker-");
	for (int i = 0; i < 3; i++) /* set() restarts the sequence */
		ck_assert_uint_eq(CALL(get_prandom_u32, 0, 0, 0, 0, 0), first[i]);
	emu_run_config_reset();
}
END_TEST

START_TEST(probe_read_uses_emulated_memory)
{
	const char text[] = "kernel string";
	char buf[32];

	emu_memory_clear();
	ck_assert_int_eq(emu_memory_add(0xffff800000001000ull, text, sizeof(text), 0), 0);
	ck_assert_uint_eq(CALL(probe_read_kernel, buf, 6, 0xffff800000001000ull, 0, 0), 0);
	ck_assert_int_eq(memcmp(buf, "kernel", 6), 0);
	ck_assert_uint_eq(CALL(probe_read_kernel_str, buf, 7, 0xffff800000001000ull, 0, 0), 7);
	ck_assert_str_eq(buf, "kernel");
	ck_assert_uint_eq(CALL(probe_read_kernel_str, buf, sizeof(buf), 0xffff800000001007ull,
			       0, 0), 7);
	ck_assert_str_eq(buf, "string");
	memset(buf, 'x', sizeof(buf));
	/* the range holds 14 bytes: reading 20 faults and zeroes the destination */
	ck_assert_uint_eq(CALL(probe_read_kernel, buf, 20, 0xffff800000001000ull, 0, 0),
			  NEG(-EFAULT));
	ck_assert_int_eq(buf[0], 0);
	ck_assert_uint_eq(CALL(probe_read_user, buf, 4, 0xffff800000001000ull, 0, 0), NEG(-EFAULT));
	ck_assert_uint_eq(CALL(probe_read_kernel, buf, 4, 16, 0, 0), NEG(-EFAULT));
	/* a string running off the end of its range faults; one of our own memory reads */
	ck_assert_int_eq(emu_memory_add(0xffff800000002000ull, "abc", 3, 0), 0);
	ck_assert_uint_eq(CALL(probe_read_kernel_str, buf, 10, 0xffff800000002000ull, 0, 0),
			  NEG(-EFAULT));
	ck_assert_uint_eq(CALL(probe_read_kernel_str, buf, sizeof(buf), P(text), 0, 0),
			  sizeof(text));
	ck_assert_str_eq(buf, text);
	emu_memory_clear();
}
END_TEST

/* RFC 1071 checksum of an IPv4 header (independent of the helpers). */
static uint16_t ip_checksum(const uint8_t *h)
{
	uint32_t sum = 0;

	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

START_TEST(l3_csum_replace_keeps_the_header_valid)
{
	uint8_t pkt[20] = { 0x45, 0, 0, 0x24, 0x12, 0x34, 0x40, 0, 0x40, 0x11, 0, 0,
			    10, 0, 0, 1, 10, 0, 0, 2 };
	struct emu_ctx_skb skb = { .data = P(pkt), .data_end = P(pkt + 20) };
	uint16_t c = ip_checksum(pkt);
	uint32_t old_addr, new_addr;

	pkt[10] = (uint8_t)(c >> 8);
	pkt[11] = (uint8_t)c;
	ck_assert_uint_eq(ip_checksum(pkt), 0);
	memcpy(&old_addr, pkt + 16, 4);
	memcpy(pkt + 16, "\xc0\xa8\x01\x63", 4);
	memcpy(&new_addr, pkt + 16, 4);
	ck_assert_uint_eq(CALL(l3_csum_replace, &skb, 10, old_addr, new_addr, 4), 0);
	ck_assert_uint_eq(ip_checksum(pkt), 0);
	ck_assert_uint_eq(CALL(l3_csum_replace, &skb, 11, 0, 0, 4), NEG(-EFAULT));
	ck_assert_uint_eq(CALL(l3_csum_replace, &skb, 10, 0, 0, 3), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(l3_csum_replace, &skb, 20, 0, 0, 2), NEG(-EFAULT));
	ck_assert_uint_eq(CALL(csum_diff, pkt, 3, NULL, 0, 0), NEG(-EINVAL));
}
END_TEST

START_TEST(xdp_adjust_head_tail_meta_limits)
{
	static uint8_t buf[4096];
	struct emu_run run = { .buf = buf, .buf_size = sizeof(buf) };
	struct emu_ctx_xdp xdp = { .data_meta = P(buf + 256), .data = P(buf + 256),
				   .data_end = P(buf + 256 + 64) };

	emu_run_enter(&run);
	ck_assert_uint_eq(CALL(xdp_adjust_head, &xdp, -216, 0, 0, 0), 0); /* to frame end */
	ck_assert_uint_eq(xdp.data, P(buf + 40));
	ck_assert_uint_eq(CALL(xdp_adjust_head, &xdp, -1, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(xdp_adjust_head, &xdp, 216 + 64 - 13, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(xdp_adjust_head, &xdp, 216, 0, 0, 0), 0);
	ck_assert_uint_eq(CALL(xdp_adjust_meta, &xdp, -8, 0, 0, 0), 0);
	ck_assert_uint_eq(xdp.data_meta, P(buf + 248));
	ck_assert_uint_eq(CALL(xdp_adjust_meta, &xdp, -2, 0, 0, 0), NEG(-EACCES));
	ck_assert_uint_eq(CALL(xdp_adjust_meta, &xdp, -212, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(xdp_adjust_meta, &xdp, 12, 0, 0, 0), NEG(-EINVAL));
	buf[256 + 64] = 0xaa;
	ck_assert_uint_eq(CALL(xdp_adjust_tail, &xdp, 16, 0, 0, 0), 0);
	ck_assert_uint_eq(buf[256 + 64], 0); /* grown bytes are cleared */
	ck_assert_uint_eq(CALL(xdp_adjust_tail, &xdp, -67, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(xdp_adjust_tail, &xdp, 4096, 0, 0, 0), NEG(-EINVAL));
	ck_assert_uint_eq(CALL(xdp_adjust_tail, &xdp, 4096 - 320 - 256 - 80, 0, 0, 0), 0);
	emu_run_leave(&run);
}
END_TEST

START_TEST(redirect_depends_on_the_program_type)
{
	struct emu_prog xdp = { .type = BPF_PROG_TYPE_XDP };
	struct emu_prog tc = { .type = BPF_PROG_TYPE_SCHED_CLS };
	struct emu_run run = { .prog = &xdp };

	emu_run_enter(&run);
	ck_assert_uint_eq(CALL(redirect, 3, 0, 0, 0, 0), XDP_REDIRECT);
	ck_assert_uint_eq(run.redirect_ifindex, 3);
	ck_assert_uint_eq(CALL(redirect, 3, BPF_F_INGRESS, 0, 0, 0), XDP_ABORTED);
	run.prog = &tc;
	ck_assert_uint_eq(CALL(redirect, 4, BPF_F_INGRESS, 0, 0, 0), 7 /* TC_ACT_REDIRECT */);
	ck_assert_uint_eq(CALL(redirect, 4, 2, 0, 0, 0), 2 /* TC_ACT_SHOT */);
	emu_run_leave(&run);
}
END_TEST

/* bpf_loop(n, cb, &ctx, 0) where cb adds its index to *ctx and stops at index 5. */
START_TEST(bpf_loop_runs_callbacks_and_stops_early)
{
	struct builder b = { .cnt = 0 };
	uint64_t counter = 0;

	emit(&b, OBJFMT_OP_MOV64_REG, 3, 1, 0, 0);                /* ctx = mem */
	emit(&b, OBJFMT_OP_MOV64_IMM, 1, 0, 0, 10);
	emit(&b, OBJFMT_OP_LDDW, 2, OBJFMT_PSEUDO_FUNC, 0, 4);    /* callback at +4 */
	emit(&b, OBJFMT_OP_MOV64_IMM, 4, 0, 0, 0);
	emit(&b, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_loop);
	emit(&b, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	/* callback(index r1, ctx r2) */
	emit(&b, OBJFMT_OP_LDXDW, 3, 2, 0, 0);
	emit(&b, OBJFMT_OP_ADD64_REG, 3, 1, 0, 0);
	emit(&b, OBJFMT_OP_STXDW, 2, 3, 0, 0);
	emit(&b, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 0);
	emit(&b, OBJFMT_OP_JNE_IMM, 1, 0, 1, 5);
	emit(&b, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 1);
	emit(&b, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	ck_assert_uint_eq(builder_run(&b, &counter, 0), 6);       /* i + 1 at the stop */
	ck_assert_uint_eq(counter, 0 + 1 + 2 + 3 + 4 + 5);
	b.insns[1].imm = 3;                                       /* no early stop */
	counter = 0;
	ck_assert_uint_eq(builder_run(&b, &counter, 0), 3);
	ck_assert_uint_eq(counter, 3);
	b.insns[1].imm = 8 * 1024 * 1024 + 1;
	ck_assert_uint_eq(builder_run(&b, &counter, 0), NEG(-E2BIG));
	b.insns[1].imm = 1;
	b.insns[4].imm = 1;                                       /* flags */
	ck_assert_uint_eq(builder_run(&b, &counter, 0), NEG(-EINVAL));
}
END_TEST

/* for_each_map_elem(array, cb, &sum, 0): cb adds each value to *sum and stops at
 * key 2; the result counts the elements visited, the stopping one included. */
START_TEST(for_each_map_elem_visits_until_the_callback_stops)
{
	struct builder b = { .cnt = 0 };
	union bpf_attr attr = { 0 };
	uint64_t sum = 0;
	int fd;

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 4;
	fd = emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(fd, 0);
	for (uint32_t key = 0; key < 4; key++) {
		uint64_t value = 10 * (key + 1);

		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		attr.key = (uintptr_t)&key;
		attr.value = (uintptr_t)&value;
		ck_assert_int_eq(emu_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)), 0);
	}
	emit(&b, OBJFMT_OP_MOV64_REG, 3, 1, 0, 0);                /* callback ctx = mem */
	emit(&b, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, fd);
	emit(&b, OBJFMT_OP_LDDW, 2, OBJFMT_PSEUDO_FUNC, 0, 4);    /* callback at +4 */
	emit(&b, OBJFMT_OP_MOV64_IMM, 4, 0, 0, 0);
	emit(&b, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_for_each_map_elem);
	emit(&b, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	/* callback(map r1, key r2, value r3, ctx r4) */
	emit(&b, OBJFMT_OP_LDXDW, 5, 3, 0, 0);
	emit(&b, OBJFMT_OP_LDXDW, 0, 4, 0, 0);
	emit(&b, OBJFMT_OP_ADD64_REG, 0, 5, 0, 0);
	emit(&b, OBJFMT_OP_STXDW, 4, 0, 0, 0);
	emit(&b, OBJFMT_OP_LDXW, 5, 2, 0, 0);
	emit(&b, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 0);
	emit(&b, OBJFMT_OP_JNE_IMM, 5, 0, 1, 2);
	emit(&b, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 1);
	emit(&b, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	ck_assert_uint_eq(builder_run(&b, &sum, 0), 3);
	ck_assert_uint_eq(sum, 10 + 20 + 30);
	b.insns[5].imm = 1;                                       /* flags */
	ck_assert_uint_eq(builder_run(&b, &sum, 0), NEG(-EINVAL));
	close(fd);
}
END_TEST

START_TEST(empty_queue_zeroes_the_value_bloom_peek_keeps_it)
{
	union bpf_attr attr = { 0 };
	uint32_t value = 16;
	int queue_fd, bloom_fd;

	attr.map_type = BPF_MAP_TYPE_QUEUE;
	attr.value_size = 4;
	attr.max_entries = 2;
	queue_fd = emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(queue_fd, 0);
	attr.map_type = BPF_MAP_TYPE_BLOOM_FILTER;
	attr.max_entries = 16;
	bloom_fd = emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(bloom_fd, 0);
	struct emu_map *queue = emu_map_get_by_fd(queue_fd);
	struct emu_map *bloom = emu_map_get_by_fd(bloom_fd);
	ck_assert_ptr_nonnull(queue);
	ck_assert_ptr_nonnull(bloom);

	/* __queue_map_get: an empty queue answers ENOENT and zeroes the value */
	ck_assert_uint_eq(CALL(map_pop_elem, queue, &value, 0, 0, 0), NEG(-ENOENT));
	ck_assert_uint_eq(value, 0);
	/* a bloom filter's peek tests membership: the value is input and stays */
	value = 16;
	ck_assert_uint_eq(CALL(map_peek_elem, bloom, &value, 0, 0, 0), NEG(-ENOENT));
	ck_assert_uint_eq(value, 16);
	ck_assert_uint_eq(CALL(map_push_elem, bloom, &value, 0, 0, 0), 0);
	ck_assert_uint_eq(CALL(map_peek_elem, bloom, &value, 0, 0, 0), 0);
	ck_assert_uint_eq(value, 16);
	emu_map_put(queue);
	emu_map_put(bloom);
	close(queue_fd);
	close(bloom_fd);
}
END_TEST

START_TEST(cpu_numa_task_and_spin_lock)
{
	struct emu_run_config cfg;
	uint32_t lock = 0;

	ck_assert_int_eq(emu_config_set_current_cpu(0), 0);
	ck_assert_uint_eq(CALL(get_smp_processor_id, 0, 0, 0, 0, 0), 0);
	if (emu_config_cpus() > 1) {
		ck_assert_int_eq(emu_config_set_current_cpu(1), 0);
		ck_assert_uint_eq(CALL(get_smp_processor_id, 0, 0, 0, 0, 0), 1);
		emu_config_set_current_cpu(0);
	}
	emu_run_config_get(&cfg);
	cfg.numa_node = 3;
	cfg.task = 0xffff888012345678ull;
	emu_run_config_set(&cfg);
	ck_assert_uint_eq(CALL(get_numa_node_id, 0, 0, 0, 0, 0), 3);
	ck_assert_uint_eq(CALL(get_current_task, 0, 0, 0, 0, 0), 0xffff888012345678ull);
	emu_run_config_reset();
	ck_assert_uint_eq(CALL(spin_lock, &lock, 0, 0, 0, 0), 0);
	ck_assert_uint_eq(lock, 1);
	ck_assert_uint_eq(CALL(spin_unlock, &lock, 0, 0, 0, 0), 0);
	ck_assert_uint_eq(lock, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("helpers");
	TCase *tc = tcase_create("helpers");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, every_helper_has_a_prototype_and_vice_versa);
	tcase_add_test(tc, trace_printk_formats_like_the_kernel);
	tcase_add_test(tc, trace_printk_rejects_bad_formats);
	tcase_add_test(tc, trace_printk_ip_addresses);
	tcase_add_test(tc, snprintf_counts_the_nul_and_truncates);
	tcase_add_test(tc, strtol_and_strtoul_follow_the_kernel);
	tcase_add_test(tc, clock_random_and_task_are_deterministic_and_configurable);
	tcase_add_test(tc, probe_read_uses_emulated_memory);
	tcase_add_test(tc, l3_csum_replace_keeps_the_header_valid);
	tcase_add_test(tc, xdp_adjust_head_tail_meta_limits);
	tcase_add_test(tc, redirect_depends_on_the_program_type);
	tcase_add_test(tc, bpf_loop_runs_callbacks_and_stops_early);
	tcase_add_test(tc, for_each_map_elem_visits_until_the_callback_stops);
	tcase_add_test(tc, cpu_numa_task_and_spin_lock);
	tcase_add_test(tc, empty_queue_zeroes_the_value_bloom_peek_keeps_it);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
