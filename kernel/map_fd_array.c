/* map_fd_array.c - PROG_ARRAY and PERF_EVENT_ARRAY: arrays whose user-space values are
 * fds and whose slots hold objects of this process (programs, perf event outputs).
 * A PROG_ARRAY is emptied when its last user reference goes, as in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf/emu.h"
#include "map_int.h"

static int fd_array_alloc_check(const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(uint32_t))
		return -EINVAL;
	if (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;
	return emu_array_alloc_check(attr);
}

/* What the first program tied to a PROG_ARRAY fixes for every later one (kept in the
 * map's data so that a pinned array keeps its owner across processes). */
struct prog_array_owner {
	uint32_t type_plus_one;        /* 0: no owner yet */
	uint32_t expected_attach_type;
	uint32_t flags;                /* BPF_F_XDP_HAS_FRAGS | BPF_F_SLEEPABLE of the owner */
};

static uint64_t fd_array_data_size(const struct emu_map *map)
{
	return sizeof(struct prog_array_owner);
}

static void **fd_array_slot(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);
	void **slots = emu_map_slots(map);

	if (!slots || index >= map->desc.max_entries)
		return NULL;
	return &slots[index];
}

static int fd_array_check_update(struct emu_map *map, const void *key, uint64_t flags)
{
	if (flags != BPF_ANY)
		return -EINVAL;
	if (emu_map_load_u32(key) >= map->desc.max_entries)
		return -E2BIG;
	return 0;
}

/* ---- PROG_ARRAY ---- */

struct emu_prog *emu_prog_array_get(struct emu_map *map, uint32_t index)
{
	void **slot = fd_array_slot(map, &index);

	return slot ? *slot : NULL;
}

static void prog_slot_clear(void **slot)
{
	struct emu_prog *old = *slot;

	*slot = NULL;
	if (old)
		emu_prog_put(old);
}

static long prog_array_delete(struct emu_map *map, const void *key)
{
	void **slot;

	if (emu_map_load_u32(key) >= map->desc.max_entries)
		return -E2BIG;
	slot = fd_array_slot(map, key);
	if (!slot || !*slot)
		return -ENOENT;
	prog_slot_clear(slot);
	return 0;
}

/* The first program stored in the array, or loaded with a reference to it, fixes
 * the program type, expected attach type (prog arrays only, since 6.17) and the
 * frags/sleepable flags every later one must have; the emulator always "JITs".
 * DEVMAP, DEVMAP_HASH and CPUMAP keep the same owner record at the start of their
 * data. */
bool emu_prog_array_compatible(struct emu_map *map, const struct emu_prog *prog)
{
	struct prog_array_owner *owner = (struct prog_array_owner *)map->data;
	uint32_t flags = prog->prog_flags & (BPF_F_XDP_HAS_FRAGS | BPF_F_SLEEPABLE);

	if (!owner->type_plus_one) {
		owner->type_plus_one = prog->type + 1;
		owner->expected_attach_type = prog->expected_attach_type;
		owner->flags = flags;
		return true;
	}
	return owner->type_plus_one == prog->type + 1 && owner->flags == flags &&
	       (map->desc.type != BPF_MAP_TYPE_PROG_ARRAY ||
		owner->expected_attach_type == prog->expected_attach_type);
}

static int prog_array_sys_update(struct emu_map *map, const void *key, const void *value,
				 uint64_t flags)
{
	struct emu_prog *prog;
	void **slot;
	int err = fd_array_check_update(map, key, flags);

	if (err)
		return err;
	slot = fd_array_slot(map, key);
	if (!slot)
		return -ENOMEM;
	prog = emu_prog_get_by_fd(*(const int *)value);
	if (!prog)
		return -errno;
	if (!emu_prog_array_compatible(map, prog)) {
		emu_prog_put(prog);
		return -EINVAL;
	}
	prog_slot_clear(slot);
	*slot = prog;
	return 0;
}

static int prog_array_sys_lookup(struct emu_map *map, const void *key, void *value,
				 uint64_t flags)
{
	void **slot = fd_array_slot(map, key);

	if (!slot || !*slot)
		return -ENOENT;
	emu_map_store_u32(value, ((struct emu_prog *)*slot)->id);
	return 0;
}

static void prog_array_clear(struct emu_map *map)
{
	if (!map->slots)
		return;
	for (uint32_t i = 0; i < map->desc.max_entries; i++)
		prog_slot_clear(&map->slots[i]);
}

static void *prog_array_lookup(struct emu_map *map, const void *key)
{
	void **slot = fd_array_slot(map, key);

	return slot ? *slot : NULL;
}

