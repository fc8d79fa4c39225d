/* test_exec_differential.c - the emulator's BPF_PROG_TEST_RUN against the real
 * kernel's, through the same bpf() calls: generated ALU programs over XDP packets
 * (retval, data_out, map side effects), generated sched_cls and socket filter
 * programs, socket filter ctx fields and legacy packet loads, sched_cls packet rewriting with checksums and ctx_out, and the errno of bad
 * test_run input. Exits 77 (SKIP) without a usable bpf(2) (not root). */
#include "differential.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

/* One random ALU op on r4..r9 with operands valid for the kernel verifier. */
static void random_alu(struct prog *p)
{
	static const enum objfmt_op reg_ops[] = {
		OP(ADD64_REG), OP(SUB64_REG), OP(MUL64_REG), OP(DIV64_REG), OP(SDIV64_REG),
		OP(MOD64_REG), OP(SMOD64_REG), OP(OR64_REG), OP(AND64_REG), OP(XOR64_REG),
		OP(LSH64_REG), OP(RSH64_REG), OP(ARSH64_REG), OP(MOV64_REG), OP(MOVSX8_64),
		OP(MOVSX16_64), OP(MOVSX32_64), OP(ADD32_REG), OP(SUB32_REG), OP(MUL32_REG),
		OP(DIV32_REG), OP(SDIV32_REG), OP(MOD32_REG), OP(SMOD32_REG), OP(OR32_REG),
		OP(AND32_REG), OP(XOR32_REG), OP(LSH32_REG), OP(RSH32_REG), OP(ARSH32_REG),
		OP(MOV32_REG), OP(MOVSX8_32), OP(MOVSX16_32),
	};
	static const enum objfmt_op imm_ops[] = {
		OP(ADD64_IMM), OP(SUB64_IMM), OP(MUL64_IMM), OP(DIV64_IMM), OP(SDIV64_IMM),
		OP(MOD64_IMM), OP(SMOD64_IMM), OP(OR64_IMM), OP(AND64_IMM), OP(XOR64_IMM),
		OP(MOV64_IMM), OP(ADD32_IMM), OP(MUL32_IMM), OP(DIV32_IMM), OP(SDIV32_IMM),
		OP(MOD32_IMM), OP(SMOD32_IMM), OP(XOR32_IMM), OP(MOV32_IMM),
	};
	static const enum objfmt_op unary_ops[] = {
		OP(NEG64), OP(NEG32), OP(BE16), OP(BE32), OP(BE64), OP(LE16), OP(LE32),
		OP(BSWAP16), OP(BSWAP32), OP(BSWAP64),
	};
	static const int32_t imms[] = { 0, 1, -1, 2, 7, -7, 0x7fffffff, INT32_MIN, 0x1234 };
	uint8_t dst = (uint8_t)(4 + rng() % 6), src = (uint8_t)(4 + rng() % 6);
	uint32_t kind = rng() % 8;

	if (kind < 4) {
		emit(p, reg_ops[rng() % (sizeof(reg_ops) / sizeof(reg_ops[0]))], dst, src, 0, 0);
	} else if (kind < 6) {
		int32_t imm = imms[rng() % (sizeof(imms) / sizeof(imms[0]))];
		enum objfmt_op op = imm_ops[rng() % (sizeof(imm_ops) / sizeof(imm_ops[0]))];
		bool divides = op == OP(DIV64_IMM) || op == OP(SDIV64_IMM) || op == OP(MOD64_IMM) ||
			       op == OP(SMOD64_IMM) || op == OP(DIV32_IMM) || op == OP(SDIV32_IMM) ||
			       op == OP(MOD32_IMM) || op == OP(SMOD32_IMM);

		emit(p, op, dst, 0, 0, divides && imm == 0 ? 3 : imm); /* kernel: div by 0 imm */
	} else if (kind == 6) {
		emit(p, unary_ops[rng() % (sizeof(unary_ops) / sizeof(unary_ops[0]))], dst, 0, 0, 0);
	} else {
		static const enum objfmt_op shifts[] = { OP(LSH64_IMM), OP(RSH64_IMM),
							 OP(ARSH64_IMM), OP(LSH32_IMM),
							 OP(RSH32_IMM), OP(ARSH32_IMM) };
		enum objfmt_op op = shifts[rng() % 6];
		uint32_t width = op >= OP(LSH32_IMM) && op <= OP(ARSH32_IMM) ? 32 : 64;

		emit(p, op, dst, 0, 0, rng() % width);
	}
}

