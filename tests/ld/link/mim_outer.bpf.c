/* mim_outer.bpf.c - an array of maps whose static initializer names inner1, a map
 * that only mim_inner.bpf.c defines; the strong definition of counter. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};
extern struct inner_map inner1 SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = { .values = { [1] = &inner1 } };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");
SEC("xdp")
int read_inner(struct xdp_md *ctx)
{
	__u32 key = 1, zero = 0;
	__u32 *value;
	void *inner = bpf_map_lookup_elem(&outer, &key);
	if (!inner)
		return 0;
	value = bpf_map_lookup_elem(inner, &zero);
	return value ? (int)*value + 5 : 1;
}
char LICENSE[] SEC("license") = "GPL";
