// tc_config.bpf.c - tc classifier configured through .rodata (const volatile globals
// the loader freezes) and counting in .bss and .data: packets longer than max_len or
// carrying the blocked IP protocol are shot, the rest pass; every decision is counted.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 max_len = 60;              /* .rodata: bytes */
const volatile __u8 blocked_proto = IPPROTO_UDP; /* .rodata */
const char policy_name[] = "edge-default";     /* .rodata */

__u64 passed, shot_too_long, shot_proto; /* .bss */
__u32 generation = 7;                    /* .data: a writable, initialised global */

SEC("tc")
int classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if (skb->len > max_len) {
		shot_too_long++;
		return TC_ACT_SHOT;
	}
	if ((void *)(ip + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP) &&
	    ip->protocol == blocked_proto) {
		shot_proto++;
		return TC_ACT_SHOT;
	}
	passed++;
	generation += policy_name[0] == 'e';
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
