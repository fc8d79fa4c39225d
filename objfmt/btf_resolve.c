/* btf_resolve.c - the kernel's resolve pass over BTF (kernel/bpf/btf.c btf_resolve,
 * btf_check_all_types), emulated step for step so that what BPF_BTF_LOAD accepts is
 * what we accept, including its order-dependent corners.
 *
 * State model: types are visited in id order; from each one not yet resolved a walk
 * goes depth-first (at most 32 deep). The first PTR, or STRUCT/UNION/ARRAY, met in a
 * walk fixes its mode, which decides where it stops: a pointer walk at anything but
 * modifiers and pointers, an aggregate walk at anything but modifiers, arrays and
 * aggregates; types that need no resolving (INT, ENUM, FWD, FUNC_PROTO, FLOAT) stop
 * every walk. Meeting a type still on the walk is a loop, so `struct node { struct
 * node *next; }` passes. When a type leaves the walk it is checked against what is
 * resolved at that moment and records what it resolved to (resolved_id) and, for an
 * array, its size (resolved_size) -- an array not yet resolved counts as size 0, as
 * in the kernel. A FUNC_PROTO, at its turn, resolves its return and argument types.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

#define MAX_RESOLVE_DEPTH 32

enum walk_mode { WALK_UNDECIDED, WALK_POINTER, WALK_AGGREGATE };

struct walk_frame {
	uint32_t id;   /* type being resolved */
	uint32_t next; /* index of its next reference to follow */
};

struct resolver {
	const struct objfmt_btf *btf;
	struct objfmt_diag *diag;
	uint8_t *state;            /* per id: 0 not visited, 1 on the walk, 2 resolved */
	uint32_t *resolved_id;     /* per id: the sized type it stands for */
	uint32_t *resolved_size;   /* per ARRAY id: its byte size when it was resolved */
	struct walk_frame stack[MAX_RESOLVE_DEPTH];
	size_t depth;              /* frames in use */
	enum walk_mode mode;       /* of the current walk */
	uint32_t root;             /* type the current walk started from */
};

static const struct objfmt_btf_type void_type = { .kind = OBJFMT_BTF_UNKN, .name = "" };

/* The kernel's btf_type_by_id: id 0 is void, ids past the end are NULL. */
static const struct objfmt_btf_type *type_by_id(const struct resolver *r, uint32_t id)
{
	if (id == 0)
		return &void_type;
	return id <= r->btf->count ? &r->btf->types[id] : NULL;
}

static int is_modifier(const struct objfmt_btf_type *t)
{
	return t->kind == OBJFMT_BTF_TYPEDEF || t->kind == OBJFMT_BTF_VOLATILE ||
	       t->kind == OBJFMT_BTF_CONST || t->kind == OBJFMT_BTF_RESTRICT ||
	       t->kind == OBJFMT_BTF_TYPE_TAG;
}

static int is_aggregate(const struct objfmt_btf_type *t)
{
	return btf_kind_is_composite(t->kind) || t->kind == OBJFMT_BTF_ARRAY;
}

static int needs_resolve(const struct objfmt_btf_type *t)
{
	return is_modifier(t) || is_aggregate(t) || t->kind == OBJFMT_BTF_PTR ||
	       t->kind == OBJFMT_BTF_VAR || t->kind == OBJFMT_BTF_DATASEC ||
	       t->kind == OBJFMT_BTF_DECL_TAG || t->kind == OBJFMT_BTF_FUNC;
}

static int has_size(const struct objfmt_btf_type *t)
{
	switch (t->kind) {
	case OBJFMT_BTF_INT: case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64: case OBJFMT_BTF_FLOAT:
	case OBJFMT_BTF_DATASEC:
		return 1;
	default:
		return 0;
	}
}

static int no_size_or_null(const struct objfmt_btf_type *t)
{
	return !t || t == &void_type || t->kind == OBJFMT_BTF_FWD ||
	       t->kind == OBJFMT_BTF_FUNC || t->kind == OBJFMT_BTF_FUNC_PROTO;
}

static int source_only(const struct objfmt_btf_type *t)
{
	return t->kind == OBJFMT_BTF_VAR || t->kind == OBJFMT_BTF_DATASEC ||
	       t->kind == OBJFMT_BTF_DECL_TAG;
}

