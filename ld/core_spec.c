/* core_spec.c - CO-RE access specs: the local access string "0:1:2" walked through the
 * object's BTF (bpf_core_parse_spec), and the same path followed by member names in
 * a candidate target type (bpf_core_spec_match), anonymous members looked through.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

static bool is_composite(const struct objfmt_btf_type *t)
{
	return t && (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION);
}

static const struct objfmt_btf_type *skip(const struct objfmt_btf *btf, uint32_t *id)
{
	*id = objfmt_btf__resolve(btf, *id);
	return objfmt_btf__type(btf, *id);
}

/* "0:1:2" into spec->raw; libbpf reads each index with %d. */
static int parse_indices(const char *text, struct core_spec *spec)
{
	if (!text || !*text || *text == ':')
		return -EINVAL;
	while (*text) {
		char *end;
		if (*text == ':')
			text++;
		long value = strtol(text, &end, 10);
		if (end == text || value < 0 || value > INT32_MAX)
			return -EINVAL;
		if (spec->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		spec->raw[spec->raw_len++] = (uint32_t)value;
		text = end;
	}
	return spec->raw_len ? 0 : -EINVAL;
}

/* Is the array accessed by `array` the last member of its struct (a flexible array)? */
static bool is_flexible_array(const struct objfmt_btf *btf, const struct core_accessor *owner,
			      const struct objfmt_btf_type *array)
{
	const struct objfmt_btf_type *t;

	if (!owner->name || array->array_nelems)
		return false;
	t = objfmt_btf__type(btf, owner->type_id);
	return is_composite(t) && owner->index + 1 == t->vlen;
}

/* One step of the local path from composite/array type `t` (id *id). */
static int parse_step(struct core_spec *spec, const struct objfmt_btf_type *t, uint32_t *id,
		      uint32_t index)
{
	struct core_accessor *acc = &spec->spec[spec->len];

	if (is_composite(t)) {
		if (index >= t->vlen)
			return -EINVAL;
		const struct objfmt_btf_member *m = &t->members[index];
		spec->bit_offset += m->bit_offset;
		if (m->name && *m->name) { /* anonymous members are looked through */
			*acc = (struct core_accessor){ *id, index, m->name };
			spec->len++;
		}
		*id = m->type;
		return 0;
	}
	if (t && t->kind == OBJFMT_BTF_ARRAY) {
		uint32_t elem = objfmt_btf__resolve(spec->btf, t->array_elem);
		if (!is_flexible_array(spec->btf, acc - 1, t) && index >= t->array_nelems)
			return -EINVAL;
		*acc = (struct core_accessor){ elem, index, NULL };
		spec->len++;
		int64_t size = objfmt_btf__size(spec->btf, elem);
		if (size < 0)
			return (int)size;
		spec->bit_offset += (uint64_t)index * (uint64_t)size * 8;
		*id = elem;
		return 0;
	}
	return -EINVAL;
}

int core_spec_parse(const struct objfmt_btf *btf, uint32_t type_id, const char *access,
		    uint32_t kind, struct core_spec *spec)
{
	const struct objfmt_btf_type *t;
	uint32_t id = type_id;
	int err;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_id = type_id;
	spec->kind = kind;
	if (!access || !*access || *access == ':')
		return -EINVAL;
	if (core_kind_is_type(kind))
		return strcmp(access, "0") ? -EINVAL : 0;
	if ((err = parse_indices(access, spec)))
		return err;
	if (!(t = skip(btf, &id)))
		return -EINVAL;
	spec->spec[0] = (struct core_accessor){ id, spec->raw[0], NULL };
	spec->len = 1;
	if (core_kind_is_enum(kind)) {
		if ((t->kind != OBJFMT_BTF_ENUM && t->kind != OBJFMT_BTF_ENUM64) ||
		    spec->raw_len > 1 || spec->raw[0] >= t->vlen)
			return -EINVAL;
		spec->spec[0].name = t->members[spec->raw[0]].name;
		return 0;
	}
	if (!core_kind_is_field(kind))
		return -EINVAL;
	int64_t size = objfmt_btf__size(btf, id);
	if (size < 0)
		return (int)size;
	spec->bit_offset = (uint64_t)spec->raw[0] * (uint64_t)size * 8;
	for (uint32_t i = 1; i < spec->raw_len; i++) {
		t = skip(btf, &id);
		if ((err = parse_step(spec, t, &id, spec->raw[i])))
			return err;
	}
	return 0;
}

/* Find the local member's namesake in target composite `id`, descending into
 * anonymous members; bpf_core_match_member: 1 found, 0 not, negative errno. */
static int match_member(const struct core_spec *local, const struct core_accessor *local_acc,
			uint32_t id, struct core_spec *target, uint32_t *next_id)
{
	const struct objfmt_btf_type *lt = objfmt_btf__type(local->btf, local_acc->type_id);
	const struct objfmt_btf_member *lm = &lt->members[local_acc->index];
	const struct objfmt_btf_type *t = skip(target->btf, &id);

	if (!t)
		return id ? -EINVAL : 0; /* void is no composite */
	if (!is_composite(t))
		return 0;
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_member *m = &t->members[i];
		if (target->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		target->bit_offset += m->bit_offset;
		target->raw[target->raw_len++] = i;
		if (!m->name || !*m->name) {
			int found = match_member(local, local_acc, m->type, target, next_id);
			if (found)
				return found;
		} else if (strcmp(lm->name, m->name) == 0) {
			target->spec[target->len++] = (struct core_accessor){ id, i, m->name };
			*next_id = m->type;
			int found = core_fields_compatible(local->btf, lm->type, target->btf, m->type);
			if (!found)
				target->len--;
			return found;
		}
		target->bit_offset -= m->bit_offset;
		target->raw_len--;
	}
	return 0;
}

/* An enumerator of the same flavor-less name in target enum `id`. */
static int match_enumerator(const struct core_spec *local, uint32_t id, struct core_spec *target)
{
	const struct objfmt_btf_type *t = skip(target->btf, &id);
	const char *name = local->spec[0].name;
	size_t length = core_essential_name_length(name);

	if (!t || (t->kind != OBJFMT_BTF_ENUM && t->kind != OBJFMT_BTF_ENUM64))
		return 0;
	for (uint32_t i = 0; i < t->vlen; i++) {
		const char *candidate = t->members[i].name;
		if (core_essential_name_length(candidate) == length &&
		    strncmp(name, candidate, length) == 0) {
			target->spec[target->len++] = (struct core_accessor){ id, i, candidate };
			target->raw[target->raw_len++] = i;
			return 1;
		}
	}
	return 0;
}

/* An array accessor: element `index` of the target array (i > 0) or of the root. */
static int match_index(const struct core_accessor *local_acc, uint32_t i, uint32_t *id,
		       const struct objfmt_btf_type *t, struct core_spec *target)
{
	if (i > 0) {
		if (t->kind != OBJFMT_BTF_ARRAY)
			return 0;
		if (!is_flexible_array(target->btf, &target->spec[target->len - 1], t) &&
		    local_acc->index >= t->array_nelems)
			return 0;
		*id = objfmt_btf__resolve(target->btf, t->array_elem);
	}
	if (target->raw_len == CORE_SPEC_MAX)
		return -E2BIG;
	target->spec[target->len++] = (struct core_accessor){ *id, local_acc->index, NULL };
	target->raw[target->raw_len++] = local_acc->index;
	int64_t size = objfmt_btf__size(target->btf, *id);
	if (size < 0)
		return (int)size;
	target->bit_offset += (uint64_t)local_acc->index * (uint64_t)size * 8;
	return 1;
}

int core_spec_match(const struct core_spec *local, const struct objfmt_btf *target,
		    uint32_t target_id, struct core_spec *out)
{
	memset(out, 0, sizeof(*out));
	out->btf = target;
	out->root_id = target_id;
	out->kind = local->kind;
	if (core_kind_is_type(local->kind))
		return local->kind == OBJFMT_CORE_TYPE_MATCHES
			       ? core_types_match(local->btf, local->root_id, target, target_id, false, 32)
			       : core_types_compatible(local->btf, local->root_id, target, target_id, 32);
	if (core_kind_is_enum(local->kind))
		return match_enumerator(local, target_id, out);
	if (!core_kind_is_field(local->kind))
		return -EINVAL;
	uint32_t id = target_id;
	for (uint32_t i = 0; i < local->len; i++) {
		const struct core_accessor *acc = &local->spec[i];
		const struct objfmt_btf_type *t = skip(target, &id);
		int matched;
		if (!t)
			return id ? -EINVAL : 0;
		matched = acc->name ? match_member(local, acc, id, out, &id)
				    : match_index(acc, i, &id, t, out);
		if (matched <= 0)
			return matched;
	}
	return 1;
}
