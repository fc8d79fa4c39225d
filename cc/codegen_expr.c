/* codegen_expr.c - expressions to BPF instructions: 32-bit ALU for int-sized types and
 * 64-bit for long and pointers (values narrower than 64 bits keep their upper half
 * zero), immediates where they fit, conversions, conditional branches straight from
 * comparisons, compound assignment through ND_LOADED, and the builtins. */
#include <config.h>

#include <string.h>

#include "codegen_int.h"

static void gen_expr_into(struct gen *g, struct cc_node *n, int reg, bool initializing);
static bool foldable(struct gen *g, struct cc_node *n, int64_t *value);
static bool constant_load(struct gen *g, struct cc_node *n, int64_t *value);

/* A literal, or an expression that folds once constant data is known. */
static bool constant_operand(struct gen *g, struct cc_node *n, int64_t *value)
{
	if (n->kind == ND_NUM) {
		*value = n->value;
		return true;
	}
	if (g->u->opts->optimize > 0 && (n->kind == ND_VAR || n->kind == ND_MEMBER ||
					 n->kind == ND_DEREF))
		return constant_load(g, n, value);
	return foldable(g, n, value);
}

static bool is64(struct cc_type *t)
{
	return t->kind == TY_PTR || cc_type_size(t) == 8;
}

static bool fits_imm(int64_t v, bool wide)
{
	return wide ? v >= INT32_MIN && v <= INT32_MAX : true;
}

static struct val load_constant(struct gen *g, int64_t value, bool wide)
{
	struct val v = { gen_alloc_reg(g), true };

	if (value >= INT32_MIN && value <= INT32_MAX)
		gen_emit(g, OBJFMT_OP_MOV64_IMM, v.reg, 0, 0, value);
	else if (!wide)
		gen_emit(g, OBJFMT_OP_MOV32_IMM, v.reg, 0, 0, (int32_t)value);
	else
		gen_emit(g, OBJFMT_OP_LDDW, v.reg, 0, 0, value);
	return v;
}

/* ---- conversions ---- */

static struct val to_bool(struct gen *g, struct val v, struct cc_type *from)
{
	struct val r = { gen_alloc_reg(g), true };
	int done = gen_new_label(g);

	gen_emit(g, OBJFMT_OP_MOV64_IMM, r.reg, 0, 0, 1);
	gen_jump(g, is64(from) ? OBJFMT_OP_JNE_IMM : OBJFMT_OP_JNE32_IMM, v.reg, 0, 0, done);
	gen_emit(g, OBJFMT_OP_MOV64_IMM, r.reg, 0, 0, 0);
	gen_place_label(g, done);
	gen_release(g, v);
	return r;
}

static struct val convert(struct gen *g, struct val v, struct cc_type *from, struct cc_type *to)
{
	int64_t fs = from->kind == TY_PTR ? 8 : cc_type_size(from);
	int64_t ts = to->kind == TY_PTR ? 8 : cc_type_size(to);
	bool fu = cc_type_is_unsigned(from), tu = cc_type_is_unsigned(to);

	if (to->kind == TY_VOID)
		return v;
	if (to->kind == TY_BOOL && from->kind != TY_BOOL)
		return to_bool(g, v, from);
	if (ts == 8) {
		if (fs < 8 && !fu) {
			v = gen_own(g, v);
			gen_emit(g, OBJFMT_OP_LSH64_IMM, v.reg, 0, 0, 32);
			gen_emit(g, OBJFMT_OP_ARSH64_IMM, v.reg, 0, 0, 32);
		}
		return v;
	}
	if (ts == 4) {
		if (fs == 8) {
			v = gen_own(g, v);
			gen_emit(g, OBJFMT_OP_MOV32_REG, v.reg, v.reg, 0, 0);
		}
		return v;
	}
	/* ts is 1 or 2 */
	if ((fs < ts && (fu || !tu)) || (fs == ts && fu == tu) || from->kind == TY_BOOL)
		return v;
	v = gen_own(g, v);
	if (tu) {
		gen_emit(g, OBJFMT_OP_AND32_IMM, v.reg, 0, 0, ts == 1 ? 0xff : 0xffff);
	} else {
		gen_emit(g, OBJFMT_OP_LSH32_IMM, v.reg, 0, 0, 32 - 8 * ts);
		gen_emit(g, OBJFMT_OP_ARSH32_IMM, v.reg, 0, 0, 32 - 8 * ts);
	}
	return v;
}

/* ---- arithmetic ---- */

struct alu_row {
	enum cc_node_kind kind;
	bool is_signed;             /* signed variant (sdiv, smod, arsh) */
	enum objfmt_op imm64, reg64, imm32, reg32;
};

static const struct alu_row alu_rows[] = {
#define ROW(k, s, n) { k, s, OBJFMT_OP_##n##64_IMM, OBJFMT_OP_##n##64_REG, OBJFMT_OP_##n##32_IMM, \
		       OBJFMT_OP_##n##32_REG }
	ROW(ND_ADD, false, ADD), ROW(ND_SUB, false, SUB), ROW(ND_MUL, false, MUL),
	ROW(ND_DIV, false, DIV), ROW(ND_DIV, true, SDIV), ROW(ND_MOD, false, MOD),
	ROW(ND_MOD, true, SMOD), ROW(ND_BITAND, false, AND), ROW(ND_BITOR, false, OR),
	ROW(ND_BITXOR, false, XOR), ROW(ND_SHL, false, LSH), ROW(ND_SHR, false, RSH),
	ROW(ND_SHR, true, ARSH),
#undef ROW
};

