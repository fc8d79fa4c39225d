/* map_lpm.c - LPM_TRIE: the kernel's path-compressed binary trie (intermediate nodes
 * have exactly two children), longest-prefix lookup for both programs and user space,
 * and get_next_key in the kernel's post-order (more specific prefixes first).
 *
 * Nodes live in a pool in the map file (max_entries real + max_entries intermediate);
 * children are node index + 1. Key layout: u32 prefixlen, then the data bytes.
 */
#include <errno.h>
#include <string.h>

#include "map_int.h"

#define LPM_CREATE_FLAG_MASK                                                         \
	(BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |          \
	 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)
#define LPM_DATA_SIZE_MAX 256u
#define LPM_KEY_SIZE_MIN (4u + 1u)
#define LPM_KEY_SIZE_MAX (4u + LPM_DATA_SIZE_MAX)
#define LPM_NODE_OVERHEAD 32u /* sizeof(struct lpm_trie_node) */
#define LPM_VAL_SIZE_MAX (EMU_KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - LPM_NODE_OVERHEAD)
#define LPM_FLAG_IM 1u

enum { LPM_ROOT, LPM_ENTRIES, LPM_FREE_HEAD, LPM_FREE_NEXT }; /* state[] */

struct lpm_node {
	uint32_t child[2];  /* node index + 1, 0 = none */
	uint32_t prefixlen; /* bits of data that count */
	uint32_t flags;     /* LPM_FLAG_IM for intermediate nodes */
	unsigned char data[]; /* data_size bytes, rounded to 8, then the value */
};

static int lpm_alloc_check(const union bpf_attr *attr)
{
	if (attr->max_entries == 0 || !(attr->map_flags & BPF_F_NO_PREALLOC) ||
	    attr->map_flags & ~LPM_CREATE_FLAG_MASK ||
	    !emu_map_flags_access_ok(attr->map_flags) || attr->key_size < LPM_KEY_SIZE_MIN ||
	    attr->key_size > LPM_KEY_SIZE_MAX || attr->value_size < 1 ||
	    attr->value_size > LPM_VAL_SIZE_MAX)
		return -EINVAL;
	return 0;
}

static uint32_t lpm_data_size(const struct emu_map *map)
{
	return map->desc.key_size - 4;
}

static uint32_t lpm_max_prefixlen(const struct emu_map *map)
{
	return lpm_data_size(map) * 8;
}

static uint64_t lpm_node_size(const struct emu_map *map)
{
	return sizeof(struct lpm_node) + EMU_ROUND_UP(lpm_data_size(map), 8) +
	       emu_map_value_stride(map);
}

static uint64_t lpm_pool_nodes(const struct emu_map *map)
{
	return (uint64_t)map->desc.max_entries * 2;
}

static uint64_t lpm_storage_size(const struct emu_map *map)
{
	return lpm_node_size(map) * lpm_pool_nodes(map);
}

static struct lpm_node *lpm_node(struct emu_map *map, uint32_t link)
{
	return link ? (struct lpm_node *)(map->data + lpm_node_size(map) * (link - 1)) : NULL;
}

static uint32_t lpm_link(struct emu_map *map, const struct lpm_node *node)
{
	return (uint32_t)(((const unsigned char *)node - map->data) / lpm_node_size(map)) + 1;
}

static void *lpm_value(struct emu_map *map, struct lpm_node *node)
{
	return node->data + EMU_ROUND_UP(lpm_data_size(map), 8);
}

static int lpm_init(struct emu_map *map)
{
	map->file->state[LPM_FREE_NEXT] = 1;
	return 0;
}

static int lpm_extract_bit(const unsigned char *data, uint32_t index)
{
	return !!(data[index / 8] & (1u << (7 - index % 8)));
}

/* Leading bits shared by node and key, limited by both prefix lengths. */
static uint32_t lpm_match(struct emu_map *map, const struct lpm_node *node,
			  const unsigned char *key_data, uint32_t key_prefixlen)
{
	uint32_t limit = node->prefixlen < key_prefixlen ? node->prefixlen : key_prefixlen;
	uint32_t bits = 0;

	while (bits < limit && (node->data[bits / 8] ^ key_data[bits / 8]) == 0 &&
	       bits + 8 <= limit)
		bits += 8;
	while (bits < limit &&
	       lpm_extract_bit(node->data, bits) == lpm_extract_bit(key_data, bits))
		bits++;
	return bits;
}

static uint32_t key_prefixlen(const void *key)
{
	uint32_t len;

	memcpy(&len, key, sizeof(len));
	return len;
}

