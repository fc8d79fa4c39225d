/* link_btf.c - BTF of the inputs merged into one: types appended with their ids
 * shifted, one FUNC/VAR per global symbol (an extern's type replaced by the
 * definition's, after checking they agree), DATASECs rebuilt per output section from
 * the symbols' final offsets, structural dedup at the end, and .BTF.ext records moved
 * with their sections and renumbered.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

bool link_btf_is_global(const struct objfmt_btf_type *t)
{
	return (t->kind == OBJFMT_BTF_FUNC || t->kind == OBJFMT_BTF_VAR) &&
	       t->linkage != OBJFMT_BTF_VAR_STATIC && t->name && *t->name;
}

static struct link_datasec *datasec_get(struct ld_linker *linker, const char *name)
{
	struct link_datasec *ds;
	size_t i;

	for (i = 0; i < linker->datasec_count; i++)
		if (strcmp(linker->datasecs[i].name, name) == 0)
			return &linker->datasecs[i];
	if (link_grow((void **)&linker->datasecs, linker->datasec_count, sizeof(*ds)))
		return NULL;
	ds = &linker->datasecs[linker->datasec_count];
	memset(ds, 0, sizeof(*ds));
	ds->name = link_strdup(name);
	if (!ds->name)
		return NULL;
	linker->datasec_count++;
	return ds;
}

void link_datasecs_free(struct ld_linker *linker)
{
	size_t i;

	for (i = 0; i < linker->datasec_count; i++) {
		free(linker->datasecs[i].name);
		free(linker->datasecs[i].entries);
	}
	free(linker->datasecs);
}

/* Whether type `id` of `src` is listed in a DATASEC called `name`. */
static bool in_datasec(const struct objfmt_btf *src, uint32_t id, const char *name)
{
	uint32_t t, m, count = objfmt_btf__type_count(src);

	for (t = 1; t <= count; t++) {
		const struct objfmt_btf_type *ds = objfmt_btf__type(src, t);

		if (ds->kind != OBJFMT_BTF_DATASEC || strcmp(ds->name, name) != 0)
			continue;
		for (m = 0; m < ds->vlen; m++)
			if (ds->members[m].type == id)
				return true;
	}
	return false;
}

bool link_btf_extern_allowed(const struct ld_linker *linker, uint32_t btf_id)
{
	size_t i, e;

	for (i = 0; i < linker->datasec_count; i++) {
		const struct link_datasec *ds = &linker->datasecs[i];

		if (strcmp(ds->name, ".kconfig") != 0 && strcmp(ds->name, ".ksyms") != 0)
			continue;
		for (e = 0; e < ds->count; e++)
			if (ds->entries[e].var == btf_id)
				return true;
	}
	return false;
}

/* Pass 1: the output id of every input type (DATASECs get 0: they are rebuilt; a
 * FUNC/VAR of a global already described maps onto that one). */
static uint32_t ids_assign(struct ld_linker *linker, struct link_input *in,
			   const struct objfmt_btf *src, bool *merged)
{
	uint32_t id, count = objfmt_btf__type_count(src);
	uint32_t next = objfmt_btf__type_count(linker->btf) + 1;

	for (id = 1; id <= count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(src, id);
		struct link_global *g;

		if (t->kind == OBJFMT_BTF_DATASEC)
			continue;
		g = link_btf_is_global(t) ? link_global_find(linker, t->name) : NULL;
		if (g && g->btf_id) {
			in->type_map[id] = g->btf_id;
			merged[id] = true;
		} else {
			in->type_map[id] = next++;
		}
	}
	return count;
}

/* The input id `id` in output numbering; false when it is out of range. */
static bool id_remap(const struct link_input *in, uint32_t count, uint32_t *id)
{
	if (*id > count)
		return false;
	*id = *id ? in->type_map[*id] : 0;
	return true;
}

static bool type_remap(const struct link_input *in, uint32_t count,
		       struct objfmt_btf_type *t)
{
	bool ok = true;
	uint32_t i;

	switch (t->kind) {
	case OBJFMT_BTF_INT: case OBJFMT_BTF_ENUM: case OBJFMT_BTF_ENUM64:
	case OBJFMT_BTF_FWD: case OBJFMT_BTF_FLOAT:
		break;
	case OBJFMT_BTF_ARRAY:
		ok = id_remap(in, count, &t->array_elem) && id_remap(in, count, &t->array_index);
		break;
	case OBJFMT_BTF_STRUCT: case OBJFMT_BTF_UNION:
		break;
	default:
		ok = id_remap(in, count, &t->type);
	}
	if (t->kind == OBJFMT_BTF_STRUCT || t->kind == OBJFMT_BTF_UNION ||
	    t->kind == OBJFMT_BTF_FUNC_PROTO)
		for (i = 0; i < t->vlen && ok; i++)
			ok = id_remap(in, count, &t->members[i].type);
	return ok;
}

