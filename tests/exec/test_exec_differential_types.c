/* test_exec_differential_types.c - more program types and runtime limits against the
 * real kernel: the 33-call tail-call chain, ring buffer accounting, the flow
 * dissector's struct bpf_flow_keys output, raw_tracepoint args and syscall programs
 * writing their ctx back, and progtype.h's ctx access rules against the kernel's
 * verifier. Exits 77 (SKIP) without a usable bpf(2). */
#include "differential.h"

#define SKB_OFF(field) ((int16_t)offsetof(struct __sk_buff, field))
#define KEYS_OFF(field) ((int16_t)offsetof(struct bpf_flow_keys, field))

#include "../../kernel/progtype.h"

/* The emulator's test_run of `p` without its verifier (for programs the verifier
 * cannot check yet): the ctx accesses at `ctx_insns` are rewritten as the verifier
 * would, then the execution side prepares and runs the program. */
static void emu_run_unverified(const struct prog *p, uint32_t type, const int *ctx_insns,
			       int ctx_cnt, const union bpf_attr *in, struct outcome *out)
{
	const struct emu_progtype *pt = emu_progtype_get(type);
	struct emu_prog *prog = calloc(1, sizeof(*prog));
	union bpf_attr attr = *in;

	ck_assert_ptr_nonnull(prog);
	prog->type = type;
	prog->insn_cnt = p->cnt;
	prog->insns = malloc(p->cnt * sizeof(*prog->insns));
	memcpy(prog->insns, p->insns, p->cnt * sizeof(*prog->insns));
	for (int i = 0; i < ctx_cnt; i++) {
		struct objfmt_insn *insn = &prog->insns[ctx_insns[i]];
		bool write = OBJFMT_CLASS(insn->code) != OBJFMT_CLASS_LDX;
		uint32_t size = (uint32_t[]){ 4, 2, 1, 8 }[(insn->code >> 3) & 3];
		struct emu_ctx_access access;

		ck_assert_int_eq(emu_progtype_ctx_access(pt, insn->off, size, write, &access), 0);
		emu_progtype_ctx_convert(&access, insn);
	}
	ck_assert_int_eq(emu_exec_prepare(prog), 0);
	memset(out, 0, sizeof(*out));
	if (!attr.test.data_out && !attr.test.data_size_out) {
		attr.test.data_out = (uintptr_t)out->data;
		attr.test.data_size_out = sizeof(out->data);
	}
	if (attr.test.ctx_size_out)
		attr.test.ctx_out = (uintptr_t)out->ctx;
	out->err = emu_exec_test_run(prog, &attr);
	out->retval = attr.test.retval;
	out->data_size_out = attr.test.data_size_out;
	out->ctx_size_out = attr.test.ctx_size_out;
	emu_exec_release(prog);
	free(prog->insns);
	free(prog);
}

/* The kernel's side of the same run. */
static void kernel_run(struct prog *p, uint32_t type, const union bpf_attr *attr,
		       struct outcome *out)
{
	int fd = load(kernel_bpf, p, type, -1);

	test_run(kernel_bpf, fd, attr, out);
	close(fd);
}

static const uint8_t ipv4_tcp[] = {
	0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00,
	192, 168, 1, 10, 192, 168, 1, 20,
	0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0x00, 0, 0, 0, 0,
};

/* counter[0] += 1; tail_call(ctx, prog_array, 0); return 2: the chain ends after
 * 33 tail calls, so the counter reads 34 on both. */
START_TEST(tail_call_chain_stops_after_33_calls)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	uint32_t counter_slot, array_slot;
	union bpf_attr attr = { 0 };
	uint8_t packet[64] = { 0 };
	struct outcome out[2];

	emit(&p, OBJFMT_OP_MOV64_REG, 6, 1, 0, 0);
	emit(&p, OBJFMT_OP_STW, 10, 0, -4, 0);
	emit(&p, OBJFMT_OP_MOV64_REG, 2, 10, 0, 0);
	emit(&p, OBJFMT_OP_ADD64_IMM, 2, 0, 0, -4);
	counter_slot = p.cnt;
	emit(&p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, 0);
	emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit(&p, OBJFMT_OP_JEQ_IMM, 0, 0, 2, 0);
	emit(&p, OBJFMT_OP_MOV64_IMM, 1, 0, 0, 1);
	emit(&p, OBJFMT_OP_ATOMIC64_ADD, 0, 1, 0, 0);
	emit(&p, OBJFMT_OP_MOV64_REG, 1, 6, 0, 0);
	array_slot = p.cnt;
	emit(&p, OBJFMT_OP_LDDW, 2, OBJFMT_PSEUDO_MAP_FD, 0, 0);
	emit(&p, OBJFMT_OP_MOV64_IMM, 3, 0, 0, 0);
	emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_tail_call);
	emit(&p, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 2);
	emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	for (int b = 0; b < 2; b++) {
		union bpf_attr map = { 0 };
		uint32_t key = 0;
		int counter = create_array(backends[b]), array, fd;

		map.map_type = BPF_MAP_TYPE_PROG_ARRAY;
		map.key_size = 4;
		map.value_size = 4;
		map.max_entries = 1;
		array = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
		ck_assert_int_ge(array, 0);
		p.insns[counter_slot].imm = counter;
		p.insns[array_slot].imm = array;
		fd = load(backends[b], &p, BPF_PROG_TYPE_XDP, -1);
		memset(&map, 0, sizeof(map));
		map.map_fd = (uint32_t)array;
		map.key = (uintptr_t)&key;
		map.value = (uintptr_t)&fd;
		ck_assert_int_eq(backends[b](BPF_MAP_UPDATE_ELEM, &map, sizeof(map)), 0);
		test_run(backends[b], fd, &attr, &out[b]);
		ck_assert_msg(map_value(backends[b], counter, 0) == 34, "%s: %llu runs",
			      backend_names[b],
			      (unsigned long long)map_value(backends[b], counter, 0));
		/* the prog array holds the program: clear it to drop the cycle */
		map.value = 0;
		ck_assert_int_eq(backends[b](BPF_MAP_DELETE_ELEM, &map, sizeof(map)), 0);
		close(fd);
		close(array);
		close(counter);
	}
	assert_same(&out[0], &out[1], "tail call chain");
}
END_TEST

/* ringbuf_output of 12 bytes, then BPF_RB_AVAIL_DATA / RING_SIZE / CONS and PROD
 * positions as the program sees them. */
