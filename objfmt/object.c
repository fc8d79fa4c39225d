/* object.c - the relocatable object model of libobjfmt: sections, symbols, relocations
 * and the attached BTF, with the builder used by the assembler, compiler, linker and the
 * ELF reader. Names are indexed by a small hash table so lookups stay O(1). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

/* A section plus its allocated capacity; `section` is first so the public pointer and
 * the slot pointer are the same address. */
struct section_slot {
	struct objfmt_section section; /* public view */
	uint64_t capacity;             /* bytes allocated at section.data */
};

/* Open-addressing map from a name to the first index that carries it. */
struct name_index {
	const char **names; /* borrowed keys (owned by the sections/symbols) */
	size_t *values;     /* index stored for names[i] */
	size_t capacity;    /* slots, a power of two (0 when empty) */
	size_t used;        /* occupied slots */
};

struct objfmt_object {
	struct section_slot **sections; /* section_count owned slots */
	size_t section_count;
	size_t section_capacity;
	struct objfmt_symbol **symbols; /* symbol_count owned symbols */
	size_t symbol_count;
	size_t symbol_capacity;
	struct objfmt_reloc *relocs; /* reloc_count relocations */
	size_t reloc_count;
	size_t reloc_capacity;
	struct name_index section_names; /* section name -> index */
	struct name_index symbol_names;  /* non-section symbol name -> first index */
	struct objfmt_btf *btf;          /* owned, or NULL */
	struct objfmt_btf_ext *btf_ext;  /* owned, or NULL */
};

static uint64_t name_hash(const char *name)
{
	uint64_t hash = 1469598103934665603ull; /* FNV-1a */

	for (; *name; name++)
		hash = (hash ^ (unsigned char)*name) * 1099511628211ull;
	return hash;
}

/* Slot of `name` in the map: either the slot holding it or the empty slot where it
 * would go. The map must have capacity > 0. */
static size_t name_index_slot(const struct name_index *map, const char *name)
{
	size_t mask = map->capacity - 1;
	size_t slot = name_hash(name) & mask;

	while (map->names[slot] && strcmp(map->names[slot], name) != 0)
		slot = (slot + 1) & mask;
	return slot;
}

static int name_index_lookup(const struct name_index *map, const char *name, size_t *value)
{
	size_t slot;

	if (map->capacity == 0)
		return -ENOENT;
	slot = name_index_slot(map, name);
	if (!map->names[slot])
		return -ENOENT;
	*value = map->values[slot];
	return 0;
}

static int name_index_grow(struct name_index *map)
{
	struct name_index bigger = { 0 };
	size_t i;

	bigger.capacity = map->capacity ? map->capacity * 2 : 16;
	bigger.names = calloc(bigger.capacity, sizeof(*bigger.names));
	bigger.values = calloc(bigger.capacity, sizeof(*bigger.values));
	if (!bigger.names || !bigger.values) {
		free(bigger.names);
		free(bigger.values);
		return -ENOMEM;
	}
	for (i = 0; i < map->capacity; i++) {
		size_t slot;

		if (!map->names[i])
			continue;
		slot = name_index_slot(&bigger, map->names[i]);
		bigger.names[slot] = map->names[i];
		bigger.values[slot] = map->values[i];
	}
	bigger.used = map->used;
	free(map->names);
	free(map->values);
	*map = bigger;
	return 0;
}

/* Record `name` -> `value` unless the name is already present (first one wins). */
static int name_index_insert(struct name_index *map, const char *name, size_t value)
{
	size_t slot;
	int err;

	if ((map->used + 1) * 2 > map->capacity) {
		err = name_index_grow(map);
		if (err)
			return err;
	}
	slot = name_index_slot(map, name);
	if (map->names[slot])
		return 0;
	map->names[slot] = name;
	map->values[slot] = value;
	map->used++;
	return 0;
}

static void name_index_free(struct name_index *map)
{
	free(map->names);
	free(map->values);
}

