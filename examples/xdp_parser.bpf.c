// xdp_parser.bpf.c - XDP packet parser: Ethernet (with one optional VLAN tag), IPv4
// and IPv6, then TCP/UDP/ICMP, every header bounds-checked against data_end. Counts
// packets and bytes per protocol, remembers IPv4 flows, drops malformed packets and
// telnet (TCP port 23).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum proto_slot { SLOT_OTHER, SLOT_TCP, SLOT_UDP, SLOT_ICMP, SLOT_MALFORMED, SLOT_COUNT };

struct proto_stats {
	__u64 packets;
	__u64 bytes;
};

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOT_COUNT);
	__type(key, __u32);
	__type(value, struct proto_stats);
} proto_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, __u64);
} flows SEC(".maps");

static __always_inline void count(__u32 slot, __u64 bytes)
{
	struct proto_stats *stats = bpf_map_lookup_elem(&proto_stats, &slot);

	if (stats) {
		stats->packets++;
		stats->bytes += bytes;
	}
}

static __always_inline void remember_flow(struct flow_key *key)
{
	__u64 one = 1, *seen = bpf_map_lookup_elem(&flows, key);

	if (seen)
		__sync_fetch_and_add(seen, 1);
	else
		bpf_map_update_elem(&flows, key, &one, BPF_NOEXIST);
}

/* L4 of an IPv4 packet at `l4`; returns the XDP verdict. */
static __always_inline int parse_ipv4_l4(void *l4, void *data_end, struct iphdr *ip,
					 __u64 len)
{
	struct flow_key key = { .saddr = ip->saddr, .daddr = ip->daddr, .proto = ip->protocol };

	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			goto malformed;
		key.sport = tcp->source;
		key.dport = tcp->dest;
		count(SLOT_TCP, len);
		remember_flow(&key);
		return tcp->dest == bpf_htons(23) ? XDP_DROP : XDP_PASS;
	}
	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end)
			goto malformed;
		key.sport = udp->source;
		key.dport = udp->dest;
		count(SLOT_UDP, len);
		remember_flow(&key);
		return XDP_PASS;
	}
	count(ip->protocol == IPPROTO_ICMP ? SLOT_ICMP : SLOT_OTHER, len);
	return XDP_PASS;
malformed:
	count(SLOT_MALFORMED, len);
	return XDP_DROP;
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 len = data_end - data;
	struct ethhdr *eth = data;
	void *cursor = eth + 1;
	__be16 proto;

	if (cursor > data_end)
		goto malformed;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct vlan_hdr *vlan = cursor;
		if ((void *)(vlan + 1) > data_end)
			goto malformed;
		proto = vlan->encapsulated_proto;
		cursor = vlan + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = cursor;
		if ((void *)(ip + 1) > data_end || ip->ihl < 5)
			goto malformed;
		if (cursor + ip->ihl * 4 > data_end)
			goto malformed;
		return parse_ipv4_l4(cursor + ip->ihl * 4, data_end, ip, len);
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = cursor;
		if ((void *)(ip6 + 1) > data_end)
			goto malformed;
		count(ip6->nexthdr == IPPROTO_TCP ? SLOT_TCP
		      : ip6->nexthdr == IPPROTO_UDP ? SLOT_UDP : SLOT_OTHER, len);
		return XDP_PASS;
	}
	count(SLOT_OTHER, len);
	return XDP_PASS;
malformed:
	count(SLOT_MALFORMED, len);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