START_TEST(ringbuf_output_and_query_agree)
{
	static const uint64_t queries[] = { BPF_RB_AVAIL_DATA, BPF_RB_RING_SIZE,
					    BPF_RB_CONS_POS, BPF_RB_PROD_POS };
	union bpf_attr attr = { 0 };
	uint8_t packet[64] = { 0 };

	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		struct outcome out[2];

		for (int b = 0; b < 2; b++) {
			struct prog p = { .cnt = 0, .map_slot = -1 };
			union bpf_attr map = { 0 };
			int rb, fd;

			map.map_type = BPF_MAP_TYPE_RINGBUF;
			map.max_entries = 4096;
			rb = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
			ck_assert_int_ge(rb, 0);
			emit(&p, OBJFMT_OP_STW, 10, 0, -16, 0x55667788);
			emit(&p, OBJFMT_OP_STW, 10, 0, -12, 0x11223344);
			emit(&p, OBJFMT_OP_STDW, 10, 0, -8, 0x99);
			emit(&p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, rb);
			emit(&p, OBJFMT_OP_MOV64_REG, 2, 10, 0, 0);
			emit(&p, OBJFMT_OP_ADD64_IMM, 2, 0, 0, -16);
			emit(&p, OBJFMT_OP_MOV64_IMM, 3, 0, 0, 12);
			emit(&p, OBJFMT_OP_MOV64_IMM, 4, 0, 0, 0);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output);
			emit(&p, OBJFMT_OP_MOV64_REG, 6, 0, 0, 0);
			emit(&p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, rb);
			emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, (int32_t)queries[q]);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_ringbuf_query);
			emit(&p, OBJFMT_OP_LSH64_IMM, 0, 0, 0, 8);
			emit(&p, OBJFMT_OP_ADD64_REG, 0, 6, 0, 0);
			emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
			fd = load(backends[b], &p, BPF_PROG_TYPE_XDP, -1);
			test_run(backends[b], fd, &attr, &out[b]);
			close(fd);
			close(rb);
		}
		assert_same(&out[0], &out[1], "ringbuf query");
	}
}
END_TEST

/* Flow dissector: fill ip_proto, addresses, ports and thoff from the packet. */
START_TEST(flow_dissector_keys_agree)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	union bpf_attr attr = { 0 };
	struct bpf_flow_keys user = { .flags = BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP };
	uint8_t frame[sizeof(ipv4_tcp)];

	emit(&p, OBJFMT_OP_LDXDW, 6, 1, SKB_OFF(flow_keys), 0);
	emit(&p, OBJFMT_OP_LDXW, 2, 1, SKB_OFF(data), 0);
	emit(&p, OBJFMT_OP_LDXW, 3, 1, SKB_OFF(data_end), 0);
	emit(&p, OBJFMT_OP_MOV64_REG, 4, 2, 0, 0);
	emit(&p, OBJFMT_OP_ADD64_IMM, 4, 0, 0, 38);
	emit(&p, OBJFMT_OP_JGT_REG, 4, 3, 12, 0);
	emit(&p, OBJFMT_OP_LDXB, 5, 2, 23, 0);
	emit(&p, OBJFMT_OP_STXB, 6, 5, KEYS_OFF(ip_proto), 0);
	emit(&p, OBJFMT_OP_LDXW, 5, 2, 26, 0);
	emit(&p, OBJFMT_OP_STXW, 6, 5, KEYS_OFF(ipv4_src), 0);
	emit(&p, OBJFMT_OP_LDXW, 5, 2, 30, 0);
	emit(&p, OBJFMT_OP_STXW, 6, 5, KEYS_OFF(ipv4_dst), 0);
	emit(&p, OBJFMT_OP_LDXH, 5, 2, 34, 0);
	emit(&p, OBJFMT_OP_STXH, 6, 5, KEYS_OFF(sport), 0);
	emit(&p, OBJFMT_OP_MOV64_IMM, 5, 0, 0, 9000);     /* clamped to the packet length */
	emit(&p, OBJFMT_OP_STXH, 6, 5, KEYS_OFF(thoff), 0);
	emit(&p, OBJFMT_OP_MOV64_IMM, 0, 0, 0, BPF_OK);
	emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	emit(&p, OBJFMT_OP_MOV64_IMM, 0, 0, 0, BPF_DROP);
	emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	memcpy(frame, ipv4_tcp, sizeof(frame));
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	attr.test.ctx_in = (uintptr_t)&user;
	attr.test.ctx_size_in = sizeof(user);
	attr.test.ctx_size_out = sizeof(user);
	for (int variant = 0; variant < 3; variant++) {
		static const int ctx_insns[] = { 0, 1, 2 };
		struct outcome out[2];

		if (variant == 1)
			attr.test.data_size_in = 30;
		if (variant == 2)
			user.nhoff = 1; /* only flags may be set in ctx_in */
		emu_run_unverified(&p, BPF_PROG_TYPE_FLOW_DISSECTOR, ctx_insns, 3, &attr, &out[0]);
		kernel_run(&p, BPF_PROG_TYPE_FLOW_DISSECTOR, &attr, &out[1]);
		assert_same(&out[0], &out[1], variant == 0 ? "flow dissector"
					      : variant == 1 ? "flow dissector, short packet"
							     : "flow dissector, bad ctx_in");
	}
}
END_TEST

/* raw_tracepoint: r0 = args[0] + 2 * args[1]; the kernel's input rules. */
START_TEST(raw_tracepoint_args_and_input_rules)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	uint64_t args[3] = { 40, 1, 7 };
	union bpf_attr attr = { 0 };

	emit(&p, OBJFMT_OP_LDXDW, 0, 1, 0, 0);
	emit(&p, OBJFMT_OP_LDXDW, 2, 1, 8, 0);
	emit(&p, OBJFMT_OP_LSH64_IMM, 2, 0, 0, 1);
	emit(&p, OBJFMT_OP_ADD64_REG, 0, 2, 0, 0);
	emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	attr.test.ctx_in = (uintptr_t)args;
	attr.test.ctx_size_in = sizeof(args);
	{
		struct outcome out[2];
		int fds[2];

		for (int b = 0; b < 2; b++) {
			union bpf_attr a = attr;

			fds[b] = load(backends[b], &p, BPF_PROG_TYPE_RAW_TRACEPOINT, -1);
			memset(&out[b], 0, sizeof(out[b]));
			a.test.prog_fd = (uint32_t)fds[b];
			out[b].err = backends[b](BPF_PROG_TEST_RUN, &a, sizeof(a));
			out[b].retval = a.test.retval;
			a.test.repeat = 2;
			ck_assert_int_eq(backends[b](BPF_PROG_TEST_RUN, &a, sizeof(a)), -EINVAL);
			a.test.repeat = 0;
			a.test.cpu = 1;
			ck_assert_int_eq(backends[b](BPF_PROG_TEST_RUN, &a, sizeof(a)), -EINVAL);
			a.test.cpu = 0;
			a.test.ctx_size_in = 13 * 8;
			ck_assert_int_eq(backends[b](BPF_PROG_TEST_RUN, &a, sizeof(a)), -EINVAL);
			close(fds[b]);
		}
		ck_assert_int_eq(out[0].err, 0);
		assert_same(&out[0], &out[1], "raw_tracepoint");
		ck_assert_uint_eq(out[0].retval, 42);
	}
}
END_TEST

