/* codegen_stmt.c - statements to BPF control flow: blocks, declarations with their
 * initializers, if/loops (conditions compiled straight into conditional jumps),
 * switch as a compare chain, goto/labels, return (value in r0, then exit), and asm
 * statements (empty templates are compiler barriers; others are reported). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "codegen_int.h"

static int goto_label(struct gen *g, const char *name)
{
	for (size_t i = 0; i < g->goto_count; i++)
		if (g->gotos[i].name == name)
			return g->gotos[i].label;
	if (g->goto_count == g->goto_capacity) {
		size_t cap = g->goto_capacity ? g->goto_capacity * 2 : 8;
		void *p = realloc(g->gotos, cap * sizeof(*g->gotos));

		if (!p) {
			g->failed = true;
			return 0;
		}
		g->gotos = p;
		g->goto_capacity = cap;
	}
	g->gotos[g->goto_count].name = name;
	g->gotos[g->goto_count].label = gen_new_label(g);
	return g->gotos[g->goto_count++].label;
}

/* `for (int i = K; i < N; ...)` with constants K and N that pass the test: the
 * rotated loop needs no test up front (clang drops it too). */
static bool enters_surely(struct gen *g, struct cc_node *n)
{
	struct cc_node *init = n->init, *cond = n->cond, *lhs, *value;
	int64_t start, limit;

	if (init && init->kind == ND_BLOCK && init->body && !init->body->next)
		init = init->body; /* for (int i = K; ...) */
	if (!init || !cond || init->kind != ND_DECL || !init->init || !init->var ||
	    init->var->type->is_volatile || !cc_type_is_integer(init->var->type))
		return false;
	value = init->init; /* a scalar's initializer is a list of one */
	if (value->kind == ND_INIT_LIST && value->args && !value->args->next)
		value = value->args;
	if (value->kind == ND_INIT_LIST || !cc_const_eval(g->u, value, &start))
		return false;
	if (cond->kind != ND_LT && cond->kind != ND_LE && cond->kind != ND_GT &&
	    cond->kind != ND_GE && cond->kind != ND_NE)
		return false;
	for (lhs = cond->lhs; lhs->kind == ND_CAST && cc_type_is_integer(lhs->type);)
		lhs = lhs->lhs;
	if (lhs->kind != ND_VAR || lhs->var != init->var ||
	    !cc_const_eval(g->u, cond->rhs, &limit) || start < 0 || start > INT32_MAX ||
	    limit < 0 || limit > INT32_MAX)
		return false;
	switch (cond->kind) {
	case ND_LT: return start < limit;
	case ND_LE: return start <= limit;
	case ND_GT: return start > limit;
	case ND_GE: return start >= limit;
	default: return start != limit;
	}
}

static void gen_loop(struct gen *g, struct cc_node *n, bool test_first)
{
	int saved_break = g->break_label, saved_continue = g->continue_label;
	int top, next, done;

	if (gen_unroll_loop(g, n))
		return;
	top = gen_new_label(g);
	next = gen_new_label(g);
	done = gen_new_label(g);
	if (n->init)
		gen_statement(g, n->init);
	g->break_label = done;
	g->continue_label = next;
	if (test_first && n->cond && !enters_surely(g, n)) {
		/* rotated loop: test once up front, then at the bottom */
		gen_branch(g, n->cond, done, false);
	}
	gen_place_label(g, top);
	gen_statement(g, n->body);
	gen_place_label(g, next);
	if (n->inc)
		gen_discard(g, n->inc);
	if (n->cond)
		gen_branch(g, n->cond, top, true);
	else
		gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, top);
	gen_place_label(g, done);
	g->break_label = saved_break;
	g->continue_label = saved_continue;
}

/* A compare of the switch value with a case constant; 64-bit constants outside the
 * immediate's range are compared through a register (the _REG opcode follows _IMM). */