static const struct alu_row *alu_row(enum cc_node_kind kind, bool is_signed)
{
	bool sensitive = kind == ND_DIV || kind == ND_MOD || kind == ND_SHR;

	for (size_t i = 0; i < sizeof(alu_rows) / sizeof(alu_rows[0]); i++)
		if (alu_rows[i].kind == kind && (!sensitive || alu_rows[i].is_signed == is_signed))
			return &alu_rows[i];
	return NULL;
}

static bool commutative(enum cc_node_kind k)
{
	return k == ND_ADD || k == ND_MUL || k == ND_BITAND || k == ND_BITOR || k == ND_BITXOR;
}

static struct val gen_binary(struct gen *g, struct cc_node *n)
{
	struct cc_node *lhs = n->lhs, *rhs = n->rhs;
	bool wide = is64(n->type) || is64(lhs->type);
	const struct alu_row *row;
	struct val a;

	int64_t k;

	if (constant_operand(g, lhs, &k) && !constant_operand(g, rhs, &k) &&
	    commutative(n->kind)) {
		struct cc_node *t = lhs;

		lhs = rhs;
		rhs = t;
	}
	row = alu_row(n->kind, !cc_type_is_unsigned(lhs->type));
	a = gen_own(g, gen_expr(g, lhs));
	if ((n->kind == ND_SHL || n->kind == ND_SHR) &&
	    gen_core_shift(g, rhs, wide ? row->imm64 : row->imm32, a.reg))
		return a;
	/* a constant divisor of 0 goes through a register: the verifier rejects div/mod by
	 * an immediate 0, while the register form has C-undefined but defined BPF results */
	if (constant_operand(g, rhs, &k) && fits_imm(k, wide) &&
	    !((n->kind == ND_DIV || n->kind == ND_MOD) && k == 0)) {
		if (!((n->kind == ND_ADD || n->kind == ND_SUB) && k == 0))
			gen_emit(g, wide ? row->imm64 : row->imm32, a.reg, 0, 0,
				 wide ? k : (int32_t)k);
		return a;
	}
	struct val b = gen_expr(g, rhs);

	gen_emit(g, wide ? row->reg64 : row->reg32, a.reg, b.reg, 0, 0);
	gen_release(g, b);
	return a;
}

/* ---- branches ---- */

struct jump_row {
	enum cc_node_kind kind;
	enum objfmt_op u64imm, u64reg, s64imm, s64reg, u32imm, u32reg, s32imm, s32reg;
};

static const struct jump_row jump_rows[] = {
#define J(k, u, s) { k, OBJFMT_OP_##u##_IMM, OBJFMT_OP_##u##_REG, OBJFMT_OP_##s##_IMM, \
		     OBJFMT_OP_##s##_REG, OBJFMT_OP_##u##32_IMM, OBJFMT_OP_##u##32_REG, \
		     OBJFMT_OP_##s##32_IMM, OBJFMT_OP_##s##32_REG }
	J(ND_EQ, JEQ, JEQ), J(ND_NE, JNE, JNE), J(ND_LT, JLT, JSLT), J(ND_LE, JLE, JSLE),
	J(ND_GT, JGT, JSGT), J(ND_GE, JGE, JSGE),
#undef J
};

static enum cc_node_kind negate(enum cc_node_kind k)
{
	switch (k) {
	case ND_EQ: return ND_NE;
	case ND_NE: return ND_EQ;
	case ND_LT: return ND_GE;
	case ND_LE: return ND_GT;
	case ND_GT: return ND_LE;
	default: return ND_LT;
	}
}

static enum cc_node_kind mirror(enum cc_node_kind k)
{
	switch (k) {
	case ND_LT: return ND_GT;
	case ND_LE: return ND_GE;
	case ND_GT: return ND_LT;
	case ND_GE: return ND_LE;
	default: return k;
	}
}

static void compare_branch(struct gen *g, struct cc_node *n, int label, bool when)
{
	struct cc_node *lhs = n->lhs, *rhs = n->rhs;
	enum cc_node_kind kind = n->kind;
	bool wide = is64(lhs->type), uns = cc_type_is_unsigned(lhs->type);
	const struct jump_row *row = NULL;
	struct val a;

	int64_t k;

	if (constant_operand(g, lhs, &k) && !constant_operand(g, rhs, &k)) {
		lhs = n->rhs;
		rhs = n->lhs;
		kind = mirror(kind);
	}
	if (!when)
		kind = negate(kind);
	for (size_t i = 0; i < sizeof(jump_rows) / sizeof(jump_rows[0]); i++)
		if (jump_rows[i].kind == kind)
			row = &jump_rows[i];
	a = gen_expr(g, lhs);
	if (constant_operand(g, rhs, &k) && fits_imm(k, wide)) {
		enum objfmt_op op = wide ? (uns ? row->u64imm : row->s64imm)
					 : (uns ? row->u32imm : row->s32imm);

		gen_jump(g, op, a.reg, 0, wide ? k : (int32_t)k, label);
	} else {
		struct val b = gen_expr(g, rhs);
		enum objfmt_op op = wide ? (uns ? row->u64reg : row->s64reg)
					 : (uns ? row->u32reg : row->s32reg);

		gen_jump(g, op, a.reg, b.reg, 0, label);
		gen_release(g, b);
	}
	gen_release(g, a);
}

