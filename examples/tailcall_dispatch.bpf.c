// tailcall_dispatch.bpf.c - tail-call dispatcher: the entry program reads the IPv4
// protocol and tail-calls the handler registered for it in a prog array that is
// initialised statically (__array(values) + .rel.maps), as libbpf-style loaders do.
// Protocols without a handler fall through to the dispatcher's own verdict.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

__u64 tcp_handled, udp_handled, fell_through; /* .bss counters */

static __always_inline struct iphdr *ipv4_header(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	return ip;
}

SEC("xdp")
int handle_tcp(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4_header(ctx);

	__sync_fetch_and_add(&tcp_handled, 1);
	return ip && ip->ttl > 1 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int handle_udp(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&udp_handled, 1);
	return XDP_TX;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 256);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} handlers SEC(".maps") = {
	.values = {
		[IPPROTO_TCP] = (void *)&handle_tcp,
		[IPPROTO_UDP] = (void *)&handle_udp,
	},
};

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4_header(ctx);

	if (!ip)
		return XDP_PASS;
	bpf_tail_call(ctx, &handlers, ip->protocol);
	__sync_fetch_and_add(&fell_through, 1);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