static void case_jump(struct gen *g, enum objfmt_op op_imm, int reg, bool wide, int64_t value,
		      int label)
{
	if (!wide || (value >= INT32_MIN && value <= INT32_MAX)) {
		gen_jump(g, op_imm, reg, 0, wide ? value : (int32_t)value, label);
		return;
	}
	int tmp = gen_alloc_reg(g);

	gen_emit(g, OBJFMT_OP_LDDW, tmp, 0, 0, value);
	gen_jump(g, (enum objfmt_op)(op_imm + 1), reg, tmp, 0, label);
	g->busy[tmp] = false;
}

/* A case value in the compare's domain: 32-bit switches compare the low halves. */
static int64_t case_key(int64_t value, bool wide, bool uns)
{
	if (wide)
		return value;
	return uns ? (int64_t)(uint32_t)value : (int64_t)(int32_t)value;
}

static bool key_less(int64_t a, int64_t b, bool uns)
{
	return uns ? (uint64_t)a < (uint64_t)b : a < b;
}

/* `case A: case B: case C: stmt` as one group when it is three values or more within 64
 * of each other: the group's size (0 when it is tested case by case) and its base and
 * bit mask. Tested as LLVM lowers it, `(1 << (x - base)) & mask`, the switch value
 * stays unknown to the verifier in the case's code where a compare chain makes it a
 * constant per case (a state each, multiplied by every copy of an unrolled loop). */
static int case_group(const struct cc_node *head, bool wide, bool uns, int64_t *base,
		      uint64_t *mask)
{
	int64_t low = 0, high = 0;
	int count = 0;

	for (const struct cc_node *m = head; m && m->kind == ND_CASE; m = m->body, count++) {
		int64_t key = case_key(m->value, wide, uns);

		if (m->is_default || m->value != m->value_high)
			return 0;
		if (!count || key_less(key, low, uns))
			low = key;
		if (!count || key_less(high, key, uns))
			high = key;
	}
	if (count < 3 || (uint64_t)high - (uint64_t)low > 63)
		return 0;
	*base = (!key_less(low, 0, false) && high < 64 && high >= 0) ? 0 : low;
	if (wide && (*base < INT32_MIN || *base > INT32_MAX))
		return 0;
	*mask = 0;
	for (const struct cc_node *m = head; m && m->kind == ND_CASE; m = m->body)
		*mask |= 1ull << ((uint64_t)case_key(m->value, wide, uns) - (uint64_t)*base);
	return count;
}

/* The bit test of a case group: bit (x - base) of `mask`, jump to `label`. A shift
 * takes its count's low six bits, so x itself (upper half unknown for a 32-bit
 * switch) counts when the base is 0. */
static void case_bits(struct gen *g, int reg, bool wide, int64_t base, uint64_t mask,
		      int label)
{
	int offset = reg, bits = gen_alloc_reg(g), skip = gen_new_label(g);
	int64_t span = 63;

	while (span && !(mask >> span))
		span--;
	if (base) {
		offset = gen_alloc_reg(g);
		gen_emit(g, wide ? OBJFMT_OP_MOV64_REG : OBJFMT_OP_MOV32_REG, offset, reg, 0, 0);
		gen_emit(g, wide ? OBJFMT_OP_SUB64_IMM : OBJFMT_OP_SUB32_IMM, offset, 0, 0,
			 wide ? base : (int32_t)base);
	}
	gen_jump(g, wide ? OBJFMT_OP_JGT_IMM : OBJFMT_OP_JGT32_IMM, offset, 0, span, skip);
	if (mask <= INT32_MAX) {
		gen_emit(g, OBJFMT_OP_MOV64_IMM, bits, 0, 0, (int64_t)mask);
		gen_emit(g, OBJFMT_OP_RSH64_REG, bits, offset, 0, 0);
		gen_jump(g, OBJFMT_OP_JSET_IMM, bits, 0, 1, label);
	} else { /* a 64-bit mask, bit-reversed: bit x to the sign, a jump that inverts */
		uint64_t reversed = 0;

		for (int i = 0; i < 64; i++)
			if (mask >> i & 1)
				reversed |= 1ull << (63 - i);
		gen_emit(g, OBJFMT_OP_LDDW, bits, 0, 0, (int64_t)reversed);
		gen_emit(g, OBJFMT_OP_LSH64_REG, bits, offset, 0, 0);
		gen_jump(g, OBJFMT_OP_JSLT_IMM, bits, 0, 0, label);
	}
	gen_place_label(g, skip);
	if (offset != reg)
		g->busy[offset] = false;
	g->busy[bits] = false;
}