/* Jump to `label` when the truth of `n` equals `when`; fall through otherwise. */
void gen_branch(struct gen *g, struct cc_node *n, int label, bool when)
{
	int64_t known;

	if (n->kind != ND_NUM && foldable(g, n, &known)) {
		if ((known != 0) == when)
			gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, label);
		return;
	}
	switch (n->kind) {
	case ND_NUM:
		if ((n->value != 0) == when)
			gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, label);
		return;
	case ND_NOT:
		gen_branch(g, n->lhs, label, !when);
		return;
	case ND_LOGAND:
	case ND_LOGOR: {
		bool and = n->kind == ND_LOGAND;

		if (when != and) {
			gen_branch(g, n->lhs, label, when);
			gen_branch(g, n->rhs, label, when);
		} else {
			int skip = gen_new_label(g);

			gen_branch(g, n->lhs, skip, !when);
			gen_branch(g, n->rhs, label, when);
			gen_place_label(g, skip);
		}
		return;
	}
	case ND_EQ: case ND_NE: case ND_LT: case ND_LE: case ND_GT: case ND_GE:
		compare_branch(g, n, label, when);
		return;
	default: {
		struct val v = gen_expr(g, n);
		bool wide = is64(n->type);

		gen_jump(g, when ? (wide ? OBJFMT_OP_JNE_IMM : OBJFMT_OP_JNE32_IMM)
				 : (wide ? OBJFMT_OP_JEQ_IMM : OBJFMT_OP_JEQ32_IMM),
			 v.reg, 0, 0, label);
		gen_release(g, v);
	}
	}
}

static struct val condition_value(struct gen *g, struct cc_node *n)
{
	struct val r = { gen_alloc_reg(g), true };
	int done = gen_new_label(g);

	gen_emit(g, OBJFMT_OP_MOV64_IMM, r.reg, 0, 0, 1);
	gen_branch(g, n, done, true);
	gen_emit(g, OBJFMT_OP_MOV64_IMM, r.reg, 0, 0, 0);
	gen_place_label(g, done);
	return r;
}

/* c ? a : b. The result register is first written by an arm, and it is not held
 * while the other arm runs: a register that is held but never written would be
 * spilled around a call in an arm, which the verifier rejects (R0 !read_ok). */
static struct val gen_conditional(struct gen *g, struct cc_node *n)
{
	struct val r;
	int other, done = gen_new_label(g);

	if ((n->lhs->kind == ND_NUM) != (n->rhs->kind == ND_NUM)) {
		/* one arm a constant: it is set first, the other arm only where it is
		 * taken: one jump less, as clang does */
		bool rhs_constant = n->rhs->kind == ND_NUM;

		r = gen_own(g, gen_expr(g, rhs_constant ? n->rhs : n->lhs));
		gen_branch(g, n->cond, done, !rhs_constant);
		g->busy[r.reg] = false; /* the constant is dead on this path */
		gen_expr_into(g, rhs_constant ? n->lhs : n->rhs, r.reg, false);
		g->busy[r.reg] = true;
		gen_place_label(g, done);
		return r;
	}
	other = gen_new_label(g);
	gen_branch(g, n->cond, other, false);
	r = gen_own(g, gen_expr(g, n->lhs));
	gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, done);
	gen_place_label(g, other);
	g->busy[r.reg] = false; /* on this path it holds nothing yet */
	gen_expr_into(g, n->rhs, r.reg, false);
	g->busy[r.reg] = true;
	gen_place_label(g, done);
	return r;
}

/* ---- addresses, assignment ---- */

/* ld_imm64 of a function's address (a callback for bpf_loop and friends): the loader
 * turns it into a BPF_PSEUDO_FUNC load, as for clang's objects. */
static struct val function_address(struct gen *g, struct cc_var *fn, int reg)
{
	size_t at = gen_emit(g, OBJFMT_OP_LDDW, reg, 0, 0, 0);

	fn->referenced = true;
	gen_add_reloc(g, at, GEN_RELOC_DATA, fn, 0);
	return (struct val){ reg, true };
}

static struct val address_of(struct gen *g, struct cc_node *n)
{
	struct place p;
	struct val v;

	if (n->lhs->kind == ND_VAR && n->lhs->var->is_function)
		return function_address(g, n->lhs->var, gen_alloc_reg(g));
	p = gen_place(g, n->lhs);

	if (p.in_reg) {
		gen_fail(g, n->loc, "internal error: address of a register variable");
		return (struct val){ 0, false };
	}
	if (p.base_owned) {
		v = (struct val){ p.reg, true };
	} else {
		v = (struct val){ gen_alloc_reg(g), true };
		gen_emit(g, OBJFMT_OP_MOV64_REG, v.reg, p.reg, 0, 0);
	}
	if (p.off)
		gen_emit(g, OBJFMT_OP_ADD64_IMM, v.reg, 0, 0, p.off);
	return v;
}

static struct val gen_assign(struct gen *g, struct cc_node *n)
{
	struct place p, src;
	struct val v;

	if (cc_type_is_aggregate(n->type)) {
		src = gen_place(g, n->rhs);
		p = gen_place(g, n->lhs);
		gen_copy_memory(g, p, src, cc_type_size(n->type), cc_type_align(n->type));
		gen_release_place(g, src);
		gen_release_place(g, p);
		return (struct val){ 0, false };
	}
	v = gen_expr(g, n->rhs);
	p = gen_place_core(g, n->lhs);
	gen_store(g, p, n->type, v);
	gen_release_place(g, p);
	return v;
}

