/* maps_xdp.bpf.c - reference object: an XDP program with a BTF-defined hash map,
 * .data/.rodata/.bss globals, a static subprogram (R_BPF_64_32) and map loads
 * (R_BPF_64_64). */
#include "bpf_defs.h"

struct xdp_md {
	__u32 data;
	__u32 data_end;
	__u32 data_meta;
	__u32 ingress_ifindex;
	__u32 rx_queue_index;
	__u32 egress_ifindex;
};

struct {
	__uint(type, MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} packet_counts SEC(".maps");

int packets_seen = 1;
const volatile __u32 drop_ifindex = 7;
__u64 last_length;

static __noinline int classify(__u32 length)
{
	if (length < 64)
		return 1;
	if (length > 1500)
		return 2;
	return 0;
}

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex;
	__u32 length = ctx->data_end - ctx->data;
	__u64 one = 1, *count;

	count = bpf_map_lookup_elem(&packet_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&packet_counts, &key, &one, 0);
	packets_seen++;
	last_length = length;
	if (key == drop_ifindex)
		return 1; /* XDP_DROP */
	return classify(length) == 2 ? 1 : 2; /* XDP_PASS */
}

char LICENSE[] SEC("license") = "GPL";
