/* codegen_mem.c - memory side of code generation: lvalue places (register variables,
 * stack slots off r10, globals through ld_imm64 relocations, pointer + constant
 * offsets kept as the instruction's offset so ctx and packet accesses keep their base
 * register), sized and sign-correct loads and stores, bitfields, block copy and zero
 * fill, and local initializers. */
#include <config.h>

#include <string.h>

#include "codegen_int.h"

int gen_size_bits(int64_t size)
{
	return size == 1 ? 8 : size == 2 ? 16 : size == 4 ? 32 : 64;
}

static enum objfmt_op ldx_op(int64_t size)
{
	return size == 1 ? OBJFMT_OP_LDXB : size == 2 ? OBJFMT_OP_LDXH
	       : size == 4 ? OBJFMT_OP_LDXW : OBJFMT_OP_LDXDW;
}

static enum objfmt_op stx_op(int64_t size)
{
	return size == 1 ? OBJFMT_OP_STXB : size == 2 ? OBJFMT_OP_STXH
	       : size == 4 ? OBJFMT_OP_STXW : OBJFMT_OP_STXDW;
}

static enum objfmt_op st_op(int64_t size)
{
	return size == 1 ? OBJFMT_OP_STB : size == 2 ? OBJFMT_OP_STH
	       : size == 4 ? OBJFMT_OP_STW : OBJFMT_OP_STDW;
}

static struct place memory(int reg, int32_t off, bool owned, struct cc_type *type)
{
	struct place p = { 0 };

	p.reg = reg;
	p.off = off;
	p.base_owned = owned;
	p.type = type;
	return p;
}

/* ld_imm64 of a global's address (relocated by the emitter). */
static struct place global_place(struct gen *g, struct cc_var *var, struct cc_type *type)
{
	int r = gen_alloc_reg(g);
	size_t at = gen_emit(g, OBJFMT_OP_LDDW, r, 0, 0, 0);

	var->referenced = true;
	gen_add_reloc(g, at, GEN_RELOC_DATA, var, 0);
	return memory(r, 0, true, type);
}

static struct place var_place(struct gen *g, struct cc_node *n)
{
	struct cc_var *v = n->var;
	struct place p = { 0 };

	if (v->is_function) {
		gen_fail(g, n->loc, "taking the address of function '%s' is not supported",
			 v->name);
		return memory(REG_FP, 0, false, n->type);
	}
	if (!v->is_local)
		return global_place(g, v, n->type);
	if (v->reg >= 0) {
		p.in_reg = true;
		p.reg = v->reg;
		p.type = n->type;
		return p;
	}
	p = memory(REG_FP, v->stack_offset, false, n->type);
	p.slot = gen_register_candidate(g, v);
	return p;
}

/* arr[k] on a CO-RE array member: the index joins the access chain. */
static struct place array_element(struct gen *g, struct cc_node *n)
{
	struct cc_node *a = n->lhs, *array = NULL;
	int64_t off = 0;
	struct place p;

	if (a->kind == ND_ADD && a->rhs->kind == ND_NUM && a->lhs->kind == ND_ADDR) {
		array = a->lhs->lhs;
		off = a->rhs->value;
	} else if (a->kind == ND_ADDR) {
		array = a->lhs;
	}
	if (!array || off > 30000 || off < -30000) {
		struct val v = gen_expr(g, a);

		return memory(v.reg, 0, v.owned, n->type);
	}
	p = gen_place_core(g, array);
	if (!gen_core_index(g, &p, off, cc_type_size(n->type)))
		gen_core_settle(g, &p);
	p.off += (int32_t)off;
	p.type = n->type;
	return p;
}

struct place gen_place_core(struct gen *g, struct cc_node *n)
{
	struct place p;

