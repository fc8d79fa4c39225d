/* link_maps.c - when two objects describe the same symbol: structural equality of BTF
 * types (a FWD equals the struct of its name, parameter names do not matter), the
 * attributes of BTF-defined maps (type, key/value, max_entries, flags, inner map),
 * and static initializers of .maps that name programs no object defines.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "link_int.h"

enum { LINK_TYPE_DEPTH = 24 }; /* deeper chains are taken as equal (cycles) */

static bool names_equal(const struct objfmt_btf_type *a, const struct objfmt_btf_type *b)
{
	return strcmp(a->name ? a->name : "", b->name ? b->name : "") == 0;
}

static bool types_equal(const struct objfmt_btf *btf, uint32_t a, uint32_t b, int depth);

static bool members_equal(const struct objfmt_btf *btf, const struct objfmt_btf_type *a,
			  const struct objfmt_btf_type *b, bool names, int depth)
{
	uint32_t i;

	if (a->vlen != b->vlen)
		return false;
	for (i = 0; i < a->vlen; i++) {
		const struct objfmt_btf_member *ma = &a->members[i], *mb = &b->members[i];

		if (names && strcmp(ma->name ? ma->name : "", mb->name ? mb->name : ""))
			return false;
		if (ma->bit_offset != mb->bit_offset || ma->bitfield != mb->bitfield ||
		    ma->value != mb->value)
			return false;
		if (a->kind != OBJFMT_BTF_ENUM && a->kind != OBJFMT_BTF_ENUM64 &&
		    !types_equal(btf, ma->type, mb->type, depth + 1))
			return false;
	}
	return true;
}

/* A FWD matches a STRUCT/UNION (or FWD) of the same name and flavour. */
static bool forward_matches(const struct objfmt_btf_type *a, const struct objfmt_btf_type *b)
{
	const struct objfmt_btf_type *fwd = a->kind == OBJFMT_BTF_FWD ? a : b;
	const struct objfmt_btf_type *other = fwd == a ? b : a;
	bool is_union = fwd->kind_flag;

	if (!names_equal(a, b))
		return false;
	if (other->kind == OBJFMT_BTF_FWD)
		return other->kind_flag == is_union;
	return other->kind == (is_union ? OBJFMT_BTF_UNION : OBJFMT_BTF_STRUCT);
}

static bool types_equal(const struct objfmt_btf *btf, uint32_t a, uint32_t b, int depth)
{
	const struct objfmt_btf_type *ta = objfmt_btf__type(btf, a);
	const struct objfmt_btf_type *tb = objfmt_btf__type(btf, b);

	if (a == b || depth > LINK_TYPE_DEPTH)
		return true;
	if (!ta || !tb)
		return false;
	if (ta->kind == OBJFMT_BTF_FWD || tb->kind == OBJFMT_BTF_FWD)
		return forward_matches(ta, tb);
	if (ta->kind != tb->kind || (ta->kind != OBJFMT_BTF_FUNC_PROTO && !names_equal(ta, tb)))
		return false;
	switch (ta->kind) {
	case OBJFMT_BTF_INT:
		return ta->size == tb->size && ta->int_encoding == tb->int_encoding &&
		       ta->int_offset == tb->int_offset && ta->int_bits == tb->int_bits;
	case OBJFMT_BTF_FLOAT:
		return ta->size == tb->size;
	case OBJFMT_BTF_ARRAY:
		return ta->array_nelems == tb->array_nelems &&
		       types_equal(btf, ta->array_elem, tb->array_elem, depth + 1);
	case OBJFMT_BTF_STRUCT:
	case OBJFMT_BTF_UNION:
	case OBJFMT_BTF_ENUM:
	case OBJFMT_BTF_ENUM64:
		return ta->size == tb->size && ta->kind_flag == tb->kind_flag &&
		       members_equal(btf, ta, tb, true, depth);
	case OBJFMT_BTF_FUNC_PROTO:
		return types_equal(btf, ta->type, tb->type, depth + 1) &&
		       members_equal(btf, ta, tb, false, depth);
	case OBJFMT_BTF_DATASEC:
		return true;
	default: /* PTR, TYPEDEF, modifiers, FUNC, VAR, tags: their target */
		return types_equal(btf, ta->type, tb->type, depth + 1);
	}
}

bool link_btf_types_equal(const struct objfmt_btf *btf, uint32_t a, uint32_t b)
{
	return types_equal(btf, a, b, 0);
}

