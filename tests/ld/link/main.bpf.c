/* main.bpf.c - tail-calls through a prog array it only declares (extern, with
 * __array(values)); calls and reads a function and a variable of progs.bpf.c. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jmp SEC(".maps");
extern int helper_add(int a, int b);
extern int shared_counter;
int __weak wv = 5;
SEC("xdp")
int entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jmp, 1);
	return helper_add(shared_counter, 1);
}
char LICENSE[] SEC("license") = "GPL";