/* syscall programs read and write their ctx, which the kernel copies back into
 * ctx_in; repeat is refused. */
START_TEST(syscall_program_writes_ctx_back)
{
	struct prog p = { .cnt = 0, .map_slot = -1, .prog_flags = BPF_F_SLEEPABLE };
	uint32_t ctx[2][2] = { { 41, 0 }, { 41, 0 } };
	uint32_t retval[2];

	emit(&p, OBJFMT_OP_LDXW, 0, 1, 0, 0);
	emit(&p, OBJFMT_OP_ADD64_IMM, 0, 0, 0, 15);
	emit(&p, OBJFMT_OP_STXW, 1, 0, 0, 0);
	emit(&p, OBJFMT_OP_STW, 1, 0, 4, 5);
	emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
	for (int b = 0; b < 2; b++) {
		union bpf_attr a = { 0 };
		struct outcome out;

		a.test.ctx_in = (uintptr_t)ctx[b];
		a.test.ctx_size_in = sizeof(ctx[b]);
		a.test.data_size_out = 1; /* no data_out: syscall programs refuse it */
		a.test.data_out = 0;
		for (int repeat = 0; repeat < 2; repeat++) {
			a.test.repeat = (uint32_t)repeat;
			if (b == 0)
				emu_run_unverified(&p, BPF_PROG_TYPE_SYSCALL, NULL, 0, &a, &out);
			else
				kernel_run(&p, BPF_PROG_TYPE_SYSCALL, &a, &out);
			ck_assert_int_eq(out.err, repeat ? -EINVAL : 0);
			if (!repeat)
				retval[b] = out.retval;
		}
	}
	ck_assert_uint_eq(retval[0], retval[1]);
	ck_assert_uint_eq(retval[1], 41 + 15);
	ck_assert_int_eq(memcmp(ctx[0], ctx[1], sizeof(ctx[0])), 0);
	ck_assert_uint_eq(ctx[1][1], 5);
}
END_TEST

/* XDP: grow the head by 4 bytes and write them, add 8 bytes of metadata, grow the
 * tail by 6 (cleared) bytes; data_out starts at the metadata, ctx_out has the
 * offsets. Variants start with metadata from ctx_in and shrink instead. */
START_TEST(xdp_adjust_head_meta_tail_agree)
{
	static const int32_t head[] = { -4, 14, -4, -300 };
	static const int32_t meta[] = { -8, -4, -36, -8 };
	static const int32_t tail[] = { 6, -10, 3000, 0 };
	uint8_t packet[64];

	for (size_t i = 0; i < sizeof(packet); i++)
		packet[i] = (uint8_t)(i * 7 + 1);
	for (int v = 0; v < 4; v++) {
		struct prog p = { .cnt = 0, .map_slot = -1 };
		struct xdp_md ctx = { .data = v == 1 ? 4 : 0, .data_end = sizeof(packet) };
		union bpf_attr attr = { 0 };
		char what[32];

		emit(&p, OBJFMT_OP_MOV64_REG, 6, 1, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, head[v]);
		emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_head);
		emit(&p, OBJFMT_OP_MOV64_REG, 7, 0, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_REG, 1, 6, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, meta[v]);
		emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_meta);
		emit(&p, OBJFMT_OP_LSH64_IMM, 7, 0, 0, 8);
		emit(&p, OBJFMT_OP_OR64_REG, 7, 0, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_REG, 1, 6, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, tail[v]);
		emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_tail);
		emit(&p, OBJFMT_OP_LSH64_IMM, 7, 0, 0, 8);
		emit(&p, OBJFMT_OP_OR64_REG, 7, 0, 0, 0);
		/* write 0xab to the first data byte and 0xcd to the first metadata byte */
		emit(&p, OBJFMT_OP_LDXW, 2, 6, 0, 0);
		emit(&p, OBJFMT_OP_LDXW, 3, 6, 4, 0);
		emit(&p, OBJFMT_OP_LDXW, 4, 6, 8, 0);
		emit(&p, OBJFMT_OP_MOV64_REG, 5, 2, 0, 0);
		emit(&p, OBJFMT_OP_ADD64_IMM, 5, 0, 0, 1);
		emit(&p, OBJFMT_OP_JGT_REG, 5, 3, 1, 0);
		emit(&p, OBJFMT_OP_STB, 2, 0, 0, 0xab);
		emit(&p, OBJFMT_OP_MOV64_REG, 5, 4, 0, 0);
		emit(&p, OBJFMT_OP_ADD64_IMM, 5, 0, 0, 1);
		emit(&p, OBJFMT_OP_JGT_REG, 5, 2, 1, 0);
		emit(&p, OBJFMT_OP_STB, 4, 0, 0, 0xcd);
		emit(&p, OBJFMT_OP_MOV64_REG, 0, 7, 0, 0);
		emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
		attr.test.data_in = (uintptr_t)packet;
		attr.test.data_size_in = sizeof(packet);
		attr.test.ctx_in = (uintptr_t)&ctx;
		attr.test.ctx_size_in = sizeof(ctx);
		attr.test.ctx_size_out = sizeof(ctx);
		snprintf(what, sizeof(what), "xdp adjust, variant %d", v);
		run_both(&p, BPF_PROG_TYPE_XDP, &attr, what);
	}
}
END_TEST

/* ringbuf_reserve 16 bytes, write them, submit (or discard for odd sizes); a
 * reservation larger than the ring fails with NULL. r0 reports what the program saw
 * and where the producer stands. */
