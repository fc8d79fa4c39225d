/* bad_value.bpf.c - declares stats.bpf.c's hash map hits with a struct value of the
 * same size as its __u64. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct total {
	__u64 packets;
};
extern struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct total);
} hits SEC(".maps");
SEC("xdp")
int look(struct xdp_md *ctx)
{
	__u32 key = 7;
	return bpf_map_lookup_elem(&hits, &key) ? 2 : 1;
}
char LICENSE[] SEC("license") = "GPL";
