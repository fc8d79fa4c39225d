/* btf_validate.c - the kernel's structural rules for BTF (kernel/bpf/btf.c check_meta
 * and resolve passes): per-type rules first, then reference loops, then the rules
 * that need sizes of referenced types. The first fault is reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>

#include "btf_int.h"

#define NAME_MAX_LEN 512 /* KSYM_NAME_LEN of current kernels */

/* Report a fault of type `id`, prefixing its kind and name. */
static int fault(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fault(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag,
		 const char *fmt, ...)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	char where[128], message[256];
	va_list ap;

	snprintf(where, sizeof(where), "BTF type [%u] %s '%.60s'", id, btf_kind_name(t->kind),
		 t->name && *t->name ? t->name : "(anon)");
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return objfmt_diag_set(diag, -EINVAL, where, "%s", message);
}

/* The kernel's ctype (lib/ctype.c) is Latin-1: 0xc0-0xff are letters except 0xd7
 * and 0xf7, and 0xa0-0xbf are printable. Names are checked with it. */
static int kernel_isalpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static int kernel_isprint(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

static int name_char_ok(char c, int first)
{
	unsigned char u = (unsigned char)c;
	return kernel_isalpha(u) || (!first && u >= '0' && u <= '9') || u == '_' || u == '.';
}

static int identifier_ok(const char *name)
{
	if (!name || !name_char_ok(name[0], 1))
		return 0;
	size_t len = 1;
	for (; name[len] && len < NAME_MAX_LEN; len++)
		if (!name_char_ok(name[len], 0))
			return 0;
	return name[len] == 0;
}

/* The kernel asks "is name_off 0", not "is the name empty": an offset pointing at a
 * NUL elsewhere in the table is a name, and an empty one. */
static int has_name(const struct objfmt_btf *btf, const char *name)
{
	return btf_strtab_find(&btf->strings, name ? name : "") != 0;
}

/* No name, or an identifier: where the kernel allows anonymous types/members. */
static int optional_identifier_ok(const struct objfmt_btf *btf, const char *name)
{
	return !has_name(btf, name) || identifier_ok(name);
}

static int section_name_ok(const char *name)
{
	if (!name || !*name)
		return 0;
	size_t len = 0;
	for (; name[len] && len < NAME_MAX_LEN; len++)
		if (!kernel_isprint((unsigned char)name[len]))
			return 0;
	return name[len] == 0;
}

static int id_ok(const struct objfmt_btf *btf, uint32_t id)
{
	return id <= btf->count;
}

static int check_int(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint32_t bits = t->int_bits + t->int_offset;

	if (t->int_bits > 255 || t->int_offset > 255 || t->int_encoding > 15)
		return fault(btf, id, diag, "invalid int data (bits %u, offset %u, encoding %u)",
			     t->int_bits, t->int_offset, t->int_encoding);
	if (bits > 128)
		return fault(btf, id, diag, "nr_bits exceeds 128 (bits %u + offset %u)",
			     t->int_bits, t->int_offset);
	if ((bits + 7) / 8 > t->size)
		return fault(btf, id, diag, "nr_bits exceeds type_size (%u bits, size %u)",
			     bits, t->size);
	if (t->int_encoding != 0 && t->int_encoding != OBJFMT_BTF_INT_SIGNED &&
	    t->int_encoding != OBJFMT_BTF_INT_CHAR && t->int_encoding != OBJFMT_BTF_INT_BOOL)
		return fault(btf, id, diag, "unsupported encoding 0x%x", t->int_encoding);
	return 0; /* like the kernel, no rule on INT names ("unsigned int") */
}

/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
static int check_reference(const struct objfmt_btf *btf, uint32_t id,
			   struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (!id_ok(btf, t->type))
		return fault(btf, id, diag, "type id %u out of range (max %u)", t->type,
			     btf->count);
	if (t->kind == OBJFMT_BTF_TYPEDEF && !identifier_ok(t->name))
		return fault(btf, id, diag, "invalid name: a typedef needs an identifier");
	if (t->kind == OBJFMT_BTF_TYPE_TAG && (!t->name || !*t->name))
		return fault(btf, id, diag, "invalid name: a type tag needs a value");
	if (t->kind != OBJFMT_BTF_TYPEDEF && t->kind != OBJFMT_BTF_TYPE_TAG &&
	    has_name(btf, t->name))
		return fault(btf, id, diag, "invalid name: %s must be anonymous",
			     btf_kind_name(t->kind));
	return 0;
}

static int check_array(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (has_name(btf, t->name))
		return fault(btf, id, diag, "invalid name: ARRAY must be anonymous");
	if (t->type || t->size)
		return fault(btf, id, diag, "size != 0");
	if (t->array_elem == 0 || !id_ok(btf, t->array_elem))
		return fault(btf, id, diag, "invalid elem type id %u (max %u)", t->array_elem,
			     btf->count);
	if (t->array_index == 0 || !id_ok(btf, t->array_index))
		return fault(btf, id, diag, "invalid index type id %u (max %u)", t->array_index,
			     btf->count);
	return 0;
}

static int check_composite(const struct objfmt_btf *btf, uint32_t id,
			   struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint32_t last_offset = 0;

	if (!optional_identifier_ok(btf, t->name))
		return fault(btf, id, diag, "invalid name");
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		const char *name = m->name && *m->name ? m->name : "(anon)";
		if (!optional_identifier_ok(btf, m->name))
			return fault(btf, id, diag, "member #%u: invalid name", i);
		if (m->type == 0 || !id_ok(btf, m->type))
			return fault(btf, id, diag, "member '%s': invalid type id %u (max %u)",
				     name, m->type, btf->count);
		if (m->bitfield && !t->kind_flag)
			return fault(btf, id, diag,
				     "member '%s': bitfield without kind_flag", name);
		if (t->kind_flag && (m->bitfield > 255 || m->bit_offset > 0xffffff))
			return fault(btf, id, diag, "member '%s': invalid bitfield encoding",
				     name);
		if (t->kind == OBJFMT_BTF_UNION && m->bit_offset)
			return fault(btf, id, diag, "member '%s': invalid member bits_offset %u "
				     "(union members start at 0)", name, m->bit_offset);
		if (last_offset > m->bit_offset)
			return fault(btf, id, diag, "member '%s': invalid member bits_offset %u "
				     "(before the previous member's %u)", name, m->bit_offset,
				     last_offset);
		if ((m->bit_offset + 7ull) / 8 > t->size)
			return fault(btf, id, diag, "member '%s': bits_offset %u exceeds the "
				     "struct size %u", name, m->bit_offset, t->size);
		last_offset = m->bit_offset;
	}
	return 0;
}

