/* XDP flow accounting in the xdp-tutorial style: a header cursor walks Ethernet, up
 * to two VLAN tags (802.1Q / 802.1ad), IPv4 (options skipped by ihl) or IPv6 (a
 * hop-by-hop extension header skipped), then TCP or UDP; each 5-tuple (addresses in a
 * union of IPv4/IPv6) is counted in an LRU hash of flow records (packets, bytes, OR
 * of TCP flags, VLAN id). TCP RST floods (a flow's third RST) and IPv4 fragments drop.
 * RUN: --data-hex 00112233445566778899aabb8100006408004500002800010000400600000a0000010a00000204d2005000000001000000005018200000000000
 * RUN: --data-hex 00112233445566778899aabb88a8000a8100006408004500002800010000400600000a0000010a00000204d2005000000001000000005004200000000000
 * RUN: --data-hex 00112233445566778899aabb8100006408004500002800010000400600000a0000010a00000204d2005000000001000000005004200000000000
 * RUN: --data-hex 00112233445566778899aabb8100006408004500002800010000400600000a0000010a00000204d2005000000001000000005004200000000000
 * RUN: --data-hex 00112233445566778899aabb0800460000240001000040110000c0a80001c0a8000201010101d43100350008abcd
 * RUN: --data-hex 00112233445566778899aabb86dd600000000010004020010db800000000000000000000000120010db800000000000000000000000211000104000000004000b00500080000
 * RUN: --data-hex 00112233445566778899aabb0800450000200001200040110000c0a80001c0a80002d4310035000c0000
 * RUN: --data-hex 00112233445566778899aabb08004500
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define MAX_VLAN_DEPTH 2
#define RST_LIMIT 2

struct hdr_cursor {
	void *pos;
};

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

struct flow_key {
	union {
		__be32 v4;
		struct in6_addr v6;
	} src, dst;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 family;
	__u16 pad;
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u16 vlan;
	__u8 tcp_flags;
	__u8 rsts;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

static __always_inline int proto_is_vlan(__u16 h_proto)
{
	return h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD);
}

static __always_inline int parse_ethhdr(struct hdr_cursor *nh, void *data_end, __u16 *vlan)
{
	struct ethhdr *eth = nh->pos;
	struct vlan_hdr *vlh;
	__u16 h_proto;

	if ((void *)(eth + 1) > data_end)
		return -1;
	nh->pos = eth + 1;
	vlh = nh->pos;
	h_proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < MAX_VLAN_DEPTH; i++) {
		if (!proto_is_vlan(h_proto))
			break;
		if ((void *)(vlh + 1) > data_end)
			return -1;
		h_proto = vlh->h_vlan_encapsulated_proto;
		*vlan = bpf_ntohs(vlh->h_vlan_TCI) & 0x0fff; /* the innermost tag wins */
		vlh++;
	}
	nh->pos = vlh;
	return h_proto;
}

static __always_inline int parse_ip4(struct hdr_cursor *nh, void *data_end, struct flow_key *k)
{
	struct iphdr *iph = nh->pos;
	int hdrsize;

	if ((void *)(iph + 1) > data_end)
		return -1;
	hdrsize = iph->ihl * 4;
	if (hdrsize < (int)sizeof(*iph) || nh->pos + hdrsize > data_end)
		return -1;
	if (iph->frag_off & bpf_htons(0x1fff | 0x2000))
		return -2;
	nh->pos += hdrsize;
	k->src.v4 = iph->saddr;
	k->dst.v4 = iph->daddr;
	k->family = 4;
	return iph->protocol;
}

static __always_inline int parse_ip6(struct hdr_cursor *nh, void *data_end, struct flow_key *k)
{
	struct ipv6hdr *ip6h = nh->pos;
	__u8 *ext;
	int next;

	if ((void *)(ip6h + 1) > data_end)
		return -1;
	__builtin_memcpy(&k->src.v6, &ip6h->saddr, sizeof(k->src.v6));
	__builtin_memcpy(&k->dst.v6, &ip6h->daddr, sizeof(k->dst.v6));
	k->family = 6;
	next = ip6h->nexthdr;
	nh->pos = ip6h + 1;
	if (next == IPPROTO_HOPOPTS) {
		ext = nh->pos;
		if ((void *)(ext + 2) > data_end)
			return -1;
		next = ext[0];
		nh->pos += (ext[1] + 1) * 8;
	}
	return next;
}

SEC("xdp")
int xdp_flow(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct hdr_cursor nh = { .pos = data };
	struct flow_key key;
	struct flow_stats *st, init = {};
	__u16 vlan = 0;
	__u8 flags = 0;
	int eth_type, proto;

	__builtin_memset(&key, 0, sizeof(key));
	eth_type = parse_ethhdr(&nh, data_end, &vlan);
	if (eth_type == bpf_htons(ETH_P_IP))
		proto = parse_ip4(&nh, data_end, &key);
	else if (eth_type == bpf_htons(ETH_P_IPV6))
		proto = parse_ip6(&nh, data_end, &key);
	else
		return eth_type < 0 ? XDP_ABORTED : XDP_PASS;
	if (proto == -2)
		return XDP_DROP;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = nh.pos;

		if ((void *)(th + 1) > data_end)
			return XDP_ABORTED;
		key.sport = th->source;
		key.dport = th->dest;
		flags = ((__u8 *)th)[13];
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = nh.pos;

		if ((void *)(uh + 1) > data_end)
			return XDP_ABORTED;
		key.sport = uh->source;
		key.dport = uh->dest;
	} else {
		return proto < 0 ? XDP_ABORTED : XDP_PASS;
	}
	key.proto = proto;

	st = bpf_map_lookup_elem(&flows, &key);
	if (!st) {
		init.vlan = vlan;
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&flows, &key);
		if (!st)
			return XDP_ABORTED;
	}
	st->packets++;
	st->bytes += data_end - data;
	st->tcp_flags |= flags;
	if (flags & 0x04 && ++st->rsts > RST_LIMIT)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
