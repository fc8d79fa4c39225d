/* load_maps.c - maps of an object: BTF-defined maps in .maps (with __array(values)
 * inner-map templates and .rel.maps static initializers), legacy struct bpf_map_def
 * in "maps", and global data sections as single-element arrays; then MAP_CREATE,
 * initial data, MAP_FREEZE of read-only data and prog-array / map-in-map slots.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ld_int.h"

static struct ld_map *map_new(struct ld_object *obj, const char *name,
			      enum ld_map_origin origin, size_t section, uint64_t offset)
{
	struct ld_map *map = calloc(1, sizeof(*map));

	if (!map)
		return NULL;
	map->name = ld_strdup(name);
	if (!map->name) {
		free(map);
		return NULL;
	}
	map->obj = obj;
	map->origin = origin;
	map->section = section;
	map->section_offset = offset;
	map->fd = -1;
	return map;
}

void ld_map_free(struct ld_map *map)
{
	if (!map)
		return;
	if (map->fd >= 0)
		close(map->fd);
	ld_map_free(map->inner);
	for (size_t i = 0; i < map->init_count; i++)
		free(map->inits[i].target);
	free(map->inits);
	free(map->data);
	free(map->name);
	free(map);
}

static int add_map(struct ld_object *obj, struct ld_map *map)
{
	if (ld_append((void **)&obj->maps, &obj->map_count, sizeof(map), &map)) {
		ld_map_free(map);
		return -ENOMEM;
	}
	return 0;
}

/* ---- BTF-defined maps ---------------------------------------------------------------- */

/* `__uint(name, N)` is `int (*name)[N]`: N is the element count of the pointee array. */
static int btf_uint_member(const struct objfmt_btf *btf, const struct objfmt_btf_member *m,
			   uint32_t *value)
{
	const struct objfmt_btf_type *ptr = objfmt_btf__type(btf, objfmt_btf__resolve(btf, m->type));
	const struct objfmt_btf_type *array;

	if (!ptr || ptr->kind != OBJFMT_BTF_PTR)
		return -EINVAL;
	array = objfmt_btf__type(btf, objfmt_btf__resolve(btf, ptr->type));
	if (!array || array->kind != OBJFMT_BTF_ARRAY)
		return -EINVAL;
	*value = array->array_nelems;
	return 0;
}

/* `__type(name, T)` is `T *name`: returns T's id and size. */
static int btf_type_member(const struct objfmt_btf *btf, const struct objfmt_btf_member *m,
			   uint32_t *type_id, uint32_t *size)
{
	const struct objfmt_btf_type *ptr = objfmt_btf__type(btf, objfmt_btf__resolve(btf, m->type));
	int64_t bytes;

	if (!ptr || ptr->kind != OBJFMT_BTF_PTR)
		return -EINVAL;
	bytes = objfmt_btf__size(btf, ptr->type);
	if (bytes < 0 || bytes > UINT32_MAX)
		return -EINVAL;
	*type_id = ptr->type;
	*size = (uint32_t)bytes;
	return 0;
}

static int parse_map_struct(struct ld_object *obj, struct ld_map *map, uint32_t struct_id,
			    struct ld_diag *diag);

/* `__array(values, T)` is `T *values[]`: T a struct (inner map) or a func proto (prog). */
static int parse_values_member(struct ld_object *obj, struct ld_map *map,
			       const struct objfmt_btf_member *m, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	const struct objfmt_btf_type *array = objfmt_btf__type(btf, objfmt_btf__resolve(btf, m->type));
	const struct objfmt_btf_type *ptr, *target;
	uint32_t target_id;

	if (!array || array->kind != OBJFMT_BTF_ARRAY)
		goto bad;
	ptr = objfmt_btf__type(btf, objfmt_btf__resolve(btf, array->array_elem));
	if (!ptr || ptr->kind != OBJFMT_BTF_PTR)
		goto bad;
	target_id = objfmt_btf__resolve(btf, ptr->type);
	target = objfmt_btf__type(btf, target_id);
	if (target && target->kind == OBJFMT_BTF_FUNC_PROTO)
		return 0; /* prog array: slots hold programs */
	if (!target || target->kind != OBJFMT_BTF_STRUCT)
		goto bad;
	char name[160];
	snprintf(name, sizeof(name), "%s.inner", map->name);
	map->inner = map_new(obj, name, LD_MAP_INNER, map->section, map->section_offset);
	if (!map->inner)
		return -ENOMEM;
	return parse_map_struct(obj, map->inner, target_id, diag);
bad:
	return ld_diag_set(diag, -EINVAL,
			   "%s: section '.maps': map '%s': 'values' must be an array of "
			   "pointers to a map definition or a function prototype",
			   obj->name, map->name);
}

