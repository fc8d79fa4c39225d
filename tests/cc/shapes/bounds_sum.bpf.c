/* The packet bounds-check idiom with a variable offset: `if (data + off + N > end)`
 * then `p = data + off`. data + off is computed once, so the pointer the verifier
 * found in range is the one dereferenced (a recomputed sum is a new pointer with no
 * range), as clang does; also inside an extension-header style loop.
 * RUN: --data-hex 0300000000aabbccdd000000
 * RUN: --data-hex 02000011223344
 * RUN: --data-hex 3f
 * SHAPE: r0 = *(u8 *)(r3 + 1)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u8 *p;
	__u32 off;

	if (data + 1 > end)
		return XDP_ABORTED;
	off = *(__u8 *)data & 0x3f;
	if (data + off + 2 > end)
		return XDP_DROP;
	p = data + off;
	return p[1];
}

SEC("xdp")
int walk(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 off = 0, sum = 0;

	for (int i = 0; i < 4; i++) {
		__u8 *h;

		if (data + off + 2 > end)
			break;
		h = data + off;
		sum += h[1];
		off += (h[0] & 7) + 2;
		off &= 0xff;
	}
	return sum & 3;
}

char LICENSE[] SEC("license") = "GPL";
