#!/usr/bin/env python3
# random_program.py SEED [VALUES] - a random XDP program for differential runs of the
# compiler's back end: locals of every integer width, arithmetic without undefined
# behaviour (unsigned, masked shifts, divisors made odd), branches, bounded loops,
# BPF-to-BPF calls, an always_inline function of seven parameters, map values and
# packet pointers; it stores its locals in a map and returns one of them.
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


def statement(depth=0, indent='\t'):
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