static int is_resolved(const struct resolver *r, uint32_t id)
{
	return id && id <= r->btf->count && r->state[id] == 2;
}

/* An int whose bits fill a power-of-two number of bytes, at offset 0. */
static int int_regular(const struct objfmt_btf_type *t)
{
	uint32_t bytes = t->int_bits / 8;
	return t->int_bits % 8 == 0 && t->int_offset == 0 && bytes && bytes <= 16 &&
	       (bytes & (bytes - 1)) == 0;
}

/* The kernel's btf_type_id_size: the sized type `*id` stands for (updating *id) and
 * its size, or NULL when it has none. Reads what is resolved so far. */
static const struct objfmt_btf_type *id_size(const struct resolver *r, uint32_t *id,
					     uint32_t *size)
{
	const struct objfmt_btf_type *t = type_by_id(r, *id);
	uint32_t found = *id;

	if (no_size_or_null(t))
		return NULL;
	if (!has_size(t) && t->kind != OBJFMT_BTF_ARRAY && t->kind != OBJFMT_BTF_PTR) {
		if (!is_modifier(t) && t->kind != OBJFMT_BTF_VAR)
			return NULL;
		found = r->resolved_id[found];
		t = type_by_id(r, found);
		if (no_size_or_null(t))
			return NULL;
		if (!has_size(t) && t->kind != OBJFMT_BTF_ARRAY && t->kind != OBJFMT_BTF_PTR)
			return NULL;
	}
	if (size)
		*size = has_size(t) ? t->size : t->kind == OBJFMT_BTF_PTR ? 8
									: r->resolved_size[found];
	*id = found;
	return t;
}

static int stops_walk(const struct resolver *r, const struct objfmt_btf_type *t)
{
	switch (r->mode) {
	case WALK_POINTER:
		return !is_modifier(t) && t->kind != OBJFMT_BTF_PTR;
	case WALK_AGGREGATE:
		return !is_modifier(t) && !is_aggregate(t);
	default:
		return !needs_resolve(t);
	}
}

/* Next reference of t from position *index (advanced past it); -1 when none is left. */
static int64_t next_reference(const struct objfmt_btf_type *t, uint32_t *index)
{
	uint32_t i = (*index)++;

	switch (t->kind) {
	case OBJFMT_BTF_ARRAY:
		return i == 0 ? t->array_index : i == 1 ? (int64_t)t->array_elem : -1;
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_DATASEC:
		return i < t->vlen ? (int64_t)t->members[i].type : -1;
	case OBJFMT_BTF_FUNC:
		return -1; /* its prototype is checked, not walked */
	default:
		return i == 0 ? (int64_t)t->type : -1;
	}
}

