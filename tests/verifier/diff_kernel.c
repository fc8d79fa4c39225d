/* diff_kernel.c - differential test of the verifier against the real kernel: random
 * and mutated programs (ALU chains, spills and fills, map lookups with and without null
 * checks, packet parsing with and without bounds checks, branches, loops, helper calls,
 * subprogram calls) are loaded into both; verdicts are compared and programs both
 * accept are run through both test_runs. A program we accept that the kernel rejects
 * fails the test. For programs both accept, the processed-insn counts and the whole
 * level-2 logs are compared too (normalised: map addresses, the kernel's stack-liveness
 * debug lines), and agreement is reported per category. Needs root (exit 77 otherwise).
 * Usage: diff_kernel [-v] [-m] [-l] [count [seed]]; -v prints every disagreement, -m makes
 * every program a mutant with up to five changes, -l prints the first differing log line
 * of accepted programs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtest.h"

enum { CAT_ALU, CAT_STACK, CAT_MAP, CAT_PACKET, CAT_BRANCH, CAT_LOOP, CAT_HELPER,
       CAT_SUBPROG, CAT_BOUNDS, CAT_ATOMIC, CAT_CTX, CAT_PTR, CAT_EXT, CAT_MUTANT,
       CAT_CALLBACK, /* after CAT_MUTANT: mutants keep func_info consistent */
       CAT_LOCK,
       CAT_COUNT };
static const char *const cat_names[CAT_COUNT] = {
	"alu", "stack", "map", "packet", "branch", "loop", "helper", "subprog", "bounds",
	"atomic", "ctx", "pointer", "extend", "mutant", "callback", "lock",
};

struct gen {
	struct vt_prog *prog;
	uint64_t rng;
	int maps[3]; /* hash, array, ringbuf: indices into the placeholder table */
	uint32_t cb_start; /* CAT_CALLBACK: first insn of the callback (BTF func_info) */
};

static uint32_t rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return (uint32_t)(g->rng >> 11);
}

static uint32_t pick(struct gen *g, uint32_t n)
{
	return rnd(g) % n;
}

static void emit(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
		 int32_t imm)
{
	struct objfmt_insn *insn = &g->prog->insns[g->prog->cnt++];
	memset(insn, 0, sizeof(*insn));
	insn->code = code;
	insn->dst_reg = dst;
	insn->src_reg = src;
	insn->off = off;
	insn->imm = imm;
}

static void emit_map(struct gen *g, uint8_t dst, int which)
{
	emit(g, BPF_LD | BPF_IMM | BPF_DW, dst, 0, 0, (int32_t)(VT_MAP_MAGIC | (uint64_t)which));
	emit(g, 0, 0, 0, 0, (int32_t)(VT_MAP_MAGIC >> 32));
}

static const uint8_t alu_ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND,
				   BPF_LSH, BPF_RSH, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH };
static const uint8_t jmp_ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
				   BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE };
static const int32_t imms[] = { 0, 1, -1, 7, 8, 31, 32, 63, 255, 4096, -4096, 0x7fffffff,
				(int32_t)0x80000000 };

static int32_t rand_imm(struct gen *g)
{
	return pick(g, 3) ? imms[pick(g, sizeof(imms) / sizeof(imms[0]))] : (int32_t)rnd(g);
}

static void rand_alu(struct gen *g, int regs)
{
	uint8_t op = alu_ops[pick(g, sizeof(alu_ops))];
	uint8_t cls = pick(g, 4) ? BPF_ALU64 : BPF_ALU;
	uint8_t dst = (uint8_t)pick(g, (uint32_t)regs), src = (uint8_t)pick(g, (uint32_t)regs);
	int32_t imm = rand_imm(g);
	if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && pick(g, 4))
		imm = (int32_t)pick(g, cls == BPF_ALU64 ? 64 : 32);
	if ((op == BPF_DIV || op == BPF_MOD) && imm == 0 && pick(g, 4))
		imm = 3;
	if (pick(g, 2))
		emit(g, cls | op | BPF_K, dst, 0, 0, imm);
	else
		emit(g, cls | op | BPF_X, dst, src, 0, 0);
}

static void init_regs(struct gen *g, int regs)
{
	for (int r = 0; r < regs; r++)
		if (r != 1 && pick(g, 8))
			emit(g, BPF_ALU64 | BPF_MOV | BPF_K, (uint8_t)r, 0, 0, rand_imm(g));
}

static void gen_alu(struct gen *g)
{
	init_regs(g, 6);
	for (int i = 0, n = 2 + (int)pick(g, 12); i < n; i++)
		rand_alu(g, 6);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static const uint8_t sizes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };

