// percpu_counters.bpf.c - lock-free statistics with per-CPU maps: a per-CPU array of
// packet/byte totals and a per-CPU hash keyed by EtherType; each CPU updates its own
// copy, user space sums them. ebpf-run runs on CPU 0, so CPU 0 holds the counts.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct totals {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct totals);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 32);
	__type(key, __u16);
	__type(value, __u64);
} by_ethertype SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 zero = 0;
	__u16 ethertype;
	__u64 one = 1, *count;
	struct totals *t = bpf_map_lookup_elem(&totals, &zero);

	if (t) {
		t->packets++;
		t->bytes += data_end - data;
	}
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	ethertype = bpf_ntohs(eth->h_proto);
	count = bpf_map_lookup_elem(&by_ethertype, &ethertype);
	if (count)
		*count += 1;
	else
		bpf_map_update_elem(&by_ethertype, &ethertype, &one, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