static int fault(const struct resolver *r, uint32_t id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fault(const struct resolver *r, uint32_t id, const char *fmt, ...)
{
	char message[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return btf_validate_fault(r->btf, id, r->diag, "%s", message);
}

static const char *member_name(const struct objfmt_btf_member *m)
{
	return m->name && *m->name ? m->name : "(anon)";
}

/* ---- checks made when a type leaves the walk ---- */

/* PTR and modifiers: the target is void, sized, a FWD or FUNC_PROTO, or a FUNC that
 * was resolved already (which stands for void). */
static int finish_reference(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	const struct objfmt_btf_type *next = type_by_id(r, t->type);
	uint32_t next_id = t->type;

	if (!next)
		return fault(r, id, "type id %u out of range (max %u)", t->type, r->btf->count);
	if (source_only(next))
		return fault(r, id, "invalid type id %u: a %s cannot be referenced here", t->type,
			     btf_kind_name(next->kind));
	if (!id_size(r, &next_id, NULL)) {
		if (is_resolved(r, next_id)) {
			next_id = r->resolved_id[next_id];
			next = type_by_id(r, next_id);
		}
		if (next->kind == OBJFMT_BTF_FUNC)
			return fault(r, id, "invalid type id %u: FUNC not resolved before it",
				     t->type);
		if (next != &void_type && next->kind != OBJFMT_BTF_FWD &&
		    next->kind != OBJFMT_BTF_FUNC_PROTO)
			return fault(r, id, "invalid type id %u: target has no size", t->type);
	}
	r->resolved_id[id] = next_id;
	return 0;
}

static int finish_var(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	const struct objfmt_btf_type *next = type_by_id(r, t->type);
	uint32_t next_id = t->type;

	if (!next || source_only(next) || !id_size(r, &next_id, NULL))
		return fault(r, id, "invalid type id %u: VAR type has no size", t->type);
	r->resolved_id[id] = next_id;
	return 0;
}

static int finish_array(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	uint32_t index_id = t->array_index, elem_id = t->array_elem, elem_size = 0;
	const struct objfmt_btf_type *index = type_by_id(r, index_id);
	const struct objfmt_btf_type *elem = type_by_id(r, elem_id);

	if (!no_size_or_null(index) && !source_only(index))
		index = id_size(r, &index_id, NULL);
	else
		index = NULL;
	if (!index || index->kind != OBJFMT_BTF_INT || !int_regular(index))
		return fault(r, id, "invalid index: type %u is not a regular int", t->array_index);
	if (no_size_or_null(elem) || source_only(elem) || !(elem = id_size(r, &elem_id, &elem_size)))
		return fault(r, id, "invalid elem: type %u has no size", t->array_elem);
	if (elem->kind == OBJFMT_BTF_INT && !int_regular(elem))
		return fault(r, id, "invalid array of int");
	if (t->array_nelems && elem_size > UINT32_MAX / t->array_nelems)
		return fault(r, id, "array size overflows U32_MAX");
	r->resolved_id[id] = elem_id;
	r->resolved_size[id] = elem_size * t->array_nelems;
	return 0;
}

/* `bits` bits starting at bit_offset must fit in the struct (as the kernel counts). */
static int member_fits(const struct resolver *r, uint32_t id, const char *name,
		       uint64_t bit_offset, uint64_t bits)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	uint64_t first_byte = bit_offset / 8, copy_bits = bits + bit_offset % 8;

	if (copy_bits > 128)
		return fault(r, id, "member '%s': nr_copy_bits exceeds 128", name);
	if (first_byte > t->size || t->size - first_byte < (copy_bits + 7) / 8)
		return fault(r, id, "member '%s': member exceeds struct_size %u", name, t->size);
	return 0;
}

/* An INT member, per the kernel's int_check_member / int_check_kflag_member. */
static int check_int_member(const struct resolver *r, uint32_t id,
			    const struct objfmt_btf_member *m, const struct objfmt_btf_type *base)
{
	const char *name = member_name(m);

	if (!r->btf->types[id].kind_flag)
		return member_fits(r, id, name, (uint64_t)m->bit_offset + base->int_offset,
				   base->int_bits);
	if (!int_regular(base))
		return fault(r, id, "member '%s': invalid member base type", name);
	uint32_t bits = m->bitfield;
	if (!bits && m->bit_offset % 8)
		return fault(r, id, "member '%s': invalid member offset %u", name, m->bit_offset);
	if (!bits)
		bits = base->int_bits;
	else if (bits > base->int_bits)
		return fault(r, id, "member '%s': invalid member bitfield_size %u", name, bits);
	return member_fits(r, id, name, m->bit_offset, bits);
}

/* An ENUM member of a kind_flag struct: the kernel measures it as a 32-bit int. */
static int check_kflag_enum_member(const struct resolver *r, uint32_t id,
				   const struct objfmt_btf_member *m)
{
	const char *name = member_name(m);
	uint32_t size = r->btf->types[id].size;

	if (m->bitfield > 32)
		return fault(r, id, "member '%s': invalid member bitfield_size %u", name,
			     m->bitfield);
	if (!m->bitfield && m->bit_offset % 8)
		return fault(r, id, "member '%s': member is not byte aligned", name);
	if (((uint64_t)m->bit_offset + (m->bitfield ? m->bitfield : 32) + 7) / 8 > size)
		return fault(r, id, "member '%s': member exceeds struct_size %u", name, size);
	return 0;
}

/* PTR, ARRAY, STRUCT/UNION, ENUM, FLOAT members: byte aligned (FLOAT: to min(size,
 * 8)) and inside the struct; bitfields only over an ENUM in a kind_flag struct. */
static int check_sized_member(const struct resolver *r, uint32_t id,
			      const struct objfmt_btf_member *m,
			      const struct objfmt_btf_type *base, uint64_t size)
{
	const char *name = member_name(m);
	int is_enum = base->kind == OBJFMT_BTF_ENUM || base->kind == OBJFMT_BTF_ENUM64;

	if (base->kind == OBJFMT_BTF_DATASEC)
		return fault(r, id, "member '%s': invalid member (a DATASEC)", name);
	if (is_enum && r->btf->types[id].kind_flag)
		return check_kflag_enum_member(r, id, m);
	if (m->bitfield)
		return fault(r, id, "member '%s': invalid member bitfield_size %u", name,
			     m->bitfield);
	uint64_t align = base->kind == OBJFMT_BTF_FLOAT ? (size < 8 ? size : 8) * 8 : 8;
	if (align && m->bit_offset % align)
		return fault(r, id, "member '%s': member is not %s", name,
			     align == 8 ? "byte aligned" : "properly aligned");
	uint64_t first_byte = m->bit_offset / 8;
	if (first_byte > r->btf->types[id].size || r->btf->types[id].size - first_byte < size)
		return fault(r, id, "member '%s': member exceeds struct_size %u", name,
			     r->btf->types[id].size);
	return 0;
}

static int finish_composite(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];

	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		const struct objfmt_btf_type *base = type_by_id(r, m->type);
		uint32_t base_id = m->type, size = 0;
		if (no_size_or_null(base) || source_only(base) ||
		    !(base = id_size(r, &base_id, &size)))
			return fault(r, id, "member '%s': invalid member (type %u has no size)",
				     member_name(m), m->type);
		int err = base->kind == OBJFMT_BTF_INT ? check_int_member(r, id, m, base)
						      : check_sized_member(r, id, m, base, size);
		if (err)
			return err;
	}
	return 0;
}

