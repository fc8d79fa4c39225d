/* Grammar corners of the bison front end, each result stored in an array map that the
 * report prints (the golden is the report of clang's twin): typedef names shadowed by
 * objects in inner scopes, nested declarators (a function returning a pointer to an
 * array, arrays of function pointers), abstract declarators in casts and sizeof,
 * attributes in every position libbpf headers use them, statement expressions,
 * __auto_type, typeof, designator ranges, case ranges, compound literals, _Alignas.
 * RUN: --data-hex 0102030405060708090a0b0c0d0e0f10
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define N 24

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, N);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

typedef int T;
typedef long row_t[3];
typedef struct __attribute__((packed)) { __u8 tag; __u32 value; } __attribute__((aligned(2))) tagged_t;

struct list { struct list *next; int value; } __attribute__((aligned(8)));
enum __attribute__((packed)) small { SMALL_A = 1, SMALL_B = SMALL_A + 4 };
enum wide : unsigned long long { WIDE_BIG = 0x100000000ULL };

static long table[2][3] = { [0] = { 1, 2, 3 }, [1][1 ... 2] = 7 };
static const volatile int config = 11;
int __attribute__((unused)) spare[4] = { [1 ... 2] = 5, [3] = 9 };

static __always_inline void put(__u32 slot, __s64 v)
{
	bpf_map_update_elem(&results, &slot, &v, BPF_ANY);
}

/* a function returning a pointer to an array of 3 longs */
static __noinline long (*row_of(int i))[3]
{
	return &table[i & 1];
}

static __noinline int twice(int x) { return 2 * x; }
static __noinline int thrice(int x) { return 3 * x; }

static __noinline int shadow(T T2)
{
	T v = T2;                    /* T names the type here */
	{
		int T = 40;          /* ... and an object in this block */

		v += T;
	}
	return v + (T)1;             /* the type again */
}

SEC("xdp")
int grammar(struct xdp_md *ctx)
{
	int (*ops[2])(int);                               /* array of function pointers */
	__auto_type seven = 7L;
	typeof(seven) eight = seven + 1;
	struct list tail = { .next = 0, .value = 3 }, head = { &tail, 4 };
	int total = ({ int a = 5, b = 6; a * b; });
	_Alignas(8) char buf[16] = "grammar";
	long (*r)[3] = row_of(1);
	int i, sum = 0;

	put(0, shadow(2));                                /* 2 + 40 + 1 */
	put(1, (*r)[1] * 100 + (*row_of(0))[2]);          /* 7, 3 */
	put(2, sizeof(ops) * 100 + __builtin_types_compatible_p(typeof(ops[1]), int (*)(int)) * 10 +
	       twice(1) + thrice(1));
	put(3, sizeof(int (*)[4]) * 100 + sizeof(long [2][3]));
	put(4, sizeof(seven) * 100 + sizeof(eight) * 10 +
	       __builtin_types_compatible_p(typeof(eight), long));
	put(5, total);
	put(6, sizeof(tagged_t) * 100 + _Alignof(struct list) * 10 + sizeof(enum small));
	put(7, (long)(unsigned char)-1 + (long)(signed char)0x80);
	put(8, head.next->value * 10 + head.value);
	put(9, table[1][2] * 100 + table[1][0] * 10 + table[0][2]);
	put(10, spare[0] + spare[1] * 10 + spare[2] * 100 + spare[3] * 1000);
	put(11, config + SMALL_B * 100);
	put(12, WIDE_BIG >> 32);
	put(13, buf[0] + buf[6] + buf[7]);
	put(14, __builtin_offsetof(struct list, value) * 10 + __builtin_offsetof(tagged_t, value));
	for (i = 0; i < 8; i++) {
		switch (i) {
		case 0 ... 2:
			sum += 1;
			break;
		case 3:
		case 5 ... 6:
			sum += 10;
			break;
		default:
			sum += 100;
		}
	}
	put(15, sum);
	put(16, ((struct list){ .value = 12 }).value + (int[]){ 1, 2, 3 }[2]);
	put(17, ({ __auto_type p = &head; p->next->value; }));
	put(18, (int)sizeof(row_t) + (int)sizeof(*r));
	put(19, sizeof(int (*(*)(void))[5]));
	{
		int x = 3, *px = &x, **ppx = &px;

		**ppx += 4;
		put(20, x);
	}
	put(21, (sizeof(struct { int a; char b; }) << 4) | __alignof__(long));
	put(22, ctx->data_end - ctx->data);
	put(23, 1 ? 2 : 3 ? 4 : 5);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
