// optional.bpf.c - loader test input: SEC("?tc") is a program libbpf does not load
// unless autoload is switched on.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int always(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("?tc")
int on_request(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