START_TEST(ringbuf_reserve_submit_discard_agree)
{
	static const int32_t sizes[] = { 16, 8, 4096, 24 };
	union bpf_attr attr = { 0 };
	uint8_t packet[64] = { 0 };

	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	for (size_t v = 0; v < sizeof(sizes) / sizeof(sizes[0]); v++) {
		struct outcome out[2];

		for (int b = 0; b < 2; b++) {
			struct prog p = { .cnt = 0, .map_slot = -1 };
			union bpf_attr map = { 0 };
			int rb, fd;

			map.map_type = BPF_MAP_TYPE_RINGBUF;
			map.max_entries = 4096;
			rb = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
			ck_assert_int_ge(rb, 0);
			emit(&p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, rb);
			emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, sizes[v]);
			emit(&p, OBJFMT_OP_MOV64_IMM, 3, 0, 0, 0);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve);
			emit(&p, OBJFMT_OP_MOV64_IMM, 6, 0, 0, 1000);
			emit(&p, OBJFMT_OP_JEQ_IMM, 0, 0, 6, 0);
			emit(&p, OBJFMT_OP_STDW, 0, 0, 0, 0x42);
			emit(&p, OBJFMT_OP_MOV64_REG, 1, 0, 0, 0);
			emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, 0);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0,
			     v == 3 ? BPF_FUNC_ringbuf_discard : BPF_FUNC_ringbuf_submit);
			emit(&p, OBJFMT_OP_MOV64_IMM, 6, 0, 0, 2000);
			emit(&p, OBJFMT_OP_JA, 0, 0, 0, 0);
			emit(&p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, rb);
			emit(&p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, BPF_RB_PROD_POS);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_ringbuf_query);
			emit(&p, OBJFMT_OP_ADD64_REG, 0, 6, 0, 0);
			emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
			fd = load(backends[b], &p, BPF_PROG_TYPE_XDP, -1);
			test_run(backends[b], fd, &attr, &out[b]);
			close(fd);
			close(rb);
		}
		assert_same(&out[0], &out[1], "ringbuf reserve");
	}
}
END_TEST

/* perf_event_output to a perf event array: an index past the array is E2BIG, a slot
 * without an event ENOENT, more packet bytes than the packet has EFAULT, unknown
 * flags EINVAL, as in the kernel. */
START_TEST(perf_event_output_errors_agree)
{
	static const int64_t flags[] = { BPF_F_CURRENT_CPU, 0, 1000, 1ll << 40, 1ll << 60 };
	union bpf_attr attr = { 0 };
	uint8_t packet[64] = { 0 };

	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	for (size_t v = 0; v < sizeof(flags) / sizeof(flags[0]); v++) {
		struct outcome out[2];

		for (int b = 0; b < 2; b++) {
			struct prog p = { .cnt = 0, .map_slot = -1 };
			union bpf_attr map = { 0 };
			int pe, fd;

			map.map_type = BPF_MAP_TYPE_PERF_EVENT_ARRAY;
			map.key_size = 4;
			map.value_size = 4;
			map.max_entries = 2;
			pe = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
			ck_assert_int_ge(pe, 0);
			emit(&p, OBJFMT_OP_STDW, 10, 0, -8, 7);
			emit(&p, OBJFMT_OP_LDDW, 2, OBJFMT_PSEUDO_MAP_FD, 0, pe);
			emit(&p, OBJFMT_OP_LDDW, 3, 0, 0, flags[v]);
			emit(&p, OBJFMT_OP_MOV64_REG, 4, 10, 0, 0);
			emit(&p, OBJFMT_OP_ADD64_IMM, 4, 0, 0, -8);
			emit(&p, OBJFMT_OP_MOV64_IMM, 5, 0, 0, 8);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_perf_event_output);
			emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
			fd = load(backends[b], &p, BPF_PROG_TYPE_XDP, -1);
			test_run(backends[b], fd, &attr, &out[b]);
			close(fd);
			close(pe);
		}
		char what[48];

		snprintf(what, sizeof(what), "perf_event_output flags %#llx",
			 (unsigned long long)flags[v]);
		assert_same(&out[0], &out[1], what);
	}
}
END_TEST

/* bpf_snprintf with the format in a frozen read-only map (as the kernel requires):
 * the formatted bytes are copied into the packet, so data_out shows them. %s and %pI
 * arguments point at a 16-byte stack slot holding "hello" or an address. */
struct format_case {
	const char *fmt;
	int64_t args[6];
	int nargs;
	bool pointer_args; /* every argument is &slot */
	char slot[17]; /* 16 bytes for the stack slot */
};