/* Make room for one more element in a pointer/struct array. */
static int grow_array(void **array, size_t *capacity, size_t count, size_t element_size)
{
	size_t new_capacity;
	void *bigger;

	if (count < *capacity)
		return 0;
	if (count >= INT_MAX)
		return -E2BIG;
	new_capacity = *capacity ? *capacity * 2 : 8;
	bigger = realloc(*array, new_capacity * element_size);
	if (!bigger)
		return -ENOMEM;
	*array = bigger;
	*capacity = new_capacity;
	return 0;
}

struct objfmt_object *objfmt_object__new(void)
{
	struct objfmt_object *obj = calloc(1, sizeof(*obj));

	if (!obj)
		errno = ENOMEM;
	return obj;
}

void objfmt_object__free(struct objfmt_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->section_count; i++) {
		free((char *)obj->sections[i]->section.name);
		free(obj->sections[i]->section.data);
		free(obj->sections[i]);
	}
	for (i = 0; i < obj->symbol_count; i++) {
		free((char *)obj->symbols[i]->name);
		free(obj->symbols[i]);
	}
	free(obj->sections);
	free(obj->symbols);
	free(obj->relocs);
	name_index_free(&obj->section_names);
	name_index_free(&obj->symbol_names);
	objfmt_btf_ext__free(obj->btf_ext);
	objfmt_btf__free(obj->btf);
	free(obj);
}

static bool is_power_of_two(uint64_t value)
{
	return value != 0 && (value & (value - 1)) == 0;
}

/* Names the ELF writer generates itself and so cannot be user sections. */
static bool section_name_reserved(const char *name)
{
	return strncmp(name, ".rel", 4) == 0 || strcmp(name, ".symtab") == 0 ||
	       strcmp(name, ".strtab") == 0 || strcmp(name, ".shstrtab") == 0;
}

int objfmt_object__add_section(struct objfmt_object *obj, const char *name,
			       enum objfmt_section_kind kind, uint64_t flags, uint64_t align)
{
	struct section_slot *slot;
	size_t existing;
	int err;

	if (!obj || !name || !*name || section_name_reserved(name))
		return -EINVAL;
	if (kind != OBJFMT_SEC_PROGBITS && kind != OBJFMT_SEC_NOBITS)
		return -EINVAL;
	if (align == 0)
		align = 1;
	if (!is_power_of_two(align) || align > OBJFMT_SECTION_MAX_ALIGN)
		return -EINVAL;
	if (name_index_lookup(&obj->section_names, name, &existing) == 0)
		return -EEXIST;
	err = grow_array((void **)&obj->sections, &obj->section_capacity,
			 obj->section_count, sizeof(*obj->sections));
	if (err)
		return err;
	slot = calloc(1, sizeof(*slot));
	if (!slot || !(slot->section.name = strdup(name))) {
		free(slot);
		return -ENOMEM;
	}
	slot->section.kind = kind;
	slot->section.flags = flags;
	slot->section.align = align;
	slot->section.index = obj->section_count;
	err = name_index_insert(&obj->section_names, slot->section.name, obj->section_count);
	if (err) {
		free((char *)slot->section.name);
		free(slot);
		return err;
	}
	obj->sections[obj->section_count] = slot;
	return (int)obj->section_count++;
}

int objfmt_object__find_section(const struct objfmt_object *obj, const char *name)
{
	size_t index;

	if (!obj || !name)
		return -ENOENT;
	if (name_index_lookup(&obj->section_names, name, &index) != 0)
		return -ENOENT;
	return (int)index;
}

/* Ensure the section can hold `size` bytes, growing geometrically. */
static int section_reserve(struct section_slot *slot, uint64_t size)
{
	uint64_t capacity = slot->capacity ? slot->capacity : 64;
	uint8_t *bigger;

	if (size <= slot->capacity)
		return 0;
	while (capacity < size)
		capacity = capacity > UINT64_MAX / 2 ? size : capacity * 2;
	if (capacity > SIZE_MAX)
		return -ENOMEM;
	bigger = realloc(slot->section.data, (size_t)capacity);
	if (!bigger)
		return -ENOMEM;
	slot->section.data = bigger;
	slot->capacity = capacity;
	return 0;
}

