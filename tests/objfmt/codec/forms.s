# forms.s - every instruction form of the opcode table, for llvm-mc-19 -triple bpf -mattr=+alu32.
# Rows LLVM cannot assemble (pseudo ld_imm64 kinds, call kinds, ld_ind with imm) are .quad words.
	.text
	.globl forms
	.type forms,@function
forms:
	r1 += r2
	r3 += 7
	r10 += -2147483648
	r0 += 2147483647
	r9 += r10
	w1 += w2
	w3 += 7
	w10 += -2147483648
	w0 += 2147483647
	w9 += w10
	r1 -= r2
	r3 -= 7
	r10 -= -2147483648
	r0 -= 2147483647
	r9 -= r10
	w1 -= w2
	w3 -= 7
	w10 -= -2147483648
	w0 -= 2147483647
	w9 -= w10
	r1 *= r2
	r3 *= 7
	r10 *= -2147483648
	r0 *= 2147483647
	r9 *= r10
	w1 *= w2
	w3 *= 7
	w10 *= -2147483648
	w0 *= 2147483647
	w9 *= w10
	r1 /= r2
	r3 /= 7
	r10 /= -2147483648
	r0 /= 2147483647
	r9 /= r10
	w1 /= w2
	w3 /= 7
	w10 /= -2147483648
	w0 /= 2147483647
	w9 /= w10
	r1 |= r2
	r3 |= 7
	r10 |= -2147483648
	r0 |= 2147483647
	r9 |= r10
	w1 |= w2
	w3 |= 7
	w10 |= -2147483648
	w0 |= 2147483647
	w9 |= w10
	r1 &= r2
	r3 &= 7
	r10 &= -2147483648
	r0 &= 2147483647
	r9 &= r10
	w1 &= w2
	w3 &= 7
	w10 &= -2147483648
	w0 &= 2147483647
	w9 &= w10
	r1 <<= r2
	r3 <<= 7
	r10 <<= -2147483648
	r0 <<= 2147483647
	r9 <<= r10
	w1 <<= w2
	w3 <<= 7
	w10 <<= -2147483648
	w0 <<= 2147483647
	w9 <<= w10
	r1 >>= r2
	r3 >>= 7
	r10 >>= -2147483648
	r0 >>= 2147483647
	r9 >>= r10
	w1 >>= w2
	w3 >>= 7
	w10 >>= -2147483648
	w0 >>= 2147483647
	w9 >>= w10
	r1 %= r2
	r3 %= 7
	r10 %= -2147483648
	r0 %= 2147483647
	r9 %= r10
	w1 %= w2
	w3 %= 7
	w10 %= -2147483648
	w0 %= 2147483647
	w9 %= w10
	r1 ^= r2
	r3 ^= 7
	r10 ^= -2147483648
	r0 ^= 2147483647
	r9 ^= r10
	w1 ^= w2
	w3 ^= 7
	w10 ^= -2147483648
	w0 ^= 2147483647
	w9 ^= w10
	r1 = r2
	r3 = 7
	r10 = -2147483648
	r0 = 2147483647
	r9 = r10
	w1 = w2
	w3 = 7
	w10 = -2147483648
	w0 = 2147483647
	w9 = w10
	r1 s>>= r2
	r3 s>>= 7
	r10 s>>= -2147483648
	r0 s>>= 2147483647
	r9 s>>= r10
	w1 s>>= w2
	w3 s>>= 7
	w10 s>>= -2147483648
	w0 s>>= 2147483647
	w9 s>>= w10
	r1 s/= r2
	r3 s/= 7
	r10 s/= -2147483648
	r0 s/= 2147483647
	r9 s/= r10
	w1 s/= w2
	w3 s/= 7
	w10 s/= -2147483648
	w0 s/= 2147483647
	w9 s/= w10
	r1 s%= r2
	r3 s%= 7
	r10 s%= -2147483648
	r0 s%= 2147483647
	r9 s%= r10
	w1 s%= w2
	w3 s%= 7
	w10 s%= -2147483648
	w0 s%= 2147483647
	w9 s%= w10
	r4 = -r4
	w4 = -w4
	r1 = be16 r1
	r2 = le16 r2
	r3 = bswap16 r3
	r1 = be32 r1
	r2 = le32 r2
	r3 = bswap32 r3
	r1 = be64 r1
	r2 = le64 r2
	r3 = bswap64 r3
	r1 = (s8)r2
	r1 = (s16)r2
	r1 = (s32)r2
	w1 = (s8)w2
	w1 = (s16)w2
	r5 = 0 ll
	r5 = -1 ll
	r5 = 0x123456789 ll
	r5 = -9223372036854775808 ll
	r5 = 9223372036854775807 ll
	r5 = 4294967295 ll
	r0 = *(u8 *)skb[4]
	r0 = *(u8 *)skb[r3]
	r0 = *(u8 *)skb[-8]
	r0 = *(u16 *)skb[4]
	r0 = *(u16 *)skb[r3]
	r0 = *(u16 *)skb[-8]
	r0 = *(u32 *)skb[4]
	r0 = *(u32 *)skb[r3]
	r0 = *(u32 *)skb[-8]
	r1 = *(u8 *)(r2 + 0)
	r1 = *(u8 *)(r10 - 32768)
	r0 = *(u8 *)(r9 + 32767)
	*(u8 *)(r1 - 8) = r2
	*(u8 *)(r10 + 0) = r0
	*(u8 *)(r1 + 4) = 7
	*(u8 *)(r1 - 4) = -1
	r1 = *(u16 *)(r2 + 0)
	r1 = *(u16 *)(r10 - 32768)
	r0 = *(u16 *)(r9 + 32767)
	*(u16 *)(r1 - 8) = r2
	*(u16 *)(r10 + 0) = r0
	*(u16 *)(r1 + 4) = 7
	*(u16 *)(r1 - 4) = -1
	r1 = *(u32 *)(r2 + 0)
	r1 = *(u32 *)(r10 - 32768)
	r0 = *(u32 *)(r9 + 32767)
	*(u32 *)(r1 - 8) = r2
	*(u32 *)(r10 + 0) = r0
	*(u32 *)(r1 + 4) = 7
	*(u32 *)(r1 - 4) = -1
	r1 = *(u64 *)(r2 + 0)
	r1 = *(u64 *)(r10 - 32768)
	r0 = *(u64 *)(r9 + 32767)
	*(u64 *)(r1 - 8) = r2
	*(u64 *)(r10 + 0) = r0
	*(u64 *)(r1 + 4) = 7
	*(u64 *)(r1 - 4) = -1
	r1 = *(s8 *)(r2 + 1)
	r1 = *(s8 *)(r2 - 2)
	r1 = *(s16 *)(r2 + 1)
	r1 = *(s16 *)(r2 - 2)
	r1 = *(s32 *)(r2 + 1)
	r1 = *(s32 *)(r2 - 2)
	lock *(u64 *)(r1 + 8) += r2
	lock *(u64 *)(r10 - 16) += r0
	lock *(u64 *)(r1 + 8) |= r2
	lock *(u64 *)(r10 - 16) |= r0
	lock *(u64 *)(r1 + 8) &= r2
	lock *(u64 *)(r10 - 16) &= r0
	lock *(u64 *)(r1 + 8) ^= r2
	lock *(u64 *)(r10 - 16) ^= r0
	r0 = atomic_fetch_add((u64 *)(r1 + 0), r0)
	r3 = atomic_fetch_add((u64 *)(r1 - 4), r3)
	r0 = atomic_fetch_or((u64 *)(r1 + 0), r0)
	r3 = atomic_fetch_or((u64 *)(r1 - 4), r3)
	r0 = atomic_fetch_and((u64 *)(r1 + 0), r0)
	r3 = atomic_fetch_and((u64 *)(r1 - 4), r3)
	r0 = atomic_fetch_xor((u64 *)(r1 + 0), r0)
	r3 = atomic_fetch_xor((u64 *)(r1 - 4), r3)
	r2 = xchg_64(r1 + 8, r2)
	r0 = cmpxchg_64(r1 + 8, r0, r2)
	lock *(u32 *)(r1 + 8) += w2
	lock *(u32 *)(r10 - 16) += w0
	lock *(u32 *)(r1 + 8) |= w2
	lock *(u32 *)(r10 - 16) |= w0
	lock *(u32 *)(r1 + 8) &= w2
	lock *(u32 *)(r10 - 16) &= w0
	lock *(u32 *)(r1 + 8) ^= w2
	lock *(u32 *)(r10 - 16) ^= w0
	w0 = atomic_fetch_add((u32 *)(r1 + 0), w0)
	w3 = atomic_fetch_add((u32 *)(r1 - 4), w3)
	w0 = atomic_fetch_or((u32 *)(r1 + 0), w0)
	w3 = atomic_fetch_or((u32 *)(r1 - 4), w3)
	w0 = atomic_fetch_and((u32 *)(r1 + 0), w0)
	w3 = atomic_fetch_and((u32 *)(r1 - 4), w3)
	w0 = atomic_fetch_xor((u32 *)(r1 + 0), w0)
	w3 = atomic_fetch_xor((u32 *)(r1 - 4), w3)
	w2 = xchg32_32(r1 + 8, w2)
	w0 = cmpxchg32_32(r1 + 8, w0, w2)
	if r1 == r2 goto +1
	if r3 == 5 goto -3
	if r0 == -2147483648 goto +0
	if r1 > r2 goto +1
	if r3 > 5 goto -3
	if r0 > -2147483648 goto +0
	if r1 >= r2 goto +1
	if r3 >= 5 goto -3
	if r0 >= -2147483648 goto +0
	if r1 & r2 goto +1
	if r3 & 5 goto -3
	if r0 & -2147483648 goto +0
	if r1 != r2 goto +1
	if r3 != 5 goto -3
	if r0 != -2147483648 goto +0
	if r1 s> r2 goto +1
	if r3 s> 5 goto -3
	if r0 s> -2147483648 goto +0
	if r1 s>= r2 goto +1
	if r3 s>= 5 goto -3
	if r0 s>= -2147483648 goto +0
	if r1 < r2 goto +1
	if r3 < 5 goto -3
	if r0 < -2147483648 goto +0
	if r1 <= r2 goto +1
	if r3 <= 5 goto -3
	if r0 <= -2147483648 goto +0
	if r1 s< r2 goto +1
	if r3 s< 5 goto -3
	if r0 s< -2147483648 goto +0
	if r1 s<= r2 goto +1
	if r3 s<= 5 goto -3
	if r0 s<= -2147483648 goto +0
	if w1 == w2 goto +1
	if w3 == 5 goto -3
	if w0 == -2147483648 goto +0
	if w1 > w2 goto +1
	if w3 > 5 goto -3
	if w0 > -2147483648 goto +0
	if w1 >= w2 goto +1
	if w3 >= 5 goto -3
	if w0 >= -2147483648 goto +0
	if w1 & w2 goto +1
	if w3 & 5 goto -3
	if w0 & -2147483648 goto +0
	if w1 != w2 goto +1
	if w3 != 5 goto -3
	if w0 != -2147483648 goto +0
	if w1 s> w2 goto +1
	if w3 s> 5 goto -3
	if w0 s> -2147483648 goto +0
	if w1 s>= w2 goto +1
	if w3 s>= 5 goto -3
	if w0 s>= -2147483648 goto +0
	if w1 < w2 goto +1
	if w3 < 5 goto -3
	if w0 < -2147483648 goto +0
	if w1 <= w2 goto +1
	if w3 <= 5 goto -3
	if w0 <= -2147483648 goto +0
	if w1 s< w2 goto +1
	if w3 s< 5 goto -3
	if w0 s< -2147483648 goto +0
	if w1 s<= w2 goto +1
	if w3 s<= 5 goto -3
	if w0 s<= -2147483648 goto +0
	goto +2
	goto -5
	goto +0
	gotol +5
	gotol -3
	call 1
	call 211
	call -1
	callx r3
	.quad 0x0000000500001118
	.quad 0x0000000000000000
	.quad 0x0000000500002118
	.quad 0x0000001000000000
	.quad 0x0000000700003118
	.quad 0x0000000000000000
	.quad 0x0000000200004118
	.quad 0x0000000000000000
	.quad 0x0000000300005118
	.quad 0x0000000000000000
	.quad 0x0000000300006118
	.quad 0x0000000400000000
	.quad 0x0000000700002085  # call kfunc 7
	.quad 0x0000000300001085  # call local +3
	.quad 0xfffffff000001085  # call local -16
	.quad 0x0000000400001040  # ldindw r1 with imm
	exit
