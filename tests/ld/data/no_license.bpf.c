// no_license.bpf.c - loader test input: a GPL-only helper without a license section.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	bpf_printk("hello");
	return XDP_PASS;
}