/* XDP: load 6 words of the packet, mix them, store them back, count in a map. */
static void build_xdp_alu(struct prog *p, uint32_t ops)
{
	p->cnt = 0;
	p->map_slot = -1;
	p->prog_flags = 0;
	emit(p, OP(LDXW), 2, 1, 0, 0);          /* r2 = data */
	emit(p, OP(LDXW), 3, 1, 4, 0);          /* r3 = data_end */
	emit(p, OP(MOV64_REG), 1, 2, 0, 0);
	emit(p, OP(ADD64_IMM), 1, 0, 0, 48);
	emit(p, OP(JGT_REG), 1, 3, (int16_t)(6 + ops + 6 + 13), 0);
	for (int r = 4; r <= 9; r++)
		emit(p, OP(LDXDW), (uint8_t)r, 2, (int16_t)((r - 4) * 8), 0);
	for (uint32_t i = 0; i < ops; i++)
		random_alu(p);
	for (int r = 4; r <= 9; r++)
		emit(p, OP(STXDW), 2, (uint8_t)r, (int16_t)((r - 4) * 8), 0);
	/* map[r4 & 3] += r5 (atomic), through bpf_map_lookup_elem */
	emit(p, OP(MOV64_REG), 6, 4, 0, 0);
	emit(p, OP(AND64_IMM), 6, 0, 0, 3);
	emit(p, OP(STXW), 10, 6, -4, 0);
	emit(p, OP(MOV64_REG), 2, 10, 0, 0);
	emit(p, OP(ADD64_IMM), 2, 0, 0, -4);
	p->map_slot = (int)p->cnt;
	emit(p, OP(LDDW), 1, OBJFMT_PSEUDO_MAP_FD, 0, 0);
	emit(p, OP(MOV64_REG), 7, 5, 0, 0);
	emit(p, OP(CALL), 0, 0, 0, BPF_FUNC_map_lookup_elem);
	emit(p, OP(JEQ_IMM), 0, 0, 1, 0);
	emit(p, OP(ATOMIC64_ADD), 0, 7, 0, 0);
	emit(p, OP(MOV64_REG), 0, 6, 0, 0);
	emit(p, OP(EXIT), 0, 0, 0, 0);
	emit(p, OP(MOV64_IMM), 0, 0, 0, XDP_PASS);
	emit(p, OP(EXIT), 0, 0, 0, 0);
}

START_TEST(xdp_generated_alu_programs_agree)
{
	for (int n = 0; n < 60; n++) {
		struct prog p;
		int fds[2], maps[2];
		struct outcome out[2];
		char what[64];

		build_xdp_alu(&p, 8 + rng() % 24);
		for (int b = 0; b < 2; b++) {
			maps[b] = create_array(backends[b]);
			fds[b] = load(backends[b], &p, BPF_PROG_TYPE_XDP, maps[b]);
		}
		for (int input = 0; input < 3; input++) {
			uint8_t packet[64];
			union bpf_attr attr = { 0 };

			for (size_t i = 0; i < sizeof(packet); i++)
				packet[i] = (uint8_t)rng();
			if (input == 2)
				memset(packet, input == 2 ? 0 : 0xff, 24); /* zeros: division by 0 */
			attr.test.data_in = (uintptr_t)packet;
			attr.test.data_size_in = sizeof(packet);
			for (int b = 0; b < 2; b++)
				test_run(backends[b], fds[b], &attr, &out[b]);
			snprintf(what, sizeof(what), "program %d input %d", n, input);
			assert_same(&out[0], &out[1], what);
		}
		for (uint32_t key = 0; key < 4; key++)
			ck_assert_uint_eq(map_value(backends[0], maps[0], key),
					  map_value(backends[1], maps[1], key));
		for (int b = 0; b < 2; b++) {
			close(fds[b]);
			close(maps[b]);
		}
	}
}
END_TEST

static const uint8_t ipv4_udp[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x24, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x10, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o', '!', '!', '!', 0xde, 0xad, 0xbe, 0xef,
};

/* Generated ALU programs over __sk_buff types: sched_cls reads and rewrites the
 * packet through data/data_end, the socket filter reads it with ld_abs/ld_ind (from
 * the IP header on) and folds the registers into its return value. */
