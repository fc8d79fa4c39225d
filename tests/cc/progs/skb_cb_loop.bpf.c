/* skb_fields with the cb[] stores as a loop, which only verifies unrolled (each
 * skb->cb[i] a ctx access at a constant offset), as clang -O2 and ebpf-cc -O2 do. The
 * datapath reads and writes: len, pkt_type, mark, queue_mapping, protocol,
 * vlan_present/vlan_tci/vlan_proto, priority, ingress_ifindex, ifindex, tc_index,
 * cb[], tc_classid, data/data_end, data_meta, napi_id, wire_len, gso_segs, tstamp
 * (64-bit), plus narrow reads of 32-bit fields (a byte and a half-word of mark), as
 * the kernel rewrites them. Everything read is stored in an array map; mark,
 * priority, tc_index, tc_classid, cb[] and tstamp are written.
 * O0-REFUSED: the cb[] loop is unrolled only with optimisation (as clang does), and
 *   skb->cb[i] needs a constant offset; clang -O0 is refused the same way.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a0000010d050050000000010000000050022000b7e20000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000003b40fe800000000000000000000000000001fe800000000000000000000000000002
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 48

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} fields SEC(".maps");

static __u32 next_slot;

static __always_inline void put(__u64 v)
{
	__u32 k = next_slot++;

	if (k < SLOTS)
		bpf_map_update_elem(&fields, &k, &v, BPF_ANY);
}

SEC("tc")
int skb_fields(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	void *meta = (void *)(long)skb->data_meta;
	__u8 mark_low;
	__u16 mark_high;

	skb->mark = 0x12345678 + skb->len;
	mark_low = *(volatile __u8 *)&skb->mark;
	mark_high = *(volatile __u16 *)((__u8 *)&skb->mark + 2);

	put(skb->len);
	put(skb->pkt_type);
	put(skb->queue_mapping);
	put(bpf_ntohs(skb->protocol));
	put(skb->vlan_present);
	put(skb->vlan_tci);
	put(skb->vlan_proto);
	put(skb->tc_index);
	put(skb->tc_classid);
	put(end - data);
	put(data - meta);
	put(skb->napi_id);
	put(skb->wire_len);
	put(skb->gso_segs);
	put(skb->tstamp);
	put(mark_low);
	put(mark_high);
	put(skb->ingress_ifindex == skb->ifindex);

	skb->priority = skb->len & 7;
	skb->tc_index = skb->protocol == bpf_htons(ETH_P_IP) ? 4 : 6;
	skb->tc_classid = 0x10002;
	skb->tstamp = 1000000000ULL * skb->len;
	for (int i = 0; i < 5; i++)
		skb->cb[i] = skb->len * (i + 1);

	put(skb->priority);
	put(skb->tc_index);
	put(skb->tstamp);
	put(skb->cb[0] + skb->cb[1] + skb->cb[2] + skb->cb[3] + skb->cb[4]);
	put(skb->mark);
	return skb->tc_index == 4 ? TC_ACT_OK : TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
