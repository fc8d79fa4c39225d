/* test_cc_regalloc.c - Check unit tests of the compiler's IR back end on IR built by
 * hand: liveness, the register allocator's properties (interference, values across
 * calls in r6-r9 or spilled, precoloured arguments, coalesced moves, spill code
 * shape) and the size optimisations (propagation, folding, dead code, jumps, slot
 * promotion, stack objects whose address stays local, tail merging, CO-RE-relocated
 * values computed once). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebpf/cc.h>

#include "ir.h"

enum {
	MOV64_IMM = 0xb7, MOV64_REG = 0xbf, ADD64_IMM = 0x07, ADD64_REG = 0x0f,
	MUL64_IMM = 0x27, LDXDW = 0x79, STXDW = 0x7b, JA = 0x05, JEQ_IMM = 0x15,
	JLT_IMM = 0xa5, EXIT = 0x95,
};

static struct ir_func *func_new(int blocks)
{
	struct ir_func *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->blocks = calloc((size_t)blocks, sizeof(*f->blocks));
	f->block_count = blocks;
	f->stack_limit = 512;
	f->params = 5;
	for (int n = 0; n < IR_VREG; n++)
		ck_assert_int_eq(ir_new_name(f, n < 10 ? n : -1), n);
	return f;
}

static int vreg(struct ir_func *f)
{
	return ir_new_name(f, -1);
}

static void add(struct ir_func *f, int block, struct ir_insn insn)
{
	struct ir_block *b = &f->blocks[block];

	ck_assert_ptr_nonnull(ir_block_insert(b, b->count, &insn));
}

static struct ir_insn jump(uint8_t code, int dst, int64_t imm, int target)
{
	struct ir_insn in = ir_make(code, dst, IR_NONE, 0, imm);

	in.target = target;
	return in;
}

static struct ir_insn *at(struct ir_func *f, int block, int i)
{
	ck_assert_int_lt(i, f->blocks[block].count);
	return &f->blocks[block].insns[i];
}

static int count_code(struct ir_func *f, uint8_t code)
{
	int n = 0;

	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++)
			n += f->blocks[b].insns[i].code == code;
	return n;
}

static bool live_in(struct ir_func *f, int block, int name)
{
	return f->blocks[block].live_in[name / 64] >> (name % 64) & 1;
}

START_TEST(liveness_carries_loop_values_around_the_back_edge)
{
	struct ir_func *f = func_new(3);
	int i = vreg(f), t = vreg(f);

	add(f, 0, ir_make(MOV64_IMM, i, IR_NONE, 0, 0));
	add(f, 1, ir_make(MOV64_REG, t, i, 0, 0));        /* t dies in the block */
	add(f, 1, ir_make(ADD64_IMM, t, IR_NONE, 0, 1));
	add(f, 1, ir_make(MOV64_REG, i, t, 0, 0));
	add(f, 1, jump(JLT_IMM, i, 10, 1));
	add(f, 2, ir_make(MOV64_REG, 0, i, 0, 0));
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_liveness(f));
	ck_assert(!live_in(f, 0, i));
	ck_assert(live_in(f, 1, i));
	ck_assert(!live_in(f, 1, t));
	ck_assert(live_in(f, 2, i));
	ck_assert(f->blocks[1].live_out[i / 64] >> (i % 64) & 1);
	ir_func_free(f);
}
END_TEST

