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

	for (struct cc_member *m = cc_type_root(t)->members; m; m = m->next, i++) {
		enum cc_type_kind k = cc_type_kind(m->type);

		snprintf(buf + len, size - len, ":%u", i);
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

		if (n->lhs->kind != ND_DEREF || n->lhs->core || size <= 0 || p->off % size)
			return false;
		snprintf(start, sizeof(start), "%lld", (long long)(p->off / size));
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