	switch (n->kind) {
	case ND_VAR:
		return var_place(g, n);
	case ND_DEREF: {
		struct cc_node *a = n->lhs;
		struct val base;
		int64_t off = 0;

		if (n->core)
			return array_element(g, n);
		for (;;) { /* p + k + ..., &*p, (T *)p: constants go to the offset */
			if (a->kind == ND_CAST && a->type->kind == TY_PTR &&
			    a->lhs->type->kind == TY_PTR) {
				a = a->lhs;
			} else if (a->kind == ND_ADD && a->rhs->kind == ND_NUM &&
			    a->lhs->type->kind == TY_PTR && off + a->rhs->value > -30000 &&
			    off + a->rhs->value < 30000) {
				off += a->rhs->value;
				a = a->lhs;
			} else if (a->kind == ND_ADDR && a->lhs->kind == ND_DEREF && !a->lhs->core) {
				a = a->lhs->lhs;
			} else {
				break;
			}
		}
		if (a->kind == ND_ADDR && !a->lhs->core &&
		    (a->lhs->kind == ND_MEMBER ||
		     (a->lhs->kind == ND_VAR && !a->lhs->var->is_function))) {
			/* s->arr[k], arr[k]: one offset from the object's own base, so that
			 * ctx->cb[1] stays a load from the unmodified ctx register */
			p = gen_place(g, a->lhs);
			if (p.off + off >= INT16_MIN && p.off + off <= INT16_MAX) {
				p.off += (int32_t)off;
				p.type = n->type;
				p.bitfield = NULL;
				p.slot = false;
				return p;
			}
			base = gen_own(g, (struct val){ .reg = p.reg, .owned = p.base_owned });
			gen_emit(g, OBJFMT_OP_ADD64_IMM, base.reg, 0, 0, p.off + off);
			return memory(base.reg, 0, true, n->type);
		}
		base = gen_expr(g, a);
		return memory(base.reg, (int32_t)off, base.owned, n->type);
	}
	case ND_MEMBER:
		p = gen_place_core(g, n->lhs);
		if (p.in_reg) {
			gen_fail(g, n->loc, "internal error: member of a register value");
			return p;
		}
		if (!n->core || !gen_core_member(g, n, &p))
			gen_core_settle(g, &p);
		p.off += (int32_t)n->value;
		p.bitfield = n->member->is_bitfield ? n->member : NULL;
		p.type = n->type;
		if (!p.core_access && (p.off > INT16_MAX || p.off < INT16_MIN))
			gen_fail(g, n->loc, "member offset %d does not fit an instruction offset",
				 p.off);
		return p;
	case ND_STMT_EXPR: {
		struct cc_node *s = n->body;

		for (; s && s->next; s = s->next)
			gen_statement(g, s);
		if (s && s->kind == ND_EXPR_STMT)
			return gen_place_core(g, s->lhs);
		break;
	}
	case ND_COMMA:
		gen_discard(g, n->lhs);
		return gen_place_core(g, n->rhs);
	case ND_ASSIGN:
		if (cc_type_is_aggregate(n->type)) {
			gen_discard(g, n);
			return gen_place(g, n->lhs);
		}
		break;
	default:
		break;
	}
	gen_fail(g, n->loc, "%s of type '%s' as an object in memory is not supported",
		 n->kind == ND_CALL ? "a call result" : "this expression",
		 cc_type_describe(g->u, n->type));
	return memory(REG_FP, 0, false, n->type);
}

/* A place whose CO-RE chain, if any, is settled into its base register. */
struct place gen_place(struct gen *g, struct cc_node *n)
{
	struct place p = gen_place_core(g, n);

	gen_core_settle(g, &p);
	return p;
}

void gen_release_place(struct gen *g, struct place p)
{
	if (!p.in_reg && p.base_owned)
		g->busy[p.reg] = false;
}

/* Sign- or zero-normalise a freshly loaded small value to the register convention:
 * types narrower than 32 bits hold their value extended to 32 bits, upper half zero. */
static void normalize_small(struct gen *g, int reg, struct cc_type *type)
{
	int64_t size = cc_type_size(type);

	if (size >= 4 || cc_type_is_unsigned(type) || type->kind == TY_BOOL)
		return;
	gen_emit(g, OBJFMT_OP_LSH32_IMM, reg, 0, 0, 32 - 8 * size);
	gen_emit(g, OBJFMT_OP_ARSH32_IMM, reg, 0, 0, 32 - 8 * size);
}

