/* kconfig.bpf.c - a .kconfig extern: no object defines it, the loader (libbpf)
 * resolves it, so the linker must leave it undefined rather than refuse it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern unsigned int CONFIG_HZ __kconfig;
SEC("xdp")
int hz(struct xdp_md *ctx) { return CONFIG_HZ > 0 ? 2 : 1; }
char LICENSE[] SEC("license") = "GPL";
