/* btf_object.c - BTF objects (BPF_BTF_LOAD): the raw bytes as loaded, decoded and
 * validated with libobjfmt, and what maps created with btf_fd learn from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_int.h"

struct emu_btf *emu_btf_get_by_fd(int fd, int *err)
{
	return emu_fd_get(fd, EMU_OBJ_BTF, err, NULL);
}

void emu_btf_put(struct emu_btf *btf)
{
	if (!btf || atomic_fetch_sub(&btf->refcnt, 1) != 1)
		return;
	emu_id_btf_remove(btf);
	objfmt_btf__free(btf->btf);
	free(btf->raw);
	free(btf);
}

void emu_btf_release_object(void *obj)
{
	emu_btf_put(obj);
}

/* Write the diagnostic into the caller's log buffer (NUL-terminated, truncated). */
static void btf_log(const union bpf_attr *attr, const struct objfmt_diag *diag)
{
	char *buf = (char *)(uintptr_t)attr->btf_log_buf;
	size_t size = attr->btf_log_size;

	if (!buf || !size || !attr->btf_log_level)
		return;
	snprintf(buf, size, "%s: %s\n", diag->where, diag->message);
}

int emu_cmd_btf_load(union bpf_attr *attr)
{
	struct objfmt_diag diag = { { 0 }, { 0 } };
	struct emu_btf *btf;

	if (EMU_ATTR_TAIL_NONZERO(attr, btf_log_level))
		return -EINVAL;
	if (attr->btf_log_level && (!attr->btf_log_buf || attr->btf_log_size < 128))
		return -EINVAL;
	if (!attr->btf_log_level && (attr->btf_log_buf || attr->btf_log_size))
		return -EINVAL;
	if (!attr->btf || !attr->btf_size || attr->btf_size > (1u << 26))
		return attr->btf_size > (1u << 26) ? -E2BIG : -EINVAL;
	btf = calloc(1, sizeof(*btf));
	if (!btf || !(btf->raw = malloc(attr->btf_size))) {
		free(btf);
		return -ENOMEM;
	}
	atomic_init(&btf->refcnt, 1);
	memcpy(btf->raw, (const void *)(uintptr_t)attr->btf, attr->btf_size);
	btf->raw_size = attr->btf_size;
	btf->btf = objfmt_btf__decode(btf->raw, btf->raw_size, &diag);
	if (!btf->btf || objfmt_btf__validate(btf->btf, &diag)) {
		btf_log(attr, &diag);
		emu_btf_put(btf);
		return -EINVAL;
	}
	if (emu_id_btf_add(btf)) {
		emu_btf_put(btf);
		return -ENOMEM;
	}
	return emu_fd_install(EMU_OBJ_BTF, btf, -1, EMU_FMODE_RW);
}

/* Offset of a `struct <name>` member in the value type, or -1 (none). */
static int btf_special_offset(const struct objfmt_btf *btf, uint32_t value_id,
			      const char *name)
{
	const struct objfmt_btf_type *t = objfmt_btf__type(btf, objfmt_btf__resolve(btf, value_id));

	if (!t || (t->kind != OBJFMT_BTF_STRUCT && t->kind != OBJFMT_BTF_UNION))
		return -1;
	for (uint32_t i = 0; i < t->vlen; i++) {
		const struct objfmt_btf_type *m =
			objfmt_btf__type(btf, objfmt_btf__resolve(btf, t->members[i].type));

		if (m && m->kind == OBJFMT_BTF_STRUCT && m->name && !strcmp(m->name, name))
			return (int)(t->members[i].bit_offset / 8);
	}
	return -1;
}

/* array_map_check_btf: a typed key must be a plain 32-bit int; a key-less (void) key
 * only for single-element arrays (global data). */
static int btf_check_array_key(const struct emu_map *map, const struct objfmt_btf *btf,
			       uint32_t key_id)
{
	const struct objfmt_btf_type *t;

	if (!key_id)
		return map->desc.max_entries == 1 ? 0 : -EINVAL;
	t = objfmt_btf__type(btf, key_id);
	if (!t || t->kind != OBJFMT_BTF_INT || t->int_bits != 32 || t->int_offset)
		return -EINVAL;
	return 0;
}

/* Key side of map_check_btf: a key type must match key_size; "no key type" only for
 * maps that check BTF themselves. */
static int btf_check_key(const struct emu_map *map, const struct objfmt_btf *btf,
			 uint32_t key_id)
{
	uint32_t type = map->desc.type;

	if (key_id && (!objfmt_btf__type(btf, key_id) ||
		       objfmt_btf__size(btf, key_id) != (int64_t)map->desc.key_size))
		return -EINVAL;
	if (type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY)
		return btf_check_array_key(map, btf, key_id);
	if (type == BPF_MAP_TYPE_BLOOM_FILTER)
		return key_id ? -EINVAL : 0;
	if (map->ops->refuses_btf) /* it has a map_check_btf: a key type is optional */
		return 0;
	return key_id ? 0 : -EINVAL;
}

/* map_check_btf: the key and value types must exist and have the map's sizes; a
 * struct bpf_spin_lock in the value only in HASH and ARRAY maps, a struct bpf_timer
 * only in HASH, LRU_HASH and ARRAY maps, 8-byte aligned. */
int emu_map_check_btf(struct emu_map *map, const union bpf_attr *attr)
{
	struct emu_btf *btf;
	int err = 0, lock_off, timer_off;

	btf = emu_btf_get_by_fd((int)attr->btf_fd, &err);
	if (!btf)
		return err;
	err = btf_check_key(map, btf->btf, attr->btf_key_type_id);
	if (!err && (!objfmt_btf__type(btf->btf, attr->btf_value_type_id) ||
		     objfmt_btf__size(btf->btf, attr->btf_value_type_id) !=
			     (int64_t)map->desc.value_size))
		err = -EINVAL;
	if (!err && map->ops->refuses_btf)
		err = -EMU_ENOTSUPP;
	lock_off = err ? -1 : btf_special_offset(btf->btf, attr->btf_value_type_id, "bpf_spin_lock");
	if (lock_off >= 0 && map->desc.type != BPF_MAP_TYPE_HASH &&
	    map->desc.type != BPF_MAP_TYPE_ARRAY)
		err = -EOPNOTSUPP;
	timer_off = err ? -1 : btf_special_offset(btf->btf, attr->btf_value_type_id, "bpf_timer");
	if (timer_off >= 0 && (timer_off % 8 ||
			       (map->desc.type != BPF_MAP_TYPE_HASH &&
				map->desc.type != BPF_MAP_TYPE_LRU_HASH &&
				map->desc.type != BPF_MAP_TYPE_ARRAY)))
		err = timer_off % 8 ? -EINVAL : -EOPNOTSUPP;
	if (!err) {
		map->file->spin_lock_off = lock_off;
		map->file->timer_off = timer_off;
		map->file->btf_id = btf->id;
	}
	emu_btf_put(btf);
	return err;
}