/* x op= y, ++x, x++: load once into ND_LOADED, compute, store. Unless the old value is
 * wanted, ND_LOADED hands its register over so the operation happens in place (for a
 * register variable: on the variable's own register). */
static struct val gen_update(struct gen *g, struct cc_node *n, bool want_old)
{
	struct place p = gen_place(g, n->lhs), view = p;
	struct val saved = g->loaded, cur, nv;
	bool saved_transfer = g->loaded_transfer;

	view.base_owned = false;
	cur = gen_load(g, view, n->lhs->type);
	if (want_old)
		cur = gen_own(g, cur);
	g->loaded = cur;
	g->loaded_transfer = !want_old;
	nv = gen_expr(g, n->rhs);
	bool consumed = !g->loaded_transfer && !want_old;

	g->loaded = saved;
	g->loaded_transfer = saved_transfer;
	gen_store(g, p, n->type, nv);
	gen_release_place(g, p);
	if (want_old) {
		gen_release(g, nv);
		return cur;
	}
	if (!consumed && cur.reg != nv.reg)
		gen_release(g, cur);
	if (g->var_reg[nv.reg]) /* the variable itself: never hand it out as a temporary */
		nv.owned = false;
	return nv;
}

/* Evaluate `n` straight into register `reg` (a constant is loaded there directly).
 * `initializing` a register variable lets the computation use the variable's register
 * (its old value is dead: C forbids reading it in its own initializer). */
static void gen_expr_into(struct gen *g, struct cc_node *n, int reg, bool initializing)
{
	struct val v;

	if (n->kind == ND_NUM) {
		if (n->value >= INT32_MIN && n->value <= INT32_MAX)
			gen_emit(g, OBJFMT_OP_MOV64_IMM, reg, 0, 0, n->value);
		else if (!is64(n->type))
			gen_emit(g, OBJFMT_OP_MOV32_IMM, reg, 0, 0, (int32_t)n->value);
		else
			gen_emit(g, OBJFMT_OP_LDDW, reg, 0, 0, n->value);
		return;
	}
	g->hint = reg;
	g->hint_variable = g->var_reg[reg] && initializing;
	v = gen_expr(g, n);
	g->hint = -1;
	g->hint_variable = false;
	if (v.reg != reg)
		gen_emit(g, OBJFMT_OP_MOV64_REG, reg, v.reg, 0, 0);
	gen_release(g, v);
}

/* ---- calls ---- */

static int64_t helper_id(struct gen *g, struct cc_node *callee)
{
	struct cc_var *v;
	int64_t id;

	(void)g;
	while (callee->kind == ND_CAST || callee->kind == ND_DEREF)
		callee = callee->lhs;
	if (callee->kind == ND_NUM)
		return callee->value;
	if (callee->kind != ND_VAR)
		return -1;
	v = callee->var;
	if (v->is_local || !v->init || !v->init->args || v->init->args->next)
		return -1;
	if (!cc_const_eval(g->u, v->init->args, &id))
		return -1;
	return id;
}

/* Conversions between pointers (and 64-bit integers) that emit no code. */
static struct cc_node *strip_free_casts(struct cc_node *a)
{
	while (a->kind == ND_CAST && is64(a->type) && is64(a->lhs->type) &&
	       a->type->kind != TY_BOOL)
		a = a->lhs;
	return a;
}

/* Arguments that load straight into their argument register after the others. */
static bool simple_argument(struct cc_node *a)
{
	a = strip_free_casts(a);
	if (a->kind == ND_NUM)
		return true;
	if (a->kind == ND_VAR && a->var->reg >= 0 && a->var->is_local)
		return true;
	if (a->kind == ND_ADDR && a->lhs->kind == ND_VAR)
		return true;
	return false;
}

static void move_arguments(struct gen *g, int *src, int count)
{
	bool pending[6] = { false };
	int left = 0;

	for (int i = 1; i <= count; i++)
		if (src[i] >= 0 && src[i] != i) {
			pending[i] = true;
			left++;
		}
	while (left) {
		bool progress = false;

		for (int d = 1; d <= count; d++) {
			bool blocked = false;

			if (!pending[d])
				continue;
			for (int o = 1; o <= count; o++)
				if (pending[o] && o != d && src[o] == d)
					blocked = true;
			if (blocked)
				continue;
			gen_emit(g, OBJFMT_OP_MOV64_REG, d, src[d], 0, 0);
			pending[d] = false;
			left--;
			progress = true;
		}
		if (progress)
			continue;
		for (int d = 1; d <= count; d++) /* a cycle: park one source in r0 */
			if (pending[d]) {
				gen_emit(g, OBJFMT_OP_MOV64_REG, 0, src[d], 0, 0);
				src[d] = 0;
				break;
			}
	}
}

static void simple_into(struct gen *g, struct cc_node *a, int reg)
{
	a = strip_free_casts(a);
	if (a->kind == ND_NUM) {
		if (a->value >= INT32_MIN && a->value <= INT32_MAX)
			gen_emit(g, OBJFMT_OP_MOV64_IMM, reg, 0, 0, a->value);
		else
			gen_emit(g, OBJFMT_OP_LDDW, reg, 0, 0, a->value);
	} else if (a->kind == ND_VAR) {
		gen_emit(g, OBJFMT_OP_MOV64_REG, reg, a->var->reg, 0, 0);
	} else if (a->lhs->var->is_function) {
		function_address(g, a->lhs->var, reg);
	} else {
		struct cc_var *v = a->lhs->var;

		if (v->is_local) {
			gen_emit(g, OBJFMT_OP_MOV64_REG, reg, REG_FP, 0, 0);
			gen_emit(g, OBJFMT_OP_ADD64_IMM, reg, 0, 0, v->stack_offset);
		} else {
			size_t at = gen_emit(g, OBJFMT_OP_LDDW, reg, 0, 0, 0);

			v->referenced = true;
			gen_add_reloc(g, at, GEN_RELOC_DATA, v, 0);
		}
	}
}

