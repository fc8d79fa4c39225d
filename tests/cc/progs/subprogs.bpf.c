/* Function kinds a larger program is split into: global functions the kernel
 * verifies on their own (one taking the XDP context, one taking a nullable pointer
 * to a struct and narrow integer arguments it must not trust to be zero-extended),
 * static __noinline subprograms two calls deep with five arguments, 64-bit results,
 * a stack array passed down, and an always_inline helper; results in a hash map keyed
 * by a small enum.
 * O0-REFUSED: ebpf-cc -O0 does not extend a global function's narrow arguments (done
 *   at -O2); clang -O0 calls helpers through a register (callx), which the kernel
 *   refuses too.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006f97bc0a80001c0a800020050d43100000001000000005012200039fc0000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000083a40
 * RUN: --data-hex 00112233445566778899aabb0800000000000000000000000000000000000000000000000000000000
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

enum result_key { R_PROTO, R_SUM, R_PICK, R_SCALED, R_DEPTH, R_LEN, R_MAX };

struct pair {
	__u32 lo;
	__u32 hi;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

__u64 lookup_table[16] = { 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987 };

static __always_inline void record(enum result_key k, __u64 v)
{
	__u32 key = k;

	bpf_map_update_elem(&results, &key, &v, BPF_ANY);
}

/* A global function: verified once for any context, so it checks everything itself. */
__noinline int l3_proto(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	return bpf_ntohs(eth->h_proto);
}

/* A global function with a nullable struct pointer and narrow scalar arguments. */
__noinline __u64 scaled_pick(struct pair *p, __u8 index, __u16 scale)
{
	if (!p)
		return 0;
	if (index >= 16)
		return p->hi;
	return lookup_table[index] * scale + p->lo;
}

static __noinline __u64 fold3(__u64 a, __u64 b, __u64 c)
{
	return (a * 31 + b) * 31 + c;
}

static __noinline __u64 combine(__u64 a, __u32 b, __u16 c, __u8 d, __s8 e)
{
	return fold3(a, (__u64)b << 16 | c, (__s64)e * d);
}

static __noinline __u32 pick_hi(struct pair *pairs, int which)
{
	return which & 1 ? pairs[1].hi : pairs[0].hi;
}

SEC("xdp")
int subprogs(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	struct pair pairs[2] = { { .lo = len, .hi = 70 }, { .lo = len + 2, .hi = 90 } };
	int proto = l3_proto(ctx);

	record(R_PROTO, (__u64)(__s64)proto);
	record(R_SUM, combine(len, proto, len * 3, proto & 0xff, (__s8)(len - 100)));
	record(R_PICK, pick_hi(pairs, len));
	record(R_SCALED, scaled_pick(&pairs[proto & 1], len & 0x1f, 1000));
	record(R_DEPTH, scaled_pick(0, 1, 1));
	record(R_LEN, len);
	return proto == ETH_P_IP ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
