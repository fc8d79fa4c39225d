// ringbuf_events.bpf.c - one event per IPv4 packet into a BPF ring buffer (reserve,
// fill, submit), the way monitoring tools stream packet metadata to user space;
// non-IPv4 packets are counted as skipped.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct packet_event {
	__be32 saddr;
	__be32 daddr;
	__u32 length;
	__u8 protocol;
	__u8 ttl;
	__u16 sequence;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

__u32 sequence;
__u64 skipped, dropped_events;

SEC("xdp")
int packet_events(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct packet_event *event;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP)) {
		skipped++;
		return XDP_PASS;
	}
	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		dropped_events++;
		return XDP_PASS;
	}
	event->saddr = ip->saddr;
	event->daddr = ip->daddr;
	event->length = data_end - data;
	event->protocol = ip->protocol;
	event->ttl = ip->ttl;
	event->sequence = ++sequence;
	bpf_ringbuf_submit(event, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
