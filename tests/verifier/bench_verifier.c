/* bench_verifier.c - verification time of the emulated kernel against the real
 * kernel's BPF_PROG_LOAD for the same programs, with the processed-insn counts of both
 * (from the BPF_LOG_STATS line). Programs: straight-line ALU, a bounded loop, a branchy
 * program that needs pruning, a packet parser, map lookups and subprogram calls, and
 * two that prune only through precision tracking (32 diamonds adding different
 * constants to an unchecked r0; constants spilled and filled before predicted branches).
 * Usage: bench_verifier [repeat]. Without root the kernel column says "n/a". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vtest.h"

static struct vt_prog prog;

static void emit(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	prog.insns[prog.cnt++] = (struct objfmt_insn){ .code = code, .dst_reg = dst,
						       .src_reg = src, .off = off, .imm = imm };
}

static void straight_alu(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	for (int i = 0; i < 4000; i++)
		emit(BPF_ALU64 | (i % 3 ? BPF_ADD : BPF_XOR) | BPF_K, 0, 0, 0, i);
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void bounded_loop(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0);
	emit(BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0);
	emit(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, 1);
	emit(BPF_JMP | BPF_JLT | BPF_K, 2, 0, -3, 5000);
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* 24 independent unknown conditions: 2^24 paths without pruning. */
static void branchy(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0);
	for (int i = 0; i < 24; i++) {
		emit(BPF_LDX | BPF_MEM | BPF_W, 2, 6, 0, 0);
		emit(BPF_JMP | BPF_JSET | BPF_K, 2, 0, 1, 1 << (i % 16));
		emit(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, 0);
		emit(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, i);
	}
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* r0 differs after every diamond but nothing relies on its value: without imprecise
 * scalars this is 2^32 paths. */
