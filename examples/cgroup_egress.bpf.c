// cgroup_egress.bpf.c - cgroup/skb egress accounting: bytes sent per IPv4 destination
// are summed in a hash map, and traffic to one blocked host is denied (return 0).
// cgroup skb programs see the packet from its network header on.
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define BLOCKED_HOST 0x0a000063 /* 10.0.0.99 */

struct destination {
	__be32 daddr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct destination);
	__type(value, __u64);
} egress_bytes SEC(".maps");

__u64 denied, not_ipv4;

SEC("cgroup_skb/egress")
int account_egress(struct __sk_buff *skb)
{
	struct destination key = {};
	struct iphdr ip;
	__u64 *bytes, length = skb->len;

	if (skb->protocol != bpf_htons(0x0800) ||
	    bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) < 0) {
		not_ipv4++;
		return 1;
	}
	if (ip.daddr == bpf_htonl(BLOCKED_HOST)) {
		denied++;
		return 0;
	}
	key.daddr = ip.daddr;
	bytes = bpf_map_lookup_elem(&egress_bytes, &key);
	if (bytes)
		__sync_fetch_and_add(bytes, length);
	else
		bpf_map_update_elem(&egress_bytes, &key, &length, BPF_NOEXIST);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
