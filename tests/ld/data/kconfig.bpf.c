// kconfig.bpf.c - loader test input: __kconfig externs (kernel version, a bool
// option, a number, a weak option no kernel sets) read into .bss.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_NO_SUCH_OPTION_FOR_LD_TESTS __kconfig __weak;

__u32 version;
int bpf_syscall, missing;

SEC("xdp")
int read_config(struct xdp_md *ctx)
{
	version = LINUX_KERNEL_VERSION;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	missing = CONFIG_NO_SUCH_OPTION_FOR_LD_TESTS;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
