// lpm_firewall.bpf.c - CIDR firewall: the IPv4 source address is looked up in an
// LPM trie of rules (longest prefix wins), each rule says pass or drop and counts its
// hits; packets without a matching rule pass. Rules come from the loader
// (ebpf-run --maps-in lpm_firewall.maps).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum rule_action { ACTION_PASS = 0, ACTION_DROP = 1 };

struct cidr_key {
	__u32 prefixlen; /* LPM tries need the prefix length first */
	__be32 addr;
};

struct rule {
	enum rule_action action;
	__u32 rule_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cidr_key);
	__type(value, struct rule);
} cidr_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} rule_hits SEC(".maps");

__u64 unmatched; /* packets no rule covered */

SEC("xdp")
int cidr_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct cidr_key key = { .prefixlen = 32 };
	struct rule *rule;
	__u64 *hits;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	key.addr = ip->saddr;
	rule = bpf_map_lookup_elem(&cidr_rules, &key);
	if (!rule) {
		__sync_fetch_and_add(&unmatched, 1);
		return XDP_PASS;
	}
	hits = bpf_map_lookup_elem(&rule_hits, &rule->rule_id);
	if (hits)
		__sync_fetch_and_add(hits, 1);
	return rule->action == ACTION_DROP ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
