/* helpers_misc.c - helpers that call back into the program (bpf_loop,
 * for_each_map_elem) and the string-to-integer parsers (strtol, strtoul) with the
 * kernel's rules for bases, signs, overflow and the consumed-length result. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "helpers.h"

#define PTR(r) ((void *)(uintptr_t)(r))
#define BPF_MAX_LOOPS (8 * 1024 * 1024)
#define STRTOX_BASE_MASK 0x1f

/* bpf_loop(nr_loops, callback_fn, callback_ctx, flags): callbacks return 0 to go on,
 * 1 to stop; the result is the number of iterations run. */
EMU_HELPER(loop)
{
	struct emu_run *run = emu_run_current();
	uint64_t i;

	if (r4)
		return (uint64_t)-EINVAL;
	if (r1 > BPF_MAX_LOOPS)
		return (uint64_t)-E2BIG;
	for (i = 0; i < (uint32_t)r1; i++) {
		const uint64_t args[5] = { i, r3, 0, 0, 0 };
		uint64_t ret = emu_interp_call(run, r2, args);

		if (run->fault)
			return 0;
		if (ret)
			return i + 1;
	}
	return i;
}

struct for_each_state {
	struct emu_run *run;
	uint64_t callback;
	uint64_t callback_ctx;
};

static long for_each_step(struct emu_map *map, void *key, void *value, void *opaque)
{
	struct for_each_state *st = opaque;
	const uint64_t args[5] = { (uint64_t)(uintptr_t)map, (uint64_t)(uintptr_t)key,
				   (uint64_t)(uintptr_t)value, st->callback_ctx, 0 };
	uint64_t ret = emu_interp_call(st->run, st->callback, args);

	return st->run->fault ? 1 : (long)ret;
}

EMU_HELPER(for_each_map_elem)
{
	struct for_each_state st = { emu_run_current(), r2, r3 };

	if (r4)
		return (uint64_t)-EINVAL;
	return (uint64_t)emu_map_for_each(PTR(r1), for_each_step, &st);
}

static int digit_value(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	if (isxdigit((unsigned char)c))
		return tolower((unsigned char)c) - 'a' + 10;
	return 99;
}

/* Digits of `base` at s: their count, or -ERANGE on overflow. */
static int parse_digits(const char *s, unsigned base, uint64_t *res)
{
	uint64_t v = 0;
	int n = 0;
	bool overflow = false;

	for (; digit_value(s[n]) < (int)base; n++) {
		unsigned d = (unsigned)digit_value(s[n]);

		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	*res = v;
	return overflow ? -ERANGE : n;
}

/* __bpf_strtoull: returns bytes consumed (spaces and sign included) or -errno. */
static long parse_unsigned(const char *buf, uint64_t buf_len, uint64_t flags, uint64_t *res,
			   bool *negative)
{
	unsigned base = flags & STRTOX_BASE_MASK;
	char str[64];
	const char *cur = buf, *end = buf + buf_len, *s = str;
	size_t len;
	int n;

	if ((flags & ~(uint64_t)STRTOX_BASE_MASK) || (base && base != 8 && base != 10 && base != 16))
		return -EINVAL;
	if (!buf || !buf_len)
		return -EINVAL;
	while (cur < end && isspace((unsigned char)*cur))
		cur++;
	*negative = cur < end && *cur == '-';
	if (*negative)
		cur++;
	len = (size_t)(end - cur);
	if (!len)
		return -EINVAL;
	len = len < sizeof(str) - 1 ? len : sizeof(str) - 1;
	memcpy(str, cur, len);
	str[len] = '\0';
	if (!base)
		base = str[0] != '0' ? 10 : (tolower((unsigned char)str[1]) == 'x' &&
					     isxdigit((unsigned char)str[2])) ? 16 : 8;
	if (base == 16 && str[0] == '0' && tolower((unsigned char)str[1]) == 'x')
		s += 2;
	n = parse_digits(s, base, res);
	if (n < 0)
		return n;
	if (n == 0)
		return -EINVAL;
	return (long)(cur - buf) + (s - str) + n;
}

EMU_HELPER(strtol)
{
	uint64_t v;
	bool negative;
	long n = parse_unsigned(PTR(r1), r2, r3, &v, &negative);

	if (n < 0)
		return (uint64_t)n;
	if (negative ? (int64_t)-v > 0 : (int64_t)v < 0)
		return (uint64_t)-ERANGE;
	*(int64_t *)PTR(r4) = negative ? (int64_t)-v : (int64_t)v;
	return (uint64_t)n;
}

EMU_HELPER(strtoul)
{
	uint64_t v;
	bool negative;
	long n = parse_unsigned(PTR(r1), r2, r3, &v, &negative);

	if (n < 0)
		return (uint64_t)n;
	if (negative)
		return (uint64_t)-EINVAL;
	*(uint64_t *)PTR(r4) = v;
	return (uint64_t)n;
}
