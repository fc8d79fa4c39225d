/* map_of_maps.c - ARRAY_OF_MAPS and HASH_OF_MAPS: values are maps. User space stores
 * map fds and reads back map ids; the outer map holds a reference on every inner map,
 * and inserts are checked against the template made from inner_map_fd.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "map_int.h"

extern const struct emu_map_ops emu_hash_ops, emu_htab_raw_ops;
void *emu_htab_find_value(struct emu_map *map, const void *key);
void *emu_htab_insert_value(struct emu_map *map, const void *key, uint64_t flags, int *err);

static int array_of_maps_alloc_check(const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(uint32_t))
		return -EINVAL;
	if (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;
	return emu_array_alloc_check(attr);
}

static int hash_of_maps_alloc_check(const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(uint32_t))
		return -EINVAL;
	return emu_htab_alloc_check(attr);
}

/* The inner map the user's fd names, checked against the template (bpf_map_fd_get_ptr). */
static struct emu_map *inner_map_from_fd(struct emu_map *outer, const void *value,
					 int *err)
{
	struct emu_map *inner = emu_map_get_by_fd(*(const int *)value);

	if (!inner) {
		*err = -errno;
		return NULL;
	}
	if (!outer->inner_meta || !emu_map_meta_equal(outer->inner_meta, inner)) {
		emu_map_put(inner);
		*err = -EINVAL;
		return NULL;
	}
	return inner;
}

static void inner_slot_clear(void **slot)
{
	struct emu_map *old = *slot;

	*slot = NULL;
	if (old)
		emu_map_put(old);
}

/* ---- ARRAY_OF_MAPS ---- */

static uint64_t array_of_maps_data_size(const struct emu_map *map)
{
	return 0;
}

static void **array_of_maps_slot(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);
	void **slots = emu_map_slots(map);

	return slots && index < map->desc.max_entries ? &slots[index] : NULL;
}

static void *array_of_maps_lookup(struct emu_map *map, const void *key)
{
	void **slot = array_of_maps_slot(map, key);

	return slot ? *slot : NULL;
}

static int array_of_maps_sys_update(struct emu_map *map, const void *key,
				    const void *value, uint64_t flags)
{
	struct emu_map *inner;
	void **slot;
	int err = 0;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (emu_map_load_u32(key) >= map->desc.max_entries)
		return -E2BIG;
	slot = array_of_maps_slot(map, key);
	if (!slot)
		return -ENOMEM;
	inner = inner_map_from_fd(map, value, &err);
	if (!inner)
		return err;
	inner_slot_clear(slot);
	*slot = inner;
	return 0;
}

static int array_of_maps_sys_lookup(struct emu_map *map, const void *key, void *value,
				    uint64_t flags)
{
	struct emu_map *inner = array_of_maps_lookup(map, key);

	if (!inner)
		return -ENOENT;
	emu_map_store_u32(value, inner->desc.id);
	return 0;
}

static long array_of_maps_delete(struct emu_map *map, const void *key)
{
	void **slot;

	if (emu_map_load_u32(key) >= map->desc.max_entries)
		return -E2BIG;
	slot = array_of_maps_slot(map, key);
	if (!slot || !*slot)
		return -ENOENT;
	inner_slot_clear(slot);
	return 0;
}

static void array_of_maps_free(struct emu_map *map)
{
	if (!map->slots)
		return;
	for (uint32_t i = 0; i < map->desc.max_entries; i++)
		inner_slot_clear(&map->slots[i]);
}

const struct emu_map_ops emu_array_of_maps_ops = {
	.alloc_check = array_of_maps_alloc_check,
	.data_size = array_of_maps_data_size,
	.free = array_of_maps_free,
	.lookup = array_of_maps_lookup,
	.delete = array_of_maps_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_lookup = array_of_maps_sys_lookup,
	.sys_update = array_of_maps_sys_update,
};

/* ---- HASH_OF_MAPS: a hash table whose 8-byte value slot holds the map pointer ---- */

static uint64_t hash_of_maps_data_size(const struct emu_map *map)
{
	return emu_htab_raw_ops.data_size(map);
}

static void *hash_of_maps_lookup(struct emu_map *map, const void *key)
{
	struct emu_map **slot = emu_htab_find_value(map, key);

	return slot ? *slot : NULL;
}

static int hash_of_maps_sys_update(struct emu_map *map, const void *key, const void *value,
				   uint64_t flags)
{
	struct emu_map *inner, **slot;
	int err = 0;

	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST || (flags & BPF_F_LOCK))
		return -EINVAL;
	inner = inner_map_from_fd(map, value, &err);
	if (!inner)
		return err;
	slot = emu_htab_insert_value(map, key, flags, &err);
	if (!slot) {
		emu_map_put(inner);
		return err;
	}
	inner_slot_clear((void **)slot);
	*slot = inner;
	return 0;
}

static int hash_of_maps_sys_lookup(struct emu_map *map, const void *key, void *value,
				   uint64_t flags)
{
	struct emu_map *inner = hash_of_maps_lookup(map, key);

	if (!inner)
		return -ENOENT;
	emu_map_store_u32(value, inner->desc.id);
	return 0;
}

static long hash_of_maps_delete(struct emu_map *map, const void *key)
{
	struct emu_map **slot = emu_htab_find_value(map, key);

	if (!slot)
		return -ENOENT;
	inner_slot_clear((void **)slot);
	return emu_htab_raw_ops.delete(map, key);
}

static long hash_of_maps_put_one(struct emu_map *map, void *key, void *value, void *ctx)
{
	inner_slot_clear(value);
	return 0;
}

static int hash_of_maps_init(struct emu_map *map)
{
	return emu_htab_raw_ops.init(map);
}

static int hash_of_maps_get_next_key(struct emu_map *map, const void *key, void *next)
{
	return emu_htab_raw_ops.get_next_key(map, key, next);
}

static int hash_of_maps_lookup_batch(struct emu_map *map, const void *in_batch,
				     void *out_batch, void *keys, void *values,
				     uint32_t *count, uint64_t elem_flags, bool do_delete)
{
	return emu_htab_raw_ops.lookup_batch(map, in_batch, out_batch, keys, values, count,
					     elem_flags, false);
}

static uint32_t hash_of_maps_cursor_size(const struct emu_map *map)
{
	return sizeof(uint32_t);
}

static void hash_of_maps_free(struct emu_map *map)
{
	if (map->file->creator_pid == (uint32_t)getpid() && !map->attached)
		emu_hash_ops.for_each(map, hash_of_maps_put_one, NULL);
}

const struct emu_map_ops emu_hash_of_maps_ops = {
	.alloc_check = hash_of_maps_alloc_check,
	.data_size = hash_of_maps_data_size,
	.init = hash_of_maps_init,
	.free = hash_of_maps_free,
	.lookup = hash_of_maps_lookup,
	.delete = hash_of_maps_delete,
	.get_next_key = hash_of_maps_get_next_key,
	.sys_lookup = hash_of_maps_sys_lookup,
	.sys_update = hash_of_maps_sys_update,
	.lookup_batch = hash_of_maps_lookup_batch,
	.batch_cursor_size = hash_of_maps_cursor_size,
};