/* Reload spilled temporaries; the result leaves r0 first if r0 is one of them. */
static struct val call_result(struct gen *g, struct spill_set *spills, bool has_value)
{
	struct spill_set r0_set = { .count = 0 }, others = { .count = 0 };
	struct val r = { 0, false };

	for (int i = 0; i < spills->count; i++) {
		struct spill_set *s = spills->reg[i] == 0 ? &r0_set : &others;

		s->reg[s->count] = spills->reg[i];
		s->slot[s->count++] = spills->slot[i];
	}
	gen_restore(g, &others);
	if (has_value) {
		if (r0_set.count) {
			g->busy[0] = true;
			r.reg = gen_alloc_reg(g);
			g->busy[0] = false;
			gen_emit(g, OBJFMT_OP_MOV64_REG, r.reg, 0, 0, 0);
		} else {
			g->busy[0] = true;
		}
		r.owned = true;
	}
	gen_restore(g, &r0_set);
	return r;
}

static struct val gen_call(struct gen *g, struct cc_node *n)
{
	struct cc_node *callee = n->lhs, *args[6];
	struct cc_var *target = NULL;
	struct spill_set spills;
	int src[6] = { -1, -1, -1, -1, -1, -1 }, count = 0;
	int64_t id = -1;

	if (callee->kind == ND_VAR && callee->var->is_function)
		target = callee->var;
	else
		id = helper_id(g, callee);
	if (!target && id < 0) {
		gen_fail(g, n->loc, "calls through a function pointer are not supported");
		return (struct val){ 0, false };
	}
	if (target && gen_should_inline(g, target))
		return gen_inline_call(g, n, target);
	if (target && !target->function && !target->is_definition)
		target->referenced = true;
	for (struct cc_node *a = n->args; a; a = a->next) {
		if (count == 5) {
			gen_fail(g, a->loc, "too many arguments: BPF passes at most 5");
			return (struct val){ 0, false };
		}
		args[++count] = a;
	}
	gen_spill_caller_saved(g, &spills);
	for (int i = 1; i <= count; i++) {
		if (simple_argument(args[i]))
			continue;
		struct val v;

		g->hint = i;
		v = cc_type_is_aggregate(args[i]->type) ? gen_load_record(g, args[i])
							 : gen_expr(g, args[i]);
		g->hint = -1;
		src[i] = v.reg;
		g->busy[v.reg] = v.owned || g->busy[v.reg];
	}
	move_arguments(g, src, count);
	for (int i = 1; i <= count; i++)
		if (simple_argument(args[i]))
			simple_into(g, args[i], i);
	for (int r = 0; r <= 5; r++)
		g->busy[r] = false;
	if (target) {
		size_t at = gen_emit(g, OBJFMT_OP_CALL, 0, OBJFMT_CALL_LOCAL, 0, -1);

		target->referenced = true;
		gen_add_reloc(g, at, GEN_RELOC_CALL, target, 0);
		gen_note_call(g, at, count);
	} else {
		gen_note_call(g, gen_emit(g, OBJFMT_OP_CALL, 0, OBJFMT_CALL_HELPER, 0, id), count);
	}
	return call_result(g, &spills, n->type->kind != TY_VOID);
}

/* ---- builtins ---- */

/* The memory a pointer argument designates, with the alignment of its original type. */
static struct place pointer_place(struct gen *g, struct cc_node *a, int *align)
{
	struct cc_node *orig = a;

	while (orig->kind == ND_CAST && orig->lhs->type->kind == TY_PTR)
		orig = orig->lhs;
	*align = orig->type->kind == TY_PTR ? cc_type_align(cc_type_base(orig->type)) : 1;
	if (*align < 1)
		*align = 1;
	if (orig->kind == ND_ADDR && orig->lhs->kind != ND_VAR)
		return gen_place(g, orig->lhs);
	if (orig->kind == ND_ADDR && orig->lhs->var->is_local && orig->lhs->var->reg < 0)
		return gen_place(g, orig->lhs);
	struct val v = gen_expr(g, a);
	struct place p = { 0 };

	p.reg = v.reg;
	p.base_owned = v.owned;
	return p;
}

/* Move a value out of r0 (cmpxchg needs r0 for the expected value). */
static void leave_r0(struct gen *g, struct val *v)
{
	if (v->reg != 0)
		return;
	g->busy[0] = true;
	int r = gen_alloc_reg(g);

	gen_emit(g, OBJFMT_OP_MOV64_REG, r, 0, 0, 0);
	g->busy[0] = false;
	*v = (struct val){ r, true };
}

/* __sync_val_compare_and_swap(ptr, expected, new): r0 = expected; cmpxchg leaves the
 * old value in r0, which is the result. r0 is freed (a live temporary there is saved
 * and restored around the instruction). */
static struct val gen_cmpxchg(struct gen *g, struct cc_node *n, bool wide)
{
	struct cc_node *ptr = n->args, *expected = ptr->next, *desired = expected->next;
	struct val des, base, r;
	struct place p;
	int align, slot = 0;
	bool saved = false;

