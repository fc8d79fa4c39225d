/* core_compat.c - when a local type and a target type are the same thing for CO-RE:
 * flavor-less names, libbpf's field compatibility (member relocations), type
 * compatibility (type exists/size/id) and the stricter "types match" check.
 */
#include <errno.h>
#include <string.h>

#include "core_int.h"

#define CORE_MAX_DEPTH 32

bool core_kind_is_field(uint32_t kind) { return kind <= OBJFMT_CORE_FIELD_RSHIFT_U64; }
bool core_kind_is_enum(uint32_t kind)
{
	return kind == OBJFMT_CORE_ENUMVAL_EXISTS || kind == OBJFMT_CORE_ENUMVAL_VALUE;
}
bool core_kind_is_type(uint32_t kind)
{
	return (kind >= OBJFMT_CORE_TYPE_ID_LOCAL && kind <= OBJFMT_CORE_TYPE_SIZE) ||
	       kind == OBJFMT_CORE_TYPE_MATCHES;
}

/* "X___Y" with X and Y not underscores separates a flavor. */
static bool is_flavor_separator(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] != '_';
}

/* Length of `name` without its last "___flavor" suffix. */
size_t core_essential_name_length(const char *name)
{
	size_t length = strlen(name);

	for (long i = (long)length - 5; i >= 0; i--)
		if (is_flavor_separator(name + i))
			return (size_t)i + 1;
	return length;
}

static bool is_any_enum(const struct objfmt_btf_type *t)
{
	return t->kind == OBJFMT_BTF_ENUM || t->kind == OBJFMT_BTF_ENUM64;
}

static bool is_composite(const struct objfmt_btf_type *t)
{
	return t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION;
}

/* Same kind, where ENUM and ENUM64 count as one. */
bool core_kinds_compatible(const struct objfmt_btf_type *a, const struct objfmt_btf_type *b)
{
	return a->kind == b->kind || (is_any_enum(a) && is_any_enum(b));
}

/* Type `id`, with id 0 as libbpf's void type (kind UNKN); NULL for a bad id. */
static const struct objfmt_btf_type *type_of(const struct objfmt_btf *btf, uint32_t id)
{
	static const struct objfmt_btf_type void_type = { .kind = OBJFMT_BTF_UNKN, .name = "" };

	return id ? objfmt_btf__type(btf, id) : &void_type;
}

/* Skip modifiers and typedefs: the type and its id. */
static const struct objfmt_btf_type *skip(const struct objfmt_btf *btf, uint32_t *id)
{
	*id = objfmt_btf__resolve(btf, *id);
	return type_of(btf, *id);
}

/* bpf_core_names_match: an anonymous target matches only an anonymous local name,
 * a named one the same flavor-less name. */
static bool names_match(const char *local, const char *target)
{
	size_t local_length, target_length;

	if (!target || !*target)
		return !local || !*local;
	if (!local)
		local = "";
	local_length = core_essential_name_length(local);
	target_length = core_essential_name_length(target);
	return local_length == target_length && strncmp(local, target, local_length) == 0;
}

/* bpf_core_fields_are_compat: 1 compatible, 0 not, negative errno. */
int core_fields_compatible(const struct objfmt_btf *local, uint32_t local_id,
			   const struct objfmt_btf *target, uint32_t target_id)
{
	for (int depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		const struct objfmt_btf_type *l = skip(local, &local_id);
		const struct objfmt_btf_type *t = skip(target, &target_id);

		if (!l || !t)
			return -EINVAL;
		if (is_composite(l) && is_composite(t))
			return 1;
		if (!core_kinds_compatible(l, t))
			return 0;
		switch (l->kind) {
		case OBJFMT_BTF_PTR:
		case OBJFMT_BTF_FLOAT: return 1;
		case OBJFMT_BTF_FWD:
		case OBJFMT_BTF_ENUM:
		case OBJFMT_BTF_ENUM64: return names_match(l->name, t->name);
		case OBJFMT_BTF_INT: return l->int_offset == 0 && t->int_offset == 0;
		case OBJFMT_BTF_ARRAY:
			local_id = l->array_elem;
			target_id = t->array_elem;
			continue;
		default: return 0;
		}
	}
	return -EINVAL;
}

static int prototypes_compatible(const struct objfmt_btf *local, const struct objfmt_btf_type *l,
				 const struct objfmt_btf *target, const struct objfmt_btf_type *t,
				 int level)
{
	if (l->vlen != t->vlen)
		return 0;
	for (uint32_t i = 0; i < l->vlen; i++) {
		if (level <= 0)
			return -EINVAL;
		int err = core_types_compatible(local, objfmt_btf__resolve(local, l->members[i].type),
						target, objfmt_btf__resolve(target, t->members[i].type),
						level - 1);
		if (err <= 0)
			return err;
	}
	return 1;
}

/* __bpf_core_types_are_compat: names were compared by the caller. */
int core_types_compatible(const struct objfmt_btf *local, uint32_t local_id,
			  const struct objfmt_btf *target, uint32_t target_id, int level)
{
	const struct objfmt_btf_type *l = type_of(local, local_id);
	const struct objfmt_btf_type *t = type_of(target, target_id);

	if (l && t && !core_kinds_compatible(l, t))
		return 0;
	for (int depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		l = skip(local, &local_id);
		t = skip(target, &target_id);
		if (!l || !t)
			return -EINVAL;
		if (!core_kinds_compatible(l, t))
			return 0;
		switch (l->kind) {
		case OBJFMT_BTF_UNKN:
		case OBJFMT_BTF_STRUCT:
		case OBJFMT_BTF_UNION:
		case OBJFMT_BTF_ENUM:
		case OBJFMT_BTF_ENUM64:
		case OBJFMT_BTF_FWD: return 1;
		case OBJFMT_BTF_INT: return l->int_offset == 0 && t->int_offset == 0;
		case OBJFMT_BTF_PTR:
			local_id = l->type;
			target_id = t->type;
			continue;
		case OBJFMT_BTF_ARRAY:
			local_id = l->array_elem;
			target_id = t->array_elem;
			continue;
		case OBJFMT_BTF_FUNC_PROTO: {
			int err = prototypes_compatible(local, l, target, t, level);
			if (err <= 0)
				return err;
			local_id = l->type;
			target_id = t->type;
			continue;
		}
		default: return 0;
		}
	}
	return -EINVAL;
}

