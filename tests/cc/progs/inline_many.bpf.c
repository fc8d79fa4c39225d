/* An always_inline helper with seven parameters, more than a BPF-to-BPF call can
 * pass: it is expanded in place (and returns through two paths).
 * RUN: --data-hex 0102030405060708090a0b0c0d0e
 * RUN: --data-hex ff7f80c8ff7f80c8ff7f80c8ff7f
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } out SEC(".maps");

static __always_inline long mix(long a, long b, long c, long d, long e, long f, long g)
{
	long s = a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g;

	if (s > 1000)
		return s - 1000;
	return s;
}

SEC("xdp") int p(struct xdp_md *ctx)
{
	__u8 *d = (void *)(long)ctx->data;
	__u32 k = 0;
	__u64 v;

	if ((void *)(d + 8) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	v = mix(d[0], d[1], d[2], d[3], d[4], d[5], d[6]) + mix(100, 200, 0, 0, 0, 0, 1);
	bpf_map_update_elem(&out, &k, &v, BPF_ANY);
	return XDP_PASS;
}
char L[] SEC("license") = "GPL";
