/* XDP packet parser: Ethernet -> IPv4 -> UDP/TCP; per-protocol packet and byte
 * counters in a hash map, drops UDP to port 9, passes the rest.
 * RUN: --data-hex 00112233445566778899aabb0800450000280001000040110000c0a80001c0a80002303900090014000068656c6c6f776f726c64
 * RUN: --data-hex 00112233445566778899aabb0800450000280001000040060000c0a80001c0a80002303900500000000000000000500200000000
 * RUN: --data-hex 00112233445566778899aabb86dd
 * RUN: --data-hex 0011
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct counter);
} proto_stats SEC(".maps");

static __always_inline void count(__u32 proto, __u64 bytes)
{
	struct counter *c = bpf_map_lookup_elem(&proto_stats, &proto);

	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, bytes);
	} else {
		struct counter init = { .packets = 1, .bytes = bytes };

		bpf_map_update_elem(&proto_stats, &proto, &init, BPF_NOEXIST);
	}
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	if (eth->h_proto != bpf_htons(ETH_P_IP)) {
		count(0xffff, data_end - data);
		return XDP_PASS;
	}
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_DROP;
	count(ip->protocol, bpf_ntohs(ip->tot_len));
	if (ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return XDP_DROP;
	if (udp->dest == bpf_htons(9))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