/* Pass 2: copy the types that are not merged, references renumbered. */
static int types_copy(struct ld_linker *linker, struct link_input *in,
		      const struct objfmt_btf *src, uint32_t count, const bool *merged,
		      struct ld_diag *diag)
{
	uint32_t id;

	for (id = 1; id <= count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(src, id);
		struct objfmt_btf_type copy = *t;
		struct link_global *g;
		bool ok;
		int added;

		if (t->kind == OBJFMT_BTF_DATASEC || merged[id])
			continue;
		copy.members = t->vlen ? malloc(t->vlen * sizeof(*copy.members)) : NULL;
		if (t->vlen && !copy.members)
			return link_error(diag, -ENOMEM, "out of memory");
		if (t->vlen)
			memcpy(copy.members, t->members, t->vlen * sizeof(*copy.members));
		ok = type_remap(in, count, &copy);
		added = ok ? objfmt_btf__add(linker->btf, &copy) : -EINVAL;
		free(copy.members);
		if (added < 0 || (uint32_t)added != in->type_map[id])
			return link_error(diag, added < 0 ? added : -EFAULT, "%s: BTF type [%u]: "
					  "%s", in->name, id, ok ? "cannot be copied"
					  : "refers to a type id out of range");
		g = link_btf_is_global(t) ? link_global_find(linker, t->name) : NULL;
		if (g && !g->btf_id) {
			g->btf_id = (uint32_t)added;
			g->btf_input = in->name;
		}
	}
	return 0;
}

/* Whether any type other than `except` refers to `id`. */
static bool referenced_elsewhere(const struct objfmt_btf *btf, uint32_t id, uint32_t except)
{
	uint32_t t, m, count = objfmt_btf__type_count(btf);

	for (t = 1; t <= count; t++) {
		const struct objfmt_btf_type *type = objfmt_btf__type(btf, t);

		if (t == except)
			continue;
		if (type->kind == OBJFMT_BTF_ARRAY) {
			if (type->array_elem == id || type->array_index == id)
				return true;
			continue;
		}
		if (type->type == id && type->kind != OBJFMT_BTF_INT &&
		    type->kind != OBJFMT_BTF_ENUM && type->kind != OBJFMT_BTF_ENUM64 &&
		    type->kind != OBJFMT_BTF_STRUCT && type->kind != OBJFMT_BTF_UNION)
			return true;
		if (type->kind == OBJFMT_BTF_ENUM || type->kind == OBJFMT_BTF_ENUM64)
			continue;
		for (m = 0; m < type->vlen; m++)
			if (type->members[m].type == id)
				return true;
	}
	return false;
}

/* An extern's prototype usually has unnamed parameters. Once its FUNC points at the
 * definition's prototype, give the orphaned one the same names so that dedup folds it
 * away (libbpf rewrites the extern's types in place to the same effect). */
static void prototype_adopt_names(struct objfmt_btf *btf, uint32_t old_proto,
				  uint32_t new_proto, uint32_t func)
{
	struct objfmt_btf_type *old_type = objfmt_btf__type_mut(btf, old_proto);
	const struct objfmt_btf_type *new_type = objfmt_btf__type(btf, new_proto);
	uint32_t i;

	if (old_proto == new_proto || !old_type || !new_type ||
	    old_type->kind != OBJFMT_BTF_FUNC_PROTO || new_type->kind != OBJFMT_BTF_FUNC_PROTO ||
	    old_type->vlen != new_type->vlen || referenced_elsewhere(btf, old_proto, func))
		return;
	for (i = 0; i < old_type->vlen; i++)
		old_type->members[i].name = new_type->members[i].name; /* same string table */
}

/* Pass 3: a global described again must agree with the first description; a
 * definition replaces an extern declaration's type. */
