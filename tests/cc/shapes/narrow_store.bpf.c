/* Small peepholes clang's object has: a 1- or 2-byte store of a truncated value
 * takes no mask first (`w1 &= 65535` before `*(u16 *)(r0 + 2) = r1`: the store
 * truncates anyway), and chained constant adds of one pointer merge
 * (`r2 += 14; r2 += 4` is `r2 += 18`).
 * RUN: --data-hex 00112233445566778899aabb0800c0a80102ffff
 * RUN: --data-hex 00112233445566778899aabb08000a000001
 * NOSHAPE: &= 65535
 * NOSHAPE: &= 255
 * NOSHAPE: += 14
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct rec {
	__u8 kind;
	__u8 flags;
	__u16 port;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rec);
} recs SEC(".maps");

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 key = 0, v;
	struct rec *r;

	r = bpf_map_lookup_elem(&recs, &key);
	if (!r)
		return XDP_ABORTED;
	if (data + 14 + 4 > end)
		return XDP_DROP;
	v = *(__u32 *)(data + 14);
	r->port = v;
	r->kind = v >> 16;
	r->flags = v >> 24;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