static void build_skb_alu(struct prog *p, uint32_t ops, bool socket_filter)
{
	p->cnt = 0;
	p->map_slot = -1;
	p->prog_flags = 0;
	if (socket_filter) {
		/* ld_abs/ld_ind need the ctx in r6 and scratch r1-r5 */
		emit(p, OP(MOV64_REG), 6, 1, 0, 0);
		for (int r = 7; r <= 9; r++) {
			emit(p, OP(LDABSW), 0, 0, 0, (r - 7) * 4);
			emit(p, OP(MOV64_REG), (uint8_t)r, 0, 0, 0);
		}
		emit(p, OP(MOV64_IMM), 1, 0, 0, 2);
		emit(p, OP(LDINDH), 0, 1, 0, 24);
		emit(p, OP(MOV64_REG), 4, 0, 0, 0);
		emit(p, OP(MOV64_REG), 5, 7, 0, 0);
		emit(p, OP(XOR64_REG), 5, 8, 0, 0);
		emit(p, OP(MOV64_REG), 6, 9, 0, 0);
		emit(p, OP(ADD64_IMM), 6, 0, 0, 12345);
	} else {
		emit(p, OP(LDXW), 2, 1, (int16_t)offsetof(struct __sk_buff, data), 0);
		emit(p, OP(LDXW), 3, 1, (int16_t)offsetof(struct __sk_buff, data_end), 0);
		emit(p, OP(MOV64_REG), 1, 2, 0, 0);
		emit(p, OP(ADD64_IMM), 1, 0, 0, 48);
		emit(p, OP(JGT_REG), 1, 3, (int16_t)(6 + ops + 6 + 7), 0);
		for (int r = 4; r <= 9; r++)
			emit(p, OP(LDXDW), (uint8_t)r, 2, (int16_t)((r - 4) * 8), 0);
	}
	for (uint32_t i = 0; i < ops; i++)
		random_alu(p);
	if (!socket_filter)
		for (int r = 4; r <= 9; r++)
			emit(p, OP(STXDW), 2, (uint8_t)r, (int16_t)((r - 4) * 8), 0);
	emit(p, OP(MOV64_REG), 0, 4, 0, 0);
	for (int r = 5; r <= 9; r++)
		emit(p, OP(XOR64_REG), 0, (uint8_t)r, 0, 0);
	emit(p, OP(EXIT), 0, 0, 0, 0);
	if (!socket_filter) {
		emit(p, OP(MOV64_IMM), 0, 0, 0, 2);
		emit(p, OP(EXIT), 0, 0, 0, 0);
	}
}

START_TEST(skb_generated_alu_programs_agree)
{
	for (int n = 0; n < 40; n++) {
		bool socket_filter = n % 2;
		uint32_t type = socket_filter ? BPF_PROG_TYPE_SOCKET_FILTER : BPF_PROG_TYPE_SCHED_CLS;
		struct prog p;
		struct outcome out[2];
		int fds[2];
		char what[64];

		build_skb_alu(&p, 8 + rng() % 24, socket_filter);
		for (int b = 0; b < 2; b++)
			fds[b] = load(backends[b], &p, type, -1);
		for (int input = 0; input < 3; input++) {
			uint8_t packet[80];
			union bpf_attr attr = { 0 };

			for (size_t i = 0; i < sizeof(packet); i++)
				packet[i] = (uint8_t)rng();
			if (input == 2)
				memset(packet + 14, 0, 24); /* zeros: division by 0 */
			attr.test.data_in = (uintptr_t)packet;
			attr.test.data_size_in = input == 1 ? 60 : sizeof(packet);
			for (int b = 0; b < 2; b++)
				test_run(backends[b], fds[b], &attr, &out[b]);
			snprintf(what, sizeof(what), "%s program %d input %d",
				 socket_filter ? "socket filter" : "sched_cls", n, input);
			assert_same(&out[0], &out[1], what);
		}
		for (int b = 0; b < 2; b++)
			close(fds[b]);
	}
}
END_TEST