static int check_enum(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return fault(btf, id, diag, "unexpected size %u (expected 1, 2, 4 or 8)",
			     t->size);
	if (!optional_identifier_ok(btf, t->name))
		return fault(btf, id, diag, "invalid name");
	for (uint32_t i = 0; i < t->vlen; i++)
		if (!identifier_ok(t->members[i].name))
			return fault(btf, id, diag, "value #%u: invalid name", i);
	return 0;
}

static int check_func_proto(const struct objfmt_btf *btf, uint32_t id,
			    struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (has_name(btf, t->name))
		return fault(btf, id, diag, "invalid name: FUNC_PROTO must be anonymous");
	if (!id_ok(btf, t->type))
		return fault(btf, id, diag, "invalid return type id %u (max %u)", t->type,
			     btf->count);
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		int vararg = i + 1 == t->vlen && m->type == 0;
		if (vararg && has_name(btf, m->name))
			return fault(btf, id, diag, "invalid arg#%u: variadic marker has a name",
				     i + 1);
		if (!vararg && (m->type == 0 || !id_ok(btf, m->type)))
			return fault(btf, id, diag, "invalid arg#%u: type id %u (max %u)", i + 1,
				     m->type, btf->count);
		if (!optional_identifier_ok(btf, m->name))
			return fault(btf, id, diag, "invalid arg#%u: invalid name", i + 1);
	}
	return 0;
}

static int check_named_leaf(const struct objfmt_btf *btf, uint32_t id,
			    struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (t->kind != OBJFMT_BTF_FLOAT && !identifier_ok(t->name))
		return fault(btf, id, diag, "invalid name: %s needs an identifier",
			     btf_kind_name(t->kind));
	switch (t->kind) {
	case OBJFMT_BTF_FWD:
		return t->type ? fault(btf, id, diag, "type != 0") : 0;
	case OBJFMT_BTF_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 &&
		    t->size != 16)
			return fault(btf, id, diag, "invalid type_size %u", t->size);
		return 0;
	case OBJFMT_BTF_FUNC:
		if (t->linkage > OBJFMT_BTF_FUNC_GLOBAL) /* extern: loaders resolve those first */
			return fault(btf, id, diag, "invalid func linkage %u", t->linkage);
		if (!id_ok(btf, t->type))
			return fault(btf, id, diag, "type id %u out of range (max %u)", t->type,
				     btf->count);
		return 0;
	default: /* VAR */
		if (t->linkage != OBJFMT_BTF_VAR_STATIC && t->linkage != OBJFMT_BTF_VAR_GLOBAL)
			return fault(btf, id, diag, "linkage %u not supported", t->linkage);
		if (t->type == 0 || !id_ok(btf, t->type))
			return fault(btf, id, diag, "invalid type id %u (max %u)", t->type,
				     btf->count);
		return 0;
	}
}