const struct emu_map_ops emu_prog_array_ops = {
	.alloc_check = fd_array_alloc_check,
	.data_size = fd_array_data_size,
	.free = prog_array_clear,
	.release_uref = prog_array_clear,
	.lookup = prog_array_lookup,
	.delete = prog_array_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_lookup = prog_array_sys_lookup,
	.sys_update = prog_array_sys_update,
};

/* ---- PERF_EVENT_ARRAY ---- */

/* One slot: the fd user space stored and the records programs output for it. */
struct perf_slot {
	int fd;                 /* the fd stored by user space (kept open: a dup) */
	unsigned char *records; /* u32 length + bytes, one after another */
	size_t used;            /* bytes in records */
	size_t read;            /* bytes already consumed */
};

static void perf_slot_free(void **slot)
{
	struct perf_slot *ps = *slot;

	*slot = NULL;
	if (!ps)
		return;
	close(ps->fd);
	free(ps->records);
	free(ps);
}

static long perf_array_delete(struct emu_map *map, const void *key)
{
	void **slot;

	if (emu_map_load_u32(key) >= map->desc.max_entries)
		return -E2BIG;
	slot = fd_array_slot(map, key);
	if (!slot || !*slot)
		return -ENOENT;
	perf_slot_free(slot);
	return 0;
}

static int perf_array_sys_update(struct emu_map *map, const void *key, const void *value,
				 uint64_t flags)
{
	struct perf_slot *ps;
	void **slot;
	int err = fd_array_check_update(map, key, flags), dup_fd;

	if (err)
		return err;
	slot = fd_array_slot(map, key);
	if (!slot)
		return -ENOMEM;
	dup_fd = fcntl(*(const int *)value, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return -EBADF;
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		close(dup_fd);
		return -ENOMEM;
	}
	ps->fd = dup_fd;
	perf_slot_free(slot);
	*slot = ps;
	return 0;
}

static void perf_array_clear(struct emu_map *map)
{
	if (!map->slots)
		return;
	for (uint32_t i = 0; i < map->desc.max_entries; i++)
		perf_slot_free(&map->slots[i]);
}

static void perf_array_release_uref(struct emu_map *map)
{
	if (!(map->desc.map_flags & BPF_F_PRESERVE_ELEMS))
		perf_array_clear(map);
}

long emu_perf_event_output(struct emu_map *map, uint64_t flags, const void *data,
			   uint64_t size)
{
	uint64_t index = flags & BPF_F_INDEX_MASK;
	struct perf_slot *ps;
	unsigned char *grown;
	uint32_t len = (uint32_t)size;

	if (flags & ~(BPF_F_INDEX_MASK | BPF_F_CTXLEN_MASK))
		return -EINVAL;
	if (index == BPF_F_CURRENT_CPU)
		index = emu_config_current_cpu();
	if (index >= map->desc.max_entries)
		return -E2BIG;
	ps = emu_map_slots(map) ? map->slots[index] : NULL;
	if (!ps)
		return -ENOENT;
	grown = realloc(ps->records, ps->used + sizeof(len) + size);
	if (!grown)
		return -ENOMEM;
	ps->records = grown;
	memcpy(grown + ps->used, &len, sizeof(len));
	memcpy(grown + ps->used + sizeof(len), data, size);
	ps->used += sizeof(len) + size;
	return 0;
}

static int emu_perf_event_pop(struct emu_map *map, uint32_t index, void *buf, uint32_t size)
{
	struct perf_slot *ps;
	uint32_t len;

	if (index >= map->desc.max_entries)
		return -E2BIG;
	ps = emu_map_slots(map) ? map->slots[index] : NULL;
	if (!ps || ps->read == ps->used)
		return -ENOENT;
	memcpy(&len, ps->records + ps->read, sizeof(len));
	if (len > size)
		return -ENOSPC;
	memcpy(buf, ps->records + ps->read + sizeof(len), len);
	ps->read += sizeof(len) + len;
	return (int)len;
}

int emu_perf_event_read(int map_fd, unsigned int index, void *buf, unsigned int size)
{
	struct emu_map *map = emu_map_get_by_fd(map_fd);
	int ret;

	if (!map)
		return -errno;
	if (map->desc.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		emu_map_put(map);
		return -EINVAL;
	}
	emu_map_lock(map);
	ret = emu_perf_event_pop(map, index, buf, size);
	emu_map_unlock(map);
	emu_map_put(map);
	return ret;
}

const struct emu_map_ops emu_perf_event_array_ops = {
	.alloc_check = fd_array_alloc_check,
	.data_size = fd_array_data_size,
	.free = perf_array_clear,
	.release_uref = perf_array_release_uref,
	.delete = perf_array_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_update = perf_array_sys_update,
};
