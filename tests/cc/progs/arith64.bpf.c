/* 64-bit and mixed-width arithmetic corners on packet-supplied values (nothing
 * folds): arithmetic vs logical right shifts of signed/unsigned 64- and 32-bit values,
 * shifts by 31/32/63, signed vs unsigned compares across widths (int vs unsigned,
 * long vs unsigned int, char vs unsigned char), integer promotions of char and
 * short operands, wrap-around of unsigned and INT64_MIN negation (as unsigned), a
 * 64x64->128 high half and a signed division done by hand (clang 14 has no sdiv),
 * unsigned 64-bit division and modulo, sign extension through casts. Results are
 * stored in an array map.
 * RUN: --data-hex 00000000000000800100000000000000ffffffff00000000feffffffffff0080
 * RUN: --data-hex 1032547698badcfe0700000000000000050000000000000000000080017f80ff
 * RUN: --data-hex ffffffffffffffff3f00000000000000f6ffffffffffffff01000000ff00ff7f
 * RUN: --data-hex 79df0d8648700000ffffffffffff0000f9ffffffffffffff005ed0b264c82c01
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 104

struct input {
	__s64 a;
	__u64 b;
	__s64 c;
	__s32 d;
	__s8 e;
	__u8 f;
	__s16 g;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} res SEC(".maps");

static __u32 base;

static __always_inline void put(__u32 i, __u64 v)
{
	__u32 k = base + i;

	bpf_map_update_elem(&res, &k, &v, BPF_ANY);
}

/* high 64 bits of an unsigned 64x64 product, from 32-bit halves */
static __noinline __u64 mulhi(__u64 x, __u64 y)
{
	__u64 xl = x & 0xffffffff, xh = x >> 32, yl = y & 0xffffffff, yh = y >> 32;
	__u64 ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
	__u64 mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);

	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* truncating signed division without sdiv */
static __noinline __s64 sdiv64(__s64 n, __s64 d)
{
	__u64 un = n < 0 ? -(__u64)n : (__u64)n;
	__u64 ud = d < 0 ? -(__u64)d : (__u64)d;
	__u64 q;

	if (ud == 0)
		return 0;
	q = un / ud;
	return (n < 0) != (d < 0) ? -(__s64)q : (__s64)q;
}

SEC("xdp")
int arith64(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct input in;
	unsigned int sh;

	if (data + sizeof(in) > end)
		return XDP_ABORTED;
	__builtin_memcpy(&in, data, sizeof(in));
	sh = in.b & 63;

	put(0, in.a >> sh);                       /* arithmetic */
	put(1, (__u64)in.a >> sh);                /* logical */
	put(2, (__u64)(in.d >> 31));              /* int: all ones or zero, sign-extended */
	put(3, (__u32)in.d >> (sh & 31));
	put(4, (__u64)in.d << 32 >> 32);          /* zero-extend by shifts, as unsigned */
	put(5, (__u64)((__s64)in.d << 32 >> 32)); /* sign-extend by shifts */
	put(6, in.d < 0u);                        /* int vs unsigned: converted, never less */
	put(7, (long)in.d < 4000000000u);         /* long vs unsigned int: a signed compare */
	put(8, in.e < in.f);                      /* both promoted to int */
	put(9, (__u8)in.e < in.f);
	put(10, (__u64)(in.e * in.g));            /* int product, sign-extended */
	put(11, (__u64)(unsigned short)(in.f << 8 | in.f) * 65537);
	put(12, in.b - in.c);                     /* unsigned wrap */
	put(13, -(__u64)in.a);                    /* INT64_MIN stays INT64_MIN */
	put(14, in.c < (__s64)in.b);
	put(15, (__u64)in.c < in.b);
	put(16, mulhi(in.a, in.b | 1));
	put(17, (__u64)in.a * (in.b | 1));
	put(18, sdiv64(in.a, in.c));
	put(19, sdiv64(in.c, in.d));
	put(20, in.b ? (__u64)in.a / in.b : 0);
	put(21, in.b ? (__u64)in.a % in.b : 0);
	put(22, (__u64)(__s64)(__s32)(__u32)in.a);
	put(23, (__u64)(__s16)in.g * (__u16)in.g);
	put(24, (in.a ^ in.c) < 0 ? 1 : 2);
	put(25, in.d == -2 ? (__u64)in.a >> 63 : (__u64)in.a >> 32);
	base += 26;
	if (base > SLOTS - 26)
		base = 0;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