static bool all_zero(const uint8_t *bytes, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		if (bytes[i])
			return false;
	return true;
}

int64_t objfmt_object__append(struct objfmt_object *obj, size_t section,
			      const void *data, uint64_t size)
{
	struct section_slot *slot;
	uint64_t offset;
	int err;

	if (!obj || section >= obj->section_count)
		return -EINVAL;
	slot = obj->sections[section];
	offset = slot->section.size;
	if (size > (uint64_t)INT64_MAX - offset)
		return -EOVERFLOW;
	if (slot->section.kind == OBJFMT_SEC_NOBITS) {
		if (data && !all_zero(data, size))
			return -EINVAL; /* .bss-like sections hold no bytes */
		slot->section.size += size;
		return (int64_t)offset;
	}
	err = section_reserve(slot, offset + size);
	if (err)
		return err;
	if (size) {
		if (data)
			memcpy(slot->section.data + offset, data, (size_t)size);
		else
			memset(slot->section.data + offset, 0, (size_t)size);
	}
	slot->section.size += size;
	return (int64_t)offset;
}

int objfmt_object__align(struct objfmt_object *obj, size_t section, uint64_t align)
{
	struct objfmt_section *sec;
	uint64_t padding;
	int64_t placed;

	if (!obj || section >= obj->section_count || !is_power_of_two(align) ||
	    align > OBJFMT_SECTION_MAX_ALIGN)
		return -EINVAL;
	sec = &obj->sections[section]->section;
	padding = (align - (sec->size & (align - 1))) & (align - 1);
	placed = objfmt_object__append(obj, section, NULL, padding);
	if (placed < 0)
		return (int)placed;
	if (sec->align < align)
		sec->align = align;
	return 0;
}

/* Whether `sym` describes something ELF can express, given the object's sections. */
static bool symbol_valid(const struct objfmt_object *obj, const struct objfmt_symbol *sym)
{
	bool defined = sym->section != OBJFMT_SECTION_UNDEF;

	if (sym->bind > OBJFMT_BIND_WEAK || sym->type > OBJFMT_SYM_FILE ||
	    sym->vis > OBJFMT_VIS_HIDDEN)
		return false;
	if (defined && sym->section != OBJFMT_SECTION_ABS && sym->section >= obj->section_count)
		return false;
	if (sym->bind == OBJFMT_BIND_LOCAL && !defined)
		return false; /* a local symbol must be defined here */
	if (sym->type == OBJFMT_SYM_SECTION)
		return sym->bind == OBJFMT_BIND_LOCAL && sym->section < obj->section_count;
	if (sym->type == OBJFMT_SYM_FILE)
		return sym->bind == OBJFMT_BIND_LOCAL && sym->section == OBJFMT_SECTION_ABS;
	return sym->bind == OBJFMT_BIND_LOCAL || (sym->name && *sym->name);
}

int objfmt_object__add_symbol(struct objfmt_object *obj, const struct objfmt_symbol *sym)
{
	struct objfmt_symbol *copy;
	size_t existing;
	int err;

	if (!obj || !sym || !symbol_valid(obj, sym))
		return -EINVAL;
	if (sym->bind != OBJFMT_BIND_LOCAL && sym->name &&
	    name_index_lookup(&obj->symbol_names, sym->name, &existing) == 0 &&
	    obj->symbols[existing]->bind != OBJFMT_BIND_LOCAL)
		return -EEXIST;
	err = grow_array((void **)&obj->symbols, &obj->symbol_capacity, obj->symbol_count,
			 sizeof(*obj->symbols));
	if (err)
		return err;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	*copy = *sym;
	copy->name = strdup(sym->name ? sym->name : "");
	copy->index = obj->symbol_count;
	if (!copy->name) {
		free(copy);
		return -ENOMEM;
	}
	if (copy->type != OBJFMT_SYM_SECTION && *copy->name) {
		err = name_index_insert(&obj->symbol_names, copy->name, copy->index);
		if (err) {
			free((char *)copy->name);
			free(copy);
			return err;
		}
	}
	obj->symbols[obj->symbol_count] = copy;
	return (int)obj->symbol_count++;
}