static void gen_stack(struct gen *g)
{
	init_regs(g, 6);
	for (int i = 0, n = 2 + (int)pick(g, 8); i < n; i++) {
		int16_t off = (int16_t)(-8 * (1 + (int)pick(g, 8)));
		if (!pick(g, 6))
			off = (int16_t)(-(int)pick(g, 520));
		uint8_t size = sizes[pick(g, 4)];
		uint8_t reg = (uint8_t)pick(g, 6);
		switch (pick(g, 4)) {
		case 0:
			emit(g, BPF_STX | BPF_MEM | size, 10, reg, off, 0);
			break;
		case 1:
			emit(g, BPF_ST | BPF_MEM | size, 10, 0, off, rand_imm(g));
			break;
		case 2:
			emit(g, BPF_LDX | BPF_MEM | size, reg, 10, off, 0);
			break;
		default:
			emit(g, BPF_ALU64 | BPF_MOV | BPF_X, reg, 1, 0, 0);
			emit(g, BPF_STX | BPF_MEM | BPF_DW, 10, reg, (int16_t)(off & ~7), 0);
			emit(g, BPF_LDX | BPF_MEM | BPF_DW, (uint8_t)pick(g, 6), 10,
			     (int16_t)(off & ~7), 0);
			break;
		}
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* r0 = lookup(map, &key on stack) */
static void emit_lookup(struct gen *g, int which)
{
	emit(g, BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, (int32_t)pick(g, 6));
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, pick(g, 10) ? -4 : -2);
	emit_map(g, 1, which);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
}

static void gen_map(struct gen *g)
{
	int which = (int)pick(g, 2);
	emit_lookup(g, which);
	bool check = pick(g, 4) != 0;
	if (check)
		emit(g, BPF_JMP | (pick(g, 2) ? BPF_JEQ : BPF_JNE) | BPF_K, 0, 0, 0, 0);
	uint32_t body = g->prog->cnt;
	int16_t off = (int16_t)(pick(g, 3) ? 8 * (int)pick(g, 3) : (int)pick(g, 20) - 2);
	uint8_t size = sizes[pick(g, 4)];
	if (pick(g, 3))
		emit(g, BPF_LDX | BPF_MEM | size, 3, 0, off, 0);
	if (pick(g, 2))
		emit(g, BPF_ST | BPF_MEM | size, 0, 0, off, 5);
	if (!pick(g, 3)) { /* variable index into the value */
		emit(g, BPF_LDX | BPF_MEM | BPF_B, 4, 0, 0, 0);
		emit(g, BPF_ALU64 | BPF_AND | BPF_K, 4, 0, 0, pick(g, 2) ? 7 : 31);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 0, 4, 0, 0);
		emit(g, BPF_LDX | BPF_MEM | BPF_B, 3, 0, 0, 0);
	}
	if (check) {
		struct objfmt_insn *j = &g->prog->insns[body - 1];
		j->off = (int16_t)(g->prog->cnt - body);
		if (BPF_OP(j->code) == BPF_JNE) /* jne skips the body: invert its meaning */
			j->off = 0;
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void gen_packet(struct gen *g, uint32_t prog_type)
{
	int32_t data = prog_type == BPF_PROG_TYPE_XDP ? 0 : 76;
	int32_t end = prog_type == BPF_PROG_TYPE_XDP ? 4 : 80;
	emit(g, BPF_LDX | BPF_MEM | BPF_W, 2, 1, (int16_t)data, 0);
	emit(g, BPF_LDX | BPF_MEM | BPF_W, 3, 1, (int16_t)end, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
	int32_t need = 1 + (int32_t)pick(g, 40);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, need);
	static const uint8_t cmp[] = { BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE };
	uint8_t op = cmp[pick(g, 4)];
	bool swap = pick(g, 2);
	if (pick(g, 6))
		emit(g, BPF_JMP | op | BPF_X, swap ? 3 : 4, swap ? 4 : 3, 2, 0);
	else
		emit(g, BPF_JMP | BPF_JA, 0, 0, 2, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (int i = 0, n = 1 + (int)pick(g, 3); i < n; i++) {
		uint8_t size = sizes[pick(g, 3)];
		int16_t off = (int16_t)pick(g, (uint32_t)need + 4);
		emit(g, BPF_LDX | BPF_MEM | size, 5, 2, off, 0);
	}
	if (pick(g, 3) == 0) /* variable offset */
		emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 2, 5, 0, 0),
		emit(g, BPF_LDX | BPF_MEM | BPF_B, 5, 2, 0, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void gen_branch(struct gen *g)
{
	init_regs(g, 6);
	emit(g, BPF_LDX | BPF_MEM | BPF_W, 6, 1, 0, 0);
	int n = 3 + (int)pick(g, 8);
	for (int i = 0; i < n; i++) {
		if (pick(g, 2)) {
			rand_alu(g, 7);
			continue;
		}
		uint8_t op = jmp_ops[pick(g, sizeof(jmp_ops))];
		uint8_t cls = pick(g, 3) ? BPF_JMP : BPF_JMP32;
		int16_t off = (int16_t)pick(g, 3);
		if (pick(g, 2))
			emit(g, cls | op | BPF_K, (uint8_t)pick(g, 7), 0, off, rand_imm(g));
		else
			emit(g, cls | op | BPF_X, (uint8_t)pick(g, 7), (uint8_t)pick(g, 7), off, 0);
	}
	for (int i = 0; i < 3; i++)
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, i);
	if (!pick(g, 3)) { /* use a learned bound as a stack index */
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 7, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, -64);
		emit(g, BPF_JMP | BPF_JGT | BPF_K, 6, 0, 2, (int32_t)pick(g, 80));
		emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 7, 6, 0, 0);
		emit(g, BPF_ST | BPF_MEM | BPF_B, 7, 0, 0, 1);
	}
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void gen_loop(struct gen *g)
{
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)pick(g, 5));
	/* loop: r0 += r2; r2 += step; if r2 <op> bound goto loop */
	emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 0, 2, 0, 0);
	int32_t step = pick(g, 5) ? 1 : (int32_t)pick(g, 3) - 1;
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, step);
	static const uint8_t ops[] = { BPF_JLT, BPF_JNE, BPF_JLE, BPF_JSLT, BPF_JGT };
	emit(g, BPF_JMP | ops[pick(g, 5)] | BPF_K, 2, 0, -3, 1 + (int32_t)pick(g, 60));
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void gen_helper(struct gen *g)
{
	switch (pick(g, 6)) {
	case 0: /* update with good or bad value pointer */
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 0);
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -16, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -8);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, pick(g, 3) ? -16 : -4);
		if (!pick(g, 4))
			emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0);
		emit_map(g, 1, (int)pick(g, 2));
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem);
		break;
	case 1: /* ringbuf reserve, maybe submit */
		emit_map(g, 1, 2);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8 * (1 + (int32_t)pick(g, 4)));
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0);
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve);
		if (pick(g, 4)) {
			emit(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, pick(g, 5) ? 4 : 3, 0);
			emit(g, BPF_ST | BPF_MEM | BPF_DW, 0, 0, (int16_t)(8 * (int)pick(g, 3)), 1);
			emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0);
			emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0);
			emit(g, BPF_JMP | BPF_CALL, 0, 0, 0,
			     pick(g, 2) ? BPF_FUNC_ringbuf_submit : BPF_FUNC_ringbuf_discard);
		}
		break;
	case 2: /* time / random */
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0,
		     pick(g, 2) ? BPF_FUNC_ktime_get_ns : BPF_FUNC_get_prandom_u32);
		break;
	case 3: /* trace_printk with a stack string of some size */
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 0x6968);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -8);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)pick(g, 12));
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_trace_printk);
		break;
	case 4: /* lookup with a wrong argument type */
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 2, (uint8_t)(pick(g, 2) ? 1 : 10), 0, 0);
		emit_map(g, 1, 0);
		if (pick(g, 2))
			emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0);
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
		break;
	default: /* a helper this type may not use, or an unknown one */
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0,
		     pick(g, 2) ? BPF_FUNC_xdp_adjust_head : (int32_t)(300 + pick(g, 10)));
		break;
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void gen_subprog(struct gen *g)
{
	/* main: r1 = arg; call sub; exit.  sub: uses r1, maybe stack, returns r0 */
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, (int32_t)pick(g, 100));
	if (pick(g, 3))
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -8),
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 7);
	uint32_t call = g->prog->cnt;
	emit(g, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0);
	if (pick(g, 4))
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	g->prog->insns[call].imm = (int32_t)(g->prog->cnt - call - 1);
	if (pick(g, 3))
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0);
	if (!pick(g, 3))
		emit(g, BPF_LDX | BPF_MEM | BPF_DW, 0, 2, 0, 0);
	if (!pick(g, 4))
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, (int16_t)(-8 * (1 + (int)pick(g, 70))), 0);
	if (!pick(g, 5))
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 0, 10, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* An unknown value through a chain of ALU ops and comparisons with random constants,
 * then used as an offset into a map value or the stack: whether the access is provably
 * in bounds is decided by the range tracking alone. */