/* Socket filter: ctx fields, ld_abs/ld_ind relative to the network header. */
START_TEST(socket_filter_ctx_and_legacy_loads_agree)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	union bpf_attr attr = { 0 };
	uint8_t frame[sizeof(ipv4_udp)];

	emit(&p, OP(MOV64_REG), 6, 1, 0, 0);
	emit(&p, OP(LDXW), 7, 6, SKB_OFF(len), 0);
	emit(&p, OP(LDXW), 8, 6, SKB_OFF(protocol), 0);
	emit(&p, OP(LSH64_IMM), 8, 0, 0, 16);
	emit(&p, OP(ADD64_REG), 7, 8, 0, 0);
	emit(&p, OP(LDXW), 8, 6, SKB_OFF(pkt_type), 0);
	emit(&p, OP(LSH64_IMM), 8, 0, 0, 8);
	emit(&p, OP(XOR64_REG), 7, 8, 0, 0);
	emit(&p, OP(LDXW), 8, 6, SKB_OFF(ifindex), 0);
	emit(&p, OP(LSH64_IMM), 8, 0, 0, 4);
	emit(&p, OP(XOR64_REG), 7, 8, 0, 0);
	emit(&p, OP(LDXB), 8, 6, SKB_OFF(protocol) + 1, 0); /* narrow load */
	emit(&p, OP(ADD64_REG), 7, 8, 0, 0);
	emit(&p, OP(LDABSB), 0, 0, 0, 9);                   /* IP protocol */
	emit(&p, OP(ADD64_REG), 7, 0, 0, 0);
	emit(&p, OP(MOV64_IMM), 1, 0, 0, 20);
	emit(&p, OP(LDINDH), 0, 1, 0, 2);                   /* UDP destination port */
	emit(&p, OP(LSH64_IMM), 0, 0, 0, 20);
	emit(&p, OP(ADD64_REG), 0, 7, 0, 0);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	memcpy(frame, ipv4_udp, sizeof(frame));
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	run_both(&p, BPF_PROG_TYPE_SOCKET_FILTER, &attr, "socket filter, unicast");
	memset(frame, 0xff, 6);
	run_both(&p, BPF_PROG_TYPE_SOCKET_FILTER, &attr, "socket filter, broadcast");
	frame[0] = 0x01;
	run_both(&p, BPF_PROG_TYPE_SOCKET_FILTER, &attr, "socket filter, multicast");
	/* ld_abs beyond the packet ends the program with 0 */
	p.insns[13].imm = 4000;
	run_both(&p, BPF_PROG_TYPE_SOCKET_FILTER, &attr, "socket filter, ld_abs outside");
}
END_TEST

/* sched_cls: rewrite the destination address with skb_store_bytes, fix the IP
 * checksum with l3_csum_replace, write mark/priority/cb, keep csum_diff in r0. */
/* One helper call per program with constant arguments (r2..r5; r1 is the ctx, r3 is
 * replaced by a stack buffer when `stack_r3`): r0 and the packet must agree. */
struct helper_case {
	int32_t helper;
	int64_t r2, r3, r4, r5;
	bool stack_r3;
};

static const struct helper_case skb_cases[] = {
	{ BPF_FUNC_skb_load_bytes, 0, 0, 4, 0, true },
	{ BPF_FUNC_skb_load_bytes, 50, 0, 4, 0, true },
	{ BPF_FUNC_skb_load_bytes, 51, 0, 4, 0, true },
	{ BPF_FUNC_skb_load_bytes, 0x10000, 0, 4, 0, true },
	{ BPF_FUNC_skb_store_bytes, 0, 0, 4, 0, true },
	{ BPF_FUNC_skb_store_bytes, 50, 0, 4, BPF_F_INVALIDATE_HASH, true },
	{ BPF_FUNC_skb_store_bytes, 52, 0, 4, 0, true },
	{ BPF_FUNC_skb_store_bytes, 10, 0, 4, 4, true },
	{ BPF_FUNC_l3_csum_replace, 24, 0x0100000a, 0x0200000a, 4, false },
	{ BPF_FUNC_l3_csum_replace, 24, 0x1234, 0x4321, 2, false },
	{ BPF_FUNC_l3_csum_replace, 24, 5, 0x1234, 0, false },
	{ BPF_FUNC_l3_csum_replace, 24, 0, 0x1234, 0, false },
	{ BPF_FUNC_l3_csum_replace, 25, 0, 0, 2, false },
	{ BPF_FUNC_l3_csum_replace, 24, 0, 0, 8, false },
	{ BPF_FUNC_l4_csum_replace, 40, 0x0100000a, 0x0200000a, 4 | BPF_F_PSEUDO_HDR, false },
	{ BPF_FUNC_l4_csum_replace, 40, 0x3930, 0x3931, 2 | BPF_F_MARK_MANGLED_0, false },
	{ BPF_FUNC_l4_csum_replace, 40, 0, 0x10, BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE, false },
	{ BPF_FUNC_l4_csum_replace, 40, 0, 0, 0x1000, false },
	{ BPF_FUNC_redirect, 1, 0, 0, 0, false },
	{ BPF_FUNC_redirect, 1, BPF_F_INGRESS, 0, 0, false },
	{ BPF_FUNC_redirect, 1, 2, 0, 0, false },
};

