/* weak_default.bpf.c - a program calling pick(), whose weak default here returns 1;
 * strong_pick.bpf.c overrides it, whichever object comes first. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
__weak __noinline int pick(int x) { return 1 + x * 0; }
SEC("xdp")
int chooser(struct xdp_md *ctx) { return pick(ctx->ingress_ifindex); }
char LICENSE[] SEC("license") = "GPL";
