/* types.c - C types of the BPF target (LP64, little endian, signed char): the basic
 * types, derived pointer/array/function types, typedef and qualifier copies that keep
 * their origin for BTF, struct/union layout with bitfields, packing and alignment. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cc_int.h"

#define BASIC(var, k, sz, uns) \
	struct cc_type var = { .kind = k, .size = sz, .align = sz ? sz : 1, .is_unsigned = uns, \
			       .defined = true }
BASIC(cc_type_void, TY_VOID, 0, false);
BASIC(cc_type_bool, TY_BOOL, 1, true);
BASIC(cc_type_char, TY_CHAR, 1, false);
BASIC(cc_type_schar, TY_CHAR, 1, false);
BASIC(cc_type_uchar, TY_CHAR, 1, true);
BASIC(cc_type_short, TY_SHORT, 2, false);
BASIC(cc_type_ushort, TY_SHORT, 2, true);
BASIC(cc_type_int, TY_INT, 4, false);
BASIC(cc_type_uint, TY_INT, 4, true);
BASIC(cc_type_long, TY_LONG, 8, false);
BASIC(cc_type_ulong, TY_LONG, 8, true);
BASIC(cc_type_llong, TY_LLONG, 8, false);
BASIC(cc_type_ullong, TY_LLONG, 8, true);

struct cc_type *cc_type_root(struct cc_type *t)
{
	while (t->origin)
		t = t->origin;
	return t;
}

struct cc_type *cc_type_new(struct cc_unit *u, enum cc_type_kind kind, int64_t size, int align)
{
	struct cc_type *t = cc_alloc(u->arena, sizeof(*t));

	if (!t)
		return NULL;
	t->kind = kind;
	t->size = size;
	t->align = align;
	t->array_len = -1;
	return t;
}

struct cc_type *cc_type_pointer(struct cc_unit *u, struct cc_type *base)
{
	struct cc_type *t = cc_type_new(u, TY_PTR, 8, 8);

	if (t) {
		t->base = base;
		t->is_unsigned = true;
		t->defined = true;
	}
	return t;
}

struct cc_type *cc_type_array(struct cc_unit *u, struct cc_type *base, int64_t len)
{
	int64_t elem = cc_type_size(base);
	struct cc_type *t = cc_type_new(u, TY_ARRAY, len < 0 ? -1 : elem * len,
					cc_type_align(base));

	if (t) {
		t->base = base;
		t->array_len = len;
		t->defined = true;
	}
	return t;
}

struct cc_type *cc_type_func(struct cc_unit *u, struct cc_type *ret)
{
	struct cc_type *t = cc_type_new(u, TY_FUNC, 1, 1);

	if (t) {
		t->base = ret;
		t->defined = true;
	}
	return t;
}

/* A copy of `t` one step away from it: a typedef name, a qualifier or a BTF type
 * tag (`name` is the typedef's name or the tag's string). */
struct cc_type *cc_type_derive(struct cc_unit *u, struct cc_type *t, enum cc_type_step step,
			       const char *name)
{
	struct cc_type *c = cc_alloc(u->arena, sizeof(*c));

	if (!c)
		return NULL;
	c->kind = t->kind;
	c->is_unsigned = t->is_unsigned;
	c->is_const = t->is_const || step == STEP_CONST;
	c->is_volatile = t->is_volatile || step == STEP_VOLATILE;
	c->step = step;
	c->origin = t;
	c->name = step == STEP_TYPEDEF ? name : t->name;
	c->type_tag = step == STEP_TYPE_TAG ? name : NULL;
	c->array_len = -1;
	return c;
}

struct cc_type *cc_type_unqualified(struct cc_type *t)
{
	while (t->origin && (t->step == STEP_CONST || t->step == STEP_VOLATILE ||
			     t->step == STEP_TYPE_TAG))
		t = t->origin;
	return t;
}

int64_t cc_type_size(struct cc_type *t)
{
	return cc_type_root(t)->size;
}

/* The alignment of the root type, unless a typedef on the way says otherwise
 * (`typedef long l2 __attribute__((aligned(2)))` raises or lowers it, as in clang). */
int cc_type_align(struct cc_type *t)
{
	for (; t->origin; t = t->origin)
		if (t->typedef_align)
			return t->typedef_align;
	return t->align;
}

enum cc_type_kind cc_type_kind(struct cc_type *t)
{
	return t->kind;
}

struct cc_type *cc_type_base(struct cc_type *t)
{
	return cc_type_root(t)->base;
}

bool cc_type_is_integer(struct cc_type *t)
{
	return t->kind >= TY_BOOL && t->kind <= TY_INT128 ? true : t->kind == TY_ENUM;
}

bool cc_type_is_pointer(struct cc_type *t)
{
	return t->kind == TY_PTR;
}

bool cc_type_is_scalar(struct cc_type *t)
{
	return cc_type_is_integer(t) || t->kind == TY_PTR;
}

bool cc_type_is_unsigned(struct cc_type *t)
{
	return cc_type_root(t)->is_unsigned;
}

bool cc_type_is_aggregate(struct cc_type *t)
{
	return t->kind == TY_STRUCT || t->kind == TY_UNION || t->kind == TY_ARRAY;
}

bool cc_type_compatible(struct cc_type *a, struct cc_type *b)
{
	a = cc_type_root(a);
	b = cc_type_root(b);
	if (a == b)
		return true;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TY_PTR:
		return cc_type_compatible(a->base, b->base);
	case TY_ARRAY:
		return cc_type_compatible(a->base, b->base) &&
		       (a->array_len < 0 || b->array_len < 0 || a->array_len == b->array_len);
	case TY_STRUCT:
	case TY_UNION:
	case TY_ENUM:
		return false;
	case TY_FUNC:
		return cc_type_compatible(a->base, b->base);
	default:
		return a->is_unsigned == b->is_unsigned;
	}
}

