/* syscall_map.c - the single-element map commands: MAP_CREATE, MAP_LOOKUP_ELEM,
 * MAP_UPDATE_ELEM, MAP_DELETE_ELEM, MAP_GET_NEXT_KEY, MAP_LOOKUP_AND_DELETE_ELEM and
 * MAP_FREEZE, with the kernel's attribute checks in the kernel's order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "syscall_int.h"

/* bpf_obj_name_cpy: alnum, '_' and '.', NUL-terminated within the field. */
int emu_obj_name_check(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size && name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '.')
			return -EINVAL;
	return i == size ? -EINVAL : 0;
}

/* bpf_get_file_flag: the access an fd of a map created with these flags grants. */
static int map_file_mode(uint32_t flags, unsigned int *mode)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;
	*mode = flags & BPF_F_RDONLY ? EMU_FMODE_READ
		: flags & BPF_F_WRONLY ? EMU_FMODE_WRITE : EMU_FMODE_RW;
	return 0;
}

static int map_create_check(const union bpf_attr *attr, unsigned int *mode)
{
	if (EMU_ATTR_TAIL_NONZERO(attr, map_extra))
		return -EINVAL;
	if (attr->btf_vmlinux_value_type_id) {
		if (attr->map_type != BPF_MAP_TYPE_STRUCT_OPS || attr->btf_key_type_id ||
		    attr->btf_value_type_id)
			return -EINVAL;
	} else if (attr->btf_key_type_id && !attr->btf_value_type_id) {
		return -EINVAL;
	}
	if (attr->map_type != BPF_MAP_TYPE_BLOOM_FILTER && attr->map_extra)
		return -EINVAL;
	if (map_file_mode(attr->map_flags, mode))
		return -EINVAL;
	if ((attr->map_flags & BPF_F_NUMA_NODE) && attr->numa_node != 0)
		return -EINVAL; /* the emulated machine has one NUMA node */
	return 0;
}

int emu_map_check_btf(struct emu_map *map, const union bpf_attr *attr);

int emu_cmd_map_create(union bpf_attr *attr)
{
	unsigned int mode;
	struct emu_map *map;
	int storage_fd = -1;
	int err = map_create_check(attr, &mode);

	if (err)
		return err;
	map = emu_map_create(attr, &storage_fd);
	if (!map)
		return -errno;
	err = emu_obj_name_check(attr->map_name, sizeof(attr->map_name));
	if (!err && (attr->btf_key_type_id || attr->btf_value_type_id))
		err = emu_map_check_btf(map, attr);
	if (err) {
		emu_map_put_uref(map);
		close(storage_fd);
		return err;
	}
	return emu_fd_install(EMU_OBJ_MAP, map, storage_fd, mode);
}

struct emu_map *emu_sys_map_get(int fd, unsigned int *mode, int *err)
{
	struct emu_map *map = emu_sys_get(fd, EMU_OBJ_MAP, err, mode);

	if (map && map->file->frozen)
		*mode &= ~EMU_FMODE_WRITE;
	return map;
}

/* __bpf_copy_key: key_size bytes, or NULL for key-less maps (a key there: EINVAL). */
static int map_copy_key(const struct emu_map *map, uint64_t ukey, void **key)
{
	*key = NULL;
	if (!map->desc.key_size)
		return ukey ? -EINVAL : 0;
	if (!ukey)
		return -EFAULT;
	*key = (void *)(uintptr_t)ukey;
	return 0;
}

static int map_check_lock_flag(const struct emu_map *map, uint64_t flags)
{
	if ((flags & BPF_F_LOCK) && map->file->spin_lock_off < 0)
		return -EINVAL;
	return 0;
}

static bool map_is_stack_like(const struct emu_map *map)
{
	return map->desc.type == BPF_MAP_TYPE_QUEUE || map->desc.type == BPF_MAP_TYPE_STACK;
}

/* Value buffer of the user's size; the user's pointer is used directly when there. */
/* Where an operation writes its result: the user's buffer, or scratch memory when the
 * user passed NULL, so the operation still runs and only the copy-out fails with
 * EFAULT, as in the kernel's copy_to_user after the work is done. */
struct out_buffer {
	void *ptr;     /* where to write */
	void *scratch; /* owned stand-in for a NULL user pointer */
};

static int out_buffer_get(struct out_buffer *out, uint64_t user, size_t size)
{
	out->scratch = NULL;
	out->ptr = (void *)(uintptr_t)user;
	if (!size || user)
		return 0;
	out->ptr = out->scratch = calloc(1, size);
	return out->ptr ? 0 : -ENOMEM;
}

static int out_buffer_done(struct out_buffer *out, int ret)
{
	if (!out->scratch)
		return ret;
	free(out->scratch);
	return ret < 0 ? ret : -EFAULT;
}

static void *map_value_buffer(const struct emu_map *map, uint64_t uvalue, int *err)
{
	uint32_t size = emu_map_user_value_size(map);

	*err = 0;
	if (!size)
		return NULL;
	if (!uvalue) {
		*err = -EFAULT;
		return NULL;
	}
	return (void *)(uintptr_t)uvalue;
}

