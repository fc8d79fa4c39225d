// socket_filter.bpf.c - classic socket filter in eBPF: keep only IPv4 UDP packets to
// the DNS port (returning the bytes to keep), drop everything else; packet bytes are
// read with bpf_skb_load_bytes since socket filters have no direct packet access.
// The skb of a socket filter starts at the network header.
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps"); /* [0] dropped, [1] kept */

static __always_inline int account(__u32 kept)
{
	__u64 *count = bpf_map_lookup_elem(&verdicts, &kept);

	if (count)
		__sync_fetch_and_add(count, 1);
	return kept;
}

SEC("socket")
int dns_only(struct __sk_buff *skb)
{
	struct iphdr ip;
	struct udphdr udp;

	if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) < 0 || ip.version != 4 ||
	    ip.protocol != IPPROTO_UDP)
		return account(0);
	if (bpf_skb_load_bytes(skb, ip.ihl * 4, &udp, sizeof(udp)) < 0)
		return account(0);
	if (udp.dest != bpf_htons(53))
		return account(0);
	account(1);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