START_TEST(interfering_values_get_distinct_registers)
{
	struct ir_func *f = func_new(1);
	int a = vreg(f), b = vreg(f);

	add(f, 0, ir_make(MOV64_IMM, a, IR_NONE, 0, 1));
	add(f, 0, ir_make(MOV64_IMM, b, IR_NONE, 0, 2));
	add(f, 0, ir_make(ADD64_REG, a, b, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, a, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_allocate(f));
	/* a and b are live together; a flows into r0 and takes it (the move vanished) */
	ck_assert_int_eq(f->blocks[0].count, 4);
	ck_assert_int_eq(at(f, 0, 0)->dst, 0);
	ck_assert_int_ne(at(f, 0, 1)->dst, 0);
	ck_assert_int_eq(at(f, 0, 2)->dst, 0);
	ck_assert_int_eq(at(f, 0, 2)->src, at(f, 0, 1)->dst);
	ck_assert_int_eq(at(f, 0, 3)->code, EXIT);
	ir_func_free(f);
}
END_TEST

START_TEST(values_live_across_a_call_take_callee_saved_registers)
{
	struct ir_func *f = func_new(1);
	int kept = vreg(f), sum = vreg(f);

	add(f, 0, ir_make(LDXDW, kept, 1, 0, 0));
	add(f, 0, ir_make(MOV64_IMM, 1, IR_NONE, 0, 5));
	add(f, 0, ir_make_call(7, 1));
	add(f, 0, ir_make(MOV64_REG, sum, 0, 0, 0));
	add(f, 0, ir_make(ADD64_REG, sum, kept, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, sum, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_allocate(f));
	ck_assert_int_ge(at(f, 0, 0)->dst, 6);
	ck_assert_int_le(at(f, 0, 0)->dst, 9);
	ck_assert_int_eq(at(f, 0, 0)->src, 1);
	ck_assert_int_eq(count_code(f, STXDW), 0); /* nothing spilled */
	ck_assert_int_eq(count_code(f, MOV64_REG), 0); /* sum coalesced with r0 twice */
	ck_assert_int_eq(at(f, 0, 3)->dst, 0);
	ck_assert_int_eq(at(f, 0, 3)->src, at(f, 0, 0)->dst);
	ir_func_free(f);
}
END_TEST

START_TEST(arguments_are_computed_in_their_registers)
{
	struct ir_func *f = func_new(1);
	int arg = vreg(f), len = vreg(f);

	add(f, 0, ir_make(MOV64_IMM, arg, IR_NONE, 0, 3));
	add(f, 0, ir_make(MOV64_IMM, len, IR_NONE, 0, 4));
	add(f, 0, ir_make(MOV64_REG, 2, len, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 1, arg, 0, 0));
	add(f, 0, ir_make_call(7, 2));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_allocate(f));
	ck_assert_int_eq(f->blocks[0].count, 4);
	ck_assert_int_eq(at(f, 0, 0)->dst, 1);
	ck_assert_int_eq(at(f, 0, 1)->dst, 2);
	ir_func_free(f);
}
END_TEST

START_TEST(a_move_whose_source_stays_live_is_kept)
{
	struct ir_func *f = func_new(1);
	int a = vreg(f), b = vreg(f);

	add(f, 0, ir_make(LDXDW, a, 1, 0, 0));
	add(f, 0, ir_make(MOV64_REG, b, a, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, b, IR_NONE, 0, 1));
	add(f, 0, ir_make(ADD64_REG, a, b, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, a, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_allocate(f));
	ck_assert_int_eq(f->blocks[0].count, 5);
	ck_assert_int_eq(at(f, 0, 1)->code, MOV64_REG);
	ck_assert_int_ne(at(f, 0, 1)->dst, at(f, 0, 1)->src);
	ck_assert_int_eq(at(f, 0, 0)->dst, 0); /* a coalesced with r0 */
	ir_func_free(f);
}
END_TEST

START_TEST(too_many_values_across_a_call_spill_as_64_bit_slots)
{
	struct ir_func *f = func_new(1);
	int v[6], sum = vreg(f), stores = 0, loads = 0;

	for (int i = 0; i < 6; i++) {
		v[i] = vreg(f);
		add(f, 0, ir_make(LDXDW, v[i], 1, (int16_t)(8 * i), 0));
	}
	add(f, 0, ir_make_call(7, 0));
	for (int i = 0; i < 6; i++) /* read and written in one instruction */
		add(f, 0, ir_make(ADD64_IMM, v[i], IR_NONE, 0, 1));
	add(f, 0, ir_make(MOV64_REG, sum, 0, 0, 0));
	for (int i = 0; i < 6; i++)
		add(f, 0, ir_make(ADD64_REG, sum, v[i], 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, sum, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_allocate(f));
	/* six values cross the call, r6-r9 hold four: two live in fresh 8-byte slots */
	ck_assert_int_eq(f->frame, 16);
	for (int i = 0; i < f->blocks[0].count; i++) {
		struct ir_insn *in = at(f, 0, i);

		if (in->code == STXDW) { /* right after each def, from its register */
			ck_assert_int_eq(in->dst, IR_FP);
			ck_assert(in->off == -8 || in->off == -16);
			ck_assert(at(f, 0, i - 1)->code == LDXDW || at(f, 0, i - 1)->code == ADD64_IMM);
			ck_assert_int_eq(at(f, 0, i - 1)->dst, in->src);
			stores++;
		} else if (in->code == LDXDW && in->src == IR_FP) { /* right before each use */
			ck_assert(in->off == -8 || in->off == -16);
			ck_assert(at(f, 0, i + 1)->code == ADD64_REG ||
				  at(f, 0, i + 1)->code == ADD64_IMM);
			ck_assert(at(f, 0, i + 1)->src == in->dst || at(f, 0, i + 1)->dst == in->dst);
			if (at(f, 0, i + 1)->code == ADD64_IMM) /* the new value goes back */
				ck_assert_int_eq(at(f, 0, i + 2)->code, STXDW);
			loads++;
		} else if (in->code == LDXDW) { /* not spilled: callee-saved */
			ck_assert(in->dst >= 6 || at(f, 0, i + 1)->code == STXDW);
		}
	}
	ck_assert_int_eq(stores, 2 + 2);
	ck_assert_int_eq(loads, 2 + 2);
	ir_func_free(f);
}
END_TEST

START_TEST(constants_become_immediates_and_fold)
{
	struct ir_func *f = func_new(1);
	int k = vreg(f), x = vreg(f), y = vreg(f);

	add(f, 0, ir_make(MOV64_IMM, k, IR_NONE, 0, 5));
	add(f, 0, ir_make(LDXDW, x, 1, 0, 0));
	add(f, 0, ir_make(ADD64_REG, x, k, 0, 0));        /* x += 5 */
	add(f, 0, ir_make(MOV64_IMM, y, IR_NONE, 0, 6));
	add(f, 0, ir_make(MUL64_IMM, y, IR_NONE, 0, 7));  /* y = 42 */
	add(f, 0, ir_make(ADD64_REG, x, y, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, x, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ir_fold_constants(f);
	while (ir_remove_dead(f))
		;
	ck_assert(ir_allocate(f));
	/* r0 = *(u64 *)(r1 + 0); r0 += 47 (5 + 6 * 7: folded, the adds merged); exit */
	ck_assert_int_eq(f->blocks[0].count, 3);
	ck_assert_int_eq(at(f, 0, 0)->code, LDXDW);
	ck_assert_int_eq(at(f, 0, 0)->dst, 0);
	ck_assert_int_eq(at(f, 0, 1)->code, ADD64_IMM);
	ck_assert_int_eq(at(f, 0, 1)->imm, 47);
	ck_assert_int_eq(at(f, 0, 1)->dst, 0);
	ir_func_free(f);
}
END_TEST

/* `x += 14; x += 40` merge; not across a read of x, nor a 64-bit sum past 32 bits,
 * nor a 32-bit add into a 64-bit one. */
START_TEST(chained_constant_adds_merge_unless_read_between)
{
	struct ir_func *f = func_new(1);
	int x = vreg(f), y = vreg(f), z = vreg(f), w = vreg(f);

	add(f, 0, ir_make(LDXDW, x, 1, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, x, IR_NONE, 0, 14));
	add(f, 0, ir_make(MOV64_IMM, w, IR_NONE, 0, 3));   /* between: not x */
	add(f, 0, ir_make(ADD64_IMM, x, IR_NONE, 0, 40));  /* merged: x += 54 */
	add(f, 0, ir_make(MOV64_REG, y, x, 0, 0));          /* reads x */
	add(f, 0, ir_make(ADD64_IMM, x, IR_NONE, 0, 1));
	add(f, 0, ir_make(ADD64_IMM, x, IR_NONE, 0, INT32_MAX)); /* past 32 bits: kept */
	add(f, 0, ir_make(LDXDW, z, 1, 8, 0));
	add(f, 0, ir_make(0x04, z, IR_NONE, 0, 2));         /* wz += 2 */
	add(f, 0, ir_make(ADD64_IMM, z, IR_NONE, 0, 3));    /* another width: kept */
	add(f, 0, ir_make(ADD64_REG, x, y, 0, 0));
	add(f, 0, ir_make(ADD64_REG, x, z, 0, 0));
	add(f, 0, ir_make(ADD64_REG, x, w, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, x, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ir_fold_constants(f);
	ck_assert_int_eq(f->blocks[0].count, 14);
	ck_assert_int_eq(at(f, 0, 1)->code, MOV64_IMM);
	ck_assert_int_eq(at(f, 0, 2)->code, ADD64_IMM);
	ck_assert_int_eq(at(f, 0, 2)->imm, 54);
	ck_assert_int_eq(at(f, 0, 4)->imm, 1);
	ck_assert_int_eq(at(f, 0, 5)->imm, INT32_MAX);
	ck_assert_int_eq(at(f, 0, 7)->code, 0x04);
	ck_assert_int_eq(at(f, 0, 8)->code, ADD64_IMM);
	ir_func_free(f);
}
END_TEST

/* Stores of every size to the stack take the constant (the 0x08 bit of a store's
 * opcode is a size bit, not "register source": w and b stores were missed). */
START_TEST(constants_stored_to_the_stack_become_immediate_stores_of_every_size)
{
	static const uint8_t stx[4] = { 0x63, 0x6b, 0x73, 0x7b }, st[4] = { 0x62, 0x6a, 0x72, 0x7a };
	struct ir_func *f = func_new(1);
	int k = vreg(f);

	add(f, 0, ir_make(MOV64_IMM, k, IR_NONE, 0, 10));
	for (int s = 0; s < 4; s++)
		add(f, 0, ir_make(stx[s], IR_FP, k, (int16_t)(-8 * (s + 1)), 0));
	add(f, 0, ir_make(MOV64_IMM, 0, IR_NONE, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ir_fold_constants(f);
	for (int s = 0; s < 4; s++) {
		ck_assert_int_eq(at(f, 0, s + 1)->code, st[s]);
		ck_assert_int_eq(at(f, 0, s + 1)->imm, 10);
		ck_assert_int_eq(at(f, 0, s + 1)->src, IR_NONE);
	}
	ir_func_free(f);
}
END_TEST

START_TEST(division_by_a_zero_constant_stays_a_register_operand)
{
	struct ir_func *f = func_new(1);
	int z = vreg(f), x = vreg(f);

	add(f, 0, ir_make(MOV64_IMM, z, IR_NONE, 0, 0));
	add(f, 0, ir_make(LDXDW, x, 1, 0, 0));
	add(f, 0, ir_make(0x3f, x, z, 0, 0)); /* x /= z: the verifier rejects "/= 0" */
	add(f, 0, ir_make(MOV64_REG, 0, x, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ir_fold_constants(f);
	ck_assert_int_eq(at(f, 0, 2)->code, 0x3f);
	ir_func_free(f);
}
END_TEST

START_TEST(jumps_to_the_next_block_and_unreachable_blocks_go)
{
	struct ir_func *f = func_new(4);

	add(f, 0, jump(JEQ_IMM, 1, 0, 1));                /* to the next block */
	add(f, 1, jump(JA, IR_NONE, 0, 3));               /* to a lone goto: threaded */
	add(f, 2, ir_make(MOV64_IMM, 0, IR_NONE, 0, 1));  /* unreachable */
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	add(f, 3, ir_make(MOV64_IMM, 0, IR_NONE, 0, 2));
	add(f, 3, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_clean_jumps(f);
	ck_assert_int_eq(f->blocks[0].count, 0);
	ck_assert_int_eq(f->blocks[1].count, 0); /* goto +0 once block 2 is gone */
	ck_assert_int_eq(f->blocks[2].count, 0);
	ck_assert_int_eq(f->blocks[3].count, 2);
	ir_func_free(f);
}
END_TEST

START_TEST(a_condition_jumping_over_a_goto_is_inverted)
{
	struct ir_func *f = func_new(4);

	add(f, 0, jump(JEQ_IMM, 1, 0, 2));                /* if r1 == 0 goto b2 */
	add(f, 1, jump(JA, IR_NONE, 0, 3));               /* goto b3 */
	add(f, 2, ir_make(MOV64_IMM, 0, IR_NONE, 0, 1));
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	add(f, 3, ir_make(MOV64_IMM, 0, IR_NONE, 0, 2));
	add(f, 3, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_clean_jumps(f);
	ck_assert_int_eq(at(f, 0, 0)->code, 0x55); /* if r1 != 0 goto b3 */
	ck_assert_int_eq(at(f, 0, 0)->target, 3);
	ck_assert_int_eq(f->blocks[1].count, 0);
	ck_assert_int_eq(f->blocks[2].count, 2);
	ir_func_free(f);
}
END_TEST

START_TEST(promoted_slots_become_registers)
{
	struct ir_func *f = func_new(1);
	struct ir_insn store = ir_make(STXDW, IR_FP, 1, -8, 0);
	struct ir_insn load = ir_make(LDXDW, 0, IR_FP, -8, 0);
	struct ir_insn other = ir_make(STXDW, IR_FP, 1, -16, 0); /* not marked: memory */

	store.promoted = load.promoted = true;
	add(f, 0, store);
	add(f, 0, other);
	add(f, 0, load);
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_promote_slots(f));
	ck_assert(ir_rename_webs(f));
	ck_assert(ir_allocate(f));
	/* r0 = r1 through the slot's register; the unmarked store stays */
	ck_assert_int_eq(f->blocks[0].count, 3);
	ck_assert_int_eq(at(f, 0, 0)->code, MOV64_REG);
	ck_assert_int_eq(at(f, 0, 0)->dst, 0);
	ck_assert_int_eq(at(f, 0, 0)->src, 1);
	ck_assert_int_eq(at(f, 0, 1)->code, STXDW);
	ck_assert_int_eq(at(f, 0, 1)->off, -16);
	ck_assert_int_eq(at(f, 0, 1)->src, 1);
	ir_func_free(f);
}
END_TEST

START_TEST(webs_split_independent_uses_of_one_register)
{
	struct ir_func *f = func_new(1);

	/* r6 holds two unrelated values: two webs, free to take different registers */
	add(f, 0, ir_make(LDXDW, 6, 1, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 2, 6, 0, 0));
	add(f, 0, ir_make(LDXDW, 6, 1, 8, 0));
	add(f, 0, ir_make(ADD64_REG, 2, 6, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 0, 2, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ck_assert_int_ne(at(f, 0, 0)->dst, at(f, 0, 2)->dst);
	ck_assert_int_ge(at(f, 0, 0)->dst, IR_VREG);
	ck_assert_int_eq(f->precolour[at(f, 0, 0)->src], 1); /* the entry value of r1 */
	ck_assert_int_eq(f->precolour[at(f, 0, 1)->dst], -1); /* r2: nothing fixes it */
	ck_assert_int_eq(f->precolour[at(f, 0, 4)->dst], 0);  /* r0: exit reads it */
	ck_assert(ir_allocate(f));
	ck_assert_int_eq(f->blocks[0].count, 4); /* both moves coalesced */
	ck_assert_int_eq(at(f, 0, 0)->dst, 0);
	ir_func_free(f);
}
END_TEST

START_TEST(blocks_ending_alike_share_one_tail)
{
	struct ir_func *f = func_new(3);

	add(f, 0, jump(JEQ_IMM, 1, 0, 2));
	for (int b = 1; b <= 2; b++) {
		add(f, b, ir_make(MOV64_IMM, 0, IR_NONE, 0, b == 1 ? 7 : 9));
		add(f, b, ir_make(MOV64_IMM, 3, IR_NONE, 0, 1));
		add(f, b, ir_make(ADD64_REG, 0, 3, 0, 0));
		add(f, b, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	}
	ir_mark_reachable(f);
	/* block 1 splits before its last three; block 2 keeps its first and jumps there */
	ck_assert_int_eq(ir_merge_tails(f), 2);
	ck_assert_int_eq(f->block_count, 4);
	ck_assert_int_eq(at(f, 0, 0)->target, 3);
	ck_assert_int_eq(f->blocks[1].count, 1);
	ck_assert_int_eq(f->blocks[2].count, 3);
	ck_assert_int_eq(at(f, 2, 2)->code, EXIT);
	ck_assert_int_eq(f->blocks[3].count, 2);
	ck_assert_int_eq(at(f, 3, 0)->imm, 9);
	ck_assert_int_eq(at(f, 3, 1)->code, JA);
	ck_assert_int_eq(at(f, 3, 1)->target, 2);
	ir_func_free(f);
}
END_TEST

START_TEST(copies_propagate_where_every_use_sees_them)
{
	struct ir_func *f = func_new(2);
	int a = vreg(f), d = vreg(f), x = vreg(f), e = vreg(f);

	add(f, 0, ir_make(LDXDW, a, 1, 0, 0));
	add(f, 0, ir_make(MOV64_REG, d, a, 0, 0));      /* d = a: every use reached */
	add(f, 0, ir_make(MOV64_REG, e, a, 0, 0));      /* e = a, then a changes */
	add(f, 1, ir_make(LDXDW, x, d, 8, 0));
	add(f, 1, ir_make(ADD64_REG, x, e, 0, 0));
	add(f, 1, ir_make(ADD64_IMM, a, IR_NONE, 0, 1));
	add(f, 1, ir_make(ADD64_REG, x, a, 0, 0));
	add(f, 1, ir_make(ADD64_REG, x, d, 0, 0));
	add(f, 1, ir_make(MOV64_REG, 0, x, 0, 0));
	add(f, 1, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_propagate_copies(f);
	/* d's second use comes after a changed: d stays; e's only use reads a instead */
	ck_assert_int_eq(at(f, 1, 0)->src, d);
	ck_assert_int_eq(at(f, 1, 4)->src, d);
	ck_assert_int_eq(at(f, 1, 1)->src, a);
	ck_assert(ir_remove_dead(f));
	ck_assert_int_eq(f->blocks[0].count, 2); /* e = a is gone */
	ir_func_free(f);
}
END_TEST

START_TEST(inline_asm_keeps_its_registers_and_instructions)
{
	struct ir_func *f = func_new(1);
	struct ir_insn zero = ir_make(MOV64_IMM, 6, IR_NONE, 0, 0); /* asm "r6 = 0" */
	int v = vreg(f);

	zero.pinned = true;
	add(f, 0, ir_make(LDXDW, v, 1, 0, 0));
	add(f, 0, zero);
	add(f, 0, ir_make(MOV64_REG, 0, v, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ck_assert(!ir_remove_dead(f)); /* its result is unused, but asm stays */
	ck_assert(ir_allocate(f));
	ck_assert_int_eq(f->blocks[0].count, 3);
	ck_assert_int_eq(at(f, 0, 0)->dst, 0);
	ck_assert_int_eq(at(f, 0, 1)->dst, 6);
	ir_func_free(f);
}
END_TEST

START_TEST(inline_asm_operands_are_renamed_its_literal_registers_not)
{
	struct ir_func *f = func_new(1);
	struct ir_insn add5 = ir_make(ADD64_IMM, 3, IR_NONE, 0, 5);   /* "%0 += 5", %0 = r3 */
	struct ir_insn zero = ir_make(MOV64_IMM, 6, IR_NONE, 0, 0);  /* "r6 = 0" */
	int v = vreg(f);

	add5.pinned = zero.pinned = true;
	add5.operand_regs = zero.operand_regs = 1u << 3;
	add(f, 0, ir_make(LDXDW, v, 1, 0, 0));
	add(f, 0, ir_make(MOV64_REG, 3, v, 0, 0));
	add(f, 0, add5);
	add(f, 0, zero);
	add(f, 0, ir_make(MOV64_REG, 0, 3, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	ck_assert(ir_allocate(f));
	/* the operand's web joins v and r0: no move is left; r6 stays r6 */
	ck_assert_int_eq(f->blocks[0].count, 4);
	ck_assert_int_eq(at(f, 0, 0)->dst, 0);
	ck_assert_int_eq(at(f, 0, 1)->dst, 0);
	ck_assert_int_eq(at(f, 0, 1)->imm, 5);
	ck_assert_int_eq(at(f, 0, 2)->dst, 6);
	ir_func_free(f);
}
END_TEST

START_TEST(a_call_in_asm_reads_only_registers_that_hold_something)
{
	struct ir_func *f = func_new(1);
	int kept = vreg(f);

	f->params = 1; /* a program: r1 is the context, r2-r5 hold nothing at entry */
	add(f, 0, ir_make(LDXDW, kept, 1, 0, 0));
	add(f, 0, ir_make_call(7, 0));
	add(f, 0, ir_make(MOV64_IMM, 3, IR_NONE, 0, 2));
	add(f, 0, ir_make_call(12, 5)); /* arguments unknown: r1..r5 assumed */
	add(f, 0, ir_make(MOV64_REG, 0, kept, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	/* r3 is read; r2, r4, r5 were never written and are not; r1 is the context's
	 * entry value, which a call clobbered: nothing reaches, dropped too */
	ck_assert_int_eq(at(f, 0, 3)->iuse[0], IR_NONE);
	ck_assert_int_eq(at(f, 0, 3)->iuse[1], IR_NONE);
	ck_assert_int_ge(at(f, 0, 3)->iuse[2], IR_VREG);
	ck_assert_int_eq(at(f, 0, 3)->iuse[3], IR_NONE);
	ck_assert(ir_allocate(f));
	ck_assert_int_ge(at(f, 0, 0)->dst, 6);
	ir_func_free(f);
}
END_TEST

START_TEST(a_repeated_address_load_reuses_the_first)
{
	static int object, other;
	struct ir_func *f = func_new(1);
	int a = vreg(f), x = vreg(f), b = vreg(f), c = vreg(f);
	struct ir_insn first = ir_make(0x18, a, IR_NONE, 0, 0), again, elsewhere;

	first.reloc = 0;
	first.reloc_target = &object;
	again = first;
	again.dst = b;
	again.reloc = 1;
	elsewhere = again;
	elsewhere.dst = c;
	elsewhere.reloc = 2;
	elsewhere.reloc_target = &other;
	add(f, 0, first);
	add(f, 0, ir_make(0x61, x, a, 20, 0));
	add(f, 0, again);
	add(f, 0, elsewhere);
	add(f, 0, ir_make(0x61, x, b, 8, 0));
	add(f, 0, ir_make(0x63, c, x, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_reuse_addresses(f);
	ck_assert_int_eq(at(f, 0, 2)->code, MOV64_REG);
	ck_assert_int_eq(at(f, 0, 2)->src, a);
	ck_assert_int_eq(at(f, 0, 2)->reloc, -1); /* its relocation record goes */
	ck_assert_int_eq(at(f, 0, 3)->code, 0x18); /* another object: kept */
	ck_assert(ir_allocate(f));
	ck_assert_int_eq(count_code(f, MOV64_REG), 0);
	ck_assert_int_eq(at(f, 0, 3)->code, 0x61); /* the copy coalesced: b is a's register */
	ck_assert_int_eq(at(f, 0, 3)->src, at(f, 0, 0)->dst);
	ir_func_free(f);
}
END_TEST

/* Through promotion, dead code and allocation, line and CO-RE records stay on the
 * instructions of their statement and access. */
START_TEST(records_follow_their_instructions_through_the_passes)
{
	const char *src = "struct task { int pad; int pid; } __attribute__((preserve_access_index));\n"
			  "int f(struct task *t)\n{\n"
			  "\tint unused = 5;\n"
			  "\tint x = t->pid;\n\n"
			  "\treturn x + 1;\n}\n";
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2, .debug_info = true };
	struct objfmt_object *obj = NULL;
	const struct objfmt_btf_ext *ext;
	const struct objfmt_insn *code;
	const struct objfmt_btf_ext_core *core;
	size_t count, load = 0;
	int text;
	bool saw_return = false;

	ck_assert_int_eq(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, NULL), 0);
	text = objfmt_object__find_section(obj, ".text");
	ck_assert_int_ge(text, 0);
	code = (const struct objfmt_insn *)objfmt_object__section(obj, (size_t)text)->data;
	count = objfmt_object__section(obj, (size_t)text)->size / 8;
	ext = objfmt_object__btf_ext(obj);
	ck_assert_uint_eq(objfmt_btf_ext__core_count(ext, 0), 1);
	core = objfmt_btf_ext__core(ext, 0, 0);
	ck_assert_str_eq(core->access, "0:1");
	load = core->insn_off / 8;
	ck_assert_uint_lt(load, count);
	ck_assert_uint_eq(code[load].code, 0x61); /* the load of t->pid, offset relocatable */
	ck_assert_int_eq(code[load].off, 4);
	for (size_t j = 0; j < objfmt_btf_ext__line_count(ext, 0); j++) {
		const struct objfmt_btf_ext_line *l = objfmt_btf_ext__line(ext, 0, j);

		ck_assert_uint_lt(l->insn_off / 8, count);
		if (j) /* strictly increasing, as the kernel requires */
			ck_assert_uint_gt(l->insn_off, objfmt_btf_ext__line(ext, 0, j - 1)->insn_off);
		ck_assert_uint_ne(l->line_num, 4); /* `unused` left no instruction */
		if (l->line_num == 5)
			ck_assert_uint_eq(l->insn_off / 8, load);
		saw_return |= l->line_num == 7 && l->insn_off / 8 > load;
	}
	ck_assert(saw_return);
	objfmt_object__free(obj);
}
END_TEST

/* A relocated constant: a mov carrying CO-RE record `core` of (type, access, kind). */
static const int core_root_type; /* stands for a cc_type: only its address matters */

static struct ir_insn relocated(uint8_t code, int dst, int64_t imm, const char *access, int core)
{
	struct ir_insn in = ir_make(code, dst, IR_NONE, 0, imm);

	in.core = core;
	in.core_type = &core_root_type;
	in.core_access = access;
	in.core_kind = 0;
	return in;
}

static int count_records(struct ir_func *f)
{
	int n = 0;

	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++)
			n += f->blocks[b].insns[i].core >= 0;
	return n;
}

/* Two identical relocated offsets in a block, each stored: the second reads the
 * first's register and loses its record; a different access string keeps its own. */
START_TEST(a_relocated_value_dominated_by_its_twin_is_reused)
{
	struct ir_func *f = func_new(1);
	int a = vreg(f), b = vreg(f), c = vreg(f);

	add(f, 0, relocated(MOV64_IMM, a, 8, "0:1", 0));
	add(f, 0, ir_make(STXDW, IR_FP, a, -8, 0));
	add(f, 0, relocated(MOV64_IMM, b, 8, "0:1", 1));
	add(f, 0, ir_make(STXDW, IR_FP, b, -16, 0));
	add(f, 0, relocated(MOV64_IMM, c, 8, "0:2", 2));
	add(f, 0, ir_make(STXDW, IR_FP, c, -24, 0));
	add(f, 0, ir_make(MOV64_IMM, 0, IR_NONE, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_reuse_relocated(f);
	ck_assert_int_eq(count_records(f), 2);
	ck_assert_int_eq(at(f, 0, 0)->core, 0);
	ck_assert_int_eq(at(f, 0, 2)->code, MOV64_REG);
	ck_assert_int_eq(at(f, 0, 2)->src, a);
	ck_assert_int_eq(at(f, 0, 4)->core, 2);
	ir_func_free(f);
}
END_TEST

/* Twins on the two arms of a branch: neither dominates the other, both stay; a
 * twin only copied into a call's argument register is recomputed (as LLVM
 * rematerialises it), so it keeps its record too. */
START_TEST(relocated_values_without_a_dominating_twin_keep_their_records)
{
	struct ir_func *f = func_new(4);
	int a = vreg(f), b = vreg(f), c = vreg(f);

	add(f, 0, jump(JEQ_IMM, 1, 0, 2));
	add(f, 1, relocated(MOV64_IMM, a, 8, "0:1", 0));
	add(f, 1, ir_make(STXDW, IR_FP, a, -8, 0));
	add(f, 1, jump(JA, IR_NONE, 0, 3));
	add(f, 2, relocated(MOV64_IMM, b, 8, "0:1", 1));
	add(f, 2, ir_make(STXDW, IR_FP, b, -8, 0));
	add(f, 3, relocated(MOV64_IMM, c, 8, "0:1", 2));
	add(f, 3, ir_make(STXDW, IR_FP, c, -16, 0));
	add(f, 3, relocated(MOV64_IMM, 2, 8, "0:1", 3));
	add(f, 3, ir_make_call(7, 2));
	add(f, 3, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_reuse_relocated(f);
	ck_assert_int_eq(count_records(f), 4);
	ir_func_free(f);
}
END_TEST

/* `d = off; d += base` twice over one base, the first straight into a call's r3:
 * the address gets a register of its own, and the second becomes a copy of it. */
START_TEST(a_relocated_address_over_the_same_base_is_computed_once)
{
	struct ir_func *f = func_new(1);
	int base = vreg(f), d = vreg(f);

	add(f, 0, ir_make(LDXDW, base, 1, 0, 0));
	add(f, 0, relocated(MOV64_IMM, 3, 16, "0:3", 0));
	add(f, 0, ir_make(ADD64_REG, 3, base, 0, 0));
	add(f, 0, ir_make_call(113, 3));
	add(f, 0, relocated(MOV64_IMM, d, 16, "0:3", 1));
	add(f, 0, ir_make(ADD64_REG, d, base, 0, 0));
	add(f, 0, ir_make(STXDW, IR_FP, d, -8, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_reuse_relocated(f);
	ck_assert_int_eq(count_records(f), 1);
	ck_assert_int_eq(count_code(f, ADD64_REG), 1);
	ck_assert_int_ge(at(f, 0, 1)->dst, IR_VREG);        /* n = 16 */
	ck_assert_int_eq(at(f, 0, 2)->dst, at(f, 0, 1)->dst); /* n += base */
	ck_assert_int_eq(at(f, 0, 3)->code, MOV64_REG);     /* r3 = n */
	ck_assert_int_eq(at(f, 0, 3)->dst, 3);
	ck_assert_int_eq(at(f, 0, 5)->code, MOV64_REG);     /* d = n */
	ck_assert_int_eq(at(f, 0, 5)->src, at(f, 0, 1)->dst);
	ck_assert_int_eq(at(f, 0, 6)->code, STXDW);
	ck_assert(ir_allocate(f));
	ir_func_free(f);
}
END_TEST

/* An unused load goes even when it carries a CO-RE record, as clang drops it. */
START_TEST(an_unused_relocated_load_is_removed)
{
	struct ir_func *f = func_new(1);
	int v = vreg(f);
	struct ir_insn load = ir_make(LDXDW, v, 1, 8, 0);

	load.core = 0;
	add(f, 0, load);
	add(f, 0, ir_make(MOV64_IMM, 0, IR_NONE, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_remove_dead(f));
	ck_assert_int_eq(count_code(f, LDXDW), 0);
	ck_assert_int_eq(count_records(f), 0);
	ir_func_free(f);
}
END_TEST

/* Through the compiler: a BPF_CORE_READ-like pair of offset reads of one member
 * leaves one record, on the first relocated instruction. */
START_TEST(repeated_relocated_offsets_leave_one_record)
{
	const char *src = "struct task { int pad; int pid; } __attribute__((preserve_access_index));\n"
			  "long g(void *d, int n, const void *s);\n"
			  "int f(struct task *t)\n{\n"
			  "\tint a, b;\n"
			  "\tg(&a, 4, __builtin_preserve_access_index(&t->pid));\n"
			  "\tg(&b, 4, __builtin_preserve_access_index(&t->pid));\n"
			  "\treturn a + b;\n}\n";
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2 };
	struct objfmt_object *obj = NULL;
	const struct objfmt_btf_ext *ext;

	ck_assert_int_eq(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, NULL), 0);
	ext = objfmt_object__btf_ext(obj);
	ck_assert_uint_eq(objfmt_btf_ext__core_count(ext, 0), 1);
	ck_assert_str_eq(objfmt_btf_ext__core(ext, 0, 0)->access, "0:1");
	objfmt_object__free(obj);
	opts.optimize = 0; /* without the IR back end: one record per access */
	ck_assert_int_eq(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, NULL), 0);
	ck_assert_uint_eq(objfmt_btf_ext__core_count(objfmt_object__btf_ext(obj), 0), 2);
	objfmt_object__free(obj);
}
END_TEST

/* A static function's unused parameter: the caller does not compute its argument
 * (the load of p->b dies), as clang's inlining drops it; a global callee keeps it. */
static int count_loads_at(const char *src, int16_t off)
{
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2 };
	struct objfmt_object *obj = NULL;
	const struct objfmt_section *text;
	const struct objfmt_insn *code;
	int n = 0;

	ck_assert_int_eq(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, NULL), 0);
	text = objfmt_object__section(obj, (size_t)objfmt_object__find_section(obj, ".text"));
	code = (const struct objfmt_insn *)text->data;
	for (size_t i = 0; i < text->size / 8; i++)
		n += (code[i].code & 7) == 1 && code[i].off == off;
	objfmt_object__free(obj);
	return n;
}

START_TEST(arguments_of_unused_static_parameters_are_not_computed)
{
	ck_assert_int_eq(count_loads_at("struct pt { long a, b; };\n"
					"static __attribute__((noinline)) long h(long x, long y)\n"
					"{\n\treturn x + 1;\n}\n"
					"long f(struct pt *p)\n{\n\treturn h(p->a, p->b);\n}\n", 8), 0);
	ck_assert_int_eq(count_loads_at("struct pt { long a, b; };\n"
					"__attribute__((noinline)) long h(long x, long y)\n"
					"{\n\treturn x + 1;\n}\n"
					"long f(struct pt *p)\n{\n\treturn h(p->a, p->b);\n}\n", 8), 1);
}
END_TEST

/* Twelve temporaries live at once: more than r0-r9. With optimisation the code
 * generator names the extra ones r11-r15 and the allocator places every name;
 * without, that is still an error. */
START_TEST(temporaries_beyond_ten_registers_compile_when_optimising)
{
	char src[1024] = "long f(long x) { return ";
	struct cc_options opts = { .size = sizeof(opts), .optimize = 2 };
	struct objfmt_object *obj = NULL;
	struct cc_diagnostics *d = NULL;
	const struct objfmt_section *text;

	for (int i = 2; i < 14; i++)
		sprintf(src + strlen(src), "(x * %d) + (", i);
	strcat(src, "x");
	for (int i = 2; i < 14; i++)
		strcat(src, ")");
	strcat(src, "; }\n");
	ck_assert_int_eq(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, NULL), 0);
	text = objfmt_object__section(obj, (size_t)objfmt_object__find_section(obj, ".text"));
	for (size_t i = 0; i < text->size / 8; i++) { /* only real registers are left */
		const struct objfmt_insn *in = (const struct objfmt_insn *)text->data + i;

		ck_assert_uint_le(in->dst_reg, 10);
		ck_assert_uint_le(in->src_reg, 10);
	}
	objfmt_object__free(obj);
	obj = NULL;
	opts.optimize = 0;
	ck_assert_int_ne(cc_compile_buffer(src, strlen(src), "t.c", &opts, &obj, &d), 0);
	ck_assert_str_eq(cc_diagnostics__get(d, 0)->message,
			 "expression too complex: out of registers");
	cc_diagnostics__free(d);
}
END_TEST

/* ---- stack objects whose address stays local (ir_frame.c) ---- */

enum {
	LDXW = 0x61, LDXB = 0x71, STW = 0x62, STXW = 0x63, STXB = 0x73, STDW = 0x7a,
	CALL = 0x85, AND32_IMM = 0x54, OR32_IMM = 0x44, JNE_IMM = 0x55,
};

/* `count` objects of `size` bytes from r10 - size down; the frame holds them all. */
static void give_objects(struct ir_func *f, int count, int size)
{
	f->objects = calloc((size_t)count, sizeof(*f->objects));
	ck_assert_ptr_nonnull(f->objects);
	for (int k = 0; k < count; k++)
		f->objects[k] = (struct ir_frame_object){ -(k + 1) * size, size };
	f->object_count = count;
	f->frame = count * size;
}

/* Loads and stores left at r10 + off (any size). */
static int frame_accesses(struct ir_func *f, int off)
{
	int n = 0;

	for (int b = 0; b < f->block_count; b++)
		for (int i = 0; i < f->blocks[b].count; i++) {
			const struct ir_insn *in = &f->blocks[b].insns[i];
			uint8_t cls = in->code & 7;

			if (cls >= 0x01 && cls <= 0x03 && in->off == off &&
			    (cls == 0x01 ? in->src : in->dst) == IR_FP)
				n++;
		}
	return n;
}

static struct ir_insn helper(int32_t id, int args)
{
	return ir_make_call(id, args);
}

/* The rest of the pipeline as gen_ir_optimize runs it, up to allocation. */
static void finish(struct ir_func *f)
{
	ck_assert(ir_rename_webs(f));
	ir_fold_constants(f);
	ir_propagate_copies(f);
	while (ir_remove_dead(f))
		;
	ck_assert(ir_allocate(f));
}

START_TEST(a_struct_whose_address_only_reaches_loads_and_stores_lives_in_registers)
{
	struct ir_func *f = func_new(3);

	give_objects(f, 2, 8);                          /* a struct at r10-16, 16 bytes */
	f->objects[0].off = -16, f->objects[0].size = 16;
	f->object_count = 1;
	add(f, 0, ir_make(MOV64_REG, 6, IR_FP, 0, 0));   /* p = &s */
	add(f, 0, ir_make(ADD64_IMM, 6, IR_NONE, 0, -16));
	add(f, 0, ir_make(STXDW, 6, 1, 0, 0));           /* s.ptr = ctx */
	add(f, 0, ir_make(STW, 6, IR_NONE, 8, 7));       /* s.n = 7 */
	add(f, 1, ir_make(LDXW, 2, 6, 8, 0));            /* loop: s.n += 1 through p */
	add(f, 1, ir_make(ADD64_IMM, 2, IR_NONE, 0, 1));
	add(f, 1, ir_make(STXW, 6, 2, 8, 0));
	add(f, 1, jump(JLT_IMM, 2, 10, 1));
	add(f, 2, ir_make(LDXDW, 3, IR_FP, -16, 0));     /* s.ptr, directly */
	add(f, 2, ir_make(LDXW, 0, 3, 0, 0));
	add(f, 2, ir_make(LDXW, 4, 6, 8, 0));
	add(f, 2, ir_make(ADD64_REG, 0, 4, 0, 0));
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 6);
	finish(f);
	/* no access of the struct is left; the load through s.ptr (r1) is */
	ck_assert_int_eq(frame_accesses(f, -16), 0);
	ck_assert_int_eq(frame_accesses(f, -8), 0);
	ck_assert_int_eq(count_code(f, STXDW) + count_code(f, STXW) + count_code(f, STW), 0);
	ck_assert_int_eq(count_code(f, LDXW), 1);
	ck_assert_int_eq(at(f, 2, 0)->code, LDXW);
	ck_assert_int_eq(at(f, 2, 0)->src, 1);
	ck_assert_int_eq(f->frame, 0); /* its bytes are free for spills */
	ir_func_free(f);
}
END_TEST

START_TEST(an_address_stored_or_passed_to_a_bpf_function_keeps_the_object_in_memory)
{
	struct ir_func *f = func_new(1);
	struct ir_insn sub = helper(7, 1);

	sub.pseudo = 1; /* a BPF-to-BPF call: the callee may keep the pointer around */
	give_objects(f, 3, 8);
	add(f, 0, ir_make(STDW, IR_FP, IR_NONE, -8, 1));    /* a = 1 */
	add(f, 0, ir_make(MOV64_REG, 1, IR_FP, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, 1, IR_NONE, 0, -8));
	add(f, 0, ir_make(STXDW, IR_FP, 1, -24, 0));       /* c = &a: a escapes */
	add(f, 0, ir_make(STDW, IR_FP, IR_NONE, -16, 2));   /* b = 2 */
	add(f, 0, ir_make(MOV64_REG, 1, IR_FP, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, 1, IR_NONE, 0, -16));
	add(f, 0, sub);                                     /* f(&b): b escapes */
	add(f, 0, ir_make(LDXDW, 2, IR_FP, -24, 0));
	add(f, 0, ir_make(LDXDW, 0, 2, 0, 0));              /* *c */
	add(f, 0, ir_make(LDXDW, 3, IR_FP, -16, 0));
	add(f, 0, ir_make(ADD64_REG, 0, 3, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 2);           /* c only */
	ck_assert_int_eq(at(f, 0, 8)->code, MOV64_REG);      /* c read from its name, */
	ck_assert_int_eq(at(f, 0, 8)->dst, 2);
	ck_assert_int_eq(at(f, 0, 10)->code, LDXDW);         /* b from memory, nothing */
	ck_assert_int_eq(f->blocks[0].count, 13);           /* reloaded after the call */
	ck_assert_int_eq(frame_accesses(f, -8), 1);
	ck_assert_int_eq(frame_accesses(f, -16), 2);
	ck_assert_int_eq(frame_accesses(f, -24), 0);
	ck_assert_int_eq(f->frame, 16);
	finish(f);
	ck_assert_int_eq(frame_accesses(f, -8), 1);
	ck_assert_int_eq(frame_accesses(f, -16), 2);
	ir_func_free(f);
}
END_TEST

/* `seen` of tcp_mss: a register while the code updates it, stored right before the
 * helper that reads it and read back after it (the helper may write it). */
START_TEST(an_object_given_to_a_helper_is_stored_before_the_call_and_read_back)
{
	struct ir_func *f = func_new(1);
	int materialised = 0;

	give_objects(f, 2, 8);
	add(f, 0, ir_make(MOV64_REG, 3, IR_FP, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, 3, IR_NONE, 0, -8));
	add(f, 0, ir_make(STW, 3, IR_NONE, 0, 0));          /* seen = 0, through &seen */
	add(f, 0, ir_make(LDXW, 6, IR_FP, -8, 0));
	add(f, 0, ir_make(OR32_IMM, 6, IR_NONE, 0, 4));
	add(f, 0, ir_make(STXW, IR_FP, 6, -8, 0));         /* seen |= 4 */
	add(f, 0, ir_make(STDW, IR_FP, IR_NONE, -16, 1));   /* an unrelated local */
	add(f, 0, helper(2, 4));                           /* map_update(.., &seen, ..) */
	add(f, 0, ir_make(LDXW, 0, IR_FP, -8, 0));
	add(f, 0, ir_make(LDXDW, 1, IR_FP, -16, 0));
	add(f, 0, ir_make(ADD64_REG, 0, 1, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, &materialised), 6);
	ck_assert_int_eq(materialised, 2);
	ck_assert_int_eq(frame_accesses(f, -8), 2);
	ck_assert_int_eq(at(f, 0, 7)->code, STXW);          /* stored right before */
	ck_assert_int_eq(at(f, 0, 7)->dst, IR_FP);
	ck_assert_int_eq(at(f, 0, 7)->src, at(f, 0, 5)->dst); /* from its name */
	ck_assert_int_eq(at(f, 0, 8)->code, CALL);
	ck_assert_int_eq(at(f, 0, 9)->code, LDXW);          /* read back after */
	ck_assert_int_eq(at(f, 0, 9)->dst, at(f, 0, 5)->dst);
	ck_assert_int_eq(frame_accesses(f, -16), 0);
	ck_assert_int_eq(f->frame, 8);
	finish(f);
	ck_assert_int_eq(count_code(f, STXW) + count_code(f, STW), 1);
	ck_assert_int_eq(count_code(f, LDXW), 1);
	ck_assert_int_eq(count_code(f, STDW) + count_code(f, LDXDW), 0);
	ir_func_free(f);
}
END_TEST

START_TEST(objects_given_to_dynptr_helpers_or_never_read_stay_in_memory)
{
	struct ir_func *f = func_new(1);

	give_objects(f, 2, 8);
	add(f, 0, ir_make(STDW, IR_FP, IR_NONE, -8, 0));
	add(f, 0, ir_make(LDXDW, 6, IR_FP, -8, 0));
	add(f, 0, ir_make(MOV64_REG, 1, IR_FP, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, 1, IR_NONE, 0, -8));
	add(f, 0, helper(197, 4));                         /* bpf_dynptr_from_mem */
	add(f, 0, ir_make(STDW, IR_FP, IR_NONE, -16, 0));   /* a key, written only */
	add(f, 0, ir_make(MOV64_REG, 2, IR_FP, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, 2, IR_NONE, 0, -16));
	add(f, 0, helper(1, 2));                           /* map_lookup(.., &key) */
	add(f, 0, ir_make(MOV64_REG, 0, 6, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 0);
	ck_assert_int_eq(frame_accesses(f, -8), 2);
	ck_assert_int_eq(frame_accesses(f, -16), 1);
	ck_assert_int_eq(f->blocks[0].count, 11);
	ir_func_free(f);
}
END_TEST

/* Narrow stores then a wide load (or the reverse) must read memory: equal slots only. */
START_TEST(overlapping_slots_of_different_sizes_stay_in_memory)
{
	struct ir_func *f = func_new(1);

	give_objects(f, 2, 8);
	add(f, 0, ir_make(STXW, IR_FP, 1, -8, 0));
	add(f, 0, ir_make(STXW, IR_FP, 2, -4, 0));
	add(f, 0, ir_make(LDXDW, 0, IR_FP, -8, 0));        /* both halves at once */
	add(f, 0, ir_make(STXB, IR_FP, 3, -16, 0));
	add(f, 0, ir_make(LDXB, 4, IR_FP, -16, 0));        /* equal: promoted */
	add(f, 0, ir_make(ADD64_REG, 0, 4, 0, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 2);
	ck_assert_int_eq(count_code(f, STXW), 2);
	ck_assert_int_eq(count_code(f, LDXDW), 1);
	ck_assert_int_eq(frame_accesses(f, -16), 0);
	/* the byte is moved and masked as the load would have zero-extended it */
	ck_assert_int_eq(count_code(f, AND32_IMM), 1);
	for (int i = 0; i < f->blocks[0].count; i++)
		if (at(f, 0, i)->code == AND32_IMM)
			ck_assert_int_eq(at(f, 0, i)->imm, 0xff);
	ck_assert_int_eq(f->frame, 8);
	ir_func_free(f);
}
END_TEST

START_TEST(an_address_of_either_of_two_objects_leaves_the_function_alone)
{
	struct ir_func *f = func_new(3);

	give_objects(f, 2, 8);
	add(f, 0, ir_make(MOV64_REG, 1, IR_FP, 0, 0));
	add(f, 0, ir_make(ADD64_IMM, 1, IR_NONE, 0, -8));
	add(f, 0, jump(JEQ_IMM, 2, 0, 2));
	add(f, 1, ir_make(MOV64_REG, 1, IR_FP, 0, 0));
	add(f, 1, ir_make(ADD64_IMM, 1, IR_NONE, 0, -16));
	add(f, 2, ir_make(STDW, 1, IR_NONE, 0, 1));         /* *(c ? &a : &b) = 1 */
	add(f, 2, ir_make(STDW, IR_FP, IR_NONE, -8, 2));
	add(f, 2, ir_make(LDXDW, 0, IR_FP, -8, 0));
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 0);
	ck_assert_int_eq(at(f, 2, 0)->dst, 1);             /* not even rewritten */
	ck_assert_int_eq(frame_accesses(f, -8), 2);
	ck_assert_int_eq(f->frame, 16);
	ir_func_free(f);
}
END_TEST

START_TEST(the_frame_pointer_itself_stored_leaves_the_function_alone)
{
	struct ir_func *f = func_new(1);

	give_objects(f, 2, 8);
	add(f, 0, ir_make(STXDW, IR_FP, IR_FP, -16, 0));    /* p = (void *)r10 */
	add(f, 0, ir_make(STDW, IR_FP, IR_NONE, -8, 1));
	add(f, 0, ir_make(LDXDW, 1, IR_FP, -16, 0));
	add(f, 0, ir_make(LDXDW, 0, 1, -8, 0));             /* p[-1]: the slot at -8 */
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 0);
	ck_assert_int_eq(frame_accesses(f, -8), 1);
	ck_assert_int_eq(frame_accesses(f, -16), 2);
	ir_func_free(f);
}
END_TEST

START_TEST(accesses_outside_every_object_or_by_inline_asm_stay_in_memory)
{
	struct ir_func *f = func_new(1);
	struct ir_insn asm_load = ir_make(LDXDW, 2, IR_FP, -16, 0);

	give_objects(f, 2, 8);
	asm_load.pinned = true;
	add(f, 0, ir_make(STXDW, IR_FP, 1, -16, 0));
	add(f, 0, asm_load);                               /* asm reads the slot */
	add(f, 0, ir_make(STXDW, IR_FP, 1, -8, 0));
	add(f, 0, ir_make(LDXDW, 0, IR_FP, -8, 0));
	add(f, 0, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 2);
	ck_assert_int_eq(frame_accesses(f, -16), 2);
	ck_assert_int_eq(frame_accesses(f, -8), 0);
	f->objects[0].size = 4; /* now -8 + 4 .. 0 is no object's: nothing is touched */
	add(f, 0, ir_make(STXDW, IR_FP, 1, -8, 0));
	ck_assert_int_eq(ir_promote_frame(f, NULL), 0);
	ck_assert_int_eq(frame_accesses(f, -8), 1);
	ir_func_free(f);
}
END_TEST

/* ---- 32-bit results reused where available (ir_cse.c) ---- */

enum { ADD32_REG = 0x0c, JGT32_IMM = 0x26 };

/* tcp_mss: `if (off + len > max) goto drop; switch (...) {...} off += len;` */
static struct ir_func *checked_sum_then_update(int *off, int *len, int *sum, bool in_place)
{
	struct ir_func *f = func_new(5);

	*off = vreg(f), *len = vreg(f), *sum = vreg(f);
	add(f, 0, ir_make(MOV64_REG, *sum, *off, 0, 0));     /* off + len */
	add(f, 0, ir_make(ADD32_REG, *sum, *len, 0, 0));
	add(f, 0, jump(JGT32_IMM, *sum, 40, 4));             /* > max: drop */
	add(f, 1, jump(JEQ_IMM, *len, 4, 3));                /* two cases meet in 3 */
	add(f, 2, ir_make(MOV64_IMM, 2, IR_NONE, 0, 1));
	if (in_place) {
		add(f, 3, ir_make(ADD32_REG, *off, *len, 0, 0)); /* off += len */
	} else {
		int next = vreg(f);

		add(f, 3, ir_make(MOV64_REG, next, *off, 0, 0));
		add(f, 3, ir_make(ADD32_REG, next, *len, 0, 0));
		add(f, 3, ir_make(MOV64_REG, *off, next, 0, 0));
	}
	add(f, 3, ir_make(MOV64_REG, 0, *off, 0, 0));
	add(f, 4, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	return f;
}

START_TEST(an_update_copies_the_checked_result_available_on_every_path)
{
	for (int form = 0; form < 2; form++) {
		int off, len, sum;
		struct ir_func *f = checked_sum_then_update(&off, &len, &sum, form == 0);
		int kept;

		ck_assert(ir_reuse_updates(f));
		/* the check computes into a fresh name, its old one a copy of it */
		kept = at(f, 0, 0)->dst;
		ck_assert_int_ge(kept, f->names - 1);
		ck_assert_int_eq(at(f, 0, 1)->code, ADD32_REG);
		ck_assert_int_eq(at(f, 0, 1)->dst, kept);
		ck_assert_int_eq(at(f, 0, 2)->code, MOV64_REG);
		ck_assert_int_eq(at(f, 0, 2)->dst, sum);
		ck_assert_int_eq(at(f, 0, 2)->src, kept);
		/* and the update is a copy of it: no add is left in block 3 */
		ck_assert_int_eq(at(f, 3, form == 0 ? 0 : 1)->code, MOV64_REG);
		ck_assert_int_eq(at(f, 3, form == 0 ? 0 : 1)->src, kept);
		ck_assert_int_eq(count_code(f, ADD32_REG), 1);
		ir_func_free(f);
	}
}
END_TEST

START_TEST(an_update_reached_without_the_computation_or_after_a_change_stays)
{
	int off, len, sum;
	struct ir_func *f = checked_sum_then_update(&off, &len, &sum, true);

	/* block 2 changes len: on that path off + len is another value */
	add(f, 2, ir_make(MOV64_IMM, len, IR_NONE, 0, 8));
	ck_assert(ir_reuse_updates(f));
	ck_assert_int_eq(count_code(f, ADD32_REG), 2);
	ck_assert_int_eq(at(f, 3, 0)->code, ADD32_REG);
	ir_func_free(f);

	/* a path from the entry around the check */
	f = func_new(4);
	off = vreg(f), len = vreg(f), sum = vreg(f);
	add(f, 0, jump(JEQ_IMM, off, 0, 2));
	add(f, 1, ir_make(MOV64_REG, sum, off, 0, 0));
	add(f, 1, ir_make(ADD32_REG, sum, len, 0, 0));
	add(f, 1, jump(JGT32_IMM, sum, 40, 3));
	add(f, 2, ir_make(ADD32_REG, off, len, 0, 0));
	add(f, 2, ir_make(MOV64_REG, 0, off, 0, 0));
	add(f, 3, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_reuse_updates(f));
	ck_assert_int_eq(count_code(f, ADD32_REG), 2);
	ck_assert_int_eq(at(f, 2, 0)->code, ADD32_REG);
	ir_func_free(f);
}
END_TEST

/* ---- masks that change nothing (ir_fold.c) ---- */

START_TEST(a_mask_of_a_value_already_that_narrow_goes)
{
	struct ir_func *f = func_new(3);
	int x = vreg(f), y = vreg(f), z = vreg(f), m = vreg(f);

	add(f, 0, ir_make(0x71, x, 1, 0, 0));              /* x = *(u8 *)(r1 + 0) */
	add(f, 0, ir_make(0xbc, y, x, 0, 0));              /* wy = wx */
	add(f, 0, ir_make(AND32_IMM, y, IR_NONE, 0, 0xff)); /* y &= 0xff: nothing */
	add(f, 0, ir_make(0x69, z, 1, 2, 0));              /* z = *(u16 *)(r1 + 2) */
	add(f, 0, ir_make(AND32_IMM, z, IR_NONE, 0, 0xff)); /* z &= 0xff: needed */
	add(f, 0, ir_make(MOV64_IMM, m, IR_NONE, 0, 1));
	add(f, 0, jump(JEQ_IMM, z, 0, 2));
	add(f, 1, ir_make(0x79, m, 1, 8, 0));              /* m: two defs, 64 bits */
	add(f, 2, ir_make(AND32_IMM, m, IR_NONE, 0, 0xff)); /* needed */
	add(f, 2, ir_make(ADD64_REG, m, y, 0, 0));
	add(f, 2, ir_make(ADD64_REG, m, z, 0, 0));
	add(f, 2, ir_make(MOV64_REG, 0, m, 0, 0));
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_drop_masks(f);
	ck_assert_int_eq(count_code(f, AND32_IMM), 2);
	ck_assert_int_eq(at(f, 0, 1)->code, MOV64_REG);     /* its upper half is zero */
	ck_assert_int_eq(at(f, 0, 3)->code, AND32_IMM);
	ck_assert_int_eq(at(f, 2, 0)->code, AND32_IMM);
	ir_func_free(f);
}
END_TEST

/* `w1 &= 0xffff` only a 2-byte store reads goes; kept before a 4-byte store, or when
 * the value is read again after the store. */
START_TEST(a_mask_only_a_narrower_store_reads_goes)
{
	struct ir_func *f = func_new(2);
	int x = vreg(f), y = vreg(f), z = vreg(f);

	add(f, 0, ir_make(LDXW, x, 1, 0, 0));
	add(f, 0, ir_make(AND32_IMM, x, IR_NONE, 0, 0xffff)); /* goes */
	add(f, 0, ir_make(0x6b, 2, x, 0, 0));                 /* *(u16 *)(r2 + 0) = x */
	add(f, 0, ir_make(LDXW, y, 1, 4, 0));
	add(f, 0, ir_make(AND32_IMM, y, IR_NONE, 0, 0xffff)); /* 4-byte store: kept */
	add(f, 0, ir_make(STXW, 2, y, 4, 0));
	add(f, 0, ir_make(LDXW, z, 1, 8, 0));
	add(f, 0, ir_make(AND32_IMM, z, IR_NONE, 0, 0xff));   /* read later: kept */
	add(f, 0, ir_make(STXB, 2, z, 8, 0));
	add(f, 1, ir_make(MOV64_REG, 0, z, 0, 0));
	add(f, 1, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	while (ir_remove_dead(f))
		;
	ck_assert_int_eq(count_code(f, AND32_IMM), 2);
	ck_assert_int_eq(at(f, 0, 1)->code, 0x6b);
	ck_assert_int_eq(at(f, 0, 3)->imm, 0xffff);
	ck_assert_int_eq(at(f, 0, 6)->imm, 0xff);
	ir_func_free(f);
}
END_TEST

/* A key reloaded after a helper call and stored back on the way to the next call:
 * the store goes (the slot holds it), the load with it; not after a store between. */
START_TEST(a_reloaded_value_stored_back_to_its_slot_goes)
{
	struct ir_func *f = func_new(3);
	int x = vreg(f), y = vreg(f);

	add(f, 0, ir_make_call(1, 2));
	add(f, 0, ir_make(LDXW, x, IR_FP, -32, 0));
	add(f, 0, jump(JEQ_IMM, 0, 0, 2));
	add(f, 1, ir_make(STXW, IR_FP, x, -32, 0));         /* goes */
	add(f, 1, ir_make(LDXW, y, IR_FP, -40, 0));
	add(f, 1, ir_make(STW, IR_FP, IR_NONE, -48, 7));     /* memory written */
	add(f, 1, ir_make(STXW, IR_FP, y, -40, 0));         /* kept */
	add(f, 1, ir_make_call(2, 0));
	add(f, 2, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ck_assert(ir_rename_webs(f));
	while (ir_remove_dead(f))
		;
	ck_assert_int_eq(f->blocks[0].count, 2);            /* call, jump: no load */
	ck_assert_int_eq(count_code(f, STXW), 1);
	ck_assert_int_eq(at(f, 1, 2)->off, -40);
	ir_func_free(f);
}
END_TEST

/* ringbuf_audit: `c = p + 1 <= end ? *p : 0;` then `(__u8)c` */
START_TEST(a_mask_of_either_of_two_narrow_values_goes_their_self_copy_stays)
{
	struct ir_func *f = func_new(4);
	int c = vreg(f), w = vreg(f);

	add(f, 0, jump(JEQ_IMM, 2, 0, 2));
	add(f, 1, ir_make(0x71, c, 1, 0, 0));              /* c = *(u8 *)p */
	add(f, 1, ir_make(JA, IR_NONE, IR_NONE, 0, 0));
	f->blocks[1].insns[1].target = 3;
	add(f, 2, ir_make(MOV64_IMM, c, IR_NONE, 0, 0));    /* c = 0 */
	add(f, 3, ir_make(0xbc, c, c, 0, 0));              /* wc = wc: kept (two defs) */
	add(f, 3, ir_make(AND32_IMM, c, IR_NONE, 0, 0xff)); /* goes */
	add(f, 3, ir_make(0xbc, w, c, 0, 0));              /* 64-bit: wc = wc zero-extended */
	add(f, 3, ir_make(MOV64_REG, 0, w, 0, 0));
	add(f, 3, ir_make(EXIT, IR_NONE, IR_NONE, 0, 0));
	ir_drop_masks(f);
	ck_assert_int_eq(count_code(f, AND32_IMM), 0);
	ck_assert_int_eq(f->blocks[3].count, 4);
	ck_assert_int_eq(at(f, 3, 0)->code, 0xbc);
	ck_assert_int_eq(at(f, 3, 1)->code, MOV64_REG);
	ir_func_free(f);
}
END_TEST

static Suite *regalloc_suite(void)
{
	Suite *s = suite_create("regalloc");
	TCase *alloc = tcase_create("allocate"), *opt = tcase_create("optimise");

	tcase_add_test(alloc, liveness_carries_loop_values_around_the_back_edge);
	tcase_add_test(alloc, interfering_values_get_distinct_registers);
	tcase_add_test(alloc, values_live_across_a_call_take_callee_saved_registers);
	tcase_add_test(alloc, arguments_are_computed_in_their_registers);
	tcase_add_test(alloc, a_move_whose_source_stays_live_is_kept);
	tcase_add_test(alloc, too_many_values_across_a_call_spill_as_64_bit_slots);
	tcase_add_test(alloc, webs_split_independent_uses_of_one_register);
	tcase_add_test(alloc, inline_asm_keeps_its_registers_and_instructions);
	tcase_add_test(alloc, inline_asm_operands_are_renamed_its_literal_registers_not);
	tcase_add_test(alloc, a_call_in_asm_reads_only_registers_that_hold_something);
	tcase_add_test(alloc, temporaries_beyond_ten_registers_compile_when_optimising);
	tcase_add_test(opt, constants_become_immediates_and_fold);
	tcase_add_test(opt, chained_constant_adds_merge_unless_read_between);
	tcase_add_test(opt, constants_stored_to_the_stack_become_immediate_stores_of_every_size);
	tcase_add_test(opt, division_by_a_zero_constant_stays_a_register_operand);
	tcase_add_test(opt, jumps_to_the_next_block_and_unreachable_blocks_go);
	tcase_add_test(opt, a_condition_jumping_over_a_goto_is_inverted);
	tcase_add_test(opt, promoted_slots_become_registers);
	tcase_add_test(opt, blocks_ending_alike_share_one_tail);
	tcase_add_test(opt, copies_propagate_where_every_use_sees_them);
	tcase_add_test(opt, a_repeated_address_load_reuses_the_first);
	tcase_add_test(opt, records_follow_their_instructions_through_the_passes);
	tcase_add_test(opt, a_relocated_value_dominated_by_its_twin_is_reused);
	tcase_add_test(opt, relocated_values_without_a_dominating_twin_keep_their_records);
	tcase_add_test(opt, a_relocated_address_over_the_same_base_is_computed_once);
	tcase_add_test(opt, an_unused_relocated_load_is_removed);
	tcase_add_test(opt, repeated_relocated_offsets_leave_one_record);
	tcase_add_test(opt, arguments_of_unused_static_parameters_are_not_computed);
	tcase_add_test(opt, a_struct_whose_address_only_reaches_loads_and_stores_lives_in_registers);
	tcase_add_test(opt, an_address_stored_or_passed_to_a_bpf_function_keeps_the_object_in_memory);
	tcase_add_test(opt, an_object_given_to_a_helper_is_stored_before_the_call_and_read_back);
	tcase_add_test(opt, objects_given_to_dynptr_helpers_or_never_read_stay_in_memory);
	tcase_add_test(opt, overlapping_slots_of_different_sizes_stay_in_memory);
	tcase_add_test(opt, an_address_of_either_of_two_objects_leaves_the_function_alone);
	tcase_add_test(opt, the_frame_pointer_itself_stored_leaves_the_function_alone);
	tcase_add_test(opt, accesses_outside_every_object_or_by_inline_asm_stay_in_memory);
	tcase_add_test(opt, an_update_copies_the_checked_result_available_on_every_path);
	tcase_add_test(opt, an_update_reached_without_the_computation_or_after_a_change_stays);
	tcase_add_test(opt, a_mask_of_a_value_already_that_narrow_goes);
	tcase_add_test(opt, a_mask_of_either_of_two_narrow_values_goes_their_self_copy_stays);
	tcase_add_test(opt, a_mask_only_a_narrower_store_reads_goes);
	tcase_add_test(opt, a_reloaded_value_stored_back_to_its_slot_goes);
	suite_add_tcase(s, alloc);
	suite_add_tcase(s, opt);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(regalloc_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
