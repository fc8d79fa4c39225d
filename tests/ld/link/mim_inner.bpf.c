/* mim_inner.bpf.c - the inner map of mim_outer.bpf.c's map-in-map, a weak default of
 * the counter map that mim_outer.bpf.c defines for real, and a .kconfig extern that
 * stays for the loader. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} inner1 SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps") __weak;
SEC("xdp")
int fill(struct xdp_md *ctx)
{
	__u32 key = 0, value = 42;
	bpf_map_update_elem(&inner1, &key, &value, BPF_ANY);
	return 2;
}
char LICENSE[] SEC("license") = "GPL";
