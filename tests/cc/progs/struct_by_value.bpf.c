/* Structs passed by value, where clang (19; 14 rejects them) accepts them: to a
 * BPF-to-BPF call when the struct fits one register (1, 2, 4 or 8 bytes, its bytes
 * loaded as an integer), and any size to an always_inline function.
 * RUN: --data-hex 0102030405060708090a0b0c0d0e0f10
 * RUN: --data-hex ff7f80c8ff7f80c8ff7f80c8ff7f80c8
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } out SEC(".maps");

struct pair { __u32 lo, hi; };
struct port { __u16 value; };
struct flow { __u64 bytes; __u32 packets; __u8 proto; };

static __noinline __u64 weigh(struct pair p)
{
	return (__u64)p.hi * 3 + p.lo;
}

static __noinline __u32 swap(struct port p, __u32 salt)
{
	return ((p.value >> 8) | (p.value << 8)) & 0xffff ^ salt;
}

static __always_inline __u64 account(struct flow f, __u64 scale)
{
	if (f.proto == 6)
		return f.bytes * scale + f.packets;
	return f.bytes - f.packets;
}

static void put(__u32 key, __u64 value)
{
	bpf_map_update_elem(&out, &key, &value, BPF_ANY);
}

SEC("xdp") int by_value(struct xdp_md *ctx)
{
	__u8 *d = (void *)(long)ctx->data;
	struct pair p;
	struct port q;
	struct flow f = {};

	if ((void *)(d + 16) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	p.lo = d[0] | d[1] << 8;
	p.hi = d[2];
	q.value = d[3] << 8 | d[4];
	f.bytes = d[5] * 1000 + d[6];
	f.packets = d[7];
	f.proto = d[8] & 7;
	put(0, weigh(p));
	put(1, swap(q, d[9]));
	put(2, account(f, d[10]));
	return weigh(p) > 1000 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