static const char *const kind_names[] = {
	"void", "int", "pointer", "array", "struct", "union", "enum", "forward declaration",
	"typedef", "volatile", "const", "restrict", "function", "function prototype",
	"variable", "section", "float", "declaration tag", "type tag", "enum",
};

const char *link_btf_describe(const struct objfmt_btf *btf, uint32_t id, char *buf,
			      size_t len)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, id);
	int64_t size = objfmt_btf__size(btf, id);
	const char *kind = t && t->kind < sizeof(kind_names) / sizeof(kind_names[0]) ?
			   kind_names[t->kind] : "void";

	if (t && t->name && *t->name && size >= 0)
		snprintf(buf, len, "%s '%s' of %lld bytes", kind, t->name, (long long)size);
	else if (t && t->name && *t->name)
		snprintf(buf, len, "%s '%s'", kind, t->name);
	else if (size >= 0 && t)
		snprintf(buf, len, "%s of %lld bytes", kind, (long long)size);
	else
		snprintf(buf, len, "%s", kind);
	return buf;
}

/* ---- BTF-defined maps: struct { __uint(type, ...); __type(key, ...); ... } ---- */

enum map_field { MAP_TYPE, MAP_KEY_SIZE, MAP_VALUE_SIZE, MAP_MAX_ENTRIES, MAP_FLAGS,
		 MAP_NUMA_NODE, MAP_PINNING, MAP_EXTRA, MAP_FIELD_COUNT };

static const char *const map_field_names[MAP_FIELD_COUNT] = {
	"type", "key_size", "value_size", "max_entries", "map_flags", "numa_node",
	"pinning", "map_extra",
};

struct map_def {
	uint64_t fields[MAP_FIELD_COUNT]; /* __uint() values; 0 when absent */
	uint32_t key_type;                /* __type(key, T): T, 0 when absent */
	uint32_t value_type;              /* __type(value, T): T, 0 when absent */
	uint32_t inner;                   /* __array(values, struct {...}): the struct */
};

/* __uint(name, N) is `int (*name)[N]`: N is the array's element count. */
static bool uint_field(const struct objfmt_btf *btf, uint32_t type, uint64_t *value)
{
	const struct objfmt_btf_type *ptr = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));
	const struct objfmt_btf_type *array;

	if (!ptr || ptr->kind != OBJFMT_BTF_PTR)
		return false;
	array = objfmt_btf__type(btf, objfmt_btf__resolve(btf, ptr->type));
	if (!array || array->kind != OBJFMT_BTF_ARRAY)
		return false;
	*value = array->array_nelems;
	return true;
}

static uint32_t pointer_target(const struct objfmt_btf *btf, uint32_t type)
{
	const struct objfmt_btf_type *ptr = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));

	return ptr && ptr->kind == OBJFMT_BTF_PTR ? ptr->type : 0;
}

/* The inner map struct of __array(values, struct {...}); 0 for programs. */
static uint32_t values_inner(const struct objfmt_btf *btf, uint32_t type)
{
	const struct objfmt_btf_type *array = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));
	const struct objfmt_btf_type *target;
	uint32_t id;

	if (!array || array->kind != OBJFMT_BTF_ARRAY)
		return 0;
	id = objfmt_btf__resolve(btf, pointer_target(btf, array->array_elem));
	target = objfmt_btf__type(btf, id);
	return target && target->kind == OBJFMT_BTF_STRUCT ? id : 0;
}

static void map_def_parse(const struct objfmt_btf *btf, uint32_t type, struct map_def *def)
{
	const struct objfmt_btf_type *st = objfmt_btf__type(btf, objfmt_btf__resolve(btf, type));
	uint32_t i, f;

	memset(def, 0, sizeof(*def));
	if (!st || st->kind != OBJFMT_BTF_STRUCT)
		return;
	for (i = 0; i < st->vlen; i++) {
		const struct objfmt_btf_member *m = &st->members[i];
		const char *name = m->name ? m->name : "";

		if (strcmp(name, "key") == 0)
			def->key_type = pointer_target(btf, m->type);
		else if (strcmp(name, "value") == 0)
			def->value_type = pointer_target(btf, m->type);
		else if (strcmp(name, "values") == 0)
			def->inner = values_inner(btf, m->type);
		for (f = 0; f < MAP_FIELD_COUNT; f++)
			if (strcmp(name, map_field_names[f]) == 0)
				uint_field(btf, m->type, &def->fields[f]);
	}
	if (def->key_type && objfmt_btf__size(btf, def->key_type) >= 0)
		def->fields[MAP_KEY_SIZE] = (uint64_t)objfmt_btf__size(btf, def->key_type);
	if (def->value_type && objfmt_btf__size(btf, def->value_type) >= 0)
		def->fields[MAP_VALUE_SIZE] = (uint64_t)objfmt_btf__size(btf, def->value_type);
}

