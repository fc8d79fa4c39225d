/* counter.bpf.c - the XDP program of the installed-library test: drops frames shorter
 * than the minimum length user space writes into `config`, counts verdicts in an array
 * map and frames per EtherType in a hash map. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} ethertypes SEC(".maps");

SEC("xdp")
int count_frames(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	__u32 zero = 0, verdict = XDP_PASS, proto;
	__u32 *min_len = bpf_map_lookup_elem(&config, &zero);
	__u64 one = 1, *count;

	if (data + 14 > end)
		return XDP_ABORTED;
	if (min_len && end - data < *min_len)
		verdict = XDP_DROP;
	count = bpf_map_lookup_elem(&verdicts, &verdict);
	if (count)
		__sync_fetch_and_add(count, 1);
	proto = bpf_ntohs(*(__u16 *)(data + 12));
	count = bpf_map_lookup_elem(&ethertypes, &proto);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&ethertypes, &proto, &one, BPF_NOEXIST);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
