/* `data + off` checked against data_end, then dereferenced after a join (a branch
 * that may or may not read through it first): the sum is computed once and reused on
 * both paths, so the pointer the verifier found in range is the one dereferenced (a
 * recomputed `data + off` is a new pointer with no range: the verifier refused it).
 * RUN: --data-hex 2b000000ee990000000000000000
 * RUN: --data-hex 2b000055ef990000000000000000
 * RUN: --data-hex 0f0102030405060708090a0b0c0d
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 proto;
	__u32 off;

	if (data + 1 > end)
		return XDP_ABORTED;
	proto = *(__u8 *)data;
	off = proto & 7;
	if (data + off + 2 > end)
		return XDP_DROP;
	if (proto == 43 && *((__u8 *)data + off + 1) == 0xee)
		return XDP_DROP;
	return *((__u8 *)data + off) + 10;
}

char LICENSE[] SEC("license") = "GPL";