static int map_defs_compare(const struct objfmt_btf *btf, const char *what, uint32_t a,
			    const char *a_input, uint32_t b, const char *b_input, int depth,
			    struct ld_diag *diag);

/* Key and value types, when both sides name one, must be the same type. */
static int map_types_compare(const struct objfmt_btf *btf, const char *what,
			     const struct map_def *da, const char *a_input,
			     const struct map_def *db, const char *b_input, struct ld_diag *diag)
{
	char ta[96], tb[96];

	if (da->key_type && db->key_type && !link_btf_types_equal(btf, da->key_type, db->key_type))
		return link_error(diag, -EINVAL, "%s: key type differs: %s in %s, %s in %s",
				  what, link_btf_describe(btf, da->key_type, ta, sizeof(ta)),
				  a_input, link_btf_describe(btf, db->key_type, tb, sizeof(tb)),
				  b_input);
	if (da->value_type && db->value_type &&
	    !link_btf_types_equal(btf, da->value_type, db->value_type))
		return link_error(diag, -EINVAL, "%s: value type differs: %s in %s, %s in %s",
				  what, link_btf_describe(btf, da->value_type, ta, sizeof(ta)),
				  a_input, link_btf_describe(btf, db->value_type, tb, sizeof(tb)),
				  b_input);
	return 0;
}

static int map_defs_compare(const struct objfmt_btf *btf, const char *what, uint32_t a,
			    const char *a_input, uint32_t b, const char *b_input, int depth,
			    struct ld_diag *diag)
{
	struct map_def da, db;
	char inner_what[160];
	int f, err;

	map_def_parse(btf, a, &da);
	map_def_parse(btf, b, &db);
	for (f = 0; f < MAP_FIELD_COUNT; f++)
		if (da.fields[f] != db.fields[f])
			return link_error(diag, -EINVAL, "%s: %s differs: %llu in %s, %llu in %s",
					  what, map_field_names[f],
					  (unsigned long long)da.fields[f], a_input,
					  (unsigned long long)db.fields[f], b_input);
	err = map_types_compare(btf, what, &da, a_input, &db, b_input, diag);
	if (err)
		return err;
	if (!da.inner != !db.inner)
		return link_error(diag, -EINVAL, "%s: inner map is defined in %s but not in %s",
				  what, da.inner ? a_input : b_input, da.inner ? b_input : a_input);
	if (!da.inner || depth > 2)
		return 0;
	snprintf(inner_what, sizeof(inner_what), "%s: inner map", what);
	return map_defs_compare(btf, inner_what, da.inner, a_input, db.inner, b_input,
				depth + 1, diag);
}

int link_maps_compare(const struct objfmt_btf *btf, const char *map_name, uint32_t a,
		      const char *a_input, uint32_t b, const char *b_input,
		      struct ld_diag *diag)
{
	char what[128];

	snprintf(what, sizeof(what), "map '%s'", map_name);
	return map_defs_compare(btf, what, a, a_input, b, b_input, 0, diag);
}

/* The map (a symbol in .maps) whose bytes hold `offset`, NULL if none. */
static const struct objfmt_symbol *map_at(const struct objfmt_object *out, size_t section,
					  uint64_t offset)
{
	size_t i;

	for (i = 0; i < objfmt_object__symbol_count(out); i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(out, i);

		if (sym->section == section && sym->type != OBJFMT_SYM_SECTION &&
		    offset >= sym->value && offset < sym->value + sym->size)
			return sym;
	}
	return NULL;
}

int link_maps_check_initializers(struct ld_linker *linker, struct ld_diag *diag)
{
	int maps = objfmt_object__find_section(linker->out, ".maps");
	size_t i;

	if (maps < 0)
		return 0;
	for (i = 0; i < linker->reloc_count; i++) {
		const struct objfmt_reloc *rel = &linker->relocs[i];
		const struct objfmt_symbol *target, *map;

		if (rel->section != (size_t)maps)
			continue;
		target = objfmt_object__symbol(linker->out, rel->symbol);
		if (target->section != OBJFMT_SECTION_UNDEF)
			continue;
		map = map_at(linker->out, (size_t)maps, rel->offset);
		return link_error(diag, -EINVAL, "map '%s' in %s: static initializer refers "
				  "to '%s', which no object defines", map ? map->name : "?",
				  linker->reloc_inputs[i], target->name);
	}
	return 0;
}
