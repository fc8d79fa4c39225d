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

/* The smallest id above `id` in the registry, or 0. */
static uint32_t id_next(struct id_registry *reg, uint32_t id)
{
	uint32_t next = 0;
	size_t i;

	pthread_mutex_lock(&id_lock);
	i = id_lower_bound(reg, id + 1);
	if (i < reg->count)
		next = reg->entries[i].id;
	pthread_mutex_unlock(&id_lock);
	return next;
}

/* The kernel's *_inc_not_zero: a reference on an object that is not being freed. */
static bool ref_inc_not_zero(int *refcnt)
{
	int cur = __atomic_load_n(refcnt, __ATOMIC_SEQ_CST);

	while (cur > 0)
		if (__atomic_compare_exchange_n(refcnt, &cur, cur + 1, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	return false;
}

/* Object `id` with a reference taken under the lock (its refcnt field located by
 * `refcnt_of`), or NULL when absent or already dying. */
static void *id_get(struct id_registry *reg, uint32_t id, int *(*refcnt_of)(void *obj))
{
	void *obj = NULL;
	size_t i;

	pthread_mutex_lock(&id_lock);
	i = id_lower_bound(reg, id);
	if (i < reg->count && reg->entries[i].id == id &&
	    ref_inc_not_zero(refcnt_of(reg->entries[i].obj)))
		obj = reg->entries[i].obj;
	pthread_mutex_unlock(&id_lock);
	return obj;
}

static int *map_refcnt(void *obj)
{
	return (int *)&((struct emu_map *)obj)->refcnt;
}

static int *prog_refcnt(void *obj)
{
	return &((struct emu_prog *)obj)->refcnt;
}

static int *btf_refcnt(void *obj)
{
	return (int *)&((struct emu_btf *)obj)->refcnt;
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

uint32_t emu_id_map_next(uint32_t id)
{
	return id_next(&map_ids, id);
}

struct emu_map *emu_id_map_get(uint32_t id)
{
	return id_get(&map_ids, id, map_refcnt);
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

uint32_t emu_id_prog_next(uint32_t id)
{
	return id_next(&prog_ids, id);
}

struct emu_prog *emu_id_prog_get(uint32_t id)
{
	return id_get(&prog_ids, id, prog_refcnt);
}

struct emu_map *emu_map_get_by_inode(dev_t dev, ino_t ino)
{
	struct emu_map *found = NULL;

	pthread_mutex_lock(&id_lock);
	for (size_t i = 0; i < map_ids.count && !found; i++) {
		struct emu_map *map = map_ids.entries[i].obj;

		if (map->dev == dev && map->ino == ino && ref_inc_not_zero(map_refcnt(map)))
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

uint32_t emu_id_btf_next(uint32_t id)
{
	return id_next(&btf_ids, id);
}

struct emu_btf *emu_id_btf_get(uint32_t id)
{
	return id_get(&btf_ids, id, btf_refcnt);
}
