/* btf.c - the BTF type graph: storage, builder, accessors, and the queries other
 * stages ask of it (find by name, resolve modifiers, byte size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_int.h"

static const char *const kind_names[] = {
	[OBJFMT_BTF_UNKN] = "UNKNOWN",    [OBJFMT_BTF_INT] = "INT",
	[OBJFMT_BTF_PTR] = "PTR",         [OBJFMT_BTF_ARRAY] = "ARRAY",
	[OBJFMT_BTF_STRUCT] = "STRUCT",   [OBJFMT_BTF_UNION] = "UNION",
	[OBJFMT_BTF_ENUM] = "ENUM",       [OBJFMT_BTF_FWD] = "FWD",
	[OBJFMT_BTF_TYPEDEF] = "TYPEDEF", [OBJFMT_BTF_VOLATILE] = "VOLATILE",
	[OBJFMT_BTF_CONST] = "CONST",     [OBJFMT_BTF_RESTRICT] = "RESTRICT",
	[OBJFMT_BTF_FUNC] = "FUNC",       [OBJFMT_BTF_FUNC_PROTO] = "FUNC_PROTO",
	[OBJFMT_BTF_VAR] = "VAR",         [OBJFMT_BTF_DATASEC] = "DATASEC",
	[OBJFMT_BTF_FLOAT] = "FLOAT",     [OBJFMT_BTF_DECL_TAG] = "DECL_TAG",
	[OBJFMT_BTF_TYPE_TAG] = "TYPE_TAG", [OBJFMT_BTF_ENUM64] = "ENUM64",
};

const char *btf_kind_name(enum objfmt_btf_kind kind)
{
	if ((unsigned)kind > BTF_MAX_KIND)
		return "UNKNOWN";
	return kind_names[kind];
}

int btf_kind_has_target(enum objfmt_btf_kind kind)
{
	switch (kind) {
	case OBJFMT_BTF_PTR:
	case OBJFMT_BTF_TYPEDEF:
	case OBJFMT_BTF_VOLATILE:
	case OBJFMT_BTF_CONST:
	case OBJFMT_BTF_RESTRICT:
	case OBJFMT_BTF_FUNC:
	case OBJFMT_BTF_VAR:
	case OBJFMT_BTF_DECL_TAG:
	case OBJFMT_BTF_TYPE_TAG:
		return 1;
	default:
		return 0;
	}
}

int btf_kind_is_composite(enum objfmt_btf_kind kind)
{
	return kind == OBJFMT_BTF_STRUCT || kind == OBJFMT_BTF_UNION;
}

struct objfmt_btf *objfmt_btf__new(void)
{
	struct objfmt_btf *btf = calloc(1, sizeof(*btf));

	if (!btf)
		return NULL;
	btf_strtab_init(&btf->strings);
	const char *empty;
	if (btf_strtab_intern(&btf->strings, "", &empty) < 0) {
		free(btf);
		errno = ENOMEM;
		return NULL;
	}
	return btf;
}

void objfmt_btf__free(struct objfmt_btf *btf)
{
	if (!btf)
		return;
	for (uint32_t id = 1; id <= btf->count; id++)
		free(btf->types[id].members);
	free(btf->types);
	free(btf->extra);
	btf_strtab_release(&btf->strings);
	free(btf);
}

int btf_reserve(struct objfmt_btf *btf, uint32_t more)
{
	uint64_t need = (uint64_t)btf->count + 1 + more;

	if (need > (1u << 31))
		return -E2BIG;
	if (need <= btf->capacity)
		return 0;
	uint64_t capacity = btf->capacity ? btf->capacity : 16;
	while (capacity < need)
		capacity *= 2;
	struct objfmt_btf_type *types = realloc(btf->types, capacity * sizeof(*types));
	if (!types)
		return -ENOMEM;
	btf->types = types;
	struct btf_type_extra *extras = realloc(btf->extra, capacity * sizeof(*extras));
	if (!extras)
		return -ENOMEM;
	btf->extra = extras;
	if (btf->capacity == 0) {
		memset(&btf->types[0], 0, sizeof(btf->types[0]));
		memset(&btf->extra[0], 0, sizeof(btf->extra[0]));
	}
	btf->capacity = (uint32_t)capacity;
	return 0;
}

static int member_reserve(struct objfmt_btf *btf, uint32_t id, uint32_t need)
{
	struct objfmt_btf_type *t = &btf->types[id];

	if (need <= btf->extra[id].member_capacity)
		return 0;
	uint32_t capacity = btf->extra[id].member_capacity ? btf->extra[id].member_capacity : 4;
	while (capacity < need)
		capacity *= 2;
	struct objfmt_btf_member *members = realloc(t->members, capacity * sizeof(*members));
	if (!members)
		return -ENOMEM;
	t->members = members;
	btf->extra[id].member_capacity = capacity;
	return 0;
}

/* Store a copy of `m` (name interned) as member `index` of type `id`. */
static int member_store(struct objfmt_btf *btf, uint32_t id, uint32_t index,
			const struct objfmt_btf_member *m)
{
	struct objfmt_btf_member copy = *m;
	int64_t off = btf_strtab_intern(&btf->strings, m->name, &copy.name);

	if (off < 0)
		return (int)off;
	btf->types[id].members[index] = copy;
	return 0;
}

