/* interp_bench.c - loop-heavy programs (arithmetic, memory, branches, bpf-to-bpf
 * calls, map lookups) run by BPF_PROG_TEST_RUN of the emulated kernel's interpreter
 * and, when the bpf() syscall works, of the real kernel (JIT as configured), side by
 * side: ns per executed instruction and the ratio. Built and run by interp.sh. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "../kernel/emu_int.h"

#define LOOPS 1000
#define OP(name) OBJFMT_OP_##name

struct bench_prog {
	const char *name;
	struct objfmt_insn insns[128];
	uint32_t cnt;
	uint64_t executed;  /* instructions one run executes */
	int map_slot;       /* index of the ld_imm64 to patch with a map fd, or -1 */
};

static void emit(struct bench_prog *p, enum objfmt_op op, uint8_t dst, uint8_t src,
		 int16_t off, int64_t imm)
{
	p->cnt += (uint32_t)objfmt_insn_encode(op, dst, src, off, imm, &p->insns[p->cnt]);
}

/* r0 = 0; r6 = LOOPS; loop: body; r6 -= 1; if r6 != 0 goto loop; [r0 = r7;] exit */
static void loop_open(struct bench_prog *p)
{
	emit(p, OP(MOV64_IMM), 0, 0, 0, 0);
	emit(p, OP(MOV64_IMM), 7, 0, 0, 0);
	emit(p, OP(MOV64_IMM), 6, 0, 0, LOOPS);
}

static void loop_close(struct bench_prog *p, uint32_t body_start, uint64_t body_executed)
{
	emit(p, OP(SUB64_IMM), 6, 0, 0, 1);
	emit(p, OP(JNE_IMM), 6, 0, (int16_t)(body_start - p->cnt - 1), 0);
	emit(p, OP(ADD64_REG), 0, 7, 0, 0);
	emit(p, OP(EXIT), 0, 0, 0, 0);
	p->executed = 3 + (uint64_t)LOOPS * (body_executed + 2) + 2;
}

static void build_arith(struct bench_prog *p)
{
	uint32_t start;

	p->name = "arith";
	loop_open(p);
	start = p->cnt;
	emit(p, OP(MOV64_REG), 1, 6, 0, 0);
	emit(p, OP(MUL64_IMM), 1, 0, 0, 3);
	emit(p, OP(XOR64_REG), 1, 0, 0, 0);
	emit(p, OP(RSH64_IMM), 1, 0, 0, 2);
	emit(p, OP(ADD64_REG), 0, 1, 0, 0);
	emit(p, OP(MOV64_REG), 2, 0, 0, 0);
	emit(p, OP(AND64_IMM), 2, 0, 0, 0xff);
	emit(p, OP(SUB64_REG), 0, 2, 0, 0);
	emit(p, OP(OR64_IMM), 0, 0, 0, 1);
	emit(p, OP(MOV32_REG), 3, 0, 0, 0);
	loop_close(p, start, 10);
}

static void build_memory(struct bench_prog *p)
{
	uint32_t start;

	p->name = "memory";
	loop_open(p);
	start = p->cnt;
	emit(p, OP(STXDW), 10, 0, -8, 0);
	emit(p, OP(LDXDW), 1, 10, -8, 0);
	emit(p, OP(ADD64_REG), 1, 6, 0, 0);
	emit(p, OP(STXW), 10, 1, -16, 0);
	emit(p, OP(LDXW), 2, 10, -16, 0);
	emit(p, OP(ADD64_REG), 0, 2, 0, 0);
	emit(p, OP(STXB), 10, 6, -24, 0);
	emit(p, OP(LDXB), 3, 10, -24, 0);
	emit(p, OP(XOR64_REG), 0, 3, 0, 0);
	emit(p, OP(STXDW), 10, 0, -32, 0);
	loop_close(p, start, 10);
}

/* Odd and even iterations take paths of 5 and 4 insns, then 2 more (not taken). */
static void build_branches(struct bench_prog *p)
{
	uint32_t start;

	p->name = "branches";
	loop_open(p);
	start = p->cnt;
	emit(p, OP(MOV64_REG), 1, 6, 0, 0);
	emit(p, OP(AND64_IMM), 1, 0, 0, 1);
	emit(p, OP(JEQ_IMM), 1, 0, 2, 0);
	emit(p, OP(ADD64_IMM), 0, 0, 0, 3);
	emit(p, OP(JA), 0, 0, 1, 0);
	emit(p, OP(ADD64_IMM), 0, 0, 0, 5);
	emit(p, OP(JSGT_IMM), 0, 0, 1, 1000000000);
	emit(p, OP(ADD64_IMM), 0, 0, 0, 1);
	loop_close(p, start, 0);
	p->executed = 3 + (uint64_t)LOOPS / 2 * (5 + 4) + (uint64_t)LOOPS * (2 + 2) + 2;
}

