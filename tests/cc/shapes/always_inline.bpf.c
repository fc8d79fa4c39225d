/* static __always_inline functions are expanded at every call, as clang does: a
 * header-cursor helper that bounds-checks and returns a packet pointer only works
 * inlined (a BPF-to-BPF call's returned pointer is checked again in the caller),
 * and values live across the loop stay in registers.
 * RUN: --data-hex 00112233445566778899aabb81000064810000c808004500
 * RUN: --data-hex 00112233445566778899aabb0800
 * RUN: --data-hex 0011
 * NOSHAPE: call header
 * NOSHAPE: call vlan_id
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct cursor {
	void *pos;
};

static __always_inline void *header(struct xdp_md *ctx, __u16 off, __u16 len)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	off &= 0xff;
	if (data + off + len > end)
		return 0;
	return data + off;
}

static __always_inline __u16 vlan_id(__be16 tci)
{
	return bpf_ntohs(tci) & 0x0fff;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u16 off = ETH_HLEN, id = 0;
	__be16 *proto = header(ctx, 12, 2);

	if (!proto)
		return XDP_ABORTED;
	for (int i = 0; i < 2 && *proto == bpf_htons(ETH_P_8021Q); i++) {
		__be16 *tag = header(ctx, off, 4);

		if (!tag)
			return XDP_DROP;
		id += vlan_id(tag[0]);
		proto = tag + 1;
		off += 4;
	}
	return id & 3;
}

char LICENSE[] SEC("license") = "GPL";