int objfmt_btf__add(struct objfmt_btf *btf, const struct objfmt_btf_type *t)
{
	if (!btf || !t || (unsigned)t->kind > BTF_MAX_KIND || t->kind == OBJFMT_BTF_UNKN ||
	    t->vlen > BTF_MAX_VLEN || (t->vlen && !t->members))
		return -EINVAL;
	int err = btf_reserve(btf, 1);
	if (err)
		return err;
	uint32_t id = btf->count + 1;
	struct objfmt_btf_type *copy = &btf->types[id];
	*copy = *t;
	copy->members = NULL;
	copy->vlen = 0;
	memset(&btf->extra[id], 0, sizeof(btf->extra[id]));
	int64_t off = btf_strtab_intern(&btf->strings, t->name, &copy->name);
	if (off < 0)
		return (int)off;
	btf->count = id;
	if (t->vlen) {
		err = member_reserve(btf, id, t->vlen);
		for (uint32_t i = 0; !err && i < t->vlen; i++)
			err = member_store(btf, id, i, &t->members[i]);
		if (err) {
			free(copy->members);
			btf->count--;
			return err;
		}
		copy->vlen = t->vlen;
	}
	return (int)id;
}

int objfmt_btf__add_int(struct objfmt_btf *btf, const char *name, uint32_t size,
			uint32_t encoding)
{
	struct objfmt_btf_type t = {
		.kind = OBJFMT_BTF_INT, .name = name, .size = size,
		.int_encoding = encoding, .int_bits = size * 8,
	};
	return objfmt_btf__add(btf, &t);
}

int objfmt_btf__add_ptr(struct objfmt_btf *btf, uint32_t target)
{
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_PTR, .name = "", .type = target };
	return objfmt_btf__add(btf, &t);
}

int objfmt_btf__add_array(struct objfmt_btf *btf, uint32_t elem, uint32_t index,
			  uint32_t nelems)
{
	struct objfmt_btf_type t = {
		.kind = OBJFMT_BTF_ARRAY, .name = "", .array_elem = elem,
		.array_index = index, .array_nelems = nelems,
	};
	return objfmt_btf__add(btf, &t);
}

int objfmt_btf__add_typedef(struct objfmt_btf *btf, const char *name, uint32_t target)
{
	struct objfmt_btf_type t = { .kind = OBJFMT_BTF_TYPEDEF, .name = name, .type = target };
	return objfmt_btf__add(btf, &t);
}

int objfmt_btf__add_var(struct objfmt_btf *btf, const char *name, uint32_t type,
			uint32_t linkage)
{
	struct objfmt_btf_type t = {
		.kind = OBJFMT_BTF_VAR, .name = name, .type = type, .linkage = linkage,
	};
	return objfmt_btf__add(btf, &t);
}

int objfmt_btf__add_member(struct objfmt_btf *btf, uint32_t id,
			   const struct objfmt_btf_member *m)
{
	if (!btf || !m || id == 0 || id > btf->count)
		return -EINVAL;
	struct objfmt_btf_type *t = &btf->types[id];
	if (t->vlen >= BTF_MAX_VLEN)
		return -E2BIG;
	int err = member_reserve(btf, id, t->vlen + 1);
	if (!err)
		err = member_store(btf, id, t->vlen, m);
	if (err)
		return err;
	t->vlen++;
	return 0;
}

uint32_t objfmt_btf__type_count(const struct objfmt_btf *btf)
{
	return btf ? btf->count : 0;
}

const struct objfmt_btf_type *objfmt_btf__type(const struct objfmt_btf *btf, uint32_t id)
{
	if (!btf || id == 0 || id > btf->count)
		return NULL;
	return &btf->types[id];
}

struct objfmt_btf_type *objfmt_btf__type_mut(struct objfmt_btf *btf, uint32_t id)
{
	if (!btf || id == 0 || id > btf->count)
		return NULL;
	return &btf->types[id];
}

