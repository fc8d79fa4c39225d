/* map_array.c - ARRAY and PERCPU_ARRAY: max_entries values of round_up(value_size, 8)
 * bytes (times the CPU count for the per-CPU flavour), indexed by a u32 key.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "map_int.h"

#define ARRAY_CREATE_FLAG_MASK                                                       \
	(BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_RDONLY | BPF_F_WRONLY |             \
	 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP)

/* The kernel's bpf_map_flags_access_ok: not both of the program-side access flags. */
bool emu_map_flags_access_ok(uint32_t flags)
{
	return (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) !=
	       (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
}

/* Shared by every array-shaped map (plain, per-CPU, fd arrays): array_map_alloc_check. */
int emu_array_alloc_check(const union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY;
	bool numa = attr->map_flags & BPF_F_NUMA_NODE;

	if (attr->max_entries == 0 || attr->key_size != 4 || attr->value_size == 0 ||
	    attr->map_flags & ~ARRAY_CREATE_FLAG_MASK ||
	    !emu_map_flags_access_ok(attr->map_flags) || (percpu && numa))
		return -EINVAL;
	if (attr->map_type != BPF_MAP_TYPE_ARRAY &&
	    attr->map_flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP))
		return -EINVAL;
	if (attr->map_type != BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
	    attr->map_flags & BPF_F_PRESERVE_ELEMS)
		return -EINVAL;
	if (attr->value_size > INT_MAX)
		return -E2BIG;
	if (percpu && EMU_ROUND_UP(attr->value_size, 8) > EMU_PCPU_MIN_UNIT_SIZE)
		return -E2BIG;
	return 0;
}

/* Bytes of one element: all CPUs' copies for the per-CPU flavour. */
static uint64_t array_elem_size(const struct emu_map *map)
{
	return (uint64_t)emu_map_value_stride(map) * map->ncpus;
}

static uint64_t array_data_size(const struct emu_map *map)
{
	return array_elem_size(map) * map->desc.max_entries;
}

static unsigned char *array_elem(struct emu_map *map, uint32_t index)
{
	return map->data + array_elem_size(map) * index;
}

static void *array_lookup(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);

	if (index >= map->desc.max_entries)
		return NULL;
	return array_elem(map, index);
}

static void *percpu_array_lookup(struct emu_map *map, const void *key)
{
	unsigned char *elem = array_lookup(map, key);

	if (!elem)
		return NULL;
	return elem + (uint64_t)emu_map_value_stride(map) * emu_config_current_cpu();
}

static int array_check_update(struct emu_map *map, const void *key, uint64_t flags,
			      bool percpu)
{
	uint64_t allowed_lock = percpu ? 0 : BPF_F_LOCK;

	if ((flags & ~allowed_lock) > BPF_EXIST)
		return -EINVAL;
	if (emu_map_load_u32(key) >= map->desc.max_entries)
		return -E2BIG;
	if (flags & BPF_NOEXIST)
		return -EEXIST;
	return 0;
}

static long array_update(struct emu_map *map, const void *key, const void *value,
			 uint64_t flags)
{
	int err = array_check_update(map, key, flags, false);

	if (err)
		return err;
	memcpy(array_lookup(map, key), value, map->desc.value_size);
	return 0;
}

static long percpu_array_update(struct emu_map *map, const void *key, const void *value,
				uint64_t flags)
{
	int err = array_check_update(map, key, flags, true);

	if (err)
		return err;
	memcpy(percpu_array_lookup(map, key), value, map->desc.value_size);
	return 0;
}

long emu_array_delete(struct emu_map *map, const void *key)
{
	return -EINVAL;
}

int emu_array_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	uint32_t index = key ? emu_map_load_u32(key) : UINT32_MAX;

	if (index >= map->desc.max_entries) {
		emu_map_store_u32(next_key, 0);
		return 0;
	}
	if (index == map->desc.max_entries - 1)
		return -ENOENT;
	emu_map_store_u32(next_key, index + 1);
	return 0;
}

static uint32_t percpu_user_value_size(const struct emu_map *map)
{
	return (uint32_t)array_elem_size(map);
}

static int percpu_array_sys_lookup(struct emu_map *map, const void *key, void *value,
				   uint64_t flags)
{
	unsigned char *elem = array_lookup(map, key);

	if (!elem)
		return -ENOENT;
	memcpy(value, elem, array_elem_size(map));
	return 0;
}

static int percpu_array_sys_update(struct emu_map *map, const void *key, const void *value,
				   uint64_t flags)
{
	int err = array_check_update(map, key, flags, true);

	if (err)
		return err;
	memcpy(array_lookup(map, key), value, array_elem_size(map));
	return 0;
}

static long array_for_each(struct emu_map *map,
			   long (*cb)(struct emu_map *map, void *key, void *value, void *ctx),
			   void *ctx)
{
	long visited = 0;

	for (uint32_t i = 0; i < map->desc.max_entries; i++) {
		uint32_t key = i;
		void *value = map->desc.type == BPF_MAP_TYPE_PERCPU_ARRAY
				      ? percpu_array_lookup(map, &key)
				      : array_lookup(map, &key);

		visited++;
		if (cb(map, &key, value, ctx))
			break;
	}
	return visited;
}

static void *array_direct_value(struct emu_map *map, uint32_t off)
{
	if (map->desc.max_entries != 1 || off >= map->desc.value_size)
		return NULL;
	return map->data + off;
}

const struct emu_map_ops emu_array_ops = {
	.alloc_check = emu_array_alloc_check,
	.data_size = array_data_size,
	.lookup = array_lookup,
	.update = array_update,
	.delete = emu_array_delete,
	.get_next_key = emu_array_get_next_key,
	.for_each = array_for_each,
	.direct_value = array_direct_value,
};

const struct emu_map_ops emu_percpu_array_ops = {
	.alloc_check = emu_array_alloc_check,
	.data_size = array_data_size,
	.lookup = percpu_array_lookup,
	.update = percpu_array_update,
	.delete = emu_array_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_lookup = percpu_array_sys_lookup,
	.sys_update = percpu_array_sys_update,
	.for_each = array_for_each,
	.user_value_size = percpu_user_value_size,
};