static int check_datasec(const struct objfmt_btf *btf, uint32_t id,
			 struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint64_t last_end = 0;

	if (!section_name_ok(t->name))
		return fault(btf, id, diag, "invalid name");
	if (t->size == 0)
		return fault(btf, id, diag, "size == 0");
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		if (m->type == 0 || !id_ok(btf, m->type))
			return fault(btf, id, diag, "entry #%u: invalid type id %u (max %u)", i,
				     m->type, btf->count);
		if (m->offset < last_end)
			return fault(btf, id, diag, "entry #%u: invalid offset %u (overlaps or "
				     "out of order; previous entry ends at %llu)", i, m->offset,
				     (unsigned long long)last_end);
		if (m->size == 0)
			return fault(btf, id, diag, "entry #%u: invalid size 0", i);
		if ((uint64_t)m->offset + m->size > t->size)
			return fault(btf, id, diag, "entry #%u: invalid offset+size %u+%u "
				     "(section size %u)", i, m->offset, m->size, t->size);
		last_end = (uint64_t)m->offset + m->size;
	}
	return 0;
}

static int check_decl_tag(const struct objfmt_btf *btf, uint32_t id,
			  struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (!t->name || !*t->name)
		return fault(btf, id, diag, "invalid name: a decl tag needs a value");
	if (t->component_idx < -1)
		return fault(btf, id, diag, "invalid component_idx %d", t->component_idx);
	if (t->type == 0 || !id_ok(btf, t->type))
		return fault(btf, id, diag, "invalid type id %u (max %u)", t->type, btf->count);
	return 0;
}

/* Kind flag and member count rules shared by every kind. */
static int check_flags(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	int flag_ok = t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION ||
		      t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64 ||
		      t->kind == OBJFMT_BTF_FWD || t->kind == OBJFMT_BTF_DECL_TAG ||
		      t->kind == OBJFMT_BTF_TYPE_TAG;
	int has_members = btf_kind_is_composite(t->kind) || t->kind == OBJFMT_BTF_ENUM ||
			  t->kind == OBJFMT_BTF_ENUM64 || t->kind == OBJFMT_BTF_FUNC_PROTO ||
			  t->kind == OBJFMT_BTF_DATASEC;

	if ((unsigned)t->kind > BTF_MAX_KIND || t->kind == OBJFMT_BTF_UNKN)
		return fault(btf, id, diag, "unknown kind %u", t->kind);
	if (t->kind_flag && !flag_ok)
		return fault(btf, id, diag, "invalid btf_info kind_flag");
	if (t->vlen && !has_members)
		return fault(btf, id, diag, "vlen != 0");
	if (t->vlen > BTF_MAX_VLEN || (t->vlen && !t->members))
		return fault(btf, id, diag, "invalid vlen %u", t->vlen);
	return 0;
}

static int check_meta(const struct objfmt_btf *btf, uint32_t id, struct objfmt_diag *diag)
{
	int err = check_flags(btf, id, diag);

	if (err)
		return err;
	switch (btf->types[id].kind) {
	case OBJFMT_BTF_INT:
		return check_int(btf, id, diag);
	case OBJFMT_BTF_ARRAY:
		return check_array(btf, id, diag);
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		return check_composite(btf, id, diag);
	case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64:
		return check_enum(btf, id, diag);
	case OBJFMT_BTF_FUNC_PROTO:
		return check_func_proto(btf, id, diag);
	case OBJFMT_BTF_FWD: case OBJFMT_BTF_FLOAT: case OBJFMT_BTF_FUNC: case OBJFMT_BTF_VAR:
		return check_named_leaf(btf, id, diag);
	case OBJFMT_BTF_DATASEC:
		return check_datasec(btf, id, diag);
	case OBJFMT_BTF_DECL_TAG:
		return check_decl_tag(btf, id, diag);
	default:
		return check_reference(btf, id, diag);
	}
}