int emu_cmd_map_lookup(union bpf_attr *attr)
{
	unsigned int mode = 0;
	struct out_buffer out;
	struct emu_map *map;
	void *key, *value;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, flags))
		return -EINVAL;
	if (attr->flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	map = emu_sys_map_get((int)attr->map_fd, &mode, &err);
	if (!map)
		return err;
	if (!(mode & EMU_FMODE_READ))
		return -EPERM;
	err = map_check_lock_flag(map, attr->flags);
	if (!err)
		err = map_copy_key(map, attr->key, &key);
	if (err)
		return err;
	if (map->desc.type == BPF_MAP_TYPE_BLOOM_FILTER) { /* the value is an input */
		value = map_value_buffer(map, attr->value, &err);
		return err ? err : (int)emu_map_peek_elem(map, value);
	}
	err = out_buffer_get(&out, attr->value, emu_map_user_value_size(map));
	if (err)
		return err;
	if (map_is_stack_like(map))
		err = (int)emu_map_peek_elem(map, out.ptr);
	else
		err = emu_map_sys_lookup(map, key, out.ptr, attr->flags);
	return out_buffer_done(&out, err);
}

int emu_cmd_map_update(union bpf_attr *attr)
{
	unsigned int mode = 0;
	struct emu_map *map;
	void *key, *value;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, flags))
		return -EINVAL;
	map = emu_sys_map_get((int)attr->map_fd, &mode, &err);
	if (!map)
		return err;
	if (!(mode & EMU_FMODE_WRITE))
		return -EPERM;
	err = map_check_lock_flag(map, attr->flags);
	if (!err)
		err = map_copy_key(map, attr->key, &key);
	if (!err)
		value = map_value_buffer(map, attr->value, &err);
	if (err)
		return err;
	if (map_is_stack_like(map) || map->desc.type == BPF_MAP_TYPE_BLOOM_FILTER)
		return (int)emu_map_push_elem(map, value, attr->flags);
	return emu_map_sys_update(map, key, value, attr->flags);
}

int emu_cmd_map_delete(union bpf_attr *attr)
{
	unsigned int mode = 0;
	struct emu_map *map;
	void *key;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, key))
		return -EINVAL;
	map = emu_sys_map_get((int)attr->map_fd, &mode, &err);
	if (!map)
		return err;
	if (!(mode & EMU_FMODE_WRITE))
		return -EPERM;
	err = map_copy_key(map, attr->key, &key);
	if (err)
		return err;
	return emu_map_sys_delete(map, key);
}

int emu_cmd_map_get_next_key(union bpf_attr *attr)
{
	struct out_buffer out;
	unsigned int mode = 0;
	struct emu_map *map;
	void *key = NULL;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, next_key))
		return -EINVAL;
	map = emu_sys_map_get((int)attr->map_fd, &mode, &err);
	if (!map)
		return err;
	if (!(mode & EMU_FMODE_READ))
		return -EPERM;
	if (attr->key) {
		err = map_copy_key(map, attr->key, &key);
		if (err)
			return err;
	}
	err = out_buffer_get(&out, attr->next_key, map->desc.key_size);
	if (err)
		return err;
	return out_buffer_done(&out, emu_map_sys_get_next_key(map, key, out.ptr));
}

static bool map_is_hash_family(const struct emu_map *map)
{
	switch (map->desc.type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return true;
	default:
		return false;
	}
}

int emu_cmd_map_lookup_and_delete(union bpf_attr *attr)
{
	unsigned int mode = 0;
	struct out_buffer out;
	struct emu_map *map;
	void *key;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, flags))
		return -EINVAL;
	if (attr->flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	map = emu_sys_map_get((int)attr->map_fd, &mode, &err);
	if (!map)
		return err;
	if (!(mode & EMU_FMODE_READ) || !(mode & EMU_FMODE_WRITE))
		return -EPERM;
	if (attr->flags && map_is_stack_like(map))
		return -EINVAL;
	err = map_check_lock_flag(map, attr->flags);
	if (!err)
		err = map_copy_key(map, attr->key, &key);
	if (!err)
		err = out_buffer_get(&out, attr->value, emu_map_user_value_size(map));
	if (err)
		return err;
	if (map_is_stack_like(map))
		err = (int)emu_map_pop_elem(map, out.ptr);
	else if (map_is_hash_family(map))
		err = emu_map_sys_lookup_and_delete(map, key, out.ptr, attr->flags);
	else
		err = -EMU_ENOTSUPP;
	return out_buffer_done(&out, err);
}

int emu_cmd_map_freeze(union bpf_attr *attr)
{
	unsigned int mode = 0;
	struct emu_map *map;
	int err;

	if (EMU_ATTR_TAIL_NONZERO(attr, map_fd))
		return -EINVAL;
	map = emu_sys_map_get((int)attr->map_fd, &mode, &err);
	if (!map)
		return err;
	if (map->file->spin_lock_off >= 0)
		return -EMU_ENOTSUPP;
	if (!(mode & EMU_FMODE_WRITE))
		return -EPERM;
	emu_map_lock(map);
	err = map->file->frozen ? -EBUSY : 0;
	map->file->frozen = 1;
	map->desc.frozen = true;
	emu_map_unlock(map);
	return err;
}
