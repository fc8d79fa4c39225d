/* map_devmap.c - DEVMAP and DEVMAP_HASH (kernel/bpf/devmap.c): bpf_redirect_map targets
 * holding a network device (struct bpf_devmap_val: ifindex, then an optional
 * BPF_XDP_DEVMAP program), indexed by slot or hashed by a u32 key.
 */
#include <errno.h>
#include <net/if.h>

#include "map_int.h"

#define DEV_CREATE_FLAG_MASK (BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY)
#define LOOPBACK_IFINDEX 1u

/* Bytes at the start of the type data kept for the program owner that
 * emu_prog_array_compatible records (struct prog_array_owner of map_fd_array.c). */
#define REDIRECT_OWNER_BYTES 16u

/* One device entry; a lookup returns &ifindex (value_size bytes: ifindex, prog id). */
struct devmap_entry {
	uint32_t next;      /* DEVMAP_HASH: next entry of the bucket + 1, 0 ends */
	uint32_t key;       /* DEVMAP_HASH: the key */
	uint32_t ifindex;   /* struct bpf_devmap_val.ifindex, 0 when the slot is empty */
	uint32_t prog_id;   /* bpf_prog.id of the devmap program, or 0 */
};

enum { DEVMAP_HASH_ITEMS, DEVMAP_HASH_BUMP, DEVMAP_HASH_FREE }; /* file->state[] */

/* dev_get_by_index in the caller's network namespace: loopback always exists. */
bool emu_netdev_exists(uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	return ifindex == LOOPBACK_IFINDEX || (ifindex && if_indextoname(ifindex, name));
}

static int dev_map_alloc_check(const union bpf_attr *attr)
{
	if (attr->max_entries == 0 || attr->key_size != 4 ||
	    (attr->value_size != 4 && attr->value_size != 8) ||
	    attr->map_flags & ~DEV_CREATE_FLAG_MASK)
		return -EINVAL;
	if (attr->map_type == BPF_MAP_TYPE_DEVMAP_HASH && attr->max_entries > 1u << 31)
		return -EINVAL;
	return 0;
}

/* dev_map_init_map: a lookup points straight at the device's ifindex, so programs may
 * only read it. */
static int dev_map_init(struct emu_map *map)
{
	map->file->map_flags |= BPF_F_RDONLY_PROG;
	map->desc.map_flags |= BPF_F_RDONLY_PROG;
	return 0;
}

static uint64_t dev_hash_buckets(const struct emu_map *map)
{
	uint64_t buckets = 1;

	while (buckets < map->desc.max_entries)
		buckets <<= 1;
	return buckets;
}

static uint64_t dev_map_data_size(const struct emu_map *map)
{
	uint64_t entries = (uint64_t)map->desc.max_entries * sizeof(struct devmap_entry);

	if (map->desc.type == BPF_MAP_TYPE_DEVMAP_HASH)
		entries += dev_hash_buckets(map) * sizeof(uint32_t);
	return REDIRECT_OWNER_BYTES + entries;
}

static struct devmap_entry *dev_entries(struct emu_map *map)
{
	uint64_t buckets = map->desc.type == BPF_MAP_TYPE_DEVMAP_HASH ? dev_hash_buckets(map) : 0;

	return (struct devmap_entry *)(map->data + REDIRECT_OWNER_BYTES +
				       buckets * sizeof(uint32_t));
}

static uint32_t *dev_buckets(struct emu_map *map)
{
	return (uint32_t *)(map->data + REDIRECT_OWNER_BYTES);
}

/* __dev_map_alloc_node's checks: the device exists; a program fd > 0 names an XDP
 * program loaded for BPF_XDP_DEVMAP that the map accepts. Any failure is EINVAL.
 * On success *prog holds a reference (or NULL for no program). */
static int dev_map_check_value(struct emu_map *map, const uint32_t val[2],
			       struct emu_prog **prog)
{
	int fd = map->desc.value_size == 8 ? (int)val[1] : 0;