static const struct format_case format_cases[] = {
	{ "%d %i %u %x %X", { -5, 7, 0xffffffff, 255, 0xabcdef }, 5, false, "" },
	{ "%ld %lu %lx %llx %lld", { -1, -1, -1, 0xabc, INT64_MIN }, 5, false, "" },
	{ "%5d|%-5d|%05d|%+d|% d", { 42, 42, 42, 42, 42 }, 5, false, "" },
	{ "%d %u %x", { 0x1ffffffffll, -1, 0x123456789ll }, 3, false, "" },
	{ "%c%c%c|%%|%3c", { 'a', 'b', 'c', 'z' }, 4, false, "" },
	{ "[%s] [%8s] [%-8s]", { 0, 0, 0 }, 3, true, "hello" },
	{ "%pI4 %pi4", { 0, 0 }, 2, true, "\x0a\x00\x00\x01" },
	{ "%pI6", { 0 }, 1, true, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01" },
	{ "%z", { 1 }, 1, false, "" },
	{ "%d %d", { 1 }, 1, false, "" },
	{ "%lld%", { 1 }, 1, false, "" },
	{ "%hd", { 1 }, 1, false, "" },
	{ "tab\there", { 0 }, 0, false, "" },
};

static void build_format_case(struct prog *p, const struct format_case *c, int map_fd)
{
	p->cnt = 0;
	p->map_slot = -1;
	p->prog_flags = 0;
	emit(p, OBJFMT_OP_MOV64_REG, 6, 1, 0, 0);
	for (int i = 0; i < 8; i++)                      /* out[64] at fp-128 */
		emit(p, OBJFMT_OP_STDW, 10, 0, (int16_t)(-128 + 8 * i), 0);
	for (int i = 0; i < 2; i++) {                    /* slot[16] at fp-144 */
		uint64_t word;

		memcpy(&word, c->slot + 8 * i, 8);
		emit(p, OBJFMT_OP_LDDW, 1, 0, 0, (int64_t)word);
		emit(p, OBJFMT_OP_STXDW, 10, 1, (int16_t)(-144 + 8 * i), 0);
	}
	for (int i = 0; i < 6; i++) {                    /* args[6] at fp-64 */
		emit(p, OBJFMT_OP_LDDW, 1, 0, 0, c->args[i]);
		if (i < c->nargs && c->pointer_args) {
			emit(p, OBJFMT_OP_MOV64_REG, 1, 10, 0, 0);
			emit(p, OBJFMT_OP_ADD64_IMM, 1, 0, 0, -144);
		}
		emit(p, OBJFMT_OP_STXDW, 10, 1, (int16_t)(-64 + 8 * i), 0);
	}
	emit(p, OBJFMT_OP_MOV64_REG, 1, 10, 0, 0);
	emit(p, OBJFMT_OP_ADD64_IMM, 1, 0, 0, -128);
	emit(p, OBJFMT_OP_MOV64_IMM, 2, 0, 0, 64);
	emit(p, OBJFMT_OP_LDDW, 3, OBJFMT_PSEUDO_MAP_VALUE, 0, 0);
	p->insns[p->cnt - 2].imm = map_fd;
	emit(p, OBJFMT_OP_MOV64_REG, 4, 10, 0, 0);
	emit(p, OBJFMT_OP_ADD64_IMM, 4, 0, 0, -64);
	emit(p, OBJFMT_OP_MOV64_IMM, 5, 0, 0, 8 * c->nargs);
	emit(p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_snprintf);
	emit(p, OBJFMT_OP_MOV64_REG, 7, 0, 0, 0);
	emit(p, OBJFMT_OP_LDXW, 2, 6, 0, 0);
	emit(p, OBJFMT_OP_LDXW, 3, 6, 4, 0);
	emit(p, OBJFMT_OP_MOV64_REG, 1, 2, 0, 0);
	emit(p, OBJFMT_OP_ADD64_IMM, 1, 0, 0, 64);
	emit(p, OBJFMT_OP_JGT_REG, 1, 3, 16, 0);
	for (int i = 0; i < 8; i++) {
		emit(p, OBJFMT_OP_LDXDW, 1, 10, (int16_t)(-128 + 8 * i), 0);
		emit(p, OBJFMT_OP_STXDW, 2, 1, (int16_t)(8 * i), 0);
	}
	emit(p, OBJFMT_OP_MOV64_REG, 0, 7, 0, 0);
	emit(p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
}

/* A frozen, program-read-only array holding `text` (64 bytes). */
static int format_map(bpf_fn bpf, const char *text)
{
	union bpf_attr attr = { 0 };
	char value[64] = { 0 };
	uint32_t key = 0;
	long fd;

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = sizeof(value);
	attr.max_entries = 1;
	attr.map_flags = BPF_F_RDONLY_PROG;
	fd = bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	ck_assert_int_ge(fd, 0);
	strncpy(value, text, sizeof(value) - 1);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)value;
	ck_assert_int_eq(bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)), 0);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	ck_assert_int_eq(bpf(BPF_MAP_FREEZE, &attr, sizeof(attr)), 0);
	return (int)fd;
}

START_TEST(snprintf_formats_agree)
{
	int formatted = 0;

	for (size_t i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		uint8_t packet[64] = { 0 };
		union bpf_attr attr = { 0 };
		struct outcome out[2];
		long load_err[2];
		char what[96];

		attr.test.data_in = (uintptr_t)packet;
		attr.test.data_size_in = sizeof(packet);
		for (int b = 0; b < 2; b++) {
			int map = format_map(backends[b], format_cases[i].fmt);
			union bpf_attr load_attr = { 0 };
			struct prog p;

			build_format_case(&p, &format_cases[i], map);
			load_attr.prog_type = BPF_PROG_TYPE_XDP;
			load_attr.insns = (uintptr_t)p.insns;
			load_attr.insn_cnt = p.cnt;
			load_attr.license = (uintptr_t)"GPL";
			load_err[b] = backends[b](BPF_PROG_LOAD, &load_attr, sizeof(load_attr));
			memset(&out[b], 0, sizeof(out[b]));
			if (load_err[b] >= 0) {
				test_run(backends[b], (int)load_err[b], &attr, &out[b]);
				close((int)load_err[b]);
			}
			close(map);
		}
		snprintf(what, sizeof(what), "snprintf '%s' (emulator: %.40s)",
			 format_cases[i].fmt, (const char *)out[0].data);
		if (load_err[1] < 0) {
			/* the kernel checks constant formats at load time; the emulator's
			 * verifier may not yet, but then the helper must refuse the format */
			ck_assert_msg(load_err[1] == -EINVAL, "%s: kernel load %ld", what, load_err[1]);
			ck_assert_msg(load_err[0] == -EINVAL ||
				      (load_err[0] >= 0 && out[0].retval == (uint32_t)-EINVAL),
				      "%s: emulator load %ld retval %d", what, load_err[0],
				      (int)out[0].retval);
			continue;
		}
		ck_assert_msg(load_err[0] >= 0, "%s: emulator load %ld", what, load_err[0]);
		assert_same(&out[0], &out[1], what);
		ck_assert_msg(out[1].retval > 1 && out[1].retval < 128, "%s: kernel retval %d", what,
			      (int)out[1].retval);
		formatted++;
	}
	ck_assert_int_eq(formatted, 9); /* the four bad formats are refused */
}
END_TEST

/* Map helpers on hash, queue and stack maps: each call's result is folded into r0
 * (4 bits per call), so return codes (EEXIST, ENOENT, E2BIG...) must agree, and the
 * hash map's contents after the run too. */
static void emit_key_value(struct prog *p, int32_t key, int32_t value)
{
	emit(p, OBJFMT_OP_STW, 10, 0, -4, key);
	emit(p, OBJFMT_OP_STDW, 10, 0, -16, value);
}

static void emit_fold(struct prog *p)
{
	emit(p, OBJFMT_OP_AND64_IMM, 0, 0, 0, 0xf);
	emit(p, OBJFMT_OP_LSH64_IMM, 7, 0, 0, 4);
	emit(p, OBJFMT_OP_OR64_REG, 7, 0, 0, 0);
}

