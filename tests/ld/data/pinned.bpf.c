// pinned.bpf.c - loader test input: a map pinned by name (LIBBPF_PIN_BY_NAME).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_counts SEC(".maps");

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&pinned_counts, &key);

	if (value)
		*value += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
