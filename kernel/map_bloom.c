/* map_bloom.c - BLOOM_FILTER: a bit array with k hash functions (map_extra & 0xf,
 * default 5) sized as the kernel sizes it; push adds a value, peek answers "maybe".
 */
#include <errno.h>

#include "jhash.h"
#include "map_int.h"

#define BLOOM_CREATE_FLAG_MASK                                                       \
	(BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_RDONLY | BPF_F_WRONLY |            \
	 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)

static int bloom_alloc_check(const union bpf_attr *attr)
{
	if (attr->value_size > EMU_KMALLOC_MAX_SIZE)
		return -E2BIG;
	if (attr->key_size != 0 || attr->value_size == 0 || attr->max_entries == 0 ||
	    attr->map_flags & ~BLOOM_CREATE_FLAG_MASK ||
	    !emu_map_flags_access_ok(attr->map_flags) || (attr->map_extra & ~0xfull))
		return -EINVAL;
	return 0;
}

static uint32_t bloom_hashes(const struct emu_map *map)
{
	uint32_t k = (uint32_t)(map->map_extra & 0xf);

	return k ? k : 5;
}

/* Bits in the array (a power of two, at least 64), as bloom_map_alloc computes. */
static uint64_t bloom_bits(const struct emu_map *map)
{
	uint64_t bits = (uint64_t)map->desc.max_entries * bloom_hashes(map);
	uint64_t n = 64;

	bits = bits / 5 * 7;
	if (bits > (1ull << 31))
		return 1ull << 32;
	while (n < bits)
		n <<= 1;
	return n;
}

static uint64_t bloom_data_size(const struct emu_map *map)
{
	return bloom_bits(map) / 8;
}

/* bloom_map_hash with hash_seed 0: the same bits as the kernel's BPF_F_ZERO_SEED. */
static uint64_t bloom_bit(struct emu_map *map, const void *value, uint32_t i)
{
	uint32_t size = map->desc.value_size;
	uint32_t h = size % 4 == 0 ? emu_jhash2(value, size / 4, i) : emu_jhash(value, size, i);

	return h & (bloom_bits(map) - 1);
}

static long bloom_push(struct emu_map *map, const void *value, uint64_t flags)
{
	if (flags != BPF_ANY)
		return -EINVAL;
	for (uint32_t i = 0; i < bloom_hashes(map); i++) {
		uint64_t bit = bloom_bit(map, value, i);

		map->data[bit / 8] |= (unsigned char)(1u << (bit % 8));
	}
	return 0;
}

static long bloom_peek(struct emu_map *map, void *value)
{
	for (uint32_t i = 0; i < bloom_hashes(map); i++) {
		uint64_t bit = bloom_bit(map, value, i);

		if (!(map->data[bit / 8] & (1u << (bit % 8))))
			return -ENOENT;
	}
	return 0;
}

static long bloom_pop(struct emu_map *map, void *value)
{
	return -EOPNOTSUPP;
}

static long bloom_update(struct emu_map *map, const void *key, const void *value,
			 uint64_t flags)
{
	return -EINVAL;
}

static long bloom_delete(struct emu_map *map, const void *key)
{
	return -EOPNOTSUPP;
}

static int bloom_get_next_key(struct emu_map *map, const void *key, void *next_key)
{
	return -EOPNOTSUPP;
}

const struct emu_map_ops emu_bloom_filter_ops = {
	.alloc_check = bloom_alloc_check,
	.data_size = bloom_data_size,
	.update = bloom_update,
	.delete = bloom_delete,
	.get_next_key = bloom_get_next_key,
	.push = bloom_push,
	.pop = bloom_pop,
	.peek = bloom_peek,
};