static void emit_map_call(struct prog *p, int map_fd, int32_t helper, int64_t flags)
{
	emit(p, OBJFMT_OP_MOV64_REG, 2, 10, 0, 0);
	emit(p, OBJFMT_OP_ADD64_IMM, 2, 0, 0, -4);
	emit(p, OBJFMT_OP_MOV64_REG, 3, 10, 0, 0);
	emit(p, OBJFMT_OP_ADD64_IMM, 3, 0, 0, -16);
	emit(p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, map_fd);
	if (helper == BPF_FUNC_map_update_elem)
		emit(p, OBJFMT_OP_MOV64_IMM, 4, 0, 0, (int32_t)flags);
	if (helper == BPF_FUNC_map_push_elem) {
		emit(p, OBJFMT_OP_MOV64_REG, 2, 3, 0, 0);
		emit(p, OBJFMT_OP_MOV64_IMM, 3, 0, 0, (int32_t)flags);
	}
	if (helper == BPF_FUNC_map_pop_elem || helper == BPF_FUNC_map_peek_elem)
		emit(p, OBJFMT_OP_MOV64_REG, 2, 3, 0, 0);
	emit(p, OBJFMT_OP_CALL, 0, 0, 0, helper);
	if (helper == BPF_FUNC_map_pop_elem || helper == BPF_FUNC_map_peek_elem) {
		emit(p, OBJFMT_OP_LDXDW, 1, 10, -16, 0);  /* the value read */
		emit(p, OBJFMT_OP_ADD64_REG, 0, 1, 0, 0);
	}
	emit_fold(p);
}

START_TEST(map_helpers_return_codes_and_contents_agree)
{
	union bpf_attr attr = { 0 };
	uint8_t packet[64] = { 0 };
	struct outcome out[2];
	uint64_t contents[2][3];

	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	for (int b = 0; b < 2; b++) {
		union bpf_attr map = { 0 };
		struct prog p = { .cnt = 0, .map_slot = -1 };
		int hash, queue, stack, fd;

		map.map_type = BPF_MAP_TYPE_HASH;
		map.key_size = 4;
		map.value_size = 8;
		map.max_entries = 2;
		hash = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
		map.map_type = BPF_MAP_TYPE_QUEUE;
		map.key_size = 0;
		queue = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
		map.map_type = BPF_MAP_TYPE_STACK;
		stack = (int)backends[b](BPF_MAP_CREATE, &map, sizeof(map));
		ck_assert_int_ge(hash, 0);
		ck_assert_int_ge(queue, 0);
		ck_assert_int_ge(stack, 0);
		emit(&p, OBJFMT_OP_MOV64_REG, 6, 1, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_IMM, 7, 0, 0, 0);
		emit_key_value(&p, 1, 10);
		emit_map_call(&p, hash, BPF_FUNC_map_update_elem, BPF_NOEXIST);   /* 0 */
		emit_key_value(&p, 1, 11);
		emit_map_call(&p, hash, BPF_FUNC_map_update_elem, BPF_NOEXIST);   /* EEXIST */
		emit_key_value(&p, 2, 20);
		emit_map_call(&p, hash, BPF_FUNC_map_update_elem, BPF_EXIST);     /* ENOENT */
		emit_map_call(&p, hash, BPF_FUNC_map_update_elem, BPF_ANY);       /* 0 */
		emit_key_value(&p, 3, 30);
		emit_map_call(&p, hash, BPF_FUNC_map_update_elem, BPF_ANY);       /* E2BIG */
		emit_map_call(&p, hash, BPF_FUNC_map_update_elem, 7);             /* EINVAL */
		emit_key_value(&p, 2, 0);
		emit_map_call(&p, hash, BPF_FUNC_map_delete_elem, 0);             /* 0 */
		emit_map_call(&p, hash, BPF_FUNC_map_delete_elem, 0);             /* ENOENT */
		emit_key_value(&p, 0, 5);
		emit_map_call(&p, queue, BPF_FUNC_map_push_elem, 0);
		emit_key_value(&p, 0, 6);
		emit_map_call(&p, queue, BPF_FUNC_map_push_elem, 0);
		emit_map_call(&p, queue, BPF_FUNC_map_push_elem, 0);             /* full */
		emit_map_call(&p, queue, BPF_FUNC_map_push_elem, BPF_EXIST);     /* evicts */
		emit_map_call(&p, queue, BPF_FUNC_map_peek_elem, 0);
		emit_map_call(&p, queue, BPF_FUNC_map_pop_elem, 0);
		emit_key_value(&p, 0, 7);
		emit_map_call(&p, stack, BPF_FUNC_map_push_elem, 0);
		emit_key_value(&p, 0, 8);
		emit_map_call(&p, stack, BPF_FUNC_map_push_elem, 0);
		emit_map_call(&p, stack, BPF_FUNC_map_pop_elem, 0);
		emit_map_call(&p, stack, BPF_FUNC_map_pop_elem, 0);
		emit_map_call(&p, stack, BPF_FUNC_map_pop_elem, 0);               /* ENOENT */
		/* r7 (the folded results) goes to the packet's first 8 bytes */
		emit(&p, OBJFMT_OP_LDXW, 2, 6, 0, 0);
		emit(&p, OBJFMT_OP_LDXW, 3, 6, 4, 0);
		emit(&p, OBJFMT_OP_MOV64_REG, 1, 2, 0, 0);
		emit(&p, OBJFMT_OP_ADD64_IMM, 1, 0, 0, 8);
		emit(&p, OBJFMT_OP_JGT_REG, 1, 3, 1, 0);
		emit(&p, OBJFMT_OP_STXDW, 2, 7, 0, 0);
		emit(&p, OBJFMT_OP_MOV64_REG, 0, 7, 0, 0);
		emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
		fd = load(backends[b], &p, BPF_PROG_TYPE_XDP, -1);
		test_run(backends[b], fd, &attr, &out[b]);
		for (uint32_t key = 1; key <= 3; key++) {
			union bpf_attr lookup = { 0 };
			uint64_t value = 0;

			lookup.map_fd = (uint32_t)hash;
			lookup.key = (uintptr_t)&key;
			lookup.value = (uintptr_t)&value;
			contents[b][key - 1] = backends[b](BPF_MAP_LOOKUP_ELEM, &lookup,
							   sizeof(lookup)) == 0 ? value : 999;
		}
		close(fd);
		close(hash);
		close(queue);
		close(stack);
	}
	{
		char what[80];
		uint64_t r7[2];

		memcpy(&r7[0], out[0].data, 8);
		memcpy(&r7[1], out[1].data, 8);
		snprintf(what, sizeof(what), "map helpers: emulator %016llx kernel %016llx",
			 (unsigned long long)r7[0], (unsigned long long)r7[1]);
		assert_same(&out[0], &out[1], what);
	}
	ck_assert_int_eq(memcmp(contents[0], contents[1], sizeof(contents[0])), 0);
	ck_assert_uint_eq(contents[1][0], 10);
	ck_assert_uint_eq(contents[1][1], 999);
}
END_TEST