int objfmt_btf__find(const struct objfmt_btf *btf, enum objfmt_btf_kind kind,
		     const char *name)
{
	if (!btf || !name)
		return -EINVAL;
	for (uint32_t id = 1; id <= btf->count; id++) {
		const struct objfmt_btf_type *t = &btf->types[id];
		if (t->kind == kind && t->name && strcmp(t->name, name) == 0)
			return (int)id;
	}
	return -ENOENT;
}

static int is_modifier(enum objfmt_btf_kind kind)
{
	return kind == OBJFMT_BTF_TYPEDEF || kind == OBJFMT_BTF_VOLATILE ||
	       kind == OBJFMT_BTF_CONST || kind == OBJFMT_BTF_RESTRICT ||
	       kind == OBJFMT_BTF_TYPE_TAG;
}

/* A chain longer than the type count is a cycle: stop there rather than loop. */
uint32_t objfmt_btf__resolve(const struct objfmt_btf *btf, uint32_t id)
{
	if (!btf)
		return 0;
	for (uint32_t steps = 0; steps <= btf->count; steps++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		if (!t || !is_modifier(t->kind))
			return t ? id : 0;
		id = t->type;
	}
	return id;
}

int64_t objfmt_btf__size(const struct objfmt_btf *btf, uint32_t id)
{
	uint64_t multiplier = 1;

	for (uint32_t steps = 0; btf && steps <= btf->count; steps++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
		if (!t)
			return -EINVAL;
		switch (t->kind) {
		case OBJFMT_BTF_INT: case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64: case OBJFMT_BTF_FLOAT:
		case OBJFMT_BTF_DATASEC:
			return multiplier * t->size > INT64_MAX / 2 ? -E2BIG
								    : (int64_t)(multiplier * t->size);
		case OBJFMT_BTF_PTR:
			return (int64_t)(multiplier * 8);
		case OBJFMT_BTF_ARRAY:
			if (t->array_nelems && multiplier > (UINT64_MAX >> 34) / t->array_nelems)
				return -E2BIG;
			multiplier *= t->array_nelems;
			id = t->array_elem;
			break;
		case OBJFMT_BTF_TYPEDEF: case OBJFMT_BTF_VOLATILE: case OBJFMT_BTF_CONST:
		case OBJFMT_BTF_RESTRICT: case OBJFMT_BTF_TYPE_TAG: case OBJFMT_BTF_VAR:
			id = t->type;
			break;
		default:
			return -EINVAL;
		}
	}
	return -ELOOP;
}

int64_t objfmt_btf__string_offset(const struct objfmt_btf *btf, const char *text)
{
	if (!btf)
		return -EINVAL;
	int64_t off = btf_strtab_find(&btf->strings, text);
	return off < 0 ? -ENOENT : off;
}

int64_t objfmt_btf__add_string(struct objfmt_btf *btf, const char *text)
{
	const char *stable;

	if (!btf)
		return -EINVAL;
	return btf_strtab_intern(&btf->strings, text, &stable);
}

const char *objfmt_btf__string(const struct objfmt_btf *btf, uint32_t offset)
{
	const char *text = btf ? btf_strtab_at(&btf->strings, offset) : NULL;

	if (!text)
		errno = ENOENT;
	return text;
}

/* Referenced ids of a copied type shift by `shift` (void stays 0). */
static void shift_refs(struct objfmt_btf_type *t, uint32_t shift)
{
	switch (t->kind) {
	case OBJFMT_BTF_ARRAY:
		t->array_elem += t->array_elem ? shift : 0;
		t->array_index += t->array_index ? shift : 0;
		return;
	case OBJFMT_BTF_FUNC_PROTO:
		t->type += t->type ? shift : 0;
		/* fall through */
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION: case OBJFMT_BTF_DATASEC:
		for (uint32_t i = 0; i < t->vlen; i++)
			t->members[i].type += t->members[i].type ? shift : 0;
		return;
	default:
		if (btf_kind_has_target(t->kind) && t->type)
			t->type += shift;
		return;
	}
}

int64_t objfmt_btf__append(struct objfmt_btf *dst, const struct objfmt_btf *src)
{
	if (!dst || !src || dst == src)
		return -EINVAL;
	uint32_t shift = dst->count, before = dst->count;
	for (uint32_t id = 1; id <= src->count; id++) {
		int added = objfmt_btf__add(dst, &src->types[id]);
		if (added < 0) {
			while (dst->count > before)
				free(dst->types[dst->count--].members);
			return added;
		}
		shift_refs(&dst->types[added], shift);
		dst->extra[added].int_spare = src->extra[id].int_spare;
	}
	return shift;
}
