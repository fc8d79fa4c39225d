/* Integer semantics on values only known at run time (read from the packet, so
 * nothing folds): sign and zero extension of char/short, mixed signed/unsigned
 * compares, shifts by variable amounts, unsigned 64-bit division and modulo,
 * byte swaps, conditional pointers, struct copies from packet
 * memory, bitfield writes. (clang 14 cannot divide signed values, so neither is here.)
 * RUN: --data-hex 80ff7f01fe031f00f0debc9a00000000efcdab8967452301f9ffffff0000000000000000
 * RUN: --data-hex 010280ff04052a0008091011121314151617181920212223faffff7f0000000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __s64);
} out SEC(".maps");

struct hdr {
	__s8 sc;
	__u8 uc;
	__s16 ss;
	__u16 us;
	__u8 shift;
	__u8 pad;
	__u32 word;
	__u64 wide;
	__s32 neg;
};

struct bits {
	unsigned int lo : 4, mid : 9, hi : 19;
};

static __always_inline void put(__u32 slot, __s64 v)
{
	bpf_map_update_elem(&out, &slot, &v, BPF_ANY);
}

SEC("xdp")
int arith(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct hdr *h = data, copy;
	struct bits b = { 0 };
	__u64 divisor;

	if ((void *)(h + 1) > end)
		return XDP_ABORTED;
	copy = *h;
	put(0, copy.sc + copy.uc);                 /* -128 + 255 or 1 + 2 */
	put(1, copy.ss * 3 + copy.us);
	put(2, copy.sc < copy.uc);                 /* both promote to int */
	put(3, (unsigned)copy.sc > copy.word);     /* sign-extended then unsigned */
	put(4, copy.word << (copy.shift & 31));
	put(5, (__s64)copy.neg >> (copy.shift & 15));
	put(6, copy.wide >> (copy.shift & 63));
	divisor = copy.us | 1;
	put(7, copy.wide / divisor + copy.wide % divisor);
	put(8, (__u32)copy.neg % 7 + (copy.neg >> 3));  /* unsigned mod, arithmetic shift */
	put(9, bpf_ntohs(copy.us) + bpf_ntohl(copy.word));
	put(10, (copy.uc & 1 ? &copy.sc : (__s8 *)&copy.uc)[0]);
	b.mid = copy.ss;                             /* truncated to 9 bits */
	b.hi = copy.word;
	b.lo = -1;
	put(11, b.lo + b.mid * 16 + b.hi);
	put(12, (__s16)(copy.us + 0x8000));
	put(13, ~copy.wide & 0xffffffff0000ull);
	put(14, -copy.uc - (long)copy.sc);
	put(15, copy.wide * copy.wide + (copy.word ^ copy.neg));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