	g->hint = -1; /* the result comes back in r0 anyway */
	des = gen_own(g, gen_expr(g, desired));
	p = pointer_place(g, ptr, &align);
	base = (struct val){ p.reg, p.base_owned };
	leave_r0(g, &des);
	if (base.reg == 0) {
		leave_r0(g, &base);
		p.reg = base.reg;
		p.base_owned = base.owned;
	}
	if (g->busy[0]) { /* someone else's temporary: keep it across */
		slot = gen_spill_slot(g, 8);
		gen_emit(g, OBJFMT_OP_STXDW, REG_FP, 0, (int16_t)slot, 0);
		g->busy[0] = false;
		saved = true;
	}
	gen_expr_into(g, expected, 0, false);
	gen_emit(g, wide ? OBJFMT_OP_ATOMIC64_CMPXCHG : OBJFMT_OP_ATOMIC32_CMPXCHG, p.reg, des.reg,
		 p.off, 0);
	gen_release(g, des);
	gen_release_place(g, p);
	if (!saved) {
		g->busy[0] = true;
		return (struct val){ 0, true };
	}
	g->busy[0] = true;
	r = (struct val){ gen_alloc_reg(g), true };
	gen_emit(g, OBJFMT_OP_MOV64_REG, r.reg, 0, 0, 0);
	gen_emit(g, OBJFMT_OP_LDXDW, 0, REG_FP, (int16_t)slot, 0);
	gen_free_spill(g, 8);
	return r;
}

static struct val gen_atomic(struct gen *g, struct cc_node *n, bool discard)
{
	static const enum objfmt_op ops[][2][2] = {
		/* [op][64?][fetch?] */
		{ { OBJFMT_OP_ATOMIC32_ADD, OBJFMT_OP_ATOMIC32_FETCH_ADD },
		  { OBJFMT_OP_ATOMIC64_ADD, OBJFMT_OP_ATOMIC64_FETCH_ADD } },
		{ { OBJFMT_OP_ATOMIC32_OR, OBJFMT_OP_ATOMIC32_FETCH_OR },
		  { OBJFMT_OP_ATOMIC64_OR, OBJFMT_OP_ATOMIC64_FETCH_OR } },
		{ { OBJFMT_OP_ATOMIC32_AND, OBJFMT_OP_ATOMIC32_FETCH_AND },
		  { OBJFMT_OP_ATOMIC64_AND, OBJFMT_OP_ATOMIC64_FETCH_AND } },
		{ { OBJFMT_OP_ATOMIC32_XOR, OBJFMT_OP_ATOMIC32_FETCH_XOR },
		  { OBJFMT_OP_ATOMIC64_XOR, OBJFMT_OP_ATOMIC64_FETCH_XOR } },
		{ { OBJFMT_OP_ATOMIC32_XCHG, OBJFMT_OP_ATOMIC32_XCHG },
		  { OBJFMT_OP_ATOMIC64_XCHG, OBJFMT_OP_ATOMIC64_XCHG } },
	};
	int64_t size = cc_type_size(n->type);
	int align, which = n->builtin - BI_FETCH_ADD;
	struct place p;
	struct val v;

	if (size != 4 && size != 8)
		return gen_fail(g, n->loc, "atomic operation on a %lld-byte object is not supported",
				(long long)size), (struct val){ 0, false };
	if (n->builtin == BI_CMPXCHG)
		return gen_cmpxchg(g, n, size == 8);
	v = gen_own(g, gen_expr(g, n->args->next));
	p = pointer_place(g, n->args, &align);
	gen_emit(g, ops[which][size == 8][!discard], p.reg, v.reg, p.off, 0);
	gen_release_place(g, p);
	return v;
}

/* memcmp of `size` constant bytes: byte by byte, the first difference (as unsigned
 * chars) is the result, 0 when all are equal. */
static struct val gen_memcmp(struct gen *g, struct cc_node *a, struct cc_node *b, int64_t size)
{
	int align, done = gen_new_label(g);
	struct place pa = pointer_place(g, a, &align), pb = pointer_place(g, b, &align);
	struct val r = { gen_alloc_reg(g), true };
	int tmp = gen_alloc_reg(g);

	if (!size)
		gen_emit(g, OBJFMT_OP_MOV32_IMM, r.reg, 0, 0, 0);
	for (int64_t i = 0; i < size; i++) {
		gen_emit(g, OBJFMT_OP_LDXB, r.reg, pa.reg, pa.off + (int32_t)i, 0);
		gen_emit(g, OBJFMT_OP_LDXB, tmp, pb.reg, pb.off + (int32_t)i, 0);
		gen_emit(g, OBJFMT_OP_SUB32_REG, r.reg, tmp, 0, 0);
		if (i + 1 < size)
			gen_jump(g, OBJFMT_OP_JNE32_IMM, r.reg, 0, 0, done);
	}
	gen_place_label(g, done);
	g->busy[tmp] = false;
	gen_release_place(g, pa);
	gen_release_place(g, pb);
	return r;
}

static struct val gen_memory_builtin(struct gen *g, struct cc_node *n)
{
	struct cc_node *dst = n->args, *second = dst ? dst->next : NULL;
	struct cc_node *len = second ? second->next : NULL;
	int64_t size = 0, fill = 0;
	int dalign, salign;
	struct place d, s;