static void imprecise_joins(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	for (int i = 0; i < 32; i++) {
		emit(BPF_LDX | BPF_MEM | BPF_W, 1, 6, (int16_t)(4 * (i % 4)), 0);
		emit(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1, 10 + i);
		emit(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1 << (i % 16));
	}
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Constants go through the stack; branches on them are predicted, so backtracking walks
 * through fills and spills. */
static void spill_precision(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	for (int i = 0; i < 16; i++) {
		emit(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, i);
		emit(BPF_STX | BPF_MEM | BPF_DW, 10, 2, (int16_t)(-8 * (1 + i % 8)), 0);
		emit(BPF_LDX | BPF_MEM | BPF_W, 1, 6, 0, 0);
		emit(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 1, i);
		emit(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1);
		emit(BPF_LDX | BPF_MEM | BPF_DW, 3, 10, (int16_t)(-8 * (1 + i % 8)), 0);
		emit(BPF_JMP | BPF_JGT | BPF_K, 3, 0, 1, 100);
		emit(BPF_ALU64 | BPF_ADD | BPF_X, 0, 3, 0, 0);
	}
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void packet_parser(void)
{
	emit(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
	emit(BPF_LDX | BPF_MEM | BPF_W, 3, 1, 4, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2);
	for (int i = 0; i < 40; i++) {
		emit(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
		emit(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 14 + i);
		emit(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 3, 0);
		emit(BPF_LDX | BPF_MEM | BPF_B, 5, 2, (int16_t)(13 + i), 0);
		emit(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1, i);
		emit(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 0);
	}
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void map_lookups(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 6, 0, 0, 0);
	for (int i = 0; i < 50; i++) {
		emit(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, i);
		emit(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
		emit(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4);
		emit(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, (int32_t)VT_MAP_MAGIC);
		emit(0, 0, 0, 0, (int32_t)(VT_MAP_MAGIC >> 32));
		emit(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0);
		emit(BPF_LDX | BPF_MEM | BPF_DW, 3, 0, 0, 0);
		emit(BPF_ALU64 | BPF_ADD | BPF_X, 6, 3, 0, 0);
	}
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void subprog_calls(void)
{
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 6, 0, 0, 0);
	for (int i = 0; i < 100; i++) {
		emit(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, i);
		emit(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, (100 - i) * 3);
		emit(BPF_ALU64 | BPF_ADD | BPF_X, 6, 0, 0, 0);
	}
	emit(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	emit(BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0);
	emit(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 3);
	emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

struct bench {
	const char *name;
	void (*build)(void);
	uint32_t type;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned processed(const char *log)
{
	const char *p = strstr(log, "processed ");
	return p ? (unsigned)strtoul(p + 10, NULL, 10) : 0;
}

/* Mean load time in microseconds; *insns gets the processed count; -1 on refusal. */
static double measure(enum vt_target target, const struct bench *b, const int *maps,
		      int repeat, unsigned *insns)
{
	static struct vt_prog copy;
	double total = 0;
	for (int i = 0; i < repeat; i++) {
		struct vt_result res;
		copy = prog;
		vt_patch_maps(&copy, maps);
		double t0 = now();
		vt_load_ex(target, b->type, 0, &copy, "GPL", 4, 4096, &res);
		total += now() - t0;
		*insns = processed(res.log);
		int fd = res.fd;
		vt_close(target, fd);
		vt_result_free(&res);
		if (fd < 0)
			return -1;
	}
	return total / repeat * 1e6;
}

int main(int argc, char **argv)
{
	int repeat = argc > 1 ? atoi(argv[1]) : 20;
	static const struct bench benches[] = {
		{ "straight_alu_4k", straight_alu, BPF_PROG_TYPE_SOCKET_FILTER },
		{ "bounded_loop_5k", bounded_loop, BPF_PROG_TYPE_SOCKET_FILTER },
		{ "branchy_24", branchy, BPF_PROG_TYPE_SOCKET_FILTER },
		{ "packet_parser_40", packet_parser, BPF_PROG_TYPE_XDP },
		{ "map_lookups_50", map_lookups, BPF_PROG_TYPE_SOCKET_FILTER },
		{ "subprog_calls_100", subprog_calls, BPF_PROG_TYPE_SOCKET_FILTER },
		{ "imprecise_joins_32", imprecise_joins, BPF_PROG_TYPE_SOCKET_FILTER },
		{ "spill_precision_16", spill_precision, BPF_PROG_TYPE_SOCKET_FILTER },
	};
	bool kernel = vt_kernel_available();
	int emaps[1] = { vt_map_create(VT_EMU, BPF_MAP_TYPE_HASH, 4, 8, 64, 0) };
	int kmaps[1] = { kernel ? vt_map_create(VT_KERNEL, BPF_MAP_TYPE_HASH, 4, 8, 64, 0) : -1 };

	unsigned same = 0, compared = 0;
	printf("%-20s %12s %12s %8s %12s %12s %6s\n", "program", "emu_us", "kernel_us", "ratio",
	       "emu_insns", "kernel_insns", "same");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		unsigned ei = 0, ki = 0;
		prog.cnt = 0;
		b->build();
		double et = measure(VT_EMU, b, emaps, repeat, &ei);
		double kt = kernel ? measure(VT_KERNEL, b, kmaps, repeat, &ki) : -1;
		char kbuf[32], rbuf[32];
		snprintf(kbuf, sizeof(kbuf), kt >= 0 ? "%.1f" : "n/a", kt);
		snprintf(rbuf, sizeof(rbuf), kt > 0 && et >= 0 ? "%.2f" : "n/a", et / kt);
		printf("%-20s %12.1f %12s %8s %12u %12u %6s\n", b->name, et, kbuf, rbuf, ei, ki,
		       kt >= 0 ? (ei == ki ? "yes" : "no") : "n/a");
		if (kt >= 0) {
			compared++;
			same += ei == ki;
		}
	}
	if (compared)
		printf("processed-insn counts equal to the kernel's: %u of %u programs\n", same,
		       compared);
	return 0;
}
