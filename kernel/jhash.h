/* jhash.h - Bob Jenkins' lookup3 hash as the kernel uses it (jhash over bytes, jhash2
 * over u32 words): with a zero seed, hash tables and bloom filters place keys exactly
 * where the kernel's do (BPF_F_ZERO_SEED).
 */
#ifndef EBPF_KERNEL_JHASH_H
#define EBPF_KERNEL_JHASH_H

#include <stdint.h>
#include <string.h>

#define EMU_JHASH_INITVAL 0xdeadbeefu

static inline uint32_t emu_rol32(uint32_t word, unsigned int shift)
{
	return (word << shift) | (word >> ((-shift) & 31));
}

#define EMU_JHASH_MIX(a, b, c)                                                         \
	do {                                                                           \
		a -= c; a ^= emu_rol32(c, 4); c += b;                                  \
		b -= a; b ^= emu_rol32(a, 6); a += c;                                  \
		c -= b; c ^= emu_rol32(b, 8); b += a;                                  \
		a -= c; a ^= emu_rol32(c, 16); c += b;                                 \
		b -= a; b ^= emu_rol32(a, 19); a += c;                                 \
		c -= b; c ^= emu_rol32(b, 4); b += a;                                  \
	} while (0)

#define EMU_JHASH_FINAL(a, b, c)                                                       \
	do {                                                                           \
		c ^= b; c -= emu_rol32(b, 14);                                         \
		a ^= c; a -= emu_rol32(c, 11);                                         \
		b ^= a; b -= emu_rol32(a, 25);                                         \
		c ^= b; c -= emu_rol32(b, 16);                                         \
		a ^= c; a -= emu_rol32(c, 4);                                          \
		b ^= a; b -= emu_rol32(a, 14);                                         \
		c ^= b; c -= emu_rol32(b, 24);                                         \
	} while (0)

static inline uint32_t emu_jhash(const void *key, uint32_t length, uint32_t seed)
{
	const uint8_t *k = key;
	uint32_t a, b, c, w[3];

	a = b = c = EMU_JHASH_INITVAL + length + seed;
	while (length > 12) {
		memcpy(w, k, 12);
		a += w[0];
		b += w[1];
		c += w[2];
		EMU_JHASH_MIX(a, b, c);
		length -= 12;
		k += 12;
	}
	switch (length) {
	case 12: c += (uint32_t)k[11] << 24; /* fall through */
	case 11: c += (uint32_t)k[10] << 16; /* fall through */
	case 10: c += (uint32_t)k[9] << 8; /* fall through */
	case 9: c += k[8]; /* fall through */
	case 8: b += (uint32_t)k[7] << 24; /* fall through */
	case 7: b += (uint32_t)k[6] << 16; /* fall through */
	case 6: b += (uint32_t)k[5] << 8; /* fall through */
	case 5: b += k[4]; /* fall through */
	case 4: a += (uint32_t)k[3] << 24; /* fall through */
	case 3: a += (uint32_t)k[2] << 16; /* fall through */
	case 2: a += (uint32_t)k[1] << 8; /* fall through */
	case 1:
		a += k[0];
		EMU_JHASH_FINAL(a, b, c);
		break;
	default:
		break;
	}
	return c;
}

/* jhash2: `words` u32 values (read unaligned-safe). */
static inline uint32_t emu_jhash2(const void *key, uint32_t words, uint32_t seed)
{
	const uint8_t *k = key;
	uint32_t a, b, c, w[3];

	a = b = c = EMU_JHASH_INITVAL + (words << 2) + seed;
	while (words > 3) {
		memcpy(w, k, 12);
		a += w[0];
		b += w[1];
		c += w[2];
		EMU_JHASH_MIX(a, b, c);
		words -= 3;
		k += 12;
	}
	memset(w, 0, sizeof(w));
	memcpy(w, k, words * 4);
	switch (words) {
	case 3: c += w[2]; /* fall through */
	case 2: b += w[1]; /* fall through */
	case 1:
		a += w[0];
		EMU_JHASH_FINAL(a, b, c);
		break;
	default:
		break;
	}
	return c;
}

/* htab_map_hash: word-wise when the key is a multiple of 4 bytes. */
static inline uint32_t emu_htab_hash(const void *key, uint32_t size, uint32_t seed)
{
	return size % 4 == 0 ? emu_jhash2(key, size / 4, seed) : emu_jhash(key, size, seed);
}

#endif /* EBPF_KERNEL_JHASH_H */
