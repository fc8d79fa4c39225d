/* tc ingress parser for Geneve tunnels (RFC 8926), reading the headers through
 * bitfield structs as the kernel declares them: IPv4's ihl/version, the Geneve
 * header's opt_len:6/ver:2 and oam:1/critical:1 bits, option headers with type and a
 * 5-bit length; TLV options walked in a bounded loop. Decoded facts go into a map
 * value that itself has bitfields (signed and unsigned) and a union, keyed by VNI.
 * The inner Ethernet destination is copied into skb->cb[] for a later stage.
 * RUN: --data-hex 00112233445566778899aabb08004500004200010000401166a80a0000020a000001303917c1002e0000044065581234560001020101ffeeddcc0001020100000000000102030405aabbccddeeff0800
 * RUN: --data-hex 00112233445566778899aabb08004500003200010000401166b80a0000020a000001303917c1001e000000806558abcd0000000102030405aabbccddeeff0800
 * RUN: --data-hex 00112233445566778899aabb08004500003200010000401166b80a0000020a000001303917c1001e00004000655800000100000102030405aabbccddeeff0800
 * RUN: --data-hex 00112233445566778899aabb08004500002400010000401166c60a0000020a00000130390035001000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb08004500003a00010000401166b00a0000020a000001303917c1002600000400655812345600030003030000000000000000000000000a0b0c0d0e0f
 * RUN: --data-hex 00112233445566778899aabb08004500003400010000401166b60a0000020a000001303917c100200000040065580007770003000303000000000000000000000000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define GENEVE_PORT 6081
#define MAX_OPTS 4

struct genevehdr {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	__u8 opt_len:6;
	__u8 ver:2;
	__u8 rsvd1:6;
	__u8 critical:1;
	__u8 oam:1;
#else
	__u8 ver:2;
	__u8 opt_len:6;
	__u8 oam:1;
	__u8 critical:1;
	__u8 rsvd1:6;
#endif
	__be16 proto_type;
	__u8 vni[3];
	__u8 rsvd2;
};

struct geneve_opt {
	__be16 opt_class;
	__u8 type;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	__u8 length:5;
	__u8 r3:1;
	__u8 r2:1;
	__u8 r1:1;
#else
	__u8 r1:1;
	__u8 r2:1;
	__u8 r3:1;
	__u8 length:5;
#endif
};

struct tunnel_info {
	__u32 packets;
	unsigned int oam:1;
	unsigned int critical:1;
	unsigned int options:3;
	signed int last_delta:7; /* signed: previous minus current option words */
	unsigned int ver:2;
	union {
		__u8 inner_mac[ETH_ALEN];
		struct {
			__u16 hi;
			__u32 lo;
		} __attribute__((packed)) parts;
	} dst;
	__u16 opt_class_sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct tunnel_info);
} tunnels SEC(".maps");

SEC("tc")
int geneve_ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *uh;
	struct genevehdr *gh;
	struct tunnel_info *ti, fresh = {};
	__u8 *p;
	__u32 vni, left, last = 0;

	if ((void *)(iph + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (iph->version != 4 || iph->ihl != 5 || iph->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	uh = (void *)(iph + 1);
	gh = (void *)(uh + 1);
	if ((void *)(gh + 1) > end)
		return TC_ACT_OK;
	if (uh->dest != bpf_htons(GENEVE_PORT))
		return TC_ACT_OK;
	if (gh->ver != 0)
		return TC_ACT_SHOT;
	vni = gh->vni[0] << 16 | gh->vni[1] << 8 | gh->vni[2];
	ti = bpf_map_lookup_elem(&tunnels, &vni);
	if (!ti) {
		bpf_map_update_elem(&tunnels, &vni, &fresh, BPF_NOEXIST);
		ti = bpf_map_lookup_elem(&tunnels, &vni);
		if (!ti)
			return TC_ACT_SHOT;
	}
	ti->packets++;
	ti->oam = gh->oam;
	ti->critical = gh->critical;
	ti->ver = gh->ver;

	p = (__u8 *)(gh + 1);
	left = gh->opt_len;
	for (int i = 0; i < MAX_OPTS && left; i++) {
		struct geneve_opt *o = (void *)p;
		__u32 words;

		if ((void *)(o + 1) > end)
			return TC_ACT_SHOT;
		words = o->length + 1;
		if (words > left)
			return TC_ACT_SHOT;
		ti->opt_class_sum += bpf_ntohs(o->opt_class);
		ti->options = i + 1;
		ti->last_delta = (int)last - (int)words;
		last = words;
		left -= words;
		p += (words & 0x1f) * 4;
	}
	if (left)
		return TC_ACT_SHOT;
	if (p + ETH_ALEN > (__u8 *)end)
		return TC_ACT_SHOT;
	__builtin_memcpy(ti->dst.inner_mac, p, ETH_ALEN);
	skb->cb[0] = vni;
	skb->cb[1] = bpf_ntohs(ti->dst.parts.hi);
	skb->cb[2] = ti->dst.parts.lo;
	return ti->oam ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