static void gen_bounds(struct gen *g)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_OR, BPF_AND, BPF_LSH,
				       BPF_RSH, BPF_XOR, BPF_ARSH, BPF_NEG, BPF_MOD, BPF_DIV };
	bool use_map = pick(g, 2);
	if (use_map) {
		emit_lookup(g, 1); /* array: value 24 bytes */
		emit(g, BPF_JMP | BPF_JNE | BPF_K, 0, 0, 2, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
		emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 7, 0, 0, 0);
		emit(g, BPF_LDX | BPF_MEM | sizes[pick(g, 4)], 6, 7, 0, 0);
	} else {
		emit(g, BPF_LDX | BPF_MEM | sizes[pick(g, 3)], 6, 1, 0, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 7, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, -64);
	}
	for (int i = 0, n = 1 + (int)pick(g, 4); i < n; i++) {
		uint8_t op = ops[pick(g, sizeof(ops))];
		uint8_t cls = pick(g, 3) ? BPF_ALU64 : BPF_ALU;
		int32_t k = pick(g, 2) ? (int32_t)pick(g, 64) : rand_imm(g);
		if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
			k = (int32_t)pick(g, cls == BPF_ALU64 ? 64 : 32);
		if ((op == BPF_MOD || op == BPF_DIV) && !k)
			k = 7;
		emit(g, cls | op | BPF_K, 6, 0, 0, op == BPF_NEG ? 0 : k);
		if (pick(g, 2)) {
			uint8_t jop = jmp_ops[pick(g, sizeof(jmp_ops))];
			uint8_t jcls = pick(g, 3) ? BPF_JMP : BPF_JMP32;
			emit(g, jcls | jop | BPF_K, 6, 0, 2, pick(g, 2) ? (int32_t)pick(g, 80) - 8
								  : rand_imm(g));
			emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
			emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		}
	}
	uint8_t idx = 6;
	if (pick(g, 2)) { /* bound a copy: the original learns it too (linked scalars) */
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 8, 6, 0, 0);
		if (pick(g, 4) == 0)
			emit(g, BPF_STX | BPF_MEM | BPF_DW, 10, 8, -72, 0),
			emit(g, BPF_LDX | BPF_MEM | BPF_DW, 8, 10, -72, 0);
		if (pick(g, 5) == 0)
			emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 8, 0, 0, 1);
		emit(g, BPF_JMP | (pick(g, 2) ? BPF_JGT : BPF_JSGT) | BPF_K, pick(g, 2) ? 8 : 6, 0, 2,
		     (int32_t)pick(g, 24));
		emit(g, BPF_JMP | BPF_JSLT | BPF_K, 8, 0, 1, 0);
		emit(g, BPF_JMP | BPF_JA, 0, 0, 2, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
		emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		idx = pick(g, 2) ? 6 : 8;
	}
	emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 7, idx, 0, 0);
	if (pick(g, 2))
		emit(g, BPF_LDX | BPF_MEM | sizes[pick(g, 2)], 0, 7, (int16_t)pick(g, 8), 0);
	else
		emit(g, BPF_ST | BPF_MEM | BPF_B, 7, 0, (int16_t)pick(g, 8), 1);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Atomic operations of both widths on the stack or a map value, fetch forms included. */