int objfmt_object__find_symbol(const struct objfmt_object *obj, const char *name)
{
	size_t index;

	if (!obj || !name)
		return -ENOENT;
	if (name_index_lookup(&obj->symbol_names, name, &index) != 0)
		return -ENOENT;
	return (int)index;
}

int objfmt_object__add_reloc(struct objfmt_object *obj, const struct objfmt_reloc *rel)
{
	int err;

	if (!obj || !rel || rel->section >= obj->section_count ||
	    rel->symbol >= obj->symbol_count)
		return -EINVAL;
	if (obj->sections[rel->section]->section.kind == OBJFMT_SEC_NOBITS)
		return -EINVAL;
	if (!objfmt_reloc_type_known(rel->type))
		return -EINVAL;
	err = grow_array((void **)&obj->relocs, &obj->reloc_capacity, obj->reloc_count,
			 sizeof(*obj->relocs));
	if (err)
		return err;
	obj->relocs[obj->reloc_count] = *rel;
	return (int)obj->reloc_count++;
}

bool objfmt_reloc_type_known(uint32_t type)
{
	switch (type) {
	case OBJFMT_R_BPF_64_64:
	case OBJFMT_R_BPF_64_ABS64:
	case OBJFMT_R_BPF_64_ABS32:
	case OBJFMT_R_BPF_64_NODYLD32:
	case OBJFMT_R_BPF_64_32:
		return true;
	default:
		return false;
	}
}

uint64_t objfmt_reloc_width(const struct objfmt_section *sec, enum objfmt_reloc_type type)
{
	bool code = (sec->flags & OBJFMT_SHF_EXECINSTR) != 0;

	switch (type) {
	case OBJFMT_R_BPF_64_64:
		return code ? 16 : 8; /* ld_imm64 spans two slots */
	case OBJFMT_R_BPF_64_32:
		return code ? 8 : 4; /* a call instruction, or legacy 32-bit data */
	case OBJFMT_R_BPF_64_ABS64:
		return 8;
	case OBJFMT_R_BPF_64_ABS32:
	case OBJFMT_R_BPF_64_NODYLD32:
		return 4;
	default:
		return 0;
	}
}

size_t objfmt_object__section_count(const struct objfmt_object *obj)
{
	return obj ? obj->section_count : 0;
}

struct objfmt_section *objfmt_object__section(const struct objfmt_object *obj, size_t i)
{
	if (!obj || i >= obj->section_count)
		return NULL;
	return &obj->sections[i]->section;
}

size_t objfmt_object__symbol_count(const struct objfmt_object *obj)
{
	return obj ? obj->symbol_count : 0;
}

struct objfmt_symbol *objfmt_object__symbol(const struct objfmt_object *obj, size_t i)
{
	if (!obj || i >= obj->symbol_count)
		return NULL;
	return obj->symbols[i];
}

size_t objfmt_object__reloc_count(const struct objfmt_object *obj)
{
	return obj ? obj->reloc_count : 0;
}

const struct objfmt_reloc *objfmt_object__reloc(const struct objfmt_object *obj, size_t i)
{
	if (!obj || i >= obj->reloc_count)
		return NULL;
	return &obj->relocs[i];
}

void objfmt_object__set_btf(struct objfmt_object *obj, struct objfmt_btf *btf)
{
	if (!obj || obj->btf == btf)
		return;
	objfmt_btf__free(obj->btf);
	obj->btf = btf;
}

struct objfmt_btf *objfmt_object__btf(const struct objfmt_object *obj)
{
	return obj ? obj->btf : NULL;
}

void objfmt_object__set_btf_ext(struct objfmt_object *obj, struct objfmt_btf_ext *ext)
{
	if (!obj || obj->btf_ext == ext)
		return;
	objfmt_btf_ext__free(obj->btf_ext);
	obj->btf_ext = ext;
}

struct objfmt_btf_ext *objfmt_object__btf_ext(const struct objfmt_object *obj)
{
	return obj ? obj->btf_ext : NULL;
}
