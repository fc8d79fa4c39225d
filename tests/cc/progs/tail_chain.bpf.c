/* A cilium-style tail-call pipeline of tc programs: the entry classifies the packet
 * and jumps to the L3 stage, which jumps to an L4 stage; state travels in skb->cb[]
 * (protocol, L4 offset, a hop counter) and a per-CPU scratch map. A missing slot
 * falls through to the caller's own verdict, a chain deeper than the slots counts
 * as an error. Each stage counts itself.
 * RUN: --prog entry --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d20050000000010000000050022000c0150000
 * RUN: --data-hex 00112233445566778899aabb080045000020000100004011b022c0a800010a00000104d20035000c576264617461
 * RUN: --data-hex 00112233445566778899aabb08004500001c000100004001b036c0a800010a0000010800f7ff00000000
 * RUN: --data-hex 00112233445566778899aabb08004500001c00010000402fb008c0a800010a0000010000000000000000
 * RUN: --data-hex 00112233445566778899aabb08060001080006040001001122334455c0a80001000000000000c0a80002
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d201bb000000010000000050022000beaa0000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum stage { STAGE_IP4, STAGE_TCP, STAGE_UDP, STAGE_ICMP, STAGE_MAX };
enum cb_slot { CB_PROTO, CB_L4_OFF, CB_HOPS };

struct scratch {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} stage_hits SEC(".maps");

int handle_ip4(struct __sk_buff *skb);
int handle_tcp(struct __sk_buff *skb);
int handle_udp(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, STAGE_MAX);
	__type(key, __u32);
	__array(values, int (void *));
} stages SEC(".maps") = {
	.values = {
		[STAGE_IP4] = (void *)&handle_ip4,
		[STAGE_TCP] = (void *)&handle_tcp,
		[STAGE_UDP] = (void *)&handle_udp,
	},
};

static __always_inline void hit(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stage_hits, &which);

	if (v)
		*v += 1;
}

static __always_inline struct scratch *scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

SEC("tc")
int handle_tcp(struct __sk_buff *skb)
{
	struct scratch *s = scratch_get();

	hit(STAGE_TCP);
	if (!s)
		return TC_ACT_SHOT;
	if (bpf_skb_load_bytes(skb, skb->cb[CB_L4_OFF], &s->sport, 4))
		return TC_ACT_SHOT;
	skb->cb[CB_HOPS]++;
	skb->mark = bpf_ntohs(s->dport) | skb->cb[CB_HOPS] << 16;
	return s->dport == bpf_htons(80) ? TC_ACT_OK : TC_ACT_SHOT;
}

SEC("tc")
int handle_udp(struct __sk_buff *skb)
{
	struct scratch *s = scratch_get();

	hit(STAGE_UDP);
	if (!s || bpf_skb_load_bytes(skb, skb->cb[CB_L4_OFF], &s->sport, 4))
		return TC_ACT_SHOT;
	skb->cb[CB_HOPS]++;
	skb->priority = bpf_ntohs(s->sport) & 7;
	return TC_ACT_OK;
}

SEC("tc")
int handle_ip4(struct __sk_buff *skb)
{
	struct scratch *s = scratch_get();
	struct iphdr ip;
	__u32 next;

	hit(STAGE_IP4);
	if (!s || bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)))
		return TC_ACT_SHOT;
	s->saddr = ip.saddr;
	s->daddr = ip.daddr;
	skb->cb[CB_PROTO] = ip.protocol;
	skb->cb[CB_L4_OFF] = ETH_HLEN + ip.ihl * 4;
	skb->cb[CB_HOPS]++;
	switch (ip.protocol) {
	case IPPROTO_TCP: next = STAGE_TCP; break;
	case IPPROTO_UDP: next = STAGE_UDP; break;
	case IPPROTO_ICMP: next = STAGE_ICMP; break;
	default: return TC_ACT_OK;
	}
	bpf_tail_call(skb, &stages, next);
	hit(STAGE_MAX); /* no program in the slot */
	return TC_ACT_UNSPEC;
}

SEC("tc")
int entry(struct __sk_buff *skb)
{
	skb->cb[CB_HOPS] = 0;
	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	bpf_tail_call(skb, &stages, STAGE_IP4);
	hit(STAGE_MAX + 1);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
