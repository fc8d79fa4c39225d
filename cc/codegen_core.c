/* codegen_core.c - CO-RE field accesses: a chain of member and array accesses through
 * preserve_access_index records keeps its byte offset relocatable, described by an
 * access string ("0:1:2") over the root type, and recorded on the instruction that
 * carries the offset (the load or store, or a mov when the address is needed). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "codegen_int.h"

/* The type a record names, as clang does: inside the builtin the type as written
 * (typedefs kept) without const/volatile, else the record itself. */
struct cc_type *gen_core_root_type(struct cc_type *t, bool keep_typedef)
{
	while (t->step != STEP_NONE && t->origin &&
	       (!keep_typedef || t->step != STEP_TYPEDEF))
		t = t->origin;
	return t;
}

/* Append ":i" for the member path to `target` in `t`, through anonymous members. */
static bool member_path(struct cc_type *t, struct cc_member *target, char *buf, size_t size)
{
	size_t len = strlen(buf);
	unsigned i = 0;

	for (struct cc_member *m = cc_type_root(t)->members; m; m = m->next) {
		enum cc_type_kind k = cc_type_kind(m->type);

		if (m->is_bitfield && !m->name)
			continue; /* padding: not a member in BTF */
		snprintf(buf + len, size - len, ":%u", i++);
		if (m == target)
			return true;
		if (!m->name && (k == TY_STRUCT || k == TY_UNION) &&
		    member_path(m->type, target, buf, size))
			return true;
		buf[len] = '\0';
	}
	return false;
}

static const char *extend(struct gen *g, const char *access, const char *suffix)
{
	size_t a = strlen(access), b = strlen(suffix);
	char *s = cc_alloc(g->u->arena, a + b + 1);

	if (!s)
		return access;
	memcpy(s, access, a);
	memcpy(s + a, suffix, b + 1);
	return s;
}

/* Member `n` (a core ND_MEMBER) of place `p`: continue the chain or start one when the
 * base is a dereferenced pointer (p->x, p[k].x). Returns false when it cannot. */
bool gen_core_member(struct gen *g, struct cc_node *n, struct place *p)
{
	char path[256] = "";
	struct cc_type *base = n->lhs->type;

	if (!member_path(base, n->member, path, sizeof(path)))
		return false;
	if (!p->core_access) {
		int64_t size = cc_type_size(base);
		char start[32];

		/* a dereferenced pointer, or an element at a variable index (a[i].x) */
		if (n->lhs->kind != ND_DEREF || (size > 0 ? p->off % size : p->off))
			return false; /* size 0 above: struct { T x[]; } */
		snprintf(start, sizeof(start), "%lld", (long long)(size > 0 ? p->off / size : 0));
		p->core_access = start[0] == '0' && !start[1] ? "0" : extend(g, "", start);
		p->core_type = gen_core_root_type(base, n->core == CC_CORE_BUILTIN);
	}
	p->core_access = extend(g, p->core_access, path);
	return true;
}

/* Constant index `byte_off` into the core array place `p` (element size `elem`). */
bool gen_core_index(struct gen *g, struct place *p, int64_t byte_off, int64_t elem)
{
	char suffix[32];

	if (!p->core_access || elem <= 0 || byte_off % elem)
		return false;
	snprintf(suffix, sizeof(suffix), ":%lld", (long long)(byte_off / elem));
	p->core_access = extend(g, p->core_access, suffix);
	return true;
}

/* Record the chain of `p` on instruction `insn` (a load or store using p.off). */
void gen_core_record(struct gen *g, struct place p, size_t insn)
{
	if (p.core_access)
		gen_add_core(g, insn, p.core_type, p.core_access,
			     OBJFMT_CORE_FIELD_BYTE_OFFSET);
}

/* Turn a chain into a plain place: the relocated offset moved into a register (mov
 * with the record) and added to the base, as clang does for an address. */
void gen_core_settle(struct gen *g, struct place *p)
{
	int offset_reg;

	if (!p->core_access || p->in_reg)
		return;
	offset_reg = gen_alloc_reg(g);
	gen_core_record(g, *p, gen_emit(g, OBJFMT_OP_MOV64_IMM, offset_reg, 0, 0, p->off));
	if (p->base_owned) {
		gen_emit(g, OBJFMT_OP_ADD64_REG, p->reg, offset_reg, 0, 0);
		g->busy[offset_reg] = false;
	} else {
		gen_emit(g, OBJFMT_OP_ADD64_REG, offset_reg, p->reg, 0, 0);
		p->reg = offset_reg;
		p->base_owned = true;
	}
	p->off = 0;
	p->core_access = NULL;
	p->core_type = NULL;
}