	if (!len || !cc_const_eval(g->u, len, &size) || size < 0 || size > STACK_LIMIT)
		return gen_fail(g, n->loc, "%s needs a constant size of at most %d bytes",
				n->builtin == BI_MEMSET ? "__builtin_memset" : n->builtin == BI_MEMCMP
				? "__builtin_memcmp" : "__builtin_memcpy", STACK_LIMIT),
		       (struct val){ 0, false };
	if (n->builtin == BI_MEMCMP)
		return gen_memcmp(g, dst, second, size);
	if (n->builtin == BI_MEMSET) {
		if (!cc_const_eval(g->u, second, &fill))
			return gen_fail(g, n->loc, "__builtin_memset needs a constant fill byte"),
			       (struct val){ 0, false };
		d = pointer_place(g, dst, &dalign);
		if ((fill & 0xff) == 0)
			gen_zero_memory(g, d, size, dalign > 8 ? 8 : dalign);
		else
			gen_fill_memory(g, d, size, dalign > 8 ? 8 : dalign, (uint8_t)fill);
		gen_release_place(g, d);
		return (struct val){ 0, false };
	}
	s = pointer_place(g, second, &salign);
	d = pointer_place(g, dst, &dalign);
	gen_copy_memory(g, d, s, size, (dalign < salign ? dalign : salign) > 8 ? 8
				: (dalign < salign ? dalign : salign));
	gen_release_place(g, s);
	gen_release_place(g, d);
	return (struct val){ 0, false };
}

static struct val gen_builtin(struct gen *g, struct cc_node *n, bool discard)
{
	struct val v;

	switch (n->builtin) {
	case BI_CONSTANT_P: {
		int64_t known;

		return load_constant(g, gen_inline_constant(g, n, &known) && known, false);
	}
	case BI_FIELD_INFO:
	case BI_TYPE_INFO:
	case BI_ENUM_VALUE:
	case BI_BTF_TYPE_ID:
		return gen_core_builtin(g, n);
	case BI_BSWAP16:
	case BI_BSWAP32:
	case BI_BSWAP64:
		v = gen_own(g, gen_expr(g, n->args));
		gen_emit(g, n->builtin == BI_BSWAP16 ? OBJFMT_OP_BE16 : n->builtin == BI_BSWAP32
			 ? OBJFMT_OP_BE32 : OBJFMT_OP_BE64, v.reg, 0, 0, 0);
		return v;
	case BI_UNREACHABLE:
		return (struct val){ 0, false };
	case BI_TRAP:
		gen_fail(g, n->loc, "__builtin_trap is not supported");
		return (struct val){ 0, false };
	case BI_MEMCMP:
		return gen_memory_builtin(g, n);
	case BI_MEMCPY:
	case BI_MEMMOVE:
	case BI_MEMSET:
		if (!discard)
			return gen_fail(g, n->loc, "the value of a memory builtin is not supported"),
			       (struct val){ 0, false };
		return gen_memory_builtin(g, n);
	default:
		return gen_atomic(g, n, discard);
	}
}

/* ---- loads of constant data ---- */

static bool never_volatile(struct cc_type *t)
{
	for (; t; t = t->kind == TY_ARRAY ? cc_type_base(t) : NULL) {
		if (t->is_volatile)
			return false;
		for (struct cc_type *o = t; o; o = o->origin)
			if (o->is_volatile)
				return false;
	}
	return true;
}

static bool read_only(struct cc_type *t)
{
	while (t->kind == TY_ARRAY && !t->is_const)
		t = cc_type_base(t);
	return t->is_const;
}

/* A load from a const (not volatile) global at a constant offset reads its initializer:
 * the value is known at compile time, as clang folds it. `const volatile` data (set by
 * the loader before the program runs) is always loaded. */
static bool constant_load(struct gen *g, struct cc_node *n, int64_t *value)
{
	struct cc_var *var;
	int64_t off, size = cc_type_size(n->type), v;

	if (!cc_type_is_integer(n->type) || n->type->is_volatile ||
	    !cc_const_lvalue(g->u, n, &var, &off))
		return false;
	if (var->is_function || var->is_extern || !var->is_definition || !read_only(var->type) ||
	    !never_volatile(var->type) || (var->attrs.section && strncmp(var->attrs.section, ".rodata", 7)) ||
	    off < 0 || off + size > cc_type_size(var->type))
		return false;
	*value = 0;
	for (struct cc_node *l = var->init ? var->init->args : NULL; l; l = l->next) {
		int64_t lo = (int64_t)l->designator_offset, lsize = cc_type_size(l->type);

		if (lo + lsize <= off || lo >= off + size)
			continue; /* does not overlap the bytes read */
		if (lo != off || lsize != size || l->init_bitfield || !cc_const_eval(g->u, l, &v))
			return false;
		*value = v;
	}
	return true;
}

/* cc_const_eval's hook for loads, installed while a function is generated. */
bool gen_fold_load(struct cc_unit *u, struct cc_node *n, int64_t *value);
bool gen_fold_load(struct cc_unit *u, struct cc_node *n, int64_t *value)
{
	return u->folding && constant_load(u->folding, n, value);
}

/* Expressions that fold to a constant once constant data is known. */
static bool foldable(struct gen *g, struct cc_node *n, int64_t *value)
{
	if (g->u->opts->optimize <= 0 || !cc_type_is_integer(n->type))
		return false;
	switch (n->kind) {
	case ND_ADD: case ND_SUB: case ND_MUL: case ND_DIV: case ND_MOD: case ND_BITAND:
	case ND_BITOR: case ND_BITXOR: case ND_SHL: case ND_SHR: case ND_EQ: case ND_NE:
	case ND_LT: case ND_LE: case ND_GT: case ND_GE: case ND_LOGAND: case ND_LOGOR:
	case ND_NOT: case ND_NEG: case ND_BITNOT: case ND_CAST: case ND_COND:
		return cc_const_eval(g->u, n, value);
	default:
		return false;
	}
}

