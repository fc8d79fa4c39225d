// bad_map.bpf.c - loader test input: a .maps variable whose BTF type is no map struct.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int not_a_map SEC(".maps");

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