static void build_helper_case(struct prog *p, const struct helper_case *c)
{
	p->cnt = 0;
	p->map_slot = -1;
	p->prog_flags = 0;
	emit(p, OP(STW), 10, 0, -8, 0x11223344);
	emit(p, OP(STW), 10, 0, -4, 0x55667788);
	if (c->helper == BPF_FUNC_redirect) {
		emit(p, OP(MOV64_IMM), 1, 0, 0, (int32_t)c->r2);
		emit(p, OP(MOV64_IMM), 2, 0, 0, (int32_t)c->r3);
	} else {
		emit(p, OP(MOV64_IMM), 2, 0, 0, (int32_t)c->r2);
		if (c->stack_r3) {
			emit(p, OP(MOV64_REG), 3, 10, 0, 0);
			emit(p, OP(ADD64_IMM), 3, 0, 0, -8);
		} else {
			emit(p, OP(MOV64_IMM), 3, 0, 0, (int32_t)c->r3);
		}
		emit(p, OP(MOV64_IMM), 4, 0, 0, (int32_t)c->r4);
		emit(p, OP(MOV64_IMM), 5, 0, 0, (int32_t)c->r5);
	}
	emit(p, OP(CALL), 0, 0, 0, c->helper);
	if (c->helper == BPF_FUNC_skb_load_bytes) {
		emit(p, OP(LDXW), 1, 10, -8, 0);
		emit(p, OP(LSH64_IMM), 0, 0, 0, 32);
		emit(p, OP(OR64_REG), 0, 1, 0, 0);
	}
	emit(p, OP(EXIT), 0, 0, 0, 0);
}

/* wire_len is the qdisc pkt_len, which BPF_PROG_TEST_RUN sets only from a ctx_in:
 * 0 without one, the packet length when ctx_in leaves it 0, else its value. */
START_TEST(skb_wire_len_comes_from_ctx_in)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	union bpf_attr attr = { 0 };
	struct __sk_buff skb = { 0 };
	uint8_t frame[sizeof(ipv4_udp)];

	emit(&p, OP(LDXW), 0, 1, SKB_OFF(wire_len), 0);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	memcpy(frame, ipv4_udp, sizeof(frame));
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "wire_len without ctx_in");
	attr.test.ctx_in = (uintptr_t)&skb;
	attr.test.ctx_size_in = sizeof(skb);
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "wire_len 0 in ctx_in");
	skb.wire_len = 1000;
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "wire_len 1000 in ctx_in");
}
END_TEST

START_TEST(skb_helpers_with_edge_arguments_agree)
{
	for (size_t i = 0; i < sizeof(skb_cases) / sizeof(skb_cases[0]); i++) {
		union bpf_attr attr = { 0 };
		uint8_t frame[sizeof(ipv4_udp)];
		struct prog p;
		char what[48];

		build_helper_case(&p, &skb_cases[i]);
		memcpy(frame, ipv4_udp, sizeof(frame));
		attr.test.data_in = (uintptr_t)frame;
		attr.test.data_size_in = sizeof(frame);
		snprintf(what, sizeof(what), "helper case %zu (helper %d)", i, skb_cases[i].helper);
		run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, what);
	}
}
END_TEST

/* BPF_F_TEST_SKB_CHECKSUM_COMPLETE (1 << 2): skb->csum covers the packet from the
 * network header; a program that changes bytes there without keeping it current
 * gets -EBADMSG. And test_run refuses IPv4/IPv6 frames too short for their header. */
