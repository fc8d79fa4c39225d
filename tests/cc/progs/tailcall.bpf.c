/* Tail calls through a prog array initialised with __array(values, ...), a global
 * subprogram verified on its own BTF, and a percpu array counter.
 * RUN: --prog entry --data-hex 0000000000000000000000000000
 * RUN: --data-hex 0100000000000000000000000000
 * RUN: --data-hex 0500000000000000000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

int tail_one(struct xdp_md *ctx);
int tail_two(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = { [0] = (void *)&tail_one, [1] = (void *)&tail_two },
};

__noinline int record(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &slot);

	if (!v)
		return 0;
	*v += 1;
	return 1;
}

SEC("xdp")
int tail_one(struct xdp_md *ctx)
{
	record(1);
	return XDP_DROP;
}

SEC("xdp")
int tail_two(struct xdp_md *ctx)
{
	record(2);
	return XDP_TX;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 *first = data;

	record(0);
	if ((void *)(first + 1) > end)
		return XDP_ABORTED;
	bpf_tail_call(ctx, &jump_table, *first);
	record(3);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