/* Every local enumerator has a namesake in the target, and the sizes agree. */
static int enums_match(const struct objfmt_btf_type *l, const struct objfmt_btf_type *t)
{
	if (l->size != t->size || l->vlen > t->vlen)
		return 0;
	for (uint32_t i = 0; i < l->vlen; i++) {
		bool found = false;
		for (uint32_t j = 0; j < t->vlen && !found; j++)
			found = names_match(l->members[i].name, t->members[j].name);
		if (!found)
			return 0;
	}
	return 1;
}

/* Every local member has a namesake in the target whose type matches. */
static int composites_match(const struct objfmt_btf *local, const struct objfmt_btf_type *l,
			    const struct objfmt_btf *target, const struct objfmt_btf_type *t,
			    bool behind_pointer, int level)
{
	if (l->vlen > t->vlen)
		return 0;
	for (uint32_t i = 0; i < l->vlen; i++) {
		bool found = false;
		for (uint32_t j = 0; j < t->vlen && !found; j++) {
			if (!names_match(l->members[i].name, t->members[j].name))
				continue;
			int err = core_types_match(local, l->members[i].type, target,
						   t->members[j].type, behind_pointer, level - 1);
			if (err < 0)
				return err;
			found = err > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* A forward declaration or composite against its counterpart (kind_flag: union). */
static int aggregates_match(const struct objfmt_btf_type *l, const struct objfmt_btf_type *t,
			    bool behind_pointer)
{
	if (l->kind == OBJFMT_BTF_FWD) {
		if (l->kind == t->kind)
			return l->kind_flag == t->kind_flag;
		return behind_pointer && ((t->kind == OBJFMT_BTF_STRUCT && !l->kind_flag) ||
					  (t->kind == OBJFMT_BTF_UNION && l->kind_flag));
	}
	if (l->kind == t->kind)
		return 1;
	return behind_pointer && t->kind == OBJFMT_BTF_FWD &&
	       (l->kind == OBJFMT_BTF_UNION) == t->kind_flag;
}

static int prototypes_match(const struct objfmt_btf *local, const struct objfmt_btf_type *l,
			    const struct objfmt_btf *target, const struct objfmt_btf_type *t,
			    bool behind_pointer, int level)
{
	if (l->vlen != t->vlen)
		return 0;
	for (uint32_t i = 0; i < l->vlen; i++) {
		int err = core_types_match(local, l->members[i].type, target, t->members[i].type,
					   behind_pointer, level - 1);
		if (err <= 0)
			return err;
	}
	return 1;
}

/* __bpf_core_types_match (bpf_core_type_matches): 1, 0 or negative errno. */
int core_types_match(const struct objfmt_btf *local, uint32_t local_id,
		     const struct objfmt_btf *target, uint32_t target_id, bool behind_pointer,
		     int level)
{
	if (level <= 0)
		return -EINVAL;
	for (int depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		const struct objfmt_btf_type *l = skip(local, &local_id);
		const struct objfmt_btf_type *t = skip(target, &target_id);

		if (!l || !t)
			return -EINVAL;
		if (!names_match(l->name, t->name))
			return 0;
		switch (l->kind) {
		case OBJFMT_BTF_UNKN: return t->kind == OBJFMT_BTF_UNKN;
		case OBJFMT_BTF_FWD:
		case OBJFMT_BTF_STRUCT:
		case OBJFMT_BTF_UNION:
			if (!behind_pointer && l->kind != OBJFMT_BTF_FWD && l->kind == t->kind)
				return composites_match(local, l, target, t, false, level);
			return aggregates_match(l, t, behind_pointer);
		case OBJFMT_BTF_ENUM:
		case OBJFMT_BTF_ENUM64: return is_any_enum(t) ? enums_match(l, t) : 0;
		case OBJFMT_BTF_INT:
			return t->kind == OBJFMT_BTF_INT && l->size == t->size &&
			       (l->int_encoding & OBJFMT_BTF_INT_SIGNED) ==
				       (t->int_encoding & OBJFMT_BTF_INT_SIGNED);
		case OBJFMT_BTF_PTR:
			if (t->kind != OBJFMT_BTF_PTR)
				return 0;
			behind_pointer = true;
			local_id = l->type;
			target_id = t->type;
			continue;
		case OBJFMT_BTF_ARRAY:
			if (t->kind != OBJFMT_BTF_ARRAY || l->array_nelems != t->array_nelems)
				return 0;
			local_id = l->array_elem;
			target_id = t->array_elem;
			continue;
		case OBJFMT_BTF_FUNC_PROTO: {
			if (t->kind != OBJFMT_BTF_FUNC_PROTO)
				return 0;
			int err = prototypes_match(local, l, target, t, behind_pointer, level);
			if (err <= 0)
				return err;
			local_id = l->type;
			target_id = t->type;
			continue;
		}
		default: return 0;
		}
	}
	return -EINVAL;
}
