/* tc destination NAT, as a load balancer's classifier writes it: the IPv4/L4 headers
 * are read with bpf_skb_load_bytes into stack copies, a service table in .rodata
 * (const volatile) picks the backend, and the destination address and port are
 * rewritten with bpf_skb_store_bytes plus bpf_l3_csum_replace/bpf_l4_csum_replace
 * (BPF_F_PSEUDO_HDR, BPF_F_MARK_MANGLED_0 for UDP). skb->mark and skb->priority are
 * set from the service; __sk_buff fields are counted; TC_ACT_OK/SHOT/PIPE verdicts.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a0000010d050050000000010000000050022000b7e20000
 * RUN: --data-hex 00112233445566778899aabb080045000020000100004011b021c0a800010a0000021f400035000c3dd6646e7371
 * RUN: --data-hex 00112233445566778899aabb080045000028000100000106ef25c0a800010a0000010d050050000000010000000050022000b7e20000
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a0000010d050051000000010000000050022000b7e10000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000003b40fe800000000000000000000000000001fe800000000000000000000000000002
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define IP_OFF ETH_HLEN
#define IP_CSUM_OFF (IP_OFF + offsetof(struct iphdr, check))
#define IP_DST_OFF (IP_OFF + offsetof(struct iphdr, daddr))

struct service {
	__be32 vip;
	__be16 port;
	__u8 proto;
	__u8 prio;
	__be32 backend;
	__be16 backend_port;
	__u16 mark;
};

const volatile struct service services[3] = {
	{ .vip = bpf_htonl(0x0a000001), .port = bpf_htons(80), .proto = IPPROTO_TCP,
	  .prio = 3, .backend = bpf_htonl(0xac100005), .backend_port = bpf_htons(8080),
	  .mark = 0x100 },
	{ .vip = bpf_htonl(0x0a000002), .port = bpf_htons(53), .proto = IPPROTO_UDP,
	  .prio = 6, .backend = bpf_htonl(0xac100035), .backend_port = bpf_htons(5353),
	  .mark = 0x200 },
};
const volatile __u8 min_ttl = 2;

enum { STAT_PACKETS, STAT_BYTES, STAT_NATTED, STAT_SHOT, STAT_NON_IP, STAT_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void bump(__u32 which, __u64 by)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);

	if (v)
		__sync_fetch_and_add(v, by);
}

static __always_inline int find_service(__be32 daddr, __be16 dport, __u8 proto)
{
	for (int i = 0; i < 3; i++) {
		if (services[i].vip == daddr && services[i].port == dport &&
		    services[i].proto == proto)
			return i;
	}
	return -1;
}

static __noinline int rewrite_l4(struct __sk_buff *skb, __u32 l4_off, __u32 csum_off,
				 __be16 new_port, __u64 flags)
{
	__be16 old_port;

	if (bpf_skb_load_bytes(skb, l4_off + 2, &old_port, sizeof(old_port)) < 0)
		return -1;
	if (bpf_l4_csum_replace(skb, csum_off, old_port, new_port, flags | sizeof(new_port)))
		return -1;
	/* the destination port is the second 16-bit word of both TCP and UDP */
	return bpf_skb_store_bytes(skb, l4_off + 2, &new_port, sizeof(new_port), 0);
}

SEC("tc")
int tc_dnat(struct __sk_buff *skb)
{
	struct iphdr ip;
	struct udphdr l4; /* ports sit at the same offsets in TCP */
	__u32 l4_off, csum_off;
	__u64 l4_flags = BPF_F_PSEUDO_HDR;
	int idx;

	bump(STAT_PACKETS, 1);
	bump(STAT_BYTES, skb->len);
	if (skb->protocol != bpf_htons(ETH_P_IP)) {
		bump(STAT_NON_IP, 1);
		return TC_ACT_PIPE;
	}
	if (bpf_skb_load_bytes(skb, IP_OFF, &ip, sizeof(ip)) < 0)
		return TC_ACT_SHOT;
	if (ip.ihl < 5 || ip.version != 4)
		return TC_ACT_SHOT;
	if (ip.ttl < min_ttl) {
		bump(STAT_SHOT, 1);
		return TC_ACT_SHOT;
	}
	l4_off = IP_OFF + ip.ihl * 4;
	if (bpf_skb_load_bytes(skb, l4_off, &l4, sizeof(l4)) < 0)
		return TC_ACT_OK;
	idx = find_service(ip.daddr, l4.dest, ip.protocol);
	if (idx < 0)
		return TC_ACT_OK;

	if (ip.protocol == IPPROTO_TCP) {
		csum_off = l4_off + offsetof(struct tcphdr, check);
	} else {
		csum_off = l4_off + offsetof(struct udphdr, check);
		l4_flags |= BPF_F_MARK_MANGLED_0;
	}
	__be32 new_daddr = services[idx].backend;
	if (bpf_l4_csum_replace(skb, csum_off, ip.daddr, new_daddr, l4_flags | sizeof(new_daddr)) ||
	    bpf_l3_csum_replace(skb, IP_CSUM_OFF, ip.daddr, new_daddr, sizeof(new_daddr)) ||
	    bpf_skb_store_bytes(skb, IP_DST_OFF, &new_daddr, sizeof(new_daddr), 0))
		return TC_ACT_SHOT;
	if (rewrite_l4(skb, l4_off, csum_off, services[idx].backend_port,
		       l4_flags & BPF_F_MARK_MANGLED_0))
		return TC_ACT_SHOT;

	skb->mark = services[idx].mark;
	skb->priority = services[idx].prio;
	bump(STAT_NATTED, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
