/* An unrolled extension-header walk switching on the next protocol, with cases that
 * share their code (tests/cc/progs/ipv6_ext reduced): tested as one bit test, the
 * protocol stays unknown after the switch, so the verifier's states merge across the
 * cases; a compare chain made it a constant per case and the walk processed 6x the
 * insns of clang's object.
 * RUN: --data-hex 00112233445566778899aabb86dd3c2c0000000000000011000000000000000000
 * RUN: --data-hex 00112233445566778899aabb86dd2b00000000002b01000000000000060000000000000000
 * RUN: --data-hex 00112233445566778899aabb86dd000100000000000000000000000000000000000000000000
 * RUN: --data-hex 00112233445566778899aabb86dd11
 * NOSHAPE: == 43 goto
 * PROCESSED: clang
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct ext_hdr {
	__u8 nexthdr;
	__u8 hdrlen;
	__u8 type;
	__u8 rest;
};

SEC("xdp")
int walk(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	__u32 off = 15, proto;
	struct ext_hdr *eh;

	if (data + off > data_end)
		return XDP_PASS;
	proto = *(__u8 *)(data + 14);
	for (int i = 0; i < 6; i++) {
		switch (proto) {
		case 0:
		case 60:
		case 43:
		case 44:
			break;
		default:
			return 100 + proto;
		}
		off &= 0xff;
		if (data + off + sizeof(*eh) > data_end)
			return XDP_DROP;
		eh = data + off;
		if (proto == 43 && eh->type == 0)
			return XDP_DROP;
		off += proto == 44 ? 8 : (eh->hdrlen + 1) * 8;
		proto = eh->nexthdr;
	}
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
