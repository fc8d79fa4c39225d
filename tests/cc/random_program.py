#!/usr/bin/env python3
# random_program.py SEED [VALUES] - a random XDP program for differential runs of the
# compiler's back end: locals of every integer width, arithmetic without undefined
# behaviour (unsigned, masked shifts, divisors made odd), branches, bounded loops,
# BPF-to-BPF calls, an always_inline function of seven parameters, map values and
# packet pointers; it stores its locals in a map and returns one of them.
# Shapes of the middle end's passes too: counted loops with constant bounds over local
# arrays (unrolling), locals whose address goes to helpers, calls, pointers and an
# always_inline function taking a struct cursor (stack object promotion), narrow
# stores then wide loads of a local struct or union, switch on run-time values and on
# constants, `c ? x : K`.
import random
import sys

SEED = int(sys.argv[1])
VALUES = int(sys.argv[2]) if len(sys.argv) > 2 else 8
R = random.Random(SEED)
TYPES = ['__u64', '__u32', '__u8', '__u16', '__s32', '__s64']
NAMES = ['v%d' % i for i in range(VALUES)]
TYPE_OF = {n: R.choice(TYPES) for n in NAMES}
lines = []


def var():
    return R.choice(NAMES)


def leaf():
    r = R.random()
    if r < 0.5:
        return var()
    if r < 0.7:
        return str(R.choice([0, 1, 2, 3, 7, 255, 1000, 65535, 100000, 0x7fffffff]))
    return 'd[%d]' % R.randrange(16)


def expr(depth=0):
    if depth > 2 or R.random() < 0.3:
        return leaf()
    op = R.choice(['+', '-', '*', '&', '|', '^', '<<', '>>', '/', '%', 'cmp', '?:'])
    a, b = expr(depth + 1), expr(depth + 1)
    if op in ('<<', '>>'):
        return '((__u64)(%s) %s ((%s) & 31))' % (a, op, b)
    if op in ('/', '%'):
        return '((__u64)(%s) %s ((__u64)(%s) | 1))' % (a, op, b)
    if op == 'cmp':
        return '(%s %s %s)' % (a, R.choice(['<', '>', '==', '!=', '<=', '>=']), b)
    if op == '?:':
        return '(%s ? %s : %s)' % (expr(depth + 1), a, b)
    if op in ('+', '-', '*'):
        return '((__u64)(%s) %s (__u64)(%s))' % (a, op, b)
    return '(%s %s %s)' % (a, op, b)


def block(depth, indent):
    for _ in range(R.randrange(1, 3)):
        statement(depth + 1, indent + '\t')


def cond():
    return '(%s %s %s)' % (leaf(), R.choice(['<', '>', '==', '!=', '<=', '>=']), leaf())


def counted_loop(depth, indent):
    """A for loop with constant bounds (and sometimes break/continue) over a local array."""
    n = R.randrange(1, 9)
    i = 'j%d' % depth
    a = 'a%d' % depth
    lines.append('%s{ __u64 %s[%d] = { %s };' % (indent, a, n, ', '.join(leaf() for _ in range(R.randrange(0, n + 1)))))
    start, step, cmp = R.choice([(0, 1, '<'), (0, 2, '<'), (0, 1, '!='), (0, 3, '<=')])
    bound = n if cmp != '<=' else n - 1
    pragma = R.choice(['', '', '#pragma unroll', '#pragma nounroll', '#pragma clang loop unroll(full)', '#pragma GCC unroll 4'])
    if pragma:
        lines.append(pragma)
    if cmp == '!=':
        lines.append('%sfor (int %s = %d; %s != %d; %s++) {' % (indent, i, start, i, bound, i))
    else:
        lines.append('%sfor (int %s = %d; %s %s %d; %s += %d) {' % (indent, i, start, i, cmp, bound, i, step))
    body = indent + '\t'
    r = R.random()
    if r < 0.2:
        lines.append('%sif (%s) break;' % (body, cond()))
    elif r < 0.35:
        lines.append('%sif (%s) continue;' % (body, cond()))
    lines.append('%s%s[%s] %s= %s + (__u64)%s;' % (body, a, i, R.choice(['', '+', '^', '|']), expr(2), i))
    if R.random() < 0.3:
        lines.append('%s%s = %s + %s[%s];' % (body, var(), var(), a, i))
    lines.append('%s}' % indent)
    lines.append('%s%s = %s;' % (indent, var(), ' + '.join('%s[%d]' % (a, k) for k in range(n))))
    lines.append('%s}' % indent)