static void gen_atomic(struct gen *g)
{
	static const int32_t aops[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH,
					BPF_OR | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG };
	bool on_map = pick(g, 2);
	if (on_map) {
		emit_lookup(g, (int)pick(g, 2));
		emit(g, BPF_JMP | BPF_JNE | BPF_K, 0, 0, 2, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
		emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 8, 0, 0, 0);
	} else {
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 1);
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -16, 2);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 8, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 8, 0, 0, -16);
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 5);
	for (int i = 0, n = 1 + (int)pick(g, 3); i < n; i++) {
		uint8_t size = pick(g, 2) ? BPF_DW : BPF_W;
		int16_t off = (int16_t)(pick(g, 4) ? 8 * (int)pick(g, 2) : (int)pick(g, 16) - 4);
		uint8_t ptr = pick(g, 6) ? 8 : (uint8_t)pick(g, 3);
		emit(g, BPF_STX | BPF_ATOMIC | size, ptr, 2, off, aops[pick(g, 8)]);
	}
	if (pick(g, 2))
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 0, 2, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Context loads and stores of every size at offsets around the fields. */
static void gen_ctx(struct gen *g)
{
	for (int i = 0, n = 1 + (int)pick(g, 3); i < n; i++) {
		uint8_t size = sizes[pick(g, 4)];
		int16_t off = (int16_t)(pick(g, 4) ? 4 * (int)pick(g, 50) : (int)pick(g, 200));
		switch (pick(g, 3)) {
		case 0:
			emit(g, BPF_STX | BPF_MEM | size, 1, 1, off, 0);
			break;
		case 1:
			emit(g, BPF_ST | BPF_MEM | size, 1, 0, off, 3);
			break;
		default:
			emit(g, BPF_LDX | BPF_MEM | size, (uint8_t)(2 + pick(g, 4)), 1, off, 0);
			break;
		}
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, (int32_t)pick(g, 3));
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Pointers compared, spilled and filled, stored into maps, meta and end misuse. */
static void gen_pointer(struct gen *g)
{
	emit(g, BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);     /* xdp data */
	emit(g, BPF_LDX | BPF_MEM | BPF_W, 3, 1, 4, 0);     /* xdp data_end */
	emit(g, BPF_LDX | BPF_MEM | BPF_W, 4, 1, 8, 0);     /* xdp data_meta */
	switch (pick(g, 6)) {
	case 0: /* spill data, check, fill, read */
		emit(g, BPF_STX | BPF_MEM | BPF_DW, 10, 2, -8, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 5, 2, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 5, 0, 0, 8);
		emit(g, BPF_JMP | BPF_JGT | BPF_X, 5, 3, 2, 0);
		emit(g, BPF_LDX | BPF_MEM | BPF_DW, 6, 10, -8, 0);
		emit(g, BPF_LDX | BPF_MEM | sizes[pick(g, 4)], 0, 6, (int16_t)pick(g, 8), 0);
		break;
	case 1: /* meta + n <= data */
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 5, 4, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 5, 0, 0, (int32_t)pick(g, 8));
		emit(g, BPF_JMP | BPF_JGT | BPF_X, 5, 2, 1, 0);
		emit(g, BPF_LDX | BPF_MEM | sizes[pick(g, 3)], 0, 4, (int16_t)pick(g, 8), 0);
		break;
	case 2: /* arithmetic on data_end */
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, (int32_t)pick(g, 3) - 1);
		emit(g, BPF_JMP | BPF_JGT | BPF_X, 2, 3, 1, 0);
		emit(g, BPF_LDX | BPF_MEM | BPF_B, 0, 2, 0, 0);
		break;
	case 3: /* a pointer into a map value */
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 6, 2, 0, 0);
		emit_lookup(g, 0);
		emit(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1, 0);
		emit(g, BPF_STX | BPF_MEM | BPF_DW, 0, (uint8_t)(pick(g, 2) ? 6 : 10),
		     (int16_t)(8 * (int)pick(g, 3)), 0);
		break;
	case 4: /* compare pointers of different kinds, 32-bit compares on pointers */
		emit(g, BPF_JMP | (pick(g, 2) ? BPF_JEQ : BPF_JLT) | BPF_X, 2, (uint8_t)(pick(g, 2) ? 10 : 1), 1, 0);
		emit(g, BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 1, 0);
		emit(g, BPF_LDX | BPF_MEM | BPF_B, 0, 2, 0, 0);
		break;
	default: /* pointer to the stack passed to a subprogram that writes it */
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -8 * (1 + (int32_t)pick(g, 3)));
		emit(g, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 3);
		emit(g, BPF_LDX | BPF_MEM | BPF_DW, 0, 10, -8, 0);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2);
		emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		emit(g, BPF_ST | BPF_MEM | BPF_DW, 1, 0, (int16_t)(8 * (int)pick(g, 3) - 8), 1);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 0, (uint8_t)(pick(g, 3) ? 1 : 10), 0, 0);
		emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return;
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Sign/zero extension: movsx, sign-extending loads, byte swaps, then used as an index. */
static void gen_extend(struct gen *g)
{
	static const int16_t sx[] = { 8, 16, 32 };
	emit(g, BPF_LDX | BPF_MEM | sizes[pick(g, 3)], 6, 1, 0, 0);
	switch (pick(g, 4)) {
	case 0:
		emit(g, (pick(g, 2) ? BPF_ALU64 : BPF_ALU) | BPF_MOV | BPF_X, 6, 6, sx[pick(g, 3)], 0);
		break;
	case 1:
		emit(g, BPF_STX | BPF_MEM | BPF_DW, 10, 6, -8, 0);
		emit(g, BPF_LDX | OBJFMT_MODE_MEMSX | sizes[pick(g, 3)], 6, 10, -8, 0);
		break;
	case 2:
		emit(g, BPF_ALU | BPF_END | (pick(g, 2) ? BPF_TO_BE : BPF_TO_LE), 6, 0, 0,
		     16 << pick(g, 3));
		break;
	default:
		emit(g, BPF_ALU64 | BPF_END, 6, 0, 0, 16 << pick(g, 3));
		break;
	}
	emit(g, BPF_JMP | (pick(g, 2) ? BPF_JSGT : BPF_JGT) | BPF_K, 6, 0, 2, (int32_t)pick(g, 64));
	emit(g, BPF_JMP | BPF_JSLT | BPF_K, 6, 0, 1, (int32_t)pick(g, 3) - 1);
	emit(g, BPF_JMP | BPF_JA, 0, 0, 2, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 7, 10, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, -64);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 7, 6, 0, 0);
	emit(g, BPF_ST | BPF_MEM | BPF_B, 7, 0, 0, 1);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* One random change to one insn (fields kept in range so the program still decodes). */
