# forms.s - every LLVM-dialect instruction form (LLVM 19 spelling), for byte identity
# with llvm-mc-19 -triple bpf -mcpu=v4 (expected output: forms.expected).
	.text
	.globl	prog
	.type	prog,@function
prog:
	r1 += r2
	r3 += 7
	w1 += w2
	w3 += -7
	r1 -= r2
	r3 -= 7
	w1 -= w2
	w3 -= -7
	r1 *= r2
	r3 *= 7
	w1 *= w2
	w3 *= -7
	r1 /= r2
	r3 /= 7
	w1 /= w2
	w3 /= -7
	r1 %= r2
	r3 %= 7
	w1 %= w2
	w3 %= -7
	r1 |= r2
	r3 |= 7
	w1 |= w2
	w3 |= -7
	r1 &= r2
	r3 &= 7
	w1 &= w2
	w3 &= -7
	r1 ^= r2
	r3 ^= 7
	w1 ^= w2
	w3 ^= -7
	r1 <<= r2
	r3 <<= 7
	w1 <<= w2
	w3 <<= -7
	r1 >>= r2
	r3 >>= 7
	w1 >>= w2
	w3 >>= -7
	r1 s>>= r2
	r3 s>>= 7
	w1 s>>= w2
	w3 s>>= -7
	r1 s/= r2
	r3 s/= 7
	w1 s/= w2
	w3 s/= -7
	r1 s%= r2
	r3 s%= 7
	w1 s%= w2
	w3 s%= -7
	r1 = r2
	r1 = -1
	r1 = 0x7fffffff
	r1 = 0xffffffff
	w1 = w2
	w1 = 0x80000000
	r1 = -r1
	w2 = -w2
	r1 = (s8)r2
	r1 = (s16)r2
	r1 = (s32)r2
	w1 = (s8)w2
	w1 = (s16)w2
	r4 = be16 r4
	r4 = be32 r4
	r4 = be64 r4
	r4 = le16 r4
	r4 = le32 r4
	r4 = le64 r4
	r4 = bswap16 r4
	r4 = bswap32 r4
	r4 = bswap64 r4
	r1 = *(u8 *)(r2 + 4)
	r1 = *(u8 *)(r10 - 32768)
	r1 = *(u16 *)(r2 + 4)
	r1 = *(u16 *)(r10 - 32768)
	r1 = *(u32 *)(r2 + 4)
	r1 = *(u32 *)(r10 - 32768)
	r1 = *(u64 *)(r2 + 4)
	r1 = *(u64 *)(r10 - 32768)
	r1 = *(s8 *)(r2 + 4)
	r1 = *(s8 *)(r10 - 32768)
	r1 = *(s16 *)(r2 + 4)
	r1 = *(s16 *)(r10 - 32768)
	r1 = *(s32 *)(r2 + 4)
	r1 = *(s32 *)(r10 - 32768)
	w1 = *(u8 *)(r2 + 32767)
	w1 = *(u16 *)(r2 + 32767)
	w1 = *(u32 *)(r2 + 32767)
	*(u8 *)(r10 - 8) = r1
	*(u8 *)(r1 + 2) = -5
	*(u16 *)(r10 - 8) = r1
	*(u16 *)(r1 + 2) = -5
	*(u32 *)(r10 - 8) = r1
	*(u32 *)(r1 + 2) = -5
	*(u64 *)(r10 - 8) = r1
	*(u64 *)(r1 + 2) = -5
	*(u8 *)(r10 - 8) = w3
	*(u16 *)(r10 - 8) = w3
	*(u32 *)(r10 - 8) = w3
	r1 = 0x1122334455667788 ll
	r2 = -1 ll
	r3 = 0 ll
	r4 = ext_var ll
	r5 = ext_var + 16 ll
	r6 = local_data ll
	r7 = local_data + 8 ll
	if r1 == r2 goto +1
	if r1 == 3 goto -1
	if w1 == w2 goto LBB0_1
	if w1 == -3 goto LBB0_1
	if r1 != r2 goto +1
	if r1 != 3 goto -1
	if w1 != w2 goto LBB0_1
	if w1 != -3 goto LBB0_1
	if r1 > r2 goto +1
	if r1 > 3 goto -1
	if w1 > w2 goto LBB0_1
	if w1 > -3 goto LBB0_1
	if r1 >= r2 goto +1
	if r1 >= 3 goto -1
	if w1 >= w2 goto LBB0_1
	if w1 >= -3 goto LBB0_1
	if r1 < r2 goto +1
	if r1 < 3 goto -1
	if w1 < w2 goto LBB0_1
	if w1 < -3 goto LBB0_1
	if r1 <= r2 goto +1
	if r1 <= 3 goto -1
	if w1 <= w2 goto LBB0_1
	if w1 <= -3 goto LBB0_1
	if r1 s> r2 goto +1
	if r1 s> 3 goto -1
	if w1 s> w2 goto LBB0_1
	if w1 s> -3 goto LBB0_1
	if r1 s>= r2 goto +1
	if r1 s>= 3 goto -1
	if w1 s>= w2 goto LBB0_1
	if w1 s>= -3 goto LBB0_1
	if r1 s< r2 goto +1
	if r1 s< 3 goto -1
	if w1 s< w2 goto LBB0_1
	if w1 s< -3 goto LBB0_1
	if r1 s<= r2 goto +1
	if r1 s<= 3 goto -1
	if w1 s<= w2 goto LBB0_1
	if w1 s<= -3 goto LBB0_1
	if r1 & r2 goto +1
	if r1 & 3 goto -1
	if w1 & w2 goto LBB0_1
	if w1 & -3 goto LBB0_1
	goto +5
	goto -1
	goto LBB0_1
	gotol LBB0_1
	gotol +3
	call 1
	call 212
	call local_func
	call global_func
	call ext_func
	callx r5
	lock *(u64 *)(r1 + 8) += r2
	lock *(u32 *)(r1 - 8) += w2
	lock *(u64 *)(r1 + 8) |= r2
	lock *(u32 *)(r1 - 8) |= w2
	lock *(u64 *)(r1 + 8) &= r2
	lock *(u32 *)(r1 - 8) &= w2
	lock *(u64 *)(r1 + 8) ^= r2
	lock *(u32 *)(r1 - 8) ^= w2
	r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)
	w2 = atomic_fetch_add((u32 *)(r1 + 16), w2)
	r2 = atomic_fetch_and((u64 *)(r1 + 0), r2)
	w2 = atomic_fetch_and((u32 *)(r1 + 16), w2)
	r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)
	w2 = atomic_fetch_or((u32 *)(r1 + 16), w2)
	r2 = atomic_fetch_xor((u64 *)(r1 + 0), r2)
	w2 = atomic_fetch_xor((u32 *)(r1 + 16), w2)
	r2 = xchg_64(r1 + 0, r2)
	w2 = xchg32_32(r1 + 4, w2)
	r0 = cmpxchg_64(r1 + 0, r0, r2)
	w0 = cmpxchg32_32(r1 - 4, w0, w2)
	r0 = *(u8 *)skb[12]
	r0 = *(u8 *)skb[r3]
	r0 = *(u16 *)skb[12]
	r0 = *(u16 *)skb[r3]
	r0 = *(u32 *)skb[12]
	r0 = *(u32 *)skb[r3]