static struct val load_bitfield(struct gen *g, struct place p, struct cc_member *m)
{
	int64_t size = cc_type_size(m->type);
	struct val v = { p.base_owned ? p.reg : gen_alloc_reg(g), true };
	bool is64 = size == 8;
	unsigned total = (unsigned)size * 8;

	gen_emit(g, ldx_op(size), v.reg, p.reg, p.off, 0);
	if (cc_type_is_unsigned(m->type)) {
		if (m->bit_offset)
			gen_emit(g, is64 ? OBJFMT_OP_RSH64_IMM : OBJFMT_OP_RSH32_IMM, v.reg, 0, 0,
				 m->bit_offset);
		if (m->bit_width < total) {
			if (m->bit_width < 32)
				gen_emit(g, is64 ? OBJFMT_OP_AND64_IMM : OBJFMT_OP_AND32_IMM, v.reg, 0,
					 0, (int32_t)((1u << m->bit_width) - 1));
			else {
				gen_emit(g, OBJFMT_OP_LSH64_IMM, v.reg, 0, 0, 64 - m->bit_offset -
					 m->bit_width);
				gen_emit(g, OBJFMT_OP_RSH64_IMM, v.reg, 0, 0, 64 - m->bit_width);
			}
		}
	} else {
		unsigned width = is64 ? 64 : 32;

		gen_emit(g, is64 ? OBJFMT_OP_LSH64_IMM : OBJFMT_OP_LSH32_IMM, v.reg, 0, 0,
			 width - m->bit_offset - m->bit_width);
		gen_emit(g, is64 ? OBJFMT_OP_ARSH64_IMM : OBJFMT_OP_ARSH32_IMM, v.reg, 0, 0,
			 width - m->bit_width);
	}
	return v;
}

struct val gen_load(struct gen *g, struct place p, struct cc_type *type)
{
	int64_t size = cc_type_size(type);
	struct val v;
	size_t at;

	if (p.in_reg)
		return (struct val){ p.reg, false };
	if (p.bitfield || p.off > INT16_MAX || p.off < INT16_MIN) /* mov of the offset */
		gen_core_settle(g, &p);
	if (p.bitfield)
		return load_bitfield(g, p, p.bitfield);
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		gen_fail(g, type->loc, "loading a value of type '%s' (%lld bytes) is not supported",
			 cc_type_describe(g->u, type), (long long)size);
		return (struct val){ 0, false };
	}
	v.reg = p.base_owned ? p.reg : gen_alloc_reg(g);
	v.owned = true;
	at = gen_emit(g, ldx_op(size), v.reg, p.reg, p.off, 0);
	gen_core_record(g, p, at);
	if (p.slot && !p.core_access)
		gen_mark_slot_access(g, at);
	normalize_small(g, v.reg, type);
	return v;
}

/* A struct or union passed by value in one register, as clang's BPF ABI passes those
 * of 1, 2, 4 or 8 bytes: its bytes, loaded as an integer. */
struct val gen_load_record(struct gen *g, struct cc_node *n)
{
	int64_t size = cc_type_size(n->type);
	struct place p;
	struct val v;

	if (size != 1 && size != 2 && size != 4 && size != 8) {
		gen_fail(g, n->loc, "passing '%s' (%lld bytes) by value is not supported; pass a "
			 "pointer", cc_type_describe(g->u, n->type), (long long)size);
		return (struct val){ 0, false };
	}
	p = gen_place(g, n);
	v.reg = p.base_owned ? p.reg : gen_alloc_reg(g);
	v.owned = true;
	gen_emit(g, ldx_op(size), v.reg, p.reg, p.off, 0);
	return v;
}

