/* bad_prog.bpf.c - a prog array whose static initializer names a program that no
 * object defines. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int missing_prog(struct xdp_md *ctx);
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (struct xdp_md *));
} table SEC(".maps") = { .values = { [1] = (void *)&missing_prog } };
SEC("xdp")
int jumper(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &table, 1);
	return 2;
}
char LICENSE[] SEC("license") = "GPL";
