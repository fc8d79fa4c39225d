/* strong_pick.bpf.c - the strong definition of weak_default.bpf.c's pick(). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
__noinline int pick(int x) { return 3 + x * 0; }
char LICENSE[] SEC("license") = "GPL";
