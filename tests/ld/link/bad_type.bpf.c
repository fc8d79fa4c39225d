/* bad_type.bpf.c - declares progs.bpf.c's `int shared_counter` as a long. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern long shared_counter;
SEC("xdp")
int reader(struct xdp_md *ctx) { return (int)shared_counter; }
char LICENSE[] SEC("license") = "GPL";
