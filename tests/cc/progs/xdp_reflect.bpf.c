/* XDP reflector: swaps Ethernet addresses with __builtin_memcpy, swaps IPv4
 * addresses, decrements the TTL and recomputes the header checksum in a bounded loop
 * (#pragma unroll), then returns XDP_TX; other packets pass untouched.
 * RUN: --data-hex 00112233445566778899aabb08004500001c0001000040110000c0a80001c0a800023039000900080000
 * RUN: --data-hex 00112233445566778899aabb86dd00000000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline void swap_mac(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

SEC("xdp")
int reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u16 *words;
	__u32 sum = 0, addr;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return XDP_PASS;
	swap_mac(eth);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->ttl--;
	ip->check = 0;
	words = (__u16 *)ip;
#pragma unroll
	for (int i = 0; i < (int)sizeof(*ip) / 2; i++)
		sum += words[i];
	ip->check = csum_fold(sum);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
