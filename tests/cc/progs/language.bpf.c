/* C semantics: integer promotions, usual arithmetic conversions, signed vs unsigned
 * compares/shifts/division, pointer arithmetic scaling, structs (nested, anonymous
 * members, bitfields, packed), unions, designated initializers, compound literals,
 * statement expressions, switch with ranges, goto, loops; every result is stored in
 * an array map that the report prints.
 * RUN: --data-hex 0102030405060708090a0b0c0d0e0f10
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define N 31

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, N);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

struct flags {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 4;
	unsigned short d;
};

struct __attribute__((packed)) packed {
	__u8 tag;
	__u32 value;
};

struct outer {
	int kind;
	union {
		struct { __u16 lo, hi; };
		__u32 word;
	};
	struct flags f;
	int arr[3];
};

static __always_inline void put(__u32 slot, __s64 v)
{
	bpf_map_update_elem(&results, &slot, &v, BPF_ANY);
}

static __noinline int classify(int x)
{
	switch (x) {
	case 0:
		return 10;
	case 1 ... 4:
		return 20;
	case 7:
	case 8:
		return 30;
	default:
		return -1;
	}
}

static __noinline int big_switch(long v)
{
	switch (v) {
	case 0x100000000L:
		return 1;
	case -5:
		return 2;
	case 0x7fffffff00000000L ... 0x7fffffff0000ffffL:
		return 3;
	default:
		return 4;
	}
}

static __noinline __u64 sum_to(__u32 n)
{
	__u64 s = 0;

	for (__u32 i = 0; i < n && i < 100; i++) {
		if (i == 3)
			continue;
		s += i;
	}
	return s;
}

SEC("xdp")
int language(struct xdp_md *ctx)
{
	unsigned char uc = 200;
	signed char sc = -5;
	unsigned int u = 3;
	int i = -7;
	long l = -1;
	struct outer o = { .kind = 2, .lo = 0x1234, .hi = 0x5678, .f = { .a = 5, .b = 17, .c = -3 },
			   .arr = { [2] = 9 } };
	struct packed p = { 1, 0x01020304 };
	int *ip = o.arr;
	int k = 0;

	put(0, uc + sc);                         /* int arithmetic: 195 */
	put(1, i < u);                           /* -7 converted to unsigned: 0 */
	put(2, i / 2 + i % 2);                   /* signed division: -3 + -1 */
	put(3, (unsigned)i / 2);                 /* unsigned division */
	put(4, i >> 1);                          /* arithmetic shift */
	put(5, (unsigned)i >> 28);               /* logical shift */
	put(6, l < 0 ? 100 : 200);
	put(7, o.word);                          /* union through anonymous members */
	put(8, o.f.a * 100 + o.f.b * 10 + o.f.c);/* bitfields, signed one too */
	put(9, *(ip + 2) + ip[0]);               /* pointer arithmetic scales by 4 */
	put(10, sizeof(struct packed) * 100 + p.value % 1000);
	put(11, classify(3) + classify(8) + classify(0) + classify(6));
	put(12, sum_to(10));
	put(13, ({ int t = i * i; t + 1; }));     /* statement expression */
	put(14, ((struct flags){ .b = 3 }).b);    /* compound literal */
	o.f.b = 9;
	o.f.c += 2;
	put(15, o.f.b * 1000 + o.f.a * 10 + o.f.c);
	for (;;) {
		k += 3;
		if (k > 10)
			goto done;
	}
done:
	put(16, k);
	do {
		k--;
	} while (k > 5);
	put(17, k);
	put(18, (__s64)(__u32)-1 + (__s64)(int)-1);
	put(19, (short)70000 + (unsigned char)511);
	put(20, !ctx->data_end + !!u + (u && i) + (0 || l));
	put(21, (long)(ctx->data_end - ctx->data) * -3);
	put(22, ~u ^ 0xff);
	put(23, (__u8)(uc << 1) + (uc << 1));
	{
		int x = ctx->data_end - ctx->data, y;
		__u8 c = 250 + (x & 1);
		long z = x;
		int arr2[4] = { 1, 2, 3, 4 };
		int *q = arr2;

		y = ++x * 2;                     /* in-place update, then x read again */
		put(24, x * 100 + y);
		c += 10;                         /* wraps at 8 bits */
		put(25, c);
		z <<= 2;
		z -= 1;
		put(26, z);
		q += 2;
		put(27, *q + q[-1] * 10);
	}
	put(28, big_switch(0x100000000L) * 1000 + big_switch(-5) * 100 +
		big_switch(0x7fffffff00000010L) * 10 + big_switch(7));
	{
		__u8 fill[12];
		__u16 half[3];

		__builtin_memset(fill, 0xa5, sizeof(fill));
		__builtin_memset(half, 0x7f, sizeof(half));
		put(29, half[0] + half[2]);
		put(30, fill[0] + fill[11] + (fill[5] << 8));
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
