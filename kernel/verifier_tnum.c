/* verifier_tnum.c - tristate numbers: per bit known-0, known-1 or unknown (mask bit
 * set). Arithmetic over them over-approximates every concrete result. */
#include "verifier_int.h"

struct tnum tnum_const(uint64_t value)
{
	return (struct tnum){ value, 0 };
}

struct tnum tnum_unknown(void)
{
	return (struct tnum){ 0, ~(uint64_t)0 };
}

/* Smallest tnum holding every value of [min, max]: the bits above the highest
 * differing bit are known. */
struct tnum tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max;
	if (!chi)
		return tnum_const(min);
	int bits = 64 - __builtin_clzll(chi);
	if (bits > 63)
		return tnum_unknown();
	uint64_t delta = ((uint64_t)1 << bits) - 1;
	return (struct tnum){ min & ~delta, delta };
}

struct tnum tnum_lshift(struct tnum a, uint8_t shift)
{
	return (struct tnum){ a.value << shift, a.mask << shift };
}

struct tnum tnum_rshift(struct tnum a, uint8_t shift)
{
	return (struct tnum){ a.value >> shift, a.mask >> shift };
}

struct tnum tnum_arshift(struct tnum a, uint8_t shift, uint8_t insn_bitness)
{
	if (insn_bitness == 32)
		return (struct tnum){ (uint32_t)((int32_t)a.value >> shift),
				      (uint32_t)((int32_t)a.mask >> shift) };
	return (struct tnum){ (uint64_t)((int64_t)a.value >> shift),
			      (uint64_t)((int64_t)a.mask >> shift) };
}

struct tnum tnum_add(struct tnum a, struct tnum b)
{
	uint64_t sm = a.mask + b.mask;
	uint64_t sv = a.value + b.value;
	uint64_t sigma = sm + sv;
	uint64_t chi = sigma ^ sv;
	uint64_t mu = chi | a.mask | b.mask;
	return (struct tnum){ sv & ~mu, mu };
}

struct tnum tnum_sub(struct tnum a, struct tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask;
	uint64_t beta = dv - b.mask;
	uint64_t chi = alpha ^ beta;
	uint64_t mu = chi | a.mask | b.mask;
	return (struct tnum){ dv & ~mu, mu };
}

struct tnum tnum_and(struct tnum a, struct tnum b)
{
	uint64_t alpha = a.value | a.mask;
	uint64_t beta = b.value | b.mask;
	uint64_t v = a.value & b.value;
	return (struct tnum){ v, alpha & beta & ~v };
}

struct tnum tnum_or(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value;
	uint64_t mu = a.mask | b.mask;
	return (struct tnum){ v, mu & ~v };
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint64_t v = a.value ^ b.value;
	uint64_t mu = a.mask | b.mask;
	return (struct tnum){ v & ~mu, mu };
}

/* Union of two tnums: every bit either may hold, or on which they disagree, unknown. */
static struct tnum tnum_union(struct tnum a, struct tnum b)
{
	uint64_t mu = (a.value ^ b.value) | a.mask | b.mask;

	return (struct tnum){ a.value & b.value & ~mu, mu };
}

/* Long multiplication over the bits of a (6.17+): a known 1 adds b to the
 * accumulator, an unknown bit takes the union of adding it and not. */
struct tnum tnum_mul(struct tnum a, struct tnum b)
{
	struct tnum acc = tnum_const(0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc = tnum_add(acc, b);
		else if (a.mask & 1)
			acc = tnum_union(acc, tnum_add(acc, b));
		a = tnum_rshift(a, 1);
		b = tnum_lshift(b, 1);
	}
	return acc;
}

struct tnum tnum_intersect(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value;
	uint64_t mu = a.mask & b.mask;
	return (struct tnum){ v & ~mu, mu };
}

struct tnum tnum_cast(struct tnum a, uint8_t size)
{
	if (size >= 8)
		return a;
	uint64_t keep = ((uint64_t)1 << (size * 8)) - 1;
	return (struct tnum){ a.value & keep, a.mask & keep };
}

struct tnum tnum_subreg(struct tnum a)
{
	return tnum_cast(a, 4);
}

struct tnum tnum_clear_subreg(struct tnum a)
{
	return tnum_lshift(tnum_rshift(a, 32), 32);
}

struct tnum tnum_with_subreg(struct tnum reg, struct tnum subreg)
{
	return tnum_or(tnum_clear_subreg(reg), tnum_subreg(subreg));
}

struct tnum tnum_const_subreg(struct tnum a, uint32_t value)
{
	return tnum_with_subreg(a, tnum_const(value));
}

bool tnum_is_const(struct tnum a)
{
	return !a.mask;
}

bool tnum_equals_const(struct tnum a, uint64_t b)
{
	return !a.mask && a.value == b;
}

bool tnum_is_unknown(struct tnum a)
{
	return !~a.mask;
}

bool tnum_is_aligned(struct tnum a, uint64_t size)
{
	if (!size)
		return true;
	return !((a.value | a.mask) & (size - 1));
}

bool tnum_in(struct tnum a, struct tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	b.value &= ~a.mask;
	return a.value == b.value;
}

/* Bits as the kernel prints them: most significant first, 'x' for unknown. */
int tnum_sbin(char *buf, size_t size, struct tnum a)
{
	size_t n;

	for (n = 64; n; n--) {
		if (n < size) {
			if (a.mask & 1)
				buf[n - 1] = 'x';
			else if (a.value & 1)
				buf[n - 1] = '1';
			else
				buf[n - 1] = '0';
		}
		a.mask >>= 1;
		a.value >>= 1;
	}
	buf[size > 64 ? 64 : size - 1] = '\0';
	return 64;
}

/* Smallest value >= lo whose bits agree with `t`; false when there is none. */
bool tnum_min_ge(struct tnum t, uint64_t lo, uint64_t *out)
{
	uint64_t v = t.value, m = t.mask;
	uint64_t differ = ~m & (v ^ lo); /* known bits of t that lo does not have */

	if (!differ) {
		*out = lo; /* lo agrees with t */
		return true;
	}
	int i = 63 - __builtin_clzll(differ); /* the highest such bit decides */
	uint64_t b = (uint64_t)1 << i, below = i == 63 ? ~(uint64_t)0 : (b << 1) - 1;
	if (v & b) { /* lo has a 0 where t has a 1: everything below can be minimal */
		*out = (lo & ~below) | (v & below);
		return true;
	}
	/* lo has a 1 where t has a 0: raise the lowest free 0 bit above i */
	uint64_t cand = m & ~below & ~lo;
	if (!cand)
		return false;
	uint64_t j = cand & -cand;
	*out = (lo & ~((j << 1) - 1)) | j | (v & (j - 1));
	return true;
}
