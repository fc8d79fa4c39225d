/* unroll.bpf.c - counted loops ebpf-cc unrolls fully (each copy of the body sees the
 * induction variable as a constant: skb->cb[i] becomes a ctx access at a constant
 * offset, which the verifier requires) and loops it must keep, with the C semantics
 * that unrolling has to preserve: break, continue, switch and case labels (the
 * switch value constant in each copy, or not), nested loops, declarations in the
 * body, goto out of the loop, the value of an induction variable declared outside
 * the loop, narrow counters that wrap, steps and compares of every kind, exits that
 * also depend on run-time values, and every pragma form (`unroll`, `unroll N`,
 * `nounroll`, `GCC unroll N`, `clang loop unroll(...)`).
 * Each result goes to the `out` map, compared with clang's twin.
 * RUN: --data-hex 00112233445566778899aabb080045000028000100004006b025c0a800010a0000010d050050000000010000000050022000b7e20000
 * RUN: --data-hex 00112233445566778899aabb86dd6000000000073a40fe800000000000000000000000000001fe8000000000000000000000000000028000000000000000ff
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 24);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

__u32 table[16] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3 };

static __always_inline void put(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&out, &slot, &value, BPF_ANY);
}

static __always_inline __u32 weight(__u32 x)
{
	return table[x & 15] * 2 + 1;
}

/* ctx array members: only constant offsets verify */
static __always_inline void ctx_arrays(struct __sk_buff *skb)
{
	int i;

#pragma unroll
	for (i = 0; i < 5; i++)
		skb->cb[i] = skb->len * (i + 1);
	put(0, skb->cb[0] + skb->cb[1] + skb->cb[2] + skb->cb[3] + skb->cb[4] + i);

	__u64 acc = 0;
#pragma clang loop unroll(full)
	for (int k = 0; k < 8; k++) {
		if (k == 1)
			continue;
		if (skb->cb[k & 3] > skb->len * 3)
			break;
		acc += k * 3 + skb->cb[k % 5];
	}
	put(1, acc);
}

/* break, goto and the final value of a variable declared before the loop */
static __always_inline void exits(struct __sk_buff *skb)
{
	int j, m;

	for (j = 0; j < 6; j++)
		if (j * skb->len > 150)
			break;
	put(2, j);
	for (m = 2; m < 40; m += 7)
		if (table[m & 15] == skb->len % 10)
			goto found;
	m = 100;
found:
	put(3, m);
}

/* switch with fallthrough and default in the body; nested loops */
static __always_inline void bodies(struct __sk_buff *skb)
{
	__u64 acc = 0;

	for (int k = 0; k < 4; k++) {
		switch (k + (skb->len & 1)) {
		case 0:
			acc += 1;
			break;
		case 2:
			acc += 100;
			/* fallthrough */
		default:
			acc += 10;
		}
	}
	put(4, acc);
	acc = 0;
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < a; b++)
			acc += a * 10 + b;
	put(5, acc);
	acc = 0;
	for (int a = 0; a < 3; a++) {
		__u32 w = weight(a + skb->len);
		__u8 bytes[4] = { a, a + 1, a + 2, a + 3 };

		acc = acc * 7 + w + bytes[a];
	}
	put(6, acc);
	acc = 0;
#pragma unroll
	for (int k = -2; k < 5; k++) { /* each copy's switch has a constant value */
		switch (k) {
		case -2 ... -1:
			acc += 1000;
			break;
		case 1:
			acc += 100;
			/* fallthrough */
		case 3 ... 4:
			acc += 10;
			break;
		default:
			acc += 1;
		}
	}
	put(20, acc);
	acc = skb->len;
#pragma unroll
	for (__u32 u = 0xfffffffe; u != 2; u++) {
		switch (u) {
		case 0xffffffff:
			acc += 7;
			break;
		case 0 ... 1:
			acc += u + 1;
			break;
		default:
			acc *= 3;
		}
	}
	put(21, acc);
}

/* narrow counters, steps, compares */
static __always_inline void counters(struct __sk_buff *skb)
{
	__u64 acc = 0;
	unsigned char c;

	for (c = 250; c != 4; c++) /* wraps through 255 to 0 */
		acc += c;
	put(7, acc + c);
	acc = 0;
	for (int d = 10; d > 0; d -= 3)
		acc = acc * 16 + d;
	put(8, acc);
	acc = 0;
	for (long e = -3; e <= 3; e++)
		acc += (__u64)(e * e * e) ^ skb->len;
	put(9, acc);
	acc = 0;
	for (__u32 u = 1; u < 200; u <<= 1)
		acc += u * table[u & 15];
	put(10, acc);
	acc = 0;
	for (signed char s = -120; s > -128 && s < 0; s -= 2) /* stops before it wraps */
		acc += (__u8)s;
	put(11, acc);
}

/* exits that depend on run-time values, and loops that stay loops */
static __always_inline void kept(struct __sk_buff *skb)
{
	__u64 acc = 0;
	int i;

	for (i = 0; i < 4 && table[i + (skb->len & 3)] != 4; i++)
		acc += table[i];
	put(12, acc * 10 + i);
	acc = 0;
#pragma nounroll
	for (int k = 0; k < 6; k++)
		acc += table[k] * k;
	put(13, acc);
	acc = 0;
#pragma unroll 2
	for (int k = 0; k < 6; k++)
		acc = acc * 3 + table[k];
	put(14, acc);
	acc = 0;
#pragma GCC unroll 8
	for (int k = 0; k < 6; k++)
		acc = acc * 5 + table[k + 2];
	put(15, acc);
	acc = 0;
#pragma clang loop unroll(disable)
	for (int k = 0; k < 5; k++)
		acc = acc * 2 + table[k + 4];
	put(16, acc);
	acc = 0;
	for (int k = 0; k < 3; k++) { /* a label in the body: kept */
		if (k == 1)
			goto next;
		acc += k * 10;
next:
		acc += 1;
	}
	put(17, acc);
	acc = 0;
#pragma unroll
	for (__u32 k = 0; k < skb->len && k < 10; k++) /* run-time bound under a pragma */
		acc += table[k];
	put(18, acc);
	acc = 0;
#pragma clang loop unroll_count(16)
	for (int k = 15; k >= 0; k--)
		acc = acc * 2 + (table[k] & 1);
	put(19, acc);
}

SEC("tc")
int unroll(struct __sk_buff *skb)
{
	ctx_arrays(skb);
	exits(skb);
	bodies(skb);
	counters(skb);
	kept(skb);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