START_TEST(skb_checksum_complete_and_short_headers_agree)
{
	static const struct { int16_t off; int32_t flags; bool direct, l4; long err; } cases[] = {
		{ 0, -1, false, false, 0 },                       /* untouched */
		{ 20, -1, true, false, -EBADMSG },                /* direct write in IP hdr */
		{ 4, -1, true, false, 0 },                        /* direct write in eth hdr */
		{ 30, BPF_F_RECOMPUTE_CSUM, false, false, 0 },    /* daddr, recomputed */
		{ 31, BPF_F_RECOMPUTE_CSUM, false, false, 0 },    /* odd offset */
		{ 30, 0, false, false, -EBADMSG },                /* not recomputed */
		{ 30, BPF_F_RECOMPUTE_CSUM, false, true, 0 },     /* + l4 fix, pseudo hdr */
		{ 30, 0, false, true, -EBADMSG },                 /* l4 fix without store */
	};
	uint8_t frame[sizeof(ipv4_udp)];

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct prog p = { .cnt = 0, .map_slot = -1 };
		union bpf_attr attr = { 0 };
		char what[48];

		emit(&p, OP(MOV64_REG), 6, 1, 0, 0);
		if (cases[c].direct) {
			emit(&p, OP(LDXW), 2, 6, (int16_t)offsetof(struct __sk_buff, data), 0);
			emit(&p, OP(LDXW), 3, 6, (int16_t)offsetof(struct __sk_buff, data_end), 0);
			emit(&p, OP(MOV64_REG), 1, 2, 0, 0);
			emit(&p, OP(ADD64_IMM), 1, 0, 0, 40);
			emit(&p, OP(JGT_REG), 1, 3, 1, 0);
			emit(&p, OP(STB), 2, 0, cases[c].off, 0x5a);
		} else if (cases[c].flags >= 0) {
			emit(&p, OP(STW), 10, 0, -4, 0x0300000a);
			emit(&p, OP(MOV64_REG), 1, 6, 0, 0);
			emit(&p, OP(MOV64_IMM), 2, 0, 0, cases[c].off);
			emit(&p, OP(MOV64_REG), 3, 10, 0, 0);
			emit(&p, OP(ADD64_IMM), 3, 0, 0, -4);
			emit(&p, OP(MOV64_IMM), 4, 0, 0, 4);
			emit(&p, OP(MOV64_IMM), 5, 0, 0, cases[c].flags);
			emit(&p, OP(CALL), 0, 0, 0, BPF_FUNC_skb_store_bytes);
		}
		if (cases[c].l4) {
			emit(&p, OP(MOV64_REG), 1, 6, 0, 0);
			emit(&p, OP(MOV64_IMM), 2, 0, 0, 40);
			emit(&p, OP(MOV64_IMM), 3, 0, 0, 0x0200000a);
			emit(&p, OP(MOV64_IMM), 4, 0, 0, 0x0300000a);
			emit(&p, OP(MOV64_IMM), 5, 0, 0, 4 | BPF_F_PSEUDO_HDR);
			emit(&p, OP(CALL), 0, 0, 0, BPF_FUNC_l4_csum_replace);
		}
		emit(&p, OP(MOV64_IMM), 0, 0, 0, 0);
		emit(&p, OP(EXIT), 0, 0, 0, 0);
		memcpy(frame, ipv4_udp, sizeof(frame));
		attr.test.data_in = (uintptr_t)frame;
		attr.test.data_size_in = sizeof(frame);
		attr.test.flags = 1 << 2;
		snprintf(what, sizeof(what), "checksum complete case %zu", c);
		ck_assert_int_eq(run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, what), cases[c].err);
		if (c == 0) {
			attr.test.data_size_in = 30; /* IPv4 header cut short */
			run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "short IPv4 header");
			frame[12] = 0x86;
			frame[13] = 0xdd;
			attr.test.data_size_in = 50;
			run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "short IPv6 header");
			run_both(&p, BPF_PROG_TYPE_SOCKET_FILTER, &attr, "short IPv6, socket filter");
		}
	}
}
END_TEST

/* ld_abs with the negative offsets of classic BPF: SKF_NET_OFF (-0x100000) counts
 * from the network header, SKF_LL_OFF (-0x200000) from the link-layer header, for a
 * socket filter (data at the IP header) and sched_cls (data at the Ethernet header). */
START_TEST(legacy_loads_from_network_and_link_layer_offsets_agree)
{
	static const int32_t offsets[] = { -0x100000 + 9, -0x200000 + 12, -0x200000,
					   -0x100000 - 1, -0x1000, -0x100000 + 40 };
	uint8_t frame[sizeof(ipv4_udp)];

	memcpy(frame, ipv4_udp, sizeof(frame));
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		for (int tc = 0; tc < 2; tc++) {
			struct prog p = { .cnt = 0, .map_slot = -1 };
			union bpf_attr attr = { 0 };
			char what[64];

			emit(&p, OP(MOV64_REG), 6, 1, 0, 0);
			emit(&p, OP(MOV64_IMM), 0, 0, 0, 7);
			emit(&p, OP(LDABSH), 0, 0, 0, offsets[i]);
			emit(&p, OP(ADD64_IMM), 0, 0, 0, 0x10000);
			emit(&p, OP(EXIT), 0, 0, 0, 0);
			attr.test.data_in = (uintptr_t)frame;
			attr.test.data_size_in = sizeof(frame);
			snprintf(what, sizeof(what), "ld_abs at %d (%s)", offsets[i],
				 tc ? "sched_cls" : "socket filter");
			run_both(&p, tc ? BPF_PROG_TYPE_SCHED_CLS : BPF_PROG_TYPE_SOCKET_FILTER,
				 &attr, what);
		}
	}
}
END_TEST