/* r7 += f(r6) with f(x) = x * 7 in a subprogram. */
static void build_calls(struct bench_prog *p)
{
	uint32_t start, call;

	p->name = "calls";
	loop_open(p);
	start = p->cnt;
	emit(p, OP(MOV64_REG), 1, 6, 0, 0);
	call = p->cnt;
	emit(p, OP(CALL), 0, OBJFMT_CALL_LOCAL, 0, 0);
	emit(p, OP(ADD64_REG), 7, 0, 0, 0);
	loop_close(p, start, 3 + 3);
	p->insns[call].imm = (int32_t)(p->cnt - call - 1);
	emit(p, OP(MOV64_REG), 0, 1, 0, 0);
	emit(p, OP(MUL64_IMM), 0, 0, 0, 7);
	emit(p, OP(EXIT), 0, 0, 0, 0);
}

/* r7 += *bpf_map_lookup_elem(&array, &zero) */
static void build_map_lookup(struct bench_prog *p)
{
	uint32_t start;

	p->name = "map_lookup";
	loop_open(p);
	start = p->cnt;
	emit(p, OP(STW), 10, 0, -4, 0);
	emit(p, OP(MOV64_REG), 2, 10, 0, 0);
	emit(p, OP(ADD64_IMM), 2, 0, 0, -4);
	p->map_slot = (int)p->cnt;
	emit(p, OP(LDDW), 1, OBJFMT_PSEUDO_MAP_FD, 0, 0);
	emit(p, OP(CALL), 0, OBJFMT_CALL_HELPER, 0, BPF_FUNC_map_lookup_elem);
	emit(p, OP(JEQ_IMM), 0, 0, 2, 0);
	emit(p, OP(LDXDW), 1, 0, 0, 0);
	emit(p, OP(ADD64_REG), 7, 1, 0, 0);
	emit(p, OP(MOV64_IMM), 0, 0, 0, 0);
	loop_close(p, start, 9);
}

typedef long (*bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	long r = syscall(__NR_bpf, cmd, attr, size);

	return r < 0 ? -errno : r;
}

static long emu_bpf_call(int cmd, union bpf_attr *attr, unsigned int size)
{
	long r = emu_bpf(cmd, attr, size);

	return r < 0 ? -errno : r;
}

static int array_map(bpf_fn bpf)
{
	union bpf_attr attr = { 0 };
	uint64_t value = 3;
	uint32_t key = 0;
	long fd;

	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 1;
	fd = bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return (int)fd;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&value;
	bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr));
	return (int)fd;
}

/* Load `p` with `bpf` (fresh map when needed) and test-run it; ns per run. */
static double measure(bpf_fn bpf, struct bench_prog *p, uint32_t repeat, uint32_t *retval)
{
	union bpf_attr attr = { 0 };
	uint8_t packet[64] = { 0 };
	char log[4096] = "";
	long fd;

	if (p->map_slot >= 0) {
		int map = array_map(bpf);

		if (map < 0)
			return -1;
		p->insns[p->map_slot].imm = map;
	}
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insns = (uintptr_t)p->insns;
	attr.insn_cnt = p->cnt;
	attr.license = (uintptr_t)"GPL";
	fd = bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0) {
		attr.log_buf = (uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
		fprintf(stderr, "%s: load failed (%ld): %.300s\n", p->name, fd, log);
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	attr.test.repeat = repeat;
	if (bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr)) < 0)
		return -1;
	*retval = attr.test.retval;
	close((int)fd);
	return attr.test.duration;
}

int main(int argc, char **argv)
{
	void (*builders[])(struct bench_prog *) = { build_arith, build_memory, build_branches,
						    build_calls, build_map_lookup };
	uint32_t repeat = argc > 1 ? (uint32_t)atoi(argv[1]) : 2000;
	double sum_ours = 0, sum_kernel = 0;
	int n_kernel = 0;

	printf("%-11s %9s %12s %12s %8s\n", "program", "insns/run", "ours ns/insn",
	       "kernel ns/insn", "ratio");
	for (size_t i = 0; i < sizeof(builders) / sizeof(builders[0]); i++) {
		struct bench_prog p = { .map_slot = -1 };
		uint32_t r_ours = 0, r_kernel = 0;
		double ours, kernel;

		builders[i](&p);
		ours = measure(emu_bpf_call, &p, repeat, &r_ours);
		kernel = measure(kernel_bpf, &p, repeat, &r_kernel);
		if (ours < 0) {
			printf("%-11s emulator run failed\n", p.name);
			return 1;
		}
		ours /= (double)p.executed;
		sum_ours += ours;
		if (kernel < 0) {
			printf("%-11s %9llu %12.3f %14s %8s\n", p.name,
			       (unsigned long long)p.executed, ours, "n/a", "n/a");
			continue;
		}
		kernel /= (double)p.executed;
		sum_kernel += kernel;
		n_kernel++;
		printf("%-11s %9llu %12.3f %14.3f %7.1fx%s\n", p.name,
		       (unsigned long long)p.executed, ours, kernel, ours / kernel,
		       r_ours == r_kernel ? "" : "  (retval differs!)");
	}
	printf("mean: ours %.3f ns/insn", sum_ours / 5);
	if (n_kernel == 5)
		printf(", kernel %.3f ns/insn, ratio %.1fx", sum_kernel / 5,
		       sum_ours / sum_kernel);
	printf(" (target: ours <= 2 ns/insn)\n");
	return 0;
}