/* ---- loops ----
 * The kernel's resolve pass, emulated: types are visited in id order; from each one
 * not yet resolved it walks depth-first (at most 32 deep). The first PTR, or STRUCT/
 * UNION/ARRAY, met in a walk fixes its mode, which decides where the walk stops: a
 * pointer walk stops at anything but modifiers and pointers, an aggregate walk at
 * anything but modifiers, arrays and aggregates; types that need no resolving (INT,
 * ENUM, FWD, FUNC_PROTO, FLOAT) always stop it. Meeting a type still on the walk's
 * stack is a loop, so `struct node { struct node *next; }` passes. The order in which
 * types got resolved is kept: a modifier may name a FUNC only if that FUNC was
 * resolved first. */

#define MAX_RESOLVE_DEPTH 32

enum walk_mode { WALK_UNDECIDED, WALK_POINTER, WALK_AGGREGATE };

struct walk_frame {
	uint32_t id;   /* type being resolved */
	uint32_t next; /* index of its next reference to follow */
};

static int is_modifier_kind(enum objfmt_btf_kind kind)
{
	return kind == OBJFMT_BTF_TYPEDEF || kind == OBJFMT_BTF_VOLATILE ||
	       kind == OBJFMT_BTF_CONST || kind == OBJFMT_BTF_RESTRICT ||
	       kind == OBJFMT_BTF_TYPE_TAG;
}

static int is_aggregate_kind(enum objfmt_btf_kind kind)
{
	return btf_kind_is_composite(kind) || kind == OBJFMT_BTF_ARRAY;
}

static int needs_resolve(enum objfmt_btf_kind kind)
{
	return is_modifier_kind(kind) || is_aggregate_kind(kind) || kind == OBJFMT_BTF_PTR ||
	       kind == OBJFMT_BTF_VAR || kind == OBJFMT_BTF_DATASEC ||
	       kind == OBJFMT_BTF_DECL_TAG || kind == OBJFMT_BTF_FUNC;
}

static int walk_stops_at(enum walk_mode mode, enum objfmt_btf_kind kind)
{
	switch (mode) {
	case WALK_POINTER:
		return !is_modifier_kind(kind) && kind != OBJFMT_BTF_PTR;
	case WALK_AGGREGATE:
		return !is_modifier_kind(kind) && !is_aggregate_kind(kind);
	default:
		return !needs_resolve(kind);
	}
}

/* Next reference of t from position *index (advanced past it); -1 when none is left. */
static int64_t walk_next(const struct objfmt_btf_type *t, uint32_t *index)
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
		return i == 0 && needs_resolve(t->kind) ? (int64_t)t->type : -1;
	}
}

/* Walk bookkeeping: state[id] 0 not visited, 1 on the walk, 2 resolved;
 * resolved_at[id] the position of id in resolution order (from 1). */
struct walk_state {
	uint8_t *state;
	uint32_t *resolved_at;
	uint32_t resolved;          /* types resolved so far */
	struct walk_frame *stack;   /* MAX_RESOLVE_DEPTH frames */
};

static int walk_push(const struct objfmt_btf *btf, uint32_t root, uint32_t id,
		     struct walk_state *w, size_t *depth, enum walk_mode *mode,
		     struct objfmt_diag *diag)
{
	uint8_t *state = w->state;
	struct walk_frame *stack = w->stack;

	if (state[id] == 1)
		return fault(btf, root, diag, "loop detected ([%u] %s is reached again)", id,
			     btf_kind_name(btf->types[id].kind));
	if (*depth == MAX_RESOLVE_DEPTH)
		return fault(btf, root, diag, "exceeded max resolving depth %d",
			     MAX_RESOLVE_DEPTH);
	enum objfmt_btf_kind kind = btf->types[id].kind;
	if (*mode == WALK_UNDECIDED && kind == OBJFMT_BTF_PTR)
		*mode = WALK_POINTER;
	else if (*mode == WALK_UNDECIDED && is_aggregate_kind(kind))
		*mode = WALK_AGGREGATE;
	state[id] = 1;
	stack[(*depth)++] = (struct walk_frame){ id, 0 };
	return 0;
}