/* Find member `name`, looking through anonymous struct/union members; *offset receives
 * the byte offset from the start of `t`. */
struct cc_member *cc_type_find_member(struct cc_type *t, const char *name, uint64_t *offset)
{
	for (struct cc_member *m = cc_type_root(t)->members; m; m = m->next) {
		if (m->name == name || (m->name && name && !strcmp(m->name, name))) {
			*offset = m->offset;
			return m;
		}
		if (!m->name && (m->type->kind == TY_STRUCT || m->type->kind == TY_UNION)) {
			uint64_t inner;
			struct cc_member *found = cc_type_find_member(m->type, name, &inner);

			if (found) {
				*offset = m->offset + inner;
				return found;
			}
		}
	}
	return NULL;
}

static uint64_t align_to(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* Lay out a struct or union whose members are filled in, following the SysV rules
 * clang applies for BPF: bitfields share a storage unit of their declared type unless
 * they would cross its alignment boundary; `packed` drops member alignment;
 * `pack_align` > 0 raises the struct's alignment (aligned(N)). */
void cc_type_layout(struct cc_unit *u, struct cc_type *t, int pack_align)
{
	uint64_t bits = 0, max_size = 0;
	int align = 1;

	for (struct cc_member *m = t->members; m; m = m->next) {
		int64_t size = cc_type_size(m->type);
		bool packed = t->is_packed || m->is_packed || t->pragma_pack == 1;
		int malign = packed ? 1 : cc_type_align(m->type);
		uint64_t unit_bits = (uint64_t)size * 8;

		if (m->aligned > malign) /* aligned(N) on a member wins over packing */
			malign = m->aligned;
		if (t->pragma_pack && malign > t->pragma_pack) /* but not over #pragma pack */
			malign = t->pragma_pack;
		if (t->pragma_pack > 1 && m->is_bitfield && m->bit_width)
			cc_error(u, m->loc, "bit-field '%s' under '#pragma pack(%d)' is not supported",
				 m->name ? m->name : "", t->pragma_pack);
		if (size < 0)
			size = 0; /* flexible array */
		if (m->is_bitfield) {
			uint64_t start = t->kind == TY_UNION ? 0 : bits;

			if (m->bit_width == 0) { /* `int : 0;` closes the unit */
				bits = align_to(bits, unit_bits);
				continue;
			}
			if (m->aligned)
				start = align_to(start, (uint64_t)m->aligned * 8);
			if (!packed && start / unit_bits != (start + m->bit_width - 1) / unit_bits)
				start = align_to(start, unit_bits);
			if (packed)
				m->offset = start / 8;
			else
				m->offset = start / unit_bits * (uint64_t)size;
			m->bit_offset = (unsigned)(start - m->offset * 8);
			if (t->kind == TY_UNION) {
				if ((uint64_t)size > max_size)
					max_size = (uint64_t)size;
			} else {
				bits = start + m->bit_width;
			}
			if (malign > align)
				align = malign;
			continue;
		}
		if (t->kind == TY_UNION) {
			m->offset = 0;
			if ((uint64_t)size > max_size)
				max_size = (uint64_t)size;
		} else {
			bits = align_to(bits, (uint64_t)malign * 8);
			m->offset = bits / 8;
			bits += (uint64_t)size * 8;
		}
		if (malign > align)
			align = malign;
	}
	if (pack_align > align)
		align = pack_align;
	if (t->kind == TY_UNION)
		bits = max_size * 8;
	t->align = align;
	t->size = (int64_t)align_to(align_to(bits, 8) / 8, (uint64_t)align);
	t->defined = true;
}

/* Readable spelling of a type for diagnostics ("struct xdp_md *", "__u32"). */
const char *cc_type_describe(struct cc_unit *u, struct cc_type *t)
{
	static const char *const names[] = {
		[TY_VOID] = "void", [TY_BOOL] = "_Bool", [TY_CHAR] = "char",
		[TY_SHORT] = "short", [TY_INT] = "int", [TY_LONG] = "long",
		[TY_LLONG] = "long long", [TY_INT128] = "__int128", [TY_FLOAT] = "float",
		[TY_DOUBLE] = "double",
	};
	char buf[256];

	if (t->step == STEP_TYPEDEF)
		return t->name;
	switch (t->kind) {
	case TY_PTR:
		snprintf(buf, sizeof(buf), "%s *", cc_type_describe(u, cc_type_base(t)));
		break;
	case TY_ARRAY:
		snprintf(buf, sizeof(buf), "%s[%lld]", cc_type_describe(u, cc_type_base(t)),
			 (long long)cc_type_root(t)->array_len);
		break;
	case TY_STRUCT:
	case TY_UNION:
	case TY_ENUM:
		snprintf(buf, sizeof(buf), "%s %s",
			 t->kind == TY_STRUCT ? "struct" : t->kind == TY_UNION ? "union" : "enum",
			 t->name ? t->name : "<anonymous>");
		break;
	case TY_FUNC:
		snprintf(buf, sizeof(buf), "%s (...)", cc_type_describe(u, cc_type_base(t)));
		break;
	default:
		snprintf(buf, sizeof(buf), "%s%s%s", t->is_const ? "const " : "",
			 cc_type_is_unsigned(t) && t->kind != TY_BOOL ? "unsigned " : "",
			 names[t->kind]);
		break;
	}
	return cc_strdup(u->arena, buf, strlen(buf));
}
