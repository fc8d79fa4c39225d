/* syscall_batch.c - MAP_LOOKUP_BATCH, MAP_LOOKUP_AND_DELETE_BATCH, MAP_UPDATE_BATCH and
 * MAP_DELETE_BATCH: the kernel's generic batch loops (cursor = last key returned) and
 * the hash tables' bucket cursor, with partial counts on error.
 */
#include <errno.h>
#include <stdlib.h>

#include "syscall_int.h"

static bool batch_type_has(const struct emu_map *map, int cmd)
{
	switch (map->desc.type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return true;
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_UPDATE_BATCH;
	case BPF_MAP_TYPE_LPM_TRIE:
		return cmd != BPF_MAP_LOOKUP_AND_DELETE_BATCH;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return cmd == BPF_MAP_LOOKUP_BATCH;
	default:
		return false;
	}
}

static int batch_check_elem_flags(const struct emu_map *map, uint64_t elem_flags)
{
	if (elem_flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	if ((elem_flags & BPF_F_LOCK) && map->file->spin_lock_off < 0)
		return -EINVAL;
	return 0;
}

static unsigned char *batch_ptr(uint64_t base, uint64_t index, uint32_t size)
{
	return (unsigned char *)(uintptr_t)base + index * size;
}

/* generic_map_lookup_batch: walk get_next_key from the user's cursor key. */
static int batch_generic_lookup(struct emu_map *map, const union bpf_attr *attr,
				uint32_t *done)
{
	uint32_t ksize = map->desc.key_size, vsize = emu_map_user_value_size(map);
	unsigned char *prev = NULL, *key = malloc(ksize), *buf = malloc(ksize);
	int err = 0;

	if (!key || !buf) {
		free(key);
		free(buf);
		return -ENOMEM;
	}
	if (attr->batch.in_batch) {
		memcpy(buf, (const void *)(uintptr_t)attr->batch.in_batch, ksize);
		prev = buf;
	}
	for (*done = 0; *done < attr->batch.count;) {
		err = emu_map_sys_get_next_key(map, prev, key);
		if (err)
			break;
		err = emu_map_sys_lookup(map, key, batch_ptr(attr->batch.values, *done, vsize),
					 attr->batch.elem_flags);
		if (err)
			break;
		memcpy(batch_ptr(attr->batch.keys, *done, ksize), key, ksize);
		if (!prev)
			prev = buf;
		memcpy(prev, key, ksize);
		(*done)++;
	}
	if (*done)
		memcpy((void *)(uintptr_t)attr->batch.out_batch, prev, ksize);
	free(key);
	free(buf);
	return err;
}

static int batch_generic_update(struct emu_map *map, const union bpf_attr *attr,
				uint32_t *done)
{
	uint32_t ksize = map->desc.key_size, vsize = emu_map_user_value_size(map);
	int err = 0;

	for (*done = 0; *done < attr->batch.count; (*done)++) {
		err = emu_map_sys_update(map, batch_ptr(attr->batch.keys, *done, ksize),
					 batch_ptr(attr->batch.values, *done, vsize),
					 attr->batch.elem_flags);
		if (err)
			break;
	}
	return err;
}

static int batch_generic_delete(struct emu_map *map, const union bpf_attr *attr,
				uint32_t *done)
{
	int err = 0;

	for (*done = 0; *done < attr->batch.count; (*done)++) {
		err = emu_map_sys_delete(map, batch_ptr(attr->batch.keys, *done,
							map->desc.key_size));
		if (err)
			break;
	}
	return err;
}

static int batch_hash_lookup(struct emu_map *map, const union bpf_attr *attr,
			     uint32_t *done, bool do_delete)
{
	uint32_t count = attr->batch.count;
	int err;

	if (attr->batch.flags)
		return -EINVAL;
	emu_map_lock(map);
	err = map->ops->lookup_batch(map, (const void *)(uintptr_t)attr->batch.in_batch,
				     (void *)(uintptr_t)attr->batch.out_batch,
				     (void *)(uintptr_t)attr->batch.keys,
				     (void *)(uintptr_t)attr->batch.values, &count,
				     attr->batch.elem_flags, do_delete);
	for (uint32_t i = 0; i < count; i++)
		emu_map_clear_special(map, batch_ptr(attr->batch.values, i,
						     emu_map_user_value_size(map)));
	emu_map_unlock(map);
	*done = count;
	return err;
}

static int batch_run(int cmd, struct emu_map *map, const union bpf_attr *attr,
		     uint32_t *done)
{
	bool lookup = cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;

	if (lookup && map->ops->lookup_batch)
		return batch_hash_lookup(map, attr, done, cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH);
	if (cmd == BPF_MAP_LOOKUP_BATCH)
		return batch_generic_lookup(map, attr, done);
	if (cmd == BPF_MAP_UPDATE_BATCH)
		return batch_generic_update(map, attr, done);
	return batch_generic_delete(map, attr, done);
}

int emu_cmd_map_batch(int cmd, union bpf_attr *attr, union bpf_attr *uattr,
		      unsigned int size)
{
	bool has_read = cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;
	bool has_write = cmd != BPF_MAP_LOOKUP_BATCH;
	unsigned int mode = 0;
	struct emu_map *map;
	uint32_t done = 0;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, batch.flags))
		return -EINVAL;
	map = emu_sys_map_get((int)attr->batch.map_fd, &mode, &err);
	if (!map)
		return err;
	if ((has_read && !(mode & EMU_FMODE_READ)) || (has_write && !(mode & EMU_FMODE_WRITE)))
		return -EPERM;
	if (!batch_type_has(map, cmd))
		return -EMU_ENOTSUPP;
	err = batch_check_elem_flags(map, attr->batch.elem_flags);
	if (err)
		return err;
	if (!attr->batch.count)
		return 0;
	EMU_ATTR_PUT(uattr, size, batch.count, 0);
	if (!attr->batch.keys || (cmd != BPF_MAP_DELETE_BATCH && !attr->batch.values) ||
	    (has_read && !attr->batch.out_batch))
		return -EFAULT;
	err = batch_run(cmd, map, attr, &done);
	EMU_ATTR_PUT(uattr, size, batch.count, done);
	return err;
}
