/* exec_fuzzer.c - libFuzzer target for the verifier and interpreter together:
 * programs built from the opcode table with random operands (plus an array map and
 * packet bytes) go through emu_bpf(BPF_PROG_LOAD); accepted ones are test-run.
 * Invariant: whatever the verifier accepts runs without a crash or sanitizer report
 * (the interpreter trusts it and checks nothing at run time).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/objfmt.h"

#define MAX_INSNS 64

struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

static uint32_t take(struct fuzz_input *in, unsigned bytes)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < bytes && in->size; i++, in->data++, in->size--)
		v |= (uint32_t)in->data[0] << (8 * i);
	return v;
}

static const uint32_t prog_types[] = {
	BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_SOCKET_FILTER,
	BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_RAW_TRACEPOINT,
};

/* Small operands most of the time: offsets and immediates that can hit the stack,
 * the ctx and the packet; sometimes anything. */
static int32_t operand(struct fuzz_input *in, int32_t small)
{
	uint32_t kind = take(in, 1);

	if (kind % 4)
		return (int32_t)(take(in, 1) % (2 * small + 1)) - small;
	return (int32_t)take(in, 4);
}

static uint32_t build(struct fuzz_input *in, struct objfmt_insn *insns, int map_fd)
{
	uint32_t cnt = 0, n = take(in, 1) % MAX_INSNS + 1;

	while (cnt + 2 < MAX_INSNS && n--) {
		enum objfmt_op op = (enum objfmt_op)(take(in, 1) % (OBJFMT_OP__COUNT - 1) + 1);
		uint8_t dst = (uint8_t)(take(in, 1) % 11), src = (uint8_t)(take(in, 1) % 11);
		int16_t off = (int16_t)operand(in, 520);
		int64_t imm = operand(in, 64);
		const struct objfmt_opinfo *info = objfmt_opinfo(op);

		if (info->form == OBJFMT_FORM_JA || info->form == OBJFMT_FORM_JMP_IMM ||
		    info->form == OBJFMT_FORM_JMP_REG)
			off = (int16_t)(off % 8);
		if (info->form == OBJFMT_FORM_LD_IMM64) {
			src = (uint8_t)(take(in, 1) % 3);
			imm = src ? map_fd : imm;
		}
		if (info->form == OBJFMT_FORM_CALL)
			src = 0, imm = take(in, 1) % 40;
		if (op == OBJFMT_OP_JA32)
			imm %= 8;
		int slots = objfmt_insn_encode(op, dst, src, off, imm, &insns[cnt]);

		if (slots > 0)
			cnt += (uint32_t)slots;
	}
	objfmt_insn_encode(OBJFMT_OP_EXIT, 0, 0, 0, 0, &insns[cnt++]);
	return cnt;
}

static int create_map(void)
{
	union bpf_attr attr = { 0 };

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 16;
	attr.max_entries = 2;
	return emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct objfmt_insn insns[MAX_INSNS + 2];
	uint8_t packet[96], ctx[168] = { 0 }, out[256];
	union bpf_attr attr = { 0 };
	uint32_t type = prog_types[take(&in, 1) % (sizeof(prog_types) / sizeof(prog_types[0]))];
	int map_fd = create_map(), fd;

	for (size_t i = 0; i < sizeof(packet); i++)
		packet[i] = (uint8_t)take(&in, 1);
	attr.prog_type = type;
	attr.insn_cnt = build(&in, insns, map_fd);
	attr.insns = (uintptr_t)insns;
	attr.license = (uintptr_t)"GPL";
	fd = emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0) {
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = (uint32_t)fd;
		if (type == BPF_PROG_TYPE_KPROBE || type == BPF_PROG_TYPE_RAW_TRACEPOINT) {
			attr.test.ctx_in = (uintptr_t)ctx;
			attr.test.ctx_size_in = type == BPF_PROG_TYPE_KPROBE ? 168 : 96;
		} else {
			attr.test.data_in = (uintptr_t)packet;
			attr.test.data_size_in = sizeof(packet);
			attr.test.data_out = (uintptr_t)out;
			attr.test.data_size_out = sizeof(out);
		}
		emu_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
		close(fd);
	}
	if (map_fd >= 0)
		close(map_fd);
	return 0;
}