	*prog = NULL;
	if (!emu_netdev_exists(val[0]))
		return -EINVAL;
	if (fd <= 0)
		return 0;
	*prog = emu_prog_get_by_fd(fd);
	if (*prog && (*prog)->type == BPF_PROG_TYPE_XDP &&
	    (*prog)->expected_attach_type == BPF_XDP_DEVMAP &&
	    emu_prog_array_compatible(map, *prog))
		return 0;
	if (*prog)
		emu_prog_put(*prog);
	*prog = NULL;
	return -EINVAL;
}

/* Install `prog` (reference handed over) as the program of entry `index`. */
static void dev_entry_set(struct emu_map *map, uint32_t index, uint32_t ifindex,
			  struct emu_prog *prog)
{
	struct devmap_entry *entry = &dev_entries(map)[index];
	void **slots = emu_map_slots(map);

	if (slots && slots[index])
		emu_prog_put(slots[index]);
	if (slots)
		slots[index] = prog;
	else if (prog)
		emu_prog_put(prog);
	entry->ifindex = ifindex;
	entry->prog_id = prog ? prog->id : 0;
}

static void dev_map_free(struct emu_map *map)
{
	if (!map->slots)
		return;
	for (uint32_t i = 0; i < map->desc.max_entries; i++)
		if (map->slots[i])
			emu_prog_put(map->slots[i]);
}

static void dev_value_read(const void *value, uint32_t size, uint32_t val[2])
{
	val[0] = val[1] = 0;
	memcpy(val, value, size);
}

/* ---- DEVMAP: one slot per index ---- */

static void *dev_map_lookup(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);
	struct devmap_entry *entry;

	if (index >= map->desc.max_entries)
		return NULL;
	entry = &dev_entries(map)[index];
	return entry->ifindex ? &entry->ifindex : NULL;
}

/* __dev_map_update_elem: BPF_NOEXIST always fails (every slot "exists"); ifindex 0
 * empties the slot. */
static int dev_map_sys_update(struct emu_map *map, const void *key, const void *value,
			      uint64_t flags)
{
	uint32_t index = emu_map_load_u32(key), val[2];
	struct emu_prog *prog = NULL;
	int err;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (index >= map->desc.max_entries)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	dev_value_read(value, map->desc.value_size, val);
	if (!val[0] && (int)val[1] > 0)
		return -EINVAL;
	if (val[0] && (err = dev_map_check_value(map, val, &prog)))
		return err;
	if (prog && !emu_map_slots(map)) {
		emu_prog_put(prog);
		return -ENOMEM;
	}
	dev_entry_set(map, index, val[0], prog);
	return 0;
}

static long dev_map_delete(struct emu_map *map, const void *key)
{
	uint32_t index = emu_map_load_u32(key);

	if (index >= map->desc.max_entries)
		return -EINVAL;
	dev_entry_set(map, index, 0, NULL);
	return 0;
}

const struct emu_map_ops emu_devmap_ops = {
	.alloc_check = dev_map_alloc_check,
	.data_size = dev_map_data_size,
	.init = dev_map_init,
	.free = dev_map_free,
	.lookup = dev_map_lookup,
	.delete = dev_map_delete,
	.get_next_key = emu_array_get_next_key,
	.sys_update = dev_map_sys_update,
	.refuses_btf = true,
};

/* ---- DEVMAP_HASH: roundup_pow_of_two(max_entries) buckets of the key's low bits,
 * newest entry first in its bucket, as the kernel's hlist_add_head orders them. ---- */

static uint32_t *dev_hash_head(struct emu_map *map, uint32_t key)
{
	return &dev_buckets(map)[key & (dev_hash_buckets(map) - 1)];
}

/* Link (entry index + 1) that points at the entry with `key`, or NULL. */
static uint32_t *dev_hash_find_link(struct emu_map *map, uint32_t key)
{
	struct devmap_entry *entries = dev_entries(map);

	for (uint32_t *link = dev_hash_head(map, key); *link; link = &entries[*link - 1].next)
		if (entries[*link - 1].key == key)
			return link;
	return NULL;
}

static void *dev_hash_lookup(struct emu_map *map, const void *key)
{
	uint32_t *link = dev_hash_find_link(map, emu_map_load_u32(key));

	return link ? &dev_entries(map)[*link - 1].ifindex : NULL;
}