static int parse_map_member(struct ld_object *obj, struct ld_map *map,
			    const struct objfmt_btf_member *m, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	struct bpf_map_def_ext *def = &map->def;
	uint32_t size = 0, value = 0;
	int err = 0;

	if (strcmp(m->name, "values") == 0)
		return parse_values_member(obj, map, m, diag);
	if (strcmp(m->name, "key") == 0) {
		err = btf_type_member(btf, m, &map->btf_key_type_id, &size);
		if (!err && def->key_size && def->key_size != size)
			goto conflict;
		def->key_size = size;
	} else if (strcmp(m->name, "value") == 0) {
		err = btf_type_member(btf, m, &map->btf_value_type_id, &size);
		if (!err && def->value_size && def->value_size != size)
			goto conflict;
		def->value_size = size;
	} else {
		err = btf_uint_member(btf, m, &value);
		if (err)
			goto bad;
		if (strcmp(m->name, "type") == 0) def->type = value;
		else if (strcmp(m->name, "max_entries") == 0) def->max_entries = value;
		else if (strcmp(m->name, "map_flags") == 0) def->map_flags = value;
		else if (strcmp(m->name, "numa_node") == 0) def->numa_node = value;
		else if (strcmp(m->name, "pinning") == 0) def->pinning = value;
		else if (strcmp(m->name, "map_extra") == 0) def->map_extra = value;
		else if (strcmp(m->name, "key_size") == 0) {
			if (def->key_size && def->key_size != value)
				goto conflict;
			def->key_size = value;
		} else if (strcmp(m->name, "value_size") == 0) {
			if (def->value_size && def->value_size != value)
				goto conflict;
			def->value_size = value;
		} else
			return ld_diag_set(diag, -ENOTSUP,
					   "%s: section '.maps': map '%s': unknown field '%s'",
					   obj->name, map->name, m->name);
	}
	if (err)
		goto bad;
	return 0;
conflict:
	return ld_diag_set(diag, -EINVAL,
			   "%s: section '.maps': map '%s': conflicting sizes for '%s'",
			   obj->name, map->name, m->name);
bad:
	return ld_diag_set(diag, -EINVAL,
			   "%s: section '.maps': map '%s': field '%s' is not encoded as "
			   "__uint()/__type() expects", obj->name, map->name, m->name);
}

static int parse_map_struct(struct ld_object *obj, struct ld_map *map, uint32_t struct_id,
			    struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, struct_id));

	if (!t || t->kind != OBJFMT_BTF_STRUCT)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '.maps': map '%s': BTF type [%u] is not a struct "
				   "describing a map", obj->name, map->name, struct_id);
	for (uint32_t i = 0; i < t->vlen; i++) {
		int err = parse_map_member(obj, map, &t->members[i], diag);
		if (err)
			return err;
	}
	if (map->def.type == BPF_MAP_TYPE_UNSPEC)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '.maps': map '%s': no 'type' field", obj->name,
				   map->name);
	if (map->inner || map->def.type == BPF_MAP_TYPE_PROG_ARRAY) {
		if (!map->def.key_size) map->def.key_size = 4;
		if (!map->def.value_size) map->def.value_size = 4;
	}
	return 0;
}

static int collect_btf_maps(struct ld_object *obj, int section, struct ld_diag *diag)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	int datasec = btf ? objfmt_btf__find(btf, OBJFMT_BTF_DATASEC, ".maps") : -ENOENT;
	const struct objfmt_btf_type *sec;

	if (datasec < 0)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '.maps': no BTF DATASEC '.maps' describes the maps "
				   "(compile with -g)", obj->name);
	sec = objfmt_btf__type(btf, (uint32_t)datasec);
	for (uint32_t i = 0; i < sec->vlen; i++) {
		const struct objfmt_btf_type *var = objfmt_btf__type(btf, sec->members[i].type);
		if (!var || var->kind != OBJFMT_BTF_VAR)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section '.maps': entry %u is not a BTF VAR",
					   obj->name, i);
		struct ld_map *map = map_new(obj, var->name, LD_MAP_BTF_DEFINED, (size_t)section,
					     sec->members[i].offset);
		if (!map)
			return -ENOMEM;
		int err = parse_map_struct(obj, map, var->type, diag);
		if (err) {
			ld_map_free(map);
			return err;
		}
		if ((err = add_map(obj, map)))
			return err;
	}
	return 0;
}

