/* progs.bpf.c - defines what main.bpf.c declares: the prog array with its static
 * initializer, the tail-call target, helper_add, shared_counter; overrides weak wv. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
int shared_counter = 40;
int wv = 7;
SEC("xdp")
int target(struct xdp_md *ctx) { return 3; }
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jmp SEC(".maps") = { .values = { [1] = (void *)&target } };
__noinline int helper_add(int a, int b) { return a + b; }
char LICENSE[] SEC("license") = "GPL";
