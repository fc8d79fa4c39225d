// sk_lookup.bpf.c - tc programs that look up the socket an IPv4 TCP or UDP packet, or
// an IPv6 TCP packet, is for (bpf_sk_lookup_tcp/udp on the packet's 4-tuple) and
// record what they found; run by tests/run/sockets.sh with ebpf-run --socket on both
// backends.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>

#define SEC(name) __attribute__((section(name), used))

static struct bpf_sock *(*bpf_sk_lookup_tcp)(void *ctx, struct bpf_sock_tuple *tuple,
					     __u32 tuple_size, __u64 netns,
					     __u64 flags) = (void *)84;
static struct bpf_sock *(*bpf_sk_lookup_udp)(void *ctx, struct bpf_sock_tuple *tuple,
					     __u32 tuple_size, __u64 netns,
					     __u64 flags) = (void *)85;
static long (*bpf_sk_release)(void *sock) = (void *)86;

struct found {
	__u32 lookups;    /* packets looked up */
	__u32 hits;       /* sockets found */
	__u32 state;      /* of the last one found: 10 listening, 7 unbound UDP, 1 connected */
	__u32 local_port; /* host order */
	__u32 protocol;
};

struct found found;

SEC("tc")
int lookup(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *ports = (void *)(ip + 1); /* TCP starts with the same two ports */
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;

	if ((void *)(ports + 1) > end || eth->h_proto != __builtin_bswap16(ETH_P_IP) ||
	    ip->ihl != 5)
		return 0;
	tuple.ipv4.saddr = ip->saddr;
	tuple.ipv4.daddr = ip->daddr;
	tuple.ipv4.sport = ports->source;
	tuple.ipv4.dport = ports->dest;
	found.lookups++;
	if (ip->protocol == IPPROTO_TCP)
		sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	else if (ip->protocol == IPPROTO_UDP)
		sk = bpf_sk_lookup_udp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	else
		return 0;
	if (!sk)
		return 1;
	found.hits++;
	found.state = sk->state;
	found.local_port = sk->src_port;
	found.protocol = sk->protocol;
	bpf_sk_release(sk);
	return 2;
}

SEC("tc")
int lookup6(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	struct udphdr *ports = (void *)(ip6 + 1);
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;

	if ((void *)(ports + 1) > end || eth->h_proto != __builtin_bswap16(ETH_P_IPV6) ||
	    ip6->nexthdr != IPPROTO_TCP)
		return 0;
	__builtin_memcpy(tuple.ipv6.saddr, &ip6->saddr, 16);
	__builtin_memcpy(tuple.ipv6.daddr, &ip6->daddr, 16);
	tuple.ipv6.sport = ports->source;
	tuple.ipv6.dport = ports->dest;
	found.lookups++;
	sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv6), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return 1;
	found.hits++;
	found.state = sk->state;
	found.local_port = sk->src_port;
	found.protocol = sk->protocol;
	bpf_sk_release(sk);
	return 2;
}

char LICENSE[] SEC("license") = "GPL";