def address_taken(depth, indent):
    """A local whose address goes to a helper, a call, an inlined function or a pointer."""
    t = 't%d' % depth
    ty = R.choice(['__u64', '__u32', '__u16', '__u8'])
    lines.append('%s{ %s %s = %s;' % (indent, ty, t, expr()))
    r = R.random()
    if r < 0.25:
        lines.append('%s  bump(&%s, %s);' % (indent, t, expr()) if ty == '__u64' else
                     '%s  %s = %s; { __u64 w = %s; bump(&w, %s); %s = w; }' % (indent, t, expr(), t, var(), t))
    elif r < 0.5:
        lines.append('%s  addp_%s(&%s, %s);' % (indent, ty, t, expr()))
    elif r < 0.7:
        lines.append('%s  { %s *p = &%s; *p %s= %s; if (%s) p = &%s; *p += 1; }'
                     % (indent, ty, t, R.choice(['+', '^', '-', '|']), expr(), cond(), t))
    elif r < 0.85:
        lines.append('%s  { struct cursor c = { %s, %s, %s }; step(&c, %s); step(&c, %s); %s = c.pos + c.tag + %s; }'
                     % (indent, expr(), expr(), expr(), expr(), var(), t, t))
    else:
        lines.append('%s  { __u32 key = %d; bpf_map_update_elem(&out, &key, &%s, BPF_ANY); }'
                     % (indent, R.randrange(8), t) if ty == '__u64' else
                     '%s  { __u32 key = %d; __u64 w = %s; bpf_map_update_elem(&out, &key, &w, BPF_ANY); %s = w + 1; }'
                     % (indent, R.randrange(8), t, t))
    lines.append('%s  %s = (__u64)%s + (__u64)%s; }' % (indent, var(), t, var()))


def narrow_wide(depth, indent):
    """Narrow stores then a wide load of the same bytes (union or memcpy of a struct)."""
    u = 'u%d' % depth
    if R.random() < 0.5:
        lines.append('%s{ union { __u64 w; __u32 h[2]; __u16 s[4]; __u8 b[8]; } %s;' % (indent, u))
        lines.append('%s  %s.w = %s;' % (indent, u, expr()))
        for _ in range(R.randrange(1, 4)):
            f, n = R.choice([('h', 2), ('s', 4), ('b', 8)])
            lines.append('%s  %s.%s[%d] = %s;' % (indent, u, f, R.randrange(n), expr()))
        lines.append('%s  %s = %s.%s; }' % (indent, var(), u, R.choice(['w', 'w', 'h[0]', 'h[1]', 's[2]', 'b[5]'])))
    else:
        lines.append('%s{ struct { __u8 a; __u8 b; __u16 c; __u32 d; } %s = {}; __u64 w;' % (indent, u))
        for _ in range(R.randrange(1, 5)):
            lines.append('%s  %s.%s = %s;' % (indent, u, R.choice('abcd'), expr()))
        lines.append('%s  __builtin_memcpy(&w, &%s, 8); %s = w; }' % (indent, u, var()))


def switch(depth, indent):
    """switch on a run-time value or a constant, with fallthrough and default."""
    scrutinee = R.choice(['(%s) & 7' % expr(), '(%s) %% 5' % var(), str(R.randrange(6))])
    lines.append('%sswitch (%s) {' % (indent, scrutinee))
    for k in R.sample(range(6), R.randrange(1, 5)):
        lines.append('%scase %d:' % (indent, k))
        lines.append('%s\t%s = %s;' % (indent, var(), expr()))
        if R.random() < 0.7:
            lines.append('%s\tbreak;' % indent)
    if R.random() < 0.6:
        lines.append('%sdefault:' % indent)
        lines.append('%s\t%s = %s;' % (indent, var(), expr()))
    lines.append('%s}' % indent)