static int finish_datasec(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];

	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *e = &t->members[i];
		const struct objfmt_btf_type *var = type_by_id(r, e->type);
		uint32_t type_id = e->type, size = 0;
		if (!var || var->kind != OBJFMT_BTF_VAR)
			return fault(r, id, "entry #%u: not a VAR kind member (%s [%u])", i,
				     var ? btf_kind_name(var->kind) : "none", e->type);
		if (!id_size(r, &type_id, &size))
			return fault(r, id, "entry #%u: invalid type (VAR [%u] has no size)", i,
				     e->type);
		if (e->size < size)
			return fault(r, id, "entry #%u: invalid size %u (VAR needs %u)", i, e->size,
				     size);
	}
	return 0;
}

static int finish_func(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	const struct objfmt_btf_type *proto = type_by_id(r, t->type);

	if (!proto || proto->kind != OBJFMT_BTF_FUNC_PROTO)
		return fault(r, id, "invalid type id %u: FUNC needs a FUNC_PROTO", t->type);
	for (uint32_t i = 0; i < proto->vlen; i++)
		if (proto->members[i].type && !btf_validate_has_name(r->btf, proto->members[i].name))
			return fault(r, id, "invalid arg#%u: parameter has no name", i + 1);
	r->resolved_id[id] = 0; /* a FUNC resolves to void */
	return 0;
}

static int finish_decl_tag(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	const struct objfmt_btf_type *target = type_by_id(r, t->type);
	uint32_t components = 0;

	switch (target ? target->kind : OBJFMT_BTF_UNKN) {
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		components = target->vlen;
		break;
	case OBJFMT_BTF_FUNC: {
		const struct objfmt_btf_type *proto = type_by_id(r, target->type);
		components = proto ? proto->vlen : 0;
		break;
	}
	case OBJFMT_BTF_VAR: case OBJFMT_BTF_TYPEDEF:
		break;
	default:
		return fault(r, id, "invalid type id %u: a %s cannot carry a decl tag", t->type,
			     target ? btf_kind_name(target->kind) : "void");
	}
	if (t->component_idx >= 0 && (uint32_t)t->component_idx >= components)
		return fault(r, id, "invalid component_idx %d (%s [%u] has %u)", t->component_idx,
			     btf_kind_name(target->kind), t->type, components);
	r->resolved_id[id] = t->type;
	return 0;
}