static int global_btf_merge(struct ld_linker *linker, struct link_input *in,
			    const struct objfmt_btf *src, uint32_t id, struct ld_diag *diag)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(src, id);
	struct link_global *g = link_global_find(linker, t->name);
	struct objfmt_btf_type *existing = objfmt_btf__type_mut(linker->btf, g->btf_id);
	uint32_t target = t->type <= objfmt_btf__type_count(src) ? in->type_map[t->type] : 0;
	char a[96], b[96];
	int err;

	if (existing->kind != t->kind)
		return link_error(diag, -EINVAL, "symbol '%s' is a %s in %s but a %s in %s",
				  t->name, existing->kind == OBJFMT_BTF_FUNC ? "function" :
				  "variable", g->btf_input, t->kind == OBJFMT_BTF_FUNC ?
				  "function" : "variable", in->name);
	if (t->kind == OBJFMT_BTF_VAR && in_datasec(src, id, ".maps")) {
		err = link_maps_compare(linker->btf, t->name, existing->type, g->btf_input,
					target, in->name, diag);
		if (err)
			return err;
	} else if (!link_btf_types_equal(linker->btf, existing->type, target)) {
		return link_error(diag, -EINVAL, "symbol '%s': BTF type differs: %s in %s, %s "
				  "in %s", t->name,
				  link_btf_describe(linker->btf, existing->type, a, sizeof(a)),
				  g->btf_input, link_btf_describe(linker->btf, target, b, sizeof(b)),
				  in->name);
	}
	if (existing->linkage == OBJFMT_BTF_VAR_EXTERN && t->linkage != OBJFMT_BTF_VAR_EXTERN) {
		if (t->kind == OBJFMT_BTF_FUNC)
			prototype_adopt_names(linker->btf, existing->type, target, g->btf_id);
		existing->linkage = t->linkage;
		existing->type = target;
		g->btf_input = in->name;
	}
	return 0;
}

/* Offset of variable `name` in input section `section`, from its ELF symbol (clang
 * leaves DATASEC offsets to be filled from symbols); `fallback` if it has none. */
static uint64_t variable_offset(const struct objfmt_object *obj, size_t section,
				const char *name, uint64_t fallback)
{
	size_t i, count = objfmt_object__symbol_count(obj);
	int found = objfmt_object__find_symbol(obj, name);

	if (found >= 0 && objfmt_object__symbol(obj, (size_t)found)->section == section)
		return objfmt_object__symbol(obj, (size_t)found)->value;
	for (i = 0; i < count; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj, i);

		if (sym->section == section && strcmp(sym->name, name) == 0)
			return sym->value;
	}
	return fallback;
}

static int datasec_entry_add(struct link_datasec *ds, const struct link_datasec_entry *e)
{
	if (link_grow((void **)&ds->entries, ds->count, sizeof(*e)))
		return -ENOMEM;
	ds->entries[ds->count++] = *e;
	return 0;
}

/* Pass 4: remember each DATASEC entry at its output offset. */
static int datasecs_collect(struct ld_linker *linker, struct link_input *in,
			    const struct objfmt_btf *src, uint32_t count, struct ld_diag *diag)
{
	uint32_t id, m;

	for (id = 1; id <= count; id++) {
		const struct objfmt_btf_type *t = objfmt_btf__type(src, id);
		struct link_datasec *ds;
		int section;
		bool linked;

		if (t->kind != OBJFMT_BTF_DATASEC)
			continue;
		section = objfmt_object__find_section(in->obj, t->name);
		linked = section >= 0 && in->section_map[section] != LINK_NONE;
		if (linked && strcmp(t->name, "license") == 0 && in->ordinal != linker->license_by)
			continue;
		ds = datasec_get(linker, t->name);
		if (!ds)
			return link_error(diag, -ENOMEM, "out of memory");
		for (m = 0; m < t->vlen; m++) {
			const struct objfmt_btf_member *member = &t->members[m];
			const struct objfmt_btf_type *var = objfmt_btf__type(src, member->type);
			struct link_datasec_entry e = { member->type, member->offset,
							member->size, !linked };

			if (!var || !id_remap(in, count, &e.var))
				return link_error(diag, -EINVAL, "%s: BTF DATASEC '%s': entry %u "
						  "refers to type [%u] out of range", in->name,
						  t->name, m, member->type);
			if (linked)
				e.offset = in->section_shift[section] +
					   variable_offset(in->obj, (size_t)section, var->name,
							   member->offset);
			if (datasec_entry_add(ds, &e))
				return link_error(diag, -ENOMEM, "out of memory");
		}
	}
	return 0;
}