/* The type whose conversion rules `n`'s value follows: a widening that keeps every
 * value ((int)u16, (long)(int)s8) adds nothing, so (long)(int)u16 needs no sign
 * extension and `data + off` stays one add clang-like (and for ir_cse.c to share). */
static struct cc_type *converted_type(struct cc_node *n)
{
	while (n->kind == ND_CAST && cc_type_is_integer(n->type) &&
	       cc_type_is_integer(n->lhs->type) && n->lhs->type->kind != TY_BOOL &&
	       n->type->kind != TY_BOOL) {
		struct cc_type *inner = n->lhs->type;
		int64_t from = cc_type_size(inner), to = cc_type_size(n->type);

		if (!(from < to && (cc_type_is_unsigned(inner) || !cc_type_is_unsigned(n->type))) &&
		    !(from == to && cc_type_is_unsigned(inner) == cc_type_is_unsigned(n->type)))
			break;
		n = n->lhs;
	}
	return n->type;
}

/* ---- dispatcher ---- */

static struct val gen_value(struct gen *g, struct cc_node *n, bool discard)
{
	struct val v;
	int64_t known;

	if (foldable(g, n, &known))
		return load_constant(g, known, is64(n->type));
	switch (n->kind) {
	case ND_NUM:
		return load_constant(g, n->value, is64(n->type));
	case ND_VAR:
		if (n->var->is_local && n->var->reg >= 0)
			return (struct val){ n->var->reg, false };
		/* fallthrough */
	case ND_MEMBER:
	case ND_DEREF: {
		int64_t known;

		if (cc_type_is_aggregate(n->type) || n->type->kind == TY_FUNC)
			return gen_fail(g, n->loc, "aggregate value of type '%s' used as a scalar",
					cc_type_describe(g->u, n->type)), (struct val){ 0, false };
		if (g->u->opts->optimize > 0 && constant_load(g, n, &known))
			return load_constant(g, known, is64(n->type));
		return gen_load(g, gen_place_core(g, n), n->type);
	}
	case ND_ADDR:
		return address_of(g, n);
	case ND_CAST:
		v = gen_expr(g, n->lhs);
		return convert(g, v, converted_type(n->lhs), n->type);
	case ND_ADD: case ND_SUB: case ND_MUL: case ND_DIV: case ND_MOD: case ND_BITAND:
	case ND_BITOR: case ND_BITXOR: case ND_SHL: case ND_SHR:
		return gen_binary(g, n);
	case ND_EQ: case ND_NE: case ND_LT: case ND_LE: case ND_GT: case ND_GE:
	case ND_LOGAND: case ND_LOGOR: case ND_NOT:
		return condition_value(g, n);
	case ND_NEG:
		v = gen_own(g, gen_expr(g, n->lhs));
		gen_emit(g, is64(n->type) ? OBJFMT_OP_NEG64 : OBJFMT_OP_NEG32, v.reg, 0, 0, 0);
		return v;
	case ND_BITNOT:
		v = gen_own(g, gen_expr(g, n->lhs));
		gen_emit(g, is64(n->type) ? OBJFMT_OP_XOR64_IMM : OBJFMT_OP_XOR32_IMM, v.reg, 0, 0, -1);
		return v;
	case ND_COND:
		if (n->type->kind == TY_VOID) {
			int other = gen_new_label(g), done = gen_new_label(g);

			gen_branch(g, n->cond, other, false);
			gen_discard(g, n->lhs);
			gen_jump(g, OBJFMT_OP_JA, 0, 0, 0, done);
			gen_place_label(g, other);
			gen_discard(g, n->rhs);
			gen_place_label(g, done);
			return (struct val){ 0, false };
		}
		return gen_conditional(g, n);
	case ND_COMMA:
		gen_discard(g, n->lhs);
		return gen_value(g, n->rhs, discard);
	case ND_ASSIGN:
		return gen_assign(g, n);
	case ND_ASSIGN_OP:
	case ND_PREINC:
		return gen_update(g, n, false);
	case ND_POSTINC:
		return gen_update(g, n, !discard);
	case ND_LOADED:
		if (g->loaded_transfer) { /* first use takes the register over */
			g->loaded_transfer = false;
			return (struct val){ g->loaded.reg, true };
		}
		return (struct val){ g->loaded.reg, false };
	case ND_CALL:
		return gen_call(g, n);
	case ND_STMT_EXPR: {
		struct cc_node *s = n->body;

		for (; s && s->next; s = s->next)
			gen_statement(g, s);
		if (s && s->kind == ND_EXPR_STMT)
			return gen_value(g, s->lhs, discard);
		if (s)
			gen_statement(g, s);
		return (struct val){ 0, false };
	}
	case ND_BUILTIN:
		return gen_builtin(g, n, discard);
	default:
		gen_fail(g, n->loc, "internal error: unexpected expression kind %d", n->kind);
		return (struct val){ 0, false };
	}
}

struct val gen_expr(struct gen *g, struct cc_node *n)
{
	return gen_value(g, n, false);
}

void gen_discard(struct gen *g, struct cc_node *n)
{
	gen_release(g, gen_value(g, n, true));
}

void gen_value_into(struct gen *g, struct cc_node *n, int reg, bool initializing)
{
	gen_expr_into(g, n, reg, initializing);
}
