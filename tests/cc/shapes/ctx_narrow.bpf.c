/* Narrow ctx reads through &ctx->field, pointer casts and a constant byte offset: the
 * address folds into the load's offset from the unmodified ctx register (the kernel
 * rewrites narrow ctx loads; a modified ctx pointer is refused), as clang does.
 * RUN: --data-hex 00112233445566778899aabb08004500
 * SHAPE: = *(u8 *)(r1 + 8)
 * SHAPE: = *(u16 *)(r1 + 10)
 * SHAPE: = *(u8 *)(r1 + 17)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int prog(struct __sk_buff *skb)
{
	__u8 lo = *(volatile __u8 *)&skb->mark;
	__u16 hi = *(volatile __u16 *)((__u8 *)&skb->mark + 2);
	__u8 proto_hi = *(volatile __u8 *)((char *)&skb->protocol + 1);

	return lo + hi + proto_hi;
}

char LICENSE[] SEC("license") = "GPL";