/* Whether `c` is the body of another case (a later member of a group). */
static bool case_inner(const struct cc_node *n, const struct cc_node *c)
{
	for (const struct cc_node *o = n->cases; o; o = o->case_next)
		if (o->body == c)
			return true;
	return false;
}

/* One case's own test: an equality, or a GNU range as two compares. */
static void case_test(struct gen *g, const struct cc_node *c, int reg, bool wide, bool uns)
{
	if (c->value == c->value_high) {
		case_jump(g, wide ? OBJFMT_OP_JEQ_IMM : OBJFMT_OP_JEQ32_IMM, reg, wide,
			  c->value, c->label_id);
		return;
	}
	int skip = gen_new_label(g);

	case_jump(g, wide ? (uns ? OBJFMT_OP_JLT_IMM : OBJFMT_OP_JSLT_IMM)
			  : (uns ? OBJFMT_OP_JLT32_IMM : OBJFMT_OP_JSLT32_IMM), reg, wide,
		  c->value, skip);
	case_jump(g, wide ? (uns ? OBJFMT_OP_JLE_IMM : OBJFMT_OP_JSLE_IMM)
			  : (uns ? OBJFMT_OP_JLE32_IMM : OBJFMT_OP_JSLE32_IMM), reg, wide,
		  c->value_high, c->label_id);
	gen_place_label(g, skip);
}

/* The compare chain: each case's test on the switch value (a group of cases sharing
 * their code as one bit test), then the jump to default (or past the switch). Labels
 * the cases. */
static void case_chain(struct gen *g, struct cc_node *n, bool wide, bool uns, int done)
{
	struct val v = gen_own(g, gen_expr(g, n->cond));
	int fallback = done;

	for (struct cc_node *c = n->cases; c; c = c->case_next) {
		c->label_id = gen_new_label(g);
		if (c->is_default)
			fallback = c->label_id;
	}
	for (struct cc_node *c = n->cases; c; c = c->case_next) {
		int64_t base;
		uint64_t mask;

		if (c->is_default || case_inner(n, c))
			continue;
		if (case_group(c, wide, uns, &base, &mask)) {
			case_bits(g, v.reg, wide, base, mask, c->label_id);
			continue;
		}
		for (struct cc_node *m = c; m && m->kind == ND_CASE; m = m->body)
			if (!m->is_default)
				case_test(g, m, v.reg, wide, uns);
	}
	gen_release(g, v);
	gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, fallback);
}

/* Whether case `c` takes the constant switch value `value`, by the compares
 * case_chain makes (32-bit ones on the low halves). */
static bool case_takes(const struct cc_node *c, int64_t value, bool wide, bool uns)
{
	int64_t lo = c->value, hi = c->value_high;

	if (!wide) {
		value = uns ? (int64_t)(uint32_t)value : (int64_t)(int32_t)value;
		lo = uns ? (int64_t)(uint32_t)lo : (int64_t)(int32_t)lo;
		hi = uns ? (int64_t)(uint32_t)hi : (int64_t)(int32_t)hi;
	}
	if (uns)
		return (uint64_t)lo <= (uint64_t)value && (uint64_t)value <= (uint64_t)hi;
	return lo <= value && value <= hi;
}

/* A constant switch value (a copy of an unrolled loop's body): one jump to its case;
 * the cases it skips become unreachable and are removed. */