/* An unused entry index: the free list first, then never-used entries. */
static uint32_t dev_hash_take_entry(struct emu_map *map)
{
	uint64_t *state = map->file->state;
	uint32_t index;

	if (state[DEVMAP_HASH_FREE]) {
		index = (uint32_t)state[DEVMAP_HASH_FREE] - 1;
		state[DEVMAP_HASH_FREE] = dev_entries(map)[index].next;
		return index;
	}
	return (uint32_t)state[DEVMAP_HASH_BUMP]++;
}

static void dev_hash_unlink(struct emu_map *map, uint32_t *link, bool release)
{
	uint32_t index = *link - 1;
	struct devmap_entry *entry = &dev_entries(map)[index];

	*link = entry->next;
	if (!release)
		return;
	dev_entry_set(map, index, 0, NULL);
	entry->next = (uint32_t)map->file->state[DEVMAP_HASH_FREE];
	map->file->state[DEVMAP_HASH_FREE] = index + 1;
	map->file->state[DEVMAP_HASH_ITEMS]--;
}

/* __dev_map_hash_update_elem: the new node is checked before the map is found full;
 * a replaced entry moves to the head of its bucket. */
static int dev_hash_sys_update(struct emu_map *map, const void *key, const void *value,
			       uint64_t flags)
{
	uint32_t k = emu_map_load_u32(key), val[2], index, *head, *link;
	struct emu_prog *prog;
	int err;

	dev_value_read(value, map->desc.value_size, val);
	if (flags > BPF_EXIST || !val[0])
		return -EINVAL;
	link = dev_hash_find_link(map, k);
	if (link && flags == BPF_NOEXIST)
		return -EEXIST;
	if ((err = dev_map_check_value(map, val, &prog)))
		return err;
	if (prog && !emu_map_slots(map)) {
		emu_prog_put(prog);
		return -ENOMEM;
	}
	if (link) {
		index = *link - 1;
		dev_hash_unlink(map, link, false);
	} else if (map->file->state[DEVMAP_HASH_ITEMS] >= map->desc.max_entries) {
		if (prog)
			emu_prog_put(prog);
		return -E2BIG;
	} else {
		index = dev_hash_take_entry(map);
		map->file->state[DEVMAP_HASH_ITEMS]++;
	}
	head = dev_hash_head(map, k);
	dev_entries(map)[index].key = k;
	dev_entries(map)[index].next = *head;
	*head = index + 1;
	dev_entry_set(map, index, val[0], prog);
	return 0;
}

static long dev_hash_delete(struct emu_map *map, const void *key)
{
	uint32_t *link = dev_hash_find_link(map, emu_map_load_u32(key));

	if (!link)
		return -ENOENT;
	dev_hash_unlink(map, link, true);
	return 0;
}

/* dev_map_hash_get_next_key: the entry after `key` in its bucket, else the first entry
 * of a later bucket; an absent key starts from the first bucket. */
static int dev_hash_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	struct devmap_entry *entries = dev_entries(map);
	uint64_t bucket = 0, buckets = dev_hash_buckets(map);
	uint32_t *link = key ? dev_hash_find_link(map, emu_map_load_u32(key)) : NULL;

	if (link) {
		struct devmap_entry *entry = &entries[*link - 1];

		if (entry->next) {
			emu_map_store_u32(next_key, entries[entry->next - 1].key);
			return 0;
		}
		bucket = (entry->key & (buckets - 1)) + 1;
	}
	for (; bucket < buckets; bucket++) {
		uint32_t first = dev_buckets(map)[bucket];

		if (first) {
			emu_map_store_u32(next_key, entries[first - 1].key);
			return 0;
		}
	}
	return -ENOENT;
}

const struct emu_map_ops emu_devmap_hash_ops = {
	.alloc_check = dev_map_alloc_check,
	.data_size = dev_map_data_size,
	.init = dev_map_init,
	.free = dev_map_free,
	.lookup = dev_hash_lookup,
	.delete = dev_hash_delete,
	.get_next_key = dev_hash_get_next_key,
	.sys_update = dev_hash_sys_update,
	.refuses_btf = true,
};