START_TEST(sched_cls_rewrite_checksum_and_ctx_out_agree)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	struct __sk_buff ctx = { 0 };
	union bpf_attr attr = { 0 };
	uint8_t frame[sizeof(ipv4_udp)];

	emit(&p, OP(MOV64_REG), 6, 1, 0, 0);
	emit(&p, OP(STW), 10, 0, -8, 0x0300000a);            /* new daddr 10.0.0.3 */
	emit(&p, OP(LDXW), 7, 6, SKB_OFF(data), 0);
	emit(&p, OP(LDXW), 8, 6, SKB_OFF(data_end), 0);
	emit(&p, OP(MOV64_REG), 1, 7, 0, 0);
	emit(&p, OP(ADD64_IMM), 1, 0, 0, 34);
	emit(&p, OP(JGT_REG), 1, 8, 27, 0);
	emit(&p, OP(LDXW), 9, 7, 30, 0);                     /* old daddr */
	emit(&p, OP(MOV64_REG), 1, 6, 0, 0);
	emit(&p, OP(MOV64_IMM), 2, 0, 0, 30);
	emit(&p, OP(MOV64_REG), 3, 10, 0, 0);
	emit(&p, OP(ADD64_IMM), 3, 0, 0, -8);
	emit(&p, OP(MOV64_IMM), 4, 0, 0, 4);
	emit(&p, OP(MOV64_IMM), 5, 0, 0, 0);
	emit(&p, OP(CALL), 0, 0, 0, BPF_FUNC_skb_store_bytes);
	emit(&p, OP(MOV64_REG), 1, 6, 0, 0);
	emit(&p, OP(MOV64_IMM), 2, 0, 0, 24);
	emit(&p, OP(MOV64_REG), 3, 9, 0, 0);
	emit(&p, OP(LDXW), 4, 10, -8, 0);
	emit(&p, OP(MOV64_IMM), 5, 0, 0, 4);
	emit(&p, OP(CALL), 0, 0, 0, BPF_FUNC_l3_csum_replace);
	emit(&p, OP(STW), 6, 0, SKB_OFF(mark), 0x1234);
	emit(&p, OP(STW), 6, 0, SKB_OFF(priority), 7);
	emit(&p, OP(STW), 6, 0, SKB_OFF(cb) + 8, -1);
	emit(&p, OP(STW), 10, 0, -16, 0x11223344);
	emit(&p, OP(STW), 10, 0, -12, 0x55667788);
	emit(&p, OP(MOV64_REG), 1, 10, 0, 0);
	emit(&p, OP(ADD64_IMM), 1, 0, 0, -16);
	emit(&p, OP(MOV64_IMM), 2, 0, 0, 8);
	emit(&p, OP(MOV64_IMM), 3, 0, 0, 0);
	emit(&p, OP(MOV64_IMM), 4, 0, 0, 0);
	emit(&p, OP(MOV64_IMM), 5, 0, 0, 0x1234);
	emit(&p, OP(CALL), 0, 0, 0, BPF_FUNC_csum_diff);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	emit(&p, OP(MOV64_IMM), 0, 0, 0, 2);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	memcpy(frame, ipv4_udp, sizeof(frame));
	frame[24] = 0x26; /* a correct IPv4 header checksum: 0x2647? any value works */
	frame[25] = 0x47;
	ctx.mark = 5;
	ctx.cb[0] = 9;
	ctx.priority = 3;
	attr.test.data_in = (uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	attr.test.ctx_in = (uintptr_t)&ctx;
	attr.test.ctx_size_in = sizeof(ctx);
	attr.test.ctx_size_out = sizeof(ctx);
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "sched_cls");
}
END_TEST