static void case_known(struct gen *g, struct cc_node *n, bool wide, bool uns, int done)
{
	int target = -1, fallback = done;

	for (struct cc_node *c = n->cases; c; c = c->case_next) {
		c->label_id = gen_new_label(g);
		if (c->is_default)
			fallback = c->label_id;
		else if (target < 0 && case_takes(c, n->cond->value, wide, uns))
			target = c->label_id;
	}
	gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, target >= 0 ? target : fallback);
}

static void gen_switch(struct gen *g, struct cc_node *n)
{
	int saved_break = g->break_label, done = gen_new_label(g);
	bool wide = n->cond->type->kind == TY_PTR || cc_type_size(n->cond->type) == 8;
	bool uns = cc_type_is_unsigned(n->cond->type);

	if (n->cond->kind == ND_NUM)
		case_known(g, n, wide, uns, done);
	else
		case_chain(g, n, wide, uns, done);
	g->break_label = done;
	gen_statement(g, n->body);
	gen_place_label(g, done);
	g->break_label = saved_break;
}

static void gen_return(struct gen *g, struct cc_node *n)
{
	if (g->inlining) {
		gen_inline_return(g, n);
		return;
	}
	if (n->lhs)
		gen_value_into(g, n->lhs, 0, false);
	else /* void: the kernel does not read r0, but our emulated verifier insists */
		gen_emit(g, OBJFMT_OP_MOV64_IMM, 0, 0, 0, 0);
	gen_emit(g, OBJFMT_OP_EXIT, 0, 0, 0, 0);
}

void gen_statement(struct gen *g, struct cc_node *n)
{
	if (!n || g->failed)
		return;
	if (n->kind != ND_BLOCK)
		gen_mark_line(g, n->loc);
	switch (n->kind) {
	case ND_BLOCK:
		for (struct cc_node *s = n->body; s; s = s->next)
			gen_statement(g, s);
		return;
	case ND_NULL_STMT:
		return;
	case ND_EXPR_STMT:
		gen_discard(g, n->lhs);
		return;
	case ND_DECL:
		if (n->init)
			gen_init_local(g, n->var, n->init);
		return;
	case ND_IF: {
		int other, done;
		int64_t known;

		if (n->cond->kind == ND_NOT || n->cond->kind == ND_BUILTIN) {
			/* if (!__builtin_constant_p(param)): only the taken branch exists */
			if (gen_inline_constant(g, n->cond, &known)) {
				gen_statement(g, known ? n->then : n->els);
				return;
			}
		}
		other = gen_new_label(g);
		done = gen_new_label(g);

		gen_branch(g, n->cond, other, false);
		gen_statement(g, n->then);
		if (n->els) {
			gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, done);
			gen_place_label(g, other);
			gen_statement(g, n->els);
			gen_place_label(g, done);
		} else {
			gen_place_label(g, other);
		}
		return;
	}
	case ND_FOR:
		gen_loop(g, n, true);
		return;
	case ND_DO:
		gen_loop(g, n, false);
		return;
	case ND_SWITCH:
		gen_switch(g, n);
		return;
	case ND_CASE:
		gen_place_label(g, n->label_id);
		gen_statement(g, n->body);
		return;
	case ND_BREAK:
	case ND_CONTINUE: {
		int label = n->kind == ND_BREAK ? g->break_label : g->continue_label;

		if (label < 0) {
			gen_fail(g, n->loc, "'%s' statement not in loop%s",
				 n->kind == ND_BREAK ? "break" : "continue",
				 n->kind == ND_BREAK ? " or switch statement" : " statement");
			return;
		}
		gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, label);
		return;
	}
	case ND_GOTO:
		gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, goto_label(g, n->label));
		return;
	case ND_LABEL:
		gen_place_label(g, goto_label(g, n->label));
		gen_statement(g, n->body);
		return;
	case ND_RETURN:
		gen_return(g, n);
		return;
	case ND_ASM:
		gen_asm_statement(g, n);
		return;
	default:
		gen_fail(g, n->loc, "internal error: unexpected statement kind %d", n->kind);
	}
}
