/* map_hash.c - HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH (and the storage of
 * HASH_OF_MAPS): chained buckets over a preallocated element pool in the map file,
 * with a recency list for the LRU flavours.
 *
 * Layout of the type data: n_buckets u32 bucket heads, then max_entries elements.
 * Links are element index + 1 (0 ends a chain), so the layout holds in any process.
 */
#include <errno.h>
#include <string.h>

#include "jhash.h"
#include "map_int.h"

#define HTAB_CREATE_FLAG_MASK                                                        \
	(BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_RDONLY |   \
	 BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | BPF_F_ZERO_SEED)
#define HTAB_ELEM_OVERHEAD 48u /* sizeof(struct htab_elem) in the kernel */

/* Counters kept in the file header's state[]. */
enum { HTAB_FREE_HEAD, HTAB_COUNT, HTAB_LRU_HEAD, HTAB_LRU_TAIL, HTAB_FREE_NEXT };

struct htab_elem {
	uint32_t next;     /* next element in the bucket chain (index + 1) */
	uint32_t hash;     /* full hash of the key */
	uint32_t lru_prev; /* recency list, most recent at head */
	uint32_t lru_next;
	uint32_t in_use;   /* 1 while in a bucket */
	uint32_t pad;
	unsigned char key[]; /* key (rounded to 8), then the value(s) */
};