static int finish(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	int err;

	if (is_modifier(t) || t->kind == OBJFMT_BTF_PTR)
		err = finish_reference(r, id);
	else if (t->kind == OBJFMT_BTF_ARRAY)
		err = finish_array(r, id);
	else if (btf_kind_is_composite(t->kind))
		err = finish_composite(r, id);
	else if (t->kind == OBJFMT_BTF_VAR)
		err = finish_var(r, id);
	else if (t->kind == OBJFMT_BTF_DATASEC)
		err = finish_datasec(r, id);
	else if (t->kind == OBJFMT_BTF_FUNC)
		err = finish_func(r, id);
	else
		err = finish_decl_tag(r, id);
	r->state[id] = 2;
	return err;
}

/* ---- the walk ---- */

static int push(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];

	if (r->state[id] == 1)
		return fault(r, r->root, "loop detected ([%u] %s is reached again)", id,
			     btf_kind_name(t->kind));
	if (r->depth == MAX_RESOLVE_DEPTH)
		return fault(r, r->root, "exceeded max resolving depth %d", MAX_RESOLVE_DEPTH);
	if (r->mode == WALK_UNDECIDED && t->kind == OBJFMT_BTF_PTR)
		r->mode = WALK_POINTER;
	else if (r->mode == WALK_UNDECIDED && is_aggregate(t))
		r->mode = WALK_AGGREGATE;
	r->state[id] = 1;
	r->stack[r->depth++] = (struct walk_frame){ id, 0 };
	return 0;
}

static int resolve_root(struct resolver *r, uint32_t root)
{
	r->mode = WALK_UNDECIDED;
	r->depth = 0;
	r->root = root;
	int err = push(r, root);

	while (!err && r->depth) {
		struct walk_frame *f = &r->stack[r->depth - 1];
		int64_t next = next_reference(&r->btf->types[f->id], &f->next);
		if (next < 0) {
			r->depth--;
			err = finish(r, f->id);
			continue;
		}
		if (next == 0 || next > r->btf->count || r->state[next] == 2 ||
		    stops_walk(r, &r->btf->types[next]))
			continue;
		err = push(r, (uint32_t)next);
	}
	return err;
}

/* A FUNC_PROTO at its turn: return and argument types resolved (now, if needed) and
 * sized; void is a valid return type. */
static int check_proto_type(struct resolver *r, uint32_t id, uint32_t type, uint32_t arg)
{
	const struct objfmt_btf_type *t = type_by_id(r, type);

	if (t && !source_only(t) && needs_resolve(t) && !is_resolved(r, type)) {
		int err = resolve_root(r, type);
		if (err)
			return err;
	}
	if (t && !source_only(t) && id_size(r, &type, NULL))
		return 0;
	if (arg == 0)
		return fault(r, id, "invalid return type %u", type);
	return fault(r, id, "invalid arg#%u: type %u has no size", arg, type);
}

static int check_proto(struct resolver *r, uint32_t id)
{
	const struct objfmt_btf_type *t = &r->btf->types[id];
	int err = t->type ? check_proto_type(r, id, t->type, 0) : 0;

	for (uint32_t i = 0; !err && i < t->vlen; i++)
		if (t->members[i].type)
			err = check_proto_type(r, id, t->members[i].type, i + 1);
	return err;
}

int btf_resolve_all(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	size_t n = (size_t)btf->count + 1;
	struct resolver *r = calloc(1, sizeof(*r));
	int err = r ? 0 : -ENOMEM;

	if (r) {
		*r = (struct resolver){ .btf = btf, .diag = diag, .state = calloc(n, 1),
					.resolved_id = calloc(n, sizeof(uint32_t)),
					.resolved_size = calloc(n, sizeof(uint32_t)) };
		if (!r->state || !r->resolved_id || !r->resolved_size)
			err = -ENOMEM;
	}
	for (uint32_t id = 1; !err && id <= btf->count; id++) {
		const struct objfmt_btf_type *t = &btf->types[id];
		if (needs_resolve(t) && r->state[id] != 2)
			err = resolve_root(r, id);
		if (!err && t->kind == OBJFMT_BTF_FUNC_PROTO)
			err = check_proto(r, id);
	}
	if (r) {
		free(r->state);
		free(r->resolved_id);
		free(r->resolved_size);
		free(r);
	}
	return err;
}
