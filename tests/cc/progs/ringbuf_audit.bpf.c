/* Packet audit log through a BPF ring buffer, the libbpf-bootstrap way: a record is
 * reserved first, filled field by field (a tagged union: IPv4 flow or raw bytes), and
 * then either submitted (BPF_RB_NO_WAKEUP for the common kind, BPF_RB_FORCE_WAKEUP
 * for alerts) or discarded when a late check rejects it; a second fixed-size record
 * kind goes through bpf_ringbuf_output. Reservations that fail and discards are
 * counted in .bss; bpf_ringbuf_query reports the bytes waiting.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d2005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500002800010000400600000a0000010a00000104d2001700000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a00000104d2005000000001000000005010200000000000
 * RUN: --data-hex 00112233445566778899aabb88cc0102030405060708090a0b0c0d0e0f1011121314
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum record_kind { REC_FLOW = 1, REC_RAW = 2, REC_ALERT = 3 };

struct record {
	__u8 kind;
	__u8 tcp_flags;
	__u16 len;
	union {
		struct {
			__be32 saddr, daddr;
			__be16 sport, dport;
		} flow;
		__u8 raw[16];
	};
};

struct summary {
	__u32 seq;
	__u32 pending_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} audit SEC(".maps");

__u32 seq, reserve_failed, discarded;
const volatile __u16 alert_port = 23; /* telnet */

static __always_inline void summarize(void)
{
	struct summary s = {
		.seq = seq,
		.pending_bytes = bpf_ringbuf_query(&audit, BPF_RB_AVAIL_DATA),
	};

	bpf_ringbuf_output(&audit, &s, sizeof(s), BPF_RB_NO_WAKEUP);
}

SEC("tc")
int audit_log(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th = (void *)(iph + 1);
	struct record *r;

	seq++;
	r = bpf_ringbuf_reserve(&audit, sizeof(*r), 0);
	if (!r) {
		reserve_failed++;
		return TC_ACT_OK;
	}
	r->len = skb->len;
	r->tcp_flags = 0;
	if ((void *)(th + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->protocol != IPPROTO_TCP) {
		r->kind = REC_RAW;
		for (int i = 0; i < 16; i++)
			r->raw[i] = (void *)(eth + 1) + i + 1 <= end ? ((__u8 *)(eth + 1))[i] : 0;
		bpf_ringbuf_submit(r, 0);
		summarize();
		return TC_ACT_OK;
	}
	r->flow.saddr = iph->saddr;
	r->flow.daddr = iph->daddr;
	r->flow.sport = th->source;
	r->flow.dport = th->dest;
	r->tcp_flags = ((__u8 *)th)[13];
	if (th->dest == bpf_htons(alert_port)) {
		r->kind = REC_ALERT;
		bpf_ringbuf_submit(r, BPF_RB_FORCE_WAKEUP);
		summarize();
		return TC_ACT_SHOT;
	}
	/* only connection openings are worth a record */
	if (!th->syn) {
		bpf_ringbuf_discard(r, 0);
		discarded++;
		return TC_ACT_OK;
	}
	r->kind = REC_FLOW;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	summarize();
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