/* Bad test_run input gets the same errno (and partial outputs) from both. */
START_TEST(bad_test_run_input_gets_the_kernels_errno)
{
	struct prog p = { .cnt = 0, .map_slot = -1 };
	uint8_t packet[64] = { 0 }, small_out[10], big_ctx[64] = { 0 };
	struct xdp_md xdp = { 0 };
	struct __sk_buff skb = { 0 };
	union bpf_attr attr;

	emit(&p, OP(MOV64_IMM), 0, 0, 0, XDP_PASS);
	emit(&p, OP(EXIT), 0, 0, 0, 0);
	memset(&attr, 0, sizeof(attr));
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = 13;
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp data shorter than ETH_HLEN");
	attr.test.data_size_in = sizeof(packet);
	attr.test.flags = 4;
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp unknown flag");
	attr.test.flags = BPF_F_TEST_XDP_LIVE_FRAMES;
	attr.test.repeat = 2;
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp live frames");
	attr.test.repeat = 0;
	attr.test.flags = 0;
	attr.test.data_out = (uintptr_t)small_out;
	attr.test.data_size_out = sizeof(small_out);
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp data_out too small");
	attr.test.data_out = 0;
	attr.test.data_size_out = 0;
	big_ctx[40] = 1;
	attr.test.ctx_in = (uintptr_t)big_ctx;
	attr.test.ctx_size_in = sizeof(big_ctx);
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp ctx too large");
	attr.test.ctx_in = (uintptr_t)&xdp;
	attr.test.ctx_size_in = 4; /* shorter than xdp_md: data_end reads as 0 */
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp ctx too small");
	xdp.data_end = sizeof(packet);
	xdp.data_meta = 4;
	attr.test.ctx_in = (uintptr_t)&xdp;
	attr.test.ctx_size_in = sizeof(xdp);
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp ctx data_meta set");
	xdp.data_meta = 0;
	xdp.data = 8;
	attr.test.ctx_size_out = sizeof(xdp);
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp ctx with 8 bytes of metadata");
	xdp.data = 6;
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp metadata not a multiple of 4");
	xdp.data = 0;
	xdp.rx_queue_index = 1;
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp queue without device");
	xdp.rx_queue_index = 0;
	xdp.ingress_ifindex = 1;
	attr.test.ctx_size_out = 4;
	attr.test.repeat = 0;
	run_both(&p, BPF_PROG_TYPE_XDP, &attr, "xdp ctx_out too small");
	memset(&attr, 0, sizeof(attr));
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	skb.mark = 7;
	attr.test.ctx_in = (uintptr_t)&skb;
	attr.test.ctx_size_in = 12; /* len, pkt_type, mark: the rest zero-filled */
	attr.test.ctx_size_out = sizeof(skb);
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "skb ctx shorter than __sk_buff");
	attr.test.ctx_size_out = 0;
	skb.mark = 0;
	skb.len = 5;
	attr.test.ctx_size_in = sizeof(skb);
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "skb ctx with len set");
	skb.len = 0;
	skb.wire_len = 3;
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "skb wire_len below len");
	skb.wire_len = 0;
	attr.test.cpu = 1;
	run_both(&p, BPF_PROG_TYPE_SCHED_CLS, &attr, "skb cpu set");
	attr.test.cpu = 0;
	attr.test.repeat = 3;
	attr.test.ctx_size_out = sizeof(skb);
	run_both(&p, BPF_PROG_TYPE_SOCKET_FILTER, &attr, "socket filter ctx out");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exec_differential");
	TCase *tc = tcase_create("kernel");
	SRunner *sr;
	int failed;

	(void)backend_names;
	(void)verifier_link;
	if (!kernel_bpf_usable()) {
		puts("SKIP: the kernel's bpf(2) is not usable here (needs root)");
		return 77;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, xdp_generated_alu_programs_agree);
	tcase_add_test(tc, skb_generated_alu_programs_agree);
	tcase_add_test(tc, skb_wire_len_comes_from_ctx_in);
	tcase_add_test(tc, socket_filter_ctx_and_legacy_loads_agree);
	tcase_add_test(tc, sched_cls_rewrite_checksum_and_ctx_out_agree);
	tcase_add_test(tc, skb_helpers_with_edge_arguments_agree);
	tcase_add_test(tc, skb_checksum_complete_and_short_headers_agree);
	tcase_add_test(tc, legacy_loads_from_network_and_link_layer_offsets_agree);
	tcase_add_test(tc, bad_test_run_input_gets_the_kernels_errno);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
