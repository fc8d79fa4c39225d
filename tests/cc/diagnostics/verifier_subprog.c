#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __noinline int peek(struct xdp_md *ctx, int off)
{
	__u8 *data = (void *)(long)ctx->data;

	return data[off];
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	return peek(ctx, 3) ? XDP_DROP : XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