static void store_bitfield(struct gen *g, struct place p, struct cc_member *m, struct val v)
{
	int64_t size = cc_type_size(m->type);
	bool is64 = size == 8;
	uint64_t mask = (m->bit_width >= 64 ? ~0ull : ((1ull << m->bit_width) - 1)) << m->bit_offset;
	int word = gen_alloc_reg(g), bits = gen_alloc_reg(g);

	gen_emit(g, ldx_op(size), word, p.reg, p.off, 0);
	if (is64 && (int64_t)~mask != (int32_t)~mask) {
		gen_emit(g, OBJFMT_OP_LDDW, bits, 0, 0, (int64_t)~mask);
		gen_emit(g, OBJFMT_OP_AND64_REG, word, bits, 0, 0);
	} else {
		gen_emit(g, is64 ? OBJFMT_OP_AND64_IMM : OBJFMT_OP_AND32_IMM, word, 0, 0,
			 (int32_t)~mask);
	}
	gen_emit(g, OBJFMT_OP_MOV64_REG, bits, v.reg, 0, 0);
	if (m->bit_width < 32) {
		gen_emit(g, OBJFMT_OP_AND64_IMM, bits, 0, 0, (int32_t)((1u << m->bit_width) - 1));
	} else if (m->bit_width < 64) {
		gen_emit(g, OBJFMT_OP_LSH64_IMM, bits, 0, 0, 64 - m->bit_width);
		gen_emit(g, OBJFMT_OP_RSH64_IMM, bits, 0, 0, 64 - m->bit_width);
	}
	if (m->bit_offset)
		gen_emit(g, OBJFMT_OP_LSH64_IMM, bits, 0, 0, m->bit_offset);
	gen_emit(g, OBJFMT_OP_OR64_REG, word, bits, 0, 0);
	gen_emit(g, stx_op(size), p.reg, word, p.off, 0);
	g->busy[word] = g->busy[bits] = false;
}

void gen_store(struct gen *g, struct place p, struct cc_type *type, struct val v)
{
	int64_t size = cc_type_size(type);

	if (p.in_reg) {
		if (p.reg != v.reg)
			gen_emit(g, OBJFMT_OP_MOV64_REG, p.reg, v.reg, 0, 0);
		return;
	}
	if (p.core_access && !p.bitfield && (p.off > INT16_MAX || p.off < INT16_MIN)) {
		bool owned = p.base_owned;

		gen_core_settle(g, &p);
		gen_emit(g, stx_op(size), p.reg, v.reg, p.off, 0);
		if (!owned) /* the settled base is ours alone */
			g->busy[p.reg] = false;
		return;
	}
	if (p.bitfield) {
		bool owned = p.base_owned;

		gen_core_settle(g, &p);
		store_bitfield(g, p, p.bitfield, v);
		if (!owned && p.base_owned) /* the settled base is ours alone */
			g->busy[p.reg] = false;
		return;
	}
	size_t at = gen_emit(g, stx_op(size), p.reg, v.reg, p.off, 0);

	gen_core_record(g, p, at);
	if (p.slot && !p.core_access)
		gen_mark_slot_access(g, at);
}

/* Store constant `value` of `size` bytes (ST imm on the stack, a register elsewhere). */
static void store_constant(struct gen *g, struct place p, int64_t size, int64_t value)
{
	if (p.reg == REG_FP && (size < 8 || (value >= INT32_MIN && value <= INT32_MAX))) {
		size_t at = gen_emit(g, st_op(size), REG_FP, 0, p.off, (int32_t)value);

		if (p.slot)
			gen_mark_slot_access(g, at);
		return;
	}
	int r = gen_alloc_reg(g);

	gen_emit(g, (value >= INT32_MIN && value <= INT32_MAX) ? OBJFMT_OP_MOV64_IMM
								: OBJFMT_OP_LDDW, r, 0, 0, value);
	size_t at = gen_emit(g, stx_op(size), p.reg, r, p.off, 0);

	if (p.slot)
		gen_mark_slot_access(g, at);
	g->busy[r] = false;
}

static int64_t chunk_size(int64_t remaining, int32_t off, int align)
{
	for (int64_t c = 8; c > 1; c /= 2)
		if (remaining >= c && c <= align && off % c == 0)
			return c;
	return 1;
}

void gen_copy_memory(struct gen *g, struct place dst, struct place src, int64_t size,
		     int align)
{
	int tmp = gen_alloc_reg(g);

	for (int64_t pos = 0; pos < size;) {
		int64_t c = chunk_size(size - pos, dst.off + (int32_t)pos, align);

		c = chunk_size(c, src.off + (int32_t)pos, (int)c);
		gen_emit(g, ldx_op(c), tmp, src.reg, src.off + (int32_t)pos, 0);
		gen_emit(g, stx_op(c), dst.reg, tmp, dst.off + (int32_t)pos, 0);
		pos += c;
	}
	g->busy[tmp] = false;
}