static int walk_from(const struct objfmt_btf *btf, uint32_t root, struct walk_state *w,
		     struct objfmt_diag *diag)
{
	size_t depth = 0;
	enum walk_mode mode = WALK_UNDECIDED;
	int err = walk_push(btf, root, root, w, &depth, &mode, diag);

	while (!err && depth) {
		struct walk_frame *f = &w->stack[depth - 1];
		int64_t next = walk_next(&btf->types[f->id], &f->next);
		if (next < 0) {
			w->state[f->id] = 2;
			w->resolved_at[f->id] = ++w->resolved;
			depth--;
			continue;
		}
		if (next == 0 || next > btf->count || w->state[next] == 2 ||
		    walk_stops_at(mode, btf->types[next].kind))
			continue;
		err = walk_push(btf, root, (uint32_t)next, w, &depth, &mode, diag);
	}
	return err;
}

/* On success *resolved_at (malloc'ed, count + 1 entries) gives the resolution order. */
static int check_loops(const struct objfmt_btf *btf, uint32_t **resolved_at,
		       struct objfmt_diag *diag)
{
	struct walk_state w = {
		.state = calloc((size_t)btf->count + 1, 1),
		.resolved_at = calloc((size_t)btf->count + 1, sizeof(uint32_t)),
		.stack = malloc(MAX_RESOLVE_DEPTH * sizeof(struct walk_frame)),
	};
	int err = w.state && w.resolved_at && w.stack ? 0 : -ENOMEM;

	for (uint32_t id = 1; !err && id <= btf->count; id++)
		if (w.state[id] == 0 && needs_resolve(btf->types[id].kind))
			err = walk_from(btf, id, &w, diag);
	free(w.state);
	free(w.stack);
	if (err)
		free(w.resolved_at);
	else
		*resolved_at = w.resolved_at;
	return err;
}

/* ---- rules that need the sizes of referenced types (loop-free by now) ---- */

static int source_only(const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	return t && (t->kind == OBJFMT_BTF_VAR || t->kind == OBJFMT_BTF_DATASEC ||
		     t->kind == OBJFMT_BTF_DECL_TAG);
}

static enum objfmt_btf_kind resolved_kind(const struct objfmt_btf *btf, uint32_t id)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, id));
	return t ? t->kind : OBJFMT_BTF_UNKN;
}

/* An int whose bits fill a power-of-two number of bytes, at offset 0. */
static int int_regular(const struct objfmt_btf_type *t)
{
	uint32_t bytes = t->int_bits / 8;
	return t->int_bits % 8 == 0 && t->int_offset == 0 && bytes && bytes <= 16 &&
	       (bytes & (bytes - 1)) == 0;
}

/* Why type `id` has no usable size, for messages. The kernel resolves sizes in id
 * order and lets some array cycles through; we report them. */
static const char *size_problem(const struct objfmt_btf *btf, uint32_t id)
{
	for (uint32_t steps = 0; steps <= btf->count; steps++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		if (!t)
			return "has no size";
		if (t->kind == OBJFMT_BTF_ARRAY)
			id = t->array_elem;
		else if (is_modifier_kind(t->kind) || t->kind == OBJFMT_BTF_VAR)
			id = t->type;
		else
			return "has no size";
	}
	return "has a self-referencing size";
}

/* Targets of modifiers and pointers: void, a sized type, FWD, FUNC_PROTO, or FUNC
 * (the kernel resolves a FUNC to void, so a pointer to one passes). */
static int check_target(const struct objfmt_btf *btf, uint32_t id,
			const uint32_t *resolved_at, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	enum objfmt_btf_kind kind = resolved_kind(btf, t->type);

	if (t->type == 0)
		return 0;
	if (t->type <= btf->count && btf->types[t->type].kind == OBJFMT_BTF_FUNC &&
	    !(resolved_at[t->type] && resolved_at[t->type] < resolved_at[id]))
		return fault(btf, id, diag, "invalid type id %u: FUNC not resolved before it",
			     t->type);
	if (source_only(btf, t->type))
		return fault(btf, id, diag, "invalid type id %u: a %s cannot be referenced here",
			     t->type, btf_kind_name(btf->types[t->type].kind));
	if (kind == OBJFMT_BTF_FWD || kind == OBJFMT_BTF_FUNC_PROTO || kind == OBJFMT_BTF_FUNC ||
	    kind == OBJFMT_BTF_UNKN || objfmt_btf__size(btf, t->type) >= 0)
		return 0;
	return fault(btf, id, diag, "invalid type id %u: target %s", t->type,
		     size_problem(btf, t->type));
}