static const unsigned char *key_data(const void *key)
{
	return (const unsigned char *)key + 4;
}

static void *lpm_lookup(struct emu_map *map, const void *key)
{
	uint32_t plen = key_prefixlen(key);
	struct lpm_node *node, *found = NULL;

	if (plen > lpm_max_prefixlen(map))
		return NULL;
	for (node = lpm_node(map, (uint32_t)map->file->state[LPM_ROOT]); node;) {
		uint32_t matchlen = lpm_match(map, node, key_data(key), plen);

		if (matchlen == lpm_max_prefixlen(map)) {
			found = node;
			break;
		}
		if (matchlen < node->prefixlen)
			break;
		if (!(node->flags & LPM_FLAG_IM))
			found = node;
		node = lpm_node(map, node->child[lpm_extract_bit(key_data(key), node->prefixlen)]);
	}
	return found ? lpm_value(map, found) : NULL;
}

static struct lpm_node *lpm_alloc_node(struct emu_map *map)
{
	uint64_t *state = map->file->state;
	struct lpm_node *node;

	if (state[LPM_FREE_HEAD]) {
		node = lpm_node(map, (uint32_t)state[LPM_FREE_HEAD]);
		state[LPM_FREE_HEAD] = node->child[0];
	} else if (state[LPM_FREE_NEXT] <= lpm_pool_nodes(map)) {
		node = lpm_node(map, (uint32_t)state[LPM_FREE_NEXT]++);
	} else {
		return NULL;
	}
	memset(node, 0, lpm_node_size(map));
	return node;
}

static void lpm_free_node(struct emu_map *map, struct lpm_node *node)
{
	node->child[0] = (uint32_t)map->file->state[LPM_FREE_HEAD];
	map->file->state[LPM_FREE_HEAD] = lpm_link(map, node);
}

static int lpm_check_add(struct emu_map *map, uint64_t flags)
{
	if (flags == BPF_EXIST)
		return -ENOENT;
	if (map->file->state[LPM_ENTRIES] == map->desc.max_entries)
		return -ENOSPC;
	map->file->state[LPM_ENTRIES]++;
	return 0;
}

/* Place new_node where the walk for its key ends (trie_update_elem). */
static int lpm_attach(struct emu_map *map, struct lpm_node *new_node, const void *key,
		      uint64_t flags)
{
	uint32_t plen = key_prefixlen(key), matchlen = 0, *slot;
	struct lpm_node *node, *im;
	int err;

	slot = (uint32_t *)&map->file->state[LPM_ROOT];
	while ((node = lpm_node(map, *slot))) {
		matchlen = lpm_match(map, node, key_data(key), plen);
		if (node->prefixlen != matchlen || node->prefixlen == plen)
			break;
		slot = &node->child[lpm_extract_bit(key_data(key), node->prefixlen)];
	}
	if (!node) {
		err = lpm_check_add(map, flags);
		if (!err)
			*slot = lpm_link(map, new_node);
		return err;
	}
	if (node->prefixlen == matchlen) {
		if (!(node->flags & LPM_FLAG_IM) && flags == BPF_NOEXIST)
			return -EEXIST;
		if (node->flags & LPM_FLAG_IM) {
			err = lpm_check_add(map, flags);
			if (err)
				return err;
		}
		new_node->child[0] = node->child[0];
		new_node->child[1] = node->child[1];
		*slot = lpm_link(map, new_node);
		lpm_free_node(map, node);
		return 0;
	}
	err = lpm_check_add(map, flags);
	if (err)
		return err;
	if (matchlen == plen) {
		new_node->child[lpm_extract_bit(node->data, matchlen)] = lpm_link(map, node);
		*slot = lpm_link(map, new_node);
		return 0;
	}
	im = lpm_alloc_node(map);
	if (!im) {
		map->file->state[LPM_ENTRIES]--;
		return -ENOMEM;
	}
	im->prefixlen = matchlen;
	im->flags = LPM_FLAG_IM;
	memcpy(im->data, node->data, lpm_data_size(map));
	if (lpm_extract_bit(key_data(key), matchlen)) {
		im->child[0] = lpm_link(map, node);
		im->child[1] = lpm_link(map, new_node);
	} else {
		im->child[0] = lpm_link(map, new_node);
		im->child[1] = lpm_link(map, node);
	}
	*slot = lpm_link(map, im);
	return 0;
}

