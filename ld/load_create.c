/* load_create.c - map side of loading: MAP_CREATE for every map (inner templates
 * first, retried without BTF ids as libbpf does), global data images written and
 * .rodata frozen, then prog-array and map-in-map slots filled from static initializers.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ld_int.h"

/* Kernel object names: at most 15 characters of [A-Za-z0-9_.]. */
static void kernel_name(const char *name, char out[BPF_OBJ_NAME_LEN])
{
	size_t i;

	for (i = 0; i < BPF_OBJ_NAME_LEN - 1 && name[i]; i++)
		out[i] = (isalnum((unsigned char)name[i]) || name[i] == '.') ? name[i] : '_';
	out[i] = '\0';
}

/* Number of possible CPUs (for a PERF_EVENT_ARRAY without max_entries). */
static uint32_t possible_cpus(void)
{
	long count = sysconf(_SC_NPROCESSORS_CONF);
	return count > 0 ? (uint32_t)count : 1;
}

static long create_with(const struct ld_object *obj, const struct ld_map *map,
			int inner_fd, bool with_btf)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = map->def.type;
	attr.key_size = map->def.key_size;
	attr.value_size = map->def.value_size;
	attr.max_entries = map->def.max_entries;
	attr.map_flags = map->def.map_flags;
	attr.numa_node = map->def.numa_node;
	attr.map_extra = map->def.map_extra;
	attr.inner_map_fd = inner_fd >= 0 ? (uint32_t)inner_fd : 0;
	kernel_name(map->name, attr.map_name);
	if (with_btf) {
		attr.btf_fd = (uint32_t)obj->btf_fd;
		attr.btf_key_type_id = map->btf_key_type_id;
		attr.btf_value_type_id = map->btf_value_type_id;
	}
	return obj->backend->bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

#define LD_PIN_BY_NAME 1          /* LIBBPF_PIN_BY_NAME */
#define LD_PIN_ROOT "/sys/fs/bpf" /* libbpf's default pin_root_path */

static long object_command(const struct ld_object *obj, int cmd, int fd, const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uint64_t)(uintptr_t)path;
	attr.bpf_fd = (uint32_t)(fd >= 0 ? fd : 0);
	return obj->backend->bpf(cmd, &attr, sizeof(attr));
}

/* A pinned map is reused only if it has the definition the object asks for. */
static bool pinned_map_matches(const struct ld_object *obj, int fd, const struct ld_map *map)
{
	struct bpf_map_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	return obj->backend->bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) == 0 &&
	       info.type == map->def.type && info.key_size == map->def.key_size &&
	       info.value_size == map->def.value_size &&
	       info.max_entries == map->def.max_entries && info.map_flags == map->def.map_flags;
}

/* LIBBPF_PIN_BY_NAME: reuse <pin root>/<name> when it exists (1), else 0 and the map
 * is pinned there once created; negative errno on a mismatch. */
static int reuse_pinned(struct ld_object *obj, struct ld_map *map, struct ld_diag *diag)
{
	char path[PATH_MAX];
	long fd;

	if (map->def.pinning != LD_PIN_BY_NAME)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", obj->pin_root ? obj->pin_root : LD_PIN_ROOT, map->name);
	fd = object_command(obj, BPF_OBJ_GET, -1, path);
	if (fd < 0)
		return 0;
	if (!pinned_map_matches(obj, (int)fd, map)) {
		close((int)fd);
		return ld_diag_set(diag, -EINVAL, "%s: map '%s': the map pinned at %s has a "
				   "different definition", obj->name, map->name, path);
	}
	map->fd = (int)fd;
	return 1;
}

static int pin_by_name(struct ld_object *obj, struct ld_map *map, struct ld_diag *diag)
{
	char path[PATH_MAX];
	long err;

	if (map->def.pinning != LD_PIN_BY_NAME)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", obj->pin_root ? obj->pin_root : LD_PIN_ROOT, map->name);
	err = object_command(obj, BPF_OBJ_PIN, map->fd, path);
	if (err < 0)
		return ld_diag_set(diag, (int)err, "%s: map '%s': pinning at %s failed: %s",
				   obj->name, map->name, path, strerror((int)-err));
	return 0;
}

