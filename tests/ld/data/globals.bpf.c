// globals.bpf.c - loader test input: BTF-defined maps, .rodata/.data/.bss and a string
// literal in .rodata.str1.1, a static subprogram called from two programs, a global
// subprogram, a bpf_loop callback (ld_imm64 of a function), two programs in one
// section and one in another.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u64);
	__type(value, __u32);
} table SEC(".maps");

const volatile __u32 answer = 42;
__u32 generation = 5;
__u64 hits;

static __noinline int bump(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &slot);

	if (value)
		*value += 1;
	return slot;
}

__noinline int global_double(int x)
{
	return x * 2;
}

static int loop_step(__u32 index, void *ctx)
{
	hits += index;
	return 0;
}

SEC("xdp")
int first(struct xdp_md *ctx)
{
	bpf_loop(3, loop_step, NULL, 0);
	return bump(1) + answer - 42 + 1;
}

SEC("xdp")
int second(struct xdp_md *ctx)
{
	__u64 key = generation;
	__u32 value = global_double(3);

	bpf_map_update_elem(&table, &key, &value, BPF_ANY);
	const char *name = "loader"; /* a literal: .rodata.str1.1 */

	return bump(2) + name[generation & 3];
}

SEC("tc")
int third(struct __sk_buff *skb)
{
	hits++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
