/* verifier_fuzzer.c - libFuzzer target for the verifier: programs assembled from
 * verifier-relevant pieces chosen by the input (map lookups with and without null
 * checks, packet parsing, ringbuf records, spills and fills, bounded indexes, loops,
 * subprogram calls, random ALU and jumps) with operands taken from the input, loaded
 * at a random log level into a random-sized log buffer. Accepted programs are
 * test-run in checked execution. Invariants: no crash, no hang, no sanitizer report in
 * the verifier or in the run of what it accepted, and no checked-execution violation
 * (an access outside the program's stack, ctx, packet, map values and ringbuf records
 * that the verifier let through is a verifier safety bug: the target aborts).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "ebpf/objfmt.h"

#define MAX_INSNS 256

struct input {
	const uint8_t *data;
	size_t size;
};

struct builder {
	struct objfmt_insn insns[MAX_INSNS + 8];
	uint32_t cnt;
	int maps[3];
};

static uint32_t take(struct input *in, unsigned bytes)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < bytes && in->size; i++, in->data++, in->size--)
		v |= (uint32_t)in->data[0] << (8 * i);
	return v;
}

static void emit(struct builder *b, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
		 int32_t imm)
{
	if (b->cnt >= MAX_INSNS + 6)
		return;
	b->insns[b->cnt++] = (struct objfmt_insn){ .code = code, .dst_reg = dst,
						   .src_reg = src, .off = off, .imm = imm };
}

static void emit_map(struct builder *b, uint8_t dst, int which)
{
	emit(b, BPF_LD | BPF_IMM | BPF_DW, dst, BPF_PSEUDO_MAP_FD, 0, b->maps[which]);
	emit(b, 0, 0, 0, 0, 0);
}

static int16_t small_off(struct input *in, int range)
{
	return (int16_t)((int)(take(in, 1) % (2 * range + 1)) - range);
}

static void piece_lookup(struct builder *b, struct input *in)
{
	emit(b, BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, (int32_t)(take(in, 1) % 6));
	emit(b, BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
	emit(b, BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4);
	emit_map(b, 1, (int)(take(in, 1) % 2));
	emit(b, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	if (take(in, 1) % 4)
		emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1, 0);
	emit(b, BPF_LDX | BPF_MEM | (uint8_t)(take(in, 1) % 4 << 3), 3, 0, small_off(in, 24), 0);
}

static void piece_packet(struct builder *b, struct input *in)
{
	emit(b, BPF_LDX | BPF_MEM | BPF_W, 2, 6, 0, 0);
	emit(b, BPF_LDX | BPF_MEM | BPF_W, 3, 6, 4, 0);
	emit(b, BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
	emit(b, BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, (int32_t)(take(in, 1) % 64));
	static const uint8_t ops[] = { BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE };
	emit(b, BPF_JMP | ops[take(in, 1) % 4] | BPF_X, 4, 3, 1, 0);
	emit(b, BPF_LDX | BPF_MEM | (uint8_t)(take(in, 1) % 4 << 3), 5, 2, small_off(in, 64), 0);
}

static void piece_ringbuf(struct builder *b, struct input *in)
{
	emit_map(b, 1, 2);
	emit(b, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)(take(in, 1) % 64));
	emit(b, BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0);
	emit(b, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve);
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4, 0);
	emit(b, BPF_ST | BPF_MEM | BPF_DW, 0, 0, small_off(in, 64), 7);
	emit(b, BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0);
	emit(b, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0);
	emit(b, BPF_JMP | BPF_CALL, 0, 0, 0,
	     take(in, 1) % 2 ? BPF_FUNC_ringbuf_submit : BPF_FUNC_ringbuf_discard);
}

static void piece_stack(struct builder *b, struct input *in)
{
	uint8_t reg = (uint8_t)(take(in, 1) % 10);
	int16_t off = (int16_t)(-(int)(take(in, 2) % 520));
	uint8_t size = (uint8_t)(take(in, 1) % 4 << 3);
	emit(b, BPF_STX | BPF_MEM | size, 10, reg, off, 0);
	emit(b, BPF_LDX | BPF_MEM | size, (uint8_t)(take(in, 1) % 10), 10, off, 0);
}

static void piece_index(struct builder *b, struct input *in)
{
	emit(b, BPF_LDX | BPF_MEM | BPF_W, 7, 6, 0, 0);
	emit(b, BPF_ALU64 | BPF_AND | BPF_K, 7, 0, 0, (int32_t)(take(in, 1) % 128));
	emit(b, BPF_ALU64 | BPF_MOV | BPF_X, 8, 10, 0, 0);
	emit(b, BPF_ALU64 | BPF_ADD | BPF_K, 8, 0, 0, -(int32_t)(take(in, 1) % 160));
	emit(b, BPF_ALU64 | BPF_ADD | BPF_X, 8, 7, 0, 0);
	emit(b, BPF_ST | BPF_MEM | BPF_B, 8, 0, 0, 1);
}

static void piece_loop(struct builder *b, struct input *in)
{
	emit(b, BPF_ALU64 | BPF_MOV | BPF_K, 9, 0, 0, 0);
	emit(b, BPF_ALU64 | BPF_ADD | BPF_K, 9, 0, 0, (int32_t)(take(in, 1) % 3));
	emit(b, BPF_JMP | BPF_JLT | BPF_K, 9, 0, -2, (int32_t)(take(in, 1) % 50));
}

static void piece_random(struct builder *b, struct input *in)
{
	enum objfmt_op op = (enum objfmt_op)(take(in, 1) % (OBJFMT_OP__COUNT - 1) + 1);
	const struct objfmt_opinfo *info = objfmt_opinfo(op);
	struct objfmt_insn pair[2];
	if (info->form == OBJFMT_FORM_LD_IMM64 || info->form == OBJFMT_FORM_CALL ||
	    info->form == OBJFMT_FORM_EXIT || info->form == OBJFMT_FORM_CALLX)
		return;
	int16_t off = small_off(in, 16);
	if (info->form == OBJFMT_FORM_JA || info->form == OBJFMT_FORM_JMP_IMM ||
	    info->form == OBJFMT_FORM_JMP_REG)
		off = (int16_t)(take(in, 1) % 4);
	objfmt_insn_encode(op, (uint8_t)(take(in, 1) % 10), (uint8_t)(take(in, 1) % 11), off,
			   small_off(in, 70), pair);
	emit(b, pair[0].code, pair[0].dst_reg, pair[0].src_reg, pair[0].off, pair[0].imm);
}

static void build(struct builder *b, struct input *in)
{
	b->cnt = 0;
	emit(b, BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);
	emit(b, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	for (uint32_t n = take(in, 1) % 12; n-- && b->cnt < MAX_INSNS - 16;) {
		switch (take(in, 1) % 9) {
		case 0: piece_lookup(b, in); break;
		case 1: piece_packet(b, in); break;
		case 2: piece_ringbuf(b, in); break;
		case 3: piece_stack(b, in); break;
		case 4: piece_index(b, in); break;
		case 5: piece_loop(b, in); break;
		default: piece_random(b, in); break;
		}
	}
	bool sub = take(in, 1) % 4 == 0;
	if (sub) /* call a subprogram that returns its argument */
		emit(b, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1);
	emit(b, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, (int32_t)(take(in, 1) % 4));
	emit(b, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	if (sub) {
		emit(b, BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0);
		emit(b, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
}

static int setup_maps(int maps[3])
{
	static int ready, saved[3];
	if (!ready) {
		union bpf_attr attr;
		static const uint32_t types[3] = { BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY,
						   BPF_MAP_TYPE_RINGBUF };
		static const uint32_t value[3] = { 16, 24, 0 }, entries[3] = { 8, 4, 4096 };
		for (int i = 0; i < 3; i++) {
			memset(&attr, 0, sizeof(attr));
			attr.map_type = types[i];
			attr.key_size = i == 2 ? 0 : 4;
			attr.value_size = value[i];
			attr.max_entries = entries[i];
			saved[i] = emu_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
			if (saved[i] < 0)
				return -1;
		}
		ready = 1;
	}
	memcpy(maps, saved, sizeof(saved));
	return 0;
}

static const uint32_t prog_types[] = {
	BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_SOCKET_FILTER,
	BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_CGROUP_SKB,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct builder b;
	static char log[65536];
	static uint8_t packet[128], out[256];
	struct input in = { data, size };
	union bpf_attr attr;

	if (setup_maps(b.maps) < 0)
		return 0;
	static int checked;
	if (!checked) {
		struct emu_run_config config;

		emu_run_config_get(&config);
		config.checked = 1;
		emu_run_config_set(&config);
		checked = 1;
	}
	uint32_t type = prog_types[take(&in, 1) % 5];
	uint32_t level = take(&in, 1) % 4;
	uint32_t log_size = 128 + take(&in, 2) % (sizeof(log) - 128);
	build(&b, &in);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insn_cnt = b.cnt;
	attr.insns = (uint64_t)(uintptr_t)b.insns;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	if (level) {
		attr.log_level = level;
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = log_size;
	}
	int fd = emu_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return 0;
	for (size_t i = 0; i < sizeof(packet); i++)
		packet[i] = (uint8_t)(i * 13 + size);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = (uint64_t)(uintptr_t)packet;
	attr.test.data_size_in = 14 + (uint32_t)(size % 100);
	attr.test.data_out = (uint64_t)(uintptr_t)out;
	attr.test.data_size_out = sizeof(out);
	attr.test.repeat = 1;
	unsigned long violations = emu_checked_violations();
	emu_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	close(fd);
	if (emu_checked_violations() != violations) {
		fprintf(stderr, "verifier accepted an unsafe program: %s\n",
			emu_checked_last_report());
		abort();
	}
	return 0;
}
