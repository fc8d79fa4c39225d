/* Per-source connection accounting under a bpf_spin_lock, from a tc classifier: the
 * map value holds a struct bpf_spin_lock beside nested anonymous structs and unions,
 * its BTF must let the kernel find the lock. Whole-struct copies (a snapshot taken
 * under the lock and stored into a second map), compound-literal keys, designated
 * initializers and a static const table of per-port limits; packets over a source's
 * limit are shot.
 * REPORT-SKIP: map .rodata -- both compilers unroll limit_for(); clang then loads the
 *   result from the table with an index, ebpf-cc folds every load to a constant and
 *   its object needs no .rodata.
 * RUN: --data-hex 00112233445566778899aabb08004500002800010000400600000a0000010a0000630d05005000000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500002800010000400600000a0000010a0000630d05005000000001000000005010200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500002800010000400600000a0000010a0000630d05005000000001000000005010200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500002800010000400600000a0000010a0000630d05005000000001000000005004200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500002800010000400600000a0000020a0000630d0501bb00000001000000005002200000000000
 * RUN: --data-hex 00112233445566778899aabb08004500001c00010000400100000a0000020a0000630800000000000000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct src_key {
	__be32 addr;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct src_stats {
	struct bpf_spin_lock lock;
	struct {
		__u32 syn;
		__u32 rst;
		__u32 other;
	} tcp;
	union {
		__u64 bytes;
		struct {
			__u32 bytes_lo;
			__u32 bytes_hi;
		};
	};
	__u32 packets;
	__u32 over_limit;
};

struct snapshot {
	__u32 syn, rst, other, packets;
	__u64 bytes;
};

struct port_limit {
	__u16 port;
	__u16 max_packets;
};

static const struct port_limit limits[] = {
	{ .port = 80, .max_packets = 3 },
	{ .port = 443, .max_packets = 10 },
	{ .port = 0, .max_packets = 2 }, /* everything else */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, struct src_key);
	__type(value, struct src_stats);
} sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, struct src_key);
	__type(value, struct snapshot);
} last_seen SEC(".maps");

static __always_inline __u16 limit_for(__u16 port)
{
	for (int i = 0; i < (int)(sizeof(limits) / sizeof(limits[0])) - 1; i++)
		if (limits[i].port == port)
			return limits[i].max_packets;
	return limits[2].max_packets;
}

SEC("tc")
int conn_lock(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th = (void *)(iph + 1);
	struct src_stats *st;
	struct snapshot snap;
	struct src_key key;
	__u16 dport = 0;
	int over;

	if ((void *)(iph + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (iph->protocol == IPPROTO_TCP) {
		if ((void *)(th + 1) > end)
			return TC_ACT_SHOT;
		dport = bpf_ntohs(th->dest);
	}
	key = (struct src_key){ .addr = iph->saddr, .port = dport, .proto = iph->protocol };

	st = bpf_map_lookup_elem(&sources, &key);
	if (!st) {
		struct src_stats fresh = {};

		bpf_map_update_elem(&sources, &key, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&sources, &key);
		if (!st)
			return TC_ACT_SHOT;
	}
	bpf_spin_lock(&st->lock);
	st->packets++;
	st->bytes += skb->len;
	if (dport) {
		if (th->syn)
			st->tcp.syn++;
		else if (th->rst)
			st->tcp.rst++;
		else
			st->tcp.other++;
	}
	over = st->packets > limit_for(dport);
	if (over)
		st->over_limit++;
	snap = (struct snapshot){
		.syn = st->tcp.syn,
		.rst = st->tcp.rst,
		.other = st->tcp.other,
		.packets = st->packets,
		.bytes = st->bytes_lo | (__u64)st->bytes_hi << 32,
	};
	bpf_spin_unlock(&st->lock);

	bpf_map_update_elem(&last_seen, &key, &snap, BPF_ANY);
	return over ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
