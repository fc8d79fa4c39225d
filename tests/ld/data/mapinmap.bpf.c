// mapinmap.bpf.c - loader test input: a prog array and an array of maps, both
// initialised statically through __array(values) and .rel.maps.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = { .values = { [0] = &inner_a, [2] = &inner_b } };

SEC("socket")
int leaf(struct __sk_buff *skb)
{
	return 7;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jumps SEC(".maps") = { .values = { [3] = (void *)&leaf } };

SEC("socket")
int entry(struct __sk_buff *skb)
{
	__u32 zero = 0;
	void *map = bpf_map_lookup_elem(&outer, &zero);

	bpf_tail_call(skb, &jumps, 3);
	return map ? 1 : 2;
}

char LICENSE[] SEC("license") = "GPL";