/* ---- the CO-RE builtins: a constant for the local types, and its record ---- */

/* The access chain of a field expression, computed without evaluating it. */
struct core_chain {
	struct cc_type *type;   /* root type */
	const char *access;
	int64_t offset;         /* byte offset from the root */
	struct cc_member *member; /* last member (NULL for an array element) */
	struct cc_type *parent; /* the record holding `member` */
	struct cc_type *field;  /* type of the field */
};

static bool static_chain(struct gen *g, struct cc_node *n, struct core_chain *c)
{
	char path[256] = "";

	if (n->kind == ND_MEMBER) {
		struct cc_node *base = n->lhs;

		if (base->kind == ND_DEREF && !base->core) {
			int64_t size = cc_type_size(base->type), k = 0;

			if (base->lhs->kind == ND_ADD && base->lhs->rhs->kind == ND_NUM && size > 0)
				k = base->lhs->rhs->value / size;
			snprintf(path, sizeof(path), "%lld", (long long)k);
			c->type = gen_core_root_type(base->type, false); /* clang: the record */
			c->access = extend(g, "", path);
			c->offset = k * size;
		} else if (!static_chain(g, base, c)) {
			return false;
		}
		path[0] = '\0';
		if (!member_path(base->type, n->member, path, sizeof(path)))
			return false;
		c->access = extend(g, c->access, path);
		c->offset += n->value;
		c->member = n->member;
		c->parent = base->type;
		for (struct cc_member *m = cc_type_root(base->type)->members; m; m = m->next)
			if (!m->name && m != n->member && m->offset <= (uint64_t)n->value &&
			    (uint64_t)n->value - m->offset < (uint64_t)cc_type_size(m->type) &&
			    cc_type_find_member(m->type, n->member->name, &(uint64_t){ 0 }))
				c->parent = m->type; /* through an anonymous member */
		c->field = n->type;
		return true;
	}
	if (n->kind == ND_DEREF && n->core) {
		struct cc_node *a = n->lhs;
		int64_t off = a->kind == ND_ADD && a->rhs->kind == ND_NUM ? a->rhs->value : 0;
		struct cc_node *array = a->kind == ND_ADD ? a->lhs : a;
		int64_t elem = cc_type_size(n->type);

		if (array->kind != ND_ADDR || elem <= 0 || !static_chain(g, array->lhs, c))
			return false;
		snprintf(path, sizeof(path), ":%lld", (long long)(off / elem));
		c->access = extend(g, c->access, path);
		c->offset += off;
		c->member = NULL;
		c->field = n->type;
		return true;
	}
	return false;
}

static bool is_signed_field(struct cc_type *t)
{
	enum cc_type_kind k = cc_type_kind(t);

	if (k == TY_ENUM || (k >= TY_CHAR && k <= TY_INT128))
		return !cc_type_is_unsigned(t);
	return false;
}

/* Field information as clang computes it for the local type (little endian). */
static int64_t field_info(struct core_chain *c, int64_t kind)
{
	struct cc_member *m = c->member;
	int64_t size = cc_type_size(c->field);

	if (m && m->is_bitfield) {
		int64_t align = cc_type_align(c->parent), bits, start;

		if (align > 8)
			align = 8;
		bits = (int64_t)m->offset * 8 + m->bit_offset;
		start = bits & ~(align * 8 - 1);
		switch (kind) {
		case OBJFMT_CORE_FIELD_BYTE_OFFSET:
			return c->offset - (int64_t)m->offset + start / 8;
		case OBJFMT_CORE_FIELD_BYTE_SIZE: return align;
		case OBJFMT_CORE_FIELD_LSHIFT_U64: return 64 - (bits + m->bit_width - start);
		case OBJFMT_CORE_FIELD_RSHIFT_U64: return 64 - m->bit_width;
		default: break;
		}
	}
	switch (kind) {
	case OBJFMT_CORE_FIELD_BYTE_OFFSET: return c->offset;
	case OBJFMT_CORE_FIELD_BYTE_SIZE: return size;
	case OBJFMT_CORE_FIELD_EXISTS: return 1;
	case OBJFMT_CORE_FIELD_SIGNED: return is_signed_field(c->field);
	case OBJFMT_CORE_FIELD_LSHIFT_U64:
	case OBJFMT_CORE_FIELD_RSHIFT_U64: return 64 - 8 * size;
	default: return -1;
	}
}