static long lpm_update(struct emu_map *map, const void *key, const void *value,
		       uint64_t flags)
{
	struct lpm_node *node;
	int err;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (key_prefixlen(key) > lpm_max_prefixlen(map))
		return -EINVAL;
	node = lpm_alloc_node(map);
	if (!node)
		return -ENOSPC;
	node->prefixlen = key_prefixlen(key);
	memcpy(node->data, key_data(key), lpm_data_size(map));
	memcpy(lpm_value(map, node), value, map->desc.value_size);
	err = lpm_attach(map, node, key, flags);
	if (err)
		lpm_free_node(map, node);
	return err;
}

/* trie_delete_elem: exact match only; keeps intermediate nodes with two children. */
static long lpm_delete(struct emu_map *map, const void *key)
{
	uint32_t plen = key_prefixlen(key), matchlen = 0, *trim, *trim2;
	struct lpm_node *node, *parent = NULL;

	if (plen > lpm_max_prefixlen(map))
		return -EINVAL;
	trim = trim2 = (uint32_t *)&map->file->state[LPM_ROOT];
	while ((node = lpm_node(map, *trim))) {
		matchlen = lpm_match(map, node, key_data(key), plen);
		if (node->prefixlen != matchlen || node->prefixlen == plen)
			break;
		parent = node;
		trim2 = trim;
		trim = &node->child[lpm_extract_bit(key_data(key), node->prefixlen)];
	}
	if (!node || node->prefixlen != plen || node->prefixlen != matchlen ||
	    (node->flags & LPM_FLAG_IM))
		return -ENOENT;
	map->file->state[LPM_ENTRIES]--;
	if (node->child[0] && node->child[1]) {
		node->flags |= LPM_FLAG_IM;
		return 0;
	}
	if (parent && (parent->flags & LPM_FLAG_IM) && !node->child[0] && !node->child[1]) {
		bool left = parent->child[0] == lpm_link(map, node);

		*trim2 = left ? parent->child[1] : parent->child[0];
		lpm_free_node(map, parent);
		lpm_free_node(map, node);
		return 0;
	}
	*trim = node->child[0] ? node->child[0] : node->child[1];
	lpm_free_node(map, node);
	return 0;
}

static void lpm_copy_key(struct emu_map *map, const struct lpm_node *node, void *next_key)
{
	memcpy(next_key, &node->prefixlen, 4);
	memcpy((unsigned char *)next_key + 4, node->data, lpm_data_size(map));
}

/* Leftmost non-intermediate node below `node` in post-order. */
static struct lpm_node *lpm_leftmost(struct emu_map *map, struct lpm_node *node)
{
	struct lpm_node *next = NULL;

	while (node) {
		if (node->flags & LPM_FLAG_IM) {
			node = lpm_node(map, node->child[0]);
		} else {
			next = node;
			node = lpm_node(map, node->child[0]);
			if (!node)
				node = lpm_node(map, next->child[1]);
		}
	}
	return next;
}

static int lpm_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	struct lpm_node *stack[LPM_DATA_SIZE_MAX * 8 + 1], *node, *root, *found;
	uint32_t plen, matchlen = 0;
	int top = -1;

	root = lpm_node(map, (uint32_t)map->file->state[LPM_ROOT]);
	if (!root)
		return -ENOENT;
	if (!key || key_prefixlen(key) > lpm_max_prefixlen(map))
		goto leftmost;
	plen = key_prefixlen(key);
	for (node = root; node;) {
		stack[++top] = node;
		matchlen = lpm_match(map, node, key_data(key), plen);
		if (node->prefixlen != matchlen || node->prefixlen == plen)
			break;
		node = lpm_node(map, node->child[lpm_extract_bit(key_data(key), node->prefixlen)]);
	}
	if (!node || node->prefixlen != matchlen || (node->flags & LPM_FLAG_IM))
		goto leftmost;
	node = stack[top];
	while (top > 0) {
		struct lpm_node *parent = stack[top - 1];

		if (parent->child[0] == lpm_link(map, node) && parent->child[1]) {
			root = lpm_node(map, parent->child[1]);
			goto leftmost;
		}
		if (!(parent->flags & LPM_FLAG_IM)) {
			lpm_copy_key(map, parent, next_key);
			return 0;
		}
		node = parent;
		top--;
	}
	return -ENOENT;
leftmost:
	found = lpm_leftmost(map, root);
	if (!found)
		return -ENOENT;
	lpm_copy_key(map, found, next_key);
	return 0;
}

const struct emu_map_ops emu_lpm_trie_ops = {
	.alloc_check = lpm_alloc_check,
	.data_size = lpm_storage_size,
	.init = lpm_init,
	.lookup = lpm_lookup,
	.update = lpm_update,
	.delete = lpm_delete,
	.get_next_key = lpm_get_next_key,
};