static int create_map(struct ld_object *obj, struct ld_map *map, struct ld_diag *diag)
{
	bool with_btf = obj->btf_fd >= 0 && (map->btf_key_type_id || map->btf_value_type_id);
	int inner_fd = -1;
	long fd;

	if (map->inner) {
		int err = create_map(obj, map->inner, diag);
		if (err)
			return err;
		inner_fd = map->inner->fd;
	}
	if (map->def.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		if (!map->def.max_entries) map->def.max_entries = possible_cpus();
		if (!map->def.key_size) map->def.key_size = 4;
		if (!map->def.value_size) map->def.value_size = 4;
	}
	fd = create_with(obj, map, inner_fd, with_btf);
	if (fd < 0 && with_btf)
		fd = create_with(obj, map, inner_fd, false);
	if (map->inner) {
		close(map->inner->fd);
		map->inner->fd = -1;
	}
	if (fd < 0)
		return ld_diag_set(diag, (int)fd, "%s: map '%s': MAP_CREATE (%s) failed: %s",
				   obj->name, map->name, ld_map_type_name(map->def.type),
				   strerror((int)-fd));
	map->fd = (int)fd;
	return 0;
}

static long update(const struct ld_object *obj, int fd, const void *key, const void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = BPF_ANY;
	return obj->backend->bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr));
}

/* Write the initial image of a global-data map; freeze read-only data. */
static int initialise_data(struct ld_object *obj, struct ld_map *map, struct ld_diag *diag)
{
	uint32_t zero = 0;
	union bpf_attr attr;
	long err = 0;

	if (map->origin != LD_MAP_BSS)
		err = update(obj, map->fd, &zero, map->data);
	if (!err && map->origin == LD_MAP_RODATA) {
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)map->fd;
		err = obj->backend->bpf(BPF_MAP_FREEZE, &attr, sizeof(attr));
	}
	if (err < 0)
		return ld_diag_set(diag, (int)err, "%s: map '%s': writing initial data failed: %s",
				   obj->name, map->name, strerror((int)-err));
	return 0;
}

int ld_maps_create(struct ld_object *obj, struct ld_diag *diag)
{
	for (size_t i = 0; i < obj->map_count; i++) {
		struct ld_map *map = obj->maps[i];
		int err = reuse_pinned(obj, map, diag);
		if (err > 0)
			continue; /* a pinned map keeps its contents */
		if (!err)
			err = create_map(obj, map, diag);
		if (!err && map->data)
			err = initialise_data(obj, map, diag);
		if (!err)
			err = pin_by_name(obj, map, diag);
		if (err)
			return err;
	}
	return 0;
}

static int slot_target_fd(struct ld_object *obj, const struct ld_map *map,
			  const struct ld_map_init *init, struct ld_diag *diag)
{
	if (map->def.type == BPF_MAP_TYPE_PROG_ARRAY) {
		struct ld_program *prog = ld_object__find_program(obj, init->target);
		if (!prog)
			return ld_diag_set(diag, -ENOENT,
					   "%s: section '.maps': map '%s': slot %u: no program '%s'",
					   obj->name, map->name, init->slot, init->target);
		if (prog->fd < 0)
			return ld_diag_set(diag, -EINVAL,
					   "%s: section '.maps': map '%s': slot %u: program '%s' "
					   "was not loaded", obj->name, map->name, init->slot,
					   init->target);
		return prog->fd;
	}
	struct ld_map *inner = ld_object__find_map(obj, init->target);
	if (!inner || inner->fd < 0)
		return ld_diag_set(diag, -ENOENT,
				   "%s: section '.maps': map '%s': slot %u: no map '%s'",
				   obj->name, map->name, init->slot, init->target);
	return inner->fd;
}

int ld_maps_fill_slots(struct ld_object *obj, struct ld_diag *diag)
{
	for (size_t i = 0; i < obj->map_count; i++) {
		struct ld_map *map = obj->maps[i];
		for (size_t j = 0; j < map->init_count; j++) {
			int fd = slot_target_fd(obj, map, &map->inits[j], diag);
			if (fd < 0)
				return fd;
			long err = update(obj, map->fd, &map->inits[j].slot, &fd);
			if (err < 0)
				return ld_diag_set(diag, (int)err,
						   "%s: map '%s': slot %u = '%s': update failed: %s",
						   obj->name, map->name, map->inits[j].slot,
						   map->inits[j].target, strerror((int)-err));
		}
	}
	return 0;
}
