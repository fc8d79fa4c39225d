/* load_object.c - ld_object__load (the ordered bpf() command sequence) and the
 * accessors of objects, programs and maps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "ld_int.h"

int ld_object__load(struct ld_object *obj, const struct ld_backend *backend,
		    const struct ld_load_opts *opts, struct ld_diag *diag)
{
	struct ld_load_opts defaults = { sizeof(defaults), 0, 0, false, NULL };
	int err;

	if (!obj || !backend)
		return ld_diag_set(diag, -EINVAL, "ld_object__load: no object or backend");
	if (obj->loaded)
		return ld_diag_set(diag, -EBUSY, "%s: already loaded", obj->name);
	if (opts && opts->size > sizeof(*opts))
		return ld_diag_set(diag, -EINVAL, "%s: unknown load options", obj->name);
	if (opts)
		memcpy(&defaults, opts, opts->size < sizeof(defaults) ? opts->size : sizeof(defaults));
	obj->backend = backend;
	obj->loaded = true;
	const char *modules = obj->module_btf_dir ? obj->module_btf_dir
			      : backend == &ld_backend_kernel ? "/sys/kernel/btf" : NULL;
	if (defaults.core_target &&
	    ((err = ld_core_relocate_modules(obj, defaults.core_target, modules, diag)) ||
				     (err = ld_attach_resolve(obj, defaults.core_target, diag))))
		return err;
	if ((err = ld_ksyms_resolve(obj, defaults.core_target, modules, diag)) ||
	    (err = ld_btf_load(obj, diag)) || (err = ld_maps_create(obj, diag)))
		return err;
	err = ld_programs_load(obj, &defaults, diag);
	if (err)
		return err;
	return ld_maps_fill_slots(obj, diag);
}

long ld_bpf(const struct ld_backend *backend, int cmd, union bpf_attr *attr,
	    unsigned int size)
{
	return backend->bpf(cmd, attr, size);
}

const char *ld_object__name(const struct ld_object *obj) { return obj->name; }

int ld_object__set_pin_root(struct ld_object *obj, const char *directory)
{
	char *copy = directory ? ld_strdup(directory) : NULL;

	if (obj->loaded)
		return -EBUSY;
	if (directory && !copy)
		return -ENOMEM;
	free(obj->pin_root);
	obj->pin_root = copy;
	return 0;
}
int ld_object__set_module_btf_dir(struct ld_object *obj, const char *directory)
{
	char *copy = directory ? ld_strdup(directory) : NULL;

	if (obj->loaded)
		return -EBUSY;
	if (directory && !copy)
		return -ENOMEM;
	free(obj->module_btf_dir);
	obj->module_btf_dir = copy;
	return 0;
}
const char *ld_object__license(const struct ld_object *obj) { return obj->license; }
uint32_t ld_object__kern_version(const struct ld_object *obj) { return obj->kern_version; }
const struct objfmt_btf *ld_object__btf(const struct ld_object *obj)
{
	return obj->btf_raw ? objfmt_object__btf(obj->model) : NULL;
}
int ld_object__btf_fd(const struct ld_object *obj) { return obj->btf_fd; }
const struct ld_backend *ld_object__backend(const struct ld_object *obj) { return obj->backend; }
bool ld_object__needs_kernel_btf(const struct ld_object *obj)
{
	for (size_t i = 0; i < obj->program_count; i++)
		if (obj->programs[i]->autoload && ld_program_needs_kernel_btf(obj->programs[i]))
			return true;
	return ld_object__core_reloc_count(obj) > 0 || obj->ksym_count > 0;
}

size_t ld_object__core_reloc_count(const struct ld_object *obj)
{
	size_t count = 0;

	for (size_t i = 0; i < obj->code_count; i++)
		count += obj->codes[i].core_count;
	return count;
}

size_t ld_object__program_count(const struct ld_object *obj) { return obj->program_count; }
struct ld_program *ld_object__program(const struct ld_object *obj, size_t i)
{
	return i < obj->program_count ? obj->programs[i] : NULL;
}
struct ld_program *ld_object__find_program(const struct ld_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->program_count; i++)
		if (strcmp(obj->programs[i]->name, name) == 0)
			return obj->programs[i];
	errno = ENOENT;
	return NULL;
}
size_t ld_object__map_count(const struct ld_object *obj) { return obj->map_count; }
struct ld_map *ld_object__map(const struct ld_object *obj, size_t i)
{
	return i < obj->map_count ? obj->maps[i] : NULL;
}
struct ld_map *ld_object__find_map(const struct ld_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->map_count; i++)
		if (strcmp(obj->maps[i]->name, name) == 0)
			return obj->maps[i];
	errno = ENOENT;
	return NULL;
}

const char *ld_program__name(const struct ld_program *prog) { return prog->name; }
const char *ld_program__section_name(const struct ld_program *prog)
{
	return prog->obj->codes[prog->code].name;
}
uint32_t ld_program__type(const struct ld_program *prog) { return prog->type; }
uint32_t ld_program__expected_attach_type(const struct ld_program *prog)
{
	return prog->expected_attach_type;
}
int ld_program__set_type(struct ld_program *prog, uint32_t prog_type)
{
	if (prog->obj->loaded)
		return -EBUSY;
	prog->type = prog_type;
	return 0;
}
int ld_program__set_expected_attach_type(struct ld_program *prog, uint32_t type)
{
	if (prog->obj->loaded)
		return -EBUSY;
	prog->expected_attach_type = type;
	return 0;
}
bool ld_program__autoload(const struct ld_program *prog) { return prog->autoload; }
int ld_program__set_autoload(struct ld_program *prog, bool autoload)
{
	if (prog->obj->loaded)
		return -EBUSY;
	prog->autoload = autoload;
	return 0;
}
const struct objfmt_insn *ld_program__insns(const struct ld_program *prog)
{
	return prog->insns ? prog->insns : prog->obj->codes[prog->code].insns + prog->start;
}
size_t ld_program__insn_count(const struct ld_program *prog)
{
	return prog->insns ? prog->insn_count : prog->length;
}
int ld_program__fd(const struct ld_program *prog) { return prog->fd; }
int ld_program__load_error(const struct ld_program *prog) { return prog->load_error; }
bool ld_program__submitted(const struct ld_program *prog) { return prog->submitted; }
const char *ld_program__log(const struct ld_program *prog) { return prog->log; }
uint32_t ld_program__verified_insns(const struct ld_program *prog)
{
	return prog->verified_insns;
}

const char *ld_map__name(const struct ld_map *map) { return map->name; }
enum ld_map_origin ld_map__origin(const struct ld_map *map) { return map->origin; }
int ld_map__fd(const struct ld_map *map) { return map->fd; }
uint32_t ld_map__type(const struct ld_map *map) { return map->def.type; }
uint32_t ld_map__key_size(const struct ld_map *map) { return map->def.key_size; }
uint32_t ld_map__value_size(const struct ld_map *map) { return map->def.value_size; }
uint32_t ld_map__max_entries(const struct ld_map *map) { return map->def.max_entries; }
uint32_t ld_map__flags(const struct ld_map *map) { return map->def.map_flags; }
uint32_t ld_map__btf_key_type_id(const struct ld_map *map) { return map->btf_key_type_id; }
uint32_t ld_map__btf_value_type_id(const struct ld_map *map)
{
	return map->btf_value_type_id;
}
const struct ld_map *ld_map__inner(const struct ld_map *map) { return map->inner; }

#define LD_MAP_SETTER(field, member)                                  \
	int ld_map__set_##field(struct ld_map *map, uint32_t value)   \
	{                                                             \
		if (map->obj->loaded)                                 \
			return -EBUSY;                                \
		map->def.member = value;                              \
		return 0;                                             \
	}
LD_MAP_SETTER(max_entries, max_entries)
LD_MAP_SETTER(type, type)
LD_MAP_SETTER(key_size, key_size)
LD_MAP_SETTER(flags, map_flags)

int ld_map__set_value_size(struct ld_map *map, uint32_t size)
{
	if (map->obj->loaded)
		return -EBUSY;
	if (map->data)
		return -EINVAL; /* a global-data image has the size of its section */
	map->def.value_size = size;
	return 0;
}

void *ld_map__initial_value(struct ld_map *map, size_t *size)
{
	if (size)
		*size = map->data ? map->def.value_size : 0;
	return map->data;
}