/* ---- static initializers of values[] (relocations in .maps) ----------------------- */

static int add_map_init(struct ld_object *obj, const struct objfmt_reloc *rel,
			struct ld_diag *diag)
{
	const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, rel->symbol);
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	struct ld_map *map = NULL;

	for (size_t i = 0; i < obj->map_count; i++) {
		struct ld_map *m = obj->maps[i];
		if (m->origin == LD_MAP_BTF_DEFINED && m->section == rel->section &&
		    m->section_offset <= rel->offset &&
		    (!map || m->section_offset > map->section_offset))
			map = m;
	}
	if (!map || !sym || !sym->name || !sym->name[0])
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '.maps': relocation at offset %llu does not "
				   "initialise a map's values[]", obj->name,
				   (unsigned long long)rel->offset);
	const struct objfmt_btf_type *var = NULL;
	int var_id = objfmt_btf__find(btf, OBJFMT_BTF_VAR, map->name);
	if (var_id > 0)
		var = objfmt_btf__type(btf, (uint32_t)var_id);
	const struct objfmt_btf_member *values = var ? ld_btf_member(btf, var->type, "values") : NULL;
	uint64_t base = map->section_offset + (values ? values->bit_offset / 8 : 0);
	if (!values || rel->offset < base || (rel->offset - base) % 8)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section '.maps': map '%s': relocation against '%s' "
				   "outside values[]", obj->name, map->name, sym->name);
	struct ld_map_init init = { (uint32_t)((rel->offset - base) / 8), ld_strdup(sym->name) };
	if (!init.target || ld_append((void **)&map->inits, &map->init_count,
				      sizeof(init), &init)) {
		free(init.target);
		return -ENOMEM;
	}
	return 0;
}

static int collect_map_inits(struct ld_object *obj, int section, struct ld_diag *diag)
{
	size_t count = objfmt_object__reloc_count(obj->model);

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_reloc *rel = objfmt_object__reloc(obj->model, i);
		if (rel->section != (size_t)section)
			continue;
		int err = add_map_init(obj, rel, diag);
		if (err)
			return err;
	}
	return 0;
}

/* ---- legacy "maps" section ---------------------------------------------------------- */

static int collect_legacy_maps(struct ld_object *obj, int section, struct ld_diag *diag)
{
	const struct objfmt_section *sec = objfmt_object__section(obj->model, (size_t)section);
	size_t nsyms = objfmt_object__symbol_count(obj->model), nmaps = 0;
	uint64_t def_size;

	for (size_t i = 0; i < nsyms; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, i);
		nmaps += sym->section == (size_t)section && sym->type != OBJFMT_SYM_SECTION &&
			 sym->name && sym->name[0];
	}
	if (!nmaps || !sec->data || sec->size % nmaps || sec->size / nmaps < 20)
		return ld_diag_set(diag, -EINVAL,
				   "%s: section 'maps': %zu map symbols for %llu bytes; expected "
				   "struct bpf_map_def (20+ bytes) each", obj->name, nmaps,
				   (unsigned long long)sec->size);
	def_size = sec->size / nmaps;
	for (size_t i = 0; i < nsyms; i++) {
		const struct objfmt_symbol *sym = objfmt_object__symbol(obj->model, i);
		if (sym->section != (size_t)section || sym->type == OBJFMT_SYM_SECTION ||
		    !sym->name || !sym->name[0])
			continue;
		if (sym->value > sec->size || def_size > sec->size - sym->value)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section 'maps': map '%s' outside the section",
					   obj->name, sym->name);
		struct ld_map *map = map_new(obj, sym->name, LD_MAP_LEGACY, (size_t)section,
					     sym->value);
		if (!map)
			return -ENOMEM;
		memcpy(&map->def, sec->data + sym->value, 20); /* type..map_flags */
		int err = add_map(obj, map);
		if (err)
			return err;
	}
	return 0;
}

/* ---- global data ---------------------------------------------------------------------- */

static bool has_prefix_section(const char *name, const char *base)
{
	size_t len = strlen(base);
	return strncmp(name, base, len) == 0 && (name[len] == '\0' || name[len] == '.');
}

static int add_data_map(struct ld_object *obj, const struct objfmt_section *sec,
			enum ld_map_origin origin)
{
	const struct objfmt_btf *btf = objfmt_object__btf(obj->model);
	struct ld_map *map = map_new(obj, sec->name, origin, sec->index, 0);
	int datasec;