static int check_array_resolved(const struct objfmt_btf *btf, uint32_t id,
				struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	const struct objfmt_btf_type *index =
		objfmt_btf__type(btf, objfmt_btf__resolve(btf, t->array_index));

	if (!index || index->kind != OBJFMT_BTF_INT || !int_regular(index))
		return fault(btf, id, diag, "invalid index: type %u is not a regular int",
			     t->array_index);
	int64_t elem_size = objfmt_btf__size(btf, t->array_elem);
	if (source_only(btf, t->array_elem) || elem_size < 0)
		return fault(btf, id, diag, "invalid elem: type %u %s", t->array_elem,
			     size_problem(btf, t->array_elem));
	const struct objfmt_btf_type *elem =
		objfmt_btf__type(btf, objfmt_btf__resolve(btf, t->array_elem));
	if (elem->kind == OBJFMT_BTF_INT && !int_regular(elem))
		return fault(btf, id, diag, "invalid array of int");
	if (t->array_nelems && (uint64_t)elem_size > UINT32_MAX / t->array_nelems)
		return fault(btf, id, diag, "array size overflows U32_MAX");
	return 0;
}

/* Bytes from `bit_offset / 8` that `bits` bits (starting at bit_offset % 8) cover must
 * fit in the struct. */
static int member_fits(const struct objfmt_btf *btf, uint32_t id, const char *name,
		       uint64_t bit_offset, uint64_t bits, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	uint64_t first_byte = bit_offset / 8, copy_bits = bits + bit_offset % 8;

	if (copy_bits > 128)
		return fault(btf, id, diag, "member '%s': nr_copy_bits exceeds 128", name);
	if (first_byte > t->size || t->size - first_byte < (copy_bits + 7) / 8)
		return fault(btf, id, diag, "member '%s': member exceeds struct_size %u", name,
			     t->size);
	return 0;
}

/* An INT member, per the kernel's int_check_member / int_check_kflag_member. */
static int check_int_member(const struct objfmt_btf *btf, uint32_t id,
			    const struct objfmt_btf_member *m,
			    const struct objfmt_btf_type *base, const char *name,
			    struct objfmt_diag *diag)
{
	if (!btf->types[id].kind_flag)
		return member_fits(btf, id, name, (uint64_t)m->bit_offset + base->int_offset,
				   base->int_bits, diag);
	if (!int_regular(base))
		return fault(btf, id, diag, "member '%s': invalid member base type", name);
	uint32_t bits = m->bitfield;
	if (!bits && m->bit_offset % 8)
		return fault(btf, id, diag, "member '%s': invalid member offset %u", name,
			     m->bit_offset);
	if (!bits)
		bits = base->int_bits;
	else if (bits > base->int_bits)
		return fault(btf, id, diag, "member '%s': invalid member bitfield_size %u", name,
			     bits);
	return member_fits(btf, id, name, m->bit_offset, bits, diag);
}

/* Any other member: byte aligned (FLOAT: to min(size, 8)) and inside the struct;
 * bitfields only over an ENUM in a kind_flag struct. */
static int check_sized_member(const struct objfmt_btf *btf, uint32_t id,
			      const struct objfmt_btf_member *m,
			      const struct objfmt_btf_type *base, uint64_t size,
			      const char *name, struct objfmt_diag *diag)
{
	int is_enum = base->kind == OBJFMT_BTF_ENUM || base->kind == OBJFMT_BTF_ENUM64;

	if (m->bitfield && !is_enum)
		return fault(btf, id, diag, "member '%s': invalid member bitfield_size %u", name,
			     m->bitfield);
	if (is_enum && btf->types[id].kind_flag) {
		/* the kernel measures enum members of kind_flag structs as 32-bit ints */
		if (m->bitfield > 32)
			return fault(btf, id, diag, "member '%s': invalid member bitfield_size %u",
				     name, m->bitfield);
		if (!m->bitfield && m->bit_offset % 8)
			return fault(btf, id, diag, "member '%s': member is not byte aligned",
				     name);
		uint64_t end = ((uint64_t)m->bit_offset + (m->bitfield ? m->bitfield : 32) + 7) / 8;
		if (end > btf->types[id].size)
			return fault(btf, id, diag, "member '%s': member exceeds struct_size %u",
				     name, btf->types[id].size);
		return 0;
	}
	uint64_t align = base->kind == OBJFMT_BTF_FLOAT ? (size < 8 ? size : 8) * 8 : 8;
	if (align && m->bit_offset % align)
		return fault(btf, id, diag, "member '%s': member is not %s", name,
			     align == 8 ? "byte aligned" : "properly aligned");
	uint64_t first_byte = m->bit_offset / 8;
	if (first_byte > btf->types[id].size || btf->types[id].size - first_byte < size)
		return fault(btf, id, diag, "member '%s': member exceeds struct_size %u", name,
			     btf->types[id].size);
	return 0;
}