static void mutate(struct gen *g)
{
	struct vt_prog *p = g->prog;
	uint32_t i = pick(g, p->cnt);
	struct objfmt_insn *insn = &p->insns[i];
	if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) || insn->code == 0)
		return;
	switch (pick(g, 4)) {
	case 0:
		insn->off = (int16_t)(insn->off + (int)pick(g, 9) - 4);
		break;
	case 1:
		insn->imm = rand_imm(g);
		break;
	case 2:
		if (OBJFMT_CLASS(insn->code) != BPF_JMP)
			insn->dst_reg = (uint8_t)pick(g, 10);
		break;
	default:
		if (BPF_SRC(insn->code) == BPF_X || OBJFMT_CLASS(insn->code) == BPF_LDX ||
		    OBJFMT_CLASS(insn->code) == BPF_STX)
			insn->src_reg = (uint8_t)pick(g, 11);
		break;
	}
}

/* bpf_loop or bpf_for_each_map_elem with a callback that reads or writes its context
 * (fp-8 of the caller, or NULL), the key and value, and returns a value in or out of
 * [0, 1]; the iteration count is constant or unknown. */
static void gen_callback(struct gen *g)
{
	static const int32_t rets[] = { 0, 1, 1, 0, 2, -1 };
	bool each = pick(g, 2), ctx = pick(g, 4), random_count = false;

	emit(g, BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, (int32_t)pick(g, 10));
	if (each) {
		emit_map(g, 1, (int)pick(g, 2));
	} else if (pick(g, 3)) {
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, (int32_t)pick(g, 6));
	} else {
		random_count = true; /* the run's result must not depend on it */
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_prandom_u32);
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0);
		if (pick(g, 2))
			emit(g, BPF_ALU64 | BPF_AND | BPF_K, 1, 0, 0, 7);
	}
	uint32_t ld = g->prog->cnt;
	emit(g, BPF_LD | BPF_IMM | BPF_DW, 2, BPF_PSEUDO_FUNC, 0, 0);
	emit(g, 0, 0, 0, 0, 0);
	if (ctx)
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0),
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -8);
	else
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, pick(g, 8) ? 0 : 1);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 0);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, each ? BPF_FUNC_for_each_map_elem : BPF_FUNC_loop);
	if (pick(g, 2))
		emit(g, BPF_LDX | BPF_MEM | BPF_DW, 0, 10, 0, -8);
	emit(g, BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, random_count ? 0 : 0xff);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	g->cb_start = g->prog->cnt;
	g->prog->insns[ld].imm = (int32_t)(g->cb_start - ld - 1);
	uint8_t ctx_reg = each ? 4 : 2;
	if (pick(g, 3)) { /* ctx->counter += index / value */
		emit(g, BPF_LDX | BPF_MEM | BPF_DW, 6, ctx_reg, 0, 0);
		if (each)
			emit(g, BPF_LDX | BPF_MEM | BPF_DW, 7, 3, (int16_t)(8 * pick(g, 4)), 0);
		else
			emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 7, 1, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_X, 6, 7, 0, 0);
		emit(g, BPF_STX | BPF_MEM | BPF_DW, ctx_reg, 6, (int16_t)(pick(g, 6) ? 0 : 8), 0);
	}
	if (each && pick(g, 2))
		emit(g, BPF_LDX | BPF_MEM | BPF_W, 0, 2, (int16_t)(pick(g, 5) ? 0 : 4), 0);
	if (pick(g, 3)) {
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rets[pick(g, 6)]);
	} else { /* an unknown but deterministic value: the index or the key */
		if (each)
			emit(g, BPF_LDX | BPF_MEM | BPF_W, 0, 2, 0, 0);
		else
			emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 0, 1, 0, 0);
		emit(g, BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, pick(g, 4) ? 1 : 3);
	}
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* A map value with a BTF-described bpf_spin_lock (placeholder 3): lock at the right
 * or a wrong offset, a body that updates the value or breaks a rule (helper call,
 * access to the lock word, exit while holding it), with or without the unlock. */
