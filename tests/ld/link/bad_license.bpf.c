/* bad_license.bpf.c - a license that differs from the other objects' "GPL". */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp")
int bsd(struct xdp_md *ctx) { return 2; }
char LICENSE[] SEC("license") = "Dual BSD/GPL";
