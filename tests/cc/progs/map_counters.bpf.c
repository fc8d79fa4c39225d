/* Counters in every map type a BPF program updates directly: hash, percpu hash, LRU
 * hash, LRU percpu hash, array, percpu array; values pushed to a queue, a stack and a
 * bloom filter. (Perf event output is left out: the emulator's perf records are read
 * back nondeterministically for now.)
 * RUN: --data-hex 00112233445566778899aabb08000000
 * RUN: --data-hex 00112233445566778899aabb86dd0000000000
 * RUN: --data-hex 00112233445566778899aabb0800000000000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define COUNTER_MAP(name, kind)                    \
	struct {                                   \
		__uint(type, kind);                \
		__uint(max_entries, 8);            \
		__type(key, __u32);                \
		__type(value, __u64);              \
	} name SEC(".maps")

COUNTER_MAP(by_hash, BPF_MAP_TYPE_HASH);
COUNTER_MAP(by_percpu_hash, BPF_MAP_TYPE_PERCPU_HASH);
COUNTER_MAP(by_lru, BPF_MAP_TYPE_LRU_HASH);
COUNTER_MAP(by_lru_percpu, BPF_MAP_TYPE_LRU_PERCPU_HASH);
COUNTER_MAP(by_array, BPF_MAP_TYPE_ARRAY);
COUNTER_MAP(by_percpu_array, BPF_MAP_TYPE_PERCPU_ARRAY);

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} lengths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 4);
	__type(value, __u32);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__type(value, __u32);
} seen SEC(".maps");

static __always_inline void bump(void *map, __u32 key, __u64 by)
{
	__u64 *value = bpf_map_lookup_elem(map, &key);

	if (value) {
		*value += by;
		return;
	}
	bpf_map_update_elem(map, &key, &by, BPF_NOEXIST);
}

SEC("xdp")
int count_everywhere(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 bucket = len & 7;

	bump(&by_hash, bucket, len);
	bump(&by_percpu_hash, bucket, 1);
	bump(&by_lru, bucket, len);
	bump(&by_lru_percpu, bucket, 1);
	bump(&by_array, bucket, len);
	bump(&by_percpu_array, bucket, 1);
	bpf_map_push_elem(&lengths, &len, BPF_EXIST);
	bpf_map_push_elem(&recent, &len, BPF_EXIST);
	if (bpf_map_peek_elem(&seen, &len) != 0)
		bpf_map_push_elem(&seen, &len, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