def statement(depth=0, indent='\t'):
    if depth <= 2 and R.random() < 0.35:
        r = R.random()
        if r < 0.3:
            counted_loop(depth, indent)
        elif r < 0.55:
            address_taken(depth, indent)
        elif r < 0.7:
            narrow_wide(depth, indent)
        elif r < 0.85:
            switch(depth, indent)
        else:
            lines.append('%s%s = %s ? %s : %d;' % (indent, var(), cond(), expr(), R.choice([0, 1, 7, 255, 4096, 0x10000])))
        return
    r = R.random()
    if r < 0.45 or depth > 2:
        lines.append('%s%s = %s;' % (indent, var(), expr()))
    elif r < 0.6:
        lines.append('%sif (%s) {' % (indent, expr()))
        block(depth, indent)
        lines.append('%s} else {' % indent)
        block(depth, indent)
        lines.append('%s}' % indent)
    elif r < 0.7:
        i = 'i%d' % depth
        lines.append('%sfor (int %s = 0; %s < %d; %s++) {' % (indent, i, i, R.randrange(1, 6), i))
        block(depth, indent)
        lines.append('%s}' % indent)
    elif r < 0.8:
        lines.append('%s%s = sub%d(%s, %s);' % (indent, var(), R.randrange(2), var(), expr()))
    elif r < 0.88:
        lines.append('%s%s = mix(%s);' % (indent, var(), ', '.join(var() for _ in range(7))))
    elif r < 0.93:
        k = 'k%d' % depth
        lines.append('%s{ __u32 %s = %d; __u64 *pv = bpf_map_lookup_elem(&out, &%s);'
                     % (indent, k, R.randrange(8), k))
        lines.append('%s  if (pv) { *pv += %s; put(%d, %s); %s = *pv + %s; } }'
                     % (indent, expr(), R.randrange(8), var(), var(), var()))
    elif r < 0.96:
        lines.append('%s{ __u8 *q = d + %d; if ((void *)(q + 4) <= end) %s = q[1] + q[3] * %s; }'
                     % (indent, R.randrange(12), var(), var()))
    else:
        lines.append('%sput(%d, %s);' % (indent, R.randrange(8), expr()))


for _ in range(R.randrange(4, 14)):
    statement()
print('''/* random_program.py %d %d */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } out SEC(".maps");

static __noinline void put(__u32 k, __u64 v) { bpf_map_update_elem(&out, &k, &v, BPF_ANY); }
struct cursor { __u32 pos; __u16 tag; __u8 flags; };
static __always_inline void step(struct cursor *c, __u64 v)
{
	c->pos += v & 15;
	if (c->flags & 1)
		c->tag ^= c->pos;
	c->flags = c->flags * 3 + 1;
}
static __noinline void bump(__u64 *p, __u64 v) { *p = *p * 5 + v; }
static __always_inline void addp___u64(__u64 *p, __u64 v) { if (v & 1) *p += v; else *p ^= v; }
static __always_inline void addp___u32(__u32 *p, __u64 v) { if (v & 1) *p += v; else *p ^= v; }
static __always_inline void addp___u16(__u16 *p, __u64 v) { if (v & 1) *p += v; else *p ^= v; }
static __always_inline void addp___u8(__u8 *p, __u64 v) { if (v & 1) *p += v; else *p ^= v; }
static __noinline __u64 sub0(__u64 a, __u64 b) { return a * 3 + (b ^ 5); }
static __noinline __u64 sub1(__u64 a, __u64 b)
{
	__u64 t = a;

	if (b > a)
		t = b - a;
	put(7, t);
	return t + 1;
}
static __always_inline __u64 mix(__u64 a, __u64 b, __u64 c, __u64 d, __u64 e, __u64 f, __u64 g)
{
	__u64 s = a + 2 * b + 3 * c + (d ^ e) + (f | g);

	if (s > 1000)
		return s - 1000;
	return s;
}

SEC("xdp") int p(struct xdp_md *ctx)
{
	__u8 *d = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	if ((void *)(d + 16) > end)
		return 0;''' % (SEED, VALUES))
for i, n in enumerate(NAMES):
    print('\t%s %s = d[%d];' % (TYPE_OF[n], n, i % 16))
print('\n'.join(lines))
print('\tput(0, %s);' % ' + '.join('(__u64)' + n for n in NAMES))
print('\treturn (%s) & 3;\n}\n\nchar LICENSE[] SEC("license") = "GPL";' % expr())