static void gen_lock(struct gen *g)
{
	emit(g, BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4);
	emit_map(g, 1, 3);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	uint32_t check = g->prog->cnt;
	if (pick(g, 8))
		emit(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 6, 0, 0, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, pick(g, 8) ? 4 : 0);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_spin_lock);
	switch (pick(g, 6)) {
	case 0:
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ktime_get_ns);
		break;
	case 1:
		emit(g, BPF_LDX | BPF_MEM | (pick(g, 2) ? BPF_W : BPF_DW), 0, 6,
		     (int16_t)(pick(g, 2) ? 4 : 0), 0);
		break;
	case 2:
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
		emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		break;
	default:
		emit(g, BPF_LDX | BPF_MEM | BPF_W, 7, 6, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, 1);
		emit(g, BPF_STX | BPF_MEM | BPF_W, 6, 7, 0, 0);
		break;
	}
	if (pick(g, 6)) {
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0);
		emit(g, BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 4);
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_spin_unlock);
	}
	if (g->prog->insns[check].code == (BPF_JMP | BPF_JEQ | BPF_K))
		g->prog->insns[check].off = (int16_t)(g->prog->cnt - check - 1);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static uint32_t prog_type_for(struct gen *g, int cat)
{
	if (cat == CAT_LOCK)
		return pick(g, 6) ? BPF_PROG_TYPE_SCHED_CLS :
		       pick(g, 2) ? BPF_PROG_TYPE_SOCKET_FILTER : BPF_PROG_TYPE_KPROBE;
	static const uint32_t ctx_types[] = {
		BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_XDP,
		BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_RAW_TRACEPOINT,
		BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_CGROUP_SKB,
	};
	if (cat == CAT_PACKET)
		return pick(g, 2) ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS;
	if (cat == CAT_CTX)
		return ctx_types[pick(g, 8)];
	if (cat == CAT_PTR)
		return BPF_PROG_TYPE_XDP;
	static const uint32_t types[] = { BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_SCHED_CLS,
					  BPF_PROG_TYPE_XDP };
	return types[pick(g, 3)];
}

static uint32_t mutations = 2; /* up to this many changes per mutant (-m raises it) */

static void generate(struct gen *g, int cat, uint32_t type)
{
	g->prog->cnt = 0;
	g->cb_start = 0;
	switch (cat) {
	case CAT_CALLBACK: gen_callback(g); break;
	case CAT_LOCK: gen_lock(g); break;
	case CAT_ALU: gen_alu(g); break;
	case CAT_STACK: gen_stack(g); break;
	case CAT_MAP: gen_map(g); break;
	case CAT_PACKET: gen_packet(g, type); break;
	case CAT_BRANCH: gen_branch(g); break;
	case CAT_LOOP: gen_loop(g); break;
	case CAT_HELPER: gen_helper(g); break;
	case CAT_SUBPROG: gen_subprog(g); break;
	case CAT_BOUNDS: gen_bounds(g); break;
	case CAT_ATOMIC: gen_atomic(g); break;
	case CAT_CTX: gen_ctx(g); break;
	case CAT_PTR: gen_pointer(g); break;
	case CAT_EXT: gen_extend(g); break;
	default:
		generate(g, (int)pick(g, CAT_MUTANT), type);
		for (int k = 0, n = 1 + (int)pick(g, mutations); k < n; k++)
			mutate(g);
		break;
	}
}

struct stats {
	unsigned total, agree, both_accept, both_reject, unsafe, gap;
	unsigned runs, run_agree;
	unsigned cat_total[CAT_COUNT], cat_gap[CAT_COUNT], cat_unsafe[CAT_COUNT];
	unsigned cat_accept[CAT_COUNT], cat_insns[CAT_COUNT], cat_log[CAT_COUNT];
	unsigned insn_agree, log_agree, stats_agree;
};

/* A level-2 log line as compared: the kernel's stack-liveness debug lines (6.18
 * liveness.c, not emulated) are dropped, ld_imm64 map addresses become "<addr>". */
static bool normalise_line(const char *line, size_t len, char *out, size_t size)
{
	if (len && line[0] == '(' && (memmem(line, len, ") frame ", 8) ||
				     memmem(line, len, ") live stack update", 19)))
		return false;
	size_t n = 0;
	for (size_t i = 0; i < len && n + 8 < size; i++) {
		size_t digits = 0;
		while (i + 2 + digits < len && ((line[i + 2 + digits] >= '0' &&
						 line[i + 2 + digits] <= '9') ||
						(line[i + 2 + digits] >= 'a' &&
						 line[i + 2 + digits] <= 'f')))
			digits++;
		if (line[i] == '0' && i + 1 < len && line[i + 1] == 'x' && digits >= 12 &&
		    (i == 0 || line[i - 1] == ' ')) { /* an address, as ld_imm64 of a map prints */
			n += (size_t)snprintf(out + n, size - n, "<addr>");
			i += 2;
			while (i < len && ((line[i] >= '0' && line[i] <= '9') ||
					   (line[i] >= 'a' && line[i] <= 'f')))
				i++;
			i--;
			continue;
		}
		out[n++] = line[i];
	}
	out[n] = 0;
	return true;
}

/* 0 when the normalised logs are equal, else the 1-based number of the first line that
 * differs (its texts in *eline / *kline). */
