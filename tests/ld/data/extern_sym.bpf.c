// extern_sym.bpf.c - loader test input: a relocation against an undefined symbol.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int missing_counter;

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	return missing_counter;
}

char LICENSE[] SEC("license") = "GPL";
