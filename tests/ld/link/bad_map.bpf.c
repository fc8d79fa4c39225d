/* bad_map.bpf.c - declares progs.bpf.c's prog array jmp with 8 entries, not 4. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, int (void *));
} jmp SEC(".maps");
SEC("xdp")
int other(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jmp, 0);
	return 1;
}
char LICENSE[] SEC("license") = "GPL";