static unsigned compare_logs(const char *elog, const char *klog, char *eline, char *kline,
			     size_t size)
{
	unsigned lineno = 0;
	for (;;) {
		bool ekeep = false, kkeep = false;
		while (*elog && !ekeep) {
			const char *end = strchr(elog, '\n');
			size_t len = end ? (size_t)(end - elog) : strlen(elog);
			ekeep = normalise_line(elog, len, eline, size);
			elog += len + (end ? 1 : 0);
		}
		while (*klog && !kkeep) {
			const char *end = strchr(klog, '\n');
			size_t len = end ? (size_t)(end - klog) : strlen(klog);
			kkeep = normalise_line(klog, len, kline, size);
			klog += len + (end ? 1 : 0);
		}
		lineno++;
		if (!ekeep && !kkeep)
			return 0;
		if (ekeep != kkeep || strcmp(eline, kline)) {
			if (!ekeep)
				eline[0] = 0;
			if (!kkeep)
				kline[0] = 0;
			return lineno;
		}
	}
}

static unsigned processed_insns(const char *log)
{
	const char *p = strstr(log, "processed ");
	return p ? (unsigned)strtoul(p + 10, NULL, 10) : 0;
}

/* Whether both logs end with the same statistics line (insns, max_states_per_insn,
 * total_states, peak_states). */
static bool same_stats(const char *elog, const char *klog)
{
	const char *e = strstr(elog, "processed "), *k = strstr(klog, "processed ");
	if (!e || !k)
		return false;
	size_t elen = strcspn(e, "\n"), klen = strcspn(k, "\n");
	return elen == klen && !memcmp(e, k, elen);
}

static const char *last_line(const char *log)
{
	static char line[256];
	const char *end = log + strlen(log), *p;
	/* skip the statistics line */
	while (end > log && end[-1] == '\n')
		end--;
	for (p = end; p > log && p[-1] != '\n'; p--)
		;
	if (!strncmp(p, "processed ", 10) && p > log) {
		end = p - 1;
		for (p = end; p > log && p[-1] != '\n'; p--)
			;
	}
	snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
	return line;
}

static void dump(const struct vt_prog *prog)
{
	for (uint32_t i = 0; i < prog->cnt; i++) {
		const struct objfmt_insn *x = &prog->insns[i];
		fprintf(stderr, "    %3u: %02x %u %u %6d %d\n", i, x->code, x->dst_reg, x->src_reg,
			x->off, x->imm);
	}
}

static void dump(const struct vt_prog *prog);

static void compare_runs(int efd, int kfd, struct stats *st, bool verbose,
			 const struct vt_prog *prog, uint32_t type)
{
	uint8_t pkt[64], eout[128], kout[128];
	uint32_t eret = 0, kret = 0, esize = sizeof(eout), ksize = sizeof(kout);
	for (unsigned i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7 + 1);
	int ke = vt_test_run(VT_KERNEL, kfd, pkt, sizeof(pkt), &kret, kout, &ksize);
	int ee = vt_test_run(VT_EMU, efd, pkt, sizeof(pkt), &eret, eout, &esize);
	if (ke < 0)
		return; /* type without a kernel test_run */
	st->runs++;
	if (ee == 0 && eret == kret && esize == ksize && !memcmp(eout, kout, ksize))
		st->run_agree++;
	else if (verbose) {
		fprintf(stderr, "test_run differs (type %u): kernel ret=%u size=%u, emu err=%d "
			"ret=%u size=%u\n", type, kret, ksize, ee, eret, esize);
		dump(prog);
	}
}

/* Load into both; a program with a callback carries BTF func_info. */
static void load_both(const struct gen *g, uint32_t type, const struct vt_prog *eprog,
		      const struct vt_prog *kprog, uint32_t level, struct vt_result *er,
		      struct vt_result *kr)
{
	const uint32_t starts[2] = { 0, g->cb_start };
	if (g->cb_start) {
		vt_load_funcs(VT_EMU, type, eprog, starts, 2, level, er);
		vt_load_funcs(VT_KERNEL, type, kprog, starts, 2, level, kr);
	} else {
		vt_load(VT_EMU, type, eprog, "GPL", level, er);
		vt_load(VT_KERNEL, type, kprog, "GPL", level, kr);
	}
}

/* With DIFF_KERNEL_LOGS=dir, the two logs of a differing program go to dir/N.emu and
 * dir/N.kernel (for reading them side by side). */
static void save_logs(unsigned n, const char *elog, const char *klog)
{
	const char *dir = getenv("DIFF_KERNEL_LOGS");
	char path[512];
	if (!dir)
		return;
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%u.%s", dir, n, k ? "kernel" : "emu");
		FILE *f = fopen(path, "w");
		if (f) {
			fputs(k ? klog : elog, f);
			fclose(f);
		}
	}
}

/* Both accepted: reload at log level 2 and compare processed-insn counts and logs. */
static void compare_level2(const struct gen *g, uint32_t type, const struct vt_prog *eprog,
			   const struct vt_prog *kprog, int cat, struct stats *st, bool show,
			   unsigned n)
{
	struct vt_result er, kr;
	static char eline[4096], kline[4096];

	load_both(g, type, eprog, kprog, 2, &er, &kr);
	if (er.fd >= 0 && kr.fd >= 0) {
		unsigned ei = processed_insns(er.log), ki = processed_insns(kr.log);
		st->cat_accept[cat]++;
		if (ei == ki) {
			st->insn_agree++;
			st->cat_insns[cat]++;
		}
		st->stats_agree += same_stats(er.log, kr.log);
		unsigned line = compare_logs(er.log, kr.log, eline, kline, sizeof(eline));
		if (!line) {
			st->log_agree++;
			st->cat_log[cat]++;
		} else if (show) {
			fprintf(stderr, "log #%u (%s) line %u: processed %u/%u\n  emu:    %s\n  kernel: %s\n",
				n, cat_names[cat], line, ei, ki, eline, kline);
			save_logs(n, er.log, kr.log);
		}
	}
	vt_close(VT_EMU, er.fd);
	vt_close(VT_KERNEL, kr.fd);
	vt_result_free(&er);
	vt_result_free(&kr);
}

