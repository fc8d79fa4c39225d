/* object_id.c - global ids of maps and programs (MAP_GET_NEXT_ID, *_GET_FD_BY_ID):
 * allocated from 1 upwards, never reused while the process lives, like the kernel's
 * cyclic idr in practice.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "map_int.h"

struct id_entry {
	uint32_t id;  /* object id */
	void *obj;    /* struct emu_map * or struct emu_prog * */
};

struct id_registry {
	struct id_entry *entries; /* sorted by id */
	size_t count;
	size_t capacity;
	uint32_t next_id;
};

static struct id_registry map_ids, prog_ids, btf_ids;
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t id_atfork_once = PTHREAD_ONCE_INIT;

/* Keep a fork() racing another thread from leaving the child with id_lock held. */
static void id_lock_take(void)
{
	pthread_mutex_lock(&id_lock);
}

static void id_lock_give(void)
{
	pthread_mutex_unlock(&id_lock);
}

static void id_register_atfork(void)
{
	pthread_atfork(id_lock_take, id_lock_give, id_lock_give);
}

static int id_add(struct id_registry *reg, void *obj, uint32_t *id)
{
	int err = 0;

	pthread_once(&id_atfork_once, id_register_atfork);
	pthread_mutex_lock(&id_lock);
	if (reg->count == reg->capacity) {
		size_t cap = reg->capacity ? reg->capacity * 2 : 32;
		struct id_entry *grown = realloc(reg->entries, cap * sizeof(*grown));

		if (!grown)
			err = -ENOMEM;
		else {
			reg->entries = grown;
			reg->capacity = cap;
		}
	}
	if (!err) {
		*id = ++reg->next_id;
		reg->entries[reg->count++] = (struct id_entry){ *id, obj };
	}
	pthread_mutex_unlock(&id_lock);
	return err;
}

/* Index of the first entry with id >= `id`. */
static size_t id_lower_bound(const struct id_registry *reg, uint32_t id)
{
	size_t lo = 0, hi = reg->count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (reg->entries[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void id_remove(struct id_registry *reg, uint32_t id)
{
	size_t i;

	pthread_mutex_lock(&id_lock);
	i = id_lower_bound(reg, id);
	if (i < reg->count && reg->entries[i].id == id) {
		reg->count--;
		for (; i < reg->count; i++)
			reg->entries[i] = reg->entries[i + 1];
	}
	pthread_mutex_unlock(&id_lock);
}

/* Object with exactly `id`, or (next) the one with the smallest id above it. */
static void *id_find(struct id_registry *reg, uint32_t id, bool next)
{
	void *obj = NULL;
	size_t i;

	pthread_mutex_lock(&id_lock);
	i = id_lower_bound(reg, next ? id + 1 : id);
	if (i < reg->count && (next || reg->entries[i].id == id))
		obj = reg->entries[i].obj;
	pthread_mutex_unlock(&id_lock);
	return obj;
}

int emu_id_map_add(struct emu_map *map)
{
	return id_add(&map_ids, map, &map->desc.id);
}

void emu_id_map_remove(struct emu_map *map)
{
	if (map->desc.id)
		id_remove(&map_ids, map->desc.id);
}

struct emu_map *emu_id_map_find(uint32_t id, bool next)
{
	return id_find(&map_ids, id, next);
}

int emu_id_prog_add(struct emu_prog *prog)
{
	return id_add(&prog_ids, prog, &prog->id);
}

void emu_id_prog_remove(struct emu_prog *prog)
{
	if (prog->id)
		id_remove(&prog_ids, prog->id);
}

struct emu_prog *emu_id_prog_find(uint32_t id, bool next)
{
	return id_find(&prog_ids, id, next);
}

struct emu_map *emu_map_find_by_inode(dev_t dev, ino_t ino)
{
	struct emu_map *found = NULL;

	pthread_mutex_lock(&id_lock);
	for (size_t i = 0; i < map_ids.count && !found; i++) {
		struct emu_map *map = map_ids.entries[i].obj;

		if (map->dev == dev && map->ino == ino)
			found = map;
	}
	pthread_mutex_unlock(&id_lock);
	return found;
}

int emu_id_btf_add(struct emu_btf *btf)
{
	return id_add(&btf_ids, btf, &btf->id);
}

void emu_id_btf_remove(struct emu_btf *btf)
{
	if (btf->id)
		id_remove(&btf_ids, btf->id);
}

struct emu_btf *emu_id_btf_find(uint32_t id, bool next)
{
	return id_find(&btf_ids, id, next);
}