	if (!map)
		return -ENOMEM;
	map->def.type = BPF_MAP_TYPE_ARRAY;
	map->def.key_size = 4;
	map->def.value_size = (uint32_t)sec->size;
	map->def.max_entries = 1;
	/* as libbpf: programs may not write read-only data; user space may mmap it all */
	map->def.map_flags = BPF_F_MMAPABLE | (origin == LD_MAP_RODATA ? BPF_F_RDONLY_PROG : 0);
	datasec = btf ? objfmt_btf__find(btf, OBJFMT_BTF_DATASEC, sec->name) : -ENOENT;
	if (datasec > 0)
		map->btf_value_type_id = (uint32_t)datasec;
	map->data = calloc(1, sec->size);
	if (!map->data) {
		ld_map_free(map);
		return -ENOMEM;
	}
	if (sec->kind == OBJFMT_SEC_PROGBITS && sec->data)
		memcpy(map->data, sec->data, sec->size);
	return add_map(obj, map);
}

/* The kernel's largest map value (KMALLOC_MAX_SIZE on x86-64): bigger global data
 * cannot become a map. */
#define LD_DATA_SECTION_MAX (4u << 20)

static int collect_data_maps(struct ld_object *obj, struct ld_diag *diag)
{
	size_t count = objfmt_object__section_count(obj->model);

	for (size_t i = 0; i < count; i++) {
		const struct objfmt_section *sec = objfmt_object__section(obj->model, i);
		enum ld_map_origin origin;
		if (sec->size == 0)
			continue;
		if (has_prefix_section(sec->name, ".data"))
			origin = LD_MAP_DATA;
		else if (has_prefix_section(sec->name, ".rodata"))
			origin = LD_MAP_RODATA;
		else if (has_prefix_section(sec->name, ".bss"))
			origin = LD_MAP_BSS;
		else
			continue;
		if (sec->size > LD_DATA_SECTION_MAX)
			return ld_diag_set(diag, -E2BIG,
					   "%s: section '%s': %llu bytes of global data exceed the "
					   "largest map value (%u bytes)", obj->name, sec->name,
					   (unsigned long long)sec->size, LD_DATA_SECTION_MAX);
		int err = add_data_map(obj, sec, origin);
		if (err)
			return err;
	}
	return 0;
}

int ld_maps_collect(struct ld_object *obj, struct ld_diag *diag)
{
	int maps = objfmt_object__find_section(obj->model, ".maps");
	int legacy = objfmt_object__find_section(obj->model, "maps");
	int err = 0;

	if (maps >= 0 && objfmt_object__section(obj->model, (size_t)maps)->size > 0) {
		err = collect_btf_maps(obj, maps, diag);
		if (!err)
			err = collect_map_inits(obj, maps, diag);
	}
	if (!err && legacy >= 0 && objfmt_object__section(obj->model, (size_t)legacy)->size > 0)
		err = collect_legacy_maps(obj, legacy, diag);
	return err ? err : collect_data_maps(obj, diag);
}

int ld_maps_add_kconfig(struct ld_object *obj, uint8_t *image, uint32_t size, uint32_t datasec)
{
	struct ld_map *map = map_new(obj, ".kconfig", LD_MAP_RODATA, OBJFMT_SECTION_UNDEF, 0);

	if (!map) {
		free(image);
		return -ENOMEM;
	}
	map->def.type = BPF_MAP_TYPE_ARRAY;
	map->def.key_size = 4;
	map->def.value_size = size;
	map->def.max_entries = 1;
	map->def.map_flags = BPF_F_MMAPABLE | BPF_F_RDONLY_PROG;
	map->btf_value_type_id = datasec;
	map->data = image;
	obj->kconfig_map = (ptrdiff_t)obj->map_count;
	return add_map(obj, map);
}

ptrdiff_t ld_maps_find_by_definition(const struct ld_object *obj, size_t section,
				     uint64_t offset)
{
	for (size_t i = 0; i < obj->map_count; i++)
		if ((obj->maps[i]->origin == LD_MAP_BTF_DEFINED ||
		     obj->maps[i]->origin == LD_MAP_LEGACY) &&
		    obj->maps[i]->section == section && obj->maps[i]->section_offset == offset)
			return (ptrdiff_t)i;
	return -1;
}

ptrdiff_t ld_maps_find_data(const struct ld_object *obj, size_t section)
{
	for (size_t i = 0; i < obj->map_count; i++)
		if (obj->maps[i]->origin >= LD_MAP_DATA && obj->maps[i]->origin <= LD_MAP_BSS &&
		    obj->maps[i]->section == section)
			return (ptrdiff_t)i;
	return -1;
}
