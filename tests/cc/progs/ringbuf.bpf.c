/* Ring buffer events with bpf_ringbuf_reserve/submit, an LPM trie lookup and a hash
 * of maps, from a tc classifier reading __sk_buff fields.
 * RUN: --data-hex 00112233445566778899aabb0800450000280001000040110000c0a80001c0a80002303900090014000068656c6c6f776f726c64
 * RUN: --data-hex 00112233445566778899aabb0800450000280001000040110000080808080a000002303900090014000068656c6c6f776f726c64
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct event {
	__u32 len;
	__u32 saddr;
	__u8 proto;
	__u8 matched;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, __u32);
} prefixes SEC(".maps");

SEC("tc")
int classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct lpm_key key = { .prefixlen = 32 };
	struct event *e;
	__u32 *hit;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	key.addr = ip->saddr;
	hit = bpf_map_lookup_elem(&prefixes, &key);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return TC_ACT_SHOT;
	e->len = skb->len;
	e->saddr = bpf_ntohl(ip->saddr);
	e->proto = ip->protocol;
	e->matched = hit ? *hit : 0xff;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
	return hit ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
