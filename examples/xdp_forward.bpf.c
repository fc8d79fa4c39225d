// xdp_forward.bpf.c - XDP forwarder: an IPv4 packet whose destination /24 has a
// route leaves through that route's port (a DEVMAP of egress devices) with its TTL
// decremented; a packet without a route goes up the stack on a CPU picked from its
// source address (a CPUMAP); UDP to port 4242 goes to the AF_XDP socket of its receive
// queue when one is there (an XSKMAP). Routes, ports and CPUs come from the loader
// (ebpf-run --maps-in xdp_forward.maps).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define AF_XDP_PORT 4242

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} stack_cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __be32);  /* destination network, host bits zero */
	__type(value, __u32); /* port: a tx_ports key */
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} port_packets SEC(".maps");

/* RFC 1624 incremental update of the header checksum for the TTL decrement. */
static __always_inline void ttl_decrement(struct iphdr *ip)
{
	__u32 check = ip->check;

	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xffff));
	ip->ttl--;
}

static __always_inline int to_af_xdp(struct xdp_md *ctx, struct iphdr *ip, void *data_end)
{
	struct udphdr *udp = (void *)(ip + 1);
	__u32 queue = ctx->rx_queue_index;

	if (ip->protocol != IPPROTO_UDP || ip->ihl != 5 || (void *)(udp + 1) > data_end)
		return 0;
	if (udp->dest != bpf_htons(AF_XDP_PORT) || !bpf_map_lookup_elem(&xsks, &queue))
		return 0;
	return 1;
}

SEC("xdp")
int xdp_forward(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__be32 network;
	__u32 *port, cpu;
	__u64 *packets;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (to_af_xdp(ctx, ip, data_end))
		return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	network = ip->daddr & bpf_htonl(0xffffff00);
	port = bpf_map_lookup_elem(&routes, &network);
	if (!port) {
		cpu = bpf_ntohl(ip->saddr) & 1;
		return bpf_redirect_map(&stack_cpus, cpu, XDP_PASS);
	}
	if (ip->ttl <= 1)
		return XDP_PASS; /* the stack sends the ICMP time exceeded */
	packets = bpf_map_lookup_elem(&port_packets, port);
	if (packets)
		__sync_fetch_and_add(packets, 1);
	ttl_decrement(ip);
	return bpf_redirect_map(&tx_ports, *port, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
