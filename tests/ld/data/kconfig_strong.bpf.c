// kconfig_strong.bpf.c - loader test input: a strong __kconfig extern no kernel sets.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_NO_SUCH_OPTION_FOR_LD_TESTS __kconfig;

SEC("xdp")
int read_config(struct xdp_md *ctx)
{
	return CONFIG_NO_SUCH_OPTION_FOR_LD_TESTS ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
