/* bad_inner.bpf.c - declares mim_outer.bpf.c's array of maps with inner maps of 4
 * entries instead of 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
};
extern struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps");
SEC("xdp")
int peek(struct xdp_md *ctx)
{
	__u32 key = 0;
	return bpf_map_lookup_elem(&outer, &key) ? 2 : 1;
}
char LICENSE[] SEC("license") = "GPL";
