// printk.bpf.c - ebpf-run test input: trace_printk output of an XDP program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int say(struct xdp_md *ctx)
{
	bpf_printk("packet of %d bytes", (int)(ctx->data_end - ctx->data));
	bpf_printk("done");
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
