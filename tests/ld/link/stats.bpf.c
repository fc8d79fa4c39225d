/* stats.bpf.c - a third object: its own hash map and .rodata, a static and a
 * hidden function, and a program calling helper_add of progs.bpf.c. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");
const volatile int step = 2;
extern int helper_add(int a, int b);
static __noinline int twice(int x) { return x * 2; }
__hidden __noinline int plus_ten(int x) { return x + 10; }
SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 key = 7;
	__u64 value = (__u64)helper_add(twice(step), plus_ten(0));
	bpf_map_update_elem(&hits, &key, &value, BPF_ANY);
	return 2;
}
char LICENSE[] SEC("license") = "GPL";
