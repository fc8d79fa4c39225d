// perf_output.bpf.c - ebpf-run test input: bpf_perf_event_output records of an XDP
// program (8 bytes each, fully initialised).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct event {
	__u32 length;
	__u16 sequence;
	__u16 tag;
};

__u16 sequence;

SEC("xdp")
int perf_out(struct xdp_md *ctx)
{
	struct event e = {
		.length = ctx->data_end - ctx->data,
		.sequence = ++sequence,
		.tag = 0xabcd,
	};

	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
