/* Katran-style XDP tunnelling that resizes packets: IPv4 packets to a VIP are
 * encapsulated in an outer IPv4 header (IPPROTO_IPIP) with bpf_xdp_adjust_head(-20)
 * and the outer checksum computed in a bounded loop; IPIP packets addressed to us are
 * decapsulated with bpf_xdp_adjust_head(+20); Ethernet padding beyond the IP total
 * length is trimmed with bpf_xdp_adjust_tail. Every helper call invalidates the
 * packet pointers, so data/data_end are reloaded and re-checked after each.
 * RUN: --data-hex 00112233445566778899aabb08004500001e000100004011afc1c0a800010a0000640d050050000abf0e6869
 * RUN: --data-hex 00112233445566778899aabb080045000032000200004004b0130a000001c0a8000a4500001e0001000040110e13ac100001c0a800020d050050000a0c5a796f
 * RUN: --data-hex 00112233445566778899aabb08004500001e000100004011afc1c0a800010a0000640d050050000abf0e686900000000000000000000
 * RUN: --data-hex 00112233445566778899aabb08004500001c000100004011f97cc0a80001c0a800020d05005000087135000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000003b400000000000000000000000000000000000000000000000000000000000000000
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

const volatile __be32 vip = bpf_htonl(0x0a000064);        /* 10.0.0.100 */
const volatile __be32 tunnel_src = bpf_htonl(0x0a000001); /* 10.0.0.1 */
const volatile __be32 real_dst = bpf_htonl(0xc0a8000a);   /* 192.168.0.10 */
const volatile __be32 local_addr = bpf_htonl(0xc0a8000a);

enum { C_ENCAP, C_DECAP, C_TRIM, C_PASS, C_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, C_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v)
		*v += 1;
}

static __always_inline __u16 ip_checksum(struct iphdr *iph)
{
	__u16 *w = (__u16 *)iph;
	__u32 sum = 0;

	iph->check = 0;
#pragma unroll
	for (int i = 0; i < (int)sizeof(*iph) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum += sum >> 16;
	return ~sum;
}

static __always_inline int encap(struct xdp_md *ctx, __u16 inner_len)
{
	void *data, *end;
	struct ethhdr *eth, *old_eth;
	struct iphdr *outer;

	if (bpf_xdp_adjust_head(ctx, 0 - (int)sizeof(struct iphdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	old_eth = data + sizeof(struct iphdr);
	outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > end || (void *)(old_eth + 1) > end)
		return XDP_ABORTED;
	__builtin_memcpy(eth->h_dest, old_eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, old_eth->h_dest, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	outer->version = 4;
	outer->ihl = 5;
	outer->tos = 0;
	outer->tot_len = bpf_htons(inner_len + sizeof(struct iphdr));
	outer->id = 0;
	outer->frag_off = bpf_htons(0x4000); /* DF */
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->saddr = tunnel_src;
	outer->daddr = real_dst;
	outer->check = ip_checksum(outer);
	count(C_ENCAP);
	return XDP_TX;
}

static __always_inline int decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr saved, *eth;

	if (data + sizeof(saved) > end)
		return XDP_ABORTED;
	__builtin_memcpy(&saved, data, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, sizeof(struct iphdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, &saved, sizeof(saved));
	count(C_DECAP);
	return XDP_PASS;
}

SEC("xdp")
int xdp_ipip(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u16 tot_len;
	int excess;

	if ((void *)(iph + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) {
		count(C_PASS);
		return XDP_PASS;
	}
	tot_len = bpf_ntohs(iph->tot_len);
	excess = (int)(end - data) - (int)(sizeof(*eth) + tot_len);
	if (excess > 0 && excess < 64) {
		if (bpf_xdp_adjust_tail(ctx, -excess))
			return XDP_ABORTED;
		count(C_TRIM);
		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		eth = data;
		iph = (void *)(eth + 1);
		if ((void *)(iph + 1) > end)
			return XDP_ABORTED;
	}
	if (iph->protocol == IPPROTO_IPIP && iph->daddr == local_addr)
		return decap(ctx);
	if (iph->daddr == vip)
		return encap(ctx, tot_len);
	count(C_PASS);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
