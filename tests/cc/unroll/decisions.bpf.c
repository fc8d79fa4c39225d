/* decisions.bpf.c - one counted loop per program, each with a side effect clang cannot
 * compute away: unroll.sh checks that ebpf-cc -O2 keeps a loop exactly where clang -O2
 * does (sizes around clang's limit, exits that depend on run-time values, every
 * pragma form). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 g[256];
__u64 h[64];

/* sizes: clang unrolls 16 x 10, 24 x 10 and 8 x 33, keeps 32 x 10, 12 x 33, 100 x 8 */
SEC("xdp") int store16(struct xdp_md *c)
{
	for (int i = 0; i < 16; i++)
		g[i] = i * c->ingress_ifindex;
	return 0;
}

SEC("xdp") int store32(struct xdp_md *c)
{
	for (int i = 0; i < 32; i++)
		g[i] = i * c->ingress_ifindex;
	return 0;
}

SEC("xdp") int chain24(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < 24; i++)
		s += g[i] ^ (s << 1);
	return s;
}

SEC("xdp") int body8(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < 8; i++) {
		s += g[i] ^ (s << 1);
		s *= g[i + 8];
		s ^= h[i] >> 3;
		if (s > 100)
			s -= g[i + 16];
	}
	return s;
}

SEC("xdp") int body12(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < 12; i++) {
		s += g[i] ^ (s << 1);
		s *= g[i + 8];
		s ^= h[i] >> 3;
		if (s > 100)
			s -= g[i + 16];
	}
	return s;
}

SEC("xdp") int sum100(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < 100; i++)
		s += g[i];
	return s;
}

SEC("xdp") int two_loads20(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < 20; i++) {
		s += g[i];
		s ^= g[i + 20] * 3;
	}
	return s;
}

/* exits: a break on a run-time value, an exit test that reads memory */
SEC("xdp") int breaks(struct xdp_md *c)
{
	__u32 s = 0;

	for (int i = 0; i < 4; i++) {
		if (!g[i + (c->ingress_ifindex & 7)])
			break;
		s += g[i];
	}
	return s;
}

SEC("xdp") int bounded(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < 4 && g[i]; i++)
		s += g[i];
	return s;
}

/* pragmas */
SEC("xdp") int pragma_nounroll(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma nounroll
	for (int i = 0; i < 4; i++)
		s += g[i];
	return s;
}

SEC("xdp") int pragma_count2(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma unroll 2
	for (int i = 0; i < 6; i++)
		s = s * 3 + g[i];
	return s;
}

SEC("xdp") int pragma_gcc8(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma GCC unroll 8
	for (int i = 0; i < 6; i++)
		s = s * 5 + g[i];
	return s;
}

SEC("xdp") int pragma_full40(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma clang loop unroll(full)
	for (int i = 0; i < 40; i++)
		s += g[i];
	return s;
}

SEC("xdp") int pragma_disable(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 3; i++)
		s = s * 2 + g[i];
	return s;
}

SEC("xdp") int pragma_unroll64(struct xdp_md *c)
{
#pragma unroll
	for (int i = 0; i < 64; i++)
		h[i] += g[i + (c->ingress_ifindex & 7)];
	return 0;
}

SEC("xdp") int pragma_count16(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma clang loop unroll_count(16)
	for (int i = 15; i >= 0; i--)
		s = s * 2 + (g[i] & 1);
	return s;
}

/* the pragma from a macro, as libbpf-style code writes it; a count in parentheses */
#define UNROLL _Pragma("unroll")

SEC("xdp") int pragma_operator40(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

	UNROLL
	for (int i = 0; i < 40; i++)
		s ^= g[i] + i;
	return s;
}

SEC("xdp") int pragma_count_paren3(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma unroll(3)
	for (int i = 0; i < 6; i++)
		s = s * 7 + g[i];
	return s;
}

SEC("xdp") int pragma_enable(struct xdp_md *c)
{
	__u32 s = c->ingress_ifindex;

#pragma clang loop unroll(enable)
	for (int i = 0; i < 30; i++)
		s = s * 7 + g[i];
	return s;
}

/* the bound is a const parameter of an always_inline function, constant once inlined */
static __always_inline __u32 mix(struct xdp_md *c, const int n)
{
	__u32 s = c->ingress_ifindex;

	for (int i = 0; i < n; i++)
		s = s * 7 + g[i];
	return s;
}

SEC("xdp") int inline_bound(struct xdp_md *c)
{
	return mix(c, 6);
}

char LICENSE[] SEC("license") = "GPL";
