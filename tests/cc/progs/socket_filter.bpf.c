/* Socket filter: keep IPv4 TCP packets whole, truncate other IPv4 to 64 bytes, drop
 * the rest; counts verdicts in an array map.
 * RUN: --data-hex 00112233445566778899aabb0800450000280001000040060000c0a80001c0a80002303900500000000000000000500200000000
 * RUN: --data-hex 00112233445566778899aabb0800450000280001000040110000c0a80001c0a80002303900090014000068656c6c6f776f726c64
 * RUN: --data-hex 00112233445566778899aabb86dd0000000000000000
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

static void bump(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&verdicts, &slot);

	if (v)
		*v += 1;
}

SEC("socket")
int tcp_filter(struct __sk_buff *skb)
{
	__u16 proto;
	__u8 l4;

	if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &proto, sizeof(proto)))
		return 0;
	if (proto != bpf_htons(ETH_P_IP)) {
		bump(2);
		return 0;
	}
	if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, protocol), &l4, 1))
		return 0;
	if (l4 == IPPROTO_TCP) {
		bump(0);
		return skb->len;
	}
	bump(1);
	return 64;
}

char LICENSE[] SEC("license") = "GPL";