int main(int argc, char **argv)
{
	bool verbose = false, only_mutants = false, show_logs = false;
	int argi = 1;
	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (!strcmp(argv[argi], "-v"))
			verbose = true;
		else if (!strcmp(argv[argi], "-m"))
			only_mutants = true, mutations = 5;
		else if (!strcmp(argv[argi], "-l"))
			show_logs = true;
	}
	unsigned count = argc > argi ? (unsigned)atoi(argv[argi]) : 1200;
	uint64_t seed = argc > argi + 1 ? strtoull(argv[argi + 1], NULL, 0) : 0x5eed1234;
	if (!vt_kernel_available()) {
		fprintf(stderr, "diff_kernel: the real bpf() is not available (needs root): SKIP\n");
		return 77;
	}
	int emaps[4] = {
		vt_map_create(VT_EMU, BPF_MAP_TYPE_HASH, 4, 16, 16, 0),
		vt_map_create(VT_EMU, BPF_MAP_TYPE_ARRAY, 4, 24, 4, 0),
		vt_map_create(VT_EMU, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0),
		vt_lock_map_create(VT_EMU, BPF_MAP_TYPE_ARRAY, 2),
	};
	int kmaps[4] = {
		vt_map_create(VT_KERNEL, BPF_MAP_TYPE_HASH, 4, 16, 16, 0),
		vt_map_create(VT_KERNEL, BPF_MAP_TYPE_ARRAY, 4, 24, 4, 0),
		vt_map_create(VT_KERNEL, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0),
		vt_lock_map_create(VT_KERNEL, BPF_MAP_TYPE_ARRAY, 2),
	};
	for (int i = 0; i < 4; i++)
		if (emaps[i] < 0 || kmaps[i] < 0) {
			fprintf(stderr, "diff_kernel: map creation failed (%d %d)\n", emaps[i], kmaps[i]);
			return 1;
		}
	static struct vt_prog base, eprog, kprog;
	struct gen g = { .prog = &base, .rng = seed | 1 };
	struct stats st;
	memset(&st, 0, sizeof(st));
	for (unsigned n = 0; n < count; n++) {
		int cat = only_mutants ? CAT_MUTANT : (int)(n % CAT_COUNT);
		uint32_t type = prog_type_for(&g, cat);
		generate(&g, cat, type);
		eprog = base;
		kprog = base;
		vt_patch_maps(&eprog, emaps);
		vt_patch_maps(&kprog, kmaps);
		struct vt_result er, kr;
		load_both(&g, type, &eprog, &kprog, 0, &er, &kr);
		bool ea = er.fd >= 0, ka = kr.fd >= 0;
		if (ea != ka) { /* reload with a log to say why */
			vt_close(VT_EMU, er.fd);
			vt_close(VT_KERNEL, kr.fd);
			vt_result_free(&er);
			vt_result_free(&kr);
			load_both(&g, type, &eprog, &kprog, 1, &er, &kr);
		}
		st.total++;
		st.cat_total[cat]++;
		if (ea == ka) {
			st.agree++;
			if (ea) {
				st.both_accept++;
				compare_runs(er.fd, kr.fd, &st, verbose, &base, type);
				compare_level2(&g, type, &eprog, &kprog, cat, &st, show_logs, n);
			} else {
				st.both_reject++;
			}
		} else if (ea) {
			st.unsafe++;
			st.cat_unsafe[cat]++;
			fprintf(stderr, "UNSAFE #%u (%s, type %u): kernel: %s\n", n, cat_names[cat],
				type, last_line(kr.log));
			dump(&base);
		} else {
			st.gap++;
			st.cat_gap[cat]++;
			if (verbose) {
				fprintf(stderr, "gap #%u (%s, type %u): emu: %s | kernel accepted\n", n,
					cat_names[cat], type, last_line(er.log));
				dump(&base);
			}
		}
		vt_close(VT_EMU, er.fd);
		vt_close(VT_KERNEL, kr.fd);
		vt_result_free(&er);
		vt_result_free(&kr);
	}
	printf("programs %u, verdicts agree %u (%.1f%%): both accept %u, both reject %u; "
	       "we accept/kernel rejects %u; we reject/kernel accepts %u\n", st.total, st.agree,
	       100.0 * st.agree / (st.total ? st.total : 1), st.both_accept, st.both_reject,
	       st.unsafe, st.gap);
	printf("test_run compared %u, identical retval+data_out %u\n", st.runs, st.run_agree);
	printf("accepted by both %u: same processed-insn count %u (%.1f%%), same statistics "
	       "line (states too) %u, same level-2 log %u (%.1f%%)\n", st.both_accept,
	       st.insn_agree, 100.0 * st.insn_agree / (st.both_accept ? st.both_accept : 1),
	       st.stats_agree, st.log_agree,
	       100.0 * st.log_agree / (st.both_accept ? st.both_accept : 1));
	for (int c = 0; c < CAT_COUNT; c++)
		printf("  %-8s %5u programs, %u unsafe, %u precision gaps; accepted %u: insns %u, "
		       "log %u\n", cat_names[c], st.cat_total[c], st.cat_unsafe[c], st.cat_gap[c],
		       st.cat_accept[c], st.cat_insns[c], st.cat_log[c]);
	return st.unsafe ? 1 : 0;
}
