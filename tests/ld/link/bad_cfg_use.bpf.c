/* bad_cfg_use.bpf.c - declares cfg_def.bpf.c's cfg with another struct cfg layout. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct cfg {
	int limit;
	long mode;
};
extern struct cfg cfg;
SEC("xdp")
int use_cfg(struct xdp_md *ctx) { return cfg.limit > 5 ? 2 : 1; }
char LICENSE[] SEC("license") = "GPL";
