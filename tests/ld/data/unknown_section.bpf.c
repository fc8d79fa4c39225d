// unknown_section.bpf.c - loader test input: a program in a section libbpf does not know.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("frobnicate/now")
int prog(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
