/* arith.c - round-trip sample: 32- and 64-bit arithmetic, signed division, shifts,
 * byte swaps, sign extension, loops and stack use. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

__attribute__((section("socket"), used)) int compute(void *ctx)
{
	volatile s64 buf[8];
	s64 acc = (s64)(long)ctx;
	u32 w = (u32)acc;

	for (int i = 0; i < 8; i++)
		buf[i] = acc * (i + 3) - (acc >> i);
	for (int i = 0; i < 8; i++) {
		acc += buf[i] / (i + 1);
		acc ^= buf[i] % 7;
		w = (w << 3) | (w >> 29);
		w += (u32)(signed char)buf[i];
	}
	acc = (s64)__builtin_bswap64((u64)acc) + __builtin_bswap32(w) + __builtin_bswap16((unsigned short)w);
	if (acc < -5 || (int)w > 100)
		return (int)(acc / -3);
	return (int)(w % 13) + (int)(acc & 0xffff);
}