LBB0_1:
	exit
local_func:
	r0 = 1
	exit
	.globl	global_func
global_func:
	r0 = 2
	exit
	.section	xdp,"ax",@progbits
xdp_prog:
	call local_func
	call global_func
	r1 = local_data ll
	exit
	.data
	.long	7
local_data:
	.quad	1
	.quad	local_data
	.quad	ext_var+4
	.long	ext_var
	.long	local_data
	.byte	1, 2, 0xff
	.short	-2
	.2byte	3
	.4byte	4
	.8byte	5
	.ascii	"ab\n"
	.asciz	"cd"
	.string	"e\x41\101"
	.zero	3
	.p2align	3
	.skip	2, 0x11
	.set	SIZE, 4 * (2 + 1)
	.long	SIZE, SIZE << 2, -SIZE, ~0, 7 / 2, 7 % 4, 6 & 3, 6 | 1, 6 ^ 3
	.long	local_func - prog
	.quad	.Lend - local_data
.Lend:
	.section	numeric,"ax",@progbits
1:	r0 = 0
	if r1 > 2 goto 1f
	if r1 > 3 goto 1b
	goto 2f
1:	r0 += 1
2:	if r0 < 10 goto 1b
	r1 = 0b101
	goto 1f
1:	exit
	.section	.text.strings,"ax",@progbits
strings_user:
	r2 = .L.str ll
	r3 = .L.str + 3 ll
	r4 = counter + 16 ll
	exit
	.bss
	.globl	counter
	.p2align	3
counter:
	.quad	0
	.zero	24
	.section	.rodata.str1.1,"aMS",@progbits,1
.L.str:
	.asciz	"hello %d\n"
	.section	.data.rel,"aw",@progbits
	.quad	.L.str+2
	.quad	.L.str
	.section	quoted,"ax",@progbits
	r1 = "lock" ll
	r2 = "ll" + 8 ll
	call "exit"
	if r1 == 0 goto "r1"
	goto "r1"
"r1":
	exit
	.data
	.globl	"lock"
	.type	"lock",@object
"lock":
	.quad	"lock"
	.size	"lock", 8