/* cgroup_skb sees the packet from the IP header on and the dummy socket's fields;
 * it may only return 0 or 1, so what it reads goes into an array map (4 slots of
 * u64: family | len << 32, local_ip4 | remote_ip4 << 32, protocol | pkt_type << 32,
 * the first 8 packet bytes). */
START_TEST(cgroup_skb_fields_agree)
{
	static const struct { int16_t lo, hi; } slots[3] = {
		{ offsetof(struct __sk_buff, family), offsetof(struct __sk_buff, len) },
		{ offsetof(struct __sk_buff, local_ip4), offsetof(struct __sk_buff, remote_ip4) },
		{ offsetof(struct __sk_buff, protocol), offsetof(struct __sk_buff, pkt_type) },
	};
	uint64_t contents[2][4];
	uint8_t frame[sizeof(ipv4_tcp)];

	memcpy(frame, ipv4_tcp, sizeof(frame));
	for (int b = 0; b < 2; b++) {
		struct prog p = { .cnt = 0, .map_slot = -1 };
		union bpf_attr attr = { 0 };
		struct outcome out;
		int map = create_array(backends[b]), fd;

		emit(&p, OBJFMT_OP_MOV64_REG, 6, 1, 0, 0);
		for (int k = 0; k < 4; k++) {
			if (k < 3) {
				emit(&p, OBJFMT_OP_LDXW, 7, 6, slots[k].lo, 0);
				emit(&p, OBJFMT_OP_LDXW, 8, 6, slots[k].hi, 0);
				emit(&p, OBJFMT_OP_LSH64_IMM, 8, 0, 0, 32);
				emit(&p, OBJFMT_OP_OR64_REG, 7, 8, 0, 0);
			} else {
				emit(&p, OBJFMT_OP_LDXW, 2, 6, offsetof(struct __sk_buff, data), 0);
				emit(&p, OBJFMT_OP_LDXW, 3, 6, offsetof(struct __sk_buff, data_end), 0);
				emit(&p, OBJFMT_OP_MOV64_IMM, 7, 0, 0, -1);
				emit(&p, OBJFMT_OP_MOV64_REG, 1, 2, 0, 0);
				emit(&p, OBJFMT_OP_ADD64_IMM, 1, 0, 0, 8);
				emit(&p, OBJFMT_OP_JGT_REG, 1, 3, 1, 0);
				emit(&p, OBJFMT_OP_LDXDW, 7, 2, 0, 0);
			}
			emit(&p, OBJFMT_OP_STW, 10, 0, -4, k);
			emit(&p, OBJFMT_OP_STXDW, 10, 7, -16, 0);
			emit(&p, OBJFMT_OP_LDDW, 1, OBJFMT_PSEUDO_MAP_FD, 0, map);
			emit(&p, OBJFMT_OP_MOV64_REG, 2, 10, 0, 0);
			emit(&p, OBJFMT_OP_ADD64_IMM, 2, 0, 0, -4);
			emit(&p, OBJFMT_OP_MOV64_REG, 3, 10, 0, 0);
			emit(&p, OBJFMT_OP_ADD64_IMM, 3, 0, 0, -16);
			emit(&p, OBJFMT_OP_MOV64_IMM, 4, 0, 0, 0);
			emit(&p, OBJFMT_OP_CALL, 0, 0, 0, BPF_FUNC_map_update_elem);
		}
		emit(&p, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 1);
		emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
		fd = load(backends[b], &p, BPF_PROG_TYPE_CGROUP_SKB, -1);
		attr.test.data_in = (uintptr_t)frame;
		attr.test.data_size_in = sizeof(frame);
		test_run(backends[b], fd, &attr, &out);
		ck_assert_int_eq(out.err, 0);
		ck_assert_uint_eq(out.retval, 1);
		for (uint32_t key = 0; key < 4; key++)
			contents[b][key] = map_value(backends[b], map, key);
		close(fd);
		close(map);
	}
	for (int k = 0; k < 4; k++)
		ck_assert_msg(contents[0][k] == contents[1][k], "slot %d: emulator %#llx kernel %#llx",
			      k, (unsigned long long)contents[0][k],
			      (unsigned long long)contents[1][k]);
}
END_TEST

/* XDP frame layout from ctx_in: data_end sets the linear part (the rest of data_in
 * becomes fragments), data the metadata; the program reports both lengths and marks
 * its first byte; packets larger than a page go to fragments too. */
START_TEST(xdp_linear_part_and_fragments_agree)
{
	static const struct { uint32_t size, data, data_end; bool ctx; } cases[] = {
		{ 64, 0, 32, true }, { 64, 8, 40, true }, { 64, 0, 65, true },
		{ 64, 16, 8, true }, { 64, 8, 8, true }, { 64, 4, 64, true },
		{ 5000, 0, 0, false }, { 5000, 0, 4000, true }, { 20, 8, 20, true },
	};
	static uint8_t packet[5000];
	static uint8_t out[2][6000];

	for (size_t i = 0; i < sizeof(packet); i++)
		packet[i] = (uint8_t)(i * 13 + 5);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct outcome res[2];
		uint32_t size_out[2];
		char what[64];

		for (int b = 0; b < 2; b++) {
			struct prog p = { .cnt = 0, .map_slot = -1 };
			struct xdp_md ctx = { .data = cases[c].data, .data_end = cases[c].data_end };
			union bpf_attr attr = { 0 };
			int fd;

			emit(&p, OBJFMT_OP_LDXW, 2, 1, 0, 0);
			emit(&p, OBJFMT_OP_LDXW, 3, 1, 4, 0);
			emit(&p, OBJFMT_OP_LDXW, 4, 1, 8, 0);
			emit(&p, OBJFMT_OP_MOV64_REG, 0, 3, 0, 0);
			emit(&p, OBJFMT_OP_SUB64_REG, 0, 2, 0, 0);
			emit(&p, OBJFMT_OP_MOV64_REG, 5, 2, 0, 0);
			emit(&p, OBJFMT_OP_SUB64_REG, 5, 4, 0, 0);
			emit(&p, OBJFMT_OP_LSH64_IMM, 5, 0, 0, 16);
			emit(&p, OBJFMT_OP_OR64_REG, 0, 5, 0, 0);
			emit(&p, OBJFMT_OP_MOV64_REG, 5, 2, 0, 0);
			emit(&p, OBJFMT_OP_ADD64_IMM, 5, 0, 0, 1);
			emit(&p, OBJFMT_OP_JGT_REG, 5, 3, 1, 0);
			emit(&p, OBJFMT_OP_STB, 2, 0, 0, 0xee);
			emit(&p, OBJFMT_OP_EXIT, 0, 0, 0, 0);
			fd = load(backends[b], &p, BPF_PROG_TYPE_XDP, -1);
			attr.test.data_in = (uintptr_t)packet;
			attr.test.data_size_in = cases[c].size;
			attr.test.data_out = (uintptr_t)out[b];
			attr.test.data_size_out = sizeof(out[b]);
			if (cases[c].ctx) {
				attr.test.ctx_in = (uintptr_t)&ctx;
				attr.test.ctx_size_in = sizeof(ctx);
				attr.test.ctx_size_out = sizeof(ctx);
			}
			test_run(backends[b], fd, &attr, &res[b]);
			size_out[b] = res[b].data_size_out;
			close(fd);
		}
		snprintf(what, sizeof(what), "xdp layout case %zu", c);
		assert_same(&res[0], &res[1], what);
		if (!res[1].err)
			ck_assert_int_eq(memcmp(out[0], out[1], size_out[1]), 0);
	}
}
END_TEST

