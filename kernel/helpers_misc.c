/* helpers_misc.c - helpers that call back into the program (bpf_loop,
 * for_each_map_elem, bpf_timer: armed timers fire when the test run ends) and the
 * string-to-integer parsers (strtol, strtoul) with the kernel's rules for bases,
 * signs, overflow and the consumed-length result. */
#include <ctype.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <string.h>

#include "emu_int.h"

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

/* ---- bpf_timer: timers by the address of their struct bpf_timer ---- */

#define TIMER_MAX 256
#define TIMER_FIRE_MAX 64     /* firings per test run (a callback may re-arm itself) */
#define CLOCK_REALTIME_ID 0
#define CLOCK_MONOTONIC_ID 1
#define CLOCK_BOOTTIME_ID 7
#define TIMER_ABS 1u          /* BPF_F_TIMER_ABS (UAPI 6.7) */
#define TIMER_CPU_PIN 2u      /* BPF_F_TIMER_CPU_PIN (UAPI 6.8) */

/* One initialised timer. The map value's bytes are left alone (the syscall side reads
 * the field as zero anyway); the timer is found by its address. */
struct emu_timer {
	uint64_t addr;           /* the struct bpf_timer in a map value */
	struct emu_map *map;     /* its map (a reference is held) */
	struct emu_prog *prog;   /* program that set the callback */
	uint64_t callback;       /* function value, 0 before set_callback */
	uint64_t expires;        /* start's nsecs: the firing order */
	uint64_t seq;            /* start order among equal expiries */
	bool armed;
	bool running;            /* its callback runs now (cancel: -EDEADLK) */
};

static struct emu_timer timers[TIMER_MAX];
static uint32_t timer_count;
static uint64_t timer_seq;

static struct emu_timer *timer_find(uint64_t addr)
{
	for (uint32_t i = 0; i < timer_count; i++)
		if (timers[i].addr == addr)
			return &timers[i];
	return NULL;
}

/* bpf_timer_init(timer, map, clock): -EBUSY once initialised. */
EMU_HELPER(timer_init)
{
	(void)r4, (void)r5;
	if (r3 != CLOCK_REALTIME_ID && r3 != CLOCK_MONOTONIC_ID && r3 != CLOCK_BOOTTIME_ID)
		return (uint64_t)-EINVAL;
	if (timer_find(r1))
		return (uint64_t)-EBUSY;
	if (timer_count == TIMER_MAX)
		return (uint64_t)-ENOMEM;
	emu_map_get(PTR(r2));
	timers[timer_count++] = (struct emu_timer){ .addr = r1, .map = PTR(r2) };
	return 0;
}

EMU_HELPER(timer_set_callback)
{
	struct emu_timer *t = timer_find(r1);
	(void)r3, (void)r4, (void)r5;
	if (!t)
		return (uint64_t)-EINVAL;
	t->callback = r2;
	t->prog = emu_run_current()->prog;
	return 0;
}

EMU_HELPER(timer_start)
{
	struct emu_timer *t = timer_find(r1);
	(void)r4, (void)r5;
	if (r3 & ~(uint64_t)(TIMER_ABS | TIMER_CPU_PIN))
		return (uint64_t)-EINVAL;
	if (!t || !t->callback)
		return (uint64_t)-EINVAL;
	t->armed = true;
	t->expires = r2;
	t->seq = timer_seq++;
	return 0;
}

void emu_timers_forget_prog(const struct emu_prog *prog)
{
	for (uint32_t i = 0; i < timer_count; i++)
		if (timers[i].prog == prog) {
			timers[i].prog = NULL;
			timers[i].callback = 0;
			timers[i].armed = false;
		}
}

void emu_timers_forget_value(const void *value, size_t size)
{
	uint64_t start = (uint64_t)(uintptr_t)value;

	for (uint32_t i = 0; i < timer_count;) {
		if (timers[i].addr - start < size) {
			emu_map_put(timers[i].map);
			timers[i] = timers[--timer_count];
		} else {
			i++;
		}
	}
}

/* 1 when it was armed, 0 when not; its own callback may not cancel it. */
EMU_HELPER(timer_cancel)
{
	struct emu_timer *t = timer_find(r1);
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (!t)
		return (uint64_t)-EINVAL;
	if (t->running)
		return (uint64_t)-EDEADLK;
	bool was = t->armed;
	t->armed = false;
	return was;
}

struct timer_owner {
	uint64_t addr;
	uint32_t value_size;
	void *key, *value;
};

static long timer_owner_step(struct emu_map *map, void *key, void *value, void *ctx)
{
	struct timer_owner *o = ctx;
	uint64_t v = (uint64_t)(uintptr_t)value;
	(void)map;
	if (o->addr < v || o->addr - v >= o->value_size)
		return 0;
	o->key = key;
	o->value = value;
	return 1;
}

/* The next armed timer of `prog`, earliest first. */
static struct emu_timer *timer_next(const struct emu_prog *prog)
{
	struct emu_timer *best = NULL;
	for (uint32_t i = 0; i < timer_count; i++) {
		struct emu_timer *t = &timers[i];
		if (t->armed && t->prog == prog &&
		    (!best || t->expires < best->expires ||
		     (t->expires == best->expires && t->seq < best->seq)))
			best = t;
	}
	return best;
}

void emu_timers_fire(struct emu_run *run)
{
	struct emu_prog *prog = run->prog;

	for (int n = 0; n < TIMER_FIRE_MAX && !run->fault; n++) {
		struct emu_timer *t = timer_next(prog);
		if (!t)
			break;
		struct timer_owner owner = { t->addr, emu_map_desc(t->map)->value_size, NULL, NULL };
		t->armed = false;
		if (emu_map_for_each(t->map, timer_owner_step, &owner) <= 0 || !owner.value)
			continue; /* the element is gone: the kernel freed its timer */
		const uint64_t args[5] = { (uint64_t)(uintptr_t)t->map,
					   (uint64_t)(uintptr_t)owner.key,
					   (uint64_t)(uintptr_t)owner.value, 0, 0 };
		uint64_t addr = t->addr;
		t->running = true;
		run->prog = t->prog;
		emu_interp_call(run, t->callback, args);
		run->prog = prog;
		if ((t = timer_find(addr)))
			t->running = false;
	}
}