static int check_member_bounds(const struct objfmt_btf *btf, uint32_t id, uint32_t i,
			       struct objfmt_diag *diag)
{
	const struct objfmt_btf_member *m = &btf->types[id].members[i];
	const char *name = m->name && *m->name ? m->name : "(anon)";
	const struct objfmt_btf_type *base =
		objfmt_btf__type(btf, objfmt_btf__resolve(btf, m->type));
	int64_t size = objfmt_btf__size(btf, m->type);

	if (!base || source_only(btf, m->type) || size < 0)
		return fault(btf, id, diag, "member '%s': invalid member (type %u %s)", name,
			     m->type, size_problem(btf, m->type));
	if (base->kind == OBJFMT_BTF_INT)
		return check_int_member(btf, id, m, base, name, diag);
	return check_sized_member(btf, id, m, base, (uint64_t)size, name, diag);
}

static int check_datasec_resolved(const struct objfmt_btf *btf, uint32_t id,
				  struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		if (btf->types[m->type].kind != OBJFMT_BTF_VAR)
			return fault(btf, id, diag, "entry #%u: not a VAR kind member (%s [%u])", i,
				     btf_kind_name(btf->types[m->type].kind), m->type);
		int64_t size = objfmt_btf__size(btf, m->type);
		if (size > m->size)
			return fault(btf, id, diag, "entry #%u: invalid size %u (VAR needs %lld)", i,
				     m->size, (long long)size);
	}
	return 0;
}

static int check_func_resolved(const struct objfmt_btf *btf, uint32_t id,
			       struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	const struct objfmt_btf_type *proto = objfmt_btf__type(btf, t->type);

	if (!proto || proto->kind != OBJFMT_BTF_FUNC_PROTO)
		return fault(btf, id, diag, "invalid type id %u: FUNC needs a FUNC_PROTO",
			     t->type);
	for (uint32_t i = 0; i < proto->vlen; i++)
		if (proto->members[i].type && !has_name(btf, proto->members[i].name))
			return fault(btf, id, diag, "invalid arg#%u: parameter has no name", i + 1);
	return 0;
}

static int check_proto_resolved(const struct objfmt_btf *btf, uint32_t id,
				struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	if (t->type && (source_only(btf, t->type) || objfmt_btf__size(btf, t->type) < 0))
		return fault(btf, id, diag, "invalid return type %u", t->type);
	for (uint32_t i = 0; i < t->vlen; i++) {
		uint32_t arg = t->members[i].type;
		if (arg && (source_only(btf, arg) || objfmt_btf__size(btf, arg) < 0))
			return fault(btf, id, diag, "invalid arg#%u: type %u %s", i + 1, arg,
				     size_problem(btf, arg));
	}
	return 0;
}

static int check_decl_tag_resolved(const struct objfmt_btf *btf, uint32_t id,
				   struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];
	const struct objfmt_btf_type *target = &btf->types[t->type];
	uint32_t components = 0;

	switch (target->kind) {
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		components = target->vlen;
		break;
	case OBJFMT_BTF_FUNC: {
		const struct objfmt_btf_type *proto = objfmt_btf__type(btf, target->type);
		components = proto ? proto->vlen : 0;
		break;
	}
	case OBJFMT_BTF_VAR: case OBJFMT_BTF_TYPEDEF:
		break;
	default:
		return fault(btf, id, diag, "invalid type id %u: a %s cannot carry a decl tag",
			     t->type, btf_kind_name(target->kind));
	}
	if (t->component_idx >= 0 && (uint32_t)t->component_idx >= components)
		return fault(btf, id, diag, "invalid component_idx %d (%s [%u] has %u)",
			     t->component_idx, btf_kind_name(target->kind), t->type, components);
	return 0;
}