/* The enumerator of `type` with `value` and its index in declaration order. */
static const char *enumerator_index(struct gen *g, struct cc_type *type, int64_t value)
{
	struct cc_member *m = cc_type_root(type)->members;
	int count = 0, found = -1;
	char text[16];

	for (struct cc_member *e = m; e; e = e->next, count++)
		if ((int64_t)e->offset == value && found < 0)
			found = count;
	if (found < 0)
		return NULL;
	snprintf(text, sizeof(text), "%d", found);
	return extend(g, "", text);
}

/* Value, root type and access string of a CO-RE builtin; false if malformed. */
static bool core_constant(struct gen *g, struct cc_node *n, struct gen_core *rec,
			  int64_t *value)
{
	struct cc_node *e = n->args;
	struct core_chain c = { 0 };
	int64_t v = 0;

	rec->kind = (enum objfmt_core_kind)n->value;
	rec->type = gen_core_root_type(e->type, true);
	rec->access = "0";
	switch (n->builtin) {
	case BI_FIELD_INFO:
		if (n->value > OBJFMT_CORE_FIELD_RSHIFT_U64 || !static_chain(g, e, &c))
			return false;
		rec->type = c.type;
		rec->access = c.access;
		*value = field_info(&c, n->value);
		return true;
	case BI_TYPE_INFO:
		if (n->value == 0 || n->value == 2) /* BPF_TYPE_EXISTS, BPF_TYPE_MATCHES */
			rec->kind = n->value ? OBJFMT_CORE_TYPE_MATCHES : OBJFMT_CORE_TYPE_EXISTS;
		else if (n->value == 1)
			rec->kind = OBJFMT_CORE_TYPE_SIZE;
		else
			return false;
		*value = rec->kind == OBJFMT_CORE_TYPE_SIZE ? cc_type_size(e->type) : 1;
		return true;
	case BI_ENUM_VALUE:
		if (n->value > 1 || !cc_const_eval(g->u, e->lhs, &v))
			return false;
		rec->kind = n->value ? OBJFMT_CORE_ENUMVAL_VALUE : OBJFMT_CORE_ENUMVAL_EXISTS;
		rec->access = enumerator_index(g, e->type, v);
		*value = n->value ? v : 1;
		return rec->access != NULL;
	default: /* BI_BTF_TYPE_ID: the id is known once BTF is generated (btfgen.c) */
		if (n->value > 1)
			return false;
		rec->kind = n->value ? OBJFMT_CORE_TYPE_ID_TARGET : OBJFMT_CORE_TYPE_ID_LOCAL;
		*value = 0;
		return true;
	}
}

/* A CO-RE builtin: mov (field and type information) or ld_imm64 (enum values and type
 * ids) of the local value, carrying the record. */
struct val gen_core_builtin(struct gen *g, struct cc_node *n)
{
	struct gen_core rec = { 0 };
	int64_t value = 0;
	struct val v = { gen_alloc_reg(g), true };
	bool wide = n->builtin == BI_ENUM_VALUE || n->builtin == BI_BTF_TYPE_ID;

	if (!core_constant(g, n, &rec, &value)) {
		gen_fail(g, n->loc, "unsupported CO-RE relocation (kind %lld) on this expression",
			 (long long)n->value);
		return v;
	}
	rec.insn = gen_emit(g, wide ? OBJFMT_OP_LDDW : OBJFMT_OP_MOV64_IMM, v.reg, 0, 0, value);
	gen_add_core(g, rec.insn, rec.type, rec.access, rec.kind);
	return v;
}

/* `x << info` / `x >> info` with a field-info shift amount: clang relocates the shift
 * instruction's immediate itself. Returns false when `amount` is not such a builtin. */
bool gen_core_shift(struct gen *g, struct cc_node *amount, enum objfmt_op op, int reg)
{
	struct gen_core rec = { 0 };
	int64_t value;

	while (amount->kind == ND_CAST && cc_type_is_integer(amount->type))
		amount = amount->lhs;
	if (amount->kind != ND_BUILTIN || amount->builtin != BI_FIELD_INFO ||
	    (amount->value != OBJFMT_CORE_FIELD_LSHIFT_U64 &&
	     amount->value != OBJFMT_CORE_FIELD_RSHIFT_U64) ||
	    !core_constant(g, amount, &rec, &value))
		return false;
	gen_add_core(g, gen_emit(g, op, reg, 0, 0, value), rec.type, rec.access, rec.kind);
	return true;
}