static bool htab_is_lru(const struct emu_map *map)
{
	return map->desc.type == BPF_MAP_TYPE_LRU_HASH ||
	       map->desc.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool htab_is_percpu(const struct emu_map *map)
{
	return map->desc.type == BPF_MAP_TYPE_PERCPU_HASH ||
	       map->desc.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

int emu_htab_alloc_check(const union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_HASH ||
		      attr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool lru = attr->map_type == BPF_MAP_TYPE_LRU_HASH ||
		   attr->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool prealloc = !(attr->map_flags & BPF_F_NO_PREALLOC);
	bool percpu_lru = attr->map_flags & BPF_F_NO_COMMON_LRU;
	bool numa = attr->map_flags & BPF_F_NUMA_NODE;

	if (attr->map_flags & ~HTAB_CREATE_FLAG_MASK ||
	    !emu_map_flags_access_ok(attr->map_flags))
		return -EINVAL;
	if (!lru && percpu_lru)
		return -EINVAL;
	if (lru && !prealloc)
		return -EMU_ENOTSUPP;
	if (numa && (percpu || percpu_lru))
		return -EINVAL;
	if (attr->max_entries == 0 || attr->key_size == 0 || attr->value_size == 0)
		return -EINVAL;
	if ((uint64_t)attr->key_size + attr->value_size >=
	    EMU_KMALLOC_MAX_SIZE - HTAB_ELEM_OVERHEAD)
		return -E2BIG;
	if (percpu && EMU_ROUND_UP(attr->value_size, 8) > EMU_PCPU_MIN_UNIT_SIZE)
		return -E2BIG;
	if (attr->max_entries > (1u << 31))
		return -E2BIG;
	return 0;
}

/* roundup_pow_of_two(max_entries), as htab_map_alloc sizes the bucket array. */
static uint32_t htab_buckets(const struct emu_map *map)
{
	uint32_t max = map->desc.max_entries;

	return max <= 1 ? 1 : 1u << (32 - __builtin_clz(max - 1));
}

static uint32_t htab_key_stride(const struct emu_map *map)
{
	return EMU_ROUND_UP(map->desc.key_size, 8);
}

static uint64_t htab_value_bytes(const struct emu_map *map)
{
	return (uint64_t)emu_map_value_stride(map) * map->ncpus;
}

static uint64_t htab_elem_size(const struct emu_map *map)
{
	return sizeof(struct htab_elem) + htab_key_stride(map) + htab_value_bytes(map);
}

static uint64_t htab_data_size(const struct emu_map *map)
{
	return EMU_ROUND_UP((uint64_t)htab_buckets(map) * 4, 8) +
	       htab_elem_size(map) * map->desc.max_entries;
}

static uint32_t *htab_bucket(struct emu_map *map, uint32_t hash)
{
	return (uint32_t *)map->data + (hash & (htab_buckets(map) - 1));
}

/* Element by link (index + 1). */
static struct htab_elem *htab_elem(struct emu_map *map, uint32_t link)
{
	unsigned char *pool = map->data + EMU_ROUND_UP((uint64_t)htab_buckets(map) * 4, 8);

	return (struct htab_elem *)(pool + htab_elem_size(map) * (link - 1));
}

static uint32_t htab_link(struct emu_map *map, const struct htab_elem *elem)
{
	const unsigned char *pool =
		map->data + EMU_ROUND_UP((uint64_t)htab_buckets(map) * 4, 8);

	return (uint32_t)(((const unsigned char *)elem - pool) / htab_elem_size(map)) + 1;
}

static void *htab_value(struct emu_map *map, struct htab_elem *elem)
{
	return elem->key + htab_key_stride(map);
}

/* The kernel's hash with seed 0: the emulator is deterministic, and a map created with
 * BPF_F_ZERO_SEED iterates in exactly the kernel's order. */
static uint32_t htab_hash(const void *key, uint32_t size)
{
	return emu_htab_hash(key, size, 0);
}

static int htab_init(struct emu_map *map)
{
	map->file->state[HTAB_FREE_HEAD] = 0;
	map->file->state[HTAB_FREE_NEXT] = 1; /* never-used elements start here */
	return 0;
}

static struct htab_elem *htab_find(struct emu_map *map, const void *key, uint32_t hash)
{
	uint32_t link = *htab_bucket(map, hash);

	while (link) {
		struct htab_elem *elem = htab_elem(map, link);

		if (elem->hash == hash && !memcmp(elem->key, key, map->desc.key_size))
			return elem;
		link = elem->next;
	}
	return NULL;
}

/* ---- recency list (LRU flavours) ---- */

static void lru_unlink(struct emu_map *map, struct htab_elem *elem)
{
	uint64_t *state = map->file->state;

	if (elem->lru_prev)
		htab_elem(map, elem->lru_prev)->lru_next = elem->lru_next;
	else
		state[HTAB_LRU_HEAD] = elem->lru_next;
	if (elem->lru_next)
		htab_elem(map, elem->lru_next)->lru_prev = elem->lru_prev;
	else
		state[HTAB_LRU_TAIL] = elem->lru_prev;
	elem->lru_prev = elem->lru_next = 0;
}

static void lru_push_head(struct emu_map *map, struct htab_elem *elem)
{
	uint64_t *state = map->file->state;
	uint32_t link = htab_link(map, elem);

	elem->lru_prev = 0;
	elem->lru_next = (uint32_t)state[HTAB_LRU_HEAD];
	if (elem->lru_next)
		htab_elem(map, elem->lru_next)->lru_prev = link;
	else
		state[HTAB_LRU_TAIL] = link;
	state[HTAB_LRU_HEAD] = link;
}

static void lru_touch(struct emu_map *map, struct htab_elem *elem)
{
	if (!htab_is_lru(map) || map->file->state[HTAB_LRU_HEAD] == htab_link(map, elem))
		return;
	lru_unlink(map, elem);
	lru_push_head(map, elem);
}

/* ---- element pool ---- */

/* An element leaves: the timers in its value go with it (no cost without timers). */
static void htab_free_timers(struct emu_map *map, struct htab_elem *elem)
{
	if (map->file->timer_off >= 0)
		emu_timers_forget_value(htab_value(map, elem), htab_value_bytes(map));
}

static void htab_unlink_elem(struct emu_map *map, struct htab_elem *elem)
{
	uint32_t *head = htab_bucket(map, elem->hash);
	uint32_t link = htab_link(map, elem);

	if (*head == link) {
		*head = elem->next;
	} else {
		struct htab_elem *prev = htab_elem(map, *head);

		while (prev->next != link)
			prev = htab_elem(map, prev->next);
		prev->next = elem->next;
	}
	if (htab_is_lru(map))
		lru_unlink(map, elem);
	htab_free_timers(map, elem);
	elem->in_use = 0;
	elem->next = (uint32_t)map->file->state[HTAB_FREE_HEAD];
	map->file->state[HTAB_FREE_HEAD] = link;
	map->file->state[HTAB_COUNT]--;
}

static struct htab_elem *htab_alloc_elem(struct emu_map *map)
{
	uint64_t *state = map->file->state;
	struct htab_elem *elem;

	if (state[HTAB_FREE_HEAD]) {
		elem = htab_elem(map, (uint32_t)state[HTAB_FREE_HEAD]);
		state[HTAB_FREE_HEAD] = elem->next;
	} else if (state[HTAB_FREE_NEXT] <= map->desc.max_entries) {
		elem = htab_elem(map, (uint32_t)state[HTAB_FREE_NEXT]++);
	} else if (htab_is_lru(map) && state[HTAB_LRU_TAIL]) {
		htab_unlink_elem(map, htab_elem(map, (uint32_t)state[HTAB_LRU_TAIL]));
		return htab_alloc_elem(map);
	} else {
		return NULL;
	}
	return elem;
}

/* Insert a new element for `key`; its value is left for the caller to fill. */
static struct htab_elem *htab_insert(struct emu_map *map, const void *key, uint32_t hash)
{
	struct htab_elem *elem = htab_alloc_elem(map);
	uint32_t *head;

	if (!elem)
		return NULL;
	head = htab_bucket(map, hash);
	memset(elem, 0, htab_elem_size(map));
	memcpy(elem->key, key, map->desc.key_size);
	elem->hash = hash;
	elem->in_use = 1;
	elem->next = *head;
	*head = htab_link(map, elem);
	if (htab_is_lru(map))
		lru_push_head(map, elem);
	map->file->state[HTAB_COUNT]++;
	return elem;
}

static int htab_check_flags(const struct htab_elem *old, uint64_t flags)
{
	uint64_t op = flags & ~(uint64_t)BPF_F_LOCK;

	if (old && op == BPF_NOEXIST)
		return -EEXIST;
	if (!old && op == BPF_EXIST)
		return -ENOENT;
	return 0;
}

/* The kernel replaces an element by a new one added at the head of its bucket (the
 * per-CPU flavours and BPF_F_LOCK update in place): keep that order. */
static void htab_move_to_head(struct emu_map *map, struct htab_elem *elem)
{
	uint32_t *head = htab_bucket(map, elem->hash), link = htab_link(map, elem);
	struct htab_elem *prev;

	if (*head == link)
		return;
	prev = htab_elem(map, *head);
	while (prev->next != link)
		prev = htab_elem(map, prev->next);
	prev->next = elem->next;
	elem->next = *head;
	*head = link;
}

/* Find or create the element for an update; NULL with *err on failure. */
static struct htab_elem *htab_prepare_update(struct emu_map *map, const void *key,
					     uint64_t flags, int *err)
{
	uint64_t allowed = htab_is_percpu(map) || htab_is_lru(map) ? 0 : BPF_F_LOCK;
	uint32_t hash = htab_hash(key, map->desc.key_size);
	struct htab_elem *elem;

	if ((flags & ~allowed) > BPF_EXIST) {
		*err = -EINVAL;
		return NULL;
	}
	elem = htab_find(map, key, hash);
	*err = htab_check_flags(elem, flags);
	if (*err)
		return NULL;
	if (!elem) {
		elem = htab_insert(map, key, hash);
		if (!elem)
			*err = -E2BIG;
	} else {
		lru_touch(map, elem);
		if (!htab_is_percpu(map) && !(flags & BPF_F_LOCK)) {
			htab_free_timers(map, elem); /* the kernel replaces the element */
			htab_move_to_head(map, elem);
		}
	}
	return elem;
}

static void *htab_lookup(struct emu_map *map, const void *key)
{
	struct htab_elem *elem = htab_find(map, key, htab_hash(key, map->desc.key_size));

	if (!elem)
		return NULL;
	lru_touch(map, elem);
	if (htab_is_percpu(map))
		return (unsigned char *)htab_value(map, elem) +
		       (uint64_t)emu_map_value_stride(map) * emu_config_current_cpu();
	return htab_value(map, elem);
}

/* Program-side update: per-CPU maps write the current CPU's slot only (a new element
 * starts with the other CPUs zeroed). */
static long htab_update(struct emu_map *map, const void *key, const void *value,
			uint64_t flags)
{
	int err;
	struct htab_elem *elem = htab_prepare_update(map, key, flags, &err);
	unsigned char *dst;

	if (!elem)
		return err;
	dst = htab_value(map, elem);
	if (htab_is_percpu(map))
		dst += (uint64_t)emu_map_value_stride(map) * emu_config_current_cpu();
	memcpy(dst, value, map->desc.value_size);
	return 0;
}

static long htab_delete(struct emu_map *map, const void *key)
{
	struct htab_elem *elem = htab_find(map, key, htab_hash(key, map->desc.key_size));

	if (!elem)
		return -ENOENT;
	htab_unlink_elem(map, elem);
	return 0;
}

/* Kernel order: the rest of the key's bucket chain, then the following buckets; a
 * missing (or NULL) key restarts from the first bucket. */
static int htab_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	uint32_t nbuckets = htab_buckets(map), bucket = 0;
	struct htab_elem *elem = NULL;

	if (key) {
		uint32_t hash = htab_hash(key, map->desc.key_size);

		elem = htab_find(map, key, hash);
		if (elem && elem->next) {
			memcpy(next_key, htab_elem(map, elem->next)->key, map->desc.key_size);
			return 0;
		}
		if (elem)
			bucket = (hash & (nbuckets - 1)) + 1;
	}
	for (; bucket < nbuckets; bucket++) {
		uint32_t head = ((uint32_t *)map->data)[bucket];

		if (head) {
			memcpy(next_key, htab_elem(map, head)->key, map->desc.key_size);
			return 0;
		}
	}
	return -ENOENT;
}

static uint32_t htab_user_value_size(const struct emu_map *map)
{
	return htab_is_percpu(map) ? (uint32_t)htab_value_bytes(map) : map->desc.value_size;
}

static int htab_sys_lookup(struct emu_map *map, const void *key, void *value,
			   uint64_t flags)
{
	struct htab_elem *elem = htab_find(map, key, htab_hash(key, map->desc.key_size));

	if (!elem)
		return -ENOENT;
	memcpy(value, htab_value(map, elem), htab_user_value_size(map));
	return 0;
}

static int htab_sys_update(struct emu_map *map, const void *key, const void *value,
			   uint64_t flags)
{
	int err;
	struct htab_elem *elem = htab_prepare_update(map, key, flags, &err);

	if (!elem)
		return err;
	memcpy(htab_value(map, elem), value, htab_user_value_size(map));
	return 0;
}

static int htab_sys_lookup_and_delete(struct emu_map *map, const void *key, void *value,
				      uint64_t flags)
{
	int err = htab_sys_lookup(map, key, value, flags);

	if (!err)
		err = (int)htab_delete(map, key);
	return err;
}

static long htab_for_each(struct emu_map *map,
			  long (*cb)(struct emu_map *map, void *key, void *value, void *ctx),
			  void *ctx)
{
	uint32_t nbuckets = htab_buckets(map);
	long visited = 0;

	for (uint32_t bucket = 0; bucket < nbuckets; bucket++) {
		uint32_t link = ((uint32_t *)map->data)[bucket];

		while (link) {
			struct htab_elem *elem = htab_elem(map, link);
			unsigned char *value = htab_value(map, elem);

			link = elem->next; /* the callback may delete elem */
			if (htab_is_percpu(map))
				value += (uint64_t)emu_map_value_stride(map) *
					 emu_config_current_cpu();
			visited++;
			if (cb(map, elem->key, value, ctx))
				return visited;
		}
	}
	return visited;
}

static uint32_t htab_batch_cursor_size(const struct emu_map *map)
{
	return sizeof(uint32_t);
}

/* A value as user space sees it: HASH_OF_MAPS slots hold maps, shown as their ids. */
static void htab_copy_user_value(struct emu_map *map, void *dst, struct htab_elem *elem,
				 uint32_t vsize)
{
	if (map->desc.type == BPF_MAP_TYPE_HASH_OF_MAPS) {
		struct emu_map *inner = *(struct emu_map **)htab_value(map, elem);
		uint32_t id = inner ? inner->desc.id : 0;

		memcpy(dst, &id, sizeof(id));
		return;
	}
	memcpy(dst, htab_value(map, elem), vsize);
}

/* The kernel's __htab_map_lookup_and_delete_batch: whole buckets at a time, the cursor
 * is the next bucket index. A bucket that does not fit in what is left of `count` ends
 * the batch (-ENOSPC if nothing was copied yet); running off the last bucket is
 * -ENOENT with whatever was copied. A full `count` does not end the batch by itself:
 * empty buckets after it are skipped first. */
static int htab_lookup_batch(struct emu_map *map, const void *in_batch, void *out_batch,
			     void *keys, void *values, uint32_t *count, uint64_t elem_flags,
			     bool do_delete)
{
	uint32_t nbuckets = htab_buckets(map), max = *count, total = 0;
	uint32_t bucket = in_batch ? emu_map_load_u32(in_batch) : 0;
	uint32_t vsize = htab_user_value_size(map);
	int ret = 0;

	if (bucket >= nbuckets) {
		*count = 0;
		return -ENOENT;
	}
	for (;;) {
		uint32_t link = ((uint32_t *)map->data)[bucket], in_bucket = 0;

		for (uint32_t l = link; l; l = htab_elem(map, l)->next)
			in_bucket++;
		if (in_bucket > max - total) {
			if (total == 0)
				ret = -ENOSPC;
			break;
		}
		while (link) {
			struct htab_elem *elem = htab_elem(map, link);

			link = elem->next;
			memcpy((unsigned char *)keys + (uint64_t)total * map->desc.key_size,
			       elem->key, map->desc.key_size);
			htab_copy_user_value(map, (unsigned char *)values + (uint64_t)total * vsize,
					     elem, vsize);
			if (do_delete)
				htab_unlink_elem(map, elem);
			total++;
		}
		if (++bucket >= nbuckets) {
			ret = -ENOENT;
			break;
		}
	}
	*count = total;
	emu_map_store_u32(out_batch, bucket);
	return ret;
}

#define HTAB_COMMON_OPS                                                              \
	.alloc_check = emu_htab_alloc_check, .data_size = htab_data_size,             \
	.init = htab_init, .lookup = htab_lookup, .update = htab_update,              \
	.delete = htab_delete, .get_next_key = htab_get_next_key,                     \
	.sys_lookup = htab_sys_lookup, .sys_update = htab_sys_update,                 \
	.sys_lookup_and_delete = htab_sys_lookup_and_delete,                          \
	.for_each = htab_for_each, .lookup_batch = htab_lookup_batch,                 \
	.batch_cursor_size = htab_batch_cursor_size,                                  \
	.user_value_size = htab_user_value_size

const struct emu_map_ops emu_hash_ops = { HTAB_COMMON_OPS };
const struct emu_map_ops emu_percpu_hash_ops = { HTAB_COMMON_OPS };
const struct emu_map_ops emu_lru_hash_ops = { HTAB_COMMON_OPS };
const struct emu_map_ops emu_lru_percpu_hash_ops = { HTAB_COMMON_OPS };

/* HASH_OF_MAPS reuses the table; its value slot holds a process-local map pointer. */
void *emu_htab_find_value(struct emu_map *map, const void *key)
{
	struct htab_elem *elem = htab_find(map, key, htab_hash(key, map->desc.key_size));

	return elem ? htab_value(map, elem) : NULL;
}

void *emu_htab_insert_value(struct emu_map *map, const void *key, uint64_t flags, int *err)
{
	struct htab_elem *elem = htab_prepare_update(map, key, flags, err);

	return elem ? htab_value(map, elem) : NULL;
}

const struct emu_map_ops emu_htab_raw_ops = {
	.data_size = htab_data_size,
	.init = htab_init,
	.delete = htab_delete,
	.get_next_key = htab_get_next_key,
	.lookup_batch = htab_lookup_batch,
	.batch_cursor_size = htab_batch_cursor_size,
};