static int check_resolved(const struct objfmt_btf *btf, uint32_t id,
			  const uint32_t *resolved_at, struct objfmt_diag *diag)
{
	const struct objfmt_btf_type *t = &btf->types[id];

	switch (t->kind) {
	case OBJFMT_BTF_PTR: case OBJFMT_BTF_TYPEDEF: case OBJFMT_BTF_VOLATILE:
	case OBJFMT_BTF_CONST: case OBJFMT_BTF_RESTRICT: case OBJFMT_BTF_TYPE_TAG:
		return check_target(btf, id, resolved_at, diag);
	case OBJFMT_BTF_ARRAY:
		return check_array_resolved(btf, id, diag);
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		for (uint32_t i = 0; i < t->vlen; i++) {
			int err = check_member_bounds(btf, id, i, diag);
			if (err)
				return err;
		}
		return 0;
	case OBJFMT_BTF_VAR:
		if (source_only(btf, t->type) || objfmt_btf__size(btf, t->type) < 0)
			return fault(btf, id, diag, "invalid type id %u: VAR type %s", t->type,
				     size_problem(btf, t->type));
		return 0;
	case OBJFMT_BTF_DATASEC:
		return check_datasec_resolved(btf, id, diag);
	case OBJFMT_BTF_FUNC:
		return check_func_resolved(btf, id, diag);
	case OBJFMT_BTF_FUNC_PROTO:
		return check_proto_resolved(btf, id, diag);
	case OBJFMT_BTF_DECL_TAG:
		return check_decl_tag_resolved(btf, id, diag);
	default:
		return 0;
	}
}

/* Type tags must come first in a chain of modifiers (PTR -> TYPE_TAG -> CONST -> INT,
 * never CONST -> TYPE_TAG), checked as the kernel's btf_check_type_tags does: chains
 * of at most 32, stopping at types whose own chain was checked before. */
static int check_type_tags(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	uint32_t good_id = 0;

	for (uint32_t id = 1; id <= btf->count; id++) {
		const struct objfmt_btf_type *t = &btf->types[id];
		if (!is_modifier_kind(t->kind))
			continue;
		int in_tags = t->kind == OBJFMT_BTF_TYPE_TAG, chain_limit = 32;
		uint32_t current = id;
		while (t && is_modifier_kind(t->kind)) {
			if (!chain_limit--)
				return fault(btf, id, diag, "max chain length or cycle detected");
			if (t->kind == OBJFMT_BTF_TYPE_TAG && !in_tags)
				return fault(btf, id, diag, "type tags don't precede modifiers "
					     "([%u] TYPE_TAG follows a modifier)", current);
			if (t->kind != OBJFMT_BTF_TYPE_TAG)
				in_tags = 0;
			if (current <= good_id)
				break;
			current = t->type;
			t = objfmt_btf__type(btf, current);
		}
		good_id = id;
	}
	return 0;
}

#define BTF_MAX_TYPES 0x000fffff       /* BTF_MAX_TYPE of the UAPI header */
#define BTF_MAX_STRINGS_SIZE 0x00ffffff /* BTF_MAX_NAME_OFFSET */

/* Whole-BTF limits the kernel applies before looking at types. */
static int check_totals(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	if (btf->count == 0)
		return objfmt_diag_set(diag, -EINVAL, "BTF", "no type found");
	if (btf->count > BTF_MAX_TYPES)
		return objfmt_diag_set(diag, -EINVAL, "BTF", "%u types, more than the %u allowed",
				       btf->count, BTF_MAX_TYPES);
	if (btf_strtab_size(&btf->strings) > BTF_MAX_STRINGS_SIZE)
		return objfmt_diag_set(diag, -EINVAL, "BTF", "string section of %u bytes, more "
				       "than the %u allowed", btf_strtab_size(&btf->strings),
				       BTF_MAX_STRINGS_SIZE);
	return 0;
}

int objfmt_btf__validate(const struct objfmt_btf *btf, struct objfmt_diag *diag)
{
	if (!btf)
		return -EINVAL;
	int total_err = check_totals(btf, diag);
	if (total_err)
		return total_err;
	for (uint32_t id = 1; id <= btf->count; id++) {
		int err = check_meta(btf, id, diag);
		if (err)
			return err;
	}
	uint32_t *resolved_at = NULL;
	int err = check_loops(btf, &resolved_at, diag);
	for (uint32_t id = 1; !err && id <= btf->count; id++)
		err = check_resolved(btf, id, resolved_at, diag);
	free(resolved_at);
	return err ? err : check_type_tags(btf, diag);
}
