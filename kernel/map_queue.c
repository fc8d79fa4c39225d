/* map_queue.c - QUEUE (FIFO) and STACK (LIFO): key-less maps of max_entries values in
 * a ring of max_entries + 1 slots; push with BPF_EXIST overwrites the oldest value
 * when full.
 */
#include <errno.h>
#include <string.h>

#include "map_int.h"

#define QUEUE_STACK_CREATE_FLAG_MASK                                                 \
	(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG |          \
	 BPF_F_WRONLY_PROG)

enum { QS_HEAD, QS_TAIL }; /* state[]: next slot to write, oldest slot */

static int qs_alloc_check(const union bpf_attr *attr)
{
	if (attr->max_entries == 0 || attr->key_size != 0 || attr->value_size == 0 ||
	    attr->map_flags & ~QUEUE_STACK_CREATE_FLAG_MASK ||
	    !emu_map_flags_access_ok(attr->map_flags))
		return -EINVAL;
	if (attr->value_size > EMU_KMALLOC_MAX_SIZE)
		return -E2BIG;
	return 0;
}

static uint64_t qs_slots(const struct emu_map *map)
{
	return (uint64_t)map->desc.max_entries + 1;
}

static uint64_t qs_data_size(const struct emu_map *map)
{
	return qs_slots(map) * map->desc.value_size;
}

static unsigned char *qs_slot(struct emu_map *map, uint64_t index)
{
	return map->data + index * map->desc.value_size;
}

static bool qs_empty(struct emu_map *map)
{
	return map->file->state[QS_HEAD] == map->file->state[QS_TAIL];
}

static bool qs_full(struct emu_map *map)
{
	uint64_t head = map->file->state[QS_HEAD] + 1;

	if (head >= qs_slots(map))
		head = 0;
	return head == map->file->state[QS_TAIL];
}

static long qs_push(struct emu_map *map, const void *value, uint64_t flags)
{
	uint64_t *state = map->file->state;

	if ((flags & BPF_NOEXIST) || flags > BPF_EXIST)
		return -EINVAL;
	if (qs_full(map)) {
		if (!(flags & BPF_EXIST))
			return -E2BIG;
		if (++state[QS_TAIL] >= qs_slots(map))
			state[QS_TAIL] = 0;
	}
	memcpy(qs_slot(map, state[QS_HEAD]), value, map->desc.value_size);
	if (++state[QS_HEAD] >= qs_slots(map))
		state[QS_HEAD] = 0;
	return 0;
}

static long queue_take(struct emu_map *map, void *value, bool remove)
{
	uint64_t *state = map->file->state;

	if (qs_empty(map))
		return -ENOENT;
	memcpy(value, qs_slot(map, state[QS_TAIL]), map->desc.value_size);
	if (remove && ++state[QS_TAIL] >= qs_slots(map))
		state[QS_TAIL] = 0;
	return 0;
}

static long stack_take(struct emu_map *map, void *value, bool remove)
{
	uint64_t *state = map->file->state;
	uint64_t top;

	if (qs_empty(map))
		return -ENOENT;
	top = state[QS_HEAD] ? state[QS_HEAD] - 1 : qs_slots(map) - 1;
	memcpy(value, qs_slot(map, top), map->desc.value_size);
	if (remove)
		state[QS_HEAD] = top;
	return 0;
}

static long queue_pop(struct emu_map *map, void *value) { return queue_take(map, value, true); }
static long queue_peek(struct emu_map *map, void *value) { return queue_take(map, value, false); }
static long stack_pop(struct emu_map *map, void *value) { return stack_take(map, value, true); }
static long stack_peek(struct emu_map *map, void *value) { return stack_take(map, value, false); }

static long qs_update(struct emu_map *map, const void *key, const void *value,
		      uint64_t flags)
{
	return -EINVAL;
}

static long qs_delete(struct emu_map *map, const void *key)
{
	return -EINVAL;
}

static int qs_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	return -EINVAL;
}

const struct emu_map_ops emu_queue_ops = {
	.alloc_check = qs_alloc_check,
	.data_size = qs_data_size,
	.update = qs_update,
	.delete = qs_delete,
	.get_next_key = qs_get_next_key,
	.push = qs_push,
	.pop = queue_pop,
	.peek = queue_peek,
};

const struct emu_map_ops emu_stack_ops = {
	.alloc_check = qs_alloc_check,
	.data_size = qs_data_size,
	.update = qs_update,
	.delete = qs_delete,
	.get_next_key = qs_get_next_key,
	.push = qs_push,
	.pop = stack_pop,
	.peek = stack_peek,
};
