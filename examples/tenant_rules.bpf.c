// tenant_rules.bpf.c - per-tenant port rules through map-in-map: an array of maps
// indexed by tenant slot and a hash of maps keyed by tenant id, both statically
// initialised with inner hash maps (port -> action). The tenant is the last byte of
// the IPv4 destination; its rules decide on the UDP/TCP destination port.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct port_rules {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);   /* destination port, host order */
	__type(value, __u32); /* XDP verdict */
};

struct port_rules tenant_web SEC(".maps"), tenant_dns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct port_rules);
} tenants_by_slot SEC(".maps") = {
	.values = { [0] = &tenant_web, [1] = &tenant_dns },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct port_rules);
} tenants_by_id SEC(".maps") = {
	.values = { [2] = &tenant_web, [3] = &tenant_dns },
};

__u64 no_tenant, no_rule;

SEC("xdp")
int tenant_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *l4 = (void *)(ip + 1); /* UDP and TCP ports share the layout */
	__u32 tenant, slot;
	__u16 port;
	void *rules;
	__u32 *verdict;

	if ((void *)(l4 + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return XDP_PASS;
	tenant = bpf_ntohl(ip->daddr) & 0xff;
	rules = bpf_map_lookup_elem(&tenants_by_id, &tenant);
	if (!rules) {
		slot = tenant & 3;
		rules = bpf_map_lookup_elem(&tenants_by_slot, &slot);
	}
	if (!rules) {
		no_tenant++;
		return XDP_DROP;
	}
	port = bpf_ntohs(l4->dest);
	verdict = bpf_map_lookup_elem(rules, &port);
	if (!verdict) {
		no_rule++;
		return XDP_DROP;
	}
	return *verdict;
}

char LICENSE[] SEC("license") = "GPL";