int link_btf_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag)
{
	const struct objfmt_btf *src = objfmt_object__btf(in->obj);
	uint32_t count, id;
	bool *merged;
	int err;

	if (!src)
		return 0;
	count = objfmt_btf__type_count(src);
	in->type_map = calloc(count + 1, sizeof(*in->type_map));
	merged = calloc(count + 1, sizeof(*merged));
	if (!in->type_map || !merged) {
		free(merged);
		return link_error(diag, -ENOMEM, "out of memory");
	}
	ids_assign(linker, in, src, merged);
	err = types_copy(linker, in, src, count, merged, diag);
	for (id = 1; id <= count && !err; id++)
		if (merged[id])
			err = global_btf_merge(linker, in, src, id, diag);
	err = err ?: datasecs_collect(linker, in, src, count, diag);
	free(merged);
	return err;
}

/* Move one section's .BTF.ext records by the section's shift, ids renumbered. */
static int ext_section_add(struct ld_linker *linker, struct link_input *in,
			   const struct objfmt_btf_ext *ext, size_t i, uint64_t shift,
			   uint32_t count)
{
	const char *name = objfmt_btf_ext__section_name(ext, i);
	size_t j;
	int err = 0;

	for (j = 0; j < objfmt_btf_ext__func_count(ext, i) && !err; j++) {
		struct objfmt_btf_ext_func rec = *objfmt_btf_ext__func(ext, i, j);

		rec.insn_off += (uint32_t)shift;
		err = id_remap(in, count, &rec.type_id) ? 0 : -EINVAL;
		err = err ?: objfmt_btf_ext__add_func(linker->ext, name, &rec);
	}
	for (j = 0; j < objfmt_btf_ext__line_count(ext, i) && !err; j++) {
		struct objfmt_btf_ext_line rec = *objfmt_btf_ext__line(ext, i, j);

		rec.insn_off += (uint32_t)shift;
		err = objfmt_btf_ext__add_line(linker->ext, name, &rec);
	}
	for (j = 0; j < objfmt_btf_ext__core_count(ext, i) && !err; j++) {
		struct objfmt_btf_ext_core rec = *objfmt_btf_ext__core(ext, i, j);

		rec.insn_off += (uint32_t)shift;
		err = id_remap(in, count, &rec.type_id) ? 0 : -EINVAL;
		err = err ?: objfmt_btf_ext__add_core(linker->ext, name, &rec);
	}
	return err;
}

/* Whether `ext` has func_info records for section `name`. */
static bool has_func_info(const struct objfmt_btf_ext *ext, const char *name)
{
	size_t i;

	for (i = 0; ext && i < objfmt_btf_ext__section_count(ext); i++)
		if (strcmp(objfmt_btf_ext__section_name(ext, i), name) == 0)
			return objfmt_btf_ext__func_count(ext, i) > 0;
	return false;
}

/* The kernel wants func_info for every function of a program or for none, and a
 * program may call into other sections: note code without it (ebpf-as objects have
 * no BTF), so that finish emits func_info and line_info for nothing. */
static void code_without_func_info_note(struct ld_linker *linker, struct link_input *in)
{
	size_t i;

	for (i = 0; i < objfmt_object__section_count(in->obj); i++) {
		const struct objfmt_section *sec = objfmt_object__section(in->obj, i);

		if (in->section_map[i] != LINK_NONE && (sec->flags & OBJFMT_SHF_EXECINSTR) &&
		    sec->size && !has_func_info(objfmt_object__btf_ext(in->obj), sec->name))
			linker->code_without_func_info = true;
	}
}

int link_btf_ext_add(struct ld_linker *linker, struct link_input *in, struct ld_diag *diag)
{
	const struct objfmt_btf_ext *ext = objfmt_object__btf_ext(in->obj);
	uint32_t count = in->type_map ? objfmt_btf__type_count(objfmt_object__btf(in->obj)) : 0;
	size_t i;

	code_without_func_info_note(linker, in);
	if (!ext)
		return 0;
	for (i = 0; i < objfmt_btf_ext__section_count(ext); i++) {
		const char *name = objfmt_btf_ext__section_name(ext, i);
		int section = objfmt_object__find_section(in->obj, name);
		int err;

		if (section < 0)
			return link_error(diag, -EINVAL, "%s: .BTF.ext: records for section "
					  "'%s', which the object does not have", in->name, name);
		if (in->section_map[section] == LINK_NONE)
			continue; /* an empty section: its records cannot point anywhere */
		err = ext_section_add(linker, in, ext, i, in->section_shift[section], count);
		if (err)
			return link_error(diag, err, "%s: .BTF.ext: section '%s': %s", in->name,
					  name, err == -EINVAL ? "a record refers to a BTF type "
					  "out of range" : "records cannot be added");
	}
	return 0;
}
