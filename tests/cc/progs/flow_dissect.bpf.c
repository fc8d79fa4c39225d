/* A flow dissector program (BPF_PROG_TYPE_FLOW_DISSECTOR) filling struct
 * bpf_flow_keys through the skb->flow_keys pointer: VLAN tags skipped, IPv4 (header
 * length from ihl, fragments flagged and their L4 left alone) and IPv6 addresses
 * copied, TCP/UDP ports read from the transport header; BPF_OK or BPF_DROP. The
 * report's data_out is the flow keys the kernel copies back.
 * O0-REFUSED: ebpf-cc -O0 recomputes `data + off` after the bounds check (kept in one
 *   register at -O2); clang -O0 calls helpers through a register (callx), which the
 *   kernel refuses too.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a0000010d050050000000010000000050022000b7e20000
 * RUN: --data-hex 00112233445566778899aabb81000064080046000020000100004011ad20c0a800010a000001010101011388138900080e23
 * RUN: --data-hex 00112233445566778899aabb08004500001c0001200040110000c0a800010a0000011388138900080e23
 * RUN: --data-hex 00112233445566778899aabb86dd6001234500140640fe800000000000000000000000000001fe80000000000000000000000000000204d2005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb080045000014
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

static __always_inline void *header(struct __sk_buff *skb, __u16 off, __u16 len)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	off &= 0x3ff; /* keeps the offset bounded for the verifier */
	if (data + off + len > end)
		return 0;
	return data + off;
}

static __always_inline int ports(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	__be16 *p;

	if (keys->ip_proto != IPPROTO_TCP && keys->ip_proto != IPPROTO_UDP)
		return BPF_OK;
	p = header(skb, keys->thoff, 4);
	if (!p)
		return BPF_DROP;
	keys->sport = p[0];
	keys->dport = p[1];
	return BPF_OK;
}

static __always_inline int ipv4(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	struct iphdr *iph = header(skb, keys->nhoff, sizeof(*iph));

	if (!iph || iph->ihl < 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	keys->ipv4_src = iph->saddr;
	keys->ipv4_dst = iph->daddr;
	keys->ip_proto = iph->protocol;
	keys->thoff = keys->nhoff + iph->ihl * 4;
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET)) {
		keys->is_frag = 1;
		keys->is_first_frag = !(iph->frag_off & bpf_htons(IP_OFFSET));
		return BPF_OK;
	}
	return ports(skb, keys);
}

static __always_inline int ipv6(struct __sk_buff *skb, struct bpf_flow_keys *keys)
{
	struct ipv6hdr *ip6h = header(skb, keys->nhoff, sizeof(*ip6h));

	if (!ip6h)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IPV6;
	__builtin_memcpy(keys->ipv6_src, &ip6h->saddr, sizeof(ip6h->saddr));
	__builtin_memcpy(keys->ipv6_dst, &ip6h->daddr, sizeof(ip6h->daddr));
	keys->ip_proto = ip6h->nexthdr;
	keys->flow_label = *(__be32 *)ip6h & bpf_htonl(0x000fffff);
	keys->thoff = keys->nhoff + sizeof(*ip6h);
	return ports(skb, keys);
}

SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	__be16 proto = keys->n_proto;

	for (int i = 0; i < 2; i++) {
		struct vlan_hdr *vh;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		vh = header(skb, keys->nhoff, sizeof(*vh));
		if (!vh)
			return BPF_DROP;
		proto = vh->encapsulated_proto;
		keys->nhoff += sizeof(*vh);
	}
	keys->n_proto = proto;
	switch (proto) {
	case bpf_htons(ETH_P_IP):
		return ipv4(skb, keys);
	case bpf_htons(ETH_P_IPV6):
		return ipv6(skb, keys);
	default:
		return BPF_DROP;
	}
}

char LICENSE[] SEC("license") = "GPL";