/* progtype.h against the kernel's verifier: for every ctx offset, access size and
 * direction, a one-access program loads in the kernel exactly when
 * emu_progtype_ctx_access allows the access. */
static bool kernel_accepts_ctx_access(uint32_t type, uint32_t attach, uint32_t flags,
				      int16_t off, uint8_t size_bits, bool write)
{
	struct objfmt_insn insns[4] = { { 0 } };
	union bpf_attr attr = { 0 };
	int n = 0;
	long fd;

	if (write) {
		insns[n++] = (struct objfmt_insn){ .code = 0xb7, .dst_reg = 2 };
		insns[n++] = (struct objfmt_insn){ .code = (uint8_t)(0x63 | size_bits),
						   .dst_reg = 1, .src_reg = 2, .off = off };
	} else {
		insns[n++] = (struct objfmt_insn){ .code = (uint8_t)(0x61 | size_bits),
						   .dst_reg = 0, .src_reg = 1, .off = off };
	}
	insns[n++] = (struct objfmt_insn){ .code = 0xb7, .imm = 1 }; /* valid for every hook */
	insns[n++] = (struct objfmt_insn){ .code = 0x95 };
	attr.prog_type = type;
	attr.expected_attach_type = attach;
	attr.prog_flags = flags;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uintptr_t)"GPL";
	fd = kernel_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0)
		close((int)fd);
	return fd >= 0;
}

START_TEST(ctx_access_rules_match_the_kernel_verifier)
{
	static const struct { uint32_t type, attach, flags; } types[] = {
		{ BPF_PROG_TYPE_SOCKET_FILTER, 0, 0 }, { BPF_PROG_TYPE_SCHED_CLS, 0, 0 },
		{ BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, 0 },
		{ BPF_PROG_TYPE_FLOW_DISSECTOR, 0, 0 }, { BPF_PROG_TYPE_XDP, 0, 0 },
		{ BPF_PROG_TYPE_PERF_EVENT, 0, 0 }, { BPF_PROG_TYPE_KPROBE, 0, 0 },
		{ BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0 }, { BPF_PROG_TYPE_TRACEPOINT, 0, 0 },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0 },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 0 },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 0 },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 0 },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, 0 },
		{ BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0 },
		{ BPF_PROG_TYPE_SYSCALL, 0, BPF_F_SLEEPABLE },
		{ BPF_PROG_TYPE_NETFILTER, 45 /* BPF_NETFILTER */, 0 },
	};
	static const uint8_t size_bits[4] = { 0x10, 0x08, 0x00, 0x18 }; /* B H W DW */
	int checked = 0;

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		const struct emu_progtype *pt = emu_progtype_get(types[t].type);
		uint32_t limit = pt->ctx_size > 200 ? 200 : pt->ctx_size;

		for (uint32_t off = 0; off < limit + 8; off++) {
			for (int s = 0; s < 4; s++) {
				uint32_t size = 1u << s;

				if (off % size)
					continue;
				for (int write = 0; write < 2; write++) {
					struct emu_ctx_access access;
					bool emu = emu_progtype_ctx_access_attach(
						pt, types[t].attach, (int32_t)off, size, write,
						&access) == 0;
					bool kernel = kernel_accepts_ctx_access(
						types[t].type, types[t].attach, types[t].flags,
						(int16_t)off, size_bits[s], write);

					ck_assert_msg(emu == kernel,
						      "%s (attach %u): %s of %u bytes at %u: kernel "
						      "%s, progtype.h %s", pt->name, types[t].attach,
						      write ? "write" : "read", size, off,
						      kernel ? "allows" : "refuses",
						      emu ? "allows" : "refuses");
					checked++;
				}
			}
		}
	}
	ck_assert_int_gt(checked, 5000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exec_differential_types");
	TCase *tc = tcase_create("kernel");
	SRunner *sr;
	int failed;

	(void)verifier_link;
	if (!kernel_bpf_usable()) {
		puts("SKIP: the kernel's bpf(2) is not usable here (needs root)");
		return 77;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tail_call_chain_stops_after_33_calls);
	tcase_add_test(tc, ringbuf_output_and_query_agree);
	tcase_add_test(tc, ringbuf_reserve_submit_discard_agree);
	tcase_add_test(tc, perf_event_output_errors_agree);
	tcase_add_test(tc, snprintf_formats_agree);
	tcase_add_test(tc, map_helpers_return_codes_and_contents_agree);
	tcase_add_test(tc, cgroup_skb_fields_agree);
	tcase_add_test(tc, xdp_linear_part_and_fragments_agree);
	tcase_add_test(tc, ctx_access_rules_match_the_kernel_verifier);
	tcase_add_test(tc, flow_dissector_keys_agree);
	tcase_add_test(tc, raw_tracepoint_args_and_input_rules);
	tcase_add_test(tc, syscall_program_writes_ctx_back);
	tcase_add_test(tc, xdp_adjust_head_meta_tail_agree);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