void gen_zero_memory(struct gen *g, struct place dst, int64_t size, int align)
{
	int zero = -1;

	for (int64_t pos = 0; pos < size;) {
		int64_t c = chunk_size(size - pos, dst.off + (int32_t)pos, align);

		if (dst.reg == REG_FP) {
			gen_emit(g, st_op(c), REG_FP, 0, dst.off + (int32_t)pos, 0);
		} else {
			if (zero < 0) {
				zero = gen_alloc_reg(g);
				gen_emit(g, OBJFMT_OP_MOV64_IMM, zero, 0, 0, 0);
			}
			gen_emit(g, stx_op(c), dst.reg, zero, dst.off + (int32_t)pos, 0);
		}
		pos += c;
	}
	if (zero >= 0)
		g->busy[zero] = false;
}

/* Fill with a non-zero byte: the pattern in a register, stored in the widest chunks. */
void gen_fill_memory(struct gen *g, struct place dst, int64_t size, int align, uint8_t byte)
{
	int pattern = gen_alloc_reg(g);

	gen_emit(g, OBJFMT_OP_LDDW, pattern, 0, 0, (int64_t)(0x0101010101010101ull * byte));
	for (int64_t pos = 0; pos < size;) {
		int64_t c = chunk_size(size - pos, dst.off + (int32_t)pos, align);

		gen_emit(g, stx_op(c), dst.reg, pattern, dst.off + (int32_t)pos, 0);
		pos += c;
	}
	g->busy[pattern] = false;
}

/* Store one initializer leaf at `base` + its offset. */
static void init_leaf(struct gen *g, struct place base, struct cc_node *leaf)
{
	struct place p = base;
	int64_t size = cc_type_size(leaf->type);

	p.off += (int32_t)leaf->designator_offset;
	p.bitfield = leaf->init_bitfield;
	if (cc_type_is_aggregate(leaf->type)) {
		struct place src = gen_place(g, leaf);

		gen_copy_memory(g, p, src, size, cc_type_align(leaf->type));
		gen_release_place(g, src);
		return;
	}
	if (leaf->kind == ND_NUM && !p.bitfield) {
		store_constant(g, p, size, leaf->value);
		return;
	}
	struct val v = gen_expr(g, leaf);

	gen_store(g, p, leaf->type, v);
	gen_release(g, v);
}

/* Zero the bytes no leaf writes, then store the leaves (locals live on the stack or
 * in a register; the verifier needs every byte of a stack object initialised before a
 * helper reads it, padding included). */
void gen_init_local(struct gen *g, struct cc_var *var, struct cc_node *init)
{
	int64_t size = cc_type_size(var->type);
	struct place base = { 0 };
	unsigned char covered[STACK_LIMIT] = { 0 };

	if (var->reg >= 0) {
		gen_value_into(g, init->args, var->reg, true);
		return;
	}
	base.reg = REG_FP;
	base.off = var->stack_offset;
	base.slot = gen_register_candidate(g, var);
	if (cc_type_is_aggregate(var->type) && size <= STACK_LIMIT) {
		for (struct cc_node *l = init->args; l; l = l->next) {
			int64_t lsize = cc_type_size(l->type);

			if (l->init_bitfield)
				continue;
			for (int64_t i = 0; i < lsize && l->designator_offset + (uint64_t)i <
			     (uint64_t)size; i++)
				covered[l->designator_offset + (uint64_t)i] = 1;
		}
		for (int64_t pos = 0; pos < size;) {
			int64_t end = pos;

			if (covered[pos]) {
				pos++;
				continue;
			}
			while (end < size && !covered[end])
				end++;
			struct place gap = base;

			gap.off += (int32_t)pos;
			gen_zero_memory(g, gap, end - pos, 8);
			pos = end;
		}
	}
	for (struct cc_node *l = init->args; l; l = l->next)
		init_leaf(g, base, l);
}
